"""The quantity finder's fast paths must answer exactly what the regexes they stand in for answer.

``extractors/components/quantities.py`` skips searches with substring tests and runs some
patterns combined or case-folded. Each test here proves one such shortcut, from the parsed
pattern where it can (so a change to ``patterns/quantities.json`` that breaks it fails here),
and by comparing on adversarial text otherwise.
"""

from __future__ import annotations

import re
import sys
from re import _constants as sre
from re import _parser as sre_parse
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.caseless import foldable
from extractors.components import quantities as q
from extractors.components.types import YEARLIKE, Quantity, load_json
from extractors.numbers import NUMBER_WORDS
from extractors.regex_source import top_level_groups

DATA = load_json("quantities.json")


def _run_holds(items: list[tuple[Any, Any]], literals: tuple[str, ...]) -> bool:
    """Does a run of consecutive LITERAL nodes in ``items`` spell one of ``literals``?"""
    run = ""
    for op, av in items:
        run = run + chr(av) if op is sre.LITERAL else ""
        if run.endswith(literals):
            return True
    return False


def _requires(items: list[tuple[Any, Any]], literals: tuple[str, ...]) -> bool:
    """Must every match of the parsed sequence ``items`` contain one of ``literals``? (sound, not
    complete: a literal run at the top of the sequence, or a group or alternation all of whose
    branches need one)"""
    if _run_holds(items, literals):
        return True
    for op, av in items:
        if op is sre.SUBPATTERN and _requires(av[3], literals):
            return True
        if op is sre.BRANCH and all(_requires(branch, literals) for branch in av[1]):
            return True
    return False


def requires(source: str, *literals: str, flags: int = re.I) -> bool:
    return _requires(sre_parse.parse(source, flags), literals)


def test_the_literal_checker_is_not_vacuous() -> None:
    assert requires(r"(?:om\s+året|/år)\b", "år")
    assert not requires(r"(?:om\s+året|/ar)\b", "år")
    assert not requires(r"(?:år)?x", "år")
    assert not requires(r"å\s*r", "år")


def test_letters_of_the_literals_lower_to_themselves_from_everything_ignorecase_matches() -> None:
    """So a text matching a literal under IGNORECASE holds it in its lower case."""
    for letter in sorted(set(q._PER_YEAR_LITERAL + q._FROM_LITERAL + q._OF_LITERAL)):
        pattern = re.compile(re.escape(letter), re.I)
        matched = [chr(c) for c in range(sys.maxunicode + 1) if pattern.fullmatch(chr(c))]
        assert {ch.lower() for ch in matched} == {letter}


def test_every_rate_match_holds_the_per_year_literal() -> None:
    assert requires(DATA["rate"]["regex"], q._PER_YEAR_LITERAL)
    assert requires(q._PER_YEAR_BEFORE.pattern, q._PER_YEAR_LITERAL)


def test_every_from_match_holds_the_from_literal() -> None:
    assert requires(q._ENDS_FRA.pattern, q._FROM_LITERAL)


def test_every_of_total_match_holds_the_of_literal() -> None:
    assert requires(FINDER.of_total.pattern, q._OF_LITERAL)


def test_regex_whitespace_is_str_whitespace() -> None:
    r"""``\s`` and ``str.isspace`` (behind ``rstrip`` and ``split``) agree on every code point."""
    space = re.compile(r"\s")
    assert all(bool(space.match(chr(c))) == chr(c).isspace() for c in range(sys.maxunicode + 1))


# The link rules as they were written before the fast paths, to compare the fast ones against.
_OLD_REDUCE = re.compile(
    r"^\s*(?:[\wæøå₂]*-)?(?:reduktion|reducering|mindre|lavere|færre|nedbringelse|nedgang|fald|besparelse"
    r"|energibesparelse|co2-reduktion)",
    re.I,
)
_OLD_INCREASE = re.compile(r"^\s*(?:flere|mere|højere|stigning|øgning|forøgelse|større)", re.I)
_OLD_BOUND_WORD_END = re.compile(
    r"(?:mindst|minimum|min\.|over|mere end|maksimalt|maks\.?|max\.?|højst|under|op til|ca\.|cirka|omkring"
    r"|yderligere|samlet|samlet set)\s*$"
)
_OLD_DIR_NOUN = re.compile(
    r"\b(?:(reduktion\w*|nedbringelse\w*|besparelse\w*|fald\w*|sænkning\w*|nedgang\w*)|"
    r"(stigning\w*|forøgelse\w*|øgning\w*|udvidelse\w*))\s+(?:\S+\s+){0,4}?(?:med|på)$",
    re.I,
)
_OLD_WORDS = {
    "med": r"(?:^|\s)(?:med|på)$",
    "til": r"(?:^|\s)(?:til)$",
    "copula": r"(?:^|\s)(?:er|være|udgøre|udgør|bliver|blive|udgjorde)$",
}


