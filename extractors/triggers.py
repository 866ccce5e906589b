"""Which spans of a document may hold a target: the trigger words and digits, found once per text.

Most prose holds no digit and none of the words a target needs without one (an
end state, a fraction, a multiplying verb), and neither segmentation nor the
pipeline need read it twice. ``TriggerIndex`` finds every trigger of a text in
one pass over a one-byte-per-character folded copy, so asking it about a
paragraph or sentence is a lookup.
"""

from __future__ import annotations

import bisect
import re

_DIGIT = re.compile(r"[0-9]")
#: Words that can make a unit a target without a digit (end states, fractions, multiplying verbs).
_TRIGGERS = (
    "procent",
    "neutral",
    "netto",
    "nul",
    "klimapositiv",
    "fossil",
    "udfas",
    "kulfri",
    "oliefri",
    "længere",
    "halv",
    "fordobl",
    "tredobl",
    "tredjedel",
    "fjerdedel",
    "femtedel",
    "tiendedel",
    "emissionsfri",
    "ophør",
    r"fri\s+(?:for|af)",
    r"frie\s+(?:for|af)",
    "uafhængig",
    "udelukkende",
    "zero",
)
TRIGGER_WORDS = re.compile("|".join(_TRIGGERS))
#: The triggers that are plain words (found with ``bytes.find``) and the phrases (found after their "fri").
_TRIGGER_LITERALS = tuple(t for t in _TRIGGERS if re.escape(t) == t)
_TRIGGER_PHRASES = re.compile("|".join(t for t in _TRIGGERS if re.escape(t) != t))


#: From this span length on, ten ``str.find`` calls (about 1 us in all) beat the regex, which tests
#: the character class at every position (about 3.5 ns a character).
_FIND_DIGITS_FROM = 300


