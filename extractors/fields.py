"""Descriptive fields of a target: metric, sector, scope, baseline label.

These do not decide whether something is a target; they describe one that
was found, so analysts can group targets ("who has a transport target?") and
reviewers see what is measured. Heuristics over the clause text, kept apart
from the decision rules so each can change without the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Words that name what is measured; the metric phrase is grown around the nearest one.
_METRIC_HEAD = re.compile(
    r"[\wæøå₂-]*(?:udledning|udledningen|udledninger|udslip|udslippet|forbrug|forbruget|energiforbrug\w*|andel|andelen|"
    r"trafik|trafikken|genanvendelse\w*|genbrug\w*|mængde|mængden|ledningstab|emission\w*|drivhusgas\w*|"
    r"areal\w*|transport\w*|biltrafik\w*|kørsel|kørslen|produktion\w*|affald\w*|økologiprocent\w*|procent\w*|"
    r"mangfoldighed\w*|biodiversitet\w*|partikler|kvælstof\w*|fosfor\w*|skov\w*|elbiler|busser|bilerne|bilparken|"
    r"opvarmning\w*|varmeforsyning\w*|elforsyning\w*|forsyning\w*|vandforbrug\w*|fødevare\w*|cykel\w*|madspild\w*|co2|co₂|c02|CO2e)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\wæøåÆØÅ₂-]+")
_METRIC_STOP = re.compile(
    r"\s(?:skal|vil|er|være|blive|bliver|med|på|reduceres|reduceret|nedbringes|øges|øget|steget|falde|være|udgøre|"
    r"baseret|kører|senest|inden|frem|målt|set|sammenlignet|fastholdes|i\s+(?:19|20)\d\d|i\s+forhold|og\s+i\s|"
    r"hvor|som|der|så|til\s+at|for\s+at|til\s+\d|til\s+(?:mindst|maksimalt|højst))\b|[,;:.()–]",
    re.IGNORECASE,
)

#: Words that name the supply side of energy: a target on them is an energy target even "i bygninger".
_ENERGY_HEAD = re.compile(
    r"^(?:el(?:forbrug|produktion|forsyning)\w*|el-|fjernvarme\w*|varmeforsyning\w*|ve-?\w*|vedvarende|vind\w*|sol\w*|\d.*\bMW\b)",
    re.I,
)
_ORGANISATION_SECTOR = re.compile(r"som\s+virksomhed|egen\s+drift|kommunens\s+(?:indkøb|egen|egne)\b", re.I)
_SECTOR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "vand",
        re.compile(
            r"vandforbrug|grundvand|spildevand|ledningstab|vandværk|drikkevand|liter/døgn|regnvand|vandløb|vandkvalitet",
            re.I,
        ),
    ),
    (
        "fødevarer",
        re.compile(
            r"økologiprocent|fødevare|madspild|køkken|kantine|måltid|\bmad|økologisk\w*\s+(?:mad|fødevare|indkøb)",
            re.I,
        ),
    ),
    ("landbrug", re.compile(r"landbrug|dyrket|lavbund|arealanvendelse|husdyr|gødning|kvælstof", re.I)),
    ("affald", re.compile(r"affald|genanvend|genbrug|plast|metal|cirkulær|deponi|forbrændingsegne?t", re.I)),
    (
        "transport",
        re.compile(
            r"transport|trafik|\bbil|biler|bilpark|busser|\bbus|cykel|drivmidl|skraldebil|køretøj|ladestander|kørsel|mobilitet|færge|elbil|maskiner|brændstof",
            re.I,
        ),
    ),
    (
        "bygninger",
        re.compile(r"bygning|ejendom|nybyggeri|renovering|energimærk|boliger|bygningsmasse|byggeri", re.I),
    ),
    (
        "natur",
        re.compile(r"natur(?!gas)|skov|biodiversitet|mangfoldighed|træer|vådområd|grønne områder", re.I),
    ),
    (
        "energi",
        re.compile(
            r"\bel\b|el-|varme|energi|solcelle|vind|\bMW\b|\bGWh\b|\bve\b|vedvarende|fjernvarme|opvarmning|naturgas|olie|"
            r"elektrific|strøm|biogas|belysning|gadelys|elforbrug",
            re.I,
        ),
    ),
)

_ORGANISATION = re.compile(
    r"kommunale?\s+(?:bygninger|ejendomme|køretøjer|bilpark|bilflåde|flåde|institutioner|køkkener|drift|nybyggerier|"
    r"indkøb|fødevare\w*|arealer|bygningsmasse|biler|vognpark|skraldebiler)|kommunens\s+(?:egne?|bygninger|bilpark|"
    r"drift|køretøjer|andel|vognpark|indkøb|køkkener|kantiner|institutioner|skoler|biler|flåde|entreprenør\w*|maskiner|"
    r"nedrivning\w*|arealer|medarbejdere|ejendomme)|som\s+virksomhed|egne\s+bygninger|egen\s+drift|"
    r"den\s+kommunale\s+organisation|daginstitution\w*|skolernes|gadebelysning|gadelys|kommunens\s+\w+\s+køretøjer",
    re.I,
)
_UTILITY = re.compile(
    r"forsyningsselskab|forsynings-selskab|vandværk|fjernvarmeselskab|\bforsyningen\b|vandforsyning\w*|"
    r"fjernvarmeproduktion\w*|fjernvarmeværk\w*|renseanlæg\w*|ledningstab\w*|spildevand\w*|udpumpede",
    re.I,
)

_BASELINE_LABEL = re.compile(
    r"(?:i\s+forhold\s+til|sammenlignet\s+med|målt\s+i\s+forhold\s+til|set\s+i\s+forhold\s+til)\s+"
    r"(potentialet|basisåret|basisår|det\s+nuværende\s+niveau|nuværende\s+niveau|dagens\s+niveau|niveauet\s+i\s+dag|"
    r"udgangspunktet|referenceåret|i\s+dag)",
    re.I,
)


@lru_cache(maxsize=65536)
def _is_head(word: str) -> bool:
    return _METRIC_HEAD.fullmatch(word) is not None


def metric(clause: str, anchor_start: int, anchor_end: int, link: str | None) -> str | None:
    """The text's own words for what the clause measures (a best effort, never raises)."""
    if link == "af":
        m = re.match(r"\s*(?:af|ud\s+af)\s+(.{3,120})", clause[anchor_end:], re.S)
        if m:
            phrase = _cut(m.group(1))
            if phrase:
                return phrase
    best: tuple[int, re.Match[str]] | None = None
    for m in _WORD.finditer(clause):
        if not _is_head(m.group(0)):
            continue
        if m.group(0).lower().startswith("procent") and m.start() > anchor_start:
            continue
        dist = abs(m.start() - anchor_start) if m.start() < anchor_start else m.start() - anchor_end
        if best is None or dist < best[0]:
            best = (dist, m)
    if best is None:
        return None
    m = best[1]
    start = m.start()
    # "udledningen af drivhusgasser", "andelen af elbiler": the head before "af" belongs to the metric
    of = re.search(
        r"([\wæøå₂-]*(?:udledning\w*|udslip\w*|mængde\w*|andel\w*|forbrug\w*|antal\w*)\s+af\s+)$",
        clause[:start],
        re.I,
    )
    if of:
        start = of.start(1)
    # take a preceding article/adjective run ("den biologiske mangfoldighed", "de kommunale bygninger")
    pre = re.search(
        r"((?:(?:den|det|de|al|alle|vores|kommunens|samlede|kommunale|biologiske|lokale|gennemsnitlige?)\s+){1,3})$",
        clause[:start],
        re.I,
    )
    if pre:
        start = pre.start()
    phrase = _cut(clause[start:])
    return phrase or None


