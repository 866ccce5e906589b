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
mean it: "cirkulær økonomi" is about waste, not money, though "økonomi" alone is money.
Such a span cancels the ``<label>`` words inside it and is not evidence itself. (A word
pattern cannot see its neighbour, and listing every money word but the ones after
"cirkulær" would copy the money patterns.)
"""

from __future__ import annotations

from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from extractors.components.cues import CueMarker
from extractors.components.types import DENIAL_PREFIX, Cue, doc_text, set_ext

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
    """The evidence words of ``text`` in order of position, without those a ``NOT_`` span denies."""
    return without_denied(marker().find(text))


def without_denied(found: list[Cue]) -> list[Cue]:
    """``found`` without its ``NOT_<label>`` spans and the ``<label>`` words inside them."""
    denials = [c for c in found if c.label.startswith(DENIAL_PREFIX)]
    if not denials:
        return found
    return [
        c
        for c in found
        if not c.label.startswith(DENIAL_PREFIX)
        and not any(
            d.label[len(DENIAL_PREFIX) :] == c.label and d.start <= c.start and c.end <= d.end
            for d in denials
        )
    ]


@lru_cache(maxsize=4096)
def heading_evidence(heading: str) -> tuple[Cue, ...]:
    """The evidence words of a heading: an agenda item's title is read once for all the units under it."""
    return tuple(find_evidence(heading))


@Language.factory("klimamaal_evidence_v1")
def make_evidence_marker(nlp: Language, name: str) -> EvidenceMarker:
    return EvidenceMarker()
