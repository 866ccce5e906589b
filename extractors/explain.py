"""Feature names as a reviewer reads them: "NEG_STAT@phrase" -> "statistik-ord (i alt, står for …) ved tallet".

The scorer's evidence is named for the code (``extractors.evidence``): a label and where it stands,
a family, a ``name=value`` group, a conjunction ``a&b`` or an exclusion ``a&!b``. The review page's
"Hvorfor fundet" shows each with its weight; this module says in Danish what each means, built from
the parts, so a feature added to the model reads sensibly without a sentence of its own. A test
holds every feature of the stored weights to a description (``tests/test_explain.py``).
"""

from __future__ import annotations

from functools import lru_cache

#: Cue and evidence labels (``patterns/cues.jsonl``, ``patterns/evidence.jsonl``).
LABELS = {
    "ADOPT": "tilslutning til et mål (tilslutter sig, lever op til)",
    "ALL": "alle eller hele (en andel på 100 %)",
    "EARLY": "en tidlig frist (allerede i ÅÅÅÅ)",
    "END_NEUTRAL": "klimaneutral, CO₂-neutral eller netto-nul",
    "END_PHASE_OUT": "fossilfri eller udfasning",
    "FOSSIL": "et fossilt brændsel (olie, gas, kul)",
    "MEET": "at nå eller opfylde et mål eller krav",
    "PHASE_VERB": "et verbum for at afvikle (stoppe, erstatte)",
    "PLAN_OF": "en plan for noget (plan for udfasning)",
    "STATE": "en tilstand (på el, elbiler, fjernvarme)",
    "VOID": "en ledsætning der gør et krav-ord ugyldigt (der skal)",
    "ADOPTED_PAST": "en vedtagelse (vedtog, godkendte, besluttede)",
    "APPROX": "et omtrentligt tal (ca., cirka, omkring)",
    "ASPIRATION": "en ambition (ønsker, stræber efter)",
    "BINDING": "et krav-ord (skal, må)",
    "COMP_LESS": "en sammenligning nedad (mindre, færre)",
    "COMP_MORE": "en sammenligning opad (mere, flere)",
    "DIR_INCREASE": "et verbum for at øge",
    "DIR_MAINTAIN": "et verbum for at fastholde",
    "DIR_REDUCE": "et verbum for at reducere",
    "FRAME_ADOPTED": "ord om noget vedtaget",
    "FRAME_DRAFT": "ord om et udkast eller en høring",
    "FRAME_LAW": "ord om lov, krav eller regler",
    "FRAME_PROJECTION": "ord om en prognose eller beregning",
    "FRAME_STATUS": "ord om status eller opfølgning",
    "GOAL": "et mål-ord (mål, målsætning, ambition)",
    "GOAL_OF": "et mål-ord med indhold (målet om, målsætningen er)",
    "GOAL_OWN": "kommunens eget mål (vores mål, kommunens målsætning)",
    "INTENT": "en hensigt (vil)",
    "MILESTONE": "et delskridt (gøre, bringe, nå et trin)",
    "MUNI": "kommunen eller byrådet nævnt",
    "NEG_ACHIEVED": "noget allerede nået (allerede, hidtil, siden)",
    "NEG_DONE": "et mål nået eller forældet",
    "NEG_HYPO": "en hypotese eller mulighed (hvis, kunne, kan reduceres)",
    "NEG_OTHER": "en anden aktør (staten, EU, Danmark, regionen)",
    "NEG_OTHER_STRONG": "en anden aktørs eget mål",
    "NEG_PAST": "datid eller noget gjort (var, blev, har udtaget)",
    "NEG_PROJECTION": "en prognose eller virkning (forventes, vil medføre)",
    "NEG_PROPOSAL": "et forslag (foreslår, forslag om)",
    "NEG_STAT": "statistik (i alt, står for, i dag)",
    "NEG_TIP": "et råd til borgere",
    "ORIENT": "en retning mod noget (mod, på vej mod)",
    "PLAN_CONTENT": "hvad en plan skal (en plan, der skal)",
    "PLAN_PASSIVE": "en plan i passiv (skal reduceres, skal udfases)",
    "PURPOSE": "et formål (for at)",
    "RESTATE": "en omregning af et tal (svarer til)",
    "SUBJ_IMPERSONAL": "et upersonligt subjekt (det, man, planen)",
    "SUBJ_OTHER": "en anden aktør som subjekt",
    "SUBJ_OWN": "kommunen eller vi som subjekt",
    "SUBJ_UTILITY": "forsyningen som subjekt",
    "TOPIC_AGRI": "landbrug",
    "TOPIC_BUILDING": "bygninger",
    "TOPIC_CLIMATE": "klima og CO₂",
    "TOPIC_ENERGY": "energi og varme",
    "TOPIC_FEE": "takster og gebyrer",
    "TOPIC_FOOD": "mad og økologi",
    "TOPIC_LOAN": "lån og renter",
    "TOPIC_MONEY": "budget og bevillinger",
    "TOPIC_NATURE": "natur og skov",
    "TOPIC_PLANNING": "lokalplan og byggeri",
    "TOPIC_SOCIAL": "social- og sundhedsområdet",
    "TOPIC_SPEED": "hastighed og trafikregler",
    "TOPIC_STAFF": "personale og sygefravær",
    "TOPIC_TRANSPORT": "transport",
    "TOPIC_WASTE": "affald",
    "TOPIC_WATER": "vand og klimatilpasning",
}
#: Where a label stands relative to the anchor (the figure or end state), or which heading holds it.
SCOPES = {
    "phrase": "ved tallet",
    "clause": "i samme led",
    "sentence": "i sætningen",
    "title": "i punktets titel",
    "heading": "i overskriften",
    "near": "i samme led",
    "around": "i sætningen eller overskriften",
    "deadline": "",
}
#: The families of labels (``evidence.FAMILIES``) and the deadline's.
FAMILIES = {
    "commit": "et tilsagn (skal, vil, ønsker)",
    "goal": "et mål-ord",
    "green": "et klima-, energi- eller miljøemne",
    "money": "penge (budget, takster, lån)",
    "other_topic": "et andet emne end klima og miljø",
    "negative": "tegn på status, prognose eller forslag",
    "other_body": "en anden aktør (stat, EU, lov)",
    "own": "kommunen selv",
    "future": "en frist i fremtiden",
}
#: ``name=value`` groups: the name's words, then each value's.
GROUPS = {
    "anchor": (
        "forankret i",
        {
            "qty": "et tal",
            "count": "et antal",
            "share": "en andel (alle, hele)",
            "end": "en sluttilstand (klimaneutral, fossilfri)",
        },
    ),
    "end": ("sluttilstanden er", {"neutral": "klimaneutral", "phase_out": "en udfasning"}),
    "unit": (
        "enheden er",
        {
            "pct": "procent",
            "kr": "kroner",
            "tons": "tons CO₂",
            "energy": "energi (MWh, GWh)",
            "count": "et antal",
            "area": "areal",
            "length": "længde",
            "none": "ingen",
            "other": "en anden",
        },
    ),
    "qty.kind": (
        "tallet er",
        {
            "number": "skrevet med cifre",
            "word": "skrevet med ord",
            "fraction": "en brøk",
            "verb": "et verbum (halvere, fordoble)",
            "share": "en andel",
            "bare": "uden enhed",
        },
    ),
    "qty.link": (
        "tallet står",
        {
            "med": "efter 'med'",
            "til": "efter 'til'",
            "af": "før 'af'",
            "less": "som en reduktion",
            "more": "som en stigning",
            "copula": "efter 'er/være'",
            "none": "uden forbindelsesord",
        },
    ),
    "deadline": (
        "fristen",
        {
            "in": "'i ÅÅÅÅ'",
            "by": "'senest/inden ÅÅÅÅ'",
            "period_end": "slutningen af en periode",
            "context": "årstallet fra overskriften",
            "none": "mangler",
        },
    ),
    "deadline.year": ("fristen ligger i", {}),
    "subject": (
        "sætningens subjekt er",
        {
            "own": "kommunen eller vi",
            "other": "en anden aktør",
            "impersonal": "upersonligt (det, man)",
            "thing": "en ting (udledningen)",
            "none": "ikke fundet (et brudstykke)",
        },
    ),
    "kind": (
        "tekststykket er",
        {
            "sentence": "en sætning",
            "item": "et punkt i en liste",
            "item_cont": "fortsættelsen af et punkt",
            "row": "en tabelrække",
            "heading": "en overskrift",
            "header": "en listeoverskrift",
        },
    ),
    "doc": ("dokumentet er", {"agenda": "en dagsorden eller et referat"}),
}
#: Features of their own (no label, scope or group).
SINGLE = {
    "baseline.year": "et basisår (i forhold til ÅÅÅÅ)",
    "year.period": "en periode (2024-2026)",
    "year.start": "et startår (fra ÅÅÅÅ)",
    "year.past_mentioned": "et tidligere år nævnt",
    "opens_with_year": "sætningen begynder med årstallet",
    "deadline.across_clause": "fristen står i et andet led",
    "trajectory": "flere fremtidige år med hvert sit tal",
    "clauses.several": "sætningen har flere led med tal",
    "clause.fragment": "et led uden eget verbum (fortsætter det forrige)",
    "clause.long": "et langt led",
    "qty.bound": "en grænse (mindst, højst)",
    "qty.rate": "en rate (om året)",
    "ctx.target_list": "under en liste af mål",
    "ctx.interim": "under en overskrift om delmål",
    "ctx.in_list": "i en liste",
    "ctx.scope": "overskriften angiver omfang (som virksomhed, geografisk)",
    "previous.goal_with_year": "sætningen før satte et mål med årstal",
    "next.adopts": "en senere sætning gør kravet til kommunens eget",
    "commit.expectation_only": "tilsagnet er kun en forventning",
    "commit.maa_without_year": "'må' uden årstal",
    "muni.before_anchor": "kommunen står lige før tallet",
    "dir.present_tense": "verbet er i nutid (reducerer)",
    "milestone.before_anchor": "et delskridt står før tallet",
    "goal.names_anchor": "tallet er indholdet af et navngivet mål (målet om …)",
    "unit.negative&!commit": "sætningen har tegn på status eller prognose og intet tilsagn",
    "unit.other_body&!own": "sætningen nævner en anden aktør og ikke kommunen",
    "unit.money&!green": "sætningen handler om penge og ikke om klima",
    "unit.other_topic&!green": "sætningen handler om et andet emne end klima",
    "unit.past_years_only": "sætningen nævner kun tidligere år",
    "unit.!commit&!goal": "sætningen har hverken tilsagn eller mål-ord",
}
_ANCHOR_FLAGS = {
    "in_relative_clause": "tallet står i en ledsætning (der har …)",
    "referenced": "tallet omtales som kendt (de 2 %)",
    "oriented": "sluttilstanden er en retning (mod klimaneutralitet)",
    "plan_of": "sluttilstanden er en plans navn (plan for udfasning)",
}


@lru_cache(maxsize=2048)
def describe(feature: str) -> str:
    """The feature in Danish, or the name itself when no part of it is known."""
    if feature in SINGLE:
        return SINGLE[feature]
    if "&!" in feature:
        left, right = feature.split("&!", 1)
        return f"{describe(left)}, uden {describe(right)}"
    if "&" in feature:
        left, right = feature.split("&", 1)
        return f"{describe(left)} og {describe(right)}"
    if feature.startswith("anchor.") and feature[7:] in _ANCHOR_FLAGS:
        return _ANCHOR_FLAGS[feature[7:]]
    if "@" in feature:
        label, scope = feature.split("@", 1)
        what = LABELS.get(label) or FAMILIES.get(label)
        if what is None or scope not in SCOPES:
            return feature
        return f"{what} {SCOPES[scope]}".strip()
    if "=" in feature:
        name, value = feature.split("=", 1)
        if name not in GROUPS:
            return feature
        words, values = GROUPS[name]
        value, _, where = value.partition(".")
        said = values.get(value, value if name == "deadline.year" else None)
        if said is None:
            return feature
        if where == "shared":
            said += " (delt med et andet led)"
        return f"{words} {said}"
    return feature
