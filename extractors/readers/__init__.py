"""Readers: a PDF, HTML or text file -> ``DocumentStream`` (page by page) or ``ParsedDocument`` (whole).

``open_document`` (a path or bytes, pages as they are read: what ingest uses)
and ``read_document`` (bytes, all pages in memory) are the entry points. They
choose a reader from the file's
content first (a PDF is a PDF whatever its name; a download that is really an
HTML error page is read as HTML) and from the extension second, so that a
misnamed file is still read and a truly unknown one fails with a message that
names the file and what is supported. Nothing here imports Prefect.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from extractors.document import DocumentStream, ParsedDocument, ReadError

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
    return open_document(data, name).read_all()


def open_document(source: bytes | Path, name: str) -> DocumentStream:
    """Open a file (its path, or its bytes) as a stream of pages; ``name`` is used to choose and in messages.

    From a path, a PDF is read by pdfium from the file (and its pages shared
    with a worker process) and a text file window by window, so neither is
    ever in memory whole.
    """
    if isinstance(source, bytes):
        head, size = source[:4096], len(source)
    else:
        with open(source, "rb") as handle:
            head = handle.read(4096)
        size = source.stat().st_size
    if not head.strip() and size > len(head):
        head = b"-"  # white space only at the start of a longer file: not empty, and of no known kind
    kind = sniff(head, name)
    if kind == "pdf":
        from extractors.readers.pdf import open_pdf_stream

        return open_pdf_stream(source, name)
    if kind == "html":
        from extractors.readers.html import open_html_stream

        return open_html_stream(source, name)
    from extractors.readers.text import open_text_stream

    return open_text_stream(source, name)


__all__ = ["SUPPORTED", "open_document", "read_document", "sniff"]
