"""Over time: which targets a municipality raised, lowered, dropped or added from one plan to the next.

Two editions are compared: a document and the version it superseded (the chain issue 11 keeps, the
old version still readable), and a municipality's successive adopted plans (kind ``plan``, by date).
A target of one edition is the same as one of the next when kind, direction, unit, sector, scope and
target year agree (the wording and the value may change: that is what is asked); a changed value is
raised or lowered by the direction of ambition (a ceiling, ``at_most``, is raised by lowering it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.records import DocumentInfo, Statement

IDENTITY = ("kind", "direction", "unit", "sector", "scope", "target_year")
CHANGE_LABELS = {"raised": "skærpet", "lowered": "sænket", "dropped": "udgået", "added": "ny"}


@dataclass(frozen=True)
class Change:
    municipality_code: int
    old: DocumentInfo
    new: DocumentInfo
    change: str
    before: Statement | None
    after: Statement | None

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.change]


def _identity(s: Statement) -> tuple[object, ...]:
    return tuple(s.fields.get(name) or ("outcome" if name == "kind" else None) for name in IDENTITY)


def _compare(
    old: Sequence[Statement], new: Sequence[Statement]
) -> list[tuple[str, Statement | None, Statement | None]]:
    waiting: dict[tuple[object, ...], list[Statement]] = {}
    for s in new:
        waiting.setdefault(_identity(s), []).append(s)
    out: list[tuple[str, Statement | None, Statement | None]] = []
    for before in old:
        same = waiting.get(_identity(before))
        if not same:
            out.append(("dropped", before, None))
            continue
        match = same.pop(0)
        a, b = before.fields.get("value"), match.fields.get("value")
        if a is None or b is None or a == b:
            continue
        higher = b > a
        if before.fields.get("bound") == "at_most" or match.fields.get("bound") == "at_most":
            higher = not higher
        out.append(("raised" if higher else "lowered", before, match))
    out.extend(("added", None, s) for s in new if any(s is w for w in waiting.get(_identity(s), ())))
    return out


def edition_pairs(
    documents: dict[int, DocumentInfo], previous: dict[int, int | None]
) -> list[tuple[int, int]]:
    """(older, newer) document ids: version chains, and successive adopted current plans per municipality."""
    pairs = [(old, new) for new, old in previous.items() if old is not None and old in documents]
    plans: dict[int, list[DocumentInfo]] = {}
    for d in documents.values():
        if d.current and d.kind == "plan" and not d.draft and d.municipality_code is not None:
            plans.setdefault(d.municipality_code, []).append(d)
    for editions in plans.values():
        editions.sort(key=lambda d: (d.dated, d.id))
        pairs.extend((a.id, b.id) for a, b in zip(editions, editions[1:], strict=False))
    return sorted(set(pairs), key=lambda pair: pair[1])


def changes_over_time(
    found: Sequence[Statement], documents: dict[int, DocumentInfo], previous: dict[int, int | None]
) -> list[Change]:
    by_document: dict[int, list[Statement]] = {}
    for s in found:
        by_document.setdefault(s.document.id, []).append(s)
    out = []
    for old_id, new_id in edition_pairs(documents, previous):
        old, new = documents[old_id], documents[new_id]
        if new.municipality_code is None:
            continue
        for change, before, after in _compare(by_document.get(old_id, []), by_document.get(new_id, [])):
            out.append(Change(new.municipality_code, old, new, change, before, after))
    return out
