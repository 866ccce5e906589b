"""The rule pipeline: find every target in a document text.

``extract_targets(text)`` cuts the text into sentences, list items and table
rows with their heading context (``extractors.segment``), keeps the units that
contain something a target needs (a digit, an end-state word, a fraction, or a
place in a target list), and runs the components of the spaCy pipeline
(``spacy.blank("da")`` + the registered ``klimamaal_*`` components) only on
those. Every clause with an anchor is a candidate; the scorer weighs its named
evidence and puts it in a band: a target, a suggestion for reviewers, or
nothing (``extractors.scorer``).

Every component reads characters, not tokens (values glue to their neighbours
in real text: "over12%", "C02-neutral"), and each offers the work of its
``__call__`` as ``find`` on plain values. ``nlp(text)`` runs them on a Doc, as
spaCy does; ``extract_targets`` calls ``find`` on each unit's string (cues,
years, then quantities, evidence and the assembler), so a unit costs no
tokenisation (see ``_screened``). Between cues and quantities it asks the model
for the best score any candidate of the unit could reach, and stops when even
that is below the suggestion band: the screen is computed from the weights, not
kept beside them. Both paths give the same targets
(tests/test_extract_screen.py). The pipeline is built once per process.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import fields
from functools import cache, lru_cache
from itertools import chain, product
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import spacy
from spacy.language import Language

from extractors import fields as target_fields
from extractors import headings
from extractors.anchors import ANCHOR_LABELS, may_anchor
from extractors.bound import UnitFacts
from extractors.components.cues import CueMarker
from extractors.components.evidence import EvidenceMarker, heading_evidence
from extractors.components.quantities import QuantityFinder
from extractors.components.targets import SAME_PERIOD, TargetAssembler
from extractors.components.years import YearFinder
from extractors.evidence import ADOPTS, COMMIT, NEIGHBOUR_FEATURES, context_features, live_cues, unit_evidence
from extractors.normalise import strip_invisibles, to_clean_offset, to_original_span
from extractors.refine import may_add_share
from extractors.scorer import WEIGHTS_FILE, load_model
from extractors.segment import Context, Segment, SegmentState, StatedTargets, genre_of, segments
from extractors.target import Target
from extractors.triggers import TriggerIndex

_HERE = Path(__file__).resolve().parent
#: Rule files whose content defines the extractor's behaviour; their digest is part of the version,
#: so a changed pattern or rule re-extracts stored documents without anyone bumping a number.
_RULE_FILES = (
    *sorted((_HERE / "patterns").glob("*.json*")),
    *sorted((_HERE / "components").glob("*.py")),
    WEIGHTS_FILE,
    *(
        _HERE / name
        for name in (
            "anchors.py",
            "evidence.py",
            "scorer.py",
            "fields.py",
            "numbers.py",
            "segment.py",
            "headings.py",
            "triggers.py",
            "caseless.py",
            "regex_source.py",
            "target.py",
            "pipeline.py",
            "refine.py",
            "normalise.py",
        )
    ),
)


def _rules_digest() -> str:
    digest = hashlib.sha1()
    for path in _RULE_FILES:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


EXTRACTOR_VERSION = f"rules-3+{_rules_digest()}"

COMPONENTS = (
    "klimamaal_cues_v1",
    "klimamaal_quantities_v1",
    "klimamaal_years_v1",
    "klimamaal_evidence_v1",
    "klimamaal_targets_v1",
)

#: Units longer than this are cut into windows before parsing (a 1 MB "sentence" is not prose).
MAX_UNIT_CHARS = 2000


@cache
def build_pipeline() -> Language:
    """``spacy.blank("da")`` with the klimamaal components, built once (importing their modules,
    as this one does, registers their factories with spaCy)."""
    nlp = spacy.blank("da")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


class _Stages(NamedTuple):
    """The pipeline's components as ``extract_targets`` calls them: their ``find`` on plain values."""

    cues: CueMarker
    quantities: QuantityFinder
    years: YearFinder
    evidence: EvidenceMarker
    targets: TargetAssembler


