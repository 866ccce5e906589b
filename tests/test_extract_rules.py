"""Target extraction on single passages: the Danish plan language of domain.md, one rule at a time.

Written from shared/docs/domain.md and the issue, not from the gold files, so
they check that each phrasing is understood on its own.
"""

from __future__ import annotations

import pytest

from extractors import extract_targets, extractor_version
from extractors.pipeline import collect_candidates
from tests.candidate_features import features_of

# text, then the single expected target: value, unit, direction, bound, target_year, deadline_kind, baseline_year
SINGLE = [
    (
        "Udledningen af drivhusgasser skal nedbringes med 70 % inden 2030 i forhold til 1990.",
        70.0,
        "%",
        "reduce",
        None,
        2030,
        "by",
        1990,
    ),
    ("CO2-udledningen skal falde med 50 procent frem mod 2030.", 50.0, "%", "reduce", None, 2030, "by", None),
    (
        "Målet er at reducere CO2e-udledningen med 80 pct. i 2035 sammenlignet med 2008.",
        80.0,
        "%",
        "reduce",
        None,
        2035,
        "in",
        2008,
    ),
    ("Vi vil være klimaneutrale senest i 2045.", None, None, "neutral", None, 2045, "by", None),
    (
        "Ambitionen er, at kommunen som geografisk område er netto-nul i 2050.",
        None,
        None,
        "neutral",
        None,
        2050,
        "in",
        None,
    ),
    (
        "Andelen af elbiler i den kommunale flåde skal være mindst 60 % i 2027.",
        60.0,
        "%",
        "reach",
        "at_least",
        2027,
        "in",
        None,
    ),
    (
        "Vedvarende energi skal udgøre halvdelen af energiforbruget i 2030.",
        50.0,
        "%",
        "reach",
        None,
        2030,
        "in",
        None,
    ),
    (
        "Kommunens 2030-mål er en reduktion på 70 % fra 1990-niveau.",
        70.0,
        "%",
        "reduce",
        None,
        2030,
        "in",
        1990,
    ),
    (
        "Vi vil halvere madspildet i kommunens køkkener inden 2030.",
        50.0,
        "%",
        "reduce",
        None,
        2030,
        "by",
        None,
    ),
    (
        "Kommunen vil fordoble antallet af ladestandere inden 2026.",
        100.0,
        "%",
        "increase",
        None,
        2026,
        "by",
        None,
    ),
    (
        "Tre fjerdedele af alle ture skal foregå til fods eller på cykel i 2035.",
        75.0,
        "%",
        "reach",
        None,
        2035,
        "in",
        None,
    ),
    (
        "En tredjedel af landbrugsarealet skal være økologisk i 2030.",
        33.33,
        "%",
        "reach",
        None,
        2030,
        "in",
        None,
    ),
    ("Udledningen skal reduceres med femogtyve procent i 2030.", 25.0, "%", "reduce", None, 2030, "in", None),
    (
        "Senest i 2030 skal udledningen være reduceret med over12% i forhold til 2019.",
        12.0,
        "%",
        "reduce",
        "at_least",
        2030,
        "by",
        2019,
    ),
    (
        "Den samlede udledning skal nedbringes til 150.000 ton CO₂e i 2030.",
        150000.0,
        "tons",
        "reach",
        None,
        2030,
        "in",
        None,
    ),
    ("Skovarealet skal øges med 500 ha inden 2040.", 500.0, "ha", "increase", None, 2040, "by", None),
    (
        "Olie- og gasfyr skal være udfaset i hele kommunen inden 2030.",
        None,
        None,
        "phase_out",
        None,
        2030,
        "by",
        None,
    ),
    ("Den kommunale økologiprocent fastholdes på 75.", 75.0, "%", "maintain", None, None, None, None),
    (
        "I 2030 er mindst 50 % af biltransporten baseret på alternative drivmidler.",
        50.0,
        "%",
        "reach",
        "at_least",
        2030,
        "in",
        None,
    ),
    ("Mål:\n\n- Et ledningstab på maksimalt 5 % i 2026.", 5.0, "%", "reach", "at_most", 2026, "in", None),
    # a negated bound word is the opposite bound: "ikke over" is at most, "ikke under" at least
    ("Udledningen må ikke over 50 ton CO2 i 2030.", 50.0, "tons", "reach", "at_most", 2030, "in", None),
    ("Forbruget skal i 2030 være ikke mere end 40 GWh.", 40.0, "GWh", "reach", "at_most", 2030, "in", None),
    ("Andelen skal i 2030 være ikke under 60 %.", 60.0, "%", "reach", "at_least", 2030, "in", None),
    ("I 2030 skal udledningen være 60 % lavere end i 2019.", 60.0, "%", "reduce", None, 2030, "in", 2019),
    (
        "Målet er, at cykelandelen skal stige fra 24 % i dag til 30 % i 2030.",
        30.0,
        "%",
        "reach",
        None,
        2030,
        "in",
        None,
    ),
    (
        "Klimaplanens mål er at reducere C02-udledningen med 75 % i2030 målt i forhold til 1990.",
        75.0,
        "%",
        "reduce",
        None,
        2030,
        "in",
        1990,
    ),
    (
        "Udledningen skal i 2030 være reduceret med 70 % af det, den var i 1990.",
        70.0,
        "%",
        "reduce",
        None,
        2030,
        "in",
        1990,
    ),
    (
        "Elforbruget skal sænkes med 2.500 MWh inden udgangen af 2027.",
        2500.0,
        "MWh",
        "reduce",
        None,
        2027,
        "by",
        None,
    ),
    ("Vi vil plante 100.000 træer frem mod 2030.", 100000.0, "count", "reach", None, 2030, "by", None),
    (
        "Vandforbruget må højst være 90 liter pr. døgn pr. indbygger i 2030.",
        90.0,
        "liter/døgn",
        "reach",
        "at_most",
        2030,
        "in",
        None,
    ),
    (
        "Der skal ske en reduktion af udledningen på mindst 50 % i 2030.",
        50.0,
        "%",
        "reduce",
        "at_least",
        2030,
        "in",
        None,
    ),
    (
        "Kommunen vil arbejde for, at 2/3 af alle ture i 2030 sker på cykel.",
        66.67,
        "%",
        "reach",
        None,
        2030,
        "in",
        None,
    ),
    (
        "Vi vil bringe udledningen ned på 3 ton pr. borger i 2035.",
        3.0,
        "tons/borger",
        "reach",
        None,
        2035,
        "in",
        None,
    ),
    (
        "Kommunen vil ikke længere bruge fossile brændsler i egne bygninger fra 2027.",
        None,
        None,
        "phase_out",
        None,
        None,  # a start year is no target year (annotation guide); it is the start_year
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    "text,value,unit,direction,bound,year,deadline,baseline", SINGLE, ids=[s[0][:40] for s in SINGLE]
)
def test_single_target(text, value, unit, direction, bound, year, deadline, baseline) -> None:
    targets = extract_targets(text)
    assert len(targets) == 1, targets
    t = targets[0]
    assert (t.value is None) == (value is None) and (value is None or abs(t.value - value) <= 0.05), t
    assert (t.unit, t.direction, t.bound) == (unit, direction, bound), t
    assert (t.target_year, t.deadline_kind, t.baseline_year) == (year, deadline, baseline), t
    assert text[t.start : t.end] == t.quote


NEGATIVE = [
    "I 2022 var udledningen 400.000 ton CO2e.",
    "Udledningen er faldet med 30 % siden 1990.",
    "Danmark skal reducere udledningen med 70 % i 2030 i forhold til 1990.",
    "Tiltagene forventes at reducere udledningen med 20.000 ton CO2 om året.",
    "Du kan spare op til 20 % på varmeregningen ved at skrue ned.",
    "Transport står for 35 % af udledningen i kommunen.",
    "Klimaplanen gælder for perioden 2021-2030.",
    "Kommunen vil arbejde for at mindske CO2-udledningen fra landbruget.",
    "Projektet er støttet af EU og foregår fra 2023 til 2026.",
    "I 2012 indgik de seks kommuner en ny samarbejdsaftale.",
    "I dag består netværket af 83 byer.",
    "Senest i 2025 skal der udarbejdes en varmeplan for hele kommunen.",
    "Hvis alle oliefyr blev udskiftet, ville udledningen falde med ca. 41.000 ton om året.",
    "EU har en målsætning om at være klimaneutral i 2050.",
    "Ring på 70 20 30 40 eller skriv til klima@kommune.dk.",
    "CO₂ udledningen skal nedbringes.",
    "Et medlem af byrådet foreslår, at kommunen halverer udledningen inden 2030.",
    "Da transporten står for 35 % af udledningen, skal vi sætte ind her.",
    "Siden 1990 er udledningen faldet med 38 %, men vi skal længere.",
    "Over 90 % af kommunens borgere bor i byer, og det skal vi udnytte.",
    "I 2050 skal Danmark være klimaneutralt, og det bidrager kommunen til.",
    "Klimarådet anbefaler en reduktion på 80 % i 2035.",
    "Projektet har et samlet budget på 12 mio. kr. og løber frem til 2027.",
]


@pytest.mark.parametrize("text", NEGATIVE, ids=[s[:40] for s in NEGATIVE])
def test_not_a_target(text: str) -> None:
    assert extract_targets(text) == []


def test_goal_list_lines_and_nominal_headings() -> None:
    text = "Klimamål\n2025: 50 % reduktion\n2030: 70 % reduktion\n2050: netto-nul"
    found = [(t.value, t.direction, t.target_year) for t in extract_targets(text)]
    assert found == [(50.0, "reduce", 2025), (70.0, "reduce", 2030), (None, "neutral", 2050)]
    (t,) = extract_targets("Reduktion i drivhusgasudledning på 70 pct. i 2030 ift. 1990")
    assert (t.value, t.direction, t.target_year, t.baseline_year) == (70.0, "reduce", 2030, 1990)


def test_two_targets_in_one_sentence_share_year_and_keep_own_baseline() -> None:
    text = "Udledningen skal sænkes med 60 % i 2030 i forhold til 1990, og senest i 2040 skal kommunen være klimaneutral."
    a, b = extract_targets(text)
    assert (a.value, a.target_year, a.baseline_year) == (60.0, 2030, 1990)
    assert (b.direction, b.target_year, b.deadline_kind, b.baseline_year) == ("neutral", 2040, "by", None)
    assert a.end <= b.start


def test_the_same_period_is_the_year_and_baseline_of_the_clause_before() -> None:
    text = (
        "Udledningen skal være reduceret med 60 % i 2030 sammenlignet med 2018, "
        "og landbrugets udledning skal ned med mindst 35 % i samme periode."
    )
    assert [(t.value, t.target_year, t.baseline_year) for t in extract_targets(text)] == [
        (60.0, 2030, 2018),
        (35.0, 2030, 2018),
    ]


def test_an_end_state_said_again_in_other_words_keeps_its_year() -> None:
    text = (
        "Byrådet har besluttet, at kommunen skal være CO2-neutral i 2030. Det betyder, at udledningen "
        "af drivhusgasser skal bringes ned på netto-nul."
    )
    assert [(t.direction, t.target_year) for t in extract_targets(text)] == [("neutral", 2030)] * 2


def test_a_new_end_state_after_a_dated_one_has_no_year() -> None:
    text = "Kommunen skal være klimaneutral i 2050. Kommunens egen drift skal være klimaneutral."
    assert [t.target_year for t in extract_targets(text)] == [2050, None]


def test_an_action_verb_frames_a_goal_when_an_at_clause_follows_it() -> None:
    """ "etablere 40 ladestandere": the figure is what the action makes; "sikre, at 80 % …": the at-clause
    says what is to hold, a goal."""
    assert "milestone.before_anchor" in features_of("Kommunen vil etablere 40 ladestandere inden 2026.", "40")
    framed = features_of("Planen skal sikre, at 80 % af regnvandet håndteres lokalt i 2030.", "80 %")
    assert "milestone.before_anchor" not in framed


def test_coordinated_values_share_year_and_label() -> None:
    text = "25 % genanvendelse af plast og 20 % genanvendelse af metal i 2018 i forhold til potentialet."
    a, b = extract_targets("Mål:\n\n- " + text)
    assert (a.value, a.target_year, b.value, b.target_year) == (25.0, 2018, 20.0, 2018)
    assert b.baseline_label == "potentialet"


def test_headings_give_scope_interim_and_year() -> None:
    text = (
        "Delmål:\n\nDet vi gør selv:\n\n- Senest i 2025 er energiforbruget i de kommunale bygninger reduceret med 15 %.\n\n"
        "Det vi gør som medejer:\n\n- Senest i 2030 kører alle lokale busser på el.\n\n"
        "2030:\n\n- Alle kommunale biler er elbiler."
    )
    a, b, c = extract_targets(text)
    assert (a.scope, a.interim, a.target_year) == ("organisation", True, 2025)
    assert (b.scope, b.value, b.unit, b.target_year) == ("utility", 100.0, "%", 2030)
    assert (c.target_year, c.deadline_kind, c.value) == (2030, "in", 100.0)


def test_a_list_lead_in_sentence_gives_its_closing_deadline_to_the_items() -> None:
    """An agenda puts the year at the end of the sentence that opens the list, not in a short label."""
    text = (
        "Forvaltningen foreslår, at kommunen som organisation forpligter sig til følgende delmål frem mod 2030:\n\n"
        "- elforbruget i de kommunale bygninger reduceres med 20 % i forhold til 2019\n"
        "- mindst 90 % af kommunens personbiler er elbiler"
    )
    found = extract_targets(text, suggestions=True)
    assert [(t.value, t.target_year) for t in found] == [(20.0, 2030), (90.0, 2030)]


def test_a_long_lead_in_with_a_year_inside_it_gives_the_items_no_year() -> None:
    """Only a deadline that closes the lead-in speaks for the items; a year inside it is the sentence's own."""
    text = (
        "I 2023 vedtog byrådet en klimaplan, og forvaltningen har siden arbejdet med disse delmål for kommunen:\n\n"
        "- elforbruget i de kommunale bygninger reduceres med 20 %"
    )
    assert [t.target_year for t in extract_targets(text, suggestions=True)] == [None]


def test_money_for_climate_action_is_a_resource_and_at_least_suggested() -> None:
    """Money a plan commits to climate action is of its own kind; alone in a sentence, with money words
    that fill budgets and agendas, the scorer is unsure of it and leaves it to a reviewer."""
    (t,) = extract_targets("Der anvendes minimum 10 mio. kr. årligt til energirenovering.", suggestions=True)
    assert (t.kind, t.value, t.unit, t.bound, t.rate) == (
        "resource",
        10_000_000.0,
        "kr",
        "at_least",
        "per_year",
    )
    assert t.band in ("target", "suggestion")


def test_rate_from_a_start_year() -> None:
    (t,) = extract_targets(
        "Andelen af lokalt produceret VE øges med 2 % om året fra 2025 (set i forhold til strømforbruget i 2022)."
    )
    assert (t.value, t.rate, t.start_year, t.target_year, t.deadline_kind, t.baseline_year) == (
        2.0,
        "per_year",
        2025,
        None,  # a rate has a target year only when an end year is stated (annotation guide)
        None,
        2022,
    )


def test_table_with_year_columns_and_caption_baseline() -> None:
    text = "Tabel 2. Sektormål (reduktion i forhold til 1990)\nSektor | 2025 | 2030\nEl og varme | 60 % | 85 %\nTransport | 20 % | 45 %"
    found = [(t.value, t.target_year, t.baseline_year, t.direction) for t in extract_targets(text)]
    assert found == [
        (60.0, 2025, 1990, "reduce"),
        (85.0, 2030, 1990, "reduce"),
        (20.0, 2025, 1990, "reduce"),
        (45.0, 2030, 1990, "reduce"),
    ]


def test_table_with_label_year_and_value_columns() -> None:
    text = (
        "Delmål | År | Reduktion\n\n"
        "CO₂-udledning i kommunen, målt i forhold til 1990 | 2030 | 70 %\n\n"
        "Netto-nul CO₂-udledning, klimaneutral kommune | 2050 | 100 %"
    )
    found = [(t.value, t.direction, t.target_year, t.baseline_year) for t in extract_targets(text)]
    assert found == [(70.0, "reduce", 2030, 1990), (100.0, "reduce", 2050, None)]


def test_rows_headed_by_a_year_in_a_table_of_goals_are_due_that_year() -> None:
    text = "Tabel 4: Delmål for udledningen (ift. 2019)\nDelmål | Reduktion\n2025 | 20 %\n2030 | 47 %"
    found = [(t.value, t.target_year, t.baseline_year) for t in extract_targets(text)]
    assert found == [(20.0, 2025, 2019), (47.0, 2030, 2019)]


def test_a_table_of_past_years_holds_statistics() -> None:
    """A green account's table under a heading that names a scope (which in a plan opens a list of
    goals): every year column is history and nothing in the header or heading names a goal."""
    table = (
        "Tabel 1. Energiforbrug, kommunen som virksomhed\n"
        "Område | 2019 | 2022 | 2023 | Ændring 2019-2023\n"
        "El (MWh) | 11.840 | 10.960 | 10.610 | -10 %"
    )
    assert collect_candidates(table) == []
    goals = "Tabel 1. Kommunen som virksomhed\nOmråde | 2025 | 2030\nEl | -10 % | -20 %"
    assert [c["target_year"] for c in collect_candidates(goals)] == [2025, 2030]


def test_rows_of_past_years_report_and_rows_of_future_years_and_goal_columns_hold_goals() -> None:
    table = (
        "Tabel 1. Udledning i kommunen (ton CO2)\n"
        "År | Udledning | Reduktion ift. 2007 | Delmål\n"
        "2020 | 343.000 | 51 % | 50 %\n"
        "2022 | 298.000 | 57 % | –\n"
        "2030 | – | – | 75 %"
    )
    assert [(t.value, t.target_year) for t in extract_targets(table)] == [(50.0, 2020), (75.0, 2030)]


def test_a_goal_column_with_the_year_in_parentheses_after_each_figure() -> None:
    """ "180 kg (2030)": a row whose figures have units the header's cells never have is data, not a
    second header, and the year after a figure in parentheses is its goal's year."""
    table = (
        "Målsætning | Status 2022 | Mål\n"
        "Genanvendelse af husholdningsaffald | 51 % | 70 % (2030)\n"
        "Restaffald pr. indbygger | 232 kg | 180 kg (2030)\n"
        "Genanvendelse på genbrugspladser | 68 % | 80 % (2028)"
    )
    found = [(c["value"], c["unit"], c["target_year"]) for c in collect_candidates(table)]
    assert found == [(70.0, "%", 2030), (180.0, "kg", 2030), (80.0, "%", 2028)]


def test_a_column_headed_as_goals_beside_a_year_column_of_status() -> None:
    table = "Nøgletal | 2022 | Mål\nUdsortering af madaffald | 61 % | 80 %\nRestaffald pr. indbygger | 261 kg | 174 kg (2030)"
    assert [(c["value"], c["target_year"]) for c in collect_candidates(table)] == [
        (80.0, None),
        (174.0, 2030),
    ]


def test_adopted_national_goal_is_a_target() -> None:
    (t,) = extract_targets(
        "Ballerup Kommune har forpligtet sig til at reducere CO₂-udledningen med 70 % i 2030, målt i forhold til 1990."
    )
    assert (t.value, t.target_year, t.baseline_year, t.strength) == (70.0, 2030, 1990, "binding")


def test_strength_sector_and_rules_are_recorded() -> None:
    (t,) = extract_targets("Vi ønsker at nedbringe vandforbruget til 90 liter pr. døgn i 2030.")
    assert t.strength == "aspiration" and t.sector == "vand"
    assert any(r.startswith("qty.") for r in t.rule_ids)
    features = {feature for feature, _weight, _patterns in t.evidence}
    assert "anchor=qty" in features and any(f.startswith("ASPIRATION@") for f in features)
    assert all(patterns for _feature, _weight, patterns in t.evidence)
    assert extractor_version()


def test_robust_text_forms() -> None:
    text = "•\u00a0Senest\u00a0i\u00a02030 er CO2e-udledningen reduceret med 70\u00a0%."
    (t,) = extract_targets(text)
    assert (t.value, t.target_year) == (70.0, 2030)
    assert text[t.start : t.end] == t.quote


@pytest.mark.parametrize(
    "word",
    [
        "klimaneutrl",
        "klimanetral",
        "klimaneutal",
        "CO2-nuetral",
        "CO2-neutarl",
        "klimanetural",
        "klima neutral",
    ],
)
def test_a_misspelled_neutral_is_an_end_state(word: str) -> None:
    """Real plans misspell the end state ("klimaneutrl", "klimanetural") or split it ("klima neutral"); a
    letter dropped or moved is still it."""
    (target,) = extract_targets(f"Kommunen skal være {word} senest i 2040.")
    assert (target.direction, target.target_year, target.deadline_kind) == ("neutral", 2040, "by")


def test_what_an_adopted_plan_shall_do_is_a_commitment() -> None:
    """News framing: "vedtog en plan, der skal halvere …". The relative "der skal" voids a modal in other
    sentences; after a plan it says what the plan commits to, and counts as such."""
    text = "Byrådet vedtog i aftes en plan, der skal halvere udledningen fra transporten inden 2030."
    (target,) = extract_targets(text)
    assert (target.value, target.direction, target.target_year) == (50.0, "reduce", 2030)
    patterns = {p for _feature, _weight, found in target.evidence for p in found}
    assert "cue.plan_content.der_skal" in patterns


def test_an_expectation_without_its_prefix_is_a_projection() -> None:
    """ "ventes" is "forventes" as forecasts write it ("Antallet … ventes at falde med 6 %")."""
    text = "Antallet af 0-5-årige ventes at falde med 6 % frem mod 2030."
    assert "NEG_PROJECTION@phrase" in features_of(text, "6 %")


def test_a_heading_speaks_for_the_units_under_it_not_for_itself() -> None:
    """An agenda item titled with a goal word ("Fremrykning af målet om …") is a case title; the goal
    list it opens is the units under it."""
    text = "Fremrykning af målet om klimaneutralitet\n\n- Kommunen er klimaneutral i 2040"
    heading, item = features_of(text, "Fremrykning"), features_of(text, "Kommunen er")
    assert {"ctx.target_list", "TOPIC_CLIMATE@heading"} <= item
    assert not {"ctx.target_list", "TOPIC_CLIMATE@heading"} & heading


def test_a_goal_named_in_a_status_sentence_is_evidence_of_its_own() -> None:
    """A status report restates the goal it works towards ("… i gang for at nå målene om 49 % i 2025"):
    the status words are negative evidence, the goal noun at the figure says it is the goal. The fit
    weighs the two together, not only each apart."""
    text = "Ud af planens 53 tiltag er 44 i gang for at nå målene om 49 % reduktion i 2025."
    assert "negative@around&goal@near" in features_of(text, "49 %")


def test_a_requirement_taken_up_later_in_its_paragraph_has_that_as_evidence() -> None:
    """ "Kravet stiger til 60 % i 2030. Planens mål er at opfylde kravet.": the figure is the plan's goal."""
    text = "Efter loven stiger kravet til genanvendelse til 60 % i 2030. Planens vigtigste mål er at opfylde kravet."
    assert {"next.adopts", "other_body@around&next.adopts"} <= features_of(text, "60 %")


def test_a_requirement_taken_up_is_not_another_bodys_alone() -> None:
    """Taken up by the plan, the law's requirement is the municipality's own (annotation guide: adopted
    targets of others count): "another body and nothing of the municipality's" does not fire on it."""
    taken_up = features_of(
        "Efter loven stiger kravet til genanvendelse til 60 % i 2030. Planens vigtigste mål er at opfylde kravet.",
        "60 %",
    )
    left = features_of(
        "Efter loven stiger kravet til genanvendelse til 60 % i 2030. Kommunen følger udviklingen tæt.",
        "60 %",
    )
    assert {"own@near", "own@around"} <= taken_up
    assert not {"other_body@near&!own@near", "unit.other_body&!own"} & taken_up
    assert {"other_body@near&!own@near", "unit.other_body&!own"} <= left


def test_a_sentence_that_takes_up_nothing_gives_no_such_evidence() -> None:
    text = "Efter loven stiger kravet til genanvendelse til 60 % i 2030. Kommunen følger udviklingen tæt."
    assert "next.adopts" not in features_of(text, "60 %")


def test_taking_up_counts_within_the_paragraph_and_only_after_the_figure() -> None:
    before = "Planens vigtigste mål er at opfylde kravet. Efter loven stiger kravet til 60 % i 2030."
    apart = "Efter loven stiger kravet til 60 % i 2030.\n\nPlanens vigtigste mål er at opfylde kravet."
    assert "next.adopts" not in features_of(before, "60 %")
    assert "next.adopts" not in features_of(apart, "60 %")


def test_a_list_fragment_reads_the_clause_it_continues_when_no_verb_is_known() -> None:
    """ "… skærpes fra 50 % til 55 % i 2025, 60 % i 2030 og 65 % i 2035": "skærpes" is not a verb the
    finite-verb regex knows, so the fragments continue the sentence's first clause, whose topic and
    framing words then stand in their own clause, not merely in the sentence."""
    text = (
        "Efter loven skærpes kravene til genanvendelse af husholdningsaffald fra 50 % i 2022 "
        "til 55 % i 2025, 60 % i 2030 og 65 % i 2035."
    )
    found = features_of(text, "60 % i 2030")
    assert {"clause.fragment", "TOPIC_WASTE@clause"} <= found
    assert "TOPIC_WASTE@sentence" not in found


def test_the_first_clause_of_a_sentence_continues_nothing() -> None:
    text = "Fra 50 % i 2022 til 55 % i 2025, og kommunen skal nå 65 % genanvendelse i 2035."
    assert "clause.fragment" not in features_of(text, "50 %")


def test_a_restatement_is_not_read_as_a_hypothesis() -> None:
    """ "Det svarer til …" restates a figure (often a target); "hvis …" supposes one: two labels, two weights."""
    restated = features_of(
        "Kommunen skal reducere udledningen med 120.000 tons i 2030. Det svarer til en reduktion på 55 %.",
        "55 %",
    )
    supposed = features_of("Hvis man satte et mål om 75 % i 2030, ville det kræve mere.", "75 %")
    assert "RESTATE@phrase" in restated and "NEG_HYPO@phrase" not in restated
    assert "NEG_HYPO@phrase" in supposed and "RESTATE@phrase" not in supposed


def test_a_list_fragment_shares_the_link_of_the_series_it_continues() -> None:
    """ "… fra 50 % i 2022 til 55 % i 2025, 60 % i 2030": 60 % is reached as 55 % is, "til" it."""
    text = "Efter loven skærpes kravene til genanvendelse fra 50 % i 2022 til 55 % i 2025, 60 % i 2030 og 65 % i 2035."
    assert "qty.link=til" in features_of(text, "60 % i 2030")
    alone = "Genanvendelsen var 48 % i 2022, og kommunen skal nå 65 % i 2035."
    assert "qty.link=none" in features_of(alone, "65 %")


def test_a_period_of_activity_is_not_a_baseline() -> None:
    """ "i 2024-2026" is when something happens; "i forhold til 2019" is what a change is measured
    against. In gold the first never marks a target and the second nearly always does: two features."""
    period = features_of(
        "Kommunens energimedarbejder anvender 1/3 af sin tid på projektet i 2024-2026.", "1/3"
    )
    baseline = features_of("Udledningen skal reduceres med 70 % i 2030 i forhold til 1990.", "70 %")
    assert "year.period" in period and "baseline.year" not in period
    assert "baseline.year" in baseline and "year.period" not in baseline


def test_what_can_be_done_is_a_possibility_not_a_target() -> None:
    """ "hvor gas kan udfases" and "udledningen kan reduceres med 20 %" say what is possible."""
    assert "NEG_HYPO@phrase" in features_of(
        "Udledningen kan reduceres med 20 % i 2030 med de nye tiltag.", "20 %"
    )
    assert "NEG_HYPO@phrase" not in features_of("Udledningen skal reduceres med 20 % i 2030.", "20 %")


def test_what_a_subject_has_done_is_past_not_a_target() -> None:
    """The perfect of an action verb ("har i 2024 udtaget 210 hektar") reports work done, unlike the
    end state a target names ("i 2030 er udledningen reduceret med 70 %")."""
    done = features_of("Kommunen har i 2024 udtaget 210 hektar lavbundsjord.", "210 hektar")
    end_state = features_of("I 2030 er udledningen fra kommunens bygninger reduceret med 70 %.", "70 %")
    assert any(f.startswith("NEG_PAST@") for f in done)
    assert not any(f.startswith("NEG_PAST@") for f in end_state)


def test_an_amount_before_a_goal_noun_is_not_that_goal() -> None:
    """ "42 % af vejen mod målet om klimaneutralitet i 2045": the goal is neutrality in 2045; the share
    is progress towards it and becomes a candidate of its own, not the goal's value."""
    quotes = [
        c["quote"]
        for c in collect_candidates("Vi er nået 42 % af vejen mod målet om klimaneutralitet i 2045.")
    ]
    assert len(quotes) == 2 and "42 %" in quotes[0] and "klimaneutralitet" in quotes[1]


def test_a_baseline_that_closes_a_series_applies_to_every_item() -> None:
    """ "… med 50 % i 2025 og 70 % i 2030 i forhold til 2008": the reference year is stated once for the
    series, as a shared year is; a later clause with its own verb keeps its baseline to itself."""
    series = extract_targets(
        "Kommunen vil reducere udledningen med 50 % i 2025 og 70 % i 2030 i forhold til 2008."
    )
    assert [(t.value, t.target_year, t.baseline_year) for t in series] == [
        (50.0, 2025, 2008),
        (70.0, 2030, 2008),
    ]
    separate = extract_targets(
        "Transportens udledning skal falde 30 % i 2030, og den samlede udledning skal falde 70 % i forhold til 1990."
    )
    assert [t.baseline_year for t in separate] == [None, 1990]


def test_an_approximate_figure_is_hedged_not_a_statistic() -> None:
    """ "ca. 65 %" hedges a figure, which statistics often do and targets sometimes: its own label
    (APPROX), weighed by the fit, rather than a statistic cue that fired the whole negative family."""
    found = features_of("Udledningen skal reduceres med ca. 65 % i 2030.", "65 %")
    assert "APPROX@phrase" in found
    assert not any(f.startswith(("NEG_STAT@", "negative@")) for f in found)
    (target,) = extract_targets("Udledningen skal reduceres med ca. 65 % i 2030.")
    assert (target.value, target.target_year) == (65.0, 2030)


@pytest.mark.parametrize(
    "text",
    [
        "Alle kommunale bygninger skal opvarmes uden olie og gas i 2030.",
        "I 2035 skal ingen boliger opvarmes med olie- eller gasfyr.",
        "I 2030 skal ingen boliger i hele kommunen opvarmes med olie- eller gasfyr.",
    ],
)
def test_heat_without_fossil_fuels_is_a_phase_out(text: str) -> None:
    """ "uden olie og gas" and "ingen … med olie- eller gasfyr" name the end of fossil heat as plainly
    as "fossilfri" does."""
    (target,) = extract_targets(text)
    assert target.direction == "phase_out" and target.target_year in (2030, 2035)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # read as a phase-out, "ingen boliger … med olie- eller gasfyr i 2035" is parted from the share
        # that follows it, as two end states or two amounts are
        (
            "Varmeplanen har som mål, at ingen boliger i Lolland Kommune opvarmes med olie- eller gasfyr i 2035, "
            "og at 70 % af boligerne i byerne er tilsluttet fjernvarme i 2030.",
            [("phase_out", 2035), ("reach", 2030)],
        ),
        # the "og" between two fuels ("fri for kul og naturgas inden 2028") does not part the phase-out
        # from its own deadline
        (
            "Kommunen forpligter sig til, at fjernvarmen er fri for kul og naturgas inden 2028, "
            "at halvdelen af de tunge køretøjer kører på el i 2030.",
            [("phase_out", 2028), ("reach", 2030)],
        ),
    ],
)
def test_a_phase_out_in_words_is_parted_from_the_target_after_it(text: str, expected: list) -> None:
    assert [(c["direction"], c["target_year"]) for c in collect_candidates(text)] == expected


