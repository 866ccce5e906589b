"""Component ``klimamaal_years_v1``: every year in the Doc and its role.

A year is a deadline ("i 2030" -> in, "senest i"/"inden"/"frem mod" -> by),
a baseline ("i forhold til 1990", "fra 2010-niveau", "af det, de var i 1990"),
a start ("fra 2025"), part of a period ("2023-2050"), a name ("Vision 2029",
"DK2020") or a number that only looks like one (a phone number). The
patterns of ``patterns/years.jsonl`` are tried in file order and the first to
claim a year decides its role. dateparser is of no help here: it parses
concrete dates, not the role a bare year plays in a sentence.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from extractors.caseless import compile_folded, foldable
from extractors.components.types import YEARLIKE, YearMention, doc_text, load_jsonl, set_ext

#: A year; what may stand before it (not a digit, not two letters as in "DK2020") is checked after
#: the match, because a look-behind tried at every position made these patterns several times slower.
YEAR_RE = YEARLIKE.pattern + r"(?!\d|[.,]\d)"


def _glued(text: str, start: int) -> bool:
    """Is the year at ``start`` glued to what precedes it ("12030", "1.2030", "DK2020")?"""
    if start == 0:
        return False
    prev = text[start - 1]
    if prev.isdigit() or prev in ".,":
        return True
    return start >= 2 and prev.isalpha() and text[start - 2].isalpha()


_YEAR = re.compile(YEAR_RE)


class YearFinder:
    """Assigns each year position one role, by pattern priority.

    A pattern may list literal words it ``requires`` ("senest", "forhold"...);
    it is skipped on a text without them, and a text without any year is skipped
    altogether. Which required words a text holds is found once per text (a
    substring test per distinct word), not once per pattern; the case-insensitive
    patterns run as their case-sensitive twins on the lower-cased text where that
    provably matches the same (:func:`compile_folded`), which is about 1.5 times faster.
    """

    def __init__(self) -> None:
        self.patterns: list[
            tuple[str, str, re.Pattern[str], re.Pattern[str] | None, frozenset[str] | None, tuple[str, ...]]
        ] = []
        words: set[str] = set()
        for e in load_jsonl("years.jsonl"):
            source = e["regex"].replace("YEAR", YEAR_RE)
            ignore_case = e["role"] != "name"
            pattern = re.compile(source, re.IGNORECASE if ignore_case else 0)
            folded = compile_folded(source) if ignore_case else None
            requires = frozenset(e.get("requires", ())) or None
            words |= requires or set()
            groups = tuple(g for g in ("year", "year2") if g in pattern.groupindex)
            self.patterns.append((e["id"], e["role"], pattern, folded, requires, groups))
        self.required_words = tuple(sorted(words))

    def __call__(self, doc: Doc) -> Doc:
        set_ext(doc, "kl_years", self.find(doc_text(doc)))
        return doc

    def find(self, text: str) -> list[YearMention]:
        """The years of ``text`` with their roles, in order of position."""
        claimed: dict[int, YearMention] = {}
        # Roles are only ever given to a year that stands alone (a ``YEAR_RE`` match not glued to what
        # precedes it; such matches never overlap), so once each of those has one, no pattern can add any.
        open_years = {m.start() for m in _YEAR.finditer(text) if not _glued(text, m.start())}
        if open_years:
            low = text.lower()
            present = {w for w in self.required_words if w in low}
            fold = foldable(text)
            for rule_id, role, pattern, folded, required, groups in self.patterns:
                if not open_years:
                    break
                if required is not None and required.isdisjoint(present):
                    continue
                matches = folded.finditer(low) if fold and folded is not None else pattern.finditer(text)
                for m in matches:
                    for group in groups:
                        if m.group(group) is None:
                            continue
                        start = m.start(group)
                        if start in claimed or _glued(text, start):
                            continue
                        r = role
                        if role == "period":
                            r = "period_start" if group == "year" else "period_end"
                        claimed[start] = YearMention(
                            start, m.end(group), int(m.group(group)), r, m.start(), m.end(), rule_id
                        )
                        open_years.discard(start)
        return sorted(claimed.values(), key=lambda y: y.start)


@Language.factory("klimamaal_years_v1")
def make_year_finder(nlp: Language, name: str) -> YearFinder:
    return YearFinder()
