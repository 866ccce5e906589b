"""Cap the nesting depth of HTML markup in one linear pass, keeping all of its text.

libxml2 (lxml's parser) stops building a document at 256 levels and drops
the rest without an error: a page nested 100,000 levels deep would silently
lose everything below level 256, and the content after it. BeautifulSoup
builds the whole depth but its walks are recursive and its ``decomposed``
test searches every descendant, so such a page cost minutes and ended in a
RecursionError. Browsers cap nesting the same way (Chromium at 512 levels):
tags below the cap are ignored, their text is kept. No library offers this
as a pre-pass over markup, so it is written here: a scan of the tags with
one regular expression, a stack of open element names (with the end tags
HTML lets a page leave out: ``<li>``, ``<p>``, ``<td>`` ...), and a count of
the dropped tags per name so that their end tags are dropped too. Each tag is
pushed and popped at most once, so the pass is linear in the markup's size.
"""

from __future__ import annotations

import re
from collections import Counter

#: Deepest element kept; well below libxml2's 256, leaving room for the elements the parser implies.
MAX_DEPTH = 180

_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*)[^>]*>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "frame",
        "keygen",
    ]
)
#: Elements whose content is raw text: nothing inside them is a tag.
_RAW = frozenset(
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]
)
#: Start tags that close an open element of the listed names first (end tags HTML lets a page omit).
_CLOSES = {
    "li": ("li",),
    "dt": ("dt", "dd"),
    "dd": ("dt", "dd"),
    "tr": ("tr", "td", "th"),
    "td": ("td", "th"),
    "th": ("td", "th"),
    "option": ("option",),
}
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)


def flatten(markup: str, max_depth: int = MAX_DEPTH) -> tuple[str, int | None]:
    """``markup`` with the tags nested deeper than ``max_depth`` removed (their text kept).

    Returns the markup (the same string when nothing was that deep) and the
    greatest depth met when it was over the cap, else None.
    """
    stack: list[str] = []
    open_names: Counter[str] = Counter()
    dropped_names: Counter[str] = Counter()
    drops: list[tuple[int, int]] = []
    dropped = 0  # tags dropped and not yet closed: the depth below the cap
    deepest = 0
    lower: str | None = None
    pos = 0
    while True:
        match = _TOKEN.search(markup, pos)
        if match is None:
            break
        pos = match.end()
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            if dropped_names[name]:
                dropped_names[name] -= 1
                dropped -= 1
                drops.append(match.span())
            elif open_names[name]:
                while stack:
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
            continue
        if name in _VOID or match.group(0).endswith("/>"):
            continue
        _close_implied(name, stack, open_names)
        deepest = max(deepest, len(stack) + dropped + 1)
        if len(stack) >= max_depth:
            dropped_names[name] += 1
            dropped += 1
            drops.append(match.span())
        else:
            stack.append(name)
            open_names[name] += 1
        if name in _RAW:
            if lower is None:
                lower = markup.lower()
            end = lower.find(f"</{name}", pos)
            pos = len(markup) if end < 0 else end
    if not drops:
        return markup, None
    parts: list[str] = []
    last = 0
    for start, end in drops:
        parts.append(markup[last:start])
        last = end
    parts.append(markup[last:])
    return "".join(parts), deepest


def _close_implied(name: str, stack: list[str], open_names: Counter[str]) -> None:
    """Pop the open elements a start tag of ``name`` ends: a paragraph before a block, an item before an item."""
    if stack and stack[-1] == "p" and (name in _BLOCK or name in _CLOSES):
        open_names[stack.pop()] -= 1
    closes = _CLOSES.get(name)
    if closes and stack and stack[-1] in closes:
        open_names[stack.pop()] -= 1
