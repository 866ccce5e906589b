"""Component ``klimamaal_quantities_v1``: values with units, as meant.

Runs the regular expressions of ``patterns/quantities.json`` over the Doc
text: digits (decimal comma, thousands dot), number words with a unit
("femogtyve procent"), fractions ("tre fjerdedele"), multiplying verbs
("halvere", "fordoble"), scales ("10 mio. kr."), counts of countable things
("10 Miyawaki-skove"), the bound before a value ("mindst", "maksimalt") and a
rate after it ("om året"). A number without any unit is kept as ``bare`` so
the assembler can use it where the metric names the unit ("økologiprocent
fastholdes på 75"). Regexes over characters, because values glue to their
neighbours in real text ("over12%", "25%") in ways tokens do not show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import attrgetter

from spacy.language import Language
from spacy.tokens import Doc

from extractors.caseless import Caseless, compile_folded, foldable, leading_literal, lower_source
from extractors.components.types import YEARLIKE, Quantity, doc_text, load_json, set_ext
from extractors.numbers import NUMBER_WORD_RE, NUMBER_WORDS, parse_digits, parse_fraction, parse_number_word
from extractors.regex_source import top_level_groups

#: A number: "220.536", "10 000", "1,5", "2030". The leading digit is written once outside the
#: alternation (``\d\d{0,2}`` tries the same lengths in the same order as ``\d{1,3}``), so the engine
#: knows every match starts with a digit and skips the letters in C, three times faster.
_NUM = re.compile(
    r"\d(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d{0,2}(?:[\u00a0\u202f]\d{3})+(?:,\d+)?|\d{0,11}(?:[,.]\d{1,6})?)(?![\d])"
)
_WORD = re.compile(r"\b(" + NUMBER_WORD_RE + r")(?![\wæøå])", re.IGNORECASE)
#: Thousands grouped by plain spaces ("250 000 tons", as PDF text and some pages write them): taken
#: only when a unit or scale follows, since a plain space also parts the columns of a table ("35 120 240").
_SPACED = re.compile(r"\d{1,3}(?: \d{3})+(?![\d]|[,.]\d)")
#: "50 % reduktion", "30 % CO2-reduktion" (group 1) or "20 % flere": the word after a value gives
#: the direction. One match where two ran (``^\s*(?:[\wæøå₂]*-)?(?:reduktion|…)`` and then
#: ``^\s*(?:flere|…)``): neither branch can start with a space, so ``\s*`` takes all the spaces for
#: both, and the reducing branch is tried first, as its own match was. Case-folded where the text allows.
_DIRECTION_AFTER = Caseless(
    r"\s*(?:((?:[\wæøå₂]*-)?(?:reduktion|reducering|mindre|lavere|færre|nedbringelse|nedgang|fald|besparelse"
    r"|energibesparelse|co2-reduktion))|(?:flere|mere|højere|stigning|øgning|forøgelse|større))"
)


#: "en reduktion på 70 %": the noun before "på" gives the direction.
_DIR_NOUN = Caseless(
    r"\b(?:(reduktion\w*|nedbringelse\w*|besparelse\w*|fald\w*|sænkning\w*|nedgang\w*)|"
    r"(stigning\w*|forøgelse\w*|øgning\w*|udvidelse\w*))\s+(?:\S+\s+){0,4}?(?:med|på)$"
)
#: Verbs and fractions are looked for only in texts holding one of these stems (one search for
#: any of them: a third of the time of five ``in`` tests in a generator).
_LEXICAL_STEMS = ("halv", "dobl", "lige så", "del", "kvart", "hver ", "hvert ")
_LEXICAL = re.compile("|".join(map(re.escape, _LEXICAL_STEMS)))
#: Characters (and "", the end) no scale, unit or counted noun can start with (tested on the parsed
#: patterns): a number right before one ("i 2030.", "12, 14") has nothing after it.
_NO_UNIT_START = frozenset(("", ".", ",", ";", ":", ")", "(", "?", "!", '"', "'", "–", "/"))
_START = attrgetter("start")  # the sort key ``lambda q: q.start``, without a Python call per quantity
_GLUE = frozenset("0123456789,.")
_RATE_BEFORE = r"(?:hvert\s+år|årligt|om\s+året)\s+(?:\w+\s+){0,3}$"
_FROM_TO = re.compile(
    r"\s*(?:%|procent|pct\.?)?\s*(?:i\s+dag|i\s+(?:19|20)\d\d|\(\s*(?:19|20)\d\d\s*\))?\s*,?\s*"
    r"til\s*(?:mindst|maksimalt|højst|under|over)?\s*",
    re.I,
)


#: Precompiled (``re.search(str, …)`` looks its pattern up in re's cache on every call).
_RATE_BREAK = re.compile(r"[,;:–]|\s(?:og|samt)\s")
_YEARLY_ON = r"(?:årlig|årligt)\s+(?:\w+\s+){0,3}(?:på|med)\s*(?:mindst|minimum|ca\.)?\s*$"
#: Either of the two, in one search: both mean "per year" (and both need an "år", so a text without
#: one is not searched at all: "å" and "r" have no other case-insensitive matches than "Å" and "R").
_PER_YEAR_BEFORE = re.compile(f"{_RATE_BEFORE}|{_YEARLY_ON}", re.I)
#: Bound words a value's lower-cased left context may end in, cut off before its link word is read.
#: ``_BOUND_WORD_END`` lists them in this order (``maks\.?`` is "maks." then "maks"), and since it can
#: only match a right-stripped text that ends in one of them, ``str.endswith`` on the tuple, one C
#: call, says whether to run it at all.
_BOUND_WORDS = (
    "mindst", "minimum", "min.", "over", "mere end", "maksimalt", "maks.", "maks", "max.", "max",
    "højst", "under", "op til", "ca.", "cirka", "omkring", "yderligere", "samlet", "samlet set",
)  # fmt: skip
_BOUND_WORD_END = re.compile("(?:" + "|".join(map(re.escape, _BOUND_WORDS)) + r")\s*$")
#: The link a value's left context gives when it ends in one of these words, alone or after
#: whitespace (``(?:^|\s)(?:med|på)$`` and so on, tried in the order med, til, copula; the words
#: are distinct, so one look-up of the last word says the same).
_LINK_OF_LAST_WORD = {
    **dict.fromkeys(("med", "på"), "med"),
    "til": "til",
    **dict.fromkeys(("er", "være", "udgøre", "udgør", "bliver", "blive", "udgjorde"), "copula"),
}
_STARTS_AF = re.compile(r"\s*(?:af|ud\s+af)\s")
_ENDS_FRA = re.compile(r"fra\s*$", re.I)
#: Literals every match of a pattern contains (tests/test_quantities_speed.py proves it from the
#: parsed patterns): a text whose lower case lacks one has no match, which ``in`` tells in C far
#: faster than the searches it spares. Only "å"/"Å" and "r"/"R" (and so on) match these letters
#: under IGNORECASE, and each lowers to the letter, so ``text.lower()`` holds the literal too.
_PER_YEAR_LITERAL = "år"  # the rate patterns after a value and ``_PER_YEAR_BEFORE``
_FROM_LITERAL = "fra"  # ``_ENDS_FRA``
_FRACTION_WORDS = ("halvdelen", "tredjedel", "fjerdedel", "femtedel", "tiendedel", "kvart", "hver")
_OF_LITERAL = "af"  # the "of_total" pattern ("12 af kommunens 98 skoler")


def trie_source(words: Iterable[str]) -> str:
    """A regex source matching exactly ``words``, written as a trie: "fem|femten|femogtyve" is
    ``fem(?:ogtyve|ten)?``. ``re`` tries an alternation branch by branch, so a search for one of
    300 words costs 300 tries at each position; the trie costs one per letter matched."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_branches(trie)


