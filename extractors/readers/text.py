"""Plain text and Markdown: decode, find headings, lists and paragraphs, drop scraped repeats.

Plain text in this project is mostly scraped web pages and copied plan text,
so besides Markdown headings it treats short, unpunctuated lines as headings,
and it removes the boilerplate of a scraped page (skip links, breadcrumbs) and
sections that the scrape repeated.
"""

from __future__ import annotations

import codecs
import re

from extractors.document import ParsedDocument, ReadError
from extractors.readers.blocks import Item, build_page, dedupe, list_item, normalise, table_row

_BULLET = re.compile(r"^\s*(?:[-*•–·▪●◦‣]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_SKIP_LINK = re.compile(
    r"^(?:skip|spring|gå|hop)\s+(?:til|to)\s+(?:hoved\s*)?(?:indhold|indholdet|content|main)", re.I
)
_BREADCRUMB = re.compile(r"^(?:Hjem|Forside|Home)\s+(?:[A-ZÆØÅ0-9][\w\-æøå]*\s*){2,}$")
_SENTENCE_END = (".", "!", "?", ",", ";", "…", '"', "”")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Returns the text and the encoding used. Windows-1252 is the usual encoding
    of older Danish files; it is tried last because almost any bytes decode as
    Latin-1, whereas UTF-8 and cp1252 both reject some byte sequences.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ReadError(
            name,
            f"could not be decoded as UTF-8 or Windows-1252 (byte {error.object[error.start]:#04x} at offset {error.start})",
            hint="save the file as UTF-8 text",
        ) from error
    if "\x00" in text:
        raise ReadError(name, "looks like a binary file, not text", hint="supply a PDF, HTML or text file")
    return text, "cp1252"


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _table_cells(line: str) -> list[str] | None:
    """Cells of a table line ("a | b | c" or Markdown "| a | b |"), or None for ordinary text."""
    if "|" not in line:
        return None
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return cells if len(cells) >= 2 and any(cells) else None


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 80 or len(words) > 10 or "@" in line or "www." in line:
        return False
    if line.endswith(":"):
        return len(words) <= 6
    if line.endswith("?"):
        return len(words) <= 8 and line[0].isupper()
    if line.endswith(_SENTENCE_END) or line[0].islower() or line.replace(" ", "").isdigit():
        return False
    return line[0].isupper() or line[0].isdigit() or line.isupper()


def parse_text(text: str, *, markdown: bool = False) -> tuple[list[Item], str | None]:
    """Split text into blocks; returns the items and a title (first Markdown heading or first heading)."""
    items: list[Item] = []
    title: str | None = None
    paragraph: list[str] = []
    bullet: list[str] | None = None

    def flush() -> None:
        nonlocal paragraph, bullet
        if bullet is not None:
            items.append(list_item(_MD_EMPHASIS.sub(r"\2", " ".join(bullet))))
            bullet = None
        if paragraph:
            joined = _MD_EMPHASIS.sub(r"\2", normalise(" ".join(paragraph)))
            if joined:
                kind = "heading" if len(paragraph) == 1 and _is_heading(joined) else "paragraph"
                items.append((kind, joined))
            paragraph = []

    for raw in text.splitlines():
        line = _MD_EMPHASIS.sub(r"\2", raw)
        stripped = normalise(line)
        if not stripped:
            flush()
            continue
        heading = _MD_HEADING.match(line) if markdown or line.lstrip().startswith("#") else None
        if heading and heading.group(2):
            flush()
            items.append(("heading", heading.group(2)))
            title = title or normalise(heading.group(2))
            continue
        if _TABLE_RULE.match(line):
            flush()  # the rule under a Markdown table header
            continue
        cells = _table_cells(stripped)
        if cells is not None:
            flush()  # each table line is a row of its own, never joined with the next
            items.append(table_row(cells))
            continue
        if _BULLET.match(line):
            flush()
            bullet = [_BULLET.sub("", line, count=1)]
            continue
        if bullet is not None:
            if line[:1].isspace():  # an indented continuation of the item
                bullet.append(stripped)
                continue
            flush()
        paragraph.append(stripped)
    flush()
    items = _drop_boilerplate(items)
    if title is None:
        title = next((text for kind, text in items if kind == "heading"), None)
    return dedupe(items), title


def _drop_boilerplate(items: list[Item]) -> list[Item]:
    """Skip links anywhere and a breadcrumb trail among the first few blocks of a scraped page."""
    out: list[Item] = []
    for index, (kind, text) in enumerate(items):
        if _SKIP_LINK.match(text):
            continue
        if index < 5 and _BREADCRUMB.match(text):
            continue
        out.append((kind, text))
    return out


def read_text(data: bytes, name: str) -> ParsedDocument:
    text, encoding = decode(data, name)
    markdown = name.lower().endswith((".md", ".markdown"))
    items, title = parse_text(text, markdown=markdown)
    page = build_page(1, items)
    return ParsedDocument(
        pages=(page,),
        title=title,
        media_type="text/markdown" if markdown else "text/plain",
        metadata={"encoding": encoding},
    )
