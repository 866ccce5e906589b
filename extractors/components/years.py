"""Component ``klimamaal_years_v1``: every year in the Doc and its role.

A year is a deadline ("i 2030" -> in, "senest i"/"inden"/"frem mod" -> by),
a baseline ("i forhold til 1990", "fra 2010-niveau", "af det, de var i 1990"),
a start ("fra 2025"), part of a period ("2023-2050"), a name ("Vision 2029",
"DK2020") or a number that only looks like one (a phone number). The
patterns of ``patterns/years.jsonl`` are tried in file order and the first to
claim a year decides its role. dateparser is of no help here: it parses
concrete dates, not the role a bare year plays in a sentence.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

# re's parser as caseless imports it (None on a Python without it: patterns then run as written)
from extractors.caseless import _sre, _sre_parse, compile_folded, foldable, parsed_nodes
from extractors.components.types import YEARLIKE, YearMention, doc_text, load_jsonl, set_ext
from extractors.regex_source import group_end

#: A year, four digits with no digit after. The year scan (:meth:`YearFinder._scan_for`) finds these and
#: checks what stands before each with :func:`_glued`, because a look-behind tried at every position made
#: the scan several times slower.
YEAR_RE = YEARLIKE.pattern + r"(?!\d|[.,]\d)"
#: What may not stand right before a year: a digit, "." or "," ("12030", "1.2030") or two letters
#: ("DK2020"). The rules carry it on every year they read, so a glued year takes part in no match at
#: all (not only that it is not claimed: "DK2030-2040" is no period). Evaluated where a rule reaches a
#: year, not at every position, it costs little there.
_STANDS_ALONE = r"(?<![\d.,])(?<![^\W\d_][^\W\d_])"
#: A year as the rules of ``years.jsonl`` read it.
RULE_YEAR_RE = _STANDS_ALONE + YEAR_RE


def _letter(ch: str) -> bool:
    r"""``[^\W\d_]``: a word character but a decimal digit and "_" (``str.isalnum`` is ``\w`` but "_")."""
    return ch.isalnum() and not ch.isdecimal()


def _glued(text: str, start: int) -> bool:
    r"""Does ``_STANDS_ALONE`` fail at ``start`` ("12030", "1.2030", "DK2020")? (``\d`` is ``str.isdecimal``.)"""
    if start == 0:
        return False
    prev = text[start - 1]
    if prev == " ":
        return False  # the usual case, answered before the tests below (which a space fails)
    if prev.isdecimal() or prev in ".,":
        return True
    return start >= 2 and _letter(prev) and _letter(text[start - 2])


#: How a year-led rule starts (see :func:`_year_led`).
_YEAR_HEAD = f"(?P<year>{RULE_YEAR_RE})"
_RULES_CACHE_LIMIT = 10_000


def _class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The members of a parsed character class, or None for a category, a negation or a wide range."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] <= 64:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return chars


def _first(parsed: Any) -> tuple[set[str] | None, bool]:
    """The characters a match of a parsed (case-sensitive) sequence may start with, and whether it may
    be empty; None where that is not a short list of characters (``\\w``, ``.``, ``[^…]``…)."""
    chars: set[str] = set()
    for op, av in parsed:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero width: the next item starts the match
        if op is _sre.LITERAL:
            item, empty = {chr(av)}, False
        elif op is _sre.IN:
            item, empty = _class_chars(av), False
        elif op is _sre.SUBPATTERN and not (av[1] | av[2]) & re.IGNORECASE:
            item, empty = _first(av[3])
        elif op is _sre.ATOMIC_GROUP:
            item, empty = _first(av)
        elif op is _sre.BRANCH:
            item, empty = set(), False
            for branch in av[1]:
                one, one_empty = _first(branch)
                if one is None:
                    return None, False
                item |= one
                empty = empty or one_empty
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            item, empty = _first(av[2])
            empty = empty or av[0] == 0
        else:
            return None, False
        if item is None:
            return None, False
        chars |= item
        if not empty:
            return chars, False
    return chars, True


def _leads_with_assertion(parsed: Any) -> bool:
    """Does the pattern start with an assertion (``\\b``, a look-around), through groups and alternatives?"""
    op, av = parsed[0]
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return True
    if op is _sre.SUBPATTERN:
        return bool(av[3]) and _leads_with_assertion(av[3])
    if op is _sre.BRANCH:
        return any(branch and _leads_with_assertion(branch) for branch in av[1])
    return False


def first_char_test(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead for the characters its matches start with, where those are few.

    The look-ahead is implied (every match starts with one of them), so the matches are the
    same; but the engine then skips the other positions with one class test instead of
    trying the pattern there (``\\b[iI]\\s*…`` at every character of a sentence). Patterns
    with IGNORECASE, or whose matches may start with a category or be empty, stay as they are.
    """
    if _sre_parse is None or pattern.flags & re.IGNORECASE:
        return pattern
    parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    if not parsed or not _leads_with_assertion(parsed):
        return pattern  # the engine already skips ahead to a literal or class it starts with
    chars, empty = _first(parsed)
    if chars is None or empty or not chars:
        return pattern
    test = "".join(map(re.escape, sorted(chars)))
    return re.compile(f"(?=[{test}])(?:{pattern.pattern})", pattern.flags)


