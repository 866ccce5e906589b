"""Prefect-free core: read files into text and find targets in text.

Nothing in this package imports Prefect; flows wrap these functions.
"""

from extractors.document import Block, NoTextError, Page, ParsedDocument, ReadError
from extractors.target import Target


def extract_targets(text: str, state: object | None = None) -> list[Target]:
    """Find every target in ``text`` (see ``extractors.pipeline``); ``state`` carries context across
    the windows of one document (see ``extractors.windowed``)."""
    from extractors.pipeline import extract_targets as _extract

    return _extract(text, state)  # type: ignore[arg-type]


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
