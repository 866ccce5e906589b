"""What the extractor remembers per candidate evidence is what it computes: the derived features and the
scorer's verdict from memory equal fresh ones."""

from __future__ import annotations

from extractors import evidence, pipeline
from extractors.normalise import strip_invisibles
from extractors.scorer import load_model, model_from_dict
from tests.gold_units import gold_units


def _gold_candidates() -> list[list]:
    found = []
    for unit, seg in gold_units():
        clean, back = strip_invisibles(unit)
        cells = tuple((s - seg.start, e - seg.start, y, r) for s, e, y, r in seg.cells)
        results, _ = pipeline._screened(pipeline._stages(), clean, seg, cells, back, (), True)
        found += [candidate["features"] for candidate in results]
    return found


def test_a_remembered_verdict_is_the_score_band_and_contributions_of_the_candidate() -> None:
    stored = load_model()
    # a model of its own, so every first verdict below is computed and every second one remembered
    model = model_from_dict(
        {
            "weights": stored.weights,
            "bias": stored.bias,
            "thresholds": {"target": stored.target, "suggestion": stored.suggestion},
        }
    )
    candidates = _gold_candidates()
    assert len(candidates) > 300
    bands = set()
    for features in candidates:
        score = model.score(features)
        expected = (round(score, 4), model.band(score), tuple(model.contributions(features)))
        assert model.verdict(features) == expected
        assert model.verdict(list(features)) == expected  # (from memory)
        bands.add(expected[1])
    assert bands == {"target", "suggestion", None}
    assert 0 < len(model._verdicts) < len(candidates)  # candidates share evidence: fewer verdicts than them


def test_candidates_that_differ_in_one_pattern_id_get_their_own_verdict() -> None:
    model = load_model()
    features = next(f for f in _gold_candidates() if model.verdict(f).band is not None)
    first = features[0]
    other = [first._replace(pattern=first.pattern + ".other"), *features[1:]]
    assert model.verdict(other).evidence != model.verdict(features).evidence
    assert model.verdict(other).evidence == tuple(model.contributions(other))


def test_remembered_derived_features_are_those_computed_for_the_candidate() -> None:
    evidence._DERIVED.clear()
    first = _gold_candidates()  # computed (and remembered)
    assert evidence._DERIVED
    second = _gold_candidates()  # from memory
    assert second == first
    for features in first:
        # the features so far end with the subject (conjunctions with it come later)
        subject = next(i for i, e in enumerate(features) if e.feature.startswith("subject="))
        base, derived = features[: subject + 1], tuple(features[subject + 1 :])
        anchor = base[0]
        shape = (
            anchor.feature.split("=", 1)[1],
            anchor.pattern,
            any(e.feature == "trajectory" for e in derived),
            any(e.feature == "clauses.several" for e in derived),
            any(e.feature == "clause.fragment" for e in derived),
            any(e.feature == "clause.long" for e in derived),
        )
        assert evidence._derived(base, *shape) == derived
