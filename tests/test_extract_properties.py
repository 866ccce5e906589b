"""Hypothesis: arbitrary and adversarial text never crashes the extractor, breaks an offset or blows up the work.

No timed assertions: the work the components do is measured in characters
handed to the first of them (every parsed unit passes it), which must stay within
the length of the text (each character is parsed at most once), so the cost
cannot grow faster than the text.
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


class _CountingCues:
    """Wraps the cue component, which every parsed unit passes first, and counts the characters it reads."""

    def __init__(self, cues) -> None:
        self.cues = cues
        self.chars = 0

    def find(self, text: str):
        self.chars += len(text)
        return self.cues.find(text)


def _varied(template: str, n: int) -> str:
    """``n`` units that differ in their numbers, so no two are the same (and none comes from the cache)."""
    return "".join(template.format(y=2025 + i % 70, p=i % 97, n=i) for i in range(n))


def test_parsing_work_is_bounded_by_text_length(monkeypatch) -> None:
    real = pipeline._stages()
    for template, n in (
        ("Senest i {y} er udledningen reduceret med {p} % i forhold til {n}. ", 2000),
        ("Delmål:\n\n- I {y} er {p} % af bilerne elbiler nr. {n}.\n", 500),
        ("% {y} {n} ", 20000),
        ("reduceres med {p},{n} % i {y} ", 20000),
    ):
        text = _varied(template, n)
        small_text = _varied(template, n // 10)
        counts = []
        for sample in (text, small_text):
            pipeline._UNIT_CACHE.clear()
            counter = _CountingCues(real.cues)
            counting = real._replace(cues=counter)
            monkeypatch.setattr(pipeline, "_stages", lambda s=counting: s)
            extract_targets(sample)
            assert counter.chars <= len(sample)
            counts.append(counter.chars)
        # ten times the text costs no more parsing per character than the tenth (no super-linear growth)
        assert counts[0] / len(text) <= counts[1] / len(small_text) + 0.05