def _trie_branches(node: dict[str, dict]) -> str:
    branches = [re.escape(ch) + _trie_branches(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


#: Number words are looked for only in a text whose lower case holds one of ``NUMBER_WORDS`` as a
#: whole [a-zæøå]+ run, as ``not NUMBER_WORDS.isdisjoint(re.findall("[a-zæøå]+", low))`` says: one
#: search for the words as a trie between non-letters, a quarter faster than that findall and set
#: test (which a plain alternation of the ~300 words, tried at every position, cost eight times).
#: Words with another letter ("énogtyve") are never such a run, so they are left out of it too.
_RUN_LETTERS = "a-zæøå"
_NUMBER_WORD_RUN = re.compile(
    f"(?<![{_RUN_LETTERS}])(?:"
    + trie_source(w for w in NUMBER_WORDS if re.fullmatch(f"[{_RUN_LETTERS}]+", w))
    + f")(?![{_RUN_LETTERS}])"
)


def _folded(source: str) -> re.Pattern[str] | None:
    """The case-folded twin of an IGNORECASE pattern (see ``extractors.caseless.compile_folded``), or None."""
    lowered = lower_source(source)
    return compile_folded(lowered) if lowered is not None else None


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does ``start:end`` overlap none of the ``taken`` spans? (a loop: no generator to set up)"""
    for taken_start, taken_end in taken:  # noqa: SIM110 (all() of a generator is what this avoids)
        if end > taken_start and start < taken_end:
            return False
    return True


def _bound_words(sources: list[str]) -> str:
    """The words ``mindst|minimum|…`` of the bound patterns: the alternatives of the first
    top-level ``(?:…)`` of each, in one flat alternation (which ``re`` scans for in C by first
    letter; ``(?:…)|(?:…)`` it tries at every position, three times slower).

    Every match of a bound pattern holds a match of its words, which, having no look-around or
    anchor, match the whole text just as well: a text without one has no bound at all."""
    words = [next(g for g in top_level_groups(source) if g.startswith("(?:"))[3:-1] for source in sources]
    return "(?:" + "|".join(words) + ")"


def _first_of(sources: list[str]) -> tuple[Caseless, dict[int, int]]:
    r"""One IGNORECASE pattern ``\s*(?:(s0)|(s1)|…)`` for trying ``\s*(?:s0)``, ``\s*(?:s1)``… in
    turn, and a map from the ``lastindex`` of its match to the index of the first that matches.

    The same match with the same span, in one call: an alternation tries its branches in order,
    each with all its backtracking, and since no ``s_i`` can start with whitespace (a test proves
    it from the parsed patterns), ``\s*`` takes all the spaces for every branch, as each pattern
    alone did. Named groups are made plain (names may repeat); read them off ``s_i`` itself.
    """
    alternatives, index_of_group, group = [], {}, 1
    for index, source in enumerate(sources):
        plain = re.sub(r"\(\?P<\w+>", "(?:", source)
        alternatives.append(f"({plain})")
        index_of_group[group] = index
        group += 1 + re.compile(plain).groups
    return Caseless(r"\s*(?:" + "|".join(alternatives) + ")"), index_of_group


class QuantityFinder:
    """Finds every quantity in a Doc; compiled once from the pattern file."""

    def __init__(self) -> None:
        data = load_json("quantities.json")
        self.units = [(u["id"], re.compile(r"\s*(?:" + u["regex"] + r")", re.I), u) for u in data["units"]]
        count = data["count_nouns"]
        self.count_id = count["id"]
        self.fraction_id = data["fractions"]["id"]
        self.fractions = re.compile(r"\b(?:" + data["fractions"]["regex"] + r")(?![\wæøå])", re.I)
        self.verbs = [(v["id"], re.compile(r"\b" + v["regex"], re.I), v) for v in data["verbs"]]
        # their case-folded twins for lower-cased text (None where that is not provably the same)
        self.fractions_folded = _folded(self.fractions.pattern)
        self.verbs_folded = [_folded(pattern.pattern) for _, pattern, _ in self.verbs]
        self.verbs_stems = [leading_literal(p) if p is not None else "" for p in self.verbs_folded]
        self.bounds = [(b["id"], re.compile(b["regex"], re.I), b["bound"]) for b in data["bounds"]]
        self.bound_words = Caseless(_bound_words([b["regex"] for b in data["bounds"]]))
        self.of_total = re.compile(data["of_total"]["regex"].replace("NUMWORD", NUMBER_WORD_RE), re.I)
        self.of_total_id = data["of_total"]["id"]
        self.digit_fraction = re.compile(data["digit_fraction"]["regex"])
        self.digit_fraction_id = data["digit_fraction"]["id"]
        self.rate = re.compile(data["rate"]["regex"], re.I)
        self.scale_multipliers = [float(s["multiplier"]) for s in data["scales"]]
        # The counted nouns come last: they are tried after every unit. First a scale, else a unit,
        # in one match (a number followed by neither, or by a unit alone, needs no second)…
        units = [u["regex"] for u in data["units"]] + [count["regex"]]
        self.first_any, self.any_of_group = _first_of([s["regex"] for s in data["scales"]] + units)
        # …and after a scale, the unit
        self.first_unit, self.unit_of_group = _first_of(units)
        folded = (self.first_any.folded, self.first_unit.folded)
        self.folded_first = None if None in folded else (folded[0].match, folded[1].match)

    def _unit_after(self, text: str, pos: int, low: str | None) -> tuple[str | None, float, int, str | None]:
        """(unit, multiplier, end, rule id) of what follows a number at ``pos``: the first scale
        that matches there, then the first unit (or else a counted noun) after it.

        The patterns look at most 80 characters ahead (``endpos``; none looks behind). The lists
        are tried by combined matches (see :func:`_first_of`), case-folded on ``low``, the
        lower-cased text, where given (see :func:`foldable`).
        """
        if text[pos : pos + 1] in _NO_UNIT_START:
            return None, 1.0, pos, None
        stop = pos + 80
        folded = low is not None and self.folded_first is not None  # Caseless.match, spelled out
        if folded:
            found = self.folded_first[0](low, pos, stop)
        else:
            found = self.first_any.ignorecase.match(text, pos, stop)
        if found is None:
            return None, 1.0, pos, None
        index = self.any_of_group[found.lastindex]
        multiplier, at = 1.0, pos
        if index >= len(self.scale_multipliers):  # a unit (its index in the list after the scales)
            index -= len(self.scale_multipliers)
        else:  # a scale: the unit, if any, comes after it
            multiplier, at = self.scale_multipliers[index], found.end()
            if folded:
                found = self.folded_first[1](low, at, stop)
            else:
                found = self.first_unit.ignorecase.match(text, at, stop)
            if found is None:
                return None, multiplier, at, None
            index = self.unit_of_group[found.lastindex]
        if index == len(self.units):
            return "count", multiplier, found.end(), self.count_id
        uid, pattern, spec = self.units[index]
        unit = spec["unit"]
        if "{" in unit:  # read the named groups off the unit's own pattern, on the text as written
            m = pattern.match(text, at, stop)
            if "{prefix}" in unit:
                unit = unit.replace("{prefix}", m.group("prefix").replace("K", "k"))
            if "{per}" in unit:
                per = m.groupdict().get("per")
                unit = unit.replace("{per}", f"/{per.lower()}" if per else "")
        return unit, multiplier * float(spec.get("multiplier", 1)), found.end(), uid

    def may_find_value(self, text: str) -> bool:
        """Could :meth:`find` return a quantity that is not a bare year? False lets the extractor skip a
        unit whose only figures are years ("Planen gælder 2023-2050") before reading it further.

        The entry tests of :meth:`find`'s branches rather than the branches: a verb or fraction
        stem, a number word, a number other than a four-digit year (a digit fraction's numerator
        is one), or a year that a unit, scale, counted noun or "af" could follow ("2030 ton").
        """
        low = text.lower()
        # the numbers first: most units that get here have a figure, and it settles the question
        counted = _OF_LITERAL in low
        for m in _NUM.finditer(text):
            ms, me = m.span()
            if me - ms != 4 or YEARLIKE.fullmatch(text, ms, me) is None:
                return True
            unit, mult, _end, _uid = self._unit_after(text, me, None)
            if unit is not None or mult != 1.0 or self._of_total_at(text, me, counted):
                return True
        return _LEXICAL.search(low) is not None or _NUMBER_WORD_RUN.search(low) is not None

    def _of_total_at(self, text: str, pos: int, counted: bool) -> bool:
        r"""Does the "of_total" pattern ("12 af kommunens 98 skoler") match at ``pos``?

        Each of its matches holds ``_OF_LITERAL`` (``counted``: the text does) and starts with
        ``\s+``, whitespace, which ``str.isspace`` tells alike: two cheap tests before the match."""
        return counted and text[pos : pos + 1].isspace() and self.of_total.match(text, pos) is not None

    def _bound(self, text: str, start: int) -> str | None:
        """The bound phrase that starts first before the value wins: in "ikke over 50 ton" the
        at-most phrase "ikke over" encloses the at-least word "over", so the earlier start decides."""
        before = text[max(0, start - 30) : start]
        best: tuple[int, str] | None = None
        for _bid, pattern, bound in self.bounds:
            m = pattern.search(before)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), bound)
        return best[1] if best else None

    def _rate(self, text: str, start: int, end: int) -> str | None:
        """ "per_year" if a rate phrase ("om året", "årligt") follows the value, or one before it
        governs it ("hvert år … med 5 %"). Called only for texts holding ``_PER_YEAR_LITERAL``."""
        after = text[end : end + 30]
        m = self.rate.search(after)
        if m and not _RATE_BREAK.search(after[: m.start()]):
            return "per_year"
        before = text[max(0, start - 40) : start]
        if "år" in before.lower() and _PER_YEAR_BEFORE.search(before):
            return "per_year"
        return None

    @staticmethod
    def _link(q: Quantity, text: str, low: str | None) -> None:
        """How the value attaches to its words: the direction word after it ("50 % reduktion"),
        else the word before it, past any bound word ("reduceres med mindst 50 %"), else "af" after.
        ``low`` is the lower-cased text if the case-folded patterns may run on it (see ``foldable``)."""
        # Caseless.match on text[q.end : q.end + 40], spelled out and without the slice: neither
        # pattern on the right has a look-around or anchor, so endpos cuts the text just as well
        end = q.end
        if low is not None and _DIRECTION_AFTER.folded is not None:
            direction = _DIRECTION_AFTER.folded.match(low, end, end + 40)
        else:
            direction = _DIRECTION_AFTER.ignorecase.match(text, end, end + 40)
        if direction:
            q.link = "less" if direction.group(1) is not None else "more"
            return
        # the lower-cased 30 characters before: a slice of ``low`` where it is given, which differs
        # from lower-casing the slice only in the form of a "Σ" at its edges (σ or ς), a letter
        # that no bound or link word holds and that whitespace splitting treats alike
        start = q.start
        left = start - 30 if start > 30 else 0  # max(0, start - 30) without a call
        before = low[left:start].rstrip() if low is not None else text[left:start].lower().rstrip()
        core = _BOUND_WORD_END.sub("", before).rstrip() if before.endswith(_BOUND_WORDS) else before
        # the last whitespace-separated word: (?:^|\s)w$ matches a right-stripped text exactly when
        # it is w, for a word w without whitespace (str.split and \s know the same whitespace)
        link = _LINK_OF_LAST_WORD.get(core.rsplit(None, 1)[-1] if core else "")
        if link == "med":
            window = text[max(0, start - 60) : start].rstrip()
            noun = _DIR_NOUN.search(window, window.lower() if low is not None else None)
            if noun:
                link = "less" if noun.group(1) else "more"
        elif link is None and _STARTS_AF.match(text, end, end + 40):
            link = "af"
        q.link = link

    def __call__(self, doc: Doc) -> Doc:
        set_ext(doc, "kl_quantities", self.find(doc_text(doc)))
        return doc

    def _spaced_thousands(
        self, text: str, start: int, folded_low: str | None
    ) -> tuple[int, float, tuple[str | None, float, int, str | None]] | None:
        """ "250 000 tons" from ``start``: (its end, its value, the unit after it) when plain-space
        groups of three digits follow and a unit or scale comes after them (:data:`_SPACED`), else None."""
        spaced = _SPACED.match(text, start)
        if spaced is None:
            return None
        after = self._unit_after(text, spaced.end(), folded_low)
        if after[0] is None and after[1] == 1.0:
            return None
        return spaced.end(), float(spaced.group().replace(" ", "")), after

    def find(self, text: str) -> list[Quantity]:
        """The quantities of ``text`` in order of position."""
        found: list[Quantity] = []
        taken: list[tuple[int, int]] = []

        low = text.lower()
        folded_low = low if foldable(text) else None
        lexical = _LEXICAL.search(low) is not None
        verbs = zip(self.verbs, self.verbs_folded, self.verbs_stems, strict=True) if lexical else ()
        for (vid, pattern, spec), folded, stem in verbs:
            if folded is not None and folded_low is not None:
                if stem not in folded_low:  # "halver", "fordobl"…: no match without it
                    continue
                matches = folded.finditer(folded_low)
            else:
                matches = pattern.finditer(text)
            for m in matches:
                found.append(
                    Quantity(
                        m.start(),
                        m.end(),
                        spec["value"],
                        spec["unit"],
                        "verb",
                        vid,
                        direction=spec["direction"],
                    )
                )
                taken.append((m.start(), m.end()))
        for m in self.digit_fraction.finditer(text) if "/" in text else ():
            a, b = int(m.group(1)), int(m.group(2))
            if a < b:
                found.append(
                    Quantity(
                        m.start(), m.end(), round(100.0 * a / b, 2), "%", "fraction", self.digit_fraction_id
                    )
                )
                taken.append((m.start(), m.end()))
        if not lexical:
            fractions = ()
        elif self.fractions_folded is not None and folded_low is not None:
            # every match of the folded pattern holds one of these words (tested)
            fraction_word = any(word in folded_low for word in _FRACTION_WORDS)
            fractions = self.fractions_folded.finditer(folded_low) if fraction_word else ()
        else:
            fractions = self.fractions.finditer(text)
        for m in fractions:
            value = parse_fraction(text[m.start() : m.end()])
            if value is not None and _free(taken, m.start(), m.end()):
                found.append(Quantity(m.start(), m.end(), value, "%", "fraction", self.fraction_id))
                taken.append((m.start(), m.end()))
        counted = _OF_LITERAL in low
        for m in _NUM.finditer(text):
            ms, me = m.span()
            if (taken and not _free(taken, ms, me)) or (ms and text[ms - 1] in _GLUE):
                continue
            raw = m.group()
            # parse_digits' first case inline (a _NUM match is at most 12 digits long): most numbers
            value = float(raw) if raw.isascii() and raw.isdigit() else parse_digits(raw)
            if value is None:
                continue
            # (the pre-test inline: most numbers are not followed by a space and a digit)
            spaced = (
                self._spaced_thousands(text, ms, folded_low)
                if me - ms <= 3 and text[me : me + 1] == " " and text[me + 1 : me + 2].isdigit()
                else None
            )
            if spaced is not None:
                me, value, (unit, mult, end, uid) = spaced
            elif text[me : me + 1] in _NO_UNIT_START:  # as _unit_after would say, without the call
                unit, mult, end, uid = None, 1.0, me, None
            else:
                unit, mult, end, uid = self._unit_after(text, me, folded_low)
            if unit is None and mult == 1.0 and counted and self._of_total_at(text, me, counted):
                unit, end, uid = "count", me, self.of_total_id
            if unit is None and mult == 1.0:
                found.append(Quantity(ms, me, value, None, "bare", "qty.bare"))
                continue
            found.append(Quantity(ms, end, value * mult, unit, "number", uid or "qty.scale"))
            taken.append((ms, end))
        worded = _NUMBER_WORD_RUN.search(low) is not None
        for m in _WORD.finditer(text) if worded else ():
            if taken and not _free(taken, m.start(), m.end()):
                continue
            unit, mult, end, uid = self._unit_after(text, m.end(), folded_low)
            value = parse_number_word(m.group(1))
            if unit is None and value is not None and self._of_total_at(text, m.end(), counted):
                unit, mult, end, uid = "count", 1.0, m.end(), self.of_total_id
            if unit is None or value is None:
                continue
            found.append(Quantity(m.start(), end, value * mult, unit, "word", uid or "qty.word"))
            taken.append((m.start(), end))
        found.sort(key=_START)
        self._describe(found, text, low, folded_low)
        if _FROM_LITERAL in low:
            self._from_to(found, text)
        return found

    def _describe(self, found: list[Quantity], text: str, low: str, folded: str | None) -> None:
        """Bound, rate and link of each quantity but a bare year (never bounded, rated or linked).

        The rate searches run only in a text holding ``_PER_YEAR_LITERAL``; the bound patterns
        only where their words are in the 30 characters they search (``self.bound_words``, one
        search where there were two: most values have none before them)."""
        yearly = _PER_YEAR_LITERAL in low
        words = self.bound_words.folded
        for q in found:
            kind, start = q.kind, q.start
            if kind == "bare" and q.end - start == 4 and YEARLIKE.fullmatch(text, start, q.end):
                continue
            # Caseless.search on text[start - 30 : start], spelled out and without the slice: the
            # words have no look-around or anchor
            left = start - 30 if start > 30 else 0  # max(0, start - 30) without a call
            if words is not None and folded is not None:
                has_word = words.search(folded, left, start)
            else:
                has_word = self.bound_words.ignorecase.search(text, left, start)
            if has_word:
                q.bound = self._bound(text, start)
            if kind != "verb":
                if yearly:
                    q.rate = self._rate(text, start, q.end)
                self._link(q, text, folded)

    @staticmethod
    def _from_to(found: list[Quantity], text: str) -> None:
        """ "fra 24 % til 30 %": the first is where it starts, the target is the second, reached."""
        for a, b in zip(found, found[1:], strict=False):
            between = text[a.end : b.start]
            before = text[max(0, a.start - 12) : a.start]
            if _ENDS_FRA.search(before) and _FROM_TO.fullmatch(between):
                a.role = "from"
                if b.unit is not None:
                    a.unit = a.unit or b.unit
                b.direction = "reach"
                b.link = "til"

    def may_rate(self, text: str) -> bool:
        """Could any quantity of ``text`` carry a rate? False lets the extractor reject a unit that needs
        one without reading its quantities: every way ``_rate`` reads "per year" holds
        ``_PER_YEAR_LITERAL`` (tests/test_extract_screen.py)."""
        return _PER_YEAR_LITERAL in text.lower()


@Language.factory("klimamaal_quantities_v1")
def make_quantity_finder(nlp: Language, name: str) -> QuantityFinder:
    return QuantityFinder()
