"""Turn a reader's list of (kind, text) items into a ``Page`` with exact offsets.

Every reader finds structure its own way but renders it the same way, because
the target extractor reads the page text: blocks joined by a blank line, list
items as ``- item``, table rows as cells joined by `` | ``. Building the text
here, in one place, is what guarantees ``page.text[block.start:block.end] ==
block.text`` for every reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from extractors.document import Block, Page

BLOCK_JOIN = "\n\n"
LIST_PREFIX = "- "
CELL_JOIN = " | "

# Spaces that should read as an ordinary space, and characters that carry no text at all.
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise(text: str) -> str:
    """Collapse every run of whitespace (NBSP and friends included) to one space; drop invisible marks."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


Item = tuple[str, str]
"""A block before it has offsets: (kind, text already rendered, e.g. ``- item``)."""


def list_item(text: str) -> Item:
    return ("list_item", LIST_PREFIX + normalise(text))


def table_row(cells: Iterable[str | None]) -> Item:
    return ("table_row", CELL_JOIN.join(normalise(c or "") for c in cells))


def build_page(number: int, items: Iterable[Item]) -> Page:
    """Join items into page text, recording where each block starts and ends."""
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for kind, raw in items:
        text = raw if kind in ("list_item", "table_row") else normalise(raw)
        if kind == "table_row":
            text = text.strip()
        if not text or not text.replace("|", "").strip() or text == LIST_PREFIX.strip():
            continue
        if parts:
            offset += len(BLOCK_JOIN)
        blocks.append(Block(kind, offset, offset + len(text), text))
        parts.append(text)
        offset += len(text)
    return Page(number=number, text=BLOCK_JOIN.join(parts), blocks=tuple(blocks))


def _key(item: Item) -> str:
    return normalise(item[1]).casefold()


def drop_repeated_runs(items: Sequence[Item], *, min_chars: int = 40) -> list[Item]:
    """Remove a run of blocks that is immediately repeated (A B C A B C -> A B C).

    Scraped web pages often hold every section twice (a mobile and a desktop
    copy, or an accordion rendered open and closed). A repeat is only dropped
    when the repeated run holds at least ``min_chars`` characters, so that two
    equal short lines in a row (``Mål:`` ``Mål:``) are not mistaken for a copy.
    """
    keys = [_key(item) for item in items]
    positions: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        positions.setdefault(key, []).append(index)
    out: list[Item] = []
    i, n = 0, len(items)
    while i < n:
        best = 0
        # candidate run lengths: distances to the later blocks equal to this one
        for j in positions[keys[i]]:
            if j <= i:
                continue
            length = j - i
            repeated = j + length <= n and keys[i:j] == keys[j : j + length]
            if repeated and sum(len(k) for k in keys[i:j]) >= min_chars:
                best = length
                break
        if best:
            out.extend(items[i : i + best])
            # skip every further consecutive copy of the same run
            k = i + best
            while k + best <= n and keys[k : k + best] == keys[i : i + best]:
                k += best
            i = k
        else:
            out.append(items[i])
            i += 1
    return out


#: Sections remembered by ``drop_duplicate_sections`` across the windows of one file before it starts over.
SEEN_SECTIONS_LIMIT = 200_000


def drop_duplicate_sections(
    items: Sequence[Item], *, min_chars: int = 80, seen: set[int] | None = None
) -> list[Item]:
    """Remove a section (a heading and the blocks up to the next heading) seen before, word for word.

    This catches copies that are not adjacent, e.g. a section repeated at the
    end of a scraped page. Sections shorter than ``min_chars`` are kept,
    because short sections (``Delmål:``) legitimately repeat in plans.
    ``seen`` carries the hashes of the sections of earlier windows of the same
    file; it is bounded (``SEEN_SECTIONS_LIMIT``), so memory does not grow
    with the file, at the price of missing a copy that far away.
    """
    sections: list[list[Item]] = [[]]
    for item in items:
        if item[0] == "heading" and sections[-1]:
            sections.append([])
        sections[-1].append(item)
    if seen is None:
        seen = set()
    out: list[Item] = []
    for section in sections:
        key = tuple(_key(item) for item in section)
        if sum(len(k) for k in key) >= min_chars and len(section) > 1:
            digest = hash(key)
            if digest in seen:
                continue
            if len(seen) >= SEEN_SECTIONS_LIMIT:
                seen.clear()
            seen.add(digest)
        out.extend(section)
    return out


def dedupe(items: Sequence[Item]) -> list[Item]:
    """Both repeat filters, for single-page sources (web pages, text files)."""
    return drop_duplicate_sections(drop_repeated_runs(items))