@cache
def _stages() -> _Stages:
    nlp = build_pipeline()
    cues, quantities, years, evidence, targets = (nlp.get_pipe(name) for name in COMPONENTS)
    return _Stages(cues, quantities, years, evidence, targets)


def _candidate(seg: Segment, triggers: TriggerIndex) -> bool:
    """Is ``seg`` worth parsing? ``triggers`` (the text's index) makes the test a lookup."""
    if seg.kind == "heading" and seg.end - seg.start > 300:
        return False
    if seg.context.in_list and (seg.context.target_list or seg.context.year is not None):
        return True
    return triggers.might_hold(seg.start, seg.end)


def _windows(seg: Segment) -> list[tuple[int, int]]:
    if seg.end - seg.start <= MAX_UNIT_CHARS:
        return [(seg.start, seg.end)]
    return [(s, min(s + MAX_UNIT_CHARS, seg.end)) for s in range(seg.start, seg.end, MAX_UNIT_CHARS)]


def extract_targets(text: str, state: SegmentState | None = None, suggestions: bool = False) -> list[Target]:
    """Every target in ``text`` (and, with ``suggestions``, every suggestion too), in text order;
    ``text[t.start:t.end] == t.quote`` for each.

    ``state`` carries heading and list context (and the document's genre) from an earlier window
    of the same document (see ``extractors.windowed``); it is updated to the context at the end of
    ``text``."""
    if state is None:
        state = SegmentState()
    results = continue_years(_run(text, collect=False, state=state), state.stated)
    found = [Target(**fields_) for fields_ in results]
    return found if suggestions else [t for t in found if t.band == "target"]


def collect_candidates(text: str) -> list[dict]:
    """Every candidate of ``text`` with its evidence and fields, unscored (what ``klimamaal train`` fits on).

    No early exit: the screen is the model's, and the model is what is being fit. Each
    candidate keeps ``unit_start``, ``block`` and ``unit_kind`` so :func:`continue_years` can replay it.
    """
    return list(_run(text, collect=True))


def _run(text: str, collect: bool, state: SegmentState | None = None):
    """The results of every unit in text order, each with its unit's start, block and kind (see continue_years)."""
    if not text:
        return
    stages = _stages()
    goal_before: tuple[int, bool] = (-1, False)  # (block, stated a goal with a year) of the last sentence
    triggers = TriggerIndex(text)
    if state is None:
        state = SegmentState()
        state.genre = genre_of(text)
    elif not state.genre_read:
        state.genre = genre_of(text)  # the first window of a document decides its genre
    state.genre_read = True
    for block in _by_block(segments(text, triggers, state)):
        chosen = [_candidate(seg, triggers) for seg in block]
        if not any(chosen):
            continue
        adopted_after, read = _adopted_after(stages, text, block, chosen)
        for i, (seg, wanted, adopted) in enumerate(zip(block, chosen, adopted_after, strict=True)):
            if not wanted:
                continue
            after_goal = goal_before[1] and goal_before[0] == seg.context.block
            neighbours = _NEIGHBOURS[after_goal, adopted]
            goal_here = False
            for ws, we in _windows(seg):
                results, goal = _run_unit(stages, text[ws:we], seg, ws, neighbours, collect, read.get(i))
                goal_here = goal_here or goal
                for found in results:
                    start, end = found["start"] + ws, found["end"] + ws
                    yield {
                        **found,
                        "start": start,
                        "end": end,
                        "quote": text[start:end],
                        "unit_start": seg.start,
                        "block": seg.context.block,
                        "unit_kind": seg.kind,
                    }
            if seg.kind == "sentence":
                goal_before = (seg.context.block, goal_here)


def _by_block(found: Iterable[Segment]) -> Iterator[list[Segment]]:
    """The segments of each block (paragraph, list, table) together, in text order."""
    block: list[Segment] = []
    for seg in found:
        if block and seg.context.block != block[0].context.block:
            yield block
            block = []
        block.append(seg)
    if block:
        yield block


