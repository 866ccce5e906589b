"""Full-text search over stored pages, with Danish stemming and the parts of compounds.

- **SQLite**: an FTS5 table ``page_search`` (rowid = page id) holds each page's words as Snowball
  (Danish) stems, computed here with PyStemmer; the query's words are stemmed the same way.
- **PostgreSQL**: ``pages.search_vector`` holds ``to_tsvector('danish', text || ' ' || search_parts)``
  with a GIN index; PostgreSQL's own Danish Snowball stemmer does the stemming, on both sides.

A word on most pages ("kommunen") matches tens of thousands of pages; ranking all of them would
cost a score each. The matches are taken newest page first, and the first ``RANK_CANDIDATES`` are
ranked (bm25 on SQLite, ``ts_rank`` on PostgreSQL): a rare word's matches are all ranked.

Danish writes compounds as one word ("drivhusgasudledningen"); neither FTS5 nor PostgreSQL splits
them, so "udledning" would not find it. :func:`compound_parts` splits a word into the parts it ends
with that are in a list of words plans join (``db/data/compound_parts.txt``), letting a linking
"s" or "e" go, and the parts become part of the page's searchable words (``pages.search_parts``, which
both databases index). Written here because no maintained Danish decompounder exists on PyPI (the
decompounders there are for German, or need a trained model), and a list of the domain's words is
what a search over climate plans needs. Hyphenated compounds ("CO₂-udledningen") are split by both
tokenisers already.

A page's ``search_parts`` is NULL until it is indexed (an empty string when it has no parts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import Stemmer
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from models import Page

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_COMPOUND = 7
MIN_PART = 3
MIN_REST = 5
LINKS = ("s", "e")
CONTEXT = 90
#: A query matching more pages than this ranks the most recently stored of them (highest page ids): ranking
#: every page that holds "kommunen" would cost a score for each of 100,000 pages.
RANK_CANDIDATES = 1000


#: SQLite's FTS5 table (and the shadow tables it keeps) and PostgreSQL's expression index: made by the
#: migration, not by the models (neither can be declared there for both databases).
FTS_TABLE = "page_search"
PG_INDEX = "ix_pages_search"


def is_schema_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's ``include_object``: leave the search index's objects out of comparisons with the models."""
    if not reflected or name is None:
        return True
    return not ((type_ == "table" and name.startswith(FTS_TABLE)) or (type_ == "index" and name == PG_INDEX))


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("danish")


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """Lower-case words after NFKC ("CO₂" becomes "co2")."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@cache
def _lexicon() -> frozenset[str]:
    source = resources.files("db") / "data" / "compound_parts.txt"
    entries = [line.strip() for line in source.read_text(encoding="utf-8").splitlines()]
    return frozenset(stem(w) for w in entries if w and not w.startswith("#") and len(w) >= MIN_PART)


@cache
def compound_parts(word: str) -> tuple[str, ...]:
    """The known parts of a compound: "drivhusgasudledningen" -> ("udledningen", "drivhusgas", "gas",
    "drivhus"); "affaldsmængden" -> ("affalds", "mængden").

    The longest known head is taken and the rest (less a linking s/e) is split again; a word with no
    known head but a known first part gives that part and the rest (of at least ``MIN_REST`` letters).
    """
    if len(word) < MIN_COMPOUND:
        return ()
    lexicon = _lexicon()
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        head = word[i:]
        if stem(head) not in lexicon:
            continue
        parts = [head]
        modifier = word[:i]
        for candidate in _without_link(modifier):
            if stem(candidate) in lexicon:
                parts.append(candidate)
                parts.extend(compound_parts(candidate))
                break
            sub = compound_parts(candidate)
            if sub:
                parts.extend(sub)
                break
        return tuple(dict.fromkeys(parts))
    for i in range(len(word) - MIN_REST, MIN_PART - 1, -1):
        if stem(word[:i]) in lexicon or word[:i] in lexicon:
            rest = word[i:]
            if rest[0] in LINKS and len(rest) - 1 >= MIN_REST:
                rest = rest[1:]
            return (word[:i], rest)
    return ()


def _without_link(modifier: str) -> list[str]:
    return [modifier] + [
        modifier[:-1] for link in LINKS if modifier.endswith(link) and len(modifier) > MIN_PART
    ]


def search_parts(page_text: str) -> str:
    """The parts of the page's compounds, space-separated (what ``pages.search_parts`` holds)."""
    found: dict[str, None] = {}
    for word in set(words(page_text)):
        for part in compound_parts(word):
            found[part] = None
    return " ".join(sorted(found))


def stems(page_text: str, parts: str) -> str:
    """The page's words and compound parts as Danish stems, in text order (what SQLite's FTS5 indexes)."""
    return " ".join(_stemmer().stemWords([*words(page_text), *parts.split()]))


def index_pages(connection: Connection | Session, pages: Iterable[tuple[int, str]]) -> int:
    """Index pages given as (id, text): their compound parts on ``pages``, their stems in FTS5 (SQLite)."""
    bind = connection.get_bind() if isinstance(connection, Session) else connection
    sqlite = bind.dialect.name == "sqlite"
    rows = []
    for page_id, page_text in pages:
        parts = search_parts(page_text)
        rows.append({"pid": page_id, "parts": parts, "stems": stems(page_text, parts) if sqlite else ""})
    if not rows:
        return 0
    if sqlite:
        connection.execute(text("UPDATE pages SET search_parts = :parts WHERE id = :pid"), rows)
    else:
        connection.execute(
            text(
                "UPDATE pages SET search_parts = :parts, "
                "search_vector = to_tsvector('danish'::regconfig, text || ' ' || :parts) WHERE id = :pid"
            ),
            rows,
        )
    if sqlite:
        connection.execute(text("DELETE FROM page_search WHERE rowid = :pid"), rows)
        connection.execute(text("INSERT INTO page_search (rowid, stems) VALUES (:pid, :stems)"), rows)
    return len(rows)


