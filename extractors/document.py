"""What a reader turns a file into: pages of text made of typed blocks.

Readers (PDF, HTML, text) differ in how they find structure, but all hand the
rest of klimamaal the same shape, so the extractor, the database and the review
app never need to know where a text came from. Offsets are character offsets
into the page text; the document text is the pages joined by ``PAGE_SEPARATOR``
so that a target found in the whole text can be traced back to its page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row")

#: Joins page texts into one document text; a form feed marks the page break.
PAGE_SEPARATOR = "\n\n\f\n\n"


class ReadError(Exception):
    """A file could not be read into text.

    The message names the file, the page when known, the cause, and what the
    user can do about it; the ingest run stores it on the document.
    """

    def __init__(self, source: str, cause: str, *, page: int | None = None, hint: str = "") -> None:
        self.source = source
        self.page = page
        self.cause = cause
        self.hint = hint
        where = f"{source}, page {page}" if page is not None else source
        text = f"{where}: {cause}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class NoTextError(ReadError):
    """The file was read but holds no extractable text (for instance a scanned, image-only PDF)."""


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item or table row; ``page.text[start:end] == text``."""

    kind: str
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class Page:
    """One page (1-based ``number``); an HTML or text file is a single page."""

    number: int
    text: str
    blocks: tuple[Block, ...] = ()
    #: "ocr" when the text was read from an image of the page, "needs_ocr" when it could not be
    #: (no OCR engine); None for a text layer, a web page or a text file.
    ocr: str | None = None
    #: Tesseract's mean word confidence (0-100) on an OCR'd page.
    ocr_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """The text of a file, page by page, plus what the reader learnt about it."""

    pages: tuple[Page, ...]
    title: str | None = None
    media_type: str = "text/plain"
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return PAGE_SEPARATOR.join(page.text for page in self.pages)

    def page_starts(self) -> list[int]:
        """Offset in ``text`` where each page begins."""
        starts, offset = [], 0
        for page in self.pages:
            starts.append(offset)
            offset += len(page.text) + len(PAGE_SEPARATOR)
        return starts

    def blocks(self) -> Iterator[tuple[Page, Block]]:
        for page in self.pages:
            for block in page.blocks:
                yield page, block


@dataclass(slots=True)
class DocumentStream:
    """A document whose pages are read as they are asked for, so a long one is never held whole.

    ``pages`` yields each page once, in order. ``notes`` gathers, while the
    pages are read, what a user should know about a document that was read
    (pages that need OCR); ``ocr_pages`` counts the pages read by OCR.
    """

    pages: Iterator[Page]
    title: str | None = None
    media_type: str = "text/plain"
    metadata: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    ocr_pages: int = 0

    def read_all(self) -> ParsedDocument:
        """Every page in memory, as one ``ParsedDocument`` (for short files, tests and ``klimamaal text``)."""
        pages = tuple(self.pages)
        return ParsedDocument(
            pages=pages, title=self.title, media_type=self.media_type, metadata=self.metadata
        )


def locate(page_starts: list[int], page_numbers: list[int], offset: int) -> tuple[int, int]:
    """Find the page holding ``offset`` given where each page starts in the document text."""
    import bisect

    index = max(0, bisect.bisect_right(page_starts, offset) - 1)
    return page_numbers[index], offset - page_starts[index]