def _cut(rest: str) -> str:
    stop = _METRIC_STOP.search(" " + rest)
    phrase = rest[: max(0, stop.start() - 1)] if stop else rest
    phrase = phrase.strip(" -–")
    return phrase[:120]


def sector(text: str, metric_text: str | None) -> str:
    """One of the DK2020 sectors; general emission targets are cross-cutting."""
    if _ORGANISATION_SECTOR.search(metric_text or "") or _ORGANISATION_SECTOR.search(text[:80]):
        return "organisation"
    if metric_text and _ENERGY_HEAD.search(metric_text.strip()):
        return "energi"
    for source in (metric_text or "", text):
        general = re.search(r"^(?:udledning\w*|udslip\w*|CO[2₂]-?\w*|drivhusgas\w*)\b", source.strip(), re.I)
        if general and source is metric_text and not re.search(r"\bfra\b|\bi\s+de\b", source):
            return "tværgående"
        for name, pattern in _SECTOR_RULES:
            if source and pattern.search(source):
                return name
    return "tværgående"


def scope(text: str, inherited: str | None) -> str:
    """Scope from the heading above, else from the wording (organisation/utility), else the area."""
    if inherited:
        return inherited
    if _UTILITY.search(text):
        return "utility"
    if _ORGANISATION.search(text):
        return "organisation"
    return "area"


def baseline_label(text: str) -> str | None:
    """A baseline named by a word instead of a year ("i forhold til potentialet")."""
    m = _BASELINE_LABEL.search(text)
    return re.sub(r"\s+", " ", m.group(1).lower()) if m else None