#: Cue labels of a sentence that takes up a requirement or goal stated before it in its paragraph ("…
#: skærpes til 55 % i 2025 og 60 % i 2030. Planens vigtigste mål er at opfylde kravene").
_ADOPTING = frozenset({"ADOPT", "MEET"})


def _adopted_after(
    stages: _Stages, text: str, block: list[Segment], chosen: list[bool]
) -> tuple[list[bool], dict[int, list]]:
    """For each segment of a block: does a later sentence of the block take up a goal or requirement
    (:data:`_ADOPTING`)? And the cues read to tell, by segment index, for the units to use.

    Read from the block's end back to its first chosen segment, and only until the last
    sentence that does: most paragraphs are one sentence and need no reading. A sentence is
    read here or as a unit, never both (a unit too long for one window is not read here)."""
    out = [False] * len(block)
    read: dict[int, list] = {}
    first = chosen.index(True)
    for i in range(len(block) - 1, first, -1):
        seg = block[i]
        if seg.kind != "sentence" or seg.end - seg.start > MAX_UNIT_CHARS:
            continue
        clean, _ = strip_invisibles(text[seg.start : seg.end])
        read[i] = cues = stages.cues.find(clean)
        if any(c.label in _ADOPTING for c in cues):
            out[:i] = [True] * i
            break
    return out, read


#: A unit's neighbour features by whether each of :data:`~extractors.evidence.NEIGHBOUR_FEATURES` holds
#: (the sentence before, in its block, stated a goal with a year; a later one takes up a goal or requirement),
#: built once so a unit's tuple is shared, not made anew.
_NEIGHBOURS: dict[tuple[bool, ...], tuple[str, ...]] = {
    flags: tuple(name for name, on in zip(NEIGHBOUR_FEATURES, flags, strict=True) if on)
    for flags in product((False, True), repeat=len(NEIGHBOUR_FEATURES))
}


def continue_years(found: Iterable[dict], stated: StatedTargets | None = None) -> Iterator[dict]:
    """Banded results in text order, with a target year carried into the sentence that continues a target
    ("… 120.000 tons i 2030. Det svarer til en reduktion på 55 %."), and the unit keys dropped.

    A sentence continues the last sentence before it that held a candidate when both
    are in one block and that one's last target (band "target") has a year. A target restated
    without its baseline takes the one it was stated with (:func:`_restated_baseline`), and a goal
    named without its year the year it was stated with (:func:`_restated_year`); ``stated`` remembers
    what the document's targets stated so far (a windowed document passes its state's).
    """
    previous: tuple[int, dict] | None = None  # (block, last target) of the last sentence with a candidate
    if stated is None:
        stated = StatedTargets()
    group: list[dict] = []
    for item in chain(found, (None,)):  # streamed: a document's results are not all held at once
        if group and (item is None or item["unit_start"] != group[0]["unit_start"]):
            first = group[0]
            if first["unit_kind"] == "sentence":
                block = first["block"]
                if previous is not None and previous[0] == block and previous[1]["target_year"]:
                    group = [_continue_year(t, previous[1]) for t in group]
                targets = [t for t in group if t.get("band") == "target"]
                previous = (block, targets[-1]) if targets else None
            group = [_restated_year(_restated_baseline(t, stated), stated) for t in group]
            for t in group:
                for key in _UNIT_KEYS:
                    del t[key]
                yield t
            group = []
        if item is not None:
            group.append(item)


#: What :func:`_run` adds to each result for :func:`continue_years`.
_UNIT_KEYS = ("unit_start", "block", "unit_kind")


#: Results per (unit text, context, kind, cells): running headers, footers and scraped repeats
#: recur on every page, and the components are pure, so a repeated unit is not parsed again.
_UNIT_CACHE: dict[tuple, tuple[dict, ...]] = {}
_UNIT_CACHE_LIMIT = 20_000


