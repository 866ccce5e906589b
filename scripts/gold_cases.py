"""Write tests/gold/real/cases.csv: every agenda item of every document named by the real gold, with its case.

Cross-validation keeps a case in one fold: the same case comes back in
committee and in the council with the same text, and a model that saw it in one
meeting would be scored on it in the other. An item's case is the number the
portal gives it (Greve's "Sagsnummer: 23-004929", Aarhus' "EMN-2025-003383");
a numbered heading without one is a sub-heading of the item before it (its
case), or, before the first item, a case of its own.

Usage: python scripts/gold_cases.py   (rewrites the file; commit it with the gold)
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import docgold  # noqa: E402
from extractors.segment import segments  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "real"
CASE_NUMBER = re.compile(r"(?:Sagsnummer:\s*(\d{2}-\d{4,6})|\b(EMN-\d{4}-\d{4,7})\b)")


def items(text: str) -> list[tuple[str, str | None]]:
    """(title, case number) of each agenda item, in order; the number is the first one after the title."""
    titles: list[tuple[int, str]] = []
    for seg in segments(text):
        if seg.kind == "heading" and seg.context.title == text[seg.start : seg.end]:
            titles.append((seg.start, seg.context.title))
    out = []
    for i, (start, title) in enumerate(titles):
        end = titles[i + 1][0] if i + 1 < len(titles) else len(text)
        m = CASE_NUMBER.search(text, start, min(end, start + 600))
        out.append((title, (m.group(1) or m.group(2)) if m else None))
    return out


def main() -> int:
    rows = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            name = json.loads(line)["file"]
            current = None
            for title, case in items(docgold.document_text(name)):
                current = case or current
                rows.append((name, title, current or f"{name}#{title}"))
    with (GOLD / "cases.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "item", "case"])
        writer.writerows(rows)
    print(f"{len(rows)} items, {len({r[2] for r in rows})} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
