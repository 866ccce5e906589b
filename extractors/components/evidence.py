"""Component ``klimamaal_evidence_v1``: mark the topic and framing words the scorer weighs.

The patterns live in ``patterns/evidence.jsonl``, spaCy token patterns with ids
and labels like the cues: what a figure is about (TOPIC_CLIMATE, TOPIC_WASTE …
and TOPIC_MONEY, TOPIC_LOAN, TOPIC_FEE, TOPIC_STAFF, TOPIC_PLANNING …), how it
is framed (FRAME_ADOPTED, FRAME_DRAFT, FRAME_STATUS, FRAME_PROJECTION,
FRAME_LAW), and who commits to it (SUBJ_OWN, SUBJ_UTILITY, SUBJ_OTHER,
SUBJ_IMPERSONAL). They are run by the cue component's matcher, so both read
text the same way; the extractor asks for them only in units that hold a
candidate, and for each heading once.
"""

from __future__ import annotations

from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from extractors.components.cues import CueMarker
from extractors.components.types import Cue, doc_text, set_ext

PATTERNS = "evidence.jsonl"


class EvidenceMarker:
    """Fills ``doc._.kl_evidence`` with the evidence words of the Doc."""

    def __init__(self) -> None:
        self.marker = marker()

    def __call__(self, doc: Doc) -> Doc:
        set_ext(doc, "kl_evidence", self.find(doc_text(doc)))
        return doc

    def find(self, text: str) -> list[Cue]:
        return self.marker.find(text)


@cache
def marker() -> CueMarker:
    """The matcher over ``evidence.jsonl`` (built once per process)."""
    return CueMarker(PATTERNS)


@lru_cache(maxsize=4096)
def heading_evidence(heading: str) -> tuple[Cue, ...]:
    """The evidence words of a heading: an agenda item's title is read once for all the units under it."""
    return tuple(marker().find(heading))


@Language.factory("klimamaal_evidence_v1")
def make_evidence_marker(nlp: Language, name: str) -> EvidenceMarker:
    return EvidenceMarker()
