"""Plain text and Markdown: decode, find headings, lists and paragraphs, drop scraped repeats.

Plain text in this project is mostly scraped web pages and copied plan text,
so besides Markdown headings it treats short, unpunctuated lines as headings,
and it removes the boilerplate of a scraped page (skip links, breadcrumbs) and
sections that the scrape repeated.

A file is read in windows of about ``WINDOW_CHARS`` characters cut at a blank
line (where every block of this reader ends anyway), and each window is one
page; so a file of hundreds of megabytes is read, extracted and stored a
window at a time, and a short one is a single page as before.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from extractors.document import DocumentStream, Page, ParsedDocument, ReadError
from extractors.readers.blocks import (
    Item,
    build_page,
    drop_duplicate_sections,
    drop_repeated_runs,
    list_item,
    normalise,
    table_row,
)
from extractors.readers.titles import plausible_title

#: Characters per window (page) of a long text file.
WINDOW_CHARS = 250_000
#: Bytes read at a time when a file's encoding is checked.
_CHUNK_BYTES = 1 << 20
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")

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


def parse_text(
    text: str, *, markdown: bool = False, seen: set[int] | None = None, first: bool = True
) -> tuple[list[Item], str | None]:
    """Split text into blocks; returns the items and a title (first Markdown heading or first heading).

    ``seen`` carries the sections met in earlier windows of the same file (see
    ``drop_duplicate_sections``); ``first`` says whether this is the file's
    start, where a breadcrumb trail may stand.
    """
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
    items = _drop_boilerplate(items, first)
    if title is None:
        title = next((text for kind, text in items if kind == "heading" and plausible_title(text)), None)
    return drop_duplicate_sections(drop_repeated_runs(items), seen=seen), title


def _drop_boilerplate(items: list[Item], first: bool = True) -> list[Item]:
    """Skip links anywhere and a breadcrumb trail among the first few blocks of a scraped page."""
    out: list[Item] = []
    for index, (kind, text) in enumerate(items):
        if _SKIP_LINK.match(text):
            continue
        if first and index < 5 and _BREADCRUMB.match(text):
            continue
        out.append((kind, text))
    return out


def read_text(data: bytes, name: str) -> ParsedDocument:
    return open_text_stream(data, name).read_all()


def open_text_stream(source: bytes | Path, name: str) -> DocumentStream:
    """A text file as pages of about ``WINDOW_CHARS`` characters, read one at a time.

    The encoding is settled first (one pass over the bytes, nothing kept), so
    that a byte UTF-8 rejects near the end of a long file does not leave the
    windows before it decoded wrongly. The first window is read here, for the
    title; the others as the stream is consumed.
    """
    encoding = detect_encoding(source, name)
    markdown = name.lower().endswith((".md", ".markdown"))
    seen: set[int] = set()
    windows = _windows(_open_text(source, encoding))
    first = next(windows, "")
    items, title = parse_text(first, markdown=markdown, seen=seen)

    def pages() -> Iterator[Page]:
        yield build_page(1, items)
        for number, window in enumerate(windows, start=2):
            more, _ = parse_text(window, markdown=markdown, seen=seen, first=False)
            yield build_page(number, more)

    return DocumentStream(
        pages=pages(),
        title=title,
        media_type="text/markdown" if markdown else "text/plain",
        metadata={"encoding": encoding},
    )


def detect_encoding(source: bytes | Path, name: str) -> str:
    """``decode``'s choice of encoding, made over a file in chunks (its text is not kept)."""
    if isinstance(source, bytes):
        return decode(source, name)[1]
    with open(source, "rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        for encoding in ("utf-8", "cp1252"):
            decoder = codecs.getincrementaldecoder(encoding)()
            offset = 0
            try:
                while chunk := handle.read(_CHUNK_BYTES):
                    text = decoder.decode(chunk)
                    if "\x00" in text:
                        raise ReadError(
                            name, "looks like a binary file, not text", hint="supply a PDF, HTML or text file"
                        )
                    offset += len(chunk)
                decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError as error:
                if encoding == "cp1252":
                    raise ReadError(
                        name,
                        f"could not be decoded as UTF-8 or Windows-1252 "
                        f"(byte {error.object[error.start]:#04x} at offset {offset + error.start})",
                        hint="save the file as UTF-8 text",
                    ) from error
                handle.seek(0)
    raise AssertionError("unreachable")


def _open_text(source: bytes | Path, encoding: str) -> TextIO:
    # newline="" keeps line ends as they are, as bytes.decode does
    if isinstance(source, bytes):
        return io.TextIOWrapper(io.BytesIO(source), encoding=encoding, errors="replace", newline="")
    return open(source, encoding=encoding, errors="replace", newline="")  # noqa: SIM115 - closed by _windows


def _windows(handle: TextIO) -> Iterator[str]:
    """The text in windows of about ``WINDOW_CHARS`` characters, each ending at a blank line where there is one."""
    with handle:
        buffer = ""
        yielded = False
        while chunk := handle.read(WINDOW_CHARS):
            buffer += chunk
            if len(buffer) < WINDOW_CHARS:
                continue
            cut = _last_blank_line(buffer)
            yield buffer[:cut]
            yielded, buffer = True, buffer[cut:]
        if buffer or not yielded:
            yield buffer


def _last_blank_line(text: str) -> int:
    """Where the last blank line of ``text`` ends; without one, the last line break; without one, the end."""
    for size in (1 << 16, len(text)):
        ends = [m.end() for m in _BLANK_LINE.finditer(text, max(0, len(text) - size))]
        if ends:
            return ends[-1]
    newline = text.rfind("\n")
    return newline + 1 if newline > 0 else len(text)
