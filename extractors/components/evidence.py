"""Component ``klimamaal_evidence_v1``: mark the topic and framing words the scorer weighs.

The patterns live in ``patterns/evidence.jsonl``, spaCy token patterns with ids
and labels like the cues: what a figure is about (TOPIC_CLIMATE, TOPIC_WASTE …
and TOPIC_MONEY, TOPIC_LOAN, TOPIC_FEE, TOPIC_STAFF, TOPIC_PLANNING …), how it
is framed (FRAME_ADOPTED, FRAME_DRAFT, FRAME_STATUS, FRAME_PROJECTION,
FRAME_LAW), and who commits to it (SUBJ_OWN, SUBJ_UTILITY, SUBJ_OTHER,
SUBJ_IMPERSONAL). They are run by the cue component's matcher, so both read
text the same way; the extractor asks for them only in units that hold a
candidate, and for each heading once.

A pattern labelled ``NOT_<label>`` marks words that hold a ``<label>`` word but do not
mean it ("cirkulær økonomi" is not money): the matcher drops both, as it does for the cues
(``extractors.components.cues.without_denied``).
"""

from __future__ import annotations

from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from extractors.components.cues import CueMarker
from extractors.components.types import Cue, doc_text, set_ext

PATTERNS = "evidence.jsonl"


class EvidenceMarker:
    """Fills ``doc._.kl_evidence`` with the evidence words of the Doc (:func:`find_evidence`)."""

    def __call__(self, doc: Doc) -> Doc:
        set_ext(doc, "kl_evidence", self.find(doc_text(doc)))
        return doc

    def find(self, text: str) -> list[Cue]:
        return find_evidence(text)


@cache
def marker() -> CueMarker:
    """The matcher over ``evidence.jsonl`` (built once per process)."""
    return CueMarker(PATTERNS)


def find_evidence(text: str) -> list[Cue]:
    """The evidence words of ``text`` in order of position, without those a ``NOT_`` span denies
    (the matcher drops them: :func:`extractors.components.cues.without_denied`)."""
    return marker().find(text)


@lru_cache(maxsize=4096)
def heading_evidence(heading: str) -> tuple[Cue, ...]:
    """The evidence words of a heading: an agenda item's title is read once for all the units under it."""
    return tuple(find_evidence(heading))


@Language.factory("klimamaal_evidence_v1")
def make_evidence_marker(nlp: Language, name: str) -> EvidenceMarker:
    return EvidenceMarker()
