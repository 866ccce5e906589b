"""OCR of scanned pages: text pages rendered to images, put in an image-only and a mixed PDF, read back.

Runs Debian's tesseract with its Danish data (installed by scripts/install-system-packages.sh, so
under CI too); without them the tests that need OCR fail under CI and are skipped elsewhere.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from sqlalchemy import select

from extractors import extract_targets, extractor_version
from extractors.readers import read_document
from extractors.readers.pdf_ocr import _join_co2, fix_co2, ocr_available
from klimamaal.ingest import discover, ingest_source, seed_municipalities
from models import Document, Page, Target

WIDTH, HEIGHT = A4
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
PAGES = [
    (
        "Mål for energi",
        [
            "Kommunen vil reducere CO₂-udledningen med 70 % i 2030",
            "i forhold til 1990.",
            "Senest i 2035 er opvarmningen af kommunens bygninger fossilfri.",
        ],
    ),
    (
        "Mål for transport",
        [
            "Andelen af elbiler i den kommunale flåde skal udgøre",
            "mindst 80 % i 2028.",
            "Vi vil plante 40 hektar ny skov frem mod 2040.",
        ],
    ),
]


@pytest.fixture(scope="module")
def ocr() -> None:
    reason = ocr_available()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"OCR is required under CI: {reason}")
        pytest.skip(reason)


def _text_pdf(pages: list[tuple[str, list[str]]]) -> bytes:
    if not (DEJAVU / "DejaVuSans.ttf").is_file():
        pytest.skip("DejaVu Sans is needed for Danish letters and '₂'")
    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    for title, lines in pages:
        pdf.setFont("DejaVu-Bold", 16)
        pdf.drawString(56, HEIGHT - 90, title)
        pdf.setFont("DejaVu", 11)
        y = HEIGHT - 125
        for line in lines:
            pdf.drawString(56, y, line)
            y -= 15
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _scanned(text_pdf: bytes, scan: set[int]) -> bytes:
    """The same pages, those numbered in ``scan`` (1-based) replaced by an image of themselves."""
    source = pdfium.PdfDocument(text_pdf)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    for index in range(len(source)):
        if index + 1 in scan:
            image = source[index].render(scale=200 / 72, grayscale=True).to_pil()
            pdf.drawImage(ImageReader(image), 0, 0, WIDTH, HEIGHT)
        else:
            title, lines = PAGES[index]
            pdf.setFont("DejaVu-Bold", 16)
            pdf.drawString(56, HEIGHT - 90, title)
            pdf.setFont("DejaVu", 11)
            for n, line in enumerate(lines):
                pdf.drawString(56, HEIGHT - 125 - 15 * n, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _facts(text: str) -> set[tuple]:
    return {(t.value, t.unit, t.target_year, t.baseline_year) for t in extract_targets(text)}


def test_an_image_only_pdf_is_read_by_ocr_and_its_targets_found(ocr: None) -> None:
    text_pdf = _text_pdf(PAGES)
    expected = _facts(read_document(text_pdf, "tekst.pdf").text)
    assert {(70.0, "%", 2030, 1990), (80.0, "%", 2028, None)} <= expected
    scan = read_document(_scanned(text_pdf, {1, 2}), "scan.pdf")
    assert [p.ocr for p in scan.pages] == ["ocr", "ocr"]
    assert all(p.ocr_confidence is not None and p.ocr_confidence > 60 for p in scan.pages)
    assert scan.metadata["ocr_pages"] == "2"
    assert [b.kind for b in scan.pages[0].blocks][:1] == ["heading"]
    assert "CO₂-udledningen" in scan.pages[0].text
    assert _facts(scan.text) == expected


def test_a_mixed_pdf_reads_its_text_page_and_ocrs_its_scanned_page(ocr: None) -> None:
    text_pdf = _text_pdf(PAGES)
    mixed = read_document(_scanned(text_pdf, {2}), "blandet.pdf")
    assert [p.ocr for p in mixed.pages] == [None, "ocr"]
    assert "mindst 80 % i 2028" in mixed.pages[1].text
    assert _facts(mixed.text) == _facts(read_document(text_pdf, "tekst.pdf").text)


def test_ingest_flags_the_ocr_page_and_its_targets_in_the_database_and_the_export(
    ocr: None, sessions, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from db.export import EXPORT_COLUMNS, reviewed_rows, write_csv

    path = tmp_path / "blandet.pdf"
    path.write_bytes(_scanned(_text_pdf(PAGES), {2}))
    seed_municipalities(sessions)
    (source,) = discover([path])
    outcome = ingest_source(sessions, source, extract_targets, extractor_version())
    assert outcome.status == "new" and outcome.warning is None
    with sessions() as session:
        document = session.get_one(Document, outcome.document_id)
        assert document.ocr_pages == 1
        pages = session.scalars(
            select(Page).where(Page.document_id == document.id).order_by(Page.number)
        ).all()
        assert [p.ocr for p in pages] == [None, "ocr"] and pages[1].ocr_confidence > 60
        targets = session.scalars(select(Target).where(Target.document_id == document.id)).all()
        assert {t.page_number for t in targets if t.ocr} == {2}
        assert {t.page_number for t in targets if not t.ocr} == {1}
        out = io.BytesIO()
        write_csv(reviewed_rows(session, ("pending",)), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    header = {key: column.header for key, column in EXPORT_COLUMNS}
    assert {(r[header["page"]], r[header["ocr"]]) for r in rows} == {("1", "nej"), ("2", "ja")}


def test_without_tesseract_the_page_needs_ocr_and_the_rest_is_read(
    sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KLIMAMAAL_TESSERACT", str(tmp_path / "no-such-tesseract"))
    path = tmp_path / "blandet.pdf"
    path.write_bytes(_scanned(_text_pdf(PAGES), {2}))
    seed_municipalities(sessions)
    (source,) = discover([path])
    outcome = ingest_source(sessions, source, extract_targets, extractor_version())
    assert outcome.status == "new"
    assert "page(s) 2 have no text layer and need OCR" in outcome.warning
    assert "apt-get install tesseract-ocr tesseract-ocr-dan" in outcome.warning
    with sessions() as session:
        document = session.get_one(Document, outcome.document_id)
        assert document.warning == outcome.warning and document.ocr_pages == 0
        pages = session.scalars(
            select(Page).where(Page.document_id == document.id).order_by(Page.number)
        ).all()
        assert [p.ocr for p in pages] == [None, "needs_ocr"]
        assert "Kommunen vil reducere CO₂-udledningen med 70 %" in pages[0].text
    # an image-only file without OCR is no_text, with the command that installs it
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scanned(_text_pdf(PAGES), {1, 2}))
    (source,) = discover([scan])
    outcome = ingest_source(sessions, source, extract_targets, extractor_version())
    assert outcome.status == "no_text" and "apt-get install tesseract-ocr" in outcome.error


@pytest.mark.parametrize(
    ("read", "written"),
    [
        ("C02-udledningen", "CO₂-udledningen"),
        ("CO2-neutral", "CO₂-neutral"),
        ("C0₂", "CO₂"),
        ("(C02)", "(CO₂)"),
        ("ABC02", "ABC02"),
        ("C021", "C021"),
    ],
)
def test_ocr_readings_of_co2_are_written_co2(read: str, written: str) -> None:
    assert fix_co2(read) == written


def test_a_subscript_read_as_a_word_of_its_own_joins_co() -> None:
    words = [{"text": t, "x0": i, "x1": i + 1} for i, t in enumerate(["C0", "2-udledningen", "falder"])]
    assert [w["text"] for w in _join_co2(words)] == ["CO₂-udledningen", "falder"]
