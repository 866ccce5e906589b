"""A generated corpus of all 98 municipalities whose facts are known: what the comparison must find.

Stored the way ingestion and reviewers store things (documents, pages, machine targets, review rows
through ``db.reviews``), and described by :class:`Planted`, which the tests compare every figure of
the report with. Nothing here calls the comparison code: expectations come from what was planted.

Per municipality (by its position ``i`` in code order):
- a current adopted plan with the headline target (2030, none for every seventh; a 2035 one for
  some of those), a neutrality target (two of three), sector targets, a resource commitment (every
  fifth, in the water sector where it has no outcome target);
- a rejected 95 % target (i % 6 == 1) and a pending suggestion of 99 % (i % 6 == 2) that must not
  appear; an accepted suggestion in the nature sector (i % 6 == 3); the headline corrected by a
  reviewer (i % 6 == 4) or accepted (i % 6 == 5);
- the headline restated word for word in a council agenda (i % 5 == 1): one target, two sources;
- a draft with a different 2030 value (i % 9 == 2): the adopted value wins, the cell is flagged;
  the draft also has a higher value for the first sector target: the sector cell keeps the adopted
  strongest value and is flagged;
- an older version of the plan (i % 8 == 0), superseded, whose headline was lower (raised) or
  higher (i % 16 == 8, lowered) and which had a target the new one dropped;
- passages shared nearly word for word by groups of municipalities, and near-misses below the
  Jaccard threshold that must not be reported.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from db import reviews
from db.search import index_pages
from db.store import ensure_municipalities
from extractors.municipalities import all_municipalities
from models import Document, Page, Target

SECTOR_PHRASES = {
    "energi": "Udledningen fra el og varme",
    "transport": "Udledningen fra vejtransporten",
    "bygninger": "Energiforbruget i bygningerne",
    "affald": "Mængden af restaffald",
    "landbrug": "Udledningen fra landbruget",
    "natur": "Arealet med ny natur",
    "fødevarer": "Klimaaftrykket fra maden i kommunens køkkener",
}
NEUTRAL_WORDS = ("klimaneutral", "CO₂-neutral", "netto-nul-udledning", "klimaneutral")
NEUTRAL_TERM = ("klimaneutral", "CO₂-neutral", "netto-nul", "klimaneutral")
STRENGTH_VERB = {"binding": "skal", "intent": "vil", "aspiration": "ønsker at"}
FILLER = [
    "borgere",
    "virksomheder",
    "foreninger",
    "samarbejde",
    "lokale",
    "projekter",
    "grønne",
    "initiativer",
    "dialog",
    "handlinger",
    "kvarterer",
    "landsbyer",
    "skoler",
    "institutioner",
    "cykelstier",
    "solceller",
    "varmepumper",
    "skove",
    "søer",
    "enge",
    "kyster",
    "havne",
    "boliger",
    "erhverv",
    "landmænd",
    "partnerskaber",
    "netværk",
    "ungdom",
    "ældre",
    "fællesskaber",
    "indkøb",
    "innovation",
    "vandløb",
    "regnvand",
    "byrum",
    "stationer",
    "busser",
    "biler",
    "lastbiler",
    "jorder",
    "marker",
    "haver",
    "parker",
    "torve",
]
SHARED_TEXTS = (
    "Klimaforandringerne er en af de største udfordringer i vores tid og kræver at kommuner borgere og "
    "virksomheder arbejder sammen om at nedbringe udledningen af drivhusgasser og tilpasse byerne til mere regn",
    "Kommunen vil gå forrest ved at omstille sine egne bygninger og køretøjer og ved at stille krav om "
    "bæredygtighed når der købes ind så kommunens eget klimaaftryk falder år for år frem mod planens mål",
    "Omstillingen skal være retfærdig og skabe lokale arbejdspladser og bedre sundhed og den skal ske i tæt "
    "dialog med borgerne i både byerne og landdistrikterne så alle kan se sig selv i den grønne fremtid",
    "Fjernvarmen skal udbygges til nye områder og de sidste olie og naturgasfyr skal erstattes af varmepumper "
    "eller fjernvarme så opvarmningen af boliger og erhverv bliver fri for fossile brændsler inden længe",
    "Landbruget og kommunen vil i fællesskab undersøge hvordan lavbundsjorde kan udtages og vådlægges så "
    "udledningen fra dyrkede organiske jorde falder og ny natur kan opstå til gavn for biodiversiteten",
    "Der skal etableres flere sikre cykelstier og bedre kollektiv trafik så flere vælger cyklen og bussen i "
    "hverdagen og behovet for bilkørsel mindskes både i byen og mellem landsbyerne i hele kommunen",
)
#: (position of the group's first municipality, how many municipalities share it); well apart, no overlap
SHARED_GROUPS = ((3, 4), (20, 3), (35, 5), (50, 2), (65, 3), (80, 4))
NEAR_MISS_AT = (10, 30, 45, 70)
#: A metric (from a hostile document) that a spreadsheet would run as a formula, on one municipality's targets.
FORMULA_METRIC = '=HYPERLINK("http://example.invalid","klik")'
FORMULA_AT = 7


def shingles(text: str) -> set[str]:
    """The generator's own word 3-shingles (the planted similarity is computed here, not by the report)."""
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def similarity(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def vary(text: str, changes: int, rng: random.Random) -> str:
    """The text with ``changes`` words replaced, spread evenly over it."""
    words = text.split()
    step = max(len(words) // (changes + 1), 1)
    for k in range(1, changes + 1):
        position = min(k * step, len(words) - 1)
        words[position] = rng.choice(FILLER) + "e"
    return " ".join(words)


@dataclass
class Planted:
    codes: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    #: code -> (value, target year, baseline year) of the headline target, or absent
    headline: dict[int, tuple[float, int, int]] = field(default_factory=dict)
    headline_confirmed: set[int] = field(default_factory=set)
    #: code -> number of documents the headline is stated in
    headline_sources: dict[int, int] = field(default_factory=dict)
    #: code -> (value, year) of the headline alternatives
    alternatives: dict[int, set[tuple[float, int]]] = field(default_factory=dict)
    #: code -> the draft's disagreeing value
    flagged: dict[int, float] = field(default_factory=dict)
    #: code -> (sector, the draft's higher value for its first target): flagged, never the strongest
    sector_flagged: dict[int, tuple[str, float]] = field(default_factory=dict)
    neutrality: dict[int, int] = field(default_factory=dict)
    #: code -> sector -> strongest per cent
    sectors: dict[int, dict[str, float]] = field(default_factory=dict)
    #: code -> money committed (mio. kr. a year)
    resources: dict[int, float] = field(default_factory=dict)
    #: code -> number of outcome targets counted once
    outcome_targets: dict[int, int] = field(default_factory=dict)
    #: (code, fields) of every outcome target counted once (for the distributions)
    outcome_fields: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    #: code -> strength -> count of outcome targets
    strengths: dict[int, dict[str, int]] = field(default_factory=dict)
    vocabulary: dict[int, set[str]] = field(default_factory=dict)
    #: target ids that must never appear (rejected, pending suggestions, superseded versions)
    hidden_target_ids: set[int] = field(default_factory=set)
    #: sets of municipality codes sharing a passage
    shared: list[frozenset[int]] = field(default_factory=list)
    shared_similarity: list[float] = field(default_factory=list)
    near_miss_similarity: list[float] = field(default_factory=list)
    near_miss_pairs: list[frozenset[int]] = field(default_factory=list)
    #: code -> {(change, sector or None, target year, before, after)}
    changes: dict[int, set[tuple[str, str | None, int | None, float | None, float | None]]] = field(
        default_factory=dict
    )
    documents: int = 0


class _Builder:
    def __init__(self, session: Session, rng: random.Random) -> None:
        self.session = session
        self.rng = rng

    def filler(self, name: str, n: int = 30) -> str:
        words = [self.rng.choice(FILLER) for _ in range(n)]
        return f"I {name} Kommune arbejder vi med " + " ".join(words) + "."

    def document(self, code: int, title: str, kind: str, source: str, published: dt.date) -> Document:
        document = Document(
            sha256=f"{self.rng.getrandbits(256):064x}",
            source=source,
            source_key=source,
            title=title,
            kind=kind,
            media_type="application/pdf",
            municipality_code=code,
            published_on=published,
            status="extracted",
            page_count=0,
            size_bytes=1000,
            extractor_version="test",
        )
        self.session.add(document)
        self.session.flush()
        return document

    def pages(self, document: Document, texts: list[str]) -> list[Page]:
        offset, pages = 0, []
        for number, text in enumerate(texts, 1):
            page = Page(document_id=document.id, number=number, start_offset=offset, text=text)
            self.session.add(page)
            pages.append(page)
            offset += len(text) + 1
        document.page_count = len(texts)
        self.session.flush()
        index_pages(self.session, [(p.id, p.text) for p in pages])
        return pages

    def target(self, document: Document, pages: list[Page], quote: str, **fields: Any) -> Target:
        for page in pages:
            at = page.text.find(quote)
            if at >= 0:
                break
        else:
            raise AssertionError(f"quote not on any page: {quote}")
        values = {"band": "target", "kind": "outcome", "confidence": 0.9, "interim": False} | fields
        target = Target(
            document_id=document.id,
            origin="machine",
            page_number=page.number,
            start=page.start_offset + at,
            end=page.start_offset + at + len(quote),
            page_start=at,
            page_end=at + len(quote),
            rule_ids=["test"],
            extractor_version="test",
            quote=quote,
            status="pending",
            revision=0,
            **values,
        )
        self.session.add(target)
        self.session.flush()
        return target


def _headline_quote(name: str, value: float, year: int, baseline: int, verb: str) -> str:
    return f"Udledningen af drivhusgasser i {name} Kommune {verb} reduceres med {value:g} % i {year} i forhold til {baseline}."


def _headline_fields(value: float, baseline: int, strength: str) -> dict[str, Any]:
    """The fields of a ``_headline_quote`` target for 2030."""
    return {
        "value": value,
        "unit": "%",
        "direction": "reduce",
        "target_year": 2030,
        "baseline_year": baseline,
        "metric": "drivhusgasudledning",
        "scope": "area",
        "sector": "tværgående",
        "strength": strength,
        "deadline_kind": "in",
    }


def plant_corpus(sessions: sessionmaker[Session], seed: int = 12) -> Planted:
    municipalities = list(all_municipalities())
    planted = Planted()
    rng = random.Random(seed)
    shared_of: dict[int, list[str]] = {}
    for g, (first, size) in enumerate(SHARED_GROUPS):
        members = [municipalities[first + k].code for k in range(size)]
        planted.shared.append(frozenset(members))
        for k, code in enumerate(members):
            text = SHARED_TEXTS[g] if k % 2 == 0 else vary(SHARED_TEXTS[g], 1, rng)
            planted.shared_similarity.append(similarity(SHARED_TEXTS[g], text))
            shared_of.setdefault(code, []).append(text)
    for n, at in enumerate(NEAR_MISS_AT):
        # words in reverse order share no 3-shingle with the shared texts; three words changed in about 66
        # leave a Jaccard similarity near 0.75, just below the threshold
        base = " ".join(reversed((SHARED_TEXTS[n] + " " + SHARED_TEXTS[n + 1]).split()))
        a, b = municipalities[at].code, municipalities[at + 1].code
        other = vary(base, 3, rng)
        planted.near_miss_similarity.append(similarity(base, other))
        planted.near_miss_pairs.append(frozenset((a, b)))
        shared_of.setdefault(a, []).append(base)
        shared_of.setdefault(b, []).append(other)
    with sessions.begin() as session:
        ensure_municipalities(session, [(m.code, m.name, m.region) for m in municipalities])
        b = _Builder(session, rng)
        for i, m in enumerate(municipalities):
            _plant_municipality(b, planted, i, m.code, m.name, shared_of.get(m.code, []))
        planted.documents = session.query(Document).count()
    _plant_reviews(sessions, planted)
    return planted


def _plant_municipality(
    b: _Builder, planted: Planted, i: int, code: int, name: str, shared: list[str]
) -> None:
    planted.codes.append(code)
    planted.names[code] = name
    host = f"https://www.kommune{code}.dk"
    strengths = ("binding", "intent", "aspiration")
    strength = strengths[i % 3]
    verb = STRENGTH_VERB[strength]
    counts = {s: 0 for s in strengths}
    outcome = 0
    value = float(40 + (i * 7) % 45)
    baseline = (1990, 2005, 2009, 2010)[i % 4]
    has_headline = i % 7 != 0
    quotes: list[tuple[str, dict[str, Any], str]] = []  # (quote, fields, role)

    def add(quote: str, role: str, **fields: Any) -> None:
        quotes.append((quote, fields, role))

    vocabulary: set[str] = set()
    if has_headline:
        machine_value = value + 3 if i % 6 == 4 else value
        add(
            _headline_quote(name, machine_value, 2030, baseline, verb),
            "headline",
            **_headline_fields(machine_value, baseline, strength),
        )
        planted.headline[code] = (value, 2030, baseline)
        planted.alternatives[code] = set()
        if i % 4 == 0:
            add(
                f"Allerede i 2025 {verb} udledningen være {value - 20:g} % lavere end i {baseline}.",
                "alternative",
                value=value - 20,
                unit="%",
                direction="reduce",
                target_year=2025,
                baseline_year=baseline,
                metric="CO₂-udledning",
                scope="area",
                strength=strength,
            )
            planted.alternatives[code].add((value - 20, 2025))
        counts[strength] += 1 + (i % 4 == 0)
        outcome += 1 + (i % 4 == 0)
    elif i % 14 == 0:
        add(
            f"Udledningen {verb} i {2035} være {value:g} % lavere end i {baseline}.",
            "headline",
            value=value,
            unit="%",
            direction="reduce",
            target_year=2035,
            baseline_year=baseline,
            metric="udledning",
            scope="area",
            strength=strength,
        )
        planted.headline[code] = (value, 2035, baseline)
        planted.alternatives[code] = set()
        counts[strength] += 1
        outcome += 1
    if i % 3 != 2:
        year = 2035 + 5 * (i % 4)
        word = NEUTRAL_WORDS[i % 4]
        add(
            f"{name} Kommune {verb} være {word} som geografisk område senest i {year}.",
            "neutral",
            direction="neutral",
            target_year=year,
            scope="area",
            strength=strength,
            deadline_kind="by",
            metric=word,
        )
        planted.neutrality[code] = year
        vocabulary.add(NEUTRAL_TERM[i % 4])
        counts[strength] += 1
        outcome += 1
    sectors: dict[str, float] = {}
    chosen = [s for k, s in enumerate(SECTOR_PHRASES) if (i + k) % 3 == 0 and s != "natur"]
    first_values: dict[str, float] = {}
    for k, sector in enumerate(chosen):
        first = float(20 + (i + 5 * k) % 50)
        first_values[sector] = first
        add(
            f"{SECTOR_PHRASES[sector]} {verb} falde med {first:g} % inden 2030.",
            "sector",
            value=first,
            unit="%",
            direction="reduce",
            target_year=2030,
            sector=sector,
            scope="organisation" if k % 2 else "area",
            strength=strength,
            metric=FORMULA_METRIC if i == FORMULA_AT else sector,
        )
        sectors[sector] = first
        counts[strength] += 1
        outcome += 1
        if k == 0:
            second = first + 10
            add(
                f"{SECTOR_PHRASES[sector]} {verb} være {second:g} % mindre i 2035.",
                "sector",
                value=second,
                unit="%",
                direction="reduce",
                target_year=2035,
                sector=sector,
                scope="area",
                strength=strength,
                metric=sector,
            )
            sectors[sector] = second
            counts[strength] += 1
            outcome += 1
    if i % 4 == 3:
        add(
            f"Busserne i {name} {verb} være fossilfri i 2030.",
            "phase_out",
            direction="phase_out",
            target_year=2030,
            sector="transport",
            scope="area",
            strength=strength,
            metric="busser",
        )
        vocabulary.add("fossilfri")
        sectors.setdefault("transport", -1.0)
        counts[strength] += 1
        outcome += 1
    if i % 5 == 0:
        money = float(5 + i % 20)
        add(
            f"Der afsættes minimum {money:g} mio. kr. årligt til klimaindsatsen i {name}.",
            "resource",
            kind="resource",
            value=money,
            unit="mio. kr.",
            direction="reach",
            bound="at_least",
            rate="per_year",
            sector="vand",
            strength=strength,
            metric="budget",
        )
        planted.resources[code] = money
    if has_headline:
        sectors["tværgående"] = value  # the 2030 headline was planted in the cross-cutting sector
    planted.sectors[code] = {s: v for s, v in sectors.items()}
    planted.vocabulary[code] = vocabulary

    plan = b.document(
        code,
        f"Klimaplan 2024 for {name} Kommune",
        "plan",
        f"{host}/klimaplan-2024.pdf",
        dt.date(2024, 1 + i % 12, 1 + i % 28),
    )
    own_quotes = [q for q, _, _ in quotes]
    pages = b.pages(
        plan,
        [
            "\n\n".join([b.filler(name), *own_quotes[: len(own_quotes) // 2]]),
            "\n\n".join([b.filler(name), *own_quotes[len(own_quotes) // 2 :], b.filler(name)]),
            "\n\n".join([b.filler(name), *shared, b.filler(name)]),
        ],
    )
    made: dict[str, Target] = {}
    for quote, fields, role in quotes:
        made.setdefault(role, b.target(plan, pages, quote, **fields))
    planted.__dict__.setdefault("_made", {})[code] = made

    # a rejected target and a pending suggestion: stored, never shown
    if i % 6 in (1, 2):
        extra = f"Udledningen i {name} {'skal' if i % 6 == 1 else 'kan'} falde med {95 if i % 6 == 1 else 99} % i 2030."
        page = b.pages(
            b.document(
                code, f"Notat om klima i {name}", "strategy", f"{host}/notat.pdf", dt.date(2024, 2, 1)
            ),
            [b.filler(name) + "\n\n" + extra],
        )
        hidden = b.target(
            page[0].document,
            page,
            extra,
            value=95.0 if i % 6 == 1 else 99.0,
            unit="%",
            direction="reduce",
            target_year=2030,
            scope="area",
            metric="udledning",
            band="target" if i % 6 == 1 else "suggestion",
            strength="binding",
        )
        planted.hidden_target_ids.add(hidden.id)
        made["hidden"] = hidden
    if i % 6 == 3:
        quote = f"Arealet med ny natur i {name} {verb} øges med 33 % i 2030."
        page = b.pages(
            b.document(
                code, f"Naturpolitik for {name}", "strategy", f"{host}/natur.pdf", dt.date(2023, 5, 1)
            ),
            [b.filler(name) + "\n\n" + quote],
        )
        made["suggestion"] = b.target(
            page[0].document,
            page,
            quote,
            value=33.0,
            unit="%",
            direction="increase",
            target_year=2030,
            sector="natur",
            scope="area",
            band="suggestion",
            strength=strength,
            metric="naturareal",
        )
        planted.sectors[code]["natur"] = 33.0
        planted.outcome_fields.append((code, {"target_year": 2030, "sector": "natur", "scope": "area"}))
        counts[strength] += 1
        outcome += 1
    planted.headline_sources[code] = 1 if code in planted.headline else 0
    if i % 5 == 1 and has_headline:
        headline_quote, fields, _ = quotes[0]
        agenda = b.document(
            code,
            f"Byrådsmøde 12. marts 2024, {name}",
            "agenda",
            f"{host}/dagsorden/2024-03-12",
            dt.date(2024, 3, 12),
        )
        page = b.pages(agenda, [b.filler(name) + "\n\n" + headline_quote])
        made["restated"] = b.target(agenda, page, headline_quote, **fields)
        planted.headline_sources[code] = 2
    if i % 9 == 2 and has_headline:
        draft_value = value + 5
        quote = f"Målet er at {name} Kommune i 2030 har nedbragt udledningen med {draft_value:g} % i forhold til {baseline}."
        draft = b.document(
            code,
            f"Udkast til klimaplan 2024 for {name} Kommune",
            "plan",
            f"{host}/udkast.pdf",
            dt.date(2023, 9, 1),
        )
        sector_quote = ""
        if chosen:  # the draft also had a higher value for the first sector target, which must not show
            sector, sector_value = chosen[0], first_values[chosen[0]] + 25
            sector_quote = f"{SECTOR_PHRASES[sector]} skal falde med {sector_value:g} % inden 2030."
        page = b.pages(
            draft, [b.filler(name) + "\n\n" + quote + ("\n\n" + sector_quote if sector_quote else "")]
        )
        if sector_quote:
            b.target(
                draft,
                page,
                sector_quote,
                value=sector_value,
                unit="%",
                direction="reduce",
                target_year=2030,
                sector=sector,
                scope="area",
                strength="intent",
                metric=sector,
            )
            planted.sector_flagged[code] = (sector, sector_value)
            planted.outcome_fields.append((code, {"target_year": 2030, "sector": sector, "scope": "area"}))
            counts["intent"] += 1
            outcome += 1
        b.target(
            draft,
            page,
            quote,
            value=draft_value,
            unit="%",
            direction="reduce",
            target_year=2030,
            baseline_year=baseline,
            metric="udledning",
            scope="area",
            strength="intent",
        )
        planted.flagged[code] = draft_value
        planted.outcome_fields.append(
            (code, {"target_year": 2030, "baseline_year": baseline, "scope": "area"})
        )
        counts["intent"] += 1
        outcome += 1
    if i % 8 == 0 and has_headline:
        old_value = value + 5 if i % 16 == 8 else value - 10
        old = b.document(
            code,
            f"Klimaplan 2024 for {name} Kommune",
            "plan",
            f"{host}/klimaplan-2024.pdf",
            dt.date(2021, 6, 1),
        )
        old_headline = _headline_quote(name, old_value, 2030, baseline, verb)
        dropped = f"Udledningen fra landbruget {verb} falde med 15 % inden 2029."
        old_pages = b.pages(old, [b.filler(name) + "\n\n" + old_headline + "\n\n" + dropped])
        h = b.target(old, old_pages, old_headline, **_headline_fields(old_value, baseline, strength))
        d = b.target(
            old,
            old_pages,
            dropped,
            value=15.0,
            unit="%",
            direction="reduce",
            target_year=2029,
            sector="landbrug",
            scope="area",
            strength=strength,
            metric="landbrug",
        )
        planted.hidden_target_ids.update((h.id, d.id))
        old.superseded_at = dt.datetime(2024, 1, 1)
        old.superseded_by_id = plan.id
        plan.previous_id = old.id
        change = "lowered" if old_value > value else "raised"
        expected = {(change, "tværgående", 2030, old_value, value), ("dropped", "landbrug", 2029, 15.0, None)}
        headline_key = ("reduce", "%", "tværgående", "area", 2030)
        for _quote, fields, role in quotes:
            key = (
                fields.get("direction"),
                fields.get("unit"),
                fields.get("sector"),
                fields.get("scope"),
                fields.get("target_year"),
            )
            if role == "headline" and key == headline_key:
                continue
            expected.add(
                ("added", fields.get("sector"), fields.get("target_year"), None, fields.get("value"))
            )
        planted.changes[code] = expected
    planted.outcome_targets[code] = outcome
    planted.outcome_fields.extend((code, fields) for _, fields, role in quotes if role != "resource")
    planted.strengths[code] = counts


def _plant_reviews(sessions: sessionmaker[Session], planted: Planted) -> None:
    made_all: dict[int, dict[str, Target]] = planted.__dict__.pop("_made")
    for i, code in enumerate(planted.codes):
        made = made_all[code]
        with sessions.begin() as session:
            if "hidden" in made and i % 6 == 1:
                reviews.reject(session, made["hidden"].id, "rita", 0, "ikke kommunens mål")
            if "suggestion" in made:
                reviews.accept(session, made["suggestion"].id, "rita", 0)
            if "headline" in made and i % 6 == 4:
                value = planted.headline[code][0]
                reviews.edit(session, made["headline"].id, "rita", 0, {"value": value})
                planted.headline_confirmed.add(code)
            if "headline" in made and i % 6 == 5:
                reviews.accept(session, made["headline"].id, "rita", 0)
                planted.headline_confirmed.add(code)
