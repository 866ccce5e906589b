"""Benchmark: the comparison report over 1,000 documents and 50,000 targets (goal: under 10 s).

A synthetic corpus (98 municipalities, plans with versions, agendas restating targets, reviewed
decisions, three pages a document) is stored with bulk inserts; then ``build_report`` and
``write_report`` (HTML, XLSX, CSVs) run on it. The reference measured in the same run is the
existing CSV export of the same targets (``db.export.export_bytes``): the report's time is printed
as a ratio of it.

    .venv/bin/python benchmarks/bench_compare.py [--documents 1000] [--targets 50000] [--database postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from db.engine import session_factory  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.search import index_pages  # noqa: E402
from db.store import ensure_municipalities  # noqa: E402
from extractors.municipalities import all_municipalities  # noqa: E402
from extractors.target import SECTORS  # noqa: E402
from models import Document, Page, Target, TargetReview  # noqa: E402

WORDS = [
    "kommunen",
    "skal",
    "reducere",
    "udledningen",
    "af",
    "drivhusgasser",
    "fra",
    "transport",
    "energi",
    "bygninger",
    "affald",
    "landbrug",
    "borgere",
    "virksomheder",
    "samarbejde",
    "varmepumper",
    "fjernvarme",
    "solceller",
    "vindmøller",
    "cykelstier",
    "skov",
    "natur",
    "klimaneutral",
    "netto-nul",
    "fossilfri",
    "indsats",
    "plan",
    "mål",
    "handling",
    "borgerne",
    "byrådet",
    "vedtager",
]


def seed(url: str, documents: int, targets: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    municipalities = all_municipalities()
    sessions = session_factory(url)
    per_document = max(targets // documents, 1)
    with sessions.begin() as session:
        ensure_municipalities(session, [(m.code, m.name, m.region) for m in municipalities])
    for start in range(0, documents, 100):
        with sessions.begin() as session:
            for n in range(start, min(start + 100, documents)):
                m = municipalities[n % len(municipalities)]
                edition = n // len(municipalities)
                kind = "plan" if edition % 3 == 0 else "agenda"
                document = Document(
                    sha256=f"{rng.getrandbits(256):064x}",
                    source=f"https://www.kommune{m.code}.dk/{kind}-{n}.pdf",
                    source_key=f"https://www.kommune{m.code}.dk/{kind}-{n}.pdf",
                    title=f"{'Klimaplan' if kind == 'plan' else 'Byrådsmøde'} {2015 + edition} {m.name}",
                    kind=kind,
                    municipality_code=m.code,
                    published_on=dt.date(2015 + edition % 10, 1 + n % 12, 1),
                    status="extracted",
                    page_count=3,
                    size_bytes=1000,
                    extractor_version="bench",
                )
                session.add(document)
                session.flush()
                texts = [
                    "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(6))
                    for _ in range(3)
                ]
                page_ids = session.scalars(
                    insert(Page).returning(Page.id, sort_by_parameter_order=True),
                    [
                        {"document_id": document.id, "number": i + 1, "start_offset": i * 2000, "text": t}
                        for i, t in enumerate(texts)
                    ],
                ).all()
                index_pages(session, list(zip(page_ids, texts, strict=True)))
                rows = []
                for k in range(per_document):
                    year = rng.choice((2025, 2030, 2030, 2035, 2040, 2050))
                    value = float(rng.randrange(10, 100))
                    sector = rng.choice((None, *SECTORS))
                    direction = rng.choice(("reduce", "reduce", "neutral", "increase"))
                    quote = f"Udledningen {sector or ''} skal reduceres med {value:g} % i {year} ({k % 40})."
                    rows.append(
                        {
                            "document_id": document.id,
                            "origin": "machine",
                            "page_number": 1 + k % 3,
                            "start": k * 10,
                            "end": k * 10 + len(quote),
                            "rule_ids": ["bench"],
                            "confidence": 0.9,
                            "band": "target" if k % 10 else "suggestion",
                            "kind": "resource" if k % 25 == 0 else "outcome",
                            "quote": quote,
                            "value": value,
                            "unit": "%",
                            "direction": direction,
                            "target_year": year,
                            "baseline_year": rng.choice((None, 1990, 2005)),
                            "sector": sector,
                            "scope": rng.choice(("area", "organisation", None)),
                            "strength": rng.choice(("binding", "intent", "aspiration", None)),
                            "metric": "drivhusgasudledning",
                            "interim": False,
                            "ocr": False,
                            "status": "accepted" if k % 7 == 0 else "pending",
                            "revision": 1 if k % 7 == 0 else 0,
                        }
                    )
                session.execute(insert(Target), rows)
        with sessions.begin() as session:
            accepted = session.scalars(
                select(Target).where(
                    Target.status == "accepted", Target.id.not_in(select(TargetReview.target_id))
                )
            ).all()
            session.execute(
                insert(TargetReview),
                [
                    {
                        "target_id": t.id,
                        "reviewer": "bench",
                        "action": "accept",
                        "before": {},
                        "after": {"value": t.value},
                        "created_at": dt.datetime(2026, 1, 1),
                    }
                    for t in accepted
                ],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--targets", type=int, default=50_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="klimamaal-bench-compare-"))
    cluster = None
    if args.database == "postgresql":
        from tests.pgcluster import start_cluster

        cluster = start_cluster()
    try:
        url = cluster.create_database() if cluster else f"sqlite:///{folder / 'k.db'}"
        upgrade(url)
        started = time.perf_counter()
        seed(url, args.documents, args.targets)
        print(
            f"seeded {args.documents} documents, {args.targets} targets in {time.perf_counter() - started:.1f} s"
        )
        run(url, folder)
    finally:
        if cluster is not None:
            cluster.stop()


def run(url: str, folder: Path) -> None:
    from analysis.report import build_report
    from analysis.writers import write_report
    from db.export import export_bytes

    sessions = session_factory(url)
    with sessions() as session:
        count = session.query(Target).count()
        documents = session.query(Document).count()
        started = time.perf_counter()
        export_bytes(session, "csv", ("pending", "accepted", "edited", "rejected"))
        reference = time.perf_counter() - started
    timings = {}
    with sessions() as session:
        started = time.perf_counter()
        report = build_report(session, parallel=True)  # as klimamaal compare runs it
        timings["build"] = time.perf_counter() - started
    started = time.perf_counter()
    write_report(report, folder / "report")
    timings["write"] = time.perf_counter() - started
    total = timings["build"] + timings["write"]
    print(f"database: {url.split(':')[0]}, documents {documents}, targets stored {count}")
    print(f"report: {len(report.commitments)} targets counted once, {len(report.shared)} shared passages")
    print(f"reference (CSV export of the same targets): {reference:.2f} s")
    print(
        f"report build {timings['build']:.2f} s + write {timings['write']:.2f} s = {total:.2f} s (goal < 10 s)"
    )
    print(f"ratio report / reference export: {total / reference:.2f}")


if __name__ == "__main__":
    main()
