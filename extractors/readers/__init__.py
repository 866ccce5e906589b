"""Readers: bytes of a PDF, HTML or text file -> ``ParsedDocument``.

``read_document`` is the one entry point. It chooses a reader from the file's
content first (a PDF is a PDF whatever its name; a download that is really an
HTML error page is read as HTML) and from the extension second, so that a
misnamed file is still read and a truly unknown one fails with a message that
names the file and what is supported. Nothing here imports Prefect.
"""

from __future__ import annotations

from pathlib import PurePath

from extractors.document import ParsedDocument, ReadError

PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
SUPPORTED = "PDF (.pdf), HTML (.html, .htm) and text (.txt, .md)"


def sniff(data: bytes, name: str) -> str:
    """Return ``pdf``, ``html`` or ``text`` for a file, or raise ``ReadError`` if it is none of them."""
    if not data.strip():
        raise ReadError(name, "is empty (0 bytes of content)", hint="re-download or re-export the file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    suffix = PurePath(name.split("?", 1)[0]).suffix.lower()
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    looks_html = lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered
    if suffix in PDF_SUFFIXES:
        if looks_html:
            return "html"
        raise ReadError(
            name,
            "is not a readable PDF (it does not start with a %PDF header)",
            hint="re-download or re-export the file",
        )
    if suffix in HTML_SUFFIXES or looks_html:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if (not suffix or "://" in name) and b"\x00" not in head and not head.startswith(b"PK\x03\x04"):
        return "text"  # a URL without a file extension that serves plain text
    kind = (
        "a ZIP/Office file"
        if head.startswith(b"PK\x03\x04")
        else f"of an unsupported type ({suffix or 'no extension'})"
    )
    raise ReadError(name, f"is {kind}", hint=f"supported are {SUPPORTED}; convert the file to PDF or text")


def read_document(data: bytes, name: str) -> ParsedDocument:
    """Read a file's bytes into pages of typed blocks; ``name`` is used to choose and in messages."""
    kind = sniff(data, name)
    if kind == "pdf":
        from extractors.readers.pdf import read_pdf

        return read_pdf(data, name)
    if kind == "html":
        from extractors.readers.html import read_html

        return read_html(data, name)
    from extractors.readers.text import read_text

    return read_text(data, name)


__all__ = ["SUPPORTED", "read_document", "sniff"]