def test_a_heading_with_the_plans_period_gives_the_goals_year() -> None:
    text = "Affaldsplan 2025-2036 – mål for 2030\n- 55 % genanvendelse af husholdningsaffald"
    assert [c["target_year"] for c in collect_candidates(text)] == [2030]
    two = "Delmål 2025 og 2030:\n- 55 % genanvendelse af husholdningsaffald"
    assert [c["target_year"] for c in collect_candidates(two)] == [None]


@pytest.mark.parametrize("heading", ["Pejlemærker for 2030", "Milepæle 2030:", "Succeskriterier i 2030"])
def test_a_heading_that_names_goals_in_other_words_gives_their_year(heading: str) -> None:
    text = f"{heading}\n• 50 % af kommunens bilflåde kører på el"
    assert [c["target_year"] for c in collect_candidates(text)] == [2030]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Kommunens egen drift skal være CO2-neutral allerede i 2028 i stedet for 2030.", 2028),
        ("Byrådet besluttede, at målet om klimaneutralitet fremrykkes fra 2050 til 2040.", 2040),
        ("Målet om 70 % reduktion udskydes fra 2030 til 2035.", 2035),
    ],
)
def test_a_goal_moved_is_due_the_year_it_was_moved_to(text: str, year: int) -> None:
    (c,) = collect_candidates(text)
    assert c["target_year"] == year