class _Rule(NamedTuple):
    """A year pattern of ``years.jsonl`` as :meth:`YearFinder.find` runs it."""

    rule_id: str
    role: str
    pattern: re.Pattern[str]
    #: the twin for lower-cased text (:func:`compile_folded`), or None
    folded: re.Pattern[str] | None
    #: literal words one of which a text needs for a match, or None
    requires: frozenset[str] | None
    groups: tuple[str, ...]
    #: the pattern is a year and look-aheads only: its matches are the years where it matches
    year_led: bool
    #: for such a rule whose look-aheads read no cased letter: the group of the year scan that
    #: tells where they hold (see :meth:`YearFinder._scan_for`), else None
    led: str | None


_WORD_CHAR = re.compile(r"\w")


def _word_chars_only(parsed: Any) -> bool:
    """Does a parsed pattern consume word characters (``\\w``) only? (No look-around, anchor or other.)"""
    return all(_word_node(op, av) for op, av in parsed_nodes(parsed))


def _word_node(op: Any, av: Any) -> bool:
    if op is _sre.LITERAL:
        return _WORD_CHAR.match(chr(av)) is not None
    if op is _sre.IN:
        return all(
            (kind is _sre.LITERAL and _WORD_CHAR.match(chr(value)) is not None)
            or (kind is _sre.CATEGORY and value is _sre.CATEGORY_WORD)
            for kind, value in av
        )
    return op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT, _sre.SUBPATTERN, _sre.BRANCH)


def word_run_test(source: str) -> str:
    """``source`` with an implied look-ahead after its ``\\b``, where it is ``\\b(…)REST`` with a group of
    word characters.

    ``year.name.document_from`` is ``\\b(?:\\w*plan\\w*|\\w*strategi\\w*|…)\\s+fra\\s+YEAR``: at each
    word start every ``\\w*X\\w*`` runs to the end of the word and backs off a character at a
    time looking for X, a dozen times per word. A match's group takes word characters only,
    and REST follows them, so ``(?=\\w*REST)`` holds where the group starts (the greedy
    ``\\w*`` backs off to where the group ended): the matches are the same, and at a word
    not followed by REST the look-ahead fails after one run over the word. (REST is taken
    with its named groups made plain, and only from a pattern without a top-level ``|``.)
    """
    if _sre_parse is None or not source.startswith("\\b(") or "(?P=" in source:
        return source
    end = group_end(source, 2)
    rest = source[end + 1 :]
    if re.search(r"\\[1-9]", rest):
        return source  # a back reference would see the group unset inside the look-ahead
    parsed = _sre_parse.parse(source)
    if not rest or parsed[0][0] is not _sre.AT or not _word_chars_only(_sre_parse.parse(source[2 : end + 1])):
        return source
    plain_rest = re.sub(r"[(][?]P<\w+>", "(?:", rest)
    return source[:2] + f"(?=\\w*{plain_rest})" + source[2:]