def clear_unit_cache() -> None:
    """Forget every result remembered for a whole unit, clause or heading line (benchmarks call this
    before each document so a repeated run measures real work; word-level caches stay, as in use)."""
    _UNIT_CACHE.clear()
    target_fields.clear_caches()
    headings.clear_caches()


#: A context's fields but its block index, as a tuple: units that differ only in their block share a
#: cache entry. The same key as ``dataclasses.replace(context, block=0)`` at a tenth of the cost.
_context_key = attrgetter(*(f.name for f in fields(Context) if f.name != "block"))


def _run_unit(
    stages: _Stages,
    unit: str,
    seg: Segment,
    offset: int,
    neighbours: tuple[str, ...],
    collect: bool,
    cues: list | None = None,
) -> tuple[tuple[dict, ...], bool]:
    """Results of one unit (offsets relative to it) and whether it states a goal with a year; cached.
    ``cues``: the unit's cues when they were read already (see :func:`_adopted_after`)."""
    cells = tuple((s - offset, e - offset, y, r) for s, e, y, r in seg.cells) if seg.cells else ()
    key = (unit, _context_key(seg.context), seg.kind, cells, neighbours, collect)
    cached = _UNIT_CACHE.get(key)
    if cached is not None:
        return cached
    clean, back = strip_invisibles(unit)  # soft hyphens etc.: match on a clean copy, map offsets back
    result = _screened(stages, clean, seg, cells, back, neighbours, collect, cues)
    if len(_UNIT_CACHE) >= _UNIT_CACHE_LIMIT:
        _UNIT_CACHE.clear()
    _UNIT_CACHE[key] = result
    return result


_ROLE_AND_YEAR = attrgetter("role", "year")
#: Cue labels that, with a deadline year, make a sentence "a goal with a year" for the one after it.
_GOAL_LABELS = COMMIT | {"GOAL", "GOAL_OWN"}


def _screened(
    stages: _Stages,
    clean: str,
    seg: Segment,
    cells: tuple,
    back: list[int] | None,
    neighbours: tuple[str, ...],
    collect: bool,
    cues: list | None = None,
) -> tuple[tuple[dict, ...], bool]:
    """Results of one cleaned unit: the components' ``find`` in pipeline order, stopping where none can follow.

    A unit with nothing to anchor a target on stops after its cues. One whose best
    possible score (:meth:`Model.best_possible`, from its context, its live cue labels,
    its evidence words and its years) is below the suggestion band stops before its
    quantities are read.
    """
    if cues is None:
        cues = stages.cues.find(clean)
    if _nothing_to_anchor(stages, clean, cues):
        return (), False
    years = stages.years.find(clean)
    live = live_cues(clean, cues, years) if cues else cues
    labels = {c.label for c in live}
    goal = not labels.isdisjoint(_GOAL_LABELS) and any(y.role in ("in", "by") for y in years)
    topics = None
    if not collect and not cells:  # (table cells give years roles the facts do not see: no screen there)
        model = load_model()
        topics = stages.evidence.find(clean)
        evidence_labels = frozenset(t.label for t in topics)
        rate = stages.quantities.may_rate(clean)
        best = model.best_possible_for(
            _screen_key(seg, neighbours, labels, evidence_labels, years, rate),
            lambda: _facts(seg, neighbours, labels, evidence_labels, years, rate),
        )
        if best < model.floor:
            return (), goal
    quantities = stages.quantities.find(clean)
    if not may_anchor(clean, quantities, labels):
        return (), goal
    found = stages.targets.find(
        clean,
        cues,
        quantities,
        years,
        seg.context,
        seg.kind,
        _clean_cells(cells, back),
        stages.evidence.find if topics is None else (lambda _text, found=topics: found),
        neighbours,
        collect,
    )
    return _originals(found, back), goal