def test_the_year_a_goal_was_set_is_no_deadline() -> None:
    """ "I 2012 satte byrådet et mål om at …" reports a goal (annotation guide: past tense that reports
    the goal itself counts); 2012 is when it was set, not when it is due."""
    (c,) = collect_candidates("I 2012 satte byrådet et mål om at reducere udledningen med 3 % om året.")
    assert (c["value"], c["target_year"]) == (3.0, None)


def test_neutrality_split_after_its_hyphen_is_neutrality() -> None:
    """Text from PDFs and portals breaks "CO2-neutralitet" after the hyphen: "CO2- neutralitet"."""
    (c,) = collect_candidates("Byrådet vil omsætte målet om CO2- neutralitet til konkrete handlinger.")
    assert c["direction"] == "neutral"


def test_progress_towards_an_amount_is_not_the_goals_value() -> None:
    """ "38 % af vejen mod målet om 70 % reduktion": two amounts, and the goal's is the second."""
    found = [
        c["value"] for c in collect_candidates("Vi er nået 38 % af vejen mod målet om 70 % reduktion i 2030.")
    ]
    assert found == [38.0, 70.0]


def test_all_of_a_fleet_converted_to_electricity_is_a_full_share() -> None:
    """ "al kollektiv trafik … omstillet til el" says what "alle busser på el" says: 100 % reached."""
    (c,) = collect_candidates(
        "Senest 2035 skal al kollektiv trafik i kommunen være omstillet til el eller biogas."
    )
    assert (c["value"], c["unit"], c["direction"], c["target_year"]) == (100.0, "%", "reach", 2035)