def _year_led(source: str) -> bool:
    """Is ``source`` ``(?P<year>YEAR)`` followed only by look-aheads (``year.skip.range_phone``, ``year.bare``)?

    Then a match takes exactly a year's four digits, and years never overlap, so ``finditer``
    finds a match at each year where the pattern matches: a ``match`` at each open year
    finds the same ones, without a scan of the whole text.
    """
    if _sre_parse is None or not source.startswith(_YEAR_HEAD):
        return False
    rest = _sre_parse.parse(source[len(_YEAR_HEAD) :])
    return all(op in (_sre.ASSERT, _sre.ASSERT_NOT) and av[0] == 1 for op, av in rest)


def _uncased(ch: str) -> bool:
    """A character without case (a digit, punctuation, "₂")."""
    return ch.lower() == ch == ch.upper()


def _case_free(source: str) -> bool:
    """Does the pattern read only characters without case, digits (``\\d``) and whitespace (``\\s``)?

    Then it matches alike with or without IGNORECASE (which leaves such literals and these
    classes alone), and on a text or its lower case (lower-casing keeps a character's being
    a digit or whitespace, and no other character lower-cases to one without case: both are
    checked for every code point in the tests).
    """
    if _sre_parse is None:
        return False
    return _case_free_parsed(_sre_parse.parse(source))


#: The classes :func:`_case_free` admits: they hold for a character and its lower case alike.
_CASE_FREE_CATEGORIES = (
    ()
    if _sre is None
    else (_sre.CATEGORY_DIGIT, _sre.CATEGORY_NOT_DIGIT, _sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_SPACE)
)


def _case_free_parsed(parsed: Any) -> bool:
    return all(_case_free_node(op, av) for op, av in parsed_nodes(parsed))


def _case_free_node(op: Any, av: Any) -> bool:
    if op in (_sre.LITERAL, _sre.NOT_LITERAL):
        return _uncased(chr(av))
    if op is _sre.IN:
        return all(
            (kind is _sre.LITERAL and _uncased(chr(value)))
            or (kind is _sre.CATEGORY and value in _CASE_FREE_CATEGORIES)
            or kind is _sre.NEGATE
            for kind, value in av
        )
    return op in (
        _sre.MAX_REPEAT,
        _sre.MIN_REPEAT,
        _sre.POSSESSIVE_REPEAT,
        _sre.SUBPATTERN,
        _sre.ASSERT,
        _sre.ASSERT_NOT,
        _sre.BRANCH,
    )


