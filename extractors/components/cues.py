"""Component ``klimamaal_cues_v1``: mark direction, commitment and negative cue words.

The cues are written as spaCy token patterns in ``patterns/cues.jsonl`` (each
with an id and a label such as DIR_REDUCE, BINDING, NEG_PROJECTION): inflections
and neighbours decide meaning ("vil medføre" is a projection, "vil reducere" an
intent), and token patterns say that plainly. They are not run by spaCy's
``Matcher``, though: with some seventy regex predicates it evaluated each one on
every token (about 1.3 ms per sentence, half the extraction time, measured with
cProfile on the benchmark plan). Instead each pattern is compiled once into a
character regex over the Doc text with the same token semantics — a token is a
run of non-separator characters, ``LOWER`` compares case-insensitively,
``REGEX`` searches inside one token, ``IN``/``NOT_IN``/``OP: ?`` as in spaCy —
and one regex per label scans the text in C. Hits become :class:`Cue` records
in ``doc._.kl_cues``.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from extractors.caseless import compile_folded, fold
from extractors.components.types import Cue, doc_text, load_jsonl, set_ext

#: Characters that separate tokens (spaCy splits on them; a hyphen does not split).
_SEP = r"\s,;:!?()\[\]\"“”„»«’'/|–—"
_TOK = rf"[^{_SEP}]"
_START = rf"(?<![^{_SEP}])"
_END = rf"(?=[{_SEP}]|\.(?=[{_SEP}]|$)|$)"
_ANY_TOKEN = rf"(?:{_TOK}+|[,;:])"
#: The same, never split: ``_TOK+`` could otherwise give back characters, so that a run of optional
#: any-tokens tries every way of cutting the following words into pieces before it fails.
_WHOLE_TOKEN = rf"(?:(?>{_TOK}+)|[,;:])"


def _anchors(regex: str) -> str:
    """Translate ``^``/``$`` of a token regex into token-boundary assertions (not inside classes or escapes)."""
    out = []
    in_class = False
    i = 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\" and i + 1 < len(regex):
            out.append(regex[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
            out.append(ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
            if regex[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
        elif ch == "^":
            out.append(_START)
        elif ch == "$":
            out.append(_END)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _top_level_alternation(regex: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


def _alternatives(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


class _NotFoldable(ValueError):
    """A ``TEXT`` predicate compares case: no case-folded twin of its pattern."""


def token_regex(spec: dict[str, Any], folded: bool = False) -> str:
    """A character regex for one token of a spaCy token pattern.

    ``folded``: the twin for lower-cased text, without case-insensitive groups (see
    :func:`extractors.caseless.compile_folded`).
    """
    for key, case in (("LOWER", "(?:{})" if folded else "(?i:{})"), ("TEXT", "(?-i:{})")):
        if key not in spec:
            continue
        if folded and key == "TEXT":
            raise _NotFoldable(key)
        value = spec[key]
        if isinstance(value, str):
            return case.format(re.escape(value)) + (_END if value[-1:].isalnum() else "")
        if "IN" in value:
            return case.format(_alternatives(value["IN"])) + _END
        if "NOT_IN" in value:
            return rf"(?!{case.format(_alternatives(value['NOT_IN']))}{_END}){_TOK}+{_END}"
        if "REGEX" in value:
            regex = value["REGEX"]
            single = not _top_level_alternation(regex)
            head = "" if single and regex.startswith("^") else f"{_TOK}*?"
            tail = "" if single and regex.endswith("$") and not regex.endswith("\\$") else f"{_TOK}*{_END}"
            return head + case.format(_anchors(regex)) + tail
        raise ValueError(f"unsupported token predicate {spec!r}")
    if set(spec) <= {"OP"}:
        return _ANY_TOKEN
    raise ValueError(f"unsupported token predicate {spec!r}")


def _whole_tokens_suffice(pattern: list[dict[str, Any]], tokens: list[str], i: int) -> bool:
    """May the optional any-token at ``i`` match whole words only (``_WHOLE_TOKEN``)?

    Yes when only optional any-tokens stand between it and a required token whose regex
    starts at a word boundary (``^`` in a ``REGEX``): a piece cut out of a word leaves the
    next piece or that token inside the word, where the boundary fails, so every match
    (and the first one found) runs over whole words anyway. Cutting is what makes a failing
    "når … implementeret" try thousands of ways per sentence.
    """
    for spec, tok in zip(pattern[i + 1 :], tokens[i + 1 :], strict=True):
        if set(spec) <= {"OP"}:
            continue
        return "OP" not in spec and tok.startswith(
            tuple(f"({flag}{_START}" for flag in ("?i:", "?:", "?-i:"))
        )
    return False


def _next_required(pattern: list[dict[str, Any]], tokens: list[str], i: int) -> str | None:
    """The regex of the required token after a run of optional any-tokens starting at ``i``, if the
    run is only those. Between here and where it matches stand only word characters, whitespace
    and ``,;:`` (what the optional tokens and the gaps match), so a look-ahead for it is implied:
    a text without it ("ikke …" with no "længere" after) fails at once instead of after every
    cut of the next five words into pieces."""
    for spec, tok in zip(pattern[i + 1 :], tokens[i + 1 :], strict=True):
        if set(spec) <= {"OP"}:
            continue
        return None if "OP" in spec else tok
    return None


def pattern_regex(pattern: list[dict[str, Any]], folded: bool = False) -> str:
    """A character regex for a whole token pattern (tokens separated by whitespace)."""
    parts: list[str] = []
    tokens = [token_regex(spec, folded) for spec in pattern]
    for i, spec in enumerate(pattern):
        tok = tokens[i]
        if tok == _ANY_TOKEN and _whole_tokens_suffice(pattern, tokens, i):
            tok = _WHOLE_TOKEN
        elif tok == _ANY_TOKEN and i > 0 and tokens[i - 1] != _ANY_TOKEN:
            following = _next_required(pattern, tokens, i)
            if following is not None:
                parts.append(rf"(?=(?:{_TOK}|[\s,;:])*?{following})")
        optional = spec.get("OP") == "?"
        if spec.get("OP") not in (None, "?"):
            raise ValueError(f"unsupported OP in {pattern!r}")
        if i == 0:
            parts.append(f"(?:{tok}\\s*)?" if optional else tok)
        elif optional:
            parts.append(f"(?:\\s*{tok})?")
        else:
            parts.append(f"\\s*{tok}")
    return _START + "".join(parts)


_TOKEN = re.compile(rf"{_TOK}+")
_CACHE_LIMIT = 200_000
#: The classification of the many words that neither are a cue nor start one (one shared object, so
#: the loop over a sentence's words can pass them with an identity test).
_NOTHING: tuple[tuple[tuple[str, str], ...], tuple[int, ...]] = ((), ())


def _folded_twin(pattern: list[dict[str, Any]]) -> re.Pattern[str] | None:
    """The pattern's regex for lower-cased text, if it provably matches the same there."""
    try:
        return compile_folded(pattern_regex(pattern, folded=True))
    except _NotFoldable:
        return None


