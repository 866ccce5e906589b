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
from itertools import accumulate, compress, count
from operator import attrgetter
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from extractors.caseless import compile_folded, fold
from extractors.components.types import DENIAL_PREFIX, Cue, doc_text, load_jsonl, set_ext
from extractors.regex_source import top_level_alternatives

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
            single = len(top_level_alternatives(regex)) == 1
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
#: The order of :meth:`CueMarker.find`'s result.
_SPAN = attrgetter("start", "end")


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


class _StartsHere(NamedTuple):
    """The longer patterns a word may start, as one pattern (see :meth:`CueMarker._together`)."""

    pattern: re.Pattern[str]
    #: (group index, label, rule id) of each pattern, in the order they are tried
    groups: tuple[tuple[int, str, str], ...]


#: A word of a chunk: start and end in the chunk, its single-word cues, the longer patterns it may start
#: and those together (or None).
_Entry = tuple[int, int, tuple[tuple[str, str], ...], tuple[int, ...], "_StartsHere | None"]


class CueMarker:
    """Runs the cue patterns.

    Each distinct word is classified once (cached): which single-token patterns
    it satisfies and which longer patterns it may start. A longer pattern is then
    tried with ``regex.match`` only where its first word stands. Patterns that do
    not start with a ``LOWER`` token are scanned with one regex per label.

    A text is read per space-separated chunk of its lower case: what each chunk
    holds (its cue words, with the longer patterns they may start as one combined
    pattern) is cached too, so most of a text's words cost a dict lookup in C.
    """

    def __init__(self, patterns: str = "cues.jsonl") -> None:
        self.single: list[tuple[str, str, Any]] = []
        self.single_specs: list[dict[str, Any]] = []
        self.multi_specs: list[dict[str, Any]] = []
        self.multi: list[tuple[str, str, Any, re.Pattern[str], re.Pattern[str] | None]] = []
        scanned: dict[str, list[tuple[str, list[dict[str, Any]]]]] = {}
        self.cache: dict[str, tuple[tuple[tuple[str, str], ...], tuple[int, ...]]] = {}
        #: space-separated chunk of lower-cased text -> its cue words (see :meth:`_chunk`)
        self.chunks: dict[str, tuple[_Entry, ...]] = {"": ()}
        #: the longer patterns a word may start -> those as one pattern (see :meth:`_together`)
        self.together: dict[tuple[int, ...], _StartsHere | None] = {}
        for entry in load_jsonl(patterns):
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
        #: whether the file has ``NOT_<label>`` patterns (see :func:`without_denied`)
        self.denies = any(entry["label"].startswith(DENIAL_PREFIX) for entry in load_jsonl(patterns))

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
        # longer patterns run as their case-folded twins on the lower-cased text where that is the same
        low = fold(text)
        # the words of the lower-cased text are the lower-cased words, but for the final sigma rule
        if low is not None and "Σ" not in text:
            cues = self._chunk_cues(text, low)
            in_order = len(cues)  # how many cues at the front are in order already
        else:
            cues = self._word_cues(text, low)
            in_order = 0
        for label, pattern, names, required in self.regexes:
            if required is not None and not any(map(text.__contains__, required)):
                continue
            for found in pattern.finditer(text):
                if found.end() > found.start():
                    cues.append(Cue(label, found.start(), found.end(), names[found.lastgroup or "g0"]))
        if len(cues) > max(in_order, 1):
            cues.sort(key=_SPAN)
        return without_denied(cues) if self.denies else cues

    def _chunk_cues(self, text: str, low: str) -> list[Cue]:
        """The word cues of the lower-cased text, read per space-separated chunk, in order of (start, end).

        Equals :meth:`_word_cues` on ``low``: a space separates words, so every word lies inside
        one chunk of ``low.split(" ")``, and the words of a chunk are those of the text there.
        What a chunk holds is cached (:meth:`_chunk`), so a unit costs a split, a dict lookup per
        chunk in C and Python work only on the chunks that hold a cue word or a pattern's start.
        """
        chunks = low.split(" ")
        found = list(map(self.chunks.get, chunks))
        if None in found:
            found = [
                self._chunk(chunk) if hit is None else hit for chunk, hit in zip(chunks, found, strict=True)
            ]
        cues: list[Cue] = []
        if not any(found):
            return cues
        # chunk j starts after the j chunks and j spaces before it
        offsets = list(accumulate(map(len, chunks), initial=0))
        longer = False
        for j in compress(count(), found):
            base = offsets[j] + j
            for start, end, singles, starts, together in found[j]:
                start += base
                for label, rule_id in singles:
                    cues.append(Cue(label, start, end + base, rule_id))
                if together is not None:
                    found_here = together.pattern.match(low, start)
                    if found_here is None:
                        continue
                    longer = True
                    regs = found_here.regs
                    for group, label, rule_id in together.groups:
                        stop = regs[group][1]
                        if stop > start:
                            cues.append(Cue(label, start, stop, rule_id))
                elif starts:
                    longer = True
                    self._match_each(starts, text, low, start, cues)
        # in order of start already (words in order, a word's cues start where it does), but a word's
        # longer cues may end before its own or one another's
        if longer:
            cues.sort(key=_SPAN)
        return cues

    def _match_each(
        self, starts: tuple[int, ...], text: str, low: str | None, pos: int, cues: list[Cue]
    ) -> None:
        """Try each longer pattern of ``starts`` at ``pos`` (folded on ``low`` where it can), adding the hits."""
        for i in starts:
            label, rule_id, _, full, folded = self.multi[i]
            if low is not None and folded is not None:
                found = folded.match(low, pos)
            else:
                found = full.match(text, pos)
            if found and found.end() > found.start():
                cues.append(Cue(label, found.start(), found.end(), rule_id))

    def _together(self, starts: tuple[int, ...]) -> _StartsHere | None:
        """The folded twins of ``starts`` as one pattern, or None (no patterns, or one without a twin).

        A single twin is that pattern itself (group 0 its match). Several are a lookahead per
        pattern, ``(?=(?P<cK>twin)|)``: each always succeeds, capturing the twin's first match
        where it has one, so one ``match`` at a word reports what a ``match`` of each twin there
        would (the same span, or an unset group for none); a final test makes it fail (None)
        where none of them matched.
        """
        if starts in self.together:
            return self.together[starts]
        twins = [self.multi[i][4] for i in starts]
        together = None
        if len(starts) == 1 and twins[0] is not None:
            # group 0, the whole match
            together = _StartsHere(twins[0], ((0, self.multi[starts[0]][0], self.multi[starts[0]][1]),))
        elif starts and all(twin is not None for twin in twins):
            source = "".join(f"(?=(?P<c{k}>{twin.pattern})|)" for k, twin in enumerate(twins))
            # and fail unless one of them matched ("(?(c0)|(?(c1)|(?!)))"), the usual case, told by None
            source += "".join(f"(?(c{k})|" for k in range(len(twins))) + "(?!)" + ")" * len(twins)
            pattern = re.compile(source)
            groups = tuple(
                (pattern.groupindex[f"c{k}"], self.multi[i][0], self.multi[i][1])
                for k, i in enumerate(starts)
            )
            together = _StartsHere(pattern, groups)
        self.together[starts] = together
        return together

    def _chunk(self, chunk: str) -> tuple[_Entry, ...]:
        """The words of a lower-cased chunk that are cues or start one: (start, end, singles, starts,
        starts together), offsets within the chunk; an empty tuple (false) for the many chunks without any."""
        cache = self.cache
        entries = []
        for m in _TOKEN.finditer(chunk):
            word = m.group()
            hit = cache.get(word)
            if hit is None:
                hit = self._classify(word)
            if hit is not _NOTHING:
                singles, starts = hit
                entries.append((m.start(), m.end(), singles, starts, self._together(starts)))
        if len(self.chunks) > _CACHE_LIMIT:
            self.chunks.clear()
            self.chunks[""] = ()
        found = self.chunks[chunk] = tuple(entries)
        return found

    def _word_cues(self, text: str, low: str | None) -> list[Cue]:
        """The word cues, walking every word: for a text whose lower case is not word for word the
        lower-cased words ("İ", "ı", "ſ" or "Σ" in it)."""
        cache = self.cache
        cues: list[Cue] = []
        for m in _TOKEN.finditer(text):
            word = m.group().lower()
            hit = cache.get(word)
            if hit is None:
                hit = self._classify(word)
            if hit is _NOTHING:
                continue
            singles, starts = hit
            if singles:
                start, end = m.span()
                cues.extend(Cue(label, start, end, rule_id) for label, rule_id in singles)
            self._match_each(starts, text, low, m.start(), cues)
        return cues


def without_denied(found: list[Cue]) -> list[Cue]:
    """``found`` without its ``NOT_<label>`` spans and the ``<label>`` words inside them.

    A pattern labelled ``NOT_<label>`` marks words that hold a ``<label>`` word but do not mean it:
    "cirkulær økonomi" is about waste, not money, though "økonomi" alone is money; "kommunen som
    virksomhed" is the municipality's own organisation, though "virksomhed" alone is another body.
    Such a span cancels the ``<label>`` words inside it and is not a cue itself. (A word pattern cannot
    see its neighbour, and listing every word but the ones after "cirkulær" would copy the patterns.)
    """
    denials = [c for c in found if c.label.startswith(DENIAL_PREFIX)]
    if not denials:
        return found
    return [
        c
        for c in found
        if not c.label.startswith(DENIAL_PREFIX)
        and not any(
            d.label[len(DENIAL_PREFIX) :] == c.label and d.start <= c.start and c.end <= d.end
            for d in denials
        )
    ]


@Language.factory("klimamaal_cues_v1")
def make_cue_marker(nlp: Language, name: str) -> CueMarker:
    return CueMarker()
