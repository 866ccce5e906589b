"""Saved peer lists: municipalities an analyst compares one of them with (``peer_groups``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import PeerGroup

MAX_NAME = 80


def saved_peer_codes(session: Session, name: str) -> list[int] | None:
    group = session.scalar(select(PeerGroup).where(PeerGroup.name == name))
    return list(group.codes) if group else None


def save_peer_group(session: Session, name: str, codes: Sequence[int], created_by: str | None) -> PeerGroup:
    """Save (or replace the members of) a named list; the name must be short and not a built-in group."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or name in ("region", "population"):
        raise ValueError(
            f"a peer list needs a name of 1-{MAX_NAME} characters other than region and population"
        )
    if not codes:
        raise ValueError("a peer list needs at least one municipality")
    group = session.scalar(select(PeerGroup).where(PeerGroup.name == name))
    if group is None:
        group = PeerGroup(name=name, codes=sorted(set(codes)), created_by=created_by)
        session.add(group)
    else:
        group.codes = sorted(set(codes))
    session.flush()
    return group


def peer_groups(session: Session) -> list[PeerGroup]:
    return list(session.scalars(select(PeerGroup).order_by(PeerGroup.name)))