def _screen_key(
    seg: Segment,
    neighbours: tuple[str, ...],
    labels: set[str],
    evidence: frozenset[str],
    years: list,
    rate: bool,
) -> tuple:
    """Everything :func:`_facts` reads of a unit, as a key (the context but its block, which no feature
    reads): units repeat it far more often than their text."""
    return (
        _context_key(seg.context),
        seg.kind,
        neighbours,
        frozenset(labels),
        evidence,
        tuple(map(_ROLE_AND_YEAR, years)),
        rate,
    )


def _facts(
    seg: Segment,
    neighbours: tuple[str, ...],
    labels: set[str],
    evidence: frozenset[str] | None,
    years: list,
    rate_possible: bool = True,
) -> UnitFacts:
    """What the screen knows of a unit before its quantities (see ``extractors.bound``)."""
    _groups, present = _known_features(seg.context, seg.kind, neighbours)
    adopted = ADOPTS in neighbours
    heading = {label for name in present if "@" in name for label in [name.split("@", 1)[0]]}
    # the unit's summary features need its evidence words; without them the bound counts them as open
    unit = (
        ()
        if evidence is None
        else unit_evidence(labels, evidence, [(y.role, y.year) for y in years], seg.context.year, adopted)
    )
    return UnitFacts(
        context=frozenset(present) | {e.feature for e in unit},
        cue_labels=frozenset(labels),
        evidence_labels=evidence,
        heading_labels=frozenset(heading),
        years=tuple((y.role, y.year) for y in years),
        context_year=seg.context.year,
        rate_possible=rate_possible,
        adopted=adopted,
    )


@lru_cache(maxsize=4096)
def _known_features(
    seg_context: Context, kind: str, neighbours: tuple[str, ...]
) -> tuple[frozenset[str], frozenset[str]]:
    """The feature groups a unit's context determines before its anchors are read, and those that fire."""
    groups, present = context_features(seg_context, kind, neighbours, heading_evidence)
    return groups, frozenset(present)


def _nothing_to_anchor(stages: _Stages, clean: str, cues: list) -> bool:
    """No anchor cue and no figure but years: ``may_anchor`` will say no whatever the years are.

    Read before the years, so the many units whose only digits are a year
    ("I 2025 er der udviklet et nyt klimaunivers") cost one cue scan.
    """
    if any(c.label in ANCHOR_LABELS for c in cues):
        return False
    return not stages.quantities.may_find_value(clean) and not may_add_share(clean)


def _clean_cells(cells: tuple, back: list[int] | None) -> list:
    """The unit's table cells with offsets into its clean copy."""
    if not cells:
        return []
    return [(to_clean_offset(s, back), to_clean_offset(e, back), y, r) for s, e, y, r in cells]


def _originals(found: list[dict], back: list[int] | None) -> tuple[dict, ...]:
    """The unit's results with offsets mapped back to the unit text (as they are where nothing was stripped)."""
    if back is None:
        return tuple(found)
    return tuple(_to_original(t, back) for t in found)


def _to_original(found: dict, back: list[int] | None) -> dict:
    """A unit result with its offsets mapped from the clean copy back to the unit text."""
    if back is None:
        return found
    start, end = to_original_span(found["start"], found["end"], back)
    return {**found, "start": start, "end": end}


def _restated_baseline(target: dict, stated: StatedTargets) -> dict:
    """A goal restated without its baseline ("målet om 70 % reduktion i 2030") has the one it was stated
    with earlier in the document ("… 70 % i 2030 i forhold til 1990"): the same amount, unit, year and
    direction (a share of 70 % to reach in 2030 is another goal)."""
    if target["value"] is None or target["target_year"] is None or target.get("band") != "target":
        return target
    key = (target["value"], target["unit"], target["target_year"], target["direction"])
    if target["baseline_year"] is not None:
        stated.baselines.setdefault(key, target["baseline_year"])
        return target
    baseline = stated.baselines.get(key)
    if baseline is None:
        return target
    return {
        **target,
        "baseline_year": baseline,
        "rule_ids": (*target["rule_ids"], "context.restated_baseline"),
    }