def _required_text(patterns: list[list[dict[str, Any]]]) -> tuple[str, ...] | None:
    """Literal strings one of which every match of these patterns contains: their first tokens'
    ``TEXT`` values (the "?" of a question), or None if some first token is not such a literal."""
    literals = []
    for pattern in patterns:
        first = pattern[0]
        if set(first) != {"TEXT"} or not isinstance(first["TEXT"], str) or not first["TEXT"]:
            return None
        literals.append(first["TEXT"])
    return tuple(literals)


def _single_predicate(spec: dict[str, Any]):
    """A test on one lower-cased token string, for patterns of a single token."""
    value = spec["LOWER"]
    if isinstance(value, str):
        return lambda s: s == value
    if "IN" in value:
        words = frozenset(value["IN"])
        return lambda s: s in words
    if "NOT_IN" in value:
        words = frozenset(value["NOT_IN"])
        return lambda s: s not in words
    search = re.compile(value["REGEX"]).search
    return lambda s: search(s) is not None


class CueMarker:
    """Runs the cue patterns.

    Each distinct word is classified once (cached): which single-token patterns
    it satisfies and which longer patterns it may start. A longer pattern is then
    tried with ``regex.match`` only where its first word stands. Patterns that do
    not start with a ``LOWER`` token are scanned with one regex per label.
    """

    def __init__(self) -> None:
        self.single: list[tuple[str, str, Any]] = []
        self.single_specs: list[dict[str, Any]] = []
        self.multi_specs: list[dict[str, Any]] = []
        self.multi: list[tuple[str, str, Any, re.Pattern[str], re.Pattern[str] | None]] = []
        scanned: dict[str, list[tuple[str, list[dict[str, Any]]]]] = {}
        self.cache: dict[str, tuple[tuple[tuple[str, str], ...], tuple[int, ...]]] = {}
        for entry in load_jsonl("cues.jsonl"):
            pattern = entry["pattern"]
            first = pattern[0]
            if set(first) != {"LOWER"}:
                scanned.setdefault(entry["label"], []).append((entry["id"], pattern))
            elif len(pattern) == 1:
                self.single.append((entry["label"], entry["id"], _single_predicate(first)))
                self.single_specs.append(first)
            else:
                full = re.compile(pattern_regex(pattern), re.IGNORECASE)
                self.multi.append(
                    (entry["label"], entry["id"], _single_predicate(first), full, _folded_twin(pattern))
                )
                self.multi_specs.append(first)
        #: (label, regex, group name -> rule id, literals one of which a match needs or None)
        self.regexes: list[tuple[str, re.Pattern[str], dict[str, str], tuple[str, ...] | None]] = []
        for label, entries in scanned.items():
            names = {f"g{i}": rule_id for i, (rule_id, _) in enumerate(entries)}
            source = "|".join(f"(?P<g{i}>{pattern_regex(p)})" for i, (_, p) in enumerate(entries))
            required = _required_text([p for _, p in entries])
            self.regexes.append((label, re.compile(source, re.IGNORECASE), names, required))
        self._index_first_words()

    def _index_first_words(self) -> None:
        """Sort the first-word tests for :meth:`_classify`: the plain words (``LOWER`` string or ``IN``)
        go into one dict, so a new word costs a lookup there, one search of the regex tests combined
        (which most words fail) and the regex tests themselves only if that search succeeds."""
        self.by_word: dict[str, list[tuple[bool, int]]] = {}
        self.regex_tests: list[tuple[bool, int, Any]] = []
        self.other_tests: list[tuple[bool, int, Any]] = []
        regexes: list[str] = []
        firsts = [(True, i, spec) for i, spec in enumerate(self.single_specs)]
        firsts += [(False, i, spec) for i, spec in enumerate(self.multi_specs)]
        for is_single, i, spec in firsts:
            value = spec["LOWER"]
            test = self.single[i][2] if is_single else self.multi[i][2]
            if isinstance(value, str):
                self.by_word.setdefault(value, []).append((is_single, i))
            elif "IN" in value:
                for word in set(value["IN"]):
                    self.by_word.setdefault(word, []).append((is_single, i))
            elif "REGEX" in value:
                self.regex_tests.append((is_single, i, test))
                regexes.append(value["REGEX"])
            else:
                self.other_tests.append((is_single, i, test))
        self.any_regex: re.Pattern[str] | None = None
        if regexes and not any(re.search(r"\\\d|\(\?[a-zA-Z]", r) for r in regexes):
            # one search says whether any of them matches (no back references or flags to renumber)
            self.any_regex = re.compile("|".join(f"(?:{r})" for r in regexes))

    def _classify(self, word: str) -> tuple[tuple[tuple[str, str], ...], tuple[int, ...]]:
        """Which single-word cues ``word`` is and which longer cues it may start (as if every first-word
        test were run on the word and, if it ends in a dot, on the word without it)."""
        forms = (word, word.rstrip(".")) if word.endswith(".") and len(word) > 1 else (word,)
        hits: set[tuple[bool, int]] = set()
        for form in forms:
            hits.update(self.by_word.get(form, ()))
            if self.any_regex is None or self.any_regex.search(form):
                hits.update((is_single, i) for is_single, i, test in self.regex_tests if test(form))
            hits.update((is_single, i) for is_single, i, test in self.other_tests if test(form))
        singles = [self.single[i][:2] for is_single, i in sorted(hits) if is_single]
        starts = tuple(i for is_single, i in sorted(hits) if not is_single)
        if len(self.cache) > _CACHE_LIMIT:
            self.cache.clear()
        found = (tuple(singles), starts) if singles or starts else _NOTHING
        self.cache[word] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        set_ext(doc, "kl_cues", self.find(doc_text(doc)))
        return doc

    def find(self, text: str) -> list[Cue]:
        """The cues of ``text`` in order of position (the extractor calls this before it builds a Doc)."""
        cache = self.cache
        multi = self.multi
        cues: list[Cue] = []
        # longer patterns run as their case-folded twins on the lower-cased text where that is the same
        low = fold(text)
        # the words of the lower-cased text are the lower-cased words, but for the final sigma rule
        lowered_words = low is not None and "Σ" not in text
        for m in _TOKEN.finditer(low if lowered_words else text):
            word = m.group() if lowered_words else m.group().lower()
            hit = cache.get(word)
            if hit is None:
                hit = self._classify(word)
            if hit is _NOTHING:
                continue
            singles, starts = hit
            if singles:
                start, end = m.span()
                cues.extend(Cue(label, start, end, rule_id) for label, rule_id in singles)
            for i in starts:
                label, rule_id, _, full, folded = multi[i]
                if low is not None and folded is not None:
                    found = folded.match(low, m.start())
                else:
                    found = full.match(text, m.start())
                if found and found.end() > found.start():
                    cues.append(Cue(label, found.start(), found.end(), rule_id))
        for label, pattern, names, required in self.regexes:
            if required is not None and not any(literal in text for literal in required):
                continue
            for found in pattern.finditer(text):
                if found.end() > found.start():
                    cues.append(Cue(label, found.start(), found.end(), names[found.lastgroup or "g0"]))
        cues.sort(key=lambda c: (c.start, c.end))
        return cues


@Language.factory("klimamaal_cues_v1")
def make_cue_marker(nlp: Language, name: str) -> CueMarker:
    return CueMarker()
