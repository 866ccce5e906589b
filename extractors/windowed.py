"""Extraction of a long document window by window, with its heading and list context carried over.

A document of hundreds of megabytes cannot be one string (a 200 MB text is
200-400 MB as a Python str before anything is extracted from it). Its pages
are grouped into windows of about ``WINDOW_CHARS`` characters, and each
window's text (its pages joined as in the whole document) goes to the
extractor with the segmenter's state from the end of the window before, so a
"Delmål:" list or a heading's year applies across the cut. Windows end at page
ends, which are block ends, so every unit of the text lies in one window and
the targets are those ``extract_targets`` finds in the whole text, with the
same offsets into it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from extractors.document import PAGE_SEPARATOR, Page
from extractors.segment import SegmentState
from extractors.target import Target

#: Characters of page text gathered into one window before it is extracted (and stored).
WINDOW_CHARS = 250_000

#: ``extract(text, state)``: the targets of a window, with the carried context; ``extract_targets`` is one.
WindowExtractor = Callable[[str, SegmentState], list[Target]]


def page_windows(pages: Iterable[Page], window_chars: int = WINDOW_CHARS) -> Iterator[list[Page]]:
    """Consecutive pages grouped until their text reaches ``window_chars`` (a longer page is a window alone)."""
    window: list[Page] = []
    size = 0
    for page in pages:
        window.append(page)
        size += len(page.text) + len(PAGE_SEPARATOR)
        if size >= window_chars:
            yield window
            window, size = [], 0
    if window:
        yield window


class WindowedExtraction:
    """One document's extraction, a window at a time; offsets are into the whole document's text."""

    def __init__(self, extract: WindowExtractor) -> None:
        self.extract = extract
        self.state = SegmentState()
        #: Where the next window starts in the document text.
        self.offset = 0

    def window(self, pages: Sequence[Page]) -> tuple[list[int], list[Target]]:
        """The document offsets at which ``pages`` start, and the targets in them (document offsets)."""
        starts: list[int] = []
        at = self.offset
        for page in pages:
            starts.append(at)
            at += len(page.text) + len(PAGE_SEPARATOR)
        text = PAGE_SEPARATOR.join(page.text for page in pages)
        found = self.extract(text, self.state)
        shift = self.offset
        self.offset = at
        if not shift:
            return starts, found
        return starts, [replace(t, start=t.start + shift, end=t.end + shift) for t in found]


def extract_in_windows(
    pages: Iterable[Page], extract: WindowExtractor, window_chars: int = WINDOW_CHARS
) -> list[Target]:
    """Every target of a document's pages, extracted window by window (document offsets)."""
    extraction = WindowedExtraction(extract)
    targets: list[Target] = []
    for window in page_windows(pages, window_chars):
        targets += extraction.window(window)[1]
    return targets
