"""A faster source of PDF page geometry: pypdfium2's text layer, pdfplumber only for ruled pages.

pdfplumber parses every graphic object of a page in Python (about 65 ms a
page); pdfium reads the text layer in C (a few ms a page, about 10 ms with
the per-character calls made here). This module builds the same
``PageLayout`` objects as ``pdf_layout`` from pdfium's characters, so the
structuring in ``pdf.py`` is unchanged. Tables are found from ruling lines,
which pdfium's text API does not see, so a page with several path objects
(a possible table grid) is handed to pdfplumber instead.

Not the default yet: ``read_pdf(..., backend="pdfium")`` selects it, and the
tests check that it yields the same text as pdfplumber on the corpus.
"""

from __future__ import annotations

from collections.abc import Iterator

from extractors.readers.pdf_layout import PageFailure, PageLayout, _fragments, _layout

#: A page with at least this many path objects may hold a ruled table: read it with pdfplumber.
RULED_PATHS = 4
#: Horizontal distance (points) between characters that still belong to one word (pdfplumber's x_tolerance).
X_TOLERANCE = 2.0


def iter_layouts(document, data: bytes) -> Iterator[PageLayout]:  # type: ignore[no-untyped-def]
    """Yield one ``PageLayout`` per page of an open pdfium ``document`` (the caller closes it).

    ``data`` are the file's bytes, opened with pdfplumber only if a page may
    hold a ruled table. Raises ``PageFailure`` naming the page on errors.
    """
    plumber = None
    try:
        for index in range(len(document)):
            number = index + 1
            try:
                page = document[index]
            except Exception as error:  # noqa: BLE001
                raise PageFailure(number, error) from error
            try:
                if _ruled(page):
                    if plumber is None:
                        from extractors.readers.pdf_layout import open_pdf

                        plumber = open_pdf(data)
                    layout = _plumber_page(plumber, index)
                else:
                    layout = _pdfium_layout(page, number)
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


def _words(textpage, height: float) -> list[dict]:  # type: ignore[no-untyped-def]
    """Characters to pdfplumber-shaped words: split at whitespace, wide gaps and line changes."""
    import pypdfium2.raw as raw

    words: list[dict] = []
    current: dict | None = None
    for index in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage.raw, index)
        # pdfium reports a hyphen that ends a line as code 2; it is a real hyphen character in the file
        char = "-" if code == 2 else (chr(code) if code else "")
        if not char or char.isspace() or raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
            current = None
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        size = round(float(raw.FPDFText_GetFontSize(textpage.raw, index)), 1)
        bold = raw.FPDFText_GetFontWeight(textpage.raw, index) >= 600
        top_y, bottom_y = height - top, height - bottom
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
        current = {
            "text": char,
            "x0": left,
            "x1": right,
            "top": top_y,
            "bottom": bottom_y,
            "size": size,
            "bold": bold,
            "fontname": "Bold" if bold else "Regular",
        }
        words.append(current)
    return words