@pytest.mark.parametrize(
    "text",
    [
        "Kommunens bilpark skal udelukkende bestå af el- og brintbiler i 2027.",
        "Alle kommunens varebiler skal være elvarebiler senest i 2027.",
        "Vi vil udskifte al gadebelysning til LED inden 2027.",
        # "alle" and the state parted by a coordination or a relative clause inside the subject
        "Delmål 2027: Alle kommunens personbiler og små varebiler er elbiler.",
        "Fra 2025 gælder, at alle nye personbiler, som kommunen leaser, skal være elbiler i 2027.",
    ],
)
def test_all_of_a_fleet_or_of_the_lighting_converted_is_a_full_share(text: str) -> None:
    (c,) = collect_candidates(text)
    assert (c["value"], c["unit"], c["target_year"]) == (100.0, "%", 2027)


def test_all_in_one_clause_is_no_share_of_a_state_in_the_next() -> None:
    found = collect_candidates(
        "Alle busser skal køre på biogas, og 40 % af bilerne skal være elbiler i 2030."
    )
    assert [(c["value"], c["quote"][:5]) for c in found] == [(100.0, "Alle "), (40.0, "40 % ")]
    where = "Vi vil udfase alle oliefyr i byerne, hvor der er mulighed for fjernvarme, inden 2030."
    assert [c["value"] for c in collect_candidates(where)] == [None]


