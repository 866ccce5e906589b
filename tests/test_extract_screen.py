"""``extract_targets`` gives what the spaCy pipeline gives, and its screen skips work, never targets.

``extract_targets`` calls the components' ``find`` on each unit's string and
stops where no candidate can reach the suggestion band (``pipeline._screened``,
with the bound :meth:`Model.best_possible` computes from the weights). These
tests hold it to the plain spaCy pipeline, every component run on a Doc as
``nlp(text)`` runs them, over every unit of the gold passages and over generated
plan language; hold the bound above every candidate's real score; and check the
pre-tests the pipeline relies on against what they stand for.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import pipeline
from extractors.anchors import may_anchor
from extractors.caseless import fold
from extractors.components.types import Quantity, get_ext, yearlike
from extractors.evidence import live_cues
from extractors.normalise import strip_invisibles, to_clean_offset
from extractors.refine import may_add_share, refine
from extractors.scorer import load_model
from tests.gold_units import gold_units

GOLD = Path(__file__).parent / "gold"

FRAGMENTS = [
    "Kommunen ",
    "vil ",
    "skal ",
    "reducere ",
    "øge ",
    "udledningen ",
    "i 2030",
    "senest i 2035",
    "inden 2030 ",
    "fra 2025 ",
    "i perioden 2025-2030 ",
    "i 2019 ",
    " i forhold til 1990",
    "25 %",
    "halvdelen ",
    "tre ud af fire ",
    "ni ud af ti biler ",
    "alle busser på el ",
    "fossilfri ",
    "klimaneutral ",
    "står for ",
    "forventes ",
    "EU har besluttet ",
    "i 2019 var ",
    "Vi ",
    "og ",
    ", ",
    ". ",
    "af ",
]


def _cells(seg) -> tuple:
    """The segment's table cells, relative to the unit (as ``pipeline._run_unit`` hands them on)."""
    return tuple((s - seg.start, e - seg.start, y, r) for s, e, y, r in seg.cells)


def _full_pipeline(unit: str, seg) -> tuple[dict, ...]:
    """The targets of one unit with every component run on a Doc, as ``nlp(text)`` runs them."""
    nlp = pipeline.build_pipeline()
    clean, back = strip_invisibles(unit)
    doc = nlp.make_doc(clean)
    cells = [(to_clean_offset(s, back), to_clean_offset(e, back), y, r) for s, e, y, r in _cells(seg)]
    doc.user_data.update(kl_text=clean, kl_context=seg.context, kl_kind=seg.kind, kl_cells=cells)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return tuple(pipeline._to_original(t, back) for t in get_ext(doc, "kl_targets"))


def _screened(unit: str, seg) -> tuple[dict, ...]:
    clean, back = strip_invisibles(unit)
    return pipeline._screened(pipeline._stages(), clean, seg, _cells(seg), back, (), False)[0]


def _best_possible(unit: str, seg, evidence: bool = True) -> float:
    """The screen's bound for a unit: what ``_screened`` compares with the suggestion floor."""
    stages = pipeline._stages()
    cues, years = stages.cues.find(unit), stages.years.find(unit)
    labels = {c.label for c in live_cues(unit, cues, years)}
    found = frozenset(c.label for c in stages.evidence.find(unit)) if evidence else None
    return load_model().best_possible(pipeline._facts(seg, (), labels, found, years))


def test_gold_units_are_screened_to_the_same_targets_as_the_full_pipeline() -> None:
    units = gold_units()
    assert len(units) > 400
    skipped = 0
    for unit, seg in units:
        full = _full_pipeline(unit, seg)
        assert _screened(unit, seg) == full, unit
        skipped += not full
    assert skipped > 100  # the gold holds many candidates that are no target


def test_the_bound_is_above_every_candidate_of_the_gold() -> None:
    """No candidate scores above its unit's best possible logit: the screen can never drop a target."""
    import math

    model = load_model()
    checked = 0
    for unit, seg in gold_units():
        if seg.cells:
            continue  # (rows of a baseline column skip the screen)
        bounds = (_best_possible(unit, seg, evidence=False), _best_possible(unit, seg))
        clean, back = strip_invisibles(unit)
        found, _ = pipeline._screened(pipeline._stages(), clean, seg, (), back, (), True)
        for candidate in found:
            logit = model.logit(candidate["features"])
            assert logit <= bounds[1] + 1e-9 and bounds[1] <= bounds[0] + 1e-9, unit
            checked += 1
    assert checked > 300 and math.isfinite(model.floor)


