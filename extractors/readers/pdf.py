"""PDF: pages of headings, paragraphs, list items and table rows, in reading order.

Reading happens in two passes. The first pass takes the geometry of every
page: text, character boxes and fonts from pypdfium2 (``pdf_pdfium``),
pdfplumber's table finder on pages with ruling lines, and OCR for pages
without a text layer (``pdf_ocr``). A long file's pages are shared with a
second process (``pdf_pool``). Running headers and footers can only be told
from body text by comparing pages, so the second pass first finds the lines
that repeat at the same height on many pages (page numbers count as repeating
whatever their digits), then per page removes them, finds a column gutter,
orders the lines (left column before right), and groups lines into blocks by
font size, boldness, bullets and vertical gaps. Words hyphenated over a line
break are joined again, while real hyphens ("CO₂-udledning", "el- og
varmeforsyning") are kept. The second pass yields page by page, so the pages
of a long file are extracted and stored while later ones are structured.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from extractors.document import DocumentStream, NoTextError, Page, ParsedDocument, ReadError
from extractors.readers.blocks import build_page, normalise
from extractors.readers.pdf_blocks import PageBlocks
from extractors.readers.pdf_layout import Fragment, PageFailure, PageLayout, TableItem, iter_layouts, open_pdf
from extractors.readers.titles import plausible_title

#: Share of the page height at the top and bottom where running headers and footers live.
MARGIN_BAND = 0.12
#: A line in the margin band is a running header/footer when it repeats on this share of pages.
REPEAT_SHARE = 0.4

_PAGE_NUMBER = re.compile(
    r"^(?:(?:side|page|s\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:af|/|of|ud af)\s*\d{1,4})?$", re.I
)


def read_pdf(source: bytes | Path, name: str, *, backend: str = "pdfium") -> ParsedDocument:
    """Read a whole PDF into memory (see ``open_pdf_stream``)."""
    return open_pdf_stream(source, name, backend=backend).read_all()


def open_pdf_stream(source: bytes | Path, name: str, *, backend: str = "pdfium") -> DocumentStream:
    """Read a PDF's pages (text layer, OCR where there is none); raise ``ReadError``/``NoTextError`` naming
    the file (and page).

    ``backend`` chooses where page geometry comes from: ``pdfium`` (the
    default; pdfplumber only for ruled pages) or ``pdfplumber`` (every page,
    kept to check that both give the same blocks). The first pass runs here;
    the returned stream structures the pages as they are asked for.
    """
    layouts, info = _read_pdfium(source, name) if backend == "pdfium" else _read_plumber(source, name)
    if not layouts:
        raise ReadError(name, "is a PDF without pages", hint="re-download or re-export the file")
    needs_ocr = [layout for layout in layouts if layout.ocr == "needs_ocr"]
    if not any(layout.fragments or layout.tables for layout in layouts):
        if needs_ocr:
            raise NoTextError(
                name,
                f"has no text layer on any of its {len(layouts)} page(s) and could not be OCR'd",
                hint=needs_ocr[0].ocr_note or "",
            )
        images = sum(layout.images for layout in layouts)
        what = f"holds {images} image(s) but no text" if images else "has no text layer"
        raise NoTextError(
            name,
            f"{what} on any of its {len(layouts)} page(s)",
            hint="supply a PDF with text, or a scan that OCR can read",
        )
    metadata = {"pages": str(len(layouts))}
    for key in ("Author", "Producer", "Creator", "CreationDate"):
        if key in info:
            metadata[key.lower()] = normalise(info[key])
    ocr_pages = sum(1 for layout in layouts if layout.ocr == "ocr")
    if ocr_pages:
        metadata["ocr_pages"] = str(ocr_pages)
    notes = []
    if needs_ocr:
        numbers = ", ".join(str(layout.number) for layout in needs_ocr[:20])
        notes.append(f"{name}: page(s) {numbers} have no text layer and need OCR: {needs_ocr[0].ocr_note}")
    return DocumentStream(
        pages=_structured(name, layouts),
        title=_title(info.get("Title"), layouts),
        media_type="application/pdf",
        metadata=metadata,
        notes=notes,
        ocr_pages=ocr_pages,
    )


def _structured(name: str, layouts: list[PageLayout]) -> Iterator[Page]:
    readable = False
    for page in structure(layouts):
        readable = readable or bool(page.text)
        yield page
    if not readable:
        raise NoTextError(
            name,
            "has a text layer without readable characters (fonts without a Unicode map)",
            hint="run OCR first (e.g. ocrmypdf -l dan --force-ocr) or supply a PDF with text",
        )


def _page_error(name: str, failure: PageFailure) -> ReadError:
    if _is_encryption(failure.cause):
        return _open_error(name, failure.cause)
    return ReadError(
        name,
        f"could not be read ({type(failure.cause).__name__}: {failure.cause})",
        page=failure.number,
        hint="re-export the PDF (e.g. print to PDF) and try again",
    )


def _read_plumber(source: bytes | Path, name: str) -> tuple[list[PageLayout], dict[str, str]]:
    try:
        pdf = open_pdf(source)
    except Exception as error:  # noqa: BLE001 - pdfminer raises many unrelated types
        raise _open_error(name, error) from error
    try:
        info = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, str | bytes) and v}
        try:
            return list(iter_layouts(pdf)), info
        except PageFailure as failure:
            raise _page_error(name, failure) from failure
        except Exception as error:  # noqa: BLE001
            raise _open_error(name, error) from error
    finally:
        with contextlib.suppress(Exception):  # closing a broken file must not hide the real error
            pdf.close()


def _read_pdfium(source: bytes | Path, name: str) -> tuple[list[PageLayout], dict[str, str]]:
    """Every page's layout, read while this thread alone uses pdfium (``pdf_pdfium.PDFIUM_LOCK``)."""
    from extractors.readers import pdf_pool
    from extractors.readers.pdf_pdfium import PDFIUM_LOCK, open_document

    with PDFIUM_LOCK:
        try:
            document = open_document(source)
            info = {
                k: v for k, v in document.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)
            }
            count = len(document)
        except Exception as error:  # noqa: BLE001
            raise _open_error(name, error) from error
        try:
            return pdf_pool.layouts(document, source, count), info
        except PageFailure as failure:
            raise _page_error(name, failure) from failure
        except pdf_pool.WorkerCrash as crash:
            raise ReadError(
                name, str(crash), hint="re-export the PDF (e.g. print to PDF) and try again"
            ) from crash
        finally:
            document.close()