def old_link(start: int, end: int, text: str) -> str | None:
    before = text[max(0, start - 30) : start].lower()
    after = text[end : end + 40]
    core = _OLD_BOUND_WORD_END.sub("", before.rstrip()).rstrip()
    if _OLD_REDUCE.match(after):
        return "less"
    if _OLD_INCREASE.match(after):
        return "more"
    if re.search(_OLD_WORDS["med"], core):
        noun = _OLD_DIR_NOUN.search(text[max(0, start - 60) : start].rstrip())
        return ("less" if noun.group(1) else "more") if noun else "med"
    for link in ("til", "copula"):
        if re.search(_OLD_WORDS[link], core):
            return link
    return "af" if q._STARTS_AF.match(after) else None


LINK_WORDS = [
    *q._BOUND_WORDS, *q._LINK_OF_LAST_WORD, "samlet  set", "Maks.", "MED", "På", "ud af", "af", "reduktion",
    "CO2-reduktion", "Fald", "flere", "STØRRE", "nedgang", "en reduktion på", "stigningen med", "ſtørre",
    "ſtigning", "FORØGELSEN", "Besparelser", "Σ", "ΑΣ", "ΑΣ ", "med Σ", "σ", "ς",
    "İ", "ı", "\u00a0", "\u2028", "\n", " ", "  ", "-", "x", "co2-", "50", "%",
]  # fmt: skip
link_texts = st.lists(
    st.sampled_from(LINK_WORDS) | st.text(alphabet="aAeErRmMdD \t\n-.æøå", max_size=4), max_size=14
)


@settings(max_examples=2000, deadline=None)
@given(left=link_texts, gap=st.sampled_from(["", " ", "\t "]), right=link_texts)
def test_link_equals_the_rules_it_replaced(left: list[str], gap: str, right: list[str]) -> None:
    before, after = " ".join(left) + gap, "".join(right)
    text = f"{before}12{after}"
    quantity = Quantity(len(before), len(before) + 2, 12.0, None, "bare", "qty.bare")
    q.QuantityFinder._link(quantity, text, text.lower() if foldable(text) else None)
    assert quantity.link == old_link(len(before), len(before) + 2, text)


SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
_CATEGORY = {
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
}


def _in_class(ch: str, items: list[tuple[Any, Any]]) -> bool:
    hit, negate = False, False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            hit |= chr(av) == ch
        elif op is sre.RANGE:
            hit |= av[0] <= ord(ch) <= av[1]
        elif op is sre.CATEGORY:
            hit |= re.match(_CATEGORY[av], ch) is not None
        else:
            return True  # not understood: assume it may match
    return hit != negate


def _first_chars(items: list[tuple[Any, Any]], domain: set[str]) -> tuple[set[str], bool]:
    """(the characters of ``domain`` a match of ``items`` may begin with, may it be empty?),
    over-estimated (under IGNORECASE: a class is asked about a character's lower and upper case too)."""
    first: set[str] = set()
    for op, av in items:
        nullable = False
        if op is sre.LITERAL:
            can = {ch for ch in domain if re.fullmatch(re.escape(chr(av)), ch, re.I)}
        elif op is sre.NOT_LITERAL or op is sre.ANY:
            can = set(domain)
        elif op is sre.IN:
            can = {ch for ch in domain if any(_in_class(c, av) for c in (ch, ch.lower(), ch.upper()))}
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            can, nullable = set(), True
        elif op is sre.SUBPATTERN:
            can, nullable = _first_chars(av[3], domain)
        elif op is sre.BRANCH:
            parts = [_first_chars(branch, domain) for branch in av[1]]
            can, nullable = set().union(*(p[0] for p in parts)), any(p[1] for p in parts)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            can, inner_nullable = _first_chars(av[2], domain)
            nullable = av[0] == 0 or inner_nullable
        else:
            return set(domain), True
        first |= can
        if not nullable:
            return first, False
    return first, True


