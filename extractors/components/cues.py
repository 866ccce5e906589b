"""Component ``klimamaal_cues_v1``: mark direction, commitment and negative cue words.

A spaCy ``Matcher`` runs the token patterns of ``patterns/cues.jsonl`` (each
with an id and a label such as DIR_REDUCE, BINDING, NEG_PROJECTION) and leaves
the hits as :class:`Cue` records in ``doc._.kl_cues``. Token patterns, not
character regexes, because these cues are words whose inflections matter
("reduceres", "nedbringelse") and whose neighbours decide their meaning
("vil medføre" is a projection, "vil reducere" an intent).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from extractors.components.types import Cue, load_jsonl


class CueMarker:
    """Runs the cue patterns; one match id per pattern entry so the id survives to the target."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.meta: dict[int, tuple[str, str]] = {}
        for entry in load_jsonl("cues.jsonl"):
            key = nlp.vocab.strings.add(entry["id"])
            self.meta[key] = (entry["label"], entry["id"])
            self.matcher.add(entry["id"], [entry["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        cues = []
        for match_id, start, end in self.matcher(doc):
            label, rule_id = self.meta[match_id]
            span = doc[start:end]
            cues.append(Cue(label, span.start_char, span.end_char, rule_id))
        cues.sort(key=lambda c: (c.start, c.end))
        doc._.kl_cues = cues
        return doc


@Language.factory("klimamaal_cues_v1")
def make_cue_marker(nlp: Language, name: str) -> CueMarker:
    return CueMarker(nlp)
