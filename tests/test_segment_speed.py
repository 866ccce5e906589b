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

from extractors import segment as seg

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
    "fri",
    "edel",
    "dobl",
]
texts = st.lists(st.sampled_from(WORDS) | st.text(alphabet=ALPHABET, max_size=6), max_size=10).map("".join)


def test_latin1_lower_cases_to_one_latin1_character() -> None:
    for b in range(256):
        low = chr(b).lower()
        assert len(low) == 1 and ord(low) < 256
        assert seg._FOLD[b] == (ord("0") if chr(b) in "0123456789" else ord(low))


def test_fold_breakers_are_the_characters_outside_latin1_that_lower_case_into_it() -> None:
    breakers = [ch for ch in ALL_CHARS[256:] if len(ch.lower()) != 1 or ord(ch.lower()) < 256]
    assert tuple(breakers) == seg._FOLD_BREAKERS


def test_folded_text_has_the_triggers_where_the_lower_cased_text_has_them() -> None:
    text = "Kulfri OG FOSSILFRI 2030 – CO₂ ½ Σ procent"
    folded = seg.fold_latin1(text)
    assert folded is not None and len(folded) == len(text)
    low = text.lower()
    for i, ch in enumerate(low):
        expected = "0" if text[i] in "0123456789" else (ch if ord(ch) < 256 else "?")
        assert chr(folded[i]) == expected
    for breaker in seg._FOLD_BREAKERS:
        assert seg.fold_latin1(f"a {breaker} b") is None


def test_phrase_tail_on_the_text_is_the_phrases_on_the_lower_cased_text() -> None:
    assert seg._TRIGGER_PHRASES.pattern == r"fri\s+(?:for|af)|frie\s+(?:for|af)"
    assert seg._PHRASE_TAIL.pattern == r"[eE]?\s+(?:[fF][oO][rR]|[aA][fF])"
    space = re.compile(r"\s")
    for ch in ALL_CHARS:
        low = ch.lower()
        if ch in seg._FOLD_BREAKERS:
            continue  # texts with these are never folded
        assert len(low) == 1
        for letter in "efora":
            assert (re.fullmatch(f"[{letter}{letter.upper()}]", ch) is not None) == (low == letter), ch
        assert (space.fullmatch(ch) is not None) == (space.fullmatch(low) is not None), ch


def test_every_trigger_is_found_through_its_anchor() -> None:
    words = [w.decode("latin-1") for _, group in seg._ANCHORED_TRIGGERS for w, _ in group]
    assert sorted(words) == sorted(seg._TRIGGER_LITERALS)
    for anchor, group in seg._ANCHORED_TRIGGERS:
        for word, offset in group:
            assert word[offset : offset + len(anchor)] == anchor
    assert seg._PHRASE_ANCHOR in [anchor for anchor, _ in seg._ANCHORED_TRIGGERS]


@settings(max_examples=300, deadline=None)
@given(text=texts, data=st.data())
def test_trigger_index_answers_like_might_hold_target(text: str, data: st.DataObject) -> None:
    index = seg.TriggerIndex(text)
    spans = [(s, e) for s in range(len(text) + 1) for e in range(s, len(text) + 1)]
    if len(spans) > 400:
        spans = data.draw(st.lists(st.sampled_from(spans), max_size=400))
    for s, e in spans:
        assert index.might_hold(s, e) == seg.might_hold_target(text, s, e), (text[s:e], s, e)


ORIGINAL_SENT_BOUNDARY = re.compile(r"[.!?]+[\"”»’)]*(?=\s+[\"“”»(]?[A-ZÆØÅ0-9])")
SENTENCE_ALPHABET = '.!?"”»’)“( \t\n\u00a0aAæÆ09xZ'


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=SENTENCE_ALPHABET, max_size=40))
def test_sentence_boundary_finds_what_the_original_pattern_finds(text: str) -> None:
    for start in range(min(len(text), 3) + 1):
        old = [m.span() for m in ORIGINAL_SENT_BOUNDARY.finditer(text, start, len(text) - start)]
        new = [m.span() for m in seg._SENT_BOUNDARY.finditer(text, start, len(text) - start)]
        assert new == old
