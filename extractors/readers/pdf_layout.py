"""Geometry of a PDF page: text line fragments and tables, from pdfplumber.

This is the only module that talks to pdfplumber. It turns each page into a
``PageLayout`` of plain data (no pdfplumber objects survive the page, which is
closed straight away to free its memory), so the structuring in ``pdf.py``
does not care where the geometry came from: a faster backend (pypdfium2
reads a text layer about 30 times faster) only has to yield the same
``PageLayout`` objects.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: A gap between words wider than this many font sizes splits a line into fragments (column gutters).
FRAGMENT_GAP_SIZES = 1.5


@dataclass(slots=True)
class Fragment:
    """A run of words on one line, not interrupted by a wide gap."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(slots=True)
class TableItem:
    """A table found by its ruling lines; ``rows`` hold cell texts (None for merged cells)."""

    rows: list[list[str | None]]
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    fragments: list[Fragment] = field(default_factory=list)
    tables: list[TableItem] = field(default_factory=list)
    images: int = 0
    #: How the text was had when not from the text layer: "ocr", or "needs_ocr" (no OCR engine).
    ocr: str | None = None
    #: Tesseract's mean word confidence (0-100) on an OCR'd page.
    ocr_confidence: float | None = None
    #: Why an OCR'd page could not be read, with what to do about it.
    ocr_note: str | None = None


class PageFailure(Exception):
    """A page could not be read; carries the 1-based page number."""

    def __init__(self, number: int, cause: BaseException) -> None:
        super().__init__(f"page {number}: {type(cause).__name__}: {cause}")
        self.number = number
        self.cause = cause

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # from a worker process: the cause travels as its type's name and message (it may not pickle)
        return (_rebuilt_failure, (self.number, type(self.cause).__name__, str(self.cause)))


def _rebuilt_failure(number: int, cause_type: str, message: str) -> PageFailure:
    return PageFailure(number, type(cause_type, (Exception,), {})(message))


def open_pdf(source: str | Path | bytes):  # type: ignore[no-untyped-def]
    """Open a PDF (a path or its bytes) with pdfplumber (raises pdfplumber's errors; ``pdf.py`` translates them)."""
    import pdfplumber

    return pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else source)


def iter_layouts(pdf) -> Iterator[PageLayout]:  # type: ignore[no-untyped-def]
    """Yield one ``PageLayout`` per page, closing each pdfplumber page after use.

    Pages are created one at a time (pdfplumber's ``pdf.pages`` builds them all
    first), so that a page pdfminer cannot even construct is reported with its
    number, and only one page's objects are alive at a time.
    """
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    pdf._pages = []  # nothing for pdf.close() to rebuild: pages are closed here
    pages = PDFPage.create_pages(pdf.doc)
    number, doctop = 0, 0.0
    while True:
        number += 1
        try:
            miner_page = next(pages)
        except StopIteration:
            return
        except Exception as error:  # noqa: BLE001 - pdfminer raises many unrelated types
            raise PageFailure(number, error) from error
        try:
            page = Page(pdf, miner_page, page_number=number, initial_doctop=doctop)
        except Exception as error:  # noqa: BLE001
            raise PageFailure(number, error) from error
        doctop += float(page.height)
        try:
            layout = _layout(page, number)
        except Exception as error:  # noqa: BLE001
            raise PageFailure(number, error) from error
        finally:
            page.close()
        yield layout


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    cx = (word["x0"] + word["x1"]) / 2
    cy = (word["top"] + word["bottom"]) / 2
    return box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1


def _layout(page, number: int) -> PageLayout:  # type: ignore[no-untyped-def]
    layout = PageLayout(number=number, width=float(page.width), height=float(page.height))
    layout.images = len(page.images)
    if not page.chars:
        return layout
    boxes: list[tuple[float, float, float, float]] = []
    # tables are found from ruling lines; a page without any cannot hold one (and this is the slow part)
    ruled = page.lines or page.rects
    for table in page.find_tables() if ruled else ():
        rows = table.extract()
        if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2:
            continue  # a framed paragraph, not a table
        x0, top, x1, bottom = table.bbox
        boxes.append((x0, top, x1, bottom))
        layout.tables.append(TableItem(rows=rows, x0=x0, x1=x1, top=top, bottom=bottom))
    words = page.extract_words(x_tolerance=2, y_tolerance=3, extra_attrs=["size", "fontname"])
    words = [w for w in words if not any(_inside(w, box) for box in boxes)]
    layout.fragments = _fragments(words)
    return layout


def _fragments(words: list[dict]) -> list[Fragment]:
    """Group words into lines by their top, then split lines at wide gaps."""
    words = sorted(words, key=lambda w: (w["top"], w["x0"]))
    lines: list[list[dict]] = []
    for word in words:
        if lines:
            line = lines[-1]
            tolerance = max(2.0, 0.3 * float(word["size"]))
            if (
                abs(word["top"] - line[0]["top"]) <= tolerance
                or abs(word["bottom"] - line[0]["bottom"]) <= tolerance
            ):
                line.append(word)
                continue
        lines.append([word])
    fragments: list[Fragment] = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        run: list[dict] = [line[0]]
        for word in line[1:]:
            size = max(float(word["size"]), float(run[-1]["size"]))
            if word["x0"] - run[-1]["x1"] > FRAGMENT_GAP_SIZES * size:
                fragments.append(_fragment(run))
                run = []
            run.append(word)
        fragments.append(_fragment(run))
    return fragments


def _fragment(run: list[dict]) -> Fragment:
    letters = sum(len(w["text"]) for w in run)
    bold_letters = sum(len(w["text"]) for w in run if "bold" in str(w["fontname"]).lower())
    sizes = sorted((float(w["size"]) for w in run), reverse=True)
    return Fragment(
        text=" ".join(w["text"] for w in run),
        x0=float(run[0]["x0"]),
        x1=float(run[-1]["x1"]),
        top=min(float(w["top"]) for w in run),
        bottom=max(float(w["bottom"]) for w in run),
        size=round(sizes[len(sizes) // 2], 1),
        bold=bold_letters * 2 > letters,
    )