def may_start_with_space(source: str) -> bool:
    return bool(_first_chars(sre_parse.parse(source, re.I), set(SPACES))[0])


def test_the_first_character_checker_is_not_vacuous() -> None:
    assert _first_chars(sre_parse.parse(r"(?:x)?[.,]", re.I), {".", ";"}) == ({"."}, False)
    assert _first_chars(sre_parse.parse(r"(?:k|\.)?", re.I), {".", ";"}) == ({"."}, True)


def test_the_space_checker_is_not_vacuous() -> None:
    assert may_start_with_space(r"(?:a|\s+b)")
    assert may_start_with_space(r"(?:x)?[\W]")
    assert may_start_with_space(r"(?=k)[^k]")
    assert not may_start_with_space(r"(?:x|y)?\w+\s")
    assert not may_start_with_space(r"(?![\wæøå])%")


def test_no_scale_unit_or_counted_noun_starts_with_whitespace() -> None:
    """What lets ``_first_of`` put one ``\\s*`` before all of them (see its docstring)."""
    sources = [s["regex"] for s in DATA["scales"]] + [u["regex"] for u in DATA["units"]]
    for source in [*sources, DATA["count_nouns"]["regex"]]:
        assert not may_start_with_space(source), source


def test_no_scale_unit_or_counted_noun_starts_with_a_no_unit_start() -> None:
    """What lets ``_unit_after`` answer "nothing" before a "." or "," without a match."""
    domain = set(q._NO_UNIT_START) - {""}
    sources = [s["regex"] for s in DATA["scales"]] + [u["regex"] for u in DATA["units"]]
    for source in [*sources, DATA["count_nouns"]["regex"]]:
        first, nullable = _first_chars(sre_parse.parse(source, re.I), domain)
        assert not first and not nullable, source  # and so no match at the end of the text either


