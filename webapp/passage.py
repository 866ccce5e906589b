"""The passage around a target: page text cut into segments the template marks up.

The template renders each segment as escaped text inside a tag chosen by its
``kind``; document text never becomes markup. Inside the quote, the value, the
target year and the baseline year are located in the text (as a Dane writes
them) so the reviewer can see at a glance what the fields were read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Characters of page text shown on each side of the quote.
CONTEXT = 500


@dataclass(frozen=True)
class Segment:
    text: str
    #: "text" outside the quote, "quote" inside it, or "value"/"year"/"baseline" for marked parts of the quote.
    kind: str


@dataclass(frozen=True)
class Passage:
    #: Offset of the first shown character in the page text (the JS adds it to selection offsets).
    offset: int
    before: list[Segment]
    quote: list[Segment]
    after: list[Segment]
    truncated_start: bool
    truncated_end: bool
    #: Field marks that could not be found in the quote (e.g. "halvdelen" for 50).
    unmarked: list[str]


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """About ``CONTEXT`` characters each side, widened or narrowed to whole lines (else whole words)."""
    lo = max(0, start - CONTEXT)
    hi = min(len(text), end + CONTEXT)
    if lo > 0:
        cut = text.find("\n", lo, start)
        if cut == -1:
            cut = text.find(" ", lo, start)
        if cut != -1:
            lo = cut + 1
    if hi < len(text):
        cut = text.rfind("\n", end, hi)
        if cut == -1:
            cut = text.rfind(" ", end, hi)
        if cut != -1:
            hi = cut
    return lo, hi


def number_patterns(value: float) -> list[str]:
    """Ways a value may be written: 70 -> "70"; 1.5 -> "1,5", "1.5"; 220536 -> "220.536"."""
    if float(value).is_integer():
        whole = int(value)
        forms = [str(whole)]
        if abs(whole) >= 1000:
            forms.insert(0, f"{whole:,}".replace(",", "."))
        return forms
    text = repr(float(value))
    return [text.replace(".", ","), text]


def _find_number(quote: str, forms: list[str], taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    for form in forms:
        for match in re.finditer(r"(?<![\d.,])" + re.escape(form) + r"(?![\d]|[.,]\d)", quote):
            span = match.span()
            if not any(span[0] < e and s < span[1] for s, e in taken):
                return span
    return None


def build_passage(page_text: str, page_start: int, page_end: int, fields: dict[str, Any]) -> Passage:
    """Cut the page text around ``page_start:page_end`` and mark the fields inside the quote."""
    page_start = max(0, min(page_start, len(page_text)))
    page_end = max(page_start, min(page_end, len(page_text)))
    lo, hi = _window(page_text, page_start, page_end)
    quote = page_text[page_start:page_end]
    marks: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    unmarked: list[str] = []
    wanted = [
        ("year", fields.get("target_year")),
        ("baseline", fields.get("baseline_year")),
        ("value", fields.get("value")),
    ]
    for kind, value in wanted:
        if value is None:
            continue
        if kind == "value":
            span = _find_number(quote, number_patterns(float(value)), taken)
        else:
            span = _find_number(quote, [str(int(value))], taken)
        if span is None:
            unmarked.append(kind)
            continue
        marks.append((span[0], span[1], kind))
        taken.append(span)
    marks.sort()
    quote_segments: list[Segment] = []
    cursor = 0
    for s, e, kind in marks:
        if s > cursor:
            quote_segments.append(Segment(quote[cursor:s], "quote"))
        quote_segments.append(Segment(quote[s:e], kind))
        cursor = e
    if cursor < len(quote):
        quote_segments.append(Segment(quote[cursor:], "quote"))
    return Passage(
        offset=lo,
        before=[Segment(page_text[lo:page_start], "text")] if page_start > lo else [],
        quote=quote_segments,
        after=[Segment(page_text[page_end:hi], "text")] if hi > page_end else [],
        truncated_start=lo > 0,
        truncated_end=hi < len(page_text),
        unmarked=unmarked,
    )


def page_segments(page_text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """The whole page as segments, the spans of known targets as "known" (overlaps merged)."""
    segments: list[Segment] = []
    cursor = 0
    for start, end in sorted((max(0, s), min(len(page_text), e)) for s, e in spans):
        if end <= cursor:
            continue
        start = max(start, cursor)
        if start > cursor:
            segments.append(Segment(page_text[cursor:start], "text"))
        segments.append(Segment(page_text[start:end], "known"))
        cursor = end
    if cursor < len(page_text):
        segments.append(Segment(page_text[cursor:], "text"))
    return segments
