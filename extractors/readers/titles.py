"""Is a candidate title a document's title, or what a tool, a cookie notice or a breadcrumb put there?

Readers offer title candidates in order (PDF metadata, then the first page's
largest text; ``og:title``, ``<title>``, ``<h1>``) and take the first one that
passes. What fails is what real files carry where a title belongs: an
authoring tool's placeholder ("Microsoft Word - plan.docx", "Untitled",
"PowerPoint-præsentation", "Transkript"), a print view ("Printvenlig
version"), a cookie notice, a breadcrumb trail ("Forside › Politik ›
Dagsordener"), a file name, or a date or number alone. These are phrases of
titles, matched on titles only; boilerplate in a page's body is the HTML
reader's business.
"""

from __future__ import annotations

import re

from extractors.readers.blocks import normalise

_PLACEHOLDER = re.compile(
    r"^(?:untitled|unavngivet|uden titel|ingen titel|document\d*|dokument\d*|transkript(?:ion)?|"
    r"powerpoint[- ]pr(?:æ|ae)sentation|powerpoint presentation|pdf|referat|print|slide \d+)$"
    r"|^(?:microsoft (?:word|powerpoint|excel)|word|adobe|printvenlig|print ?version|udskriv)\b"
    r"|cookie|samtykke|consent",
    re.I,
)
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|pptx?|xlsx?|odt|rtf|html?|txt)\b", re.I)
_BREADCRUMB = re.compile(r"\s[›»>/]\s.*\s[›»>/]\s|^(?:forside|hjem|home)\s*[›»>/|]", re.I)
_LETTERS = re.compile(r"[^\W\d_]{2}")


def plausible_title(candidate: str | None) -> bool:
    """Whether ``candidate`` reads as the title of the document rather than a placeholder or page furniture."""
    if not candidate:
        return False
    text = normalise(candidate)
    if not 3 <= len(text) <= 300 or not _LETTERS.search(text):
        return False
    return not (_PLACEHOLDER.search(text) or _FILE_NAME.search(text) or _BREADCRUMB.search(text))


def first_title(*candidates: str | None) -> str | None:
    """The first plausible candidate, normalised; None when none is."""
    for candidate in candidates:
        if plausible_title(candidate):
            return normalise(candidate or "")
    return None