def test_the_bound_follows_the_weights_it_is_given() -> None:
    """With weights where a statistic word is always against and nothing else can be for it, a unit
    with that word and no figure cue cannot reach the floor; give it a commitment and it can."""
    from extractors.bound import UnitFacts
    from extractors.scorer import Model

    model = Model(
        weights={
            "NEG_STAT@phrase": -3.0,
            "NEG_STAT@clause": -2.5,
            "NEG_STAT@sentence": -2.0,
            "BINDING@phrase": 4.0,
            "anchor=qty": 0.5,
            "anchor=end": 1.0,
            "kind=sentence": 0.2,
        },
        bias=-1.0,
        target=0.6,
        suggestion=0.2,
    )
    facts = UnitFacts(
        frozenset({"kind=sentence"}), frozenset({"NEG_STAT"}), frozenset(), frozenset(), (), None
    )
    assert model.best_possible(facts) == -1.0 + 0.2 - 2.0 + 0.5  # the statistic fires somewhere; no end state
    assert model.best_possible(facts) < model.floor
    committed = UnitFacts(
        facts.context, frozenset({"NEG_STAT", "BINDING"}), frozenset(), frozenset(), (), None
    )
    assert model.best_possible(committed) >= model.floor


def test_units_with_one_screen_key_have_one_bound() -> None:
    """The screen remembers a unit's bound by ``_screen_key``: units alike in it are alike in their facts'
    bound (gold units and those of a generated plan, whose blocks differ, with and without a goal before)."""
    from benchmarks.bench_extract import generate_plan
    from extractors.triggers import TriggerIndex

    stages, model = pipeline._stages(), load_model()
    plan = generate_plan(20_000)
    triggers = TriggerIndex(plan)
    units = [*gold_units()]
    units += [(plan[s.start : s.end], s) for s in pipeline.segments(plan, triggers) if s.kind != "row"]
    bounds: dict[tuple, float] = {}
    for unit, seg in units:
        cues, years = stages.cues.find(unit), stages.years.find(unit)
        labels = {c.label for c in live_cues(unit, cues, years)}
        evidence = frozenset(c.label for c in stages.evidence.find(unit))
        rate = stages.quantities.may_rate(unit)
        for neighbours in pipeline._NEIGHBOURS.values():
            key = pipeline._screen_key(seg, neighbours, labels, evidence, years, rate)
            bound = model.best_possible(pipeline._facts(seg, neighbours, labels, evidence, years, rate))
            assert bounds.setdefault(key, bound) == bound, unit
    assert len(bounds) > 500


def test_a_commitment_passes_the_screen() -> None:
    seg = pipeline.Segment(0, 0, "sentence", pipeline.Context())
    assert _best_possible("Kommunen skal reducere udledningen med 70 % i 2030.", seg) >= load_model().floor


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25).map("".join), st.booleans())
def test_may_anchor_is_false_only_where_no_target_can_be_found(text: str, in_list: bool) -> None:
    stages = pipeline._stages()
    cues, years = stages.cues.find(text), stages.years.find(text)
    cues = live_cues(text, cues, years)
    labels = {c.label for c in cues}
    quantities = stages.quantities.find(text)
    possible = may_anchor(text, quantities, labels)
    context = pipeline.Context(target_list=in_list, in_list=in_list)
    seg = pipeline.Segment(0, len(text), "item" if in_list else "sentence", context)
    if _full_pipeline(text, seg):
        assert possible, text


def test_a_sentence_whose_only_numbers_are_years_has_no_anchor() -> None:
    text = "Klimaplanen gælder for perioden 2023-2050 og evalueres i 2030."
    stages = pipeline._stages()
    labels = {c.label for c in stages.cues.find(text)}
    assert not may_anchor(text, stages.quantities.find(text), labels)


