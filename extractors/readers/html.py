"""HTML: the main content of a web page as headings, paragraphs, list items and table rows.

Municipal pages wrap a few paragraphs of content in navigation, cookie
consent dialogs, breadcrumbs, mega-menus, related-links boxes and footers with
addresses and dates. Those hold years and numbers that look like targets to
the extractor, so only the main content is read. Three steps:

1. ``nesting.flatten`` caps the nesting depth in one linear pass (see there:
   the parser would otherwise cut a deep document off silently).
2. What HTML itself declares to be page furniture goes: scripts, styles,
   forms and buttons, ``nav``, ``aside``, ``dialog``, a page's
   ``header``/``footer``, the ARIA landmarks and dialogs (``banner``,
   ``navigation``, ``contentinfo``, ``search``, ``complementary``,
   ``dialog``), and what is hidden (``hidden``, ``aria-hidden``, ``display:
   none``). These are the page's own statements, not guesses from class names.
3. trafilatura's maintained expressions remove what is boilerplate by the
   names pages give it (cookie and consent boxes, menus, footers, share and
   related-links boxes).
4. The content is what the page declares (``<main>``, ``role=main``, its one
   ``<article>``); a page that declares none is left to readability-lxml
   (Mozilla Readability's algorithm), which picks the content by text and
   link density, so boxes with names nobody knows (``cc_b``, ``bund``)
   outside it are not read.

The content it returns is walked into blocks; sections the page repeats
(responsive copies) are kept once. The measurement behind this choice (this
reader, the hand-written one it replaced, trafilatura) is in BENCHMARKS.md
and ``benchmarks/bench_html.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from extractors.document import DocumentStream, NoTextError, ParsedDocument, ReadError
from extractors.readers.blocks import Item, build_page, dedupe, list_item, normalise, table_row
from extractors.readers.nesting import flatten
from extractors.readers.titles import first_title

#: A web page is read whole: one larger than this is refused (a page of tens of megabytes is no web page).
MAX_HTML_BYTES = 64 * 1024 * 1024

_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "nav",
    "aside",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "dialog",
    "menu",
}
#: ARIA landmarks of the page frame and dialogs: site header, navigation, footer, search, side boxes, pop-ups.
_FURNITURE_ROLES = {
    "banner",
    "navigation",
    "contentinfo",
    "search",
    "complementary",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
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
_BREAK = "\ue000"  # a private-use character standing for <br> until the paragraph is split
_DOUBLE_BREAK = re.compile(f"{_BREAK}\\s*{_BREAK}")


def _is_furniture(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROP_TAGS:
        return True
    if tag in ("header", "footer"):
        # a page's header/footer is furniture; an article's own header holds its title
        return not any(a.tag in ("article", "main") for a in element.iterancestors())
    attrs = element.attrib
    if "hidden" in attrs or attrs.get("aria-hidden", "").lower() == "true":
        return True
    if attrs.get("aria-modal", "").lower() == "true":
        return True
    if attrs.get("role", "").lower() in _FURNITURE_ROLES:
        return True
    return bool(_HIDDEN_STYLE.search(attrs.get("style", "")))


def _drop_furniture(root: etree._Element) -> None:
    """Remove what the page declares to be furniture (see the module docstring), keeping the tail text."""
    doomed = [el for el in root.iter() if isinstance(el.tag, str) and _is_furniture(el)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    for comment in root.iter(etree.Comment, etree.ProcessingInstruction):
        if comment.getparent() is not None:
            comment.drop_tree()


def _drop_boilerplate(body: etree._Element) -> None:
    """Remove what trafilatura's maintained expressions recognise as boilerplate by its names (cookie and
    consent boxes, menus, footers, share and related-links boxes).

    As in trafilatura, nothing goes when that would leave less than a seventh
    of the text; and a box holding the page's ``<h1>`` (a "hero banner") stays.
    """
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH

    matches = dict.fromkeys(el for expression in OVERALL_DISCARD_XPATH for el in expression(body))
    outer = [
        el
        for el in matches
        if not any(a in matches for a in el.iterancestors()) and el.find(".//h1") is None and el.tag != "h1"
    ]
    total = len(body.text_content())
    if total - sum(len(el.text_content()) for el in outer) > total / 7:
        for element in outer:
            if element.getparent() is not None:
                element.drop_tree()


def _head_facts(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    titles = root.xpath("//title")
    if titles and normalise(titles[0].text_content()):
        meta["title"] = normalise(titles[0].text_content())
    lang = root.get("lang")
    if lang:
        meta["lang"] = lang
    for link in root.xpath("//link[@rel='canonical'][@href]"):
        meta["canonical_url"] = link.get("href")
        break
    for name, key in (
        ("og:title", "og_title"),
        ("article:published_time", "published"),
        ("description", "description"),
    ):
        for tag in root.xpath(f"//meta[@property='{name}' or @name='{name}'][@content]"):
            if normalise(tag.get("content")):
                meta[key] = normalise(tag.get("content"))
                break
    return meta


_MARK = "data-klimamaal"
_CONTROLS = "data-klimamaal-controls"


def _declared_main(body: etree._Element) -> etree._Element | None:
    """The content the page declares: ``<main>``, ``role=main``, or its one ``<article>``."""
    for candidate in (body.find(".//main"), *body.xpath(".//*[@role='main']")):
        if candidate is not None and normalise(candidate.text_content()):
            return candidate
    articles = [a for a in body.iter("article") if normalise(a.text_content())]
    return articles[0] if len(articles) == 1 else None


def _content_roots(root: etree._Element, body: etree._Element) -> list[etree._Element]:
    """The elements of ``body`` that hold the page's content, in document order.

    A page that declares its content (``<main>``, ``role=main``, one
    ``<article>``) is taken at its word. Otherwise readability-lxml's scoring
    picks the best candidate (its cleaned summary drops headings and nested
    lists, so only its choice is used: every element is marked before, and
    the marked element it chose is read from this tree). The choice grows to
    its parent as long as everything the parent adds is content too, not a box
    of contact details, a box that held buttons, or a list of links.
    """
    declared = _declared_main(body)
    if declared is not None:
        return [declared]
    node = _readability_best(root, body)
    if node is None:
        return [body]
    while node is not body and node.getparent() is not None:
        parent = node.getparent()
        others = [
            c for c in parent if c is not node and isinstance(c.tag, str) and normalise(c.text_content())
        ]
        if any(_is_frame(c) for c in others):
            break
        node = parent
    return [node]


def _readability_best(root: etree._Element, body: etree._Element) -> etree._Element | None:
    from readability import Document

    elements = [el for el in body.iter() if isinstance(el.tag, str)]
    for number, element in enumerate(elements):
        element.set(_MARK, str(number))
    try:
        document = Document(lxml_html.tostring(root, encoding="unicode"))
        document._html(True)
        document.remove_unlikely_candidates()
        document.transform_misused_divs_into_paragraphs()
        candidates = document.score_paragraphs()
        best = document.select_best_candidate(candidates)
        if best is not None:
            best = document.get_semantic_article_candidate(candidates, best)
            best = document.get_semantic_main_candidate(candidates, best)
    finally:
        for element in elements:
            element.attrib.pop(_MARK, None)
    mark = best["elem"].get(_MARK) if best else None
    return elements[int(mark)] if mark is not None and mark.isdigit() and int(mark) < len(elements) else None


_CONTACT = (
    re.compile(r"\bCVR[- .:nr]*\d{8}\b|\bEAN\b", re.I),
    re.compile(r"\b\d{4} [A-ZÆØÅ][a-zæøå]+"),  # postcode and town
    re.compile(r"(?:\+45 ?)?\b\d{2} ?\d{2} ?\d{2} ?\d{2}\b"),  # phone
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|©"),
)


def _is_frame(element: etree._Element) -> bool:
    """A box of the page's frame: contact details (an address block), one that held buttons (a dialog or a
    consent box), or mostly links (a menu)."""
    if element.get(_CONTROLS) is not None:
        return True
    text = normalise(element.text_content())
    if sum(1 for pattern in _CONTACT if pattern.search(text)) >= 2:
        return True
    links = sum(len(normalise(a.text_content())) for a in element.iter("a"))
    return bool(text) and links / len(text) > 0.5


def _mark_controls(body: etree._Element) -> None:
    """Mark the box around every button, input or select before they are removed (see ``_is_frame``)."""
    for control in body.iter("button", "input", "select"):
        box = next((a for a in control.iterancestors() if a.tag in ("div", "section", "form", "aside")), None)
        if box is not None and box is not body:
            box.set(_CONTROLS, "")


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

    def walk(self, element: etree._Element) -> None:
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.child(child)
            if child.tail:
                self.buffer.append(child.tail)

    def child(self, child: etree._Element) -> None:
        name = child.tag if isinstance(child.tag, str) else ""
        if not name:
            return  # a comment or processing instruction
        if name == "br":
            self.buffer.append(_BREAK)
        elif name in _HEADINGS:
            self.flush()
            self.items.append(("heading", _text(child)))
        elif name == "li":
            self.flush()
            text, nested = _text_outside_lists(child)
            self.items.append(list_item(text))
            for sub in nested:
                self.walk(sub)
                self.flush()
        elif name == "tr":
            self.flush()
            cells = [c for c in child if c.tag in ("td", "th")]
            self.items.append(table_row(_text(c) for c in cells))
        elif name in _BLOCKS:  # p, div, section ...: a block boundary on each side
            self.flush()
            self.walk(child)
            self.flush()
        else:
            self.walk(child)  # inline: its text joins the current paragraph


def _text(element: etree._Element) -> str:
    """The element's text with spaces between its parts."""
    return " ".join(element.itertext())


