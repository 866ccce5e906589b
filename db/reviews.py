"""Reviewer decisions: the current state of a target is its latest decision, else the machine's.

Every state-changing ``TargetReview`` row stores the complete field dict the
target has after it (``after``) and before it (``before``), so the current
state is read from one row and the history can be shown without replay. A skip
changes no state and stores ``None`` in both.

``Target.status`` and ``Target.revision`` are caches written in the same
transaction as the review row. ``revision`` counts the state-changing rows; a
reviewer's save carries the revision they saw, and the cache is bumped with a
conditional ``UPDATE ... WHERE revision = seen``, so of two reviewers saving
the same target the second always gets a :class:`ConflictError` (with the
other's change) instead of silently overwriting it, on SQLite and PostgreSQL
alike.

Undo is a decision too: it appends a row whose ``after`` is the state before
the undone decision. Decisions and undos form a stack (an undo pops the newest
decision not yet undone), which also gives the status after an undo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from models import DECISIONS, TARGET_FIELDS, Document, Page, Target, TargetReview, target_fields, utcnow

#: Actions that set a state (all but skip); each bumps ``Target.revision``.
STATE_ACTIONS = (*DECISIONS, "undo")
#: The status a decision leaves a target in.
STATUS_OF = {"accept": "accepted", "edit": "edited", "reject": "rejected", "add": "accepted"}


def latest_decision(target: Target) -> TargetReview | None:
    """The newest review row that set a state (skips carry none)."""
    for review in reversed(target.reviews):
        if review.after is not None:
            return review
    return None


def current_fields(target: Target) -> dict[str, Any]:
    """The target's fields as a reviewer last left them, else as the machine found them."""
    review = latest_decision(target)
    return with_decision(target_fields(target), review.after if review is not None else None)


def with_decision(fields: dict[str, Any], after: dict[str, Any] | None) -> dict[str, Any]:
    """Machine (or adder's) ``fields`` with a decision's ``after`` values over them (for readers that load
    columns and review rows in bulk rather than ORM targets)."""
    if after:
        fields.update({k: v for k, v in after.items() if k in fields})
    return fields


@dataclass(frozen=True)
class Change:
    """One review row as shown to people: in the history and in a conflict."""

    id: int
    reviewer: str
    created_at: dt.datetime
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _change(review: TargetReview) -> Change:
    changed: dict[str, tuple[Any, Any]] = {}
    if review.before is not None and review.after is not None:
        changed = {k: (review.before.get(k), v) for k, v in review.after.items() if review.before.get(k) != v}
    return Change(
        id=review.id,
        reviewer=review.reviewer,
        created_at=review.created_at,
        action=review.action,
        before=review.before,
        after=review.after,
        note=review.note,
        changed=changed,
    )


class ConflictError(Exception):
    """Someone else changed the target since the reviewer loaded it; nothing was saved."""

    def __init__(self, target_id: int, seen: int, current: int, changes: Sequence[Change]) -> None:
        self.target_id = target_id
        self.seen_revision = seen
        self.current_revision = current
        self.changes = list(changes)
        who = ", ".join(sorted({c.reviewer for c in self.changes})) or "someone"
        super().__init__(f"target {target_id} was changed by {who} (revision {seen} -> {current})")


class ReviewError(ValueError):
    """A decision that cannot be made (nothing to undo, a reject without a reason, a bad span)."""


def decision_stack(reviews: Sequence[TargetReview]) -> list[TargetReview]:
    """The decisions still in force, oldest first: each undo pops the newest one."""
    stack: list[TargetReview] = []
    for review in reviews:
        if review.action == "undo":
            if stack:
                stack.pop()
        elif review.action in STATUS_OF:
            stack.append(review)
    return stack


def history(target: Target) -> list[Change]:
    """Every review row of a target, oldest first (``Target.reviews`` is ordered by id)."""
    return [_change(r) for r in target.reviews]


