"""The units ``extract_targets`` parses in the gold passages, for tests that hold its parts to each other."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from extractors import pipeline
from extractors.segment import Segment, segments
from extractors.triggers import TriggerIndex

GOLD = Path(__file__).parent / "gold"


@cache
def gold_units() -> tuple[tuple[str, Segment], ...]:
    """(unit text, segment) of every unit of every gold passage that passes ``pipeline._candidate``."""
    units = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                triggers = TriggerIndex(text)
                units += [
                    (text[s.start : s.end], s)
                    for s in segments(text, triggers)
                    if pipeline._candidate(s, triggers)
                ]
    return tuple(units)