def test_all_after_a_share_of_it_is_the_whole_not_the_share() -> None:
    text = "Målet er, at halvdelen af alle nye biler, der indregistreres, skal være elbiler i 2027."
    assert [c["value"] for c in collect_candidates(text)] == [50.0]


def test_disconnected_from_gas_is_a_phase_out() -> None:
    (c,) = collect_candidates("I 2030 skal samtlige kommunale ejendomme være koblet fra naturgassen.")
    assert (c["direction"], c["target_year"]) == ("phase_out", 2030)


def test_no_fossil_word_after_none_is_no_phase_out() -> None:
    assert not any(
        c["direction"] == "phase_out" for c in collect_candidates("Ingen af de adspurgte havde elbil i 2023.")
    )


def test_a_past_adoption_reports_a_decision_not_a_past_state() -> None:
    """ "Byrådet vedtog i aftes en plan, der skal …": news and minutes report a target by its adoption.
    The past tense of adopting is its own label (ADOPTED_PAST), not one of the past-state cues that
    fired the whole negative family."""
    found = features_of(
        "Et enigt byråd vedtog mandag aften en klimaplan, som skal gøre kommunen CO2-neutral i 2040.",
        "neutral",
    )
    assert any(f.startswith("ADOPTED_PAST@") for f in found)
    assert not any(f.startswith(("NEG_PAST@", "negative@")) for f in found)


