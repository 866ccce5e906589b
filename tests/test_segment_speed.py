"""The fast paths of ``extractors.segment`` must answer exactly what the code they stand in for answers.

Each fast path names the regex or function it equals; these tests check that claim,
exhaustively over all characters where the claim is about single characters, and
with Hypothesis on adversarial text (capitals, Danish letters, digits, the
characters whose lower case leaves latin-1 or enters it) where it is about spans.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import headings as heads
from extractors import segment as seg
from extractors import triggers as trig
from extractors.caseless import CASE_BREAKERS, fold
from extractors.regex_source import top_level_alternatives

ALL_CHARS = [chr(c) for c in range(sys.maxunicode + 1)]
ALPHABET = "aAeEfFiIoOrRlLuUkKnN \t\n\u00a0\u2028,.:-0123456789æÆøØåÅİıſK₂"
WORDS = [
    "fri for",
    "FRIE\u2028AF",
    "Frie  af",
    "kulfri",
    "OLIEFRI",
    "tredobl",
    "fjerdedel",
    "FEMTEDEL",
    "procent",
    "Neutral",
    "zero",
    "uafhængig",
    "UAFHÆNGIG",
    "ophør",
    "længere",
    "LÆNGERE",
    "afhæng",
    "Zero",
    "z",
    "fri",
    "edel",
    "dobl",
]
texts = st.lists(st.sampled_from(WORDS) | st.text(alphabet=ALPHABET, max_size=6), max_size=10).map("".join)


def test_latin1_lower_cases_to_one_latin1_character() -> None:
    for b in range(256):
        low = chr(b).lower()
        assert len(low) == 1 and ord(low) < 256
        assert trig._FOLD[b] == (ord("0") if chr(b) in "0123456789" else ord(low))


def test_fold_breakers_are_the_characters_outside_latin1_that_lower_case_into_it() -> None:
    breakers = [ch for ch in ALL_CHARS[256:] if len(ch.lower()) != 1 or ord(ch.lower()) < 256]
    assert tuple(breakers) == trig._FOLD_BREAKERS


def test_folded_text_has_the_triggers_where_the_lower_cased_text_has_them() -> None:
    text = "Kulfri OG FOSSILFRI 2030 – CO₂ ½ Σ procent"
    folded = trig.fold_latin1(text)
    assert folded is not None and len(folded) == len(text)
    low = text.lower()
    for i, ch in enumerate(low):
        expected = "0" if text[i] in "0123456789" else (ch if ord(ch) < 256 else "?")
        assert chr(folded[i]) == expected
    for breaker in trig._FOLD_BREAKERS:
        assert trig.fold_latin1(f"a {breaker} b") is None


def test_phrase_tail_on_the_text_is_the_phrases_on_the_lower_cased_text() -> None:
    assert trig._TRIGGER_PHRASES.pattern == r"fri\s+(?:for|af)|frie\s+(?:for|af)"
    assert trig._PHRASE_TAIL.pattern == r"[eE]?\s+(?:[fF][oO][rR]|[aA][fF])"
    space = re.compile(r"\s")
    for ch in ALL_CHARS:
        low = ch.lower()
        if ch in trig._FOLD_BREAKERS:
            continue  # texts with these are never folded
        assert len(low) == 1
        for letter in "efora":
            assert (re.fullmatch(f"[{letter}{letter.upper()}]", ch) is not None) == (low == letter), ch
        assert (space.fullmatch(ch) is not None) == (space.fullmatch(low) is not None), ch


def test_every_trigger_is_found_through_its_anchor() -> None:
    words = [w.decode("latin-1") for _, group in trig._ANCHORED_TRIGGERS for w, _ in group]
    assert sorted(words) == sorted(trig._TRIGGER_LITERALS)
    for anchor, group in trig._ANCHORED_TRIGGERS:
        for word, offset in group:
            assert word[offset : offset + len(anchor)] == anchor
    assert trig._PHRASE_ANCHOR in [anchor for anchor, _ in trig._ANCHORED_TRIGGERS]


@settings(max_examples=300, deadline=None)
@given(text=texts, data=st.data())
def test_trigger_index_answers_like_might_hold_target(text: str, data: st.DataObject) -> None:
    index = trig.TriggerIndex(text)
    spans = [(s, e) for s in range(len(text) + 1) for e in range(s, len(text) + 1)]
    if len(spans) > 400:
        spans = data.draw(st.lists(st.sampled_from(spans), max_size=400))
    for s, e in spans:
        assert index.might_hold(s, e) == trig.might_hold_target(text, s, e), (text[s:e], s, e)


ORIGINAL_SENT_BOUNDARY = re.compile(r"[.!?]+[\"”»’)]*(?=\s+[\"“”»(]?[A-ZÆØÅ0-9])")
SENTENCE_ALPHABET = '.!?"”»’)“( \t\n\u00a0aAæÆ09xZ'


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=SENTENCE_ALPHABET, max_size=40))
def test_sentence_boundary_finds_what_the_original_pattern_finds(text: str) -> None:
    for start in range(min(len(text), 3) + 1):
        old = [m.span() for m in ORIGINAL_SENT_BOUNDARY.finditer(text, start, len(text) - start)]
        new = [m.span() for m in seg._SENT_BOUNDARY.finditer(text, start, len(text) - start)]
        assert new == old


ANCHORED = [
    *(cue for cue, _ in heads._SCOPE_CUES_ANCHORED),
    *(cue for cue, _ in heads._UNIT_HINT_ANCHORED),
    heads._DELMAAL_I_ANCHORED,
    heads.GOAL_WORD_ANCHORED,
    heads._STATUS_WORD_ANCHORED,
    heads._COMMITMENT_ANCHORED,
    heads._BASELINE_HINT_ANCHORED,
    heads._REDUCE_HINT_ANCHORED,
]
ANCHOR_CHARS = sorted({ch for cue in ANCHORED for anchor in cue.anchors for ch in anchor})


def test_every_alternative_of_an_anchored_pattern_holds_an_anchor() -> None:
    year_alternatives = top_level_alternatives(heads.YEAR[len("(?:") : -1])
    assert all(alt.startswith(heads._YEAR_ANCHORS) for alt in year_alternatives)
    for cue in ANCHORED:
        assert all(re.escape(a) in (a, "\\(") for a in cue.anchors)  # plain literals ("(" escaped)
        for alt in top_level_alternatives(cue.pattern.pattern):
            if cue.anchors == heads._YEAR_ANCHORS:
                assert "(" + heads.YEAR + ")" in alt  # (not optional: no quantifier follows the group)
                assert alt.split("(" + heads.YEAR + ")")[1][:1] not in ("?", "*", "{")
                continue
            held = [a for a in cue.anchors if re.escape(a) in alt]
            assert held, (cue.pattern.pattern, alt)
            # the anchor's characters are literals in the alternative, not inside a class or under a quantifier
            for a in held:
                after = alt.split(re.escape(a), 1)[1][:1]
                assert after not in ("?", "*", "{", "]"), (alt, a)


def test_case_breakers_are_the_characters_ignorecase_matches_to_a_letter_they_do_not_lower_case_to() -> None:
    everything = "".join(ALL_CHARS[:0xD800] + ALL_CHARS[0xE000:])
    breakers = set()
    for letter in ANCHOR_CHARS:
        for m in re.finditer(re.escape(letter), everything, re.I):
            if m.group().lower() != letter:
                breakers.add(m.group())
    assert tuple(sorted(breakers)) == CASE_BREAKERS
    # a lowered text (which header labels are searched in) has no breaker, and matches only its own letters
    lowered = set("".join(ch.lower() for ch in everything if ch not in breakers))
    assert not lowered & breakers
    # one character each, and the uncased anchor characters (digits, "(") only from themselves: an anchor
    # of those that is in a text is in its lower case (what the heading facts' first test relies on)
    uncased = {ch for ch in ANCHOR_CHARS if ch.lower() == ch.upper()}
    assert uncased >= set("0129(")
    for ch in everything:
        if ch not in breakers:
            assert len(ch.lower()) == 1 and (ch.lower() not in uncased or ch.lower() == ch), ch
    lowered_text = "".join(lowered)
    for letter in ANCHOR_CHARS:
        for m in re.finditer(re.escape(letter), lowered_text, re.I):
            assert m.group() == letter


def test_fold_is_none_exactly_for_texts_with_a_breaker() -> None:
    assert fold("Mål og ſtatus") is None
    assert fold("MÅL İ 2030") is None
    assert fold("Mål og Status") == "mål og status"


HEADING_WORDS = [
    "Delmål",
    "MÅL",
    "mål",
    "ambıtion",
    "forpligte",
    "Target",
    "status",
    "ſtatus",
    "Resultat",
    "udvikling i",
    "som medejer",
    "Forsynings-selskab",
    "gør selv",
    "som Virksomhed",
    "egen organisation",
    "kommunens egen drift",
    "i fællesskab",
    "hele kommunen",
    "KOMMUNEGRÆNSEN",
    "geografisk",
    "sammen om",
    "reduktion",
    "REDUCER",
    "nedbring",
    "(ton CO2e)",
    "(t CO2)",
    "(%)",
    "i procent",
    "(GWh)",
    "(MWh)",
    ", ton CO2e",
    "opgjort i ton CO2",
    ", %",
    ", i procent",
    ", GWh",
    ", MWh",
    "i forhold til 1990",
    "basisår 2010",
    "2030",
    "2025-2030",
    "1990",
    "2100",
    "vil vi",
    "vi skal",
    "İ",
    "ı",
    "ſ",
    "K",
]
HEADING_ALPHABET = "aAeEiIoOsSkKlLmMåÅøØ rRtT()%:-–0129\t\u00a0"
heading_texts = st.lists(
    st.sampled_from(HEADING_WORDS) | st.text(alphabet=HEADING_ALPHABET, max_size=5), max_size=6
).map(" ".join)


def _span(m: re.Match[str] | None) -> tuple[int, int] | None:
    return m.span() if m else None


@settings(max_examples=1000, deadline=None)
@given(text=heading_texts)
def test_anchored_search_finds_what_the_pattern_finds(text: str) -> None:
    low = text.lower()
    for cue in ANCHORED:
        assert _span(cue.search(text, fold(text))) == _span(cue.pattern.search(text)), (
            cue.pattern,
            text,
        )
        # the header facts search the lowered label (with the label's _lower)
        assert _span(cue.search(low, fold(text))) == _span(cue.pattern.search(low)), (
            cue.pattern,
            text,
        )


def _reference_hints(body: str) -> tuple[int | None, str | None, str | None]:
    m = heads._BASELINE_HINT.search(body)
    direction = "reduce" if heads._REDUCE_HINT.search(body) else None
    unit = next((u for pattern, u in heads._UNIT_HINT if pattern.search(body)), None)
    return (int(m.group(1)) if m else None), direction, unit


def _reference_header_year(body: str) -> int | None:
    years = list(heads.YEAR_IN_CELL.finditer(body))
    if heads.STATUS_WORD.search(body):
        return None
    if len(years) != 1 or heads._RANGE.search(body):
        return heads._goal_year_beside_period(body, years)
    stripped = body.strip(" \t\u00a0*#:–-")
    if len(stripped) > 80:
        goal = heads.GOAL_WORD.search(body) or heads._MODAL.search(body)
        closing = body.rstrip().endswith(":") and heads._CLOSING_DEADLINE.search(stripped)
        return int(years[0].group(1)) if goal and closing else None
    if heads.GOAL_WORD.search(body) or heads.HEADER_YEAR.match(stripped):
        return int(years[0].group(1))
    if heads._DEADLINE_PHRASE.search(body) and heads._MODAL.search(body):
        return int(years[0].group(1))
    return None


def _reference_scope(body: str) -> str | None:
    return next((scope for pattern, scope in heads.SCOPE_CUES if pattern.search(body)), None)


@settings(max_examples=1000, deadline=None)
@given(text=heading_texts)
def test_heading_and_header_facts_are_those_of_the_ungated_patterns(text: str) -> None:
    interim = bool(heads._DELMAAL_I.search(text))
    year = _reference_header_year(text)
    scope = _reference_scope(text)
    goal = bool(heads.GOAL_WORD.search(text)) and not heads.STATUS_WORD.search(text)
    target_list = interim or year is not None or goal or scope is not None
    expected = (interim, year, scope, target_list, _reference_hints(text))
    assert tuple(heads.heading_facts.__wrapped__(text)) == expected
    assert set(heads._HEADING_ANCHORS) >= set(heads._YEAR_ANCHORS)  # (the year's own test is on the body)
    low = text.lower()
    baseline, _, unit = _reference_hints(text) if len(text) <= 80 else (None, None, None)
    expected_header = (
        scope,
        bool(heads.STATUS_WORD.search(low)),
        bool(heads._DELMAAL.search(low)),
        bool(heads._GOAL_OR_AMBITION.search(low)),
        year,
        bool(heads._COMMITMENT.search(low)),
        baseline,
        unit,
    )
    assert tuple(heads.header_facts.__wrapped__(text)) == expected_header


def test_snapshot_puts_each_value_in_its_field() -> None:
    state = seg._State()
    state.list_scope, state.interim, state.year, state.target_list = "area", True, 2030, True
    state.hints, state.block = (1990, "reduce", "tons"), 7
    state.heading_text, state.title = "Mål for affald", "4. Affald"
    expected = seg.Context(
        scope="area",
        interim=True,
        year=2030,
        target_list=True,
        in_list=True,
        baseline=1990,
        direction="reduce",
        unit="tons",
        heading="Mål for affald",
        title="4. Affald",
        genre=None,
        block=7,
    )
    assert state.snapshot(in_list=True) == expected
    assert state.snapshot(in_list=False) == seg.Context(
        "area", True, 2030, True, False, None, None, None, "Mål for affald", "4. Affald", None, 7
    )


def test_a_stripped_line_starting_upper_case_is_no_bullet() -> None:
    # the line is stripped of [ \t\u00a0], so a match starts with a mark, a decimal digit (\d) or a-z
    assert (
        seg._BULLET.pattern == r"^[ \t\u00a0]*(?:[-–—•▪●◦*·]|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))[ \t\u00a0]*"
    )
    upper = [ch for ch in ALL_CHARS if ch.isupper()]
    assert upper
    for ch in upper:
        assert ch not in "-–—•▪●◦*·" and re.fullmatch(r"\d", ch) is None and not "a" <= ch <= "z", ch
        for tail in ("", ". x", ") x", "1. x", "- x"):
            assert seg._BULLET.match(ch + tail) is None, ch