def test_a_direction_verb_without_amount_or_end_state_anchors_no_candidate() -> None:
    """A qualitative goal ("reducere energiforbruget inden 2030") is no target by the annotation guide;
    with an amount the verb's quantity anchors it."""
    assert pipeline.collect_candidates("Vi vil reducere energiforbruget inden 2030.") == []
    (candidate,) = pipeline.collect_candidates("Vi vil reducere energiforbruget med 20 % inden 2030.")
    assert (candidate["anchor_kind"], candidate["value"], candidate["direction"]) == ("qty", 20.0, "reduce")


def test_may_add_share_holds_wherever_refine_adds_a_quantity() -> None:
    for text in ("tre ud af fire ture", "9 ud af 10 husstande", "en ud af fem", "halvdelen af bilerne"):
        quantities = [Quantity(0, 1, 1.0, None, "bare", "qty.bare")]
        before = len(quantities)
        refine(text, quantities, [], fold(text))
        added = any(q.rule_id != "qty.bare" for q in quantities) or len(quantities) > before
        assert may_add_share(text) or not added, text
    assert may_add_share("tre ud af fire ture")
    assert not may_add_share("udledningen fra transport")


RATE_FRAGMENTS = [
    "om året",
    "årligt",
    "årlig",
    "pr. år",
    "pr år",
    "per år",
    "hvert år",
    "om år",
    "/år",
    "ÅRLIGT",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [*RATE_FRAGMENTS, "25 %", "10 ton ", "3 GWh", " spares ", "med ", "mindst ", "og ", ", "]
        ),
        min_size=1,
        max_size=15,
    ).map(" ".join)
)
def test_a_rate_needs_the_rate_word(text: str) -> None:
    finder = pipeline._stages().quantities
    if any(q.rate for q in finder.find(text)):
        assert finder.may_rate(text), text
    if not finder.may_rate(text):
        assert not any(q.rate for q in finder.find(text))


def test_every_rate_phrase_is_read_as_a_rate() -> None:
    finder = pipeline._stages().quantities
    for phrase in RATE_FRAGMENTS:
        assert [q.rate for q in finder.find(f"10 ton {phrase}")] == ["per_year"], phrase


def test_a_figure_without_year_rate_or_commitment_is_no_target() -> None:
    assert pipeline.extract_targets("De har stor indflydelse på en reduktion på 25 %.") == []


def test_a_goal_noun_keeps_a_yearless_end_state() -> None:
    found = pipeline.extract_targets("Vores mål er, at kommunen bliver klimaneutral.", suggestions=True)
    assert [t.direction for t in found] == ["neutral"]


VALUE_FRAGMENTS = [
    "2030",
    "2023-2050",
    "i 2030 ",
    "2030 ton ",
    "2030 %",
    "2030 af kommunens 98 skoler ",
    "12 af kommunens 98 skoler ",
    "DK2020 ",
    "1/2 ",
    "25 ",
    "1.2030 ",
    "3,5 ",
    "femogtyve ",
    "enogtyve hektar ",
    "halvdelen ",
    "fordoble ",
    "en kvart ",
    "tre ud af fire ",
    "mio. kr. ",
    "Vi ",
    "skal ",
    "planen ",
    ", ",
    ". ",
]
value_texts = st.lists(st.sampled_from(VALUE_FRAGMENTS), min_size=1, max_size=12).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value_texts)
def test_may_find_value_is_false_only_where_every_quantity_is_a_bare_year(text: str) -> None:
    finder = pipeline._stages().quantities
    if not finder.may_find_value(text):
        assert all(q.kind == "bare" and yearlike(text, q) for q in finder.find(text)), text


def test_may_find_value_says_no_to_years_alone() -> None:
    finder = pipeline._stages().quantities
    assert not finder.may_find_value("Klimaplanen gælder for perioden 2023-2050 og evalueres i 2030.")
    assert finder.may_find_value("I 2030 plantes 2030 ton træ.")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS + VALUE_FRAGMENTS), min_size=1, max_size=20).map("".join),
    st.booleans(),
)
def test_screened_units_give_what_the_full_pipeline_gives(text: str, in_list: bool) -> None:
    context = pipeline.Context(target_list=in_list, in_list=in_list)
    seg = pipeline.Segment(0, len(text), "item" if in_list else "sentence", context)
    assert _screened(text, seg) == _full_pipeline(text, seg), text
