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

from extractors.components.types import YearMention, doc_text, load_jsonl, set_ext

#: A year; what may stand before it (not a digit, not two letters as in "DK2020") is checked after
#: the match, because a look-behind tried at every position made these patterns several times slower.
YEAR_RE = r"(?:19[5-9]\d|20\d\d|2100)(?!\d|[.,]\d)"


def _glued(text: str, start: int) -> bool:
    """Is the year at ``start`` glued to what precedes it ("12030", "1.2030", "DK2020")?"""
    if start == 0:
        return False
    prev = text[start - 1]
    if prev.isdigit() or prev in ".,":
        return True
    return start >= 2 and prev.isalpha() and text[start - 2].isalpha()


_ANY_YEAR = re.compile(r"(?:19[5-9]\d|20\d\d|2100)")


class YearFinder:
    """Assigns each year position one role, by pattern priority.

    A pattern may list literal words it ``requires`` ("senest", "forhold"...);
    it is skipped on a text without them, and a text without any year is skipped
    altogether, so most sentences cost a couple of substring searches.
    """

    def __init__(self) -> None:
        self.patterns: list[tuple[str, str, re.Pattern[str], re.Pattern[str] | None, tuple[str, ...]]] = []
        for e in load_jsonl("years.jsonl"):
            pattern = re.compile(
                e["regex"].replace("YEAR", YEAR_RE), re.IGNORECASE if e["role"] != "name" else 0
            )
            requires = e.get("requires", ())
            # one C-level search for "any of the required words" instead of a Python loop over them
            required = re.compile("|".join(re.escape(w) for w in requires)) if requires else None
            groups = tuple(g for g in ("year", "year2") if g in pattern.groupindex)
            self.patterns.append((e["id"], e["role"], pattern, required, groups))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        claimed: dict[int, YearMention] = {}
        if _ANY_YEAR.search(text):
            low = text.lower()
            for rule_id, role, pattern, required, groups in self.patterns:
                if required is not None and required.search(low) is None:
                    continue
                for m in pattern.finditer(text):
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
        set_ext(doc, "kl_years", sorted(claimed.values(), key=lambda y: y.start))
        return doc


@Language.factory("klimamaal_years_v1")
def make_year_finder(nlp: Language, name: str) -> YearFinder:
    return YearFinder()