def index_missing(session: Session, batch: int = 500) -> int:
    """Index every page not indexed yet (stored before the search migration, or by an older klimamaal)."""
    done = 0
    while True:
        rows = session.execute(
            select(Page.id, Page.text).where(Page.search_parts.is_(None)).order_by(Page.id).limit(batch)
        ).all()
        if not rows:
            return done
        done += index_pages(session, [(r.id, r.text) for r in rows])
        session.commit()


@dataclass(frozen=True)
class Hit:
    document_id: int
    document: str
    municipality: str | None
    kind: str | None
    page: int
    before: str
    match: str
    after: str
    rank: float

    @property
    def link(self) -> str:
        return f"/documents/{self.document_id}/pages/{self.page}"


def _query_groups(query: str) -> list[list[str]]:
    """The query as groups of words: each space-separated token (a hyphenated one is a phrase)."""
    groups = []
    for token in query.replace('"', " ").split():
        group = words(token)
        if group:
            groups.append(group)
    return groups


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression: every group must occur; a group of several words is a phrase."""
    return " AND ".join('"' + " ".join(stem(w) for w in group) + '"' for group in _query_groups(query))


def _context(page_text: str, query: str) -> tuple[str, str, str]:
    """The first place in the page where a word of the query (or a compound ending in it) stands."""
    wanted = {stem(w) for group in _query_groups(query) for w in group}
    normalised = unicodedata.normalize("NFKC", page_text)
    for match in _WORD.finditer(normalised):
        word = match.group().casefold()
        if stem(word) in wanted or any(stem(p) in wanted for p in compound_parts(word)):
            start, end = match.span()
            lo, hi = max(0, start - CONTEXT), min(len(normalised), end + CONTEXT)
            return (
                ("…" if lo else "") + " ".join(normalised[lo:start].split()) + " ",
                match.group(),
                " " + " ".join(normalised[end:hi].split()) + ("…" if hi < len(normalised) else ""),
            )
    return "", "", " ".join(normalised[: 2 * CONTEXT].split())


def search(
    session: Session,
    query: str,
    *,
    municipality: str | None = None,
    kind: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Pages of current documents that hold every word of ``query`` (stemmed, compounds split), best first."""
    if not _query_groups(query):
        return []
    sqlite = session.get_bind().dialect.name == "sqlite"
    params: dict[str, object] = {"limit": limit}
    filters = ["d.superseded_at IS NULL"]
    if municipality:
        if municipality.strip().isdigit():
            filters.append("d.municipality_code = :code")
            params["code"] = int(municipality)
        else:
            name = municipality.strip().lower().removesuffix(" kommune")
            filters.append("(lower(m.name) = :name OR lower(m.name) = :name || ' kommune')")
            params["name"] = name
    if kind:
        filters.append("d.kind = :kind")
        params["kind"] = kind
    params["cap"] = RANK_CANDIDATES
    if sqlite:
        params["match"] = fts5_query(query)
        matched = (
            "SELECT page_search.rowid AS pid, bm25(page_search) AS rank FROM page_search "
            "JOIN pages p ON p.id = page_search.rowid JOIN documents d ON d.id = p.document_id "
            "LEFT JOIN municipalities m ON m.code = d.municipality_code "
            f"WHERE page_search MATCH :match AND {' AND '.join(filters)} ORDER BY page_search.rowid DESC LIMIT :cap"
        )
    else:
        # psycopg prepares a statement it has run five times, and PostgreSQL may then plan it once for any
        # query: a plan for a rare word (scan the GIN index, sort) then serves "kommunen" too, at 150 ms.
        # A plan per query lets the planner walk the newest pages instead when the word is frequent.
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        params["q"] = query
        tsquery = "websearch_to_tsquery('danish'::regconfig, :q)"
        matched = (
            f"SELECT p.id AS pid, -ts_rank(p.search_vector, {tsquery}) AS rank FROM pages p "
            "JOIN documents d ON d.id = p.document_id LEFT JOIN municipalities m ON m.code = d.municipality_code "
            f"WHERE p.search_vector @@ {tsquery} AND {' AND '.join(filters)} ORDER BY p.id DESC LIMIT :cap"
        )
    statement = text(
        "SELECT p.number, p.text, d.id AS doc_id, d.title, d.source, d.kind, m.name, s.rank "
        f"FROM ({matched}) s JOIN pages p ON p.id = s.pid JOIN documents d ON d.id = p.document_id "
        "LEFT JOIN municipalities m ON m.code = d.municipality_code ORDER BY s.rank, p.id LIMIT :limit"
    )
    hits = []
    for row in session.execute(statement, params):
        before, match, after = _context(row.text, query)
        hits.append(
            Hit(
                row.doc_id,
                row.title or row.source,
                row.name,
                row.kind,
                row.number,
                before,
                match,
                after,
                float(row.rank),
            )
        )
    return hits
