"""Benchmark: full-text search over 100,000 pages on SQLite and PostgreSQL (goal: p95 under 50 ms).

Pages of about 250 words are drawn from a Zipf-like vocabulary of plan words and compounds, so that
some query words stand on nearly every page. A fixed list of queries (frequent words on nearly
every page, middling and rare words, a word on one page in a thousand, a compound part, a phrase, two words) runs ``db.search.search`` (limit 20) repeatedly after
one warm-up pass; the reference measured in the same run is fetching one page by its id.

    .venv/bin/python benchmarks/bench_search.py [--pages 100000] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from db.engine import refresh_statistics, session_factory  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.search import index_pages, search  # noqa: E402
from db.store import ensure_municipalities  # noqa: E402
from extractors.municipalities import all_municipalities  # noqa: E402
from models import Document, Page  # noqa: E402

VOCABULARY = [
    "kommunen",
    "og",
    "i",
    "at",
    "det",
    "er",
    "til",
    "med",
    "for",
    "på",
    "af",
    "skal",
    "vil",
    "klima",
    "udledningen",
    "energi",
    "varme",
    "transport",
    "borgere",
    "virksomheder",
    "samarbejde",
    "mål",
    "plan",
    "indsats",
    "handling",
    "reducere",
    "2030",
    "procent",
    "bygninger",
    "affald",
    "vand",
    "natur",
    "fjernvarme",
    "varmepumper",
    "solceller",
    "vindmøller",
    "cykelstier",
    "elbiler",
    "ladestandere",
    "biogas",
    "skov",
    "landbrug",
    "drivhusgasudledningen",
    "CO₂-udledningen",
    "klimaneutral",
    "netto-nul",
    "fossilfri",
    "affaldssortering",
    "genanvendelse",
    "energirenovering",
    "klimatilpasning",
    "regnvandsbassiner",
    "lavbundsjorde",
    "biogasanlæg",
    "havvindmøller",
]
QUERIES = (
    "kommunen",
    "klima",
    "udledning",
    "varmepumper",
    "netto-nul",
    "fjernvarme",
    "lavbundsjorde",
    "biogasanlæg",
    "gas",
    "reducere udledningen",
    "solceller vindmøller",
    "vindmøller",
    "skjoldnæsholm",
)
#: A word on one page in a thousand: a rare term.
RARE = "Skjoldnæsholm"
RUNS = 20


def seed(url: str, pages: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    municipalities = all_municipalities()
    sessions = session_factory(url)
    with sessions.begin() as session:
        ensure_municipalities(session, [(m.code, m.name, m.region) for m in municipalities])
    per_document = 100
    for start in range(0, pages, 5000):
        with sessions.begin() as session:
            for d in range(start // per_document, min(start + 5000, pages) // per_document):
                m = municipalities[d % len(municipalities)]
                document = Document(
                    sha256=f"{rng.getrandbits(256):064x}",
                    source=f"https://www.kommune{m.code}.dk/plan-{d}.pdf",
                    source_key=f"https://www.kommune{m.code}.dk/plan-{d}.pdf",
                    title=f"Plan {d} {m.name}",
                    kind=("plan", "agenda", "strategy")[d % 3],
                    municipality_code=m.code,
                    published_on=dt.date(2024, 1, 1),
                    status="extracted",
                    page_count=per_document,
                    size_bytes=1000,
                )
                session.add(document)
                session.flush()
                texts = [
                    " ".join(rng.choices(VOCABULARY, weights, k=250))
                    + (f" {RARE}." if rng.random() < 0.001 else ".")
                    for _ in range(per_document)
                ]
                ids = session.scalars(
                    insert(Page).returning(Page.id, sort_by_parameter_order=True),
                    [
                        {"document_id": document.id, "number": i + 1, "start_offset": 0, "text": t}
                        for i, t in enumerate(texts)
                    ],
                ).all()
                index_pages(session, list(zip(ids, texts, strict=True)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(url: str, pages: int) -> None:
    upgrade(url)
    started = time.perf_counter()
    seed(url, pages)
    sessions = session_factory(url)
    engine = sessions.kw["bind"]
    refresh_statistics(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")  # what autovacuum keeps up on a live database
    print(f"{url.split(':')[0]}: seeded and indexed {pages} pages in {time.perf_counter() - started:.0f} s")
    with sessions() as session:
        n = session.execute(text("SELECT count(*) FROM pages")).scalar_one()
        for query in QUERIES:  # warm-up
            search(session, query)
        reference = []
        for i in range(RUNS * len(QUERIES)):
            t = time.perf_counter()
            session.execute(
                text("SELECT text FROM pages WHERE id = :id"), {"id": 1 + (i * 7919) % n}
            ).scalar_one()
            reference.append(time.perf_counter() - t)
        every: list[float] = []
        for query in QUERIES:
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                hits = search(session, query)
                times.append(time.perf_counter() - t)
            every += times
            print(
                f"  {query!r:26} hits {len(hits):2}  p50 {statistics.median(times) * 1000:6.1f} ms"
                f"  p95 {percentile(times, 0.95) * 1000:6.1f} ms"
            )
    p95 = percentile(every, 0.95)
    ref95 = percentile(reference, 0.95)
    print(
        f"  all queries: p50 {statistics.median(every) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (goal < 50 ms)"
    )
    print(
        f"  reference (one page by id): p95 {ref95 * 1000:.2f} ms; ratio p95 search / reference {p95 / ref95:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="klimamaal-bench-search-"))
    if args.database in ("sqlite", "both"):
        measure(f"sqlite:///{folder / 'k.db'}", args.pages)
    if args.database in ("postgresql", "both"):
        from tests.pgcluster import start_cluster

        cluster = start_cluster()
        try:
            measure(cluster.create_database(), args.pages)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
