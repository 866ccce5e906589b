"""PDF page geometry from pypdfium2: text, character boxes and fonts; pdfplumber only for ruled pages.

pdfplumber parses every graphic object of a page in Python (about 65 ms a
page); pdfium reads the text layer in C. This module builds the same
``PageLayout`` objects as ``pdf_layout`` from pdfium's characters, so the
structuring in ``pdf.py`` does not care where they came from.

The text of a page is taken in one call and cut into words at white space
(pdfium inserts generated spaces and line breaks where it sees gaps and line
changes); only the first and last character of each word are asked for their
box, size and weight, which is what makes a page cost a few milliseconds
instead of one Python round trip per character. A word whose ends disagree
(another line, another font) is read character by character.

Tables are found from ruling lines, which pdfium's text API does not see, so a
page with several path objects (a possible table grid) is handed to
pdfplumber's table finder. A page without a text layer but with an image is
read by OCR (``pdf_ocr``).
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from extractors.readers.pdf_layout import PageFailure, PageLayout, _fragments, _layout

#: A page with at least this many path objects may hold a ruled table: read it with pdfplumber.
RULED_PATHS = 4
#: Horizontal distance (points) between characters that still belong to one word (pdfplumber's x_tolerance).
X_TOLERANCE = 2.0

PdfSource = str | Path | bytes
#: pdfium is not thread-safe: no two threads may call it at once, not even on different documents
#: (pypdfium2's documentation). Ingest reads documents on a thread pool, and two PDFs read together
#: crashed the process (a segfault or an abort inside pdfium), so every use of pdfium in a process,
#: from opening a document to closing it, holds this lock. Worker processes each have their own.
PDFIUM_LOCK = threading.RLock()
#: A word of the page text: a run of characters that are neither white space nor NUL.
_WORD = re.compile(r"[^\s\x00]+")


def open_document(source: PdfSource):  # type: ignore[no-untyped-def]
    """A pdfium document from a path (read on demand, not loaded whole) or from bytes."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(str(source) if isinstance(source, Path) else source)


def read_layouts(source: PdfSource, start: int, stop: int, ocr: bool = True) -> list[PageLayout]:
    """The layouts of pages ``start``..``stop - 1`` (0-based) of a PDF; the unit of work of the page pool.

    Opens the file itself, so that a worker process needs only its path.
    Raises ``PageFailure`` naming the page.
    """
    with PDFIUM_LOCK:
        document = open_document(source)
        try:
            return list(iter_layouts(document, source, range(start, min(stop, len(document))), ocr=ocr))
        finally:
            document.close()


def iter_layouts(
    document, source: PdfSource, indices: range | None = None, ocr: bool = True
) -> Iterator[PageLayout]:  # type: ignore[no-untyped-def]
    """Yield one ``PageLayout`` per page of an open pdfium ``document`` (the caller closes it, and holds
    ``PDFIUM_LOCK`` from opening it to closing it).

    ``source`` (path or bytes) is opened with pdfplumber only if a page may
    hold a ruled table. Raises ``PageFailure`` naming the page on errors.
    """
    plumber = None
    try:
        for index in indices if indices is not None else range(len(document)):
            number = index + 1
            try:
                page = document[index]
            except Exception as error:  # noqa: BLE001
                raise PageFailure(number, error) from error
            try:
                if _ruled(page):
                    if plumber is None:
                        from extractors.readers.pdf_layout import open_pdf

                        plumber = open_pdf(source)
                    layout = _plumber_page(plumber, index)
                else:
                    layout = _pdfium_layout(page, number)
                if ocr and not layout.fragments and not layout.tables and layout.images:
                    from extractors.readers.pdf_ocr import ocr_page

                    ocr_page(page, layout)
            except PageFailure:
                raise
            except Exception as error:  # noqa: BLE001
                raise PageFailure(number, error) from error
            finally:
                page.close()
            yield layout
    finally:
        if plumber is not None:
            plumber.close()


def _ruled(page) -> bool:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as raw

    objects = page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2)
    return any(count >= RULED_PATHS for count, _ in enumerate(objects, start=1))


def _plumber_page(plumber, index: int) -> PageLayout:  # type: ignore[no-untyped-def]
    page = plumber.pages[index]
    try:
        return _layout(page, index + 1)
    finally:
        page.close()


