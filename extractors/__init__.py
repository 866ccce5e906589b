"""Prefect-free core: read files into text and find targets in text.

Nothing in this package imports Prefect; flows wrap these functions.
"""

from extractors.document import Block, NoTextError, Page, ParsedDocument, ReadError
from extractors.target import Target


def extract_targets(text: str, state: object | None = None, suggestions: bool = False) -> list[Target]:
    """Find every target in ``text`` (and, with ``suggestions``, what the scorer was unsure of; see
    ``extractors.pipeline``); ``state`` carries context across the windows of one document (see
    ``extractors.windowed``)."""
    from extractors.pipeline import extract_targets as _extract

    return _extract(text, suggestions=suggestions, state=state)  # type: ignore[arg-type]


def extract_for_review(text: str, state: object | None = None) -> list[Target]:
    """Targets and suggestions of ``text``: what ingest and re-extraction store (suggestions go to the
    review queue, never to lists, exports or comparisons until a reviewer confirms them). Called as
    ``extract(window_text, carried_state)`` by the windowed ingest (``extractors.windowed``)."""
    return extract_targets(text, suggestions=True, state=state)


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
    "extract_for_review",
    "extract_targets",
    "extractor_version",
]
