"""Which documents are council agendas or minutes: their candidates carry ``doc=agenda``, which weighs
against budget lines, fees and loans written in the shape of targets (``extractors.segment.genre_of``)."""

from __future__ import annotations

import pytest

from extractors.pipeline import collect_candidates
from extractors.segment import genre_of

ITEM = "Kommunen skal reducere udledningen fra egne bygninger med 50 % i 2030."


@pytest.mark.parametrize(
    "headings",
    [
        ("Sagsfremstilling", "Indstilling", "Beslutning"),
        ("Resumé", "Beslutning i Klima- og Miljøudvalget den 4. marts 2024", "Retsgrundlag"),
        ("INDSTILLING OG BESLUTNING", "PROBLEMSTILLING", "ØKONOMI"),
        ("Beslutningstema", "Indstilling fra Teknik og Miljø", "Bilag"),
        ("Sagens kerne", "Forvaltningens vurdering", "Sagen afgøres af Byrådet"),
        ("Beslutningskompetence", "Direktionens indstilling", "Beslutning"),
    ],
    ids=["greve", "dated-decision", "capitals", "theme", "core-and-assessment", "competence"],
)
def test_the_section_headings_of_other_portals_make_an_agenda(headings: tuple[str, ...]) -> None:
    text = "\n\n".join(f"{heading}\n\n{ITEM}" for heading in headings)
    assert genre_of(text) == "agenda"
    (cand,) = {c["quote"]: c for c in collect_candidates(text)}.values()
    assert "doc=agenda" in {e.feature for e in cand["features"]}


def test_a_plan_with_an_economy_chapter_is_no_agenda() -> None:
    """Two agenda-like headings ("Økonomi", "Bilag") and the plan's own are not three kinds."""
    text = "\n\n".join(
        f"{heading}\n\n{ITEM}" for heading in ("Baggrund", "Vores mål", "Økonomi", "Bilag", "Økonomi")
    )
    assert genre_of(text) is None


def test_a_repeated_heading_is_one_kind() -> None:
    text = "\n\n".join(f"{heading}\n\n{ITEM}" for heading in ("Beslutning", "BESLUTNING", "Bilag"))
    assert genre_of(text) is None