def _is_encryption(error: BaseException) -> bool:
    text = f"{type(error).__name__} {error!r} {getattr(error, 'args', '')}".lower()
    return "password" in text or "encrypt" in text


def _open_error(name: str, error: BaseException) -> ReadError:
    if _is_encryption(error):
        return ReadError(
            name,
            "is an encrypted (password-protected) PDF",
            hint="supply an unencrypted copy, e.g. qpdf --decrypt --password=... in.pdf out.pdf",
        )
    cause = getattr(error, "args", None) and error.args[0] or error
    return ReadError(
        name,
        f"is not a readable PDF ({type(cause).__name__}: {cause})",
        hint="re-download or re-export the file",
    )


# --- pass 2: running headers and footers -----------------------------------------------------


def _margin_key(fragment: Fragment, height: float, body_size: float) -> tuple[str, int, str] | None:
    """Identity of a line in the top or bottom band; digits are ignored for small print only.

    Page numbers and dates in running lines change from page to page, so their
    digits are masked; a large line (a heading such as "Afsnit 3") is only a
    running line if it repeats letter for letter.
    """
    if fragment.bottom < height * MARGIN_BAND:
        zone = "top"
    elif fragment.top > height * (1 - MARGIN_BAND):
        zone = "bottom"
    else:
        return None
    text = normalise(fragment.text).casefold()
    if fragment.size <= body_size + 0.5:
        text = re.sub(r"\d+", "#", text)
    return (zone, round(fragment.top / 6), text)


def running_lines(layouts: list[PageLayout], body_size: float) -> set[tuple[str, int, str]]:
    """Margin lines that repeat at the same height on many pages."""
    counts: Counter[tuple[str, int, str]] = Counter()
    for layout in layouts:
        keys = {_margin_key(f, layout.height, body_size) for f in layout.fragments}
        counts.update(k for k in keys if k is not None)
    needed = max(2, round(REPEAT_SHARE * len(layouts)))
    # tolerate a one-step shift of height (rounding) by merging neighbouring buckets
    merged: Counter[tuple[str, str]] = Counter()
    for (zone, _, text), count in counts.items():
        merged[(zone, text)] += count
    return {key for key in counts if counts[key] >= needed or merged[(key[0], key[2])] >= needed}


def _is_running(
    fragment: Fragment, layout: PageLayout, running: set[tuple[str, int, str]], body_size: float
) -> bool:
    key = _margin_key(fragment, layout.height, body_size)
    if key is None:
        return False
    if key in running:
        return True
    if fragment.size > body_size + 0.5 or not _PAGE_NUMBER.match(normalise(fragment.text)):
        return False
    # a lone number is a page number only as the page's first or last line, not a wrapped "2030"
    outermost = (
        min(f.top for f in layout.fragments) if key[0] == "top" else max(f.bottom for f in layout.fragments)
    )
    edge = fragment.top if key[0] == "top" else fragment.bottom
    return abs(edge - outermost) <= 2


# --- pass 2: reading order -------------------------------------------------------------------