def test_zero_of_something_other_than_emissions_is_no_end_state() -> None:
    assert collect_candidates("Antallet af trafikdræbte skal være nul i 2030.") == []


def test_already_before_a_year_is_an_early_deadline_not_a_goal_reached() -> None:
    """ "allerede i 2027" brings a deadline forward (EARLY); "allerede nået" reports a goal reached."""
    early = features_of("Fjernvarmen skal allerede i 2027 være CO₂-neutral.", "neutral")
    reached = features_of("Målet om 50 % elbiler i 2025 er allerede nået.", "50 %")
    assert any(f.startswith("EARLY@") for f in early) and not any(
        f.startswith("NEG_ACHIEVED@") for f in early
    )
    assert any(f.startswith("NEG_ACHIEVED@") for f in reached)


@pytest.mark.parametrize(
    ("text", "direction", "value"),
    [
        ("Kommunen vil være CO2-fri i 2040.", "neutral", None),
        ("Udledningerne skal være nul i 2050.", "neutral", None),
        # the emissions named before the zero with words between, a compound, "ned på nul"
        ("Undervejs skal udledningen fra el og varme være nul i 2050.", "neutral", None),
        ("CO2-udledningen fra kommunens bygninger skal ned på nul i 2050.", "neutral", None),
        ("Målet er nul fossile brændsler i den kollektive trafik i 2030.", "phase_out", None),
        ("Vi vil være selvforsynende med vedvarende energi i 2035.", "reach", 100.0),
    ],
)
def test_end_states_in_plain_words(text: str, direction: str, value: float | None) -> None:
    """Plans name end states without the usual terms: "CO2-fri", emissions "skal være nul", "nul fossile
    brændsler", "selvforsynende med vedvarende energi" (all of the energy from renewables)."""
    (target,) = extract_targets(text, suggestions=True)
    assert (target.direction, target.value) == (direction, value)


def test_so_far_is_a_status_not_a_draft() -> None:
    """ "foreløbig" is a draft's word ("et foreløbigt mål"), but after "er"/"har" it means "so far"."""
    assert "FRAME_DRAFT@clause" not in features_of("Varmeforbruget er foreløbig faldet med 14 %.", "14 %")
    assert "FRAME_DRAFT@clause" in features_of("Et foreløbigt mål er at spare 14 % energi i 2030.", "14 %")


def test_a_restating_tail_is_not_part_of_the_clause_that_states_the_target() -> None:
    """ ", svarende til …" restates the amount in other terms: the quote ends before it, and what it names
    (here the state's water plan) is no evidence about the clause before it."""
    text = "Kvælstofudledningen skal reduceres med 400 ton om året inden 2027, svarende til behovet i vandområdeplanen."
    (candidate,) = collect_candidates(text)
    assert candidate["quote"] == "Kvælstofudledningen skal reduceres med 400 ton om året inden 2027"
    features = {e.feature for e in candidate["features"]}
    assert "NEG_OTHER@sentence" in features and "NEG_OTHER@clause" not in features


def test_all_of_a_waste_stream_sorted_is_a_full_share() -> None:
    """ "alt" is "alle" before a neuter or mass noun; sorted out is the end state a waste plan sets."""
    text = "Alt madaffald fra kommunale institutioner skal sorteres fra senest i 2026."
    (target,) = extract_targets(text)
    assert (target.value, target.unit, target.target_year) == (100.0, "%", 2026)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Kommunen har de seneste ti år anlagt 38 km nye cykelstier.", "38 km"),
        ("Opgørelsen viser, at reduktionen indtil videre er på 31 %.", "31 %"),
        ("Kommunen har i år opgjort udledningen til 241.000 ton CO2e.", "241.000"),
    ],
)
def test_what_has_been_done_so_far_is_status(text: str, part: str) -> None:
    """ "de seneste ti år", "indtil videre" and a perfect of counting ("har opgjort") report what is."""
    assert {
        "NEG_ACHIEVED@phrase",
        "NEG_ACHIEVED@clause",
        "NEG_PAST@phrase",
        "NEG_PAST@clause",
    } & features_of(text, part)


def test_bare_figures_under_a_caption_of_goals_take_its_unit_and_baseline() -> None:
    """A caption names the goals, their unit and baseline; the year columns hold the goals' figures."""
    text = (
        "Tabel 4. Kommunens sektormål (reduktion i procent ift. 1990)\n"
        "Sektor | 2030 | 2035\nEnergiforsyning | 90 | 100\nTransport | 35 | 55"
    )
    found = [(t.value, t.unit, t.target_year, t.baseline_year) for t in extract_targets(text)]
    assert found == [
        (90.0, "%", 2030, 1990),
        (100.0, "%", 2035, 1990),
        (35.0, "%", 2030, 1990),
        (55.0, "%", 2035, 1990),
    ]


def test_a_status_column_under_a_caption_of_goals_is_no_goal() -> None:
    text = (
        "Tabel 3. Mål for udledningen fordelt på sektorer (ton CO2e)\n"
        "Sektor | 2019 (status) | 2030\nEnergi | 212.000 | 61.000\nTransport | 245.000 | 160.000"
    )
    assert [(t.value, t.unit, t.target_year) for t in extract_targets(text)] == [
        (61000.0, "tons", 2030),
        (160000.0, "tons", 2030),
    ]


@pytest.mark.parametrize(
    "caption",
    ["Tabel 5.1 Udledning fra transport, ton CO2e", "Tabel 5.1 Udledning fra transport opgjort i ton CO2e"],
)
def test_a_caption_names_its_unit_after_a_comma_or_as_what_is_counted(caption: str) -> None:
    text = caption + "\nType | 2018 | 2022 | Mål 2030\nPersonbiler | 95.000 | 91.000 | 52.000"
    assert [(t.value, t.unit, t.target_year) for t in extract_targets(text)] == [(52000.0, "tons", 2030)]


def test_a_status_column_beside_the_goals_holds_no_goal() -> None:
    text = (
        "Tabel 3.1 Status for udvalgte mål\nMål | Status\n"
        "Elbiler i kommunens bilflåde 100 % (2026) | 71 %\nElbiler i kommunen 30 % (2030) | 11 %"
    )
    found = [(t.value, t.target_year) for t in extract_targets(text, suggestions=True)]
    assert (71.0, 2026) not in found and (11.0, 2030) not in found
    assert (100.0, 2026) in found