def _pdfium_layout(page, number: int) -> PageLayout:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as raw

    width, height = page.get_size()
    layout = PageLayout(number=number, width=float(width), height=float(height))
    layout.images = sum(1 for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    textpage = page.get_textpage()
    try:
        words = _words(textpage, float(height))
    finally:
        textpage.close()
    layout.fragments = _fragments(words) if words else []
    return layout


def _page_text(textpage, count: int) -> str | None:  # type: ignore[no-untyped-def]
    """All characters of the page in one call, or None if pdfium's text does not align with its char list."""
    import pypdfium2.raw as raw

    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = raw.FPDFText_GetText(
        textpage.raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: max(0, written - 1) * 2].decode("utf-16-le", errors="replace")
    return text if len(text) == count else None


class _CharReader:
    """Box, size and weight of single characters through pdfium's C calls, in page coordinates from the top."""

    def __init__(self, textpage, height: float) -> None:  # type: ignore[no-untyped-def]
        import pypdfium2.raw as raw

        self.raw = raw
        self.page = textpage.raw
        self.height = height
        self._l, self._r, self._b, self._t = (ctypes.c_double() for _ in range(4))
        self._rect = raw.FS_RECTF()

    def box(self, index: int) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) of the character's loose box (font ascent to descent: one top per line)."""
        self.raw.FPDFText_GetLooseCharBox(self.page, index, self._rect)
        rect = self._rect
        return rect.left, rect.right, self.height - rect.top, self.height - rect.bottom

    def style(self, index: int) -> tuple[float, bool]:
        size = round(float(self.raw.FPDFText_GetFontSize(self.page, index)), 1)
        return size, self.raw.FPDFText_GetFontWeight(self.page, index) >= 600


def _word(text: str, x0: float, x1: float, top: float, bottom: float, size: float, bold: bool) -> dict:
    return {
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "size": size,
        "bold": bold,
        "fontname": "Bold" if bold else "Regular",
    }


def _words(textpage, height: float) -> list[dict]:  # type: ignore[no-untyped-def]
    """pdfplumber-shaped words: the page text cut at white space, boxes from each word's first and last char."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = _page_text(textpage, count)
    reader = _CharReader(textpage, height)
    if text is None:
        return _char_words(reader, textpage, range(count))
    # pdfium reports a hyphen that ends a line as code 2; it is a real hyphen character in the file
    text = text.replace("\x02", "-").replace("\ufffe", "-")
    words: list[dict] = []
    for match in _WORD.finditer(text):
        first, end = match.span()
        last = end - 1
        x0, x1, top, bottom = reader.box(first)
        size, bold = reader.style(first)
        if last != first:
            _, x1, _, last_bottom = reader.box(last)
            if abs(last_bottom - bottom) > 1.5 or x1 < x0 or reader.style(last) != (size, bold):
                words += _char_words(reader, textpage, range(first, end), text)  # across lines or fonts
                continue
        words.append(_word(match.group(), x0, x1, top, bottom, size, bold))
    return words


def _char_words(reader: _CharReader, textpage, indices: range, text: str | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    """Characters to words one by one: split at whitespace, wide gaps, line, size and weight changes."""
    raw = reader.raw
    words: list[dict] = []
    current: dict | None = None
    for index in indices:
        code = raw.FPDFText_GetUnicode(textpage.raw, index) if text is None else ord(text[index])
        char = "-" if code == 2 else (chr(code) if code else "")
        if not char or char.isspace() or raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
            current = None
            continue
        left, right, top_y, bottom_y = reader.box(index)
        size, bold = reader.style(index)
        if (
            current is not None
            and abs(current["bottom"] - bottom_y) <= 1.5  # tops differ (Å is taller than A)
            and current["x0"] <= left
            and left - current["x1"] <= X_TOLERANCE
            and current["size"] == size
            and current["bold"] == bold
        ):
            current["text"] += char
            current["x1"] = right
            current["top"] = max(current["top"], top_y)  # the common top, not that of a taller glyph
            continue
        current = _word(char, left, right, top_y, bottom_y, size, bold)
        words.append(current)
    return words
