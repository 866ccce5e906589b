"""Hand-written substring pre-tests stand in for regex searches: they must say yes wherever the regex matches.

``anchors._may_coordinate`` spares the six ``BOUNDARIES`` searches and
``decide._may_end_main_clause`` the ``_STRONG`` search for text holding none of
their marks or words. Each docstring asks to keep it in step with its pattern;
these tests fail when someone adds to the pattern and forgets the pre-test.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import anchors, decide
from extractors.caseless import fold

PIECES = [
    ",",
    ", ",
    ";",
    " - ",
    " – ",
    " — ",
    "-",
    "|",
    " | ",
    " og ",
    " OG ",
    " Og ",
    " samt ",
    " mens ",
    " men ",
    " Men ",
    " selvom ",
    " fordi ",
    " da ",
    " hvis ",
    " så ",
    " derfor ",
    " hvilket ",
    " hvor ",
    " ",
    "\n",
    "\u00a0",
    "reduceret",
    "i 2030",
    "25 %",
    "Kommunen",
]
gaps = st.lists(st.sampled_from(PIECES), max_size=12).map("".join) | st.text(max_size=40)


@settings(max_examples=1500, deadline=None)
@given(gaps)
def test_may_coordinate_holds_wherever_a_boundary_matches(between: str) -> None:
    if any(pattern.search(between) for pattern in anchors.BOUNDARIES):
        assert anchors._may_coordinate(between), between


@settings(max_examples=1500, deadline=None)
@given(gaps)
def test_may_end_main_clause_holds_wherever_the_strong_bound_matches(clause: str) -> None:
    low = fold(clause)
    if low is not None and decide._STRONG.search(clause, None, 0, len(clause)) is not None:
        assert decide._may_end_main_clause(low), clause


def test_the_pre_tests_say_no_to_a_plain_clause() -> None:
    plain = "Andelen af elbiler skal udgøre mindst 27 % i 2025"
    assert not anchors._may_coordinate(" skal udgøre mindst ")
    assert not decide._may_end_main_clause(fold(plain))
