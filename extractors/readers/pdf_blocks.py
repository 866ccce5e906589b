"""PDF lines in reading order -> blocks: headings, paragraphs, list items, table rows.

Decides block boundaries from what a reader sees: a larger or bold line is a
heading, a bullet starts a list item and its hanging indent continues it, a
vertical gap wider than the usual line gap ends a paragraph, and a sentence
that runs on at the top of the next column continues its block. Lines are
joined with words hyphenated at a line break re-joined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.readers.blocks import Item, list_item, normalise, table_row
from extractors.readers.pdf_layout import Fragment, TableItem

_BULLET = re.compile(r"^(?:[•●▪■◦‣∙·○□➢►✓–\-*]|\d{1,2}[.)])\s+")
_BULLET_ONLY = re.compile(r"^[•●▪■◦‣∙·○□➢►✓–\-*]$")
# pdfminer writes glyphs it cannot map as "(cid:N)"; at the start of a line they are bullets
_CID_BULLET = re.compile(r"^\s*\(cid:\d+\)\s*")
_CID = re.compile(r"\(cid:\d+\)")
_SUSPENDED_HYPHEN_NEXT = {"og", "eller", "samt", "til", "&", "som", "and", "or"}
_SENTENCE_END = (".", "!", "?", ":", ";")
#: The end of a line of a table of contents: a dot leader and perhaps its page number (often a fragment of
#: its own, at the right margin).
_LEADER = re.compile(r"(?:\.{4,}|…{2,})\s*\d{0,4}$")
_PAGE_NUMBER_ONLY = re.compile(r"^\d{1,4}$")


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one block, re-joining words hyphenated at a line break."""
    out = ""
    soft = False
    for raw in lines:
        line = normalise(raw)
        if not line:
            continue
        if not out or soft:
            out += line
            soft = raw.rstrip().endswith("\u00ad")
            continue
        soft = raw.rstrip().endswith("\u00ad")
        if out.endswith(("-", "\u2010")) and len(out) > 1 and not out[-2].isspace():
            before = out[:-1].rsplit(" ", 1)[-1]
            after = line.split(" ", 1)[0]
            if after.casefold() in _SUSPENDED_HYPHEN_NEXT:
                out = f"{out} {line}"  # "el- og varmeforsyning"
            elif not after[:1].islower() or not before.isalpha() or before.isupper():
                out = out + line  # "CO₂-udledning", "EU-Kommissionen", "2023-2050"
            else:
                out = out[:-1] + line  # "arbejds-" + "gange"
            continue
        out = f"{out} {line}"
    return out


class PageBlocks:
    """Groups ordered lines of one page into block items."""

    def __init__(self, body_size: float, line_gap: float, body_bold: bool = False) -> None:
        self.body_size = body_size
        self.body_bold = body_bold
        self.line_gap = line_gap
        self.items: list[Item] = []
        self.kind: str | None = None
        self.lines: list[str] = []
        self.last: Fragment | None = None
        self.indent = 0.0

    def flush(self) -> None:
        if self.kind and self.lines:
            text = join_lines(self.lines)
            if self.kind == "list_item":
                self.items.append(list_item(text))
            else:
                self.items.append((self.kind, text))
        self.kind, self.lines, self.last = None, [], None

    def _in_contents_entry(self) -> bool:
        """The block so far ends with a dot leader, and perhaps the page number after it."""
        if not self.lines:
            return False
        if _LEADER.search(self.lines[-1]):
            return True
        return (
            len(self.lines) > 1
            and bool(_PAGE_NUMBER_ONLY.match(self.lines[-1]))
            and bool(_LEADER.search(self.lines[-2]))
        )

    def heading_like(self, f: Fragment) -> bool:
        if f.size >= self.body_size * 1.15:
            return True
        return f.bold and not self.body_bold and len(f.text) <= 120 and not _BULLET.match(f.text)

    def _dash_continues(self, text: str, big_gap: bool, column_jump: bool) -> bool:
        """A line starting with a dash inside a running sentence continues it ("… i 2020 – alternativt")."""
        return (
            text[:1] in "-–"
            and self.kind == "paragraph"
            and bool(self.lines)
            and not big_gap
            and not column_jump
            and not self.lines[-1].endswith(_SENTENCE_END)
        )

    def _item_continues(self, f: Fragment, text: str, column_jump: bool) -> bool:
        if column_jump:  # the indent is meaningless across columns; the sentence must run on
            return bool(self.lines) and not self.lines[-1].endswith(_SENTENCE_END) and text[:1].islower()
        return f.x0 > self.indent + 2

    def add_table(self, table: TableItem) -> None:
        self.flush()
        for row in table.rows:
            self.items.append(table_row(join_lines((c or "").splitlines()) for c in row))

    def add(self, f: Fragment) -> None:
        text = normalise(_CID_BULLET.sub("• ", f.text))
        text = normalise(_CID.sub("", text))
        if not text:
            return
        if self._in_contents_entry():
            # a table of contents: each entry ("Godkendelse ......... 3") is a block of its own, with the
            # page number at the end of its line (however far right it stands)
            same_line = self.last is not None and abs(f.top - self.last.top) <= 2
            if same_line and _PAGE_NUMBER_ONLY.match(text) and _LEADER.search(self.lines[-1]):
                self.lines.append(text)
                self.last = f
                return
            self.flush()
        last = self.last
        gap = f.top - last.bottom if last else 0.0
        big_gap = gap > self.line_gap + 0.45 * max(f.size, last.size if last else f.size)
        column_jump = last is not None and (gap < -f.size or abs(f.x0 - last.x0) > 150 and gap < 0)
        heading = self.heading_like(f)
        bullet = _BULLET.match(text)
        if heading:
            same = (
                self.kind == "heading"
                and last is not None
                and abs(last.size - f.size) < 0.6
                and not self.lines[-1].endswith((":", ".", "!", "?"))
            )
            if not (same and not big_gap):  # a heading may run on into the next column
                self.flush()
                self.kind = "heading"
        elif (bullet or _BULLET_ONLY.match(text)) and not self._dash_continues(text, big_gap, column_jump):
            self.flush()
            self.kind = "list_item"
            self.indent = f.x0
            text = _BULLET.sub("", text, count=1) if bullet else ""
        elif (
            self.kind == "list_item"
            and last is not None
            and not big_gap
            and self._item_continues(f, text, column_jump)
        ):
            pass  # continuation of a list item under its hanging indent, or at the top of the next column
        elif self.kind == "paragraph" and last is not None and not big_gap:
            if column_jump and self.lines and self.lines[-1].endswith(_SENTENCE_END):
                self.flush()
                self.kind = "paragraph"
        else:
            self.flush()
            self.kind = "paragraph"
        if text:
            self.lines.append(text)
        self.last = f