def quote_span(page_text: str, target: Target, quote: str) -> tuple[int, int] | None:
    """Where the current quote sits in its page: the stored span, else the occurrence nearest to it."""
    start, end = target.page_start or 0, target.page_end or 0
    if page_text[start:end] == quote:
        return start, end
    best: int | None = None
    position = page_text.find(quote) if quote else -1
    while position != -1:
        if best is None or abs(position - start) < abs(best - start):
            best = position
        position = page_text.find(quote, position + 1)
    return (best, best + len(quote)) if best is not None else None


def _load(session: Session, target_id: int) -> Target:
    target = session.scalar(
        select(Target)
        .where(Target.id == target_id)
        .options(selectinload(Target.reviews))
        .execution_options(populate_existing=True)
    )
    if target is None:
        raise LookupError(f"no target {target_id}")
    return target


def _conflict(target: Target, seen: int) -> ConflictError:
    state_rows = [r for r in target.reviews if r.action in STATE_ACTIONS]
    return ConflictError(target.id, seen, target.revision, [_change(r) for r in state_rows[seen:]])


def _record(
    session: Session,
    target: Target,
    *,
    reviewer: str,
    action: str,
    seen_revision: int,
    before: dict[str, Any],
    after: dict[str, Any],
    status: str,
    note: str | None,
) -> TargetReview:
    """Bump the caches only if nobody else did since ``seen_revision``, then append the row."""
    if target.revision != seen_revision:
        raise _conflict(target, seen_revision)
    result = session.execute(
        update(Target)
        .where(Target.id == target.id, Target.revision == seen_revision)
        .values(revision=seen_revision + 1, status=status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # Another transaction committed in between: report what it did (this one is rolled back by the caller).
        session.expire(target)
        raise _conflict(_load(session, target.id), seen_revision)
    review = TargetReview(
        target_id=target.id,
        reviewer=reviewer,
        created_at=utcnow(),
        action=action,
        before=_jsonable(before),
        after=_jsonable(after),
        note=note or None,
    )
    session.add(review)
    session.flush()
    session.expire(target)
    return review


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields[k] for k in TARGET_FIELDS if k in fields}


def _confirm(
    session: Session, target_id: int, reviewer: str, seen_revision: int, action: str, note: str | None
) -> TargetReview:
    """Record ``action`` on the target as it currently stands (its fields do not change)."""
    target = _load(session, target_id)
    fields = current_fields(target)
    return _record(
        session,
        target,
        reviewer=reviewer,
        action=action,
        seen_revision=seen_revision,
        before=fields,
        after=fields,
        status=STATUS_OF[action],
        note=note,
    )


def accept(session: Session, target_id: int, reviewer: str, seen_revision: int) -> TargetReview:
    """Accept the target as it currently stands."""
    return _confirm(session, target_id, reviewer, seen_revision, "accept", None)


def edit(
    session: Session,
    target_id: int,
    reviewer: str,
    seen_revision: int,
    changes: dict[str, Any],
    note: str | None = None,
) -> TargetReview:
    """Accept the target with corrected fields; with no actual change this is an accept."""
    target = _load(session, target_id)
    before = current_fields(target)
    after = before | {k: v for k, v in changes.items() if k in before}
    action = "edit" if after != before else "accept"
    return _record(
        session,
        target,
        reviewer=reviewer,
        action=action,
        seen_revision=seen_revision,
        before=before,
        after=after,
        status=STATUS_OF[action],
        note=note,
    )


def reject(session: Session, target_id: int, reviewer: str, seen_revision: int, reason: str) -> TargetReview:
    """Reject the target; the reason is required (it tells the rule authors what went wrong)."""
    if not reason or not reason.strip():
        raise ReviewError("a rejection needs a reason")
    return _confirm(session, target_id, reviewer, seen_revision, "reject", reason.strip())


def skip(session: Session, target_id: int, reviewer: str, note: str | None = None) -> TargetReview:
    """Note that a reviewer passed over the target; changes no state and never conflicts."""
    _load(session, target_id)
    review = TargetReview(
        target_id=target_id,
        reviewer=reviewer,
        created_at=utcnow(),
        action="skip",
        before=None,
        after=None,
        note=note or None,
    )
    session.add(review)
    session.flush()
    return review


def undoable(target: Target) -> TargetReview | None:
    """The decision an undo on this target would take back, if any."""
    stack = decision_stack(target.reviews)
    return stack[-1] if stack else None


def undo(session: Session, target_id: int, reviewer: str, seen_revision: int) -> TargetReview:
    """Take back the newest decision in force: the target returns to the state before it."""
    target = _load(session, target_id)
    stack = decision_stack(target.reviews)
    if not stack:
        if target.revision != seen_revision:
            raise _conflict(target, seen_revision)
        raise ReviewError("there is no decision to undo")
    undone = stack[-1]
    previous = stack[-2] if len(stack) > 1 else None
    before = current_fields(target)
    after = dict(previous.after) if previous is not None and previous.after else target_fields(target)
    status = STATUS_OF[previous.action] if previous is not None else "pending"
    return _record(
        session,
        target,
        reviewer=reviewer,
        action="undo",
        seen_revision=seen_revision,
        before=before,
        after=after,
        status=status,
        note=f"undo of #{undone.id} ({undone.action} by {undone.reviewer})",
    )


def last_undoable_by(session: Session, reviewer: str, *, window: int = 50) -> Target | None:
    """The target whose decision in force is the reviewer's most recent one (for a global undo)."""
    recent = session.scalars(
        select(TargetReview.target_id)
        .where(TargetReview.reviewer == reviewer, TargetReview.action.in_(tuple(STATUS_OF)))
        .order_by(TargetReview.id.desc())
        .limit(window)
    )
    newest_first = list(dict.fromkeys(recent))
    # One query for all candidates rather than one per target.
    targets = {
        t.id: t
        for t in session.scalars(
            select(Target)
            .where(Target.id.in_(newest_first))
            .options(selectinload(Target.reviews))
            .execution_options(populate_existing=True)
        )
    }
    for target_id in newest_first:
        top = undoable(targets[target_id])
        if top is not None and top.reviewer == reviewer:
            return targets[target_id]
    return None


def add_target(
    session: Session,
    *,
    document_id: int,
    page_number: int,
    page_start: int,
    page_end: int,
    quote: str,
    fields: dict[str, Any],
    reviewer: str,
    note: str | None = None,
) -> Target:
    """Add a target the machine missed, from a span of a stored page.

    The span must lie inside the page and ``quote`` must equal the page text
    there, so an added target is as traceable as a machine one.
    """
    page = session.scalar(select(Page).where(Page.document_id == document_id, Page.number == page_number))
    if page is None or session.get(Document, document_id) is None:
        raise ReviewError("no such page")
    if not (0 <= page_start < page_end <= len(page.text)):
        raise ReviewError("the span lies outside the page")
    if page.text[page_start:page_end] != quote:
        raise ReviewError("the quote does not match the page text at the span")
    values = {k: v for k, v in fields.items() if k in TARGET_FIELDS}
    values["quote"] = quote
    values.setdefault("interim", False)
    target = Target(
        document_id=document_id,
        origin="reviewer",
        page_number=page_number,
        start=page.start_offset + page_start,
        end=page.start_offset + page_end,
        page_start=page_start,
        page_end=page_end,
        rule_ids=[],
        extractor_version=None,
        confidence=1.0,
        status="accepted",
        revision=1,
        **values,
    )
    session.add(target)
    session.flush()
    session.add(
        TargetReview(
            target_id=target.id,
            reviewer=reviewer,
            created_at=utcnow(),
            action="add",
            before=None,
            after=_jsonable(target_fields(target)),
            note=note or None,
        )
    )
    session.flush()
    return target
