"""The review page's "Hvorfor fundet" reads each piece of evidence in Danish (``extractors.explain``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.components.types import DENIAL_PREFIX, load_jsonl
from extractors.evidence import FAMILIES
from extractors.explain import FAMILIES as FAMILY_TEXT
from extractors.explain import LABELS, describe
from extractors.scorer import WEIGHTS_FILE


def test_every_feature_the_model_weighs_reads_in_danish() -> None:
    """A feature added to the model without words for it shows its code name: this fails first."""
    weights = json.loads(Path(WEIGHTS_FILE).read_text(encoding="utf-8"))["weights"]
    assert [name for name in weights if describe(name) == name] == []


def test_every_label_of_the_pattern_files_and_every_family_has_words() -> None:
    labels = {
        entry["label"]
        for name in ("cues.jsonl", "evidence.jsonl")
        for entry in load_jsonl(name)
        if not entry["label"].startswith(DENIAL_PREFIX)
    }
    assert labels - set(LABELS) == set()
    assert set(FAMILIES) - set(FAMILY_TEXT) == set()


@pytest.mark.parametrize(
    ("feature", "words"),
    [
        ("NEG_STAT@phrase", "statistik (i alt, står for, i dag) ved tallet"),
        ("TOPIC_WASTE@title", "affald i punktets titel"),
        ("deadline=by.shared", "fristen 'senest/inden ÅÅÅÅ' (delt med et andet led)"),
        ("deadline.year=2030-2039", "fristen ligger i 2030-2039"),
        (
            "other_body@near&!own@near",
            "en anden aktør (stat, EU, lov) i samme led, uden kommunen selv i samme led",
        ),
        ("anchor=qty&deadline=none", "forankret i et tal og fristen mangler"),
    ],
)
def test_a_feature_is_read_from_its_parts(feature: str, words: str) -> None:
    assert describe(feature) == words


def test_an_unknown_feature_keeps_its_name() -> None:
    assert describe("SOMETHING_NEW@phrase") == "SOMETHING_NEW@phrase"
    assert describe("unit=furlongs") == "unit=furlongs"
