"""Prefect-free core: read files into text and find targets in text.

Nothing in this package imports Prefect; flows wrap these functions.
"""

from extractors.document import Block, NoTextError, Page, ParsedDocument, ReadError
from extractors.target import Target


def extract_targets(text: str, suggestions: bool = False) -> list[Target]:
    """Find every target in ``text`` (and, with ``suggestions``, what the scorer was unsure of;
    see ``extractors.pipeline``)."""
    from extractors.pipeline import extract_targets as _extract

    return _extract(text, suggestions=suggestions)


def extractor_version() -> str:
    """Version of the rule set, recorded on every stored target."""
    from extractors.pipeline import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


__all__ = [
    "Block",
    "NoTextError",
    "Page",
    "ParsedDocument",
    "ReadError",
    "Target",
    "extract_targets",
    "extractor_version",
]
