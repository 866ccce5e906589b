"""Invisible characters in real text: removed for matching, offsets mapped back to the original.

PDF and web text carry soft hyphens (U+00AD), zero-width spaces and joiners,
word joiners and byte-order marks inside words ("netto\\u00adnul",
"reduk\\u00adtion"). The rules run on a copy without them; every offset a rule
produces in the copy is mapped back, so ``text[start:end]`` of a target is
still a slice of the original text (soft hyphens included).
"""

from __future__ import annotations

import bisect
import re

#: Soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM, invisible operators, Mongolian vowel separator.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u2061-\u2064\u180e]")


def strip_invisibles(text: str) -> tuple[str, list[int] | None]:
    """``(clean, back)``: ``clean`` without invisible characters and, if any were removed,
    ``back[i]`` = the original offset of ``clean[i]`` (with ``back[len(clean)] == len(text)``)."""
    if not INVISIBLE.search(text):
        return text, None
    back = [i for i, ch in enumerate(text) if not INVISIBLE.match(ch)]
    clean = "".join(text[i] for i in back)
    back.append(len(text))
    return clean, back


def to_original_span(start: int, end: int, back: list[int] | None) -> tuple[int, int]:
    """Map a ``clean[start:end]`` span to the original text (end exclusive)."""
    if back is None:
        return start, end
    if end <= start:
        return back[start], back[start]
    return back[start], back[end - 1] + 1


def to_clean_offset(pos: int, back: list[int] | None) -> int:
    """The offset in the clean text of original offset ``pos`` (the next kept character)."""
    if back is None:
        return pos
    return bisect.bisect_left(back, pos)
