"""The structure of a regex as written: its top-level groups and alternatives, where a group ends.

Several rule compilers rewrite or read pattern sources (a first-word look-ahead
before a group, the words of a bound's group, whether a pattern has a top-level
``|``). ``re``'s own parser cannot answer these: its tree keeps no source
positions, and it rewrites what it reads (``a|b`` becomes a class, common
prefixes of alternatives are pulled out). One scan over the source serves them
all: it skips escapes and character classes, a ``]`` or ``^]`` right after
``[`` being a member of the class, as ``re`` reads it.
"""

from __future__ import annotations

from collections.abc import Iterator


def _marks(source: str) -> Iterator[tuple[int, str, int]]:
    """(index, mark, depth before it) of each ``(``, ``)`` and ``|`` outside escapes and classes."""
    depth, i, in_class = 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 1
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 2 if source.startswith("^]", i + 1) else 1 if source.startswith("]", i + 1) else 0
        elif ch in "()|":
            yield i, ch, depth
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
        i += 1


def top_level_groups(source: str) -> list[str]:
    """The groups ``(…)`` at the top level of ``source``, as written, in order."""
    groups, start = [], 0
    for i, mark, depth in _marks(source):
        if mark == "(" and depth == 0:
            start = i
        elif mark == ")" and depth == 1:
            groups.append(source[start : i + 1])
    return groups


def top_level_alternatives(source: str) -> list[str]:
    """``source`` split at its top-level ``|`` (one part where it has none)."""
    parts, start = [], 0
    for i, mark, depth in _marks(source):
        if mark == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    return [*parts, source[start:]]


def group_end(source: str, start: int) -> int:
    """The index of the ``)`` closing the group opened at ``source[start]``."""
    opened = None  # the depth the group opens at, once the scan has reached it
    for i, mark, depth in _marks(source):
        if i == start and mark == "(":
            opened = depth
        elif opened is not None and mark == ")" and depth == opened + 1:
            return i
    raise ValueError(f"no group closes at or after {start} in {source!r}")
