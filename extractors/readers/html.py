"""HTML: the main content of a municipal web page as headings, paragraphs, list items and table rows.

Municipal pages wrap a few paragraphs of content in navigation, cookie
consent dialogs, breadcrumbs, "skip to content" links, related-links boxes
and footers with addresses and CVR numbers. Those hold years and numbers that
look like targets to the extractor, so they are removed before reading:
first by element (nav, header, footer, aside, script, form ...), then by
id/class/role hints, and the reader then reads only ``<main>`` (or the
``<article>``, or the content container) when the page has one. Sections the
page repeats (responsive copies) are kept once.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from extractors.document import DocumentStream, NoTextError, ParsedDocument
from extractors.readers.blocks import Item, build_page, dedupe, list_item, normalise, table_row

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "nav",
    "aside",
    "form",
    "button",
    "select",
    "input",
    "dialog",
    "menu",
)
# Words in id/class/role/aria-label that mark boilerplate. Matched as whole hyphen/underscore parts.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(cookie\w*|consent\w*|gdpr|cookiebot|cookie-?banner|breadcrumbs?|skip(?:link)?|skip-?to|"
    r"share|social|newsletter|related|navigation|navbar|nav|menu|mega-?menu|sidebar|site-?header|"
    r"site-?footer|footer|topbar|search|popup|modal|toolbar)(?=$|[\s_-])",
    re.I,
)
# consent tools name their dialogs freely (CybotCookiebotDialog, onetrust-consent-sdk): match anywhere
_CONSENT = re.compile(r"cookie|consent|gdpr|onetrust", re.I)
# ARIA landmarks of the page frame: site header, navigation, footer, search box, side boxes
_BOILERPLATE_ROLES = {"banner", "navigation", "contentinfo", "search", "complementary", "alertdialog"}
_SKIP_TEXT = re.compile(r"^(?:skip|spring|gå|hop)\s+(?:til|to)\b", re.I)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "blockquote",
    "figure",
    "figcaption",
    "address",
    "pre",
    "hr",
    "details",
    "summary",
    "header",
    "footer",
    "body",
    "html",
    "center",
    "caption",
}


def _hint(tag: Tag) -> str:
    attrs = tag.attrs or {}
    parts = [attrs.get("id") or "", attrs.get("role") or "", attrs.get("aria-label") or ""]
    classes = attrs.get("class") or []
    parts.extend(classes if isinstance(classes, list) else [classes])
    return " ".join(str(p) for p in parts if p)


def _remove_boilerplate(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(["header", "footer"]):
        # a page's header/footer is boilerplate; an article's own header holds its title
        if tag.find_parent(["article", "main"]) is None:
            tag.decompose()
    for tag in list(soup.find_all(True)):
        if tag.decomposed or tag.name in ("html", "body", "main", "article"):
            continue
        role = str(tag.get("role") or "").lower()
        hint = _hint(tag)
        if role in _BOILERPLATE_ROLES or _BOILERPLATE.search(hint) or _CONSENT.search(hint):
            tag.decompose()
    for link in soup.find_all("a"):
        if _SKIP_TEXT.match(normalise(link.get_text(" "))) or (link.get("href") or "").startswith("#main"):
            link.decompose()


def _content_root(soup: BeautifulSoup) -> Tag:
    """The element holding the page's content: main, role=main, the article, a content div, or body."""
    for candidate in (soup.find("main"), soup.find(attrs={"role": "main"})):
        if isinstance(candidate, Tag) and normalise(candidate.get_text(" ")):
            return candidate
    articles = [a for a in soup.find_all("article") if normalise(a.get_text(" "))]
    if len(articles) == 1:
        return articles[0]
    containers = soup.find_all(
        lambda t: re.search(r"(?:^|[\s_-])(content|main|article)(?=$|[\s_-])", _hint(t), re.I) is not None
    )
    if containers:
        return max(containers, key=lambda t: len(t.get_text(" ")))
    return soup.body or soup


_BREAK = "\ue000"  # a private-use character standing for <br> until the paragraph is split
_DOUBLE_BREAK = re.compile(f"{_BREAK}\\s*{_BREAK}")


class _Walker:
    """Walks the content tree; inline text between block elements becomes a paragraph."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        # one <br> is a line break inside a paragraph; two in a row separate paragraphs
        for part in _DOUBLE_BREAK.split("".join(self.buffer)):
            text = normalise(part.replace(_BREAK, " "))
            if text:
                self.items.append(("paragraph", text))
        self.buffer = []

    def walk(self, element: Tag) -> None:
        for child in element.children:
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.buffer.append(_BREAK)
            elif name in _HEADINGS:
                self.flush()
                self.items.append(("heading", child.get_text(" ")))
            elif name == "li":
                self.flush()
                nested = [c.extract() for c in child.find_all(["ul", "ol"])]
                self.items.append(list_item(child.get_text(" ")))
                for sub in nested:
                    self.walk(sub)
            elif name == "tr":
                self.flush()
                cells = child.find_all(["td", "th"], recursive=False)
                self.items.append(table_row(c.get_text(" ") for c in cells))
            elif name in _BLOCKS:  # p, div, section ...: a block boundary on each side
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)  # inline: its text joins the current paragraph


def parse_html(markup: str | bytes) -> tuple[list[Item], dict[str, str]]:
    """Blocks of the page's main content, and what the head says (title, language, canonical URL)."""
    soup = BeautifulSoup(markup, "lxml")
    meta: dict[str, str] = {}
    if soup.title and normalise(soup.title.get_text()):
        meta["title"] = normalise(soup.title.get_text())
    html = soup.find("html")
    if isinstance(html, Tag) and html.get("lang"):
        meta["lang"] = str(html.get("lang"))
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and canonical.get("href"):
        meta["canonical_url"] = str(canonical.get("href"))
    for prop, key in (("article:published_time", "published"), ("description", "description")):
        tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
        if isinstance(tag, Tag) and tag.get("content"):
            meta[key] = normalise(str(tag.get("content")))
    _remove_boilerplate(soup)
    root = _content_root(soup)
    h1 = root.find("h1") or soup.find("h1")
    if isinstance(h1, Tag) and normalise(h1.get_text(" ")):
        meta["h1"] = normalise(h1.get_text(" "))
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return dedupe(walker.items), meta


def open_html_stream(source: bytes | Path, name: str) -> DocumentStream:
    """A web page is one page: read whole (see ``MAX_HTML_BYTES``)."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    document = read_html(data, name)
    return DocumentStream(
        pages=iter(document.pages),
        title=document.title,
        media_type=document.media_type,
        metadata=document.metadata,
    )


def read_html(data: bytes, name: str) -> ParsedDocument:
    from extractors.readers.text import decode

    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        try:
            markup = data.decode(declared.group(1).decode("ascii"))
            encoding = declared.group(1).decode("ascii").lower()
        except (LookupError, UnicodeDecodeError):
            markup, encoding = decode(data, name)
    else:
        markup, encoding = decode(data, name)
    items, meta = parse_html(markup)
    page = build_page(1, items)
    if not page.text:
        raise NoTextError(
            name, "holds no readable text in its main content", hint="check that the URL is the content page"
        )
    meta["encoding"] = encoding
    title = meta.get("title") or meta.get("h1")
    return ParsedDocument(pages=(page,), title=title, media_type="text/html", metadata=meta)