FINDER = q.QuantityFinder()
UNIT_WORDS = [
    "%", "procent", "Pct.", "pct", "point", "procentpoint", "ton", "tons", "t", "CO2e", "co₂-ækv", "kt", "MWh",
    "kWh", "GW", "Wp", "liter", "l", "pr.", "per", "døgn", "m³", "kr.", "DKK", "ha", "km", "km²", "kg",
    "indbygger", "mio.", "mia", "millioner", "tusinde", "t.", "nye", "store", "skove", "Miyawaki-skove",
    "ladestandere", "elbusser", "ſkove", "İ", "-", ".", "/", "x", "æ",
]  # fmt: skip
unit_texts = st.lists(
    st.sampled_from(UNIT_WORDS) | st.text(alphabet=" \t\n\u00a0-./", max_size=3), max_size=8
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(text=unit_texts)
def test_first_of_matches_what_the_first_matching_pattern_matches(text: str) -> None:
    low = text.lower() if foldable(text) else None
    for sources, combined, index_of_group in (
        (
            [s["regex"] for s in DATA["scales"]]
            + [u["regex"] for u in DATA["units"]]
            + [DATA["count_nouns"]["regex"]],
            FINDER.first_any,
            FINDER.any_of_group,
        ),
        (
            [u["regex"] for u in DATA["units"]] + [DATA["count_nouns"]["regex"]],
            FINDER.first_unit,
            FINDER.unit_of_group,
        ),
    ):
        expected = next(
            (
                (i, m.span())
                for i, source in enumerate(sources)
                if (m := re.compile(r"\s*(?:" + source + ")", re.I).match(text))
            ),
            None,
        )
        m = combined.match(text, low)
        assert (None if m is None else (index_of_group[m.lastindex], m.span())) == expected


def test_bound_words_are_a_top_level_part_of_every_bound_pattern() -> None:
    """So every bound match holds a match of ``FINDER.bound_words`` (which has no look-around)."""
    ((op, (_, words)),) = sre_parse.parse(FINDER.bound_words.pattern, re.I)
    assert op is sre.BRANCH
    assert "(ASSERT" not in repr(words) and "(AT, " not in repr(words)
    alternatives = []
    for bound in DATA["bounds"]:
        group = next(g for g in top_level_groups(bound["regex"]) if g.startswith("(?:"))
        ((op, (_, branches)),) = parsed = sre_parse.parse(group, re.I)
        assert op is sre.BRANCH
        assert repr(parsed[0]) in [repr(item) for item in sre_parse.parse(bound["regex"], re.I)]
        alternatives += branches
    assert repr(words) == repr(alternatives)


def test_top_level_groups() -> None:
    assert top_level_groups(r"(?=[mo)])(?<![\wæøå])(?:a|b[]()]\()x(y(z))\(") == [
        "(?=[mo)])",
        r"(?<![\wæøå])",
        r"(?:a|b[]()]\()",
        "(y(z))",
    ]


def test_a_year_is_four_characters_long() -> None:
    """What lets ``_describe`` test the length before it runs ``YEARLIKE``."""
    assert sre_parse.parse(YEARLIKE.pattern).getwidth() == (4, 4)


def test_patterns_matched_with_endpos_for_a_slice_have_no_look_around() -> None:
    """``match(text, pos, pos + n)`` sees only ``text[pos : pos + n]`` for these (see ``_link``)."""
    for source in (q._DIRECTION_AFTER.pattern, q._STARTS_AF.pattern):
        parsed = repr(sre_parse.parse(source, re.I))
        assert "(ASSERT" not in parsed and "(AT, " not in parsed, source


BOUND_WORDS = [
    "mindst", "MAKS.", "max", "ikke", "over", "under", "op", "til", "mere", "end", "som", "minimum", "på", "skal",
    "kan", "være", "udgøre", "ligge", "x", "æ", "İ", "ſom", "\t", "\n", "  ",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(words=st.lists(st.sampled_from(BOUND_WORDS), max_size=12))
def test_no_bound_where_no_bound_word_is(words: list[str]) -> None:
    """What lets ``_describe`` skip the bound patterns where ``bound_words`` finds nothing."""
    text = " ".join(words) + " 50 ton"
    low = text.lower() if foldable(text) else None
    for start in range(len(text) + 1):
        if FINDER.bound_words.search(text, low, max(0, start - 30), start) is None:
            assert FINDER._bound(text, start) is None


def test_trie_source_matches_exactly_its_words() -> None:
    words = ["fem", "femten", "femogtyve", "fire", "to", "tre", "tres", "a.b"]
    pattern = re.compile(q.trie_source(words))
    for word in words:
        assert pattern.fullmatch(word)
    for other in ["", "f", "fe", "femt", "femtenx", "fir", "t", "tr", "aXb", "femogtyv"]:
        assert pattern.fullmatch(other) is None
    assert re.fullmatch(q.trie_source(NUMBER_WORDS), "femogtyve")


_LOWER_WORDS = re.compile(r"[a-zæøå]+")
number_word_texts = st.lists(
    st.sampled_from(sorted(NUMBER_WORDS)) | st.text(alphabet="fmtenoigsyvræå -,.5_İſ", max_size=4), max_size=8
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(text=number_word_texts)
def test_number_word_gate_equals_the_findall_and_set_test(text: str) -> None:
    low = text.lower()
    expected = not NUMBER_WORDS.isdisjoint(_LOWER_WORDS.findall(low))
    assert (q._NUMBER_WORD_RUN.search(low) is not None) == expected


def test_every_folded_fraction_match_holds_a_fraction_word() -> None:
    """The folded fraction pattern runs case-sensitively on the lower-cased text: a match holds
    one of ``_FRACTION_WORDS`` exactly where the gate looks for it."""
    assert FINDER.fractions_folded is not None
    assert not FINDER.fractions_folded.flags & re.I
    assert requires(FINDER.fractions_folded.pattern, *q._FRACTION_WORDS, flags=0)
    assert not requires(FINDER.fractions_folded.pattern, *q._FRACTION_WORDS[1:], flags=0)


def test_every_of_total_match_starts_with_whitespace() -> None:
    first = sre_parse.parse(FINDER.of_total.pattern, re.I)[0]
    assert repr(first) == repr(sre_parse.parse(r"\s+")[0])
