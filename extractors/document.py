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


def locate(page_starts: list[int], page_numbers: list[int], offset: int) -> tuple[int, int]:
    """Find the page holding ``offset`` given where each page starts in the document text."""
    import bisect

    index = max(0, bisect.bisect_right(page_starts, offset) - 1)
    return page_numbers[index], offset - page_starts[index]