class YearFinder:
    """Assigns each year position one role, by pattern priority.

    A pattern may list literal words it ``requires`` ("senest", "forhold"...);
    it is skipped on a text without them, and a text without any year is skipped
    altogether. Which required words a text holds is found once per text (a
    substring test per distinct word), and the rules those allow are looked up
    once for that set of words (:meth:`_rules_for`); the case-insensitive
    patterns run as their case-sensitive twins on the lower-cased text where that
    provably matches the same (:func:`compile_folded`), which is about 1.5 times faster.
    """

    def __init__(self) -> None:
        self.patterns: list[_Rule] = []
        words: set[str] = set()
        led_tails: list[tuple[str, str]] = []
        for e in load_jsonl("years.jsonl"):
            source = e["regex"].replace("YEAR", RULE_YEAR_RE)
            ignore_case = e["role"] != "name"
            pattern = re.compile(source, re.IGNORECASE if ignore_case else 0)
            folded = compile_folded(source) if ignore_case else None
            if not ignore_case:
                pattern = first_char_test(re.compile(word_run_test(source)))
            if folded is not None:
                folded = first_char_test(folded)
            requires = frozenset(e.get("requires", ())) or None
            words |= requires or set()
            groups = tuple(g for g in ("year", "year2") if g in pattern.groupindex)
            # what find relies on: a year group is a year and nothing else
            assert all(f"(?P<{g}>YEAR)" in e["regex"] for g in groups), e["id"]
            year_led = _year_led(source)
            led = None
            if year_led and _case_free(source[len(_YEAR_HEAD) :]):
                led = f"led{len(self.patterns)}"
                led_tails.append((led, source[len(_YEAR_HEAD) :]))
            self.patterns.append(_Rule(e["id"], e["role"], pattern, folded, requires, groups, year_led, led))
        self.scan = self._scan_for(led_tails)
        self.required_words = tuple(sorted(words))
        #: required words a text holds -> the rules it may match (see :meth:`_rules_for`)
        self.rules_for: dict[tuple[str, ...], tuple[_Rule, ...]] = {}

    @staticmethod
    def _scan_for(led_tails: list[tuple[str, str]]) -> re.Pattern[str]:
        """``YEAR_RE`` with the look-aheads of the year-led rules that read no cased letter, each
        as ``(?:look-aheads(?P<ledK>)|)``: a year scan that also tells, per year, which of those
        rules match there (their group is set), in the same pass.

        Each such part matches empty, so the scan finds the years ``YEAR_RE`` finds, with the
        same spans. The look-aheads see what they would see in the rule's own match (the same
        text after the same year); reading only digits, whitespace and characters without case,
        they hold alike on the text, on its lower case and with IGNORECASE.
        """
        parts = [f"(?P<year>{YEAR_RE})"] + [f"(?:{tail}(?P<{led}>)|)" for led, tail in led_tails]
        return re.compile("".join(parts))

    def _rules_for(self, present: tuple[str, ...]) -> tuple[_Rule, ...]:
        """The rules a text holding the required words ``present`` (and no other) may match, in order;
        cached, since texts hold few of those words: a text then runs through its few rules only,
        instead of testing each rule's words."""
        if len(self.rules_for) > _RULES_CACHE_LIMIT:
            self.rules_for.clear()
        rules = tuple(r for r in self.patterns if r.requires is None or not r.requires.isdisjoint(present))
        self.rules_for[present] = rules
        return rules

    def __call__(self, doc: Doc) -> Doc:
        set_ext(doc, "kl_years", self.find(doc_text(doc)))
        return doc

    def find(self, text: str) -> list[YearMention]:
        """The years of ``text`` with their roles, in order of position."""
        # Roles are only ever given to a year that stands alone (a ``YEAR_RE`` match not glued to what
        # precedes it, as ``_STANDS_ALONE`` requires; such matches never overlap), so once each of
        # those has one, no pattern can add any.
        # (the open years in order of position, each with its match of the scan)
        open_years = {m.start(): m for m in self.scan.finditer(text) if not _glued(text, m.start())}
        if not open_years:
            return []
        claimed: dict[int, YearMention] = {}
        low = text.lower()
        present = tuple([w for w in self.required_words if w in low])
        rules = self.rules_for.get(present)
        if rules is None:
            rules = self._rules_for(present)
        fold = foldable(text)
        for rule_id, role, pattern, folded, _, groups, year_led, led in rules:
            subject = text
            if fold and folded is not None:
                pattern, subject = folded, low
            # (lists first: claiming changes open_years)
            if led is not None:
                matches = [m for m in open_years.values() if m.start(led) >= 0]
            elif year_led:
                matches = filter(None, [pattern.match(subject, start) for start in open_years])
            else:
                matches = pattern.finditer(subject)
            # a year group holds RULE_YEAR_RE at its start, so the open years (not glued, not yet
            # claimed) are exactly the group starts this rule may claim
            for m in matches:
                for group in groups:
                    start, end = m.span(group)
                    if start not in open_years:
                        continue  # unset (-1), glued, or claimed already
                    r = role
                    if role == "period":
                        r = "period_start" if group == "year" else "period_end"
                    claimed[start] = YearMention(
                        start, end, int(m.group(group)), r, m.start(), m.end(), rule_id
                    )
                    del open_years[start]
            if not open_years:
                break
        if len(claimed) == 1:
            return list(claimed.values())
        return [claimed[start] for start in sorted(claimed)]


@Language.factory("klimamaal_years_v1")
def make_year_finder(nlp: Language, name: str) -> YearFinder:
    return YearFinder()
