"""The text/Markdown reader, encodings, dispatch of unknown types, and the offset invariant."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.document import ParsedDocument, ReadError
from extractors.readers import read_document
from extractors.readers.blocks import build_page, drop_repeated_runs
from extractors.readers.text import read_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def read(data: bytes | str, name: str = "plan.txt") -> ParsedDocument:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    document = read_document(raw, name)
    for page in document.pages:
        for block in page.blocks:
            assert page.text[block.start : block.end] == block.text
    return document


def test_headings_lists_and_paragraphs() -> None:
    text = (
        "Klima\n\nCO₂ udledningen skal nedbringes\nover hele kommunen.\n\nMål:\n\n"
        "- Vores el- og varmeforsyning er CO₂-neutral inden udgangen af 2025.\n"
        "  • Inden udgangen af 2015 er udslippet reduceret\n    med 25 % i forhold til 2006.\n"
        "– Et ledningstab på maksimalt 5 % i 2020.\n\n"
        "Det er **vigtigt**, at alle bidrager.\n"
    )
    blocks = [(b.kind, b.text) for b in read(text).pages[0].blocks]
    assert blocks == [
        ("heading", "Klima"),
        ("paragraph", "CO₂ udledningen skal nedbringes over hele kommunen."),
        ("heading", "Mål:"),
        ("list_item", "- Vores el- og varmeforsyning er CO₂-neutral inden udgangen af 2025."),
        ("list_item", "- Inden udgangen af 2015 er udslippet reduceret med 25 % i forhold til 2006."),
        ("list_item", "- Et ledningstab på maksimalt 5 % i 2020."),
        ("paragraph", "Det er vigtigt, at alle bidrager."),
    ]


def test_markdown_headings_and_title() -> None:
    document = read(
        "# Klimaplan 2030\n\nTekst om planen.\n\n## Transport ##\n\n* Flere cykelstier.\n", "plan.md"
    )
    assert document.title == "Klimaplan 2030" and document.media_type == "text/markdown"
    assert [b.kind for b in document.pages[0].blocks] == ["heading", "paragraph", "heading", "list_item"]
    assert document.pages[0].blocks[2].text == "Transport"


def test_whitespace_is_normalised() -> None:
    document = read("Mål  for\u00a02030:\t70\u00a0%   reduktion  i\u200b alt.\n")
    assert document.text == "Mål for 2030: 70 % reduktion i alt."


def test_aalborg_seed_sections_come_out_once() -> None:
    seed = next(CORPUS.glob("003_*.txt"))
    document = read(seed.read_bytes(), seed.name)
    text = document.text
    for heading in [
        "Aalborg Commitments – bæredygtige byer",
        "Green Fleets – grønnere transport",
        "MoLo Hubs – bæredygtig logistik",
        "KIMO – havmiljø og kystbeskyttelse",
        "Covenant of Mayors – drivhusgasser",
    ]:
        assert seed.read_text(encoding="utf-8").count(heading) == 2
        assert text.count(heading) == 1, heading
    assert text.count("Projektet er støttet af Interreg North Sea og foregår fra 2023 til 2026.") == 1
    assert "Skip til hoved indholdet" not in text and not text.startswith("Hjem")
    assert document.title == "Grønne partnerskaber"


def test_repeated_run_of_blocks_is_dropped_but_short_repeats_kept() -> None:
    a = ("heading", "Green Fleets – grønnere transport")
    b = ("paragraph", "Transportsektoren har et stort potentiale i den grønne omstilling.")
    short = ("heading", "Mål:")
    assert drop_repeated_runs([a, b, a, b, a, b, short, short]) == [a, b, short, short]


def test_utf8_bom_and_cp1252_are_decoded() -> None:
    text = "Økologiprocenten fastholdes på 75 i Ærø Kommune."
    assert read(codecs.BOM_UTF8 + text.encode("utf-8")).metadata["encoding"] == "utf-8-sig"
    legacy = read(text.encode("cp1252"))
    assert legacy.text == text and legacy.metadata["encoding"] == "cp1252"
    assert read(text.encode("utf-16")).text == text


def test_undecodable_text_names_the_file() -> None:
    with pytest.raises(
        ReadError, match=r"^noter\.txt: could not be decoded as UTF-8 or Windows-1252"
    ) as caught:
        read_document(b"Gr\x81n omstilling \x8d", "noter.txt")
    assert "UTF-8" in caught.value.hint


def test_unknown_type_names_the_file_and_supported_types() -> None:
    with pytest.raises(ReadError) as caught:
        read_document(b"PK\x03\x04 not really a word document", "plan.docx")
    assert str(caught.value).startswith("plan.docx: is a ZIP/Office file")
    assert "PDF" in caught.value.hint and ".txt" in caught.value.hint
    with pytest.raises(ReadError, match=r"^data\.bin: is of an unsupported type \(\.bin\)"):
        read_document(b"\x00\x01\x02", "data.bin")


def test_empty_text_file_is_named() -> None:
    with pytest.raises(ReadError, match=r"^tom\.txt: is empty"):
        read_document(b"  \n\n", "tom.txt")


def test_name_without_extension_is_read_as_text() -> None:
    assert read("Klimaplan\n\nTekst.", "klimaplan").text == "Klimaplan\n\nTekst."
    assert read("Klimaplan\n\nTekst.", "https://www.vejle.dk/").text == "Klimaplan\n\nTekst."
    assert read("<html><body><p>Tekst.</p></body></html>", "https://www.vejle.dk/").media_type == "text/html"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["heading", "paragraph"]), st.text(max_size=40)), max_size=12))
def test_build_page_offsets_always_point_at_block_text(items: list[tuple[str, str]]) -> None:
    page = build_page(1, items)
    for block in page.blocks:
        assert page.text[block.start : block.end] == block.text and block.text
    assert page.text == "\n\n".join(b.text for b in page.blocks)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc ÆØÅ-•*#:.\n\t\u00a0")), max_size=300))
def test_any_text_reads_with_consistent_offsets(text: str) -> None:
    if not text.strip():
        return
    read(text, "x.md")
    read(text, "x.txt")


def test_table_lines_stay_rows_of_their_own() -> None:
    text = "Mål for sektorerne\n\nSektor | 2025 | 2030\n|---|---|---|\nTransport | 20 % | 50 %\nEnergi | 60 % | 85 %\nSlut på tabellen.\n"
    page = read_text(text.encode("utf-8"), "plan.txt").pages[0]
    rows = [b.text for b in page.blocks if b.kind == "table_row"]
    assert rows == ["Sektor | 2025 | 2030", "Transport | 20 % | 50 %", "Energi | 60 % | 85 %"]
    assert [b.kind for b in page.blocks][-1] == "paragraph"


def test_markdown_table_outer_pipes_are_dropped() -> None:
    page = read_text(b"| Sektor | 2030 |\n| --- | --- |\n| Affald | 70 % |\n", "plan.md").pages[0]
    assert [b.text for b in page.blocks] == ["Sektor | 2030", "Affald | 70 %"]