def test_a_table_under_a_caption_of_a_past_year_holds_statistics() -> None:
    text = "Tabel 1. Arealanvendelse i kommunen, 2023\nArealtype | Hektar | Andel\nLandbrug | 38.600 | 56 %"
    assert extract_targets(text, suggestions=True) == []


@pytest.mark.parametrize(
    "caption",
    [
        "Tabel 3. Transportmiddelvalg, ture med start eller mål i kommunen (2019-2022)",
        "Tabel 3. Målinger af trafikken på indfaldsvejene, 2022",
        "Tabel 3. Cykeltrafik målt på tællestationerne, 2021-2023",
    ],
)
def test_mål_of_a_trip_or_a_measurement_names_no_goal(caption: str) -> None:
    """ "mål" is the end of a trip in mobility statistics and the stem of measuring ("målt", "måling"):
    neither makes a caption one of goals, so the table under it holds its past years' figures."""
    text = f"{caption}\nTransportmiddel | Andel af ture | Andel af km\nBil | 64 % | 71 %\nCykel | 13 % | 3 %"
    assert extract_targets(text, suggestions=True) == []


def test_a_table_under_a_caption_of_goals_is_read_as_before() -> None:
    text = "Tabel 2. Mål for arealanvendelsen 2030\nArealtype | Hektar | Andel\nSkov | 9.000 | 15 %"
    assert extract_targets(text, suggestions=True) != []


def test_the_sum_row_of_a_goal_table_is_a_goal_like_the_rows_above_it() -> None:
    """ "I alt" is a statistics word in a sentence; as the label of a row with a goal column it names
    the sum, and the column says the figure is a goal."""
    text = (
        "Tabel 2. Udledning (ton CO2e)\nSektor | 2019 | Mål 2030\n"
        "Transport | 95.000 | 52.000\nEnergi | 72.000 | 49.000\nI alt | 167.000 | 101.000"
    )
    assert [t.value for t in extract_targets(text)] == [52000.0, 49000.0, 101000.0]


def test_the_sum_row_of_a_table_of_statistics_is_no_goal() -> None:
    text = "Tabel 2. Udledning (ton CO2e)\nSektor | 2019 | 2022\nTransport | 95.000 | 91.000\nI alt | 167.000 | 161.000"
    assert extract_targets(text, suggestions=True) == []


def test_a_purpose_clause_is_a_clause_of_its_own() -> None:
    """ "Ud af 53 tiltag er 44 i gang for at nå målet om 49 % …": the status words belong to the main
    clause; the goal the purpose clause names is read in its own."""
    features = features_of("Ud af 53 tiltag er 44 i gang for at nå målet om 49 % reduktion i 2025.", "49 %")
    assert "NEG_STAT@sentence" in features and "NEG_STAT@phrase" not in features


@pytest.mark.parametrize(
    "text",
    [
        "Kommunens personbiler skal være elbiler i 2026.",
        "Varebiler under 3.500 kg skal være eldrevne senest i 2027.",
    ],
)
def test_a_plural_subject_to_be_in_a_state_is_all_of_them(text: str) -> None:
    """The annotation guide reads "alle kommunens biler skal være elbiler" as 100 %; without "alle", the
    plural subject of "skal være elbiler" means every one of them too."""
    assert [(t.value, t.unit) for t in extract_targets(text)] == [(100.0, "%")]


def test_only_after_a_state_restricts_the_verb_not_the_share() -> None:
    """ "Solcelleanlæg … må kun etableres i de udpegede områder" is a planning rule; "kun" before a
    state ("skal kun køre på el", "udelukkende … fjernvarme") still makes it the whole."""
    rule = "Solcelleanlæg på mere end 2 hektar må kun etableres inden for de udpegede områder."
    assert extract_targets(rule, suggestions=True) == []
    (target,) = extract_targets("Kommunens bygninger skal udelukkende opvarmes med fjernvarme i 2030.")
    assert (target.value, target.unit) == (100.0, "%")


def test_there_shall_be_is_no_plural_subject() -> None:
    assert extract_targets("Der skal være solceller på taget i 2026.", suggestions=True) == []


def test_a_goal_named_by_its_share_is_a_goal_word() -> None:
    """ "70 %-målet" names the goal by its figure, as "2030-målet" names it by its year."""
    assert "GOAL@phrase" in features_of("Vi holder fast i 70 %-målet for 2030.", "70")


def test_a_restatement_after_a_goal_is_evidence_of_its_own() -> None:
    """ "Det svarer til en reduktion på 68 % …" says the goal before it again; after a statistic, it says
    the statistic again. The pair (the restating word, a goal with a year just before) is its own feature."""
    restated = "Udledningen må højst være 290.000 ton CO2e i 2030. Det svarer til en reduktion på 68 % i forhold til 1990."
    status = (
        "I 2023 var udledningen 402.000 ton CO2e. Det svarer til en reduktion på 43 % i forhold til 1990."
    )
    assert "RESTATE@phrase&previous.goal_with_year" in features_of(restated, "68 %")
    assert "RESTATE@phrase&previous.goal_with_year" not in features_of(status, "43 %")


def test_a_lead_in_at_the_end_of_a_paragraph_gives_its_year_to_the_items() -> None:
    """ "Kommunen har en klimaplan med mål for hele kommunen og for egen drift. I 2030 vil vi:" opens the
    list with its last sentence, as "I 2030 vil vi:" on a line of its own does."""
    text = (
        "Kommunen har en klimaplan med mål for hele kommunen og for kommunen som virksomhed. I 2030 vil vi:\n\n"
        "• have reduceret udledningen fra hele kommunen med 60 % i forhold til 2018\n"
        "• have mindst 35 % økologi i kommunens køkkener"
    )
    assert [(t.value, t.target_year) for t in extract_targets(text)] == [(60.0, 2030), (35.0, 2030)]


def test_only_the_last_sentence_of_a_paragraph_is_its_lead_in() -> None:
    text = (
        "I 2030 vil vi have en ny klimaplan, som byrådet skal vedtage. Planen skal indeholde mål som:\n\n"
        "• mindst 35 % økologi i kommunens køkkener"
    )
    assert all(t.target_year is None for t in extract_targets(text, suggestions=True))


def test_the_number_of_a_goal_numbered_as_a_section_is_no_figure() -> None:
    text = (
        "Delmål\n5.1 Andelen af nye personbiler, der er elbiler, skal være mindst 80 % i 2028.\n"
        "5.2 Alle bybusser i Kolding skal køre på el senest i 2026."
    )
    assert [(t.value, t.target_year) for t in extract_targets(text, suggestions=True)] == [
        (80.0, 2028),
        (100.0, 2026),
    ]


def test_the_number_of_a_heading_is_no_figure() -> None:
    text = "8.2 Vores ambitioner\n\nKommunen vil reducere udledningen med 70 % i 2030."
    assert [t.value for t in extract_targets(text, suggestions=True)] == [70.0]


def test_a_heading_that_opens_with_a_figure_keeps_it() -> None:
    text = "100 % vedvarende energi i 2030\n\nKommunen vil reducere udledningen med 70 % i 2030."
    assert 100.0 in [t.value for t in extract_targets(text, suggestions=True)]


def test_a_numbered_heading_stays_a_heading() -> None:
    """ "5.3 Udvikling i transportens udledning" heads the section; it is no item, so its words are
    the heading of the rows under it."""
    from extractors.segment import segments

    text = "5.3 Udvikling i transportens udledning\nTransporten udleder 40 % af kommunens CO2."
    assert [seg.kind for seg in segments(text)][0] == "heading"


