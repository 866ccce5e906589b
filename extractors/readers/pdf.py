"""PDF: pages of headings, paragraphs, list items and table rows, in reading order.

Reading happens in two passes. The first pass takes the geometry of every
page (``pdf_layout``; each pdfplumber page is closed right after). Running
headers and footers can only be told from body text by comparing pages, so
the second pass first finds the lines that repeat at the same height on many
pages (page numbers count as repeating whatever their digits), then per page
removes them, finds a column gutter, orders the lines (left column before
right), and groups lines into blocks by font size, boldness, bullets and
vertical gaps. Words hyphenated over a line break are joined again, while
real hyphens ("CO₂-udledning", "el- og varmeforsyning") are kept.
"""

from __future__ import annotations

import contextlib
import re
import statistics
from collections import Counter

from extractors.document import NoTextError, Page, ParsedDocument, ReadError
from extractors.readers.blocks import build_page, normalise
from extractors.readers.pdf_blocks import PageBlocks
from extractors.readers.pdf_layout import Fragment, PageFailure, PageLayout, TableItem, iter_layouts, open_pdf

#: Share of the page height at the top and bottom where running headers and footers live.
MARGIN_BAND = 0.12
#: A line in the margin band is a running header/footer when it repeats on this share of pages.
REPEAT_SHARE = 0.4

_PAGE_NUMBER = re.compile(
    r"^(?:(?:side|page|s\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:af|/|of|ud af)\s*\d{1,4})?$", re.I
)


def read_pdf(data: bytes, name: str, *, backend: str = "pdfplumber") -> ParsedDocument:
    """Read a PDF's text layer; raise ``ReadError``/``NoTextError`` with the file (and page) named.

    ``backend`` chooses where page geometry comes from: ``pdfplumber`` (the
    default) or ``pdfium`` (faster; see ``pdf_pdfium``). Both feed the same
    structuring, so they produce the same blocks.
    """
    layouts, info = _read_pdfium(data, name) if backend == "pdfium" else _read_plumber(data, name)
    if not layouts:
        raise ReadError(name, "is a PDF without pages", hint="re-download or re-export the file")
    if not any(layout.fragments or layout.tables for layout in layouts):
        images = sum(layout.images for layout in layouts)
        what = f"holds {images} image(s) but no text layer" if images else "has no text layer"
        raise NoTextError(
            name,
            f"{what} on any of its {len(layouts)} page(s); it is probably a scan",
            hint="run OCR first (e.g. ocrmypdf -l dan) or supply a PDF with text",
        )
    pages = structure(layouts)
    if not any(page.text for page in pages):
        raise NoTextError(
            name,
            "has a text layer without readable characters (fonts without a Unicode map)",
            hint="run OCR first (e.g. ocrmypdf -l dan --force-ocr) or supply a PDF with text",
        )
    title = _title(info.get("Title"), pages, layouts)
    metadata = {"pages": str(len(pages))}
    for key in ("Author", "Producer", "Creator", "CreationDate"):
        if key in info:
            metadata[key.lower()] = normalise(info[key])
    return ParsedDocument(pages=tuple(pages), title=title, media_type="application/pdf", metadata=metadata)


def _page_error(name: str, failure: PageFailure) -> ReadError:
    if _is_encryption(failure.cause):
        return _open_error(name, failure.cause)
    return ReadError(
        name,
        f"could not be read ({type(failure.cause).__name__}: {failure.cause})",
        page=failure.number,
        hint="re-export the PDF (e.g. print to PDF) and try again",
    )


def _read_plumber(data: bytes, name: str) -> tuple[list[PageLayout], dict[str, str]]:
    try:
        pdf = open_pdf(data)
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


def _read_pdfium(data: bytes, name: str) -> tuple[list[PageLayout], dict[str, str]]:
    import pypdfium2 as pdfium

    from extractors.readers import pdf_pdfium

    try:
        document = pdfium.PdfDocument(data)
        info = {k: v for k, v in document.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
    except Exception as error:  # noqa: BLE001
        raise _open_error(name, error) from error
    try:  # the pages come from the document opened here: the file is parsed once
        return list(pdf_pdfium.iter_layouts(document, data)), info
    except PageFailure as failure:
        raise _page_error(name, failure) from failure
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
    for x in range(int(width * 0.3), int(width * 0.7) + 1, 2):
        cross = sum(1 for f in body if f.x0 < x < f.x1)
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


def structure(layouts: list[PageLayout]) -> list[Page]:
    body_size, line_gap, body_bold = _body_metrics(layouts)
    running = running_lines(layouts, body_size)
    pages: list[Page] = []
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
        pages.append(build_page(layout.number, blocks.items))
    return pages


def _title(meta_title: str | None, pages: list[Page], layouts: list[PageLayout]) -> str | None:
    if (
        meta_title
        and normalise(meta_title)
        and not normalise(meta_title).lower().startswith(("untitled", "microsoft"))
    ):
        return normalise(meta_title)
    for layout in layouts[:2]:
        if layout.fragments:
            biggest = max(f.size for f in layout.fragments)
            parts = [f.text for f in sorted(layout.fragments, key=lambda f: f.top) if f.size == biggest]
            return normalise(" ".join(parts))[:200] or None
    return next((b.text for p in pages for b in p.blocks if b.kind == "heading"), None)
