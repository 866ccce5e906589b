"""Shared language: passages that plans of different municipalities share nearly word for word.

Each passage (a paragraph of a stored page, at least ``MIN_WORDS`` words) is a set of word 3-shingles
after folding case and punctuation. datasketch's MinHash LSH (64 permutations) proposes pairs whose
Jaccard similarity is likely at least ``CANDIDATE_THRESHOLD``; each proposed pair is then checked exactly
against ``THRESHOLD`` on the shingle sets, so no pair below the threshold is ever reported (LSH only finds candidates). Pairs join
into groups (union-find); a group is reported when it spans at least two municipalities.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from datasketch import MinHash, MinHashLSH

#: The Jaccard similarity of word 3-shingles from which two passages count as shared.
THRESHOLD = 0.8
#: LSH proposes pairs from this (lower) similarity on, so that pairs just above THRESHOLD are not lost to
#: its false negatives; the exact check then keeps only those at THRESHOLD or above.
CANDIDATE_THRESHOLD = 0.5
SHINGLE = 3
MIN_WORDS = 20
NUM_PERM = 64
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    words = _WORD.findall(text.casefold())
    return {" ".join(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass(frozen=True)
class Passage:
    municipality_code: int
    document_id: int
    document_title: str
    page: int
    text: str


@dataclass(frozen=True)
class SharedGroup:
    passages: tuple[Passage, ...]
    min_similarity: float

    @property
    def municipality_codes(self) -> tuple[int, ...]:
        return tuple(sorted({p.municipality_code for p in self.passages}))

    @property
    def text(self) -> str:
        return self.passages[0].text


class SharedJob:
    """:func:`shared_groups`, run in a forked process while the caller computes the rest of a report.

    Only where asked (the command line: a web server's threads must not fork) and where the platform
    forks; otherwise it runs at once, in this process. The child needs nothing but the passages it
    shares with this process by the fork, and sends back only the groups.
    """

    def __init__(self, passages: Sequence[Passage], parallel: bool = False) -> None:
        self._groups: list[SharedGroup] | None = None
        self._process = None
        if not parallel or "fork" not in multiprocessing.get_all_start_methods():
            self._groups = shared_groups(passages)
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_groups, args=(passages, send), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> list[SharedGroup]:
        if self._groups is None:
            assert self._process is not None
            try:
                self._groups = self._receive.recv()
            except EOFError as exc:
                raise RuntimeError(
                    f"the shared-language process failed (exit code {self._process.exitcode})"
                ) from exc
            finally:
                self._process.join()
        return self._groups


def _send_groups(passages: Sequence[Passage], send: Any) -> None:
    send.send(shared_groups(passages))
    send.close()


def paragraphs(text: str) -> Iterable[str]:
    for part in re.split(r"\n\s*\n", text):
        part = " ".join(part.split())
        if len(_WORD.findall(part)) >= MIN_WORDS:
            yield part


def shared_groups(passages: Sequence[Passage], threshold: float = THRESHOLD) -> list[SharedGroup]:
    sets = [shingles(p.text) for p in passages]
    hashes = MinHash.bulk(
        [[s.encode("utf-8") for s in shingle_set] for shingle_set in sets], num_perm=NUM_PERM
    )
    lsh = MinHashLSH(threshold=min(CANDIDATE_THRESHOLD, threshold), num_perm=NUM_PERM)
    parent = list(range(len(passages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    similarity: dict[int, float] = {}
    for i, minhash in enumerate(hashes):
        for j in lsh.query(minhash):
            if passages[i].municipality_code == passages[j].municipality_code and root(i) == root(j):
                continue
            value = jaccard(sets[i], sets[j])
            if value >= threshold:
                a, b = root(i), root(j)
                if a != b:
                    parent[b] = a
                for k in (i, j):
                    similarity[k] = min(similarity.get(k, 1.0), value)
        lsh.insert(i, minhash)
    members: dict[int, list[int]] = {}
    for i in similarity:
        members.setdefault(root(i), []).append(i)
    groups = []
    for indices in members.values():
        group = tuple(passages[i] for i in sorted(indices))
        if len({p.municipality_code for p in group}) >= 2:
            groups.append(SharedGroup(group, min(similarity[i] for i in indices)))
    groups.sort(key=lambda g: (-len(g.municipality_codes), g.text))
    return groups