def _text_outside_lists(item: etree._Element) -> tuple[str, list[etree._Element]]:
    """A list item's own text, and the lists nested in it (read as items of their own after it)."""
    parts: list[str] = []
    nested: list[etree._Element] = []

    def visit(element: etree._Element) -> None:  # (nesting is capped by ``flatten``: recursion is bounded)
        if element.text:
            parts.append(element.text)
        for child in element:
            if child.tag in ("ul", "ol"):
                nested.append(child)
            elif isinstance(child.tag, str):
                visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(item)
    return " ".join(parts), nested


def parse_html(markup: str) -> tuple[list[Item], dict[str, str]]:
    """Blocks of the page's main content, and what the head says (title, og:title, language, canonical URL)."""
    markup, deepest = flatten(markup)
    try:
        root = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return [], {}
    meta = _head_facts(root)
    if deepest is not None:
        meta["nesting_flattened_at"] = str(deepest)
    body = root.find("body")
    if body is None:
        return [], meta
    _mark_controls(body)
    _drop_furniture(body)
    _drop_boilerplate(body)
    h1 = body.find(".//h1")
    if h1 is not None and normalise(h1.text_content()):
        meta["h1"] = normalise(h1.text_content())
    walker = _Walker()
    for content in _content_roots(root, body):
        walker.child(content)
    walker.flush()
    return dedupe(walker.items), meta


def open_html_stream(source: bytes | Path, name: str) -> DocumentStream:
    """A web page is one page, read whole (up to ``MAX_HTML_BYTES``)."""
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    if size > MAX_HTML_BYTES:
        raise ReadError(
            name,
            f"is a web page of {size / 1048576:.0f} MB, more than the {MAX_HTML_BYTES // 1048576} MB a page is read up to",
            hint="save the page's text as a .txt file to read it",
        )
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
    title = first_title(meta.get("og_title"), meta.get("title"), meta.get("h1"))
    return ParsedDocument(pages=(page,), title=title, media_type="text/html", metadata=meta)