def test_a_lead_in_ending_in_at_gives_its_deadline_to_the_items() -> None:
    """ "Vi vil frem mod 2030 sikre, at" is finished by each item below it, as a header with a colon is."""
    text = (
        "Vi vil frem mod 2030 sikre, at\n– 70 % af husholdningsaffaldet bliver genanvendt,\n"
        "– mindst 90 % af haveaffaldet komposteres lokalt."
    )
    assert [(t.value, t.target_year) for t in extract_targets(text)] == [(70.0, 2030), (90.0, 2030)]


def test_a_decision_ending_in_at_opens_no_goal_list() -> None:
    text = "Der træffes beslutning om, at\n– taksten hæves med 3 % i 2026."
    assert "ctx.target_list" not in features_of(text, "3 %")


def test_a_share_of_what_an_end_state_describes_is_the_share() -> None:
    """ "Andelen af maskintimer med fossilfri drivmidler skal være mindst 50 %": 50 %, not a phase-out."""
    (target,) = extract_targets(
        "Andelen af maskintimer med fossilfri drivmidler skal være mindst 50 % i 2027."
    )
    assert (target.value, target.unit, target.direction) == (50.0, "%", "reach")


def test_a_goal_restated_without_its_baseline_has_the_one_it_was_stated_with() -> None:
    """The guide: a restatement ("målet om 70 % reduktion i 2030") inherits year and baseline."""
    text = (
        "Udledningen skal reduceres med 70 % i 2030 i forhold til 1990.\n\n"
        "Status: Vi er bagud i forhold til målet om 70 % reduktion i 2030.\n\n"
        "Andelen af elbiler skal være 70 % i 2030."
    )
    assert [(t.value, t.unit, t.baseline_year) for t in extract_targets(text)] == [
        (70.0, "%", 1990),
        (70.0, "%", 1990),
        (70.0, "%", None),
    ]


def test_a_goal_named_without_its_year_has_the_one_it_was_stated_with() -> None:
    """The guide: a restatement inherits the year of the target it restates. "målet om
    klimaneutralitet", three paragraphs after "klimaneutral senest i 2045", is that goal."""
    text = (
        "Kommunen skal være klimaneutral senest i 2045.\n\n"
        "Borgersamlingen har givet sine anbefalinger.\n\n"
        "Udvalget drøftede, hvordan målet om klimaneutralitet kan nås i samarbejde med erhvervslivet."
    )
    assert [(t.direction, t.target_year, t.deadline_kind) for t in extract_targets(text)] == [
        ("neutral", 2045, "by"),
        ("neutral", 2045, "by"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # two years for the same kind of goal: the named one could be either
        "Kommunen som virksomhed skal være klimaneutral i 2030.\n\n"
        "Kommunen som geografisk område skal være klimaneutral i 2045.\n\n"
        "Udvalget drøftede, hvordan målet om klimaneutralitet kan nås.",
        # the later goal is not named as the earlier one: a new goal without a year
        "Kommunen skal være klimaneutral senest i 2045.\n\n"
        "Borgersamlingen har givet sine anbefalinger.\n\n"
        "Desuden skal kommunens busser være klimaneutrale.",
    ],
)
def test_a_year_is_carried_only_to_a_named_goal_stated_with_one_year(text: str) -> None:
    last = [t for t in extract_targets(text, suggestions=True) if t.start > text.rindex("\n\n")]
    assert last and all(t.target_year is None for t in last)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Kommunen nåede i 2024 sit mål om, at 60 % af kommunens personbiler skal være elbiler.", None),
        ("Målet om, at 90 procent af kommunens strøm skal være grøn strøm, blev nået allerede i 2022.", None),
        ("Målet om 50 % elbiler skal være nået i 2027.", 2027),
    ],
)
def test_the_year_a_goal_was_reached_is_no_deadline(text: str, year: int | None) -> None:
    """The guide counts a goal reported as met; the year it was met in is not its target year. The year
    it is to be reached by ("skal være nået i 2027") is."""
    (target,) = extract_targets(text)
    assert target.target_year == year


def test_the_next_goal_of_a_list_takes_no_year_from_the_one_before() -> None:
    """A goal of its own on the next line ("Andelen … skal være mindst 60 %.") has the year it states, or
    none; only a sentence that goes on about the one before borrows its year."""
    text = (
        "Politikkens mål\nCO2-udledningen fra indkøb skal reduceres med 50 % i 2030 sammenlignet med 2019.\n"
        "Andelen af økologiske fødevarer i kommunens køkkener skal være mindst 60 %."
    )
    found = extract_targets(text, suggestions=True)
    assert [(t.value, t.target_year) for t in found] == [(50.0, 2030), (60.0, None)]


@pytest.mark.parametrize("opening", ["Samtidig skal", "Senest samme år skal"])
def test_a_goal_set_at_the_same_time_takes_the_year_before(opening: str) -> None:
    text = (
        "I 2030 skal udledningen være reduceret med 70 % i forhold til 1990. "
        f"{opening} halvdelen af landbrugets lavbundsjorde være taget ud af drift."
    )
    found = extract_targets(text, suggestions=True)
    assert [(t.value, t.target_year) for t in found] == [(70.0, 2030), (50.0, 2030)]


def test_a_yearly_pace_takes_no_year_from_the_sentence_before() -> None:
    text = (
        "Inden udgangen af 2026 skal halvdelen af kapaciteten være etableret. "
        "Derudover skal varmeforbruget i skolerne falde med 1,5 % om året."
    )
    found = extract_targets(text, suggestions=True)  # (the years are the point, not the bands)
    assert [(t.value, t.target_year) for t in found] == [(50.0, 2026), (1.5, None)]


def test_an_application_is_no_increase() -> None:
    """ "ansøgning" ends in "øgning" (a rise), but it is an application."""
    text = "Ifølge ansøgningen skal ledningstabet ned under 8 % inden 2028."
    assert not any(f.startswith("DIR_INCREASE@") for f in features_of(text, "8 %"))


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Målet om 60 % økologi i køkkenerne er endnu ikke nået.", "60 %"),
        ("Det kræver nye tiltag at nå målet om en reduktion på 65 % i 2030.", "65 %"),
        (
            "Målet om at reducere energiforbruget i de kommunale bygninger med 2 % om året er ikke nået.",
            "2 %",
        ),
    ],
)
def test_a_goal_named_with_its_amount_is_read_as_naming_it(text: str, anchor: str) -> None:
    """A status sentence or a purpose names a goal by its content ("målet om 60 % …"): the guide counts
    it as a target whatever the sentence says of it, so the scorer needs to know the figure is the
    goal's own and not a status figure beside it."""
    assert "goal.names_anchor" in features_of(text, anchor)


def test_a_goal_named_in_a_status_sentence_is_a_target() -> None:
    """The guide's own example: a status report that says whether a goal with an amount was met."""
    (target,) = extract_targets("Målet om 40 % reduktion i 2020 blev indfriet allerede i 2019.")
    assert (target.value, target.target_year) == (40.0, 2020)


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("Målet er nået, og udledningen faldt med 43 % fra 1990 til 2022.", "43 %"),
        ("Status på målet: udledningen er faldet med 20 %.", "20 %"),
    ],
)
def test_a_figure_beside_a_goal_word_does_not_name_the_goal(text: str, anchor: str) -> None:
    """A status figure in the clause after the goal word, or after a colon, is what was reached."""
    assert "goal.names_anchor" not in features_of(text, anchor)
