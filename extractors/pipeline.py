"""The rule pipeline: find every target in a document text.

``extract_targets(text)`` cuts the text into sentences, list items and table
rows with their heading context (``extractors.segment``), keeps the units
that contain something a target needs (a digit, an end-state word, a
fraction, or a place in a target list), and runs the components of the spaCy
pipeline (``spacy.blank("da")`` + the registered ``klimamaal_*`` components)
only on those. Most prose has no trigger, so it is never read twice; that is
what keeps extraction within a fraction of bare tokenisation speed on whole
plans.

Every component reads characters, not tokens (values glue to their
neighbours in real text: "over12%", "C02-neutral"), and each offers the work
of its ``__call__`` as ``find`` on plain values. ``nlp(text)`` runs them on a
Doc, as spaCy does; ``extract_targets`` calls ``find`` on each unit's string
(cues, years, quantities, in the order the screen between them needs, then
the assembler), so a unit costs no tokenisation (see ``_screened``). Both give
the same targets
(tests/test_extract_screen.py). The pipeline is built once per process and
reused.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields, replace
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import spacy
from spacy.language import Language

from extractors import fields as target_fields
from extractors import headings
from extractors.anchors import ANCHOR_LABELS, may_anchor
from extractors.components.cues import CueMarker
from extractors.components.quantities import QuantityFinder
from extractors.components.targets import TargetAssembler
from extractors.components.types import YearMention
from extractors.components.years import YearFinder
from extractors.decide import live_cues, needs_a_rate, rejects_by_cues
from extractors.normalise import strip_invisibles, to_clean_offset, to_original_span
from extractors.refine import may_add_share
from extractors.segment import Context, Segment, SegmentState, segments
from extractors.target import Target
from extractors.triggers import TriggerIndex

_HERE = Path(__file__).resolve().parent
#: Rule files whose content defines the extractor's behaviour; their digest is part of the version,
#: so a changed pattern or rule re-extracts stored documents without anyone bumping a number.
_RULE_FILES = (
    *sorted((_HERE / "patterns").glob("*.json*")),
    *sorted((_HERE / "components").glob("*.py")),
    *(
        _HERE / name
        for name in (
            "anchors.py",
            "decide.py",
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


EXTRACTOR_VERSION = f"rules-2+{_rules_digest()}"

COMPONENTS = (
    "klimamaal_cues_v1",
    "klimamaal_quantities_v1",
    "klimamaal_years_v1",
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
    targets: TargetAssembler


@cache
def _stages() -> _Stages:
    nlp = build_pipeline()
    cues, quantities, years, targets = (nlp.get_pipe(name) for name in COMPONENTS)
    return _Stages(cues, quantities, years, targets)


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


def extract_targets(text: str, state: SegmentState | None = None) -> list[Target]:
    """Every target in ``text``; ``text[t.start:t.end] == t.quote`` for each.

    ``state`` carries heading and list context from an earlier window of the same document
    (see ``extractors.windowed``); it is updated to the context at the end of ``text``."""
    if not text:
        return []
    stages = _stages()
    targets: list[Target] = []
    previous: tuple[int, int | None] | None = None  # (block, year) of the last sentence that held a target
    triggers = TriggerIndex(text)
    for seg in segments(text, triggers, state):
        if not _candidate(seg, triggers):
            continue
        found_here: list[Target] = []
        for ws, we in _windows(seg):
            for found in _run_unit(stages, text[ws:we], seg, ws):
                start, end = found["start"] + ws, found["end"] + ws
                found_here.append(Target(**{**found, "start": start, "end": end, "quote": text[start:end]}))
        if (
            seg.kind == "sentence"
            and previous is not None
            and previous[0] == seg.context.block
            and previous[1]
        ):
            found_here = [_continue_year(t, previous[1]) for t in found_here]
        if seg.kind == "sentence":
            previous = (seg.context.block, found_here[-1].target_year) if found_here else None
        targets.extend(found_here)
    return targets


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


def _run_unit(stages: _Stages, unit: str, seg: Segment, offset: int) -> tuple[dict, ...]:
    """Targets of one unit (offsets relative to it), through the components or the cache."""
    cells = tuple((s - offset, e - offset, y, r) for s, e, y, r in seg.cells) if seg.cells else ()
    key = (unit, _context_key(seg.context), seg.kind, cells)
    cached = _UNIT_CACHE.get(key)
    if cached is not None:
        return cached
    clean, back = strip_invisibles(unit)  # soft hyphens etc.: match on a clean copy, map offsets back
    result = _screened(stages, clean, seg, cells, back)
    if len(_UNIT_CACHE) >= _UNIT_CACHE_LIMIT:
        _UNIT_CACHE.clear()
    _UNIT_CACHE[key] = result
    return result


def _screened(
    stages: _Stages,
    clean: str,
    seg: Segment,
    cells: tuple,
    back: list[int] | None,
) -> tuple[dict, ...]:
    """Targets of one cleaned unit: the components' ``find`` in pipeline order, stopping where none can follow.

    A unit whose cues alone make ``decide`` reject every clause (a statistic,
    history, another body's goal: a fifth of a plan's candidates) stops after
    cues and years; one that ``decide`` must reject for want of a year, a rate or
    a commitment, or that has nothing to anchor a target on, stops after
    quantities. Only the rest is assembled. Rows of a table with a baseline
    column skip the screen: the column gives its years a role the year
    component does not see.
    """
    cues = stages.cues.find(clean)
    if _nothing_to_anchor(stages, clean, cues):
        return ()
    years = stages.years.find(clean)
    # a baseline column makes its years baselines, which void the cues inside them (see live_cues)
    if cells and any(cell[3] == "baseline" for cell in cells):
        quantities = stages.quantities.find(clean)
        found = stages.targets.find(
            clean, cues, quantities, years, seg.context, seg.kind, _clean_cells(cells, back)
        )
        return _originals(found, back)
    live = live_cues(clean, cues, years)
    labels = {c.label for c in live}
    if rejects_by_cues(labels, seg.kind, seg.context):
        return ()
    rate_needed = needs_a_rate(labels, years, seg.kind, seg.context)
    if rate_needed and not stages.quantities.may_rate(clean):
        return ()  # no figure of it can carry a rate
    quantities = stages.quantities.find(clean)
    if (rate_needed and not any(q.rate for q in quantities)) or not may_anchor(
        clean, quantities, labels, _has_deadline(years, cells)
    ):
        return ()
    # the screen above is rejects_every_clause with these live cues: assembly need not repeat it
    found = stages.targets.find(
        clean, cues, quantities, years, seg.context, seg.kind, _clean_cells(cells, back), (live, labels)
    )
    return _originals(found, back)


def _nothing_to_anchor(stages: _Stages, clean: str, cues: list) -> bool:
    """No anchor cue and no figure but years: ``may_anchor`` will say no whatever the years are.

    Read before the years (live cues are a subset of these), so the many units whose only
    digits are a year ("I 2025 er der udviklet et nyt klimaunivers") cost one cue scan.
    """
    if any(c.label in ANCHOR_LABELS for c in cues):
        return False
    return not may_add_share(clean) and not stages.quantities.may_find_value(clean)


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


def _has_deadline(years: list[YearMention], cells: tuple) -> bool:
    """A year in the role "in" or "by", or a table's year column, which gives its years that role."""
    return any(y.role in ("in", "by") for y in years) or any(cell[3] == "year" for cell in cells)


def _to_original(found: dict, back: list[int] | None) -> dict:
    """A unit result with its offsets mapped from the clean copy back to the unit text."""
    if back is None:
        return found
    start, end = to_original_span(found["start"], found["end"], back)
    return {**found, "start": start, "end": end}


def _continue_year(target: Target, year: int) -> Target:
    """A sentence that goes on about the target before it ("Det betyder, at …") shares its year."""
    if (
        target.target_year is not None
        or target.direction in ("neutral", "phase_out")
        and target.value is None
    ):
        return target
    return replace(
        target,
        target_year=year,
        deadline_kind="in",
        rule_ids=(*target.rule_ids, "context.previous_sentence_year"),
    )
