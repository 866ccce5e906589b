"""Danish numbers as written in plans: digits, number words, fractions.

spaCy's ``like_num`` misses fractions ("en tredjedel") and takes "anden" or
"to" for numbers, so values are parsed here with explicit rules. Everything
is pure and bounded: a number string longer than a few dozen characters is
refused rather than parsed, so adversarial input cannot make it slow.
"""

from __future__ import annotations

import re

#: Cardinal words 0-19 and the tens; compounds ("femogtyve") are built from these.
UNITS_WORDS: dict[str, int] = {
    "nul": 0,
    "en": 1,
    "et": 1,
    "én": 1,
    "ét": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "syv": 7,
    "otte": 8,
    "ni": 9,
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
    "tretten": 13,
    "fjorten": 14,
    "femten": 15,
    "seksten": 16,
    "sytten": 17,
    "atten": 18,
    "nitten": 19,
}
TENS_WORDS: dict[str, int] = {
    "tyve": 20,
    "tredive": 30,
    "tredve": 30,
    "fyrre": 40,
    "fyrretyve": 40,
    "halvtreds": 50,
    "halvtredsindstyve": 50,
    "tres": 60,
    "tresindstyve": 60,
    "halvfjerds": 70,
    "halvfjerdsindstyve": 70,
    "firs": 80,
    "firsindstyve": 80,
    "halvfems": 90,
    "halvfemsindstyve": 90,
}
#: Fractions and multiplicative words, as a share in percent.
FRACTION_WORDS: dict[str, float] = {
    "halvdelen": 50.0,
    "halvdel": 50.0,
    "halvt": 50.0,
    "en tredjedel": 33.33,
    "en trediedel": 33.33,
    "to tredjedele": 66.67,
    "en fjerdedel": 25.0,
    "en kvart": 25.0,
    "tre fjerdedele": 75.0,
    "en femtedel": 20.0,
    "to femtedele": 40.0,
    "tre femtedele": 60.0,
    "fire femtedele": 80.0,
    "en tiendedel": 10.0,
}
#: "hver tredje bil", "hvert tredje tag": one in N, before a noun of either gender ("anden" is "andet"
#: before a neuter one).
_ONE_IN = {"anden": 50.0, "tredje": 33.33, "fjerde": 25.0, "femte": 20.0, "tiende": 10.0}
FRACTION_WORDS.update({f"hver {n}": v for n, v in _ONE_IN.items()})
FRACTION_WORDS.update({f"hvert {'andet' if n == 'anden' else n}": v for n, v in _ONE_IN.items()})

_SMALL = sorted(UNITS_WORDS, key=len, reverse=True)
_TENS = sorted(TENS_WORDS, key=len, reverse=True)
#: A number word: a compound "femogtyve", "enogtyve", a tens word, or a small cardinal (not "en"/"et"
#: alone: they are articles).
NUMBER_WORD_RE = (
    r"(?:(?:" + "|".join(w for w in _SMALL if w not in ("et", "nul")) + r")og(?:" + "|".join(_TENS) + r")"
    r"|"
    + "|".join(_TENS)
    + r"|"
    + "|".join(w for w in _SMALL if w not in ("en", "et", "én", "ét", "nul"))
    + r"|hundrede|tusind)"
)

#: Every number word ``NUMBER_WORD_RE`` matches, for a quick set test before the regex runs.
NUMBER_WORDS = frozenset(
    [w for w in UNITS_WORDS if w not in ("en", "et", "én", "ét", "nul")]
    + list(TENS_WORDS)
    + ["hundrede", "tusind"]
    + [f"{u}og{t}" for u in UNITS_WORDS if u not in ("et", "nul") for t in TENS_WORDS]
)

_DIGITS = re.compile(r"^\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d+)?$|^\d+(?:[,.]\d+)?$")


_GROUPED = re.compile(r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d+)?")
_GROUP_SEP = re.compile(r"[.\u00a0\u202f ]")


def parse_digits(raw: str) -> float | None:
    """Parse "25", "1,5", "220.536", "1.230,5", "10 000" the Danish way; None if not a number.

    A dot followed by exactly three digits is a thousands separator ("1.230"
    is 1230), a comma is the decimal mark. A dot followed by one or two digits
    is read as a decimal point, because English-style "2.5 %" occurs in
    translated material.
    """
    if raw.isascii() and raw.isdigit() and len(raw) <= 40:
        return float(raw)  # plain digits ("2030", "45"), most numbers: what the rules below give them
    s = raw.strip()
    if not s or len(s) > 40 or not _DIGITS.match(s):
        return None
    if _GROUPED.fullmatch(s):
        s = _GROUP_SEP.sub("", s).replace(",", ".")
    elif "," in s:
        s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def parse_number_word(word: str) -> float | None:
    """Parse a Danish number word ("femten", "femogtyve", "halvtreds") or None."""
    w = word.lower().strip()
    if w in UNITS_WORDS:
        return float(UNITS_WORDS[w])
    if w in TENS_WORDS:
        return float(TENS_WORDS[w])
    if w == "hundrede":
        return 100.0
    if w == "tusind":
        return 1000.0
    if "og" in w:
        head, _, tail = w.partition("og")
        if head in UNITS_WORDS and tail in TENS_WORDS:
            return float(UNITS_WORDS[head] + TENS_WORDS[tail])
    return None


_SPACES = re.compile(r"\s+")


def parse_fraction(phrase: str) -> float | None:
    """The share in percent meant by a fraction word ("tre fjerdedele" -> 75.0)."""
    p = _SPACES.sub(" ", phrase.lower().strip())
    return FRACTION_WORDS.get(p)


def parse_number(raw: str) -> float | None:
    """Digits or a number word."""
    value = parse_digits(raw)
    if value is None:
        value = parse_number_word(raw)
    return value
