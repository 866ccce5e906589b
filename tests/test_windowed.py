"""Extraction window by window finds what extraction of the whole text finds, at the same offsets."""

from __future__ import annotations

import pytest

from extractors import extract_targets
from extractors.readers import read_document
from extractors.windowed import extract_in_windows
from klimamaal.config import CORPUS_DIR

PDFS = sorted(p.name for p in CORPUS_DIR.glob("*.pdf"))


@pytest.mark.parametrize("name", PDFS)
@pytest.mark.parametrize("window_chars", [1, 2000, 50_000])
def test_windows_give_the_targets_of_the_whole_text(name: str, window_chars: int) -> None:
    document = read_document((CORPUS_DIR / name).read_bytes(), name)
    assert len(document.pages) > 3
    whole = extract_targets(document.text)
    assert whole
    assert extract_in_windows(document.pages, extract_targets, window_chars) == whole


def test_a_list_header_applies_across_a_window_cut() -> None:
    from extractors.document import Page

    pages = [
        Page(1, "Delmål:"),
        Page(2, "- Senest i 2030 er udledningen reduceret med 50 %."),
    ]
    (target,) = extract_in_windows(pages, extract_targets, 1)
    assert target.interim and target.value == 50.0
    (alone,) = extract_targets(pages[1].text)
    assert not alone.interim
