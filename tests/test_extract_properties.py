"""Hypothesis: arbitrary and adversarial text never crashes the extractor, breaks an offset or blows up the work.

No timed assertions: the work the spaCy pipeline does is measured in characters
handed to the tokenizer, which must stay within the length of the text (each
character is parsed at most once), so the cost cannot grow faster than the text.
Speed itself is measured in benchmarks/bench_extract.py.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import pipeline
from extractors.pipeline import extract_targets
from extractors.target import DIRECTIONS, SECTORS

FRAGMENTS = [
    "%",
    " % ",
    "2030",
    "1990",
    "senest i ",
    "inden udgangen af ",
    "i forhold til ",
    "skal ",
    "vil ",
    "reduceres med ",
    "mindst ",
    "maksimalt ",
    "fra ",
    "til ",
    " og ",
    ", ",
    ". ",
    "\n",
    "\n\n",
    "\f",
    "- ",
    "• ",
    " | ",
    ":",
    "Delmål:",
    "C02-neutral",
    "CO₂e",
    "netto-nul",
    "fossilfri",
    "halvdelen",
    "femogtyve procent",
    "10 mio. kr. årligt",
    "1.000.000.000.000.000",
    "99999999999999999999999999",
    "9,99999",
    "\u00a0",
    "\u200b",
    "\x00",
    "\x1b[31m",
    "over12%",
    "alle busser på el",
    "I 2030 er ",
    "Det vi gør selv:",
    "2030:",
    "forventes ",
    "ikke længere olie",
]


def _check(text: str) -> None:
    for t in extract_targets(text):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.quote
        assert t.direction in DIRECTIONS
        assert t.sector is None or t.sector in SECTORS
        assert t.value is None or math.isfinite(t.value)
        assert t.rule_ids


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join))
def test_adversarial_fragments(text: str) -> None:
    _check(text)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map("".join), st.integers(50, 400))
def test_repeated_plan_language(piece: str, times: int) -> None:
    _check(piece * times)


def test_huge_numbers_and_many_percent_signs() -> None:
    _check("9" * 5000 + " % i 2030")
    _check("%" * 20000)
    _check("Udledningen skal reduceres med " + "% " * 10000 + "i 2030.")
    _check("Senest i 2030 er udledningen reduceret med " + "1" * 400 + " %.")


def test_one_megabyte_line() -> None:
    line = "udledningen reduceres med 25 % i 2030 og " * 25000
    assert len(line) > 1_000_000
    targets = extract_targets(line)
    assert targets and all(line[t.start : t.end] == t.quote for t in targets)


def test_control_characters() -> None:
    _check("".join(chr(c) for c in range(32)) * 100 + "Senest i 2030 er CO2e reduceret med 50 %.")


class _CountingNlp:
    """Wraps the pipeline and counts the characters handed to the tokenizer."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.chars = 0
        self.pipeline = nlp.pipeline

    def make_doc(self, text: str):
        self.chars += len(text)
        return self.nlp.make_doc(text)


def test_parsing_work_is_bounded_by_text_length(monkeypatch) -> None:
    real = pipeline.build_pipeline()
    for text in (
        "Senest i 2030 er udledningen reduceret med 70 %. " * 2000,
        ("Delmål:\n\n- I 2030 er 50 % af bilerne elbiler.\n" * 500),
        "% 2030 " * 20000,
        "reduceres med 25 % i 2030 " * 20000,
    ):
        counter = _CountingNlp(real)
        monkeypatch.setattr(pipeline, "build_pipeline", lambda c=counter: c)
        extract_targets(text)
        assert counter.chars <= len(text)
        small = _CountingNlp(real)
        monkeypatch.setattr(pipeline, "build_pipeline", lambda c=small: c)
        extract_targets(text[: len(text) // 10])
        # ten times the text is at most about ten times the parsing work (no super-linear growth)
        assert counter.chars <= 10 * small.chars + 2 * pipeline.MAX_UNIT_CHARS
