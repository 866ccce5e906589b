"""The fast paths of the cue and year finders must find exactly what the plain walks find.

``CueMarker.find`` reads a lower-cased text per space-separated chunk and matches the longer
patterns a word may start as one combined pattern; ``YearFinder.find`` skips patterns and
regex calls it can prove to be idle. These tests hold each shortcut to the plain procedure it
stands for, on text made of the patterns' own words, separators, digits and the characters
whose case folding is odd ("İ", "ı", "ſ", "Σ", "ß", the Kelvin sign, a soft hyphen).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.caseless import fold
from extractors.components.cues import CueMarker
from extractors.components.types import load_jsonl

MARKER = CueMarker()


def _spec_words(spec: dict) -> list[str]:
    """Words a token spec may match: its literals, or the letter runs of its regex ("^(reduc|sænk)")."""
    value = spec.get("LOWER", spec.get("TEXT"))
    if value is None:
        return ["noget", ","]
    if isinstance(value, str):
        return [value]
    if "REGEX" in value:
        return re.findall(r"[a-zæøå₂0-9-]{2,}", value["REGEX"].replace("\\w", "")) or ["x"]
    return list(value.get("IN", ())) + list(value.get("NOT_IN", ()))[:2]


PATTERNS = [entry["pattern"] for entry in load_jsonl("cues.jsonl")]
WORDS = sorted({w for p in PATTERNS for spec in p for w in _spec_words(spec)})
WORDS += ["Målet", "KOMMUNEN", "reduceres", "fossilfri", "co2-neutral", "2030", "1990", "DK2020"]
#: Phrases as the longer patterns want them (optional tokens sometimes left out), so they do match.
phrases = st.sampled_from([p for p in PATTERNS if len(p) > 1]).flatmap(
    lambda p: st.tuples(
        *(st.sampled_from(_spec_words(spec) + ([""] if "OP" in spec else [])) for spec in p)
    ).map(lambda words: " ".join(w for w in words if w))
)
ODD = ["İ", "ı", "ſ", "Σ", "ß", "\u212a", "\u00ad", "ẞ", "σ"]
SEPARATORS = [
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\t",
    ", ",
    ",",
    ". ",
    ".",
    "?",
    "? ",
    ":",
    ";",
    "(",
    ")",
    "/",
    "–",
    "“",
    "\u00a0",
    "",
]
ALPHABET = "aAeEiIoOsSæÆøØåÅkKtTlLrRnN \t\n,.;:?-–%0123456789İıſΣßẞ\u212a\u00ad₂"
pieces = phrases | st.sampled_from(WORDS) | st.sampled_from(ODD) | st.text(alphabet=ALPHABET, max_size=6)
cased = st.tuples(pieces, st.sampled_from(["", "upper", "title"])).map(
    lambda p: p[0].upper() if p[1] == "upper" else p[0].title() if p[1] == "title" else p[0]
)
texts = st.lists(st.tuples(cased, st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(word + sep for word, sep in parts)
)


@settings(max_examples=800, deadline=None)
@given(text=texts)
def test_chunk_walk_finds_what_the_word_walk_finds(text: str) -> None:
    low = fold(text)
    if low is None or "Σ" in text:
        return
    assert MARKER._chunk_cues(text, low) == MARKER._word_cues(text, low)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_chunk_walk_with_cold_caches(text: str) -> None:
    low = fold(text)
    if low is None or "Σ" in text:
        return
    assert CueMarker()._chunk_cues(text, low) == MARKER._word_cues(text, low)


def test_combined_patterns_exist_for_common_first_words() -> None:
    # "i" starts three longer patterns, tried together by one match
    MARKER.find("i alt i dag i overensstemmelse med")
    together = MARKER.chunks["i"][0][4]
    assert together is not None and len(together.groups) == 3
