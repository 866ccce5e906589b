"""The fast paths of the cue and year finders must find exactly what the plain walks find.

``CueMarker.find`` reads a lower-cased text per space-separated chunk and matches the longer
patterns a word may start as one combined pattern; ``YearFinder.find`` skips patterns and
regex calls it can prove to be idle. These tests hold each shortcut to the plain procedure it
stands for, on text made of the patterns' own words, separators, digits and the characters
whose case folding is odd ("İ", "ı", "ſ", "Σ", "ß", the Kelvin sign, a soft hyphen).
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.caseless import fold
from extractors.components.cues import _SPAN, CueMarker
from extractors.components.types import YearMention, load_jsonl
from extractors.components.years import (
    RULE_YEAR_RE,
    YEAR_RE,
    YearFinder,
    _case_free,
    _glued,
    _uncased,
    _year_led,
    first_char_test,
    word_run_test,
)

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


@pytest.mark.parametrize("marker", [lambda: MARKER, CueMarker], ids=["warm caches", "cold caches"])
@settings(max_examples=600, deadline=None)
@given(text=texts)
def test_chunk_walk_finds_what_the_word_walk_finds(marker, text: str) -> None:  # type: ignore[no-untyped-def]
    low = fold(text)
    if low is None or "Σ" in text:
        return
    assert marker()._chunk_cues(text, low) == sorted(MARKER._word_cues(text, low), key=_SPAN)


def test_combined_patterns_exist_for_common_first_words() -> None:
    # "i" starts three longer patterns, tried together by one match
    MARKER.find("i alt i dag i overensstemmelse med")
    together = MARKER.chunks["i"][0][4]
    assert together is not None and len(together.groups) == 3


# --- years -------------------------------------------------------------------------------------

FINDER = YearFinder()
YEAR_WORDS = sorted({w for e in load_jsonl("years.jsonl") for w in e.get("requires", ())}) + [
    "i",
    "I",
    "år",
    "fra",
    "til",
    "senest",
    "niveau",
    "mål",
    "planen",
    "januar",
    "1.",
    "er",
    "basisår",
    "Vision",
    "DK",
]
YEARS = [
    "2030",
    "1990",
    "2050",
    "2100",
    "1949",
    "12030",
    "2030-2040",
    "2030–35",
    "2030 123",
    "20301",
    "2.030",
    "DK2030-2040",
    "fra 12030 til 2040",
    "²2030",
    "a²2030",
    "Ⅻ2030",
]
year_pieces = (
    st.sampled_from(YEAR_WORDS)
    | st.sampled_from(YEARS)
    | st.sampled_from(ODD)
    | st.text(alphabet=ALPHABET, max_size=5)
)
year_texts = st.lists(st.tuples(year_pieces, st.sampled_from(SEPARATORS)), max_size=12).map(
    lambda parts: "".join(word + sep for word, sep in parts)
)


#: The year as ``YearFinder`` first wrote it into every rule: the look-behinds are part of the pattern.
FIRST_YEAR_RE = r"(?<![\d.,])(?<![^\W\d_][^\W\d_])(?:19[5-9]\d|20\d\d|2100)(?!\d|[.,]\d)"


def plain_find(text: str) -> list[YearMention]:
    """``YearFinder.find`` as first written: every rule in order, each scanning the whole text with
    its own pattern (IGNORECASE, no first-character test, the year's look-behinds in the pattern),
    claims checked against what is claimed."""
    claimed: dict[int, YearMention] = {}
    for e in load_jsonl("years.jsonl"):
        pattern = re.compile(e["regex"].replace("YEAR", FIRST_YEAR_RE), 0 if e["role"] == "name" else re.I)
        groups = [g for g in ("year", "year2") if g in pattern.groupindex]
        for m in pattern.finditer(text):
            for group in groups:
                start = m.start(group)
                if m.group(group) is None or start in claimed:
                    continue
                role = e["role"]
                if role == "period":
                    role = "period_start" if group == "year" else "period_end"
                claimed[start] = YearMention(
                    start, m.end(group), int(m.group(group)), role, m.start(), m.end(), e["id"]
                )
    return sorted(claimed.values(), key=lambda y: y.start)


@settings(max_examples=1500, deadline=None)
@given(text=year_texts)
def test_year_finder_finds_what_every_rule_in_turn_finds(text: str) -> None:
    assert FINDER.find(text) == plain_find(text)


NAMED = st.sampled_from(
    ["planen", "Klimaplanen", "strategien", "loven", "målet", "aftalen", "rapport", "Plan"]
)
#: "planen fra 2030" and the like, so the word-run look-ahead of year.name.document_from is tried
name_phrases = st.tuples(NAMED, st.sampled_from([" ", "  ", "\n", ""]), st.sampled_from(YEARS)).map(
    lambda p: f"{p[0]}{p[1]}fra{p[1] or ' '}{p[2]}"
)
rule_texts = st.lists(
    st.tuples(year_pieces | NAMED | name_phrases, st.sampled_from(SEPARATORS)), max_size=12
).map(lambda parts: "".join(word + sep for word, sep in parts))


def all_spans(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [m.regs for m in pattern.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(text=rule_texts | texts)
def test_compiled_rules_match_like_the_written_patterns(text: str) -> None:
    """The rules as :class:`YearFinder` compiles them (first-character and word-run look-aheads,
    folded twins) find the matches, with every group, that the patterns as written find."""
    for e, rule in zip(load_jsonl("years.jsonl"), FINDER.patterns, strict=True):
        source = e["regex"].replace("YEAR", RULE_YEAR_RE)
        written = re.compile(source, 0 if e["role"] == "name" else re.I)
        assert all_spans(rule.pattern, text) == all_spans(written, text), e["id"]
        if rule.folded is not None and fold(text) is not None:
            assert all_spans(rule.folded, text.lower()) == all_spans(written, text), e["id"]


def test_word_run_test_reads_the_pattern() -> None:
    assert word_run_test(r"\b(?:\w*plan\w*|lov)\s+fra\s+(?P<year>\d)") == (
        r"\b(?=\w*\s+fra\s+(?:\d))(?:\w*plan\w*|lov)\s+fra\s+(?P<year>\d)"
    )
    for source in (r"\b(?:a.|b)\s+x", r"\b(?:a|b)\s+x|y", r"\b(a)\s+\1", r"(?:a|b)\s+x", r"\b(?:a|b)"):
        assert word_run_test(source) == source


def test_first_character_test_reads_what_matches_start_with() -> None:
    assert first_char_test(re.compile(r"\b(?:til|for|pr\.)\s+\d")).pattern.startswith("(?=[fpt])")
    assert first_char_test(re.compile(r"(?:\b[iI]\s*|\bår\s+)\d")).pattern.startswith("(?=[Iiå])")
    # may start with a category, may be empty, or starts with a literal the engine skips to anyway
    for source in (r"\b\w*plan", r"\b(?:i)?", r"^\s*\d", "2030|1990"):
        assert first_char_test(re.compile(source)).pattern == source


def test_year_led_rules_are_a_year_and_look_aheads() -> None:
    led = {rule.rule_id for rule in FINDER.patterns if rule.year_led}
    assert led == {"year.skip.range_phone", "year.bare"}
    assert not _year_led(f"(?P<year>{RULE_YEAR_RE})\\s*-")


def test_lower_case_keeps_digits_whitespace_and_uncased_characters() -> None:
    """What ``_case_free`` relies on, for every code point: a character and its lower case are alike
    digits (``\\d``) or not, whitespace (``\\s``) or not, and a lower case without case is the
    character itself."""
    digit, space = re.compile(r"\d"), re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1 or low == ch:
            continue
        assert bool(digit.match(ch)) == bool(digit.match(low)), hex(code)
        assert bool(space.match(ch)) == bool(space.match(low)), hex(code)
        assert not _uncased(low), hex(code)


def test_case_free_reads_the_pattern() -> None:
    assert _case_free(r"(?=\s?\d{3})") and _case_free("") and _case_free(r"(?![.,]\d)")
    assert not _case_free(r"(?=\s?x)") and not _case_free(r"(?=\w)") and not _case_free(r"(?=.)")


def test_the_year_scan_reads_the_year_led_rules() -> None:
    led = [(rule.rule_id, rule.led) for rule in FINDER.patterns if rule.year_led]
    positions = {rule.rule_id: i for i, rule in enumerate(FINDER.patterns)}
    assert [rule_id for rule_id, _ in led] == ["year.skip.range_phone", "year.bare"]
    assert [name for _, name in led] == [f"led{positions[rule_id]}" for rule_id, _ in led]
    assert [m.span() for m in FINDER.scan.finditer("2030 123, 12030 og 2040-2050")] == [
        m.span() for m in re.finditer(YEAR_RE, "2030 123, 12030 og 2040-2050")
    ]


def test_glued_is_the_look_behind_the_rules_carry() -> None:
    """The year scan checks with ``_glued`` what ``_STANDS_ALONE`` checks inside the rules, for every
    code point before a year and beside a letter ("²2030", "Ⅻ2030", "DK2030")."""
    stands_alone = re.compile(RULE_YEAR_RE)
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        for text, start in ((ch + "2030", 1), ("a" + ch + "2030", 2), (ch + "a2030", 2)):
            assert _glued(text, start) == (stands_alone.match(text, start) is None), (hex(code), text)
