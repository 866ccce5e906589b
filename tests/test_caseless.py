"""Case-folded twins of the rules' IGNORECASE patterns must find exactly what the originals find.

The speed of the extractor rests on running case-sensitive copies of its patterns on
lower-cased text (``extractors.caseless``); these tests hold that trick to the
original semantics on adversarial text: capitals, Danish letters, and the three
characters ("İ", "ı", "ſ") whose case folding differs.
"""

from __future__ import annotations

import gc
import re

from hypothesis import given, settings
from hypothesis import strategies as st

import extractors.pipeline  # noqa: F401  (builds every rule module, so their patterns exist)
from extractors.caseless import Caseless, compile_folded, fold, foldable, leading_literal, lower_source

RULE_PATTERNS = sorted({o.pattern for o in gc.get_objects() if isinstance(o, Caseless)})
ALPHABET = "aAeEiIoOsSæÆøØåÅkKtTlLrRnN \t\n,.;:-–%0123456789İıſßẞ"
WORDS = ["skal", "Senest", "DELMÅL", "forhold", "målt", "CO₂", "Men", "fordi", "Og", "samt", "ſkal", "Iı"]
texts = st.lists(st.sampled_from(WORDS) | st.text(alphabet=ALPHABET, max_size=8), max_size=12).map(" ".join)


def spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_the_rules_use_caseless_patterns_and_all_have_a_folded_twin() -> None:
    assert len(RULE_PATTERNS) >= 10
    assert [p for p in RULE_PATTERNS if Caseless(p).folded is None] == []


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_caseless_finds_what_ignorecase_finds(text: str) -> None:
    low = fold(text)
    for source in RULE_PATTERNS:
        pattern = Caseless(source)
        original = re.compile(source, re.I)
        assert spans(pattern.finditer(text, low)) == spans(original.finditer(text)), source


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_compile_folded_twin_matches_like_ignorecase_where_foldable(text: str) -> None:
    source = r"\b(?:senest|inden)\s+(?:i\s+)?(?:19|20)\d\d|delmål(?:et|ene)?|[a-zæøå]+ning"
    twin = compile_folded(source)
    assert twin is not None
    if foldable(text):
        assert spans(twin.finditer(text.lower())) == spans(re.finditer(source, text, re.I))


def test_texts_with_unfoldable_characters_are_not_folded() -> None:
    for ch in "İıſ":
        assert not foldable(f"Vi {ch} 2030")
        assert fold(f"Vi {ch} 2030") is None
    assert fold("Senest I 2030") == "senest i 2030"


def test_patterns_that_cannot_be_proven_get_no_twin() -> None:
    assert compile_folded(r"(a)\1") is None  # a back reference compares captured text
    assert compile_folded(r"(?-i:Mål)") is None  # a scoped flag
    assert compile_folded(r"Mål") is None  # a capital literal would not match lower-cased text
    assert lower_source(r"\S+mål") is None  # lower-casing \S would change its meaning


def test_leading_literal_is_the_fixed_start_of_every_match() -> None:
    assert leading_literal(re.compile(r"\bsenest\s+\d")) == "senest"
    assert leading_literal(re.compile(r"(?:a|b)c")) == ""
    assert leading_literal(re.compile(r"senest", re.I)) == ""
