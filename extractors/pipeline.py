"""Interim extractor (to be replaced by the spaCy rule pipeline of the extraction issue).

Finds sentences with a percentage and a year so the ingest spine can run end to end.
"""

from __future__ import annotations

import re

from extractors.target import Target

EXTRACTOR_VERSION = "interim-0"

_SENTENCE = re.compile(r"[^.\n!?]+[.!?]?")
_PERCENT = re.compile(r"(\d+(?:,\d+)?)\s*(?:%|procent|pct\.)")
_YEAR = re.compile(r"\b(20[1-9]\d)\b")


def extract_targets(text: str) -> list[Target]:
    targets = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        pct, year = _PERCENT.search(sentence), _YEAR.search(sentence)
        if pct and year:
            start = m.start() + (len(sentence) - len(sentence.lstrip()))
            end = m.end() - (len(sentence) - len(sentence.rstrip()))
            targets.append(
                Target(
                    start=start,
                    end=end,
                    quote=text[start:end],
                    value=float(pct.group(1).replace(",", ".")),
                    unit="%",
                    target_year=int(year.group(1)),
                    rule_ids=("interim.percent_year",),
                    confidence=0.3,
                )
            )
    return targets
