"""What the extractor's candidates say about a sentence, for tests that check one feature at a time."""

from __future__ import annotations

from extractors.pipeline import collect_candidates


def features_of(text: str, quote_part: str) -> set[str]:
    """The feature names of the one candidate of ``text`` whose quote holds ``quote_part``."""
    (cand,) = [c for c in collect_candidates(text) if quote_part in c["quote"]]
    return {e.feature for e in cand["features"]}


def subject_features(text: str, quote_part: str) -> set[str]:
    """The ``subject=…`` feature of that candidate (without the conjunctions it takes part in)."""
    return {f for f in features_of(text, quote_part) if f.startswith("subject=") and "&" not in f}


def evidence_labels(text: str) -> set[str]:
    """The labels of the evidence words the evidence component finds in ``text``."""
    from extractors.components.evidence import find_evidence

    return {c.label for c in find_evidence(text)}
