"""The 98 Danish municipalities, and finding which one a document belongs to.

A document's municipality is known with varying certainty: an operator may
name it in the manifest, the title usually says it ("Ballerup Kommunes
klimapolitik"), the URL host often does (ballerup.dk, kk.dk), and failing
that the text mentions "X Kommune" more often than any other municipality.
``find_municipality`` tries these in that order. Names are compared after
folding case, hyphens and the Danish letters (Århus = Aarhus, Høje Taastrup
= Høje-Taastrup), and always on whole words, so that a town inside another
word, or a common word that is also a town ("vejen", "skive"), does not match.

The register (code, name, official name, region, aliases, web hosts) is
``extractors/data/municipalities.csv``; codes are the official kommunekoder.
"""

from __future__ import annotations

import csv
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Municipality:
    code: int
    name: str
    official_name: str
    region: str
    aliases: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every written form: name, official name without "Kommune", aliases."""
        base = re.sub(r"\s+(?:Regions)?[Kk]ommune$", "", self.official_name)
        return tuple(dict.fromkeys((self.name, base, *self.aliases)))


def fold(text: str) -> str:
    """Case-, hyphen- and Danish-letter-insensitive form for comparing names."""
    text = text.casefold().replace("å", "aa").replace("ø", "oe").replace("æ", "ae")
    text = text.replace("ö", "oe").replace("ä", "ae")
    return " ".join(re.sub(r"[-‐–_.]", " ", text).split())


@cache
def all_municipalities() -> tuple[Municipality, ...]:
    """The 98 municipalities, ordered by kommunekode."""
    source = resources.files("extractors") / "data" / "municipalities.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        sorted(
            (
                Municipality(
                    code=int(row["code"]),
                    name=row["name"].strip(),
                    official_name=row["official_name"].strip(),
                    region=row["region"].strip(),
                    aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                    hosts=tuple(h.strip().lower() for h in row["hosts"].split(";") if h.strip()),
                )
                for row in rows
            ),
            key=lambda m: m.code,
        )
    )


def by_code(code: int | str) -> Municipality | None:
    wanted = int(code)
    return next((m for m in all_municipalities() if m.code == wanted), None)


@cache
def _by_folded_name() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for m in all_municipalities():
        for name in (*m.names(), m.official_name):
            index.setdefault(fold(name), m)
            if not name.endswith("s"):
                index.setdefault(fold(name + "s"), m)  # genitive: "Ballerups"
    return index


def _by_name(value: str) -> Municipality | None:
    value = value.strip()
    if value.isdigit():
        return by_code(value)
    folded = fold(value)
    for candidate in (folded, re.sub(r"\s+(?:regions)?kommunes?$", "", folded)):
        if candidate in _by_folded_name():
            return _by_folded_name()[candidate]
    return None


# Names that are also ordinary Danish words; a bare mention only counts inside a title, not first.
_COMMON_WORDS = {"vejen", "skive", "greve", "odder", "varde", "lejre", "struer"}


@cache
def _name_pattern() -> re.Pattern[str]:
    """All folded names, longest first, as whole words (spaces standing for any hyphen or space)."""
    names = sorted({fold(n) for m in all_municipalities() for n in m.names()}, key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\ ", " ") for n in names)
    return re.compile(rf"(?<![\w])({alternatives})(s?)(?![\w])")


@cache
def _kommune_pattern() -> re.Pattern[str]:
    """'X Kommune', 'Xs Kommune', 'X kommunes', 'Bornholms Regionskommune' in original spelling."""
    forms: set[str] = set()
    for m in all_municipalities():
        for name in m.names():
            for form in (name, name.replace("-", " "), name.replace(" ", "-")):
                forms.add(form)
                forms.add(form.replace("å", "aa").replace("Å", "Aa").replace("ø", "oe").replace("æ", "ae"))
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})s?\s+(?:regions)?kommunes?\b", re.IGNORECASE)


def _in_title(title: str) -> Municipality | None:
    """A title naming exactly one municipality ("X Kommune" forms first, then bare names)."""
    found = {m.code: m for m in _kommune_mentions(title)}
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        return None  # several municipalities named: a joint document
    index = _by_folded_name()
    folded = fold(title)
    bare: dict[int, Municipality] = {}
    for match in _name_pattern().finditer(folded):
        name = match.group(1)
        if name in _COMMON_WORDS and (match.start() == 0 or not _capitalised_in(title, name)):
            continue
        bare[index[name].code] = index[name]
    return next(iter(bare.values())) if len(bare) == 1 else None


def _capitalised_in(original: str, folded_name: str) -> bool:
    return any(fold(word) == folded_name and word[:1].isupper() for word in re.findall(r"[\w-]+", original))


def _kommune_mentions(text: str) -> list[Municipality]:
    mentions: list[Municipality] = []
    for match in _kommune_pattern().finditer(text):
        name = match.group(1)
        if not name[:1].isupper():
            continue  # "vejen kommune" is not a proper name
        found = _by_name(name)
        if found is not None:
            mentions.append(found)
    return mentions


def _in_url(url: str) -> Municipality | None:
    parsed = urllib.parse.urlparse(url if "//" in url else f"//{url}")
    host = (parsed.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    for m in all_municipalities():
        if any(host == h or host.endswith("." + h) for h in m.hosts):
            return m
    # e.g. klima.vejlekommune.dk: the registrable label, without "kommune"
    labels = host.split(".")
    if len(labels) >= 2 and labels[-1] == "dk":
        label = labels[-2].removesuffix("kommune").removesuffix("-")
        return _by_folded_name().get(fold(label))
    return None


def _in_text(text: str) -> Municipality | None:
    """The municipality named most often as "X Kommune"; ties go to the first named."""
    mentions = _kommune_mentions(text)
    if not mentions:
        return None
    counts = Counter(m.code for m in mentions)
    best = max(counts.values())
    return next(m for m in mentions if counts[m.code] == best)


def find_municipality(
    *, name: str | None = None, title: str | None = None, url: str | None = None, text: str | None = None
) -> Municipality | None:
    """The municipality a document belongs to, from the most to the least reliable clue; None if unknown."""
    if name and (found := _by_name(name)):
        return found
    if title and (found := _in_title(title)):
        return found
    if url and (found := _in_url(url)):
        return found
    if text:
        return _in_text(text)
    return None


__all__ = ["Municipality", "all_municipalities", "by_code", "find_municipality", "fold"]