def has_digit(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` hold an ASCII digit (``_DIGIT.search(text, start, end)``)?

    Long digit-free spans (prose paragraphs) are the common case here, and a search
    that finds nothing reads all of the span.
    """
    if end - start < _FIND_DIGITS_FROM:
        return _DIGIT.search(text, start, end) is not None
    find = text.find
    for digit in "0123456789":  # noqa: SIM110  (a plain loop: any() over a generator costs a third of the gain)
        if find(digit, start, end) >= 0:
            return True
    return False


def might_hold_target(text: str, start: int, end: int) -> bool:
    """A cheap test: does ``text[start:end]`` contain a digit or a word that can anchor a target?"""
    if has_digit(text, start, end):
        return True
    return TRIGGER_WORDS.search(text[start:end].lower()) is not None


#: Triggers found through a shorter word they share: one scan for "fri" serves "kulfri", "oliefri",
#: "emissionsfri" and both phrases, one for "edel" the four fractions, one for "æng" "længere" and
#: "uafhængig"; each occurrence is then checked for the full words around it. "zero" is found through
#: its "z": a one-byte ``find`` is a ``memchr``, several times faster than a word's scan, and "z" is rare
#: in Danish. Every other trigger is its own anchor.
_SHARED_ANCHORS = ("fri", "dobl", "edel", "æng", "z")


def _anchored_triggers() -> tuple[tuple[bytes, tuple[tuple[bytes, int], ...]], ...]:
    """``(anchor, ((word, offset of the anchor in the word), ...))`` covering every literal trigger."""
    groups: dict[str, list[tuple[bytes, int]]] = {}
    for word in _TRIGGER_LITERALS:
        anchor = next((a for a in _SHARED_ANCHORS if a in word), word)
        groups.setdefault(anchor, []).append((word.encode("latin-1"), word.index(anchor)))
    return tuple((anchor.encode("latin-1"), tuple(words)) for anchor, words in groups.items())


_ANCHORED_TRIGGERS = _anchored_triggers()
#: The anchor every trigger phrase starts with, and the rest of the phrases as a case-sensitive pattern for
#: the original text: ``[eE]?\s+(?:[fF][oO][rR]|[aA][fF])`` after "fri" in the text is ``e?\s+(?:for|af)``
#: after "fri" in the lower-cased text (tests/test_segment_speed.py checks every character).
_PHRASE_ANCHOR = b"fri"
_PHRASE_TAIL = re.compile(r"[eE]?\s+(?:[fF][oO][rR]|[aA][fF])")
#: The lower case of each latin-1 character (always one latin-1 character), but every ASCII digit is "0".
_FOLD = bytes(ord(chr(b).lower()) for b in range(256)).translate(bytes.maketrans(b"123456789", b"000000000"))
#: The characters outside latin-1 whose lower case is not one character outside latin-1 ("İ" lower-cases
#: to two characters, the Kelvin sign to "k", ...): in a text with one, the folded copy could miss a trigger.
_FOLD_BREAKERS = ("\u0130", "\u0178", "\u1e9e", "\u212a", "\u212b")


def fold_latin1(text: str) -> bytes | None:
    """A copy of ``text`` with one byte a character: the lower case of latin-1 characters, "0" for every
    ASCII digit and "?" for the rest, or None if ``text`` has a character in ``_FOLD_BREAKERS``.

    Every trigger and "0" are latin-1 without "?", so they occur in the copy exactly where they occur in
    ``text.lower()`` (respectively where a digit is in ``text``). Encoding and ``bytes.translate`` take
    about 4 ms for 2 MB, less than ``str.lower``, and a digit is then one ``bytes.find`` instead of ten.
    """
    for ch in _FOLD_BREAKERS:
        if ch in text:
            return None
    return text.encode("latin-1", "replace").translate(_FOLD)


class TriggerIndex:
    """:func:`might_hold_target` for many spans of one text, with the trigger words found once.

    Segmentation asks it of every paragraph and the pipeline again of every
    sentence; lower-casing and searching each span for the trigger alternation
    was about 60 ms on a 300k-word plan. Here the text is folded once
    (:func:`fold_latin1`) and each anchor word found with ``bytes.find`` (faster
    than the alternation); a span holds a trigger if some occurrence lies wholly
    inside it, which are the very matches a search of the lower-cased span finds.
    """

    __slots__ = ("_text", "_folded", "_hit_starts", "_hit_ends")

    def __init__(self, text: str) -> None:
        self._text = text
        self._hit_starts: list[int] | None = None
        self._hit_ends: list[int] = []
        folded = self._folded = fold_latin1(text)
        if folded is None:
            return
        hits: list[tuple[int, int]] = []
        find = folded.find
        for anchor, words in _ANCHORED_TRIGGERS:
            phrases = anchor == _PHRASE_ANCHOR
            at = find(anchor)
            while at >= 0:
                for word, offset in words:
                    if at >= offset and folded.startswith(word, at - offset):
                        hits.append((at - offset, at - offset + len(word)))
                if phrases:
                    self._phrase_at(at, hits)
                at = find(anchor, at + 1)
        hits.sort()
        self._hit_starts = [s for s, _ in hits]
        self._hit_ends = [e for _, e in hits]

    def _phrase_at(self, at: int, hits: list[tuple[int, int]]) -> None:
        """Add the match of ``_TRIGGER_PHRASES`` in the lower-cased text that starts at ``at`` (where "fri" is).

        Every phrase starts with "fri" and holds no other "fri", so the matches ``finditer`` gives are
        the ones that start at the occurrences of "fri".
        """
        m = _PHRASE_TAIL.match(self._text, at + len(_PHRASE_ANCHOR))
        if m:
            hits.append((at, m.end()))

    def might_hold(self, start: int, end: int) -> bool:
        """``might_hold_target(text, start, end)`` for the indexed text."""
        starts = self._hit_starts
        if starts is None:
            return might_hold_target(self._text, start, end)
        ends = self._hit_ends
        i = bisect.bisect_left(starts, start)
        while i < len(starts) and starts[i] < end:
            if ends[i] <= end:
                return True
            i += 1
        return self._folded.find(b"0", start, end) >= 0  # type: ignore[union-attr]  # set with the hits