def find_gutter(fragments: list[Fragment], width: float) -> float | None:
    """The x of the gap between two text columns, or None for a one-column page.

    A gutter is an x in the middle 40 % of the page crossed by few lines (a
    full-width heading may cross it), with enough lines on each side that fill
    their column, so that a list of short labels with values is not taken for
    two columns.
    """
    body = [f for f in fragments if len(f.text) > 3]
    if len(body) < 8:
        return None
    best: list[int] = []
    best_cross = len(body) + 1
    xs = range(int(width * 0.3), int(width * 0.7) + 1, 2)
    for x, cross in zip(xs, _crossings(body, xs), strict=True):
        if cross < best_cross:
            best_cross, best = cross, [x]
        elif cross == best_cross:
            best.append(x)
    if best_cross > 0.2 * len(body):
        return None
    # the widest run of equally good x positions: take its middle
    runs: list[list[int]] = [[best[0]]]
    for x in best[1:]:
        if x - runs[-1][-1] <= 2:
            runs[-1].append(x)
        else:
            runs.append([x])
    run = max(runs, key=len)
    gutter = (run[0] + run[-1]) / 2
    left = [f for f in body if f.x1 <= gutter]
    right = [f for f in body if f.x0 >= gutter]
    if len(left) < 4 or len(right) < 4:
        return None
    left_edge = min(f.x0 for f in left)
    right_edge = max(f.x1 for f in right)
    right_start = min(f.x0 for f in right)
    if statistics.median(f.x1 - f.x0 for f in left) < 0.5 * (gutter - left_edge):
        return None
    if statistics.median(f.x1 - f.x0 for f in right) < 0.5 * (right_edge - right_start):
        return None
    return gutter


def _crossings(fragments: list[Fragment], xs: range) -> list[int]:
    """For each x of ``xs``, how many fragments cross it (``x0 < x < x1``): one sweep, not a count per x."""
    if not xs:
        return []
    lo, step, n = xs.start, xs.step, len(xs)
    delta = [0] * (n + 1)
    for f in fragments:
        first = max(0, math.floor((f.x0 - lo) / step) + 1)  # the first x > x0
        last = min(n - 1, math.ceil((f.x1 - lo) / step) - 1)  # the last x < x1
        if first <= last:
            delta[first] += 1
            delta[last + 1] -= 1
    return list(itertools.accumulate(delta[:n]))


Row = Fragment | TableItem


def reading_order(rows: list[Row], gutter: float | None) -> list[Row]:
    """Top to bottom; with a gutter, each band between full-width rows reads left column then right."""
    rows = sorted(rows, key=lambda r: (round(r.top, 1), r.x0))
    if gutter is None:
        return rows
    ordered: list[Row] = []
    left: list[Row] = []
    right: list[Row] = []
    for row in rows:
        if row.x0 < gutter < row.x1:
            ordered += left + right + [row]
            left, right = [], []
        elif row.x1 <= gutter:
            left.append(row)
        else:
            right.append(row)
    return ordered + left + right


def _body_metrics(layouts: list[PageLayout]) -> tuple[float, float, bool]:
    """The commonest font size and weight (by letters), and the usual gap between lines of a paragraph."""
    styles: Counter[tuple[float, bool]] = Counter()
    gaps: list[float] = []
    for layout in layouts:
        previous: Fragment | None = None
        for f in sorted(layout.fragments, key=lambda f: (f.x0 // 150, f.top)):
            styles[(f.size, f.bold)] += len(f.text)
            if previous and previous.size == f.size and abs(previous.x0 - f.x0) < 30:
                gap = f.top - previous.bottom
                if 0 <= gap < 3 * f.size:
                    gaps.append(gap)
            previous = f
    size, bold = styles.most_common(1)[0][0] if styles else (10.0, False)
    gap = statistics.median(gaps) if gaps else 0.25 * size
    return size, gap, bold


def structure(layouts: list[PageLayout]) -> Iterator[Page]:
    """The pages of a document in order, each built when it is asked for."""
    body_size, line_gap, body_bold = _body_metrics(layouts)
    running = running_lines(layouts, body_size)
    for layout in layouts:
        fragments = [f for f in layout.fragments if not _is_running(f, layout, running, body_size)]
        gutter = find_gutter(fragments, layout.width)
        blocks = PageBlocks(body_size, line_gap, body_bold)
        for row in reading_order([*fragments, *layout.tables], gutter):
            if isinstance(row, TableItem):
                blocks.add_table(row)
            else:
                blocks.add(row)
        blocks.flush()
        page = build_page(layout.number, blocks.items)
        if layout.ocr:
            page = Page(page.number, page.text, page.blocks, layout.ocr, layout.ocr_confidence)
        yield page


def _title(meta_title: str | None, layouts: list[PageLayout]) -> str | None:
    """The metadata's title when it is a real one, else the largest text at the top of the first page with text."""
    if plausible_title(meta_title):
        return normalise(meta_title or "")
    for layout in layouts:
        if not layout.fragments:
            continue
        biggest = max(f.size for f in layout.fragments)
        top = sorted((f for f in layout.fragments if f.size == biggest), key=lambda f: f.top)
        # the first run of lines in that size: a title over two lines, not every heading of the page
        parts = [top[0].text]
        for previous, fragment in zip(top, top[1:], strict=False):
            if fragment.top - previous.bottom > 2 * biggest:
                break
            parts.append(fragment.text)
        title = normalise(" ".join(parts))[:200]
        return title if plausible_title(title) else None
    return None
