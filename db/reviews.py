"""Reviewer decisions: the current state of a target is its latest decision, else the machine's.

Every state-changing ``TargetReview`` row stores the complete field dict the
target has after it (``after``) and before it (``before``), so the current
state is read from one row and the history can be shown without replay.
"""

from __future__ import annotations

from typing import Any

from models import Target, target_fields


def latest_decision(target: Target):  # type: ignore[no-untyped-def]
    """The newest review row that set a state (skips carry none)."""
    for review in reversed(target.reviews):
        if review.after is not None:
            return review
    return None


def current_fields(target: Target) -> dict[str, Any]:
    """The target's fields as a reviewer last left them, else as the machine found them."""
    review = latest_decision(target)
    fields = target_fields(target)
    if review is not None:
        fields.update({k: v for k, v in review.after.items() if k in fields})
    return fields
