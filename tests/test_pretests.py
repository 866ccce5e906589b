"""Hand-written substring pre-tests stand in for regex searches: they must say yes wherever the regex matches.

``anchors._may_coordinate`` spares the six ``BOUNDARIES`` searches for text holding
none of their marks or words. Its docstring asks to keep it in step with the
patterns; these tests fail when someone adds to them and forgets the pre-test.
``segment.agenda_sections`` finds the agenda headings after line breaks rather than
at every line start: held to the ``^``-anchored pattern.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import anchors, evidence, segment
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
def test_may_hold_bound_holds_wherever_a_clause_bound_matches(clause: str) -> None:
    low = fold(clause)
    for bounds in (evidence._STRONG, evidence._WEAK):
        if low is not None and bounds.search(clause, None, 0, len(clause)) is not None:
            assert evidence.may_hold_bound(low, bounds), clause


def test_the_pre_test_says_no_to_a_plain_gap() -> None:
    assert not evidence.may_hold_bound(
        fold("andelen af elbiler skal udgøre mindst 27 % i 2025"), evidence._WEAK
    )
    assert not anchors._may_coordinate(" skal udgøre mindst ")


SECTION_PIECES = [
    "Sagsnummer:",
    "Sagsnr.",
    "Beslutning",
    "Beslutninger",
    "Indstilling",
    "Sagsfremstilling",
    "Økonomiske konsekvenser",
    "Bilag",
    "Punkt 12:",
    "Punkt ",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\f",
    "tekst",
    ":",
]
section_texts = st.lists(st.sampled_from(SECTION_PIECES), max_size=16).map("".join) | st.text(max_size=40)


@settings(max_examples=1500, deadline=None)
@given(section_texts)
def test_agenda_sections_are_the_matches_of_the_line_start_pattern(text: str) -> None:
    expected = [m.group() for m in segment._AGENDA_SECTION.finditer(text)]
    assert list(segment.agenda_sections(text)) == expected