#: A goal named by its content ("målet om CO2-neutralitet", "målsætningen om 70 % reduktion").
_NAMED_GOAL = re.compile(r"\b(?:\w*mål(?:et|ene)?|\w*målsætning(?:en|er|erne)?|ambition(?:en)?)\s+om\b", re.I)


def _restated_year(target: dict, stated: StatedTargets) -> dict:
    """A goal named without its year ("omsætte målet om CO2-neutralitet til handlinger") has the year it
    was stated with earlier in the document ("klimaneutral … inden 2050"): the same amount, unit and
    direction, stated with one year only (two goals of the same kind for different years say nothing)."""
    key = (target["value"], target["unit"], target["direction"])
    if target["target_year"] is not None:
        if target.get("band") == "target":
            was = stated.years.get(key, (target["target_year"], target["deadline_kind"]))
            stated.years[key] = was if was is not None and was[0] == target["target_year"] else None
        return target
    year = stated.years.get(key)
    if year is None or target.get("band") is None or _NAMED_GOAL.search(target["quote"]) is None:
        return target
    return {
        **target,
        "target_year": year[0],
        "deadline_kind": year[1],
        "rule_ids": (*target["rule_ids"], "context.restated_year"),
    }


#: How a sentence opens that says again what the sentence before it said, in other words.
_IN_OTHER_WORDS = re.compile(r"(?:det\s+(?:betyder|vil\s+sige|indebærer)|dvs\.?|med\s+andre\s+ord)\b", re.I)


def _restates_end_state(target: dict, previous: dict) -> bool:
    """ "… skal være CO2-neutral i 2030. Det betyder, at udledningen skal ned på netto-nul": the same end
    state again, in a sentence that says it restates; a new end state after a dated one has no year."""
    return (
        target["direction"] == previous["direction"]
        and previous["value"] is None
        and _IN_OTHER_WORDS.match(target["quote"]) is not None
    )


#: Words that set a sentence's goal at the time of the one before ("Samtidig skal halvdelen …", "Senest
#: samme år skal …", and the period a clause's baseline is taken from: ``targets.SAME_PERIOD``).
_SAME_TIME = re.compile(
    r"\b(?:samtidig|samtidigt|på\s+samme\s+tid|samme\s+år|inden\s+da|til\s+den\s+tid)\b|"
    + SAME_PERIOD.pattern,
    re.I,
)


def _commits_itself(target: dict) -> bool:
    """Does the target's own clause commit to it ("Andelen … skal være mindst 60 %", commit@near), as the
    next goal of a list does, rather than go on about the one before ("Det svarer til …", "Samtidig skal
    …")?"""
    quote = target["quote"]
    return (
        any(e[0] == "commit@near" for e in target.get("evidence", ()))
        and not _IN_OTHER_WORDS.match(quote)
        and not _SAME_TIME.search(quote)
    )


def _continue_year(target: dict, previous: dict) -> dict:
    """A sentence that goes on about the target before it ("Det svarer til en reduktion på 55 %") shares its
    year, and its words for what is measured when it has none of its own. A goal of its own is no such
    sentence: the next line of a list of goals ("… skal reduceres med 50 % i 2030." / "Andelen af økologi
    skal være mindst 60 %.") has the year it states, or none."""
    bare_end_state = target["direction"] in ("neutral", "phase_out") and target["value"] is None
    if (
        target["target_year"] is not None
        or (bare_end_state and not _restates_end_state(target, previous))
        or target["rate"] == "per_year"  # "… falde med 1,5 % om året": a yearly pace, no year of its own
        or _commits_itself(target)
    ):
        return target
    return {
        **target,
        "target_year": previous["target_year"],
        "deadline_kind": "in",
        "metric": target["metric"] or previous["metric"],
        "rule_ids": (*target["rule_ids"], "context.previous_sentence_year"),
    }
