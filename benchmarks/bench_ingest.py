"""Ingest speed and memory on a generated 300-page plan PDF.

Prints, in one run: pages/s of the whole ingest (read, parse, extract, store
into a fresh SQLite file), pages/s of pdfplumber's bare ``extract_text`` over
the same file, their ratio, seconds per stage, and the peak resident memory of
each (each measured in its own child process, so one does not inflate the other).

    .venv/bin/python benchmarks/bench_ingest.py [--pages 300]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = [
    "Senest i {y} er CO₂-udledningen fra kommunens bygninger reduceret med {p} % i forhold til {b}.",
    "Kommunen arbejder for en grøn omstilling af transporten i hele kommunen.",
    "I {b} var den samlede udledning {n}.{m} tons CO₂e, hvoraf transport stod for {p} %.",
    "Andelen af elbiler i den kommunale flåde skal udgøre mindst {p} % i {y}.",
    "Indsatsen gennemføres i samarbejde med forsyningsselskaberne og lokale virksomheder.",
    "Vi vil plante {n} hektar ny skov frem mod {y}.",
    "Erfaringerne fra projektet viser, at borgerne gerne vil være med til at spare på energien.",
]


def make_plan(path: Path, pages: int, seed: int = 7) -> None:
    """A plan PDF with running headers and footers, headings and body text on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(50, height - 30, "Klimahandleplan 2025-2030 | Eksempel Kommune")
        pdf.drawString(width - 90, 30, f"Side {number}")
        pdf.setFont("Helvetica-Bold", 13)
        pdf.drawString(50, height - 70, f"{number}. Indsatsområde {number}")
        pdf.setFont("Helvetica", 10)
        y = height - 100
        while y > 70:
            sentence = rng.choice(SENTENCES).format(
                y=rng.choice([2025, 2030, 2035, 2050]),
                p=rng.randint(5, 90),
                b=rng.choice([1990, 2010, 2019]),
                n=rng.randint(1, 400),
                m=rng.randint(100, 999),
            )
            for start in range(0, len(sentence), 95):
                pdf.drawString(50, y, sentence[start : start + 95])
                y -= 14
            y -= 4
        pdf.showPage()
    pdf.save()


def child_bare(path: str) -> dict[str, float]:
    import pdfplumber

    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        pages = 0
        for page in pdf.pages:
            page.extract_text()
            page.close()
            pages += 1
    return {"seconds": time.perf_counter() - started, "pages": pages}


def child_ingest(path: str) -> dict[str, float]:
    from db.engine import session_factory
    from db.migrate import upgrade
    from extractors import extract_targets, extractor_version
    from klimamaal.ingest import discover, ingest_source, seed_municipalities

    extract_targets("Opvarmning.")  # build the spaCy pipeline outside the measured time
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    sessions = session_factory(url)
    seed_municipalities(sessions)
    (source,) = discover([path])
    started = time.perf_counter()
    outcome = ingest_source(sessions, source, extract_targets, extractor_version())
    total = time.perf_counter() - started
    if outcome.status != "new":
        raise SystemExit(f"ingest failed: {outcome.error}")
    return {"seconds": total, "pages": outcome.pages, "targets": outcome.targets, **outcome.seconds}


def run_child(kind: str, path: Path) -> dict[str, float]:
    code = (
        f"import json, resource, sys; sys.path.insert(0, {str(ROOT)!r}); "
        f"from benchmarks.bench_ingest import child_{kind}; "
        f"r = child_{kind}({str(path)!r}); "
        "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(r))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.pdf"
        make_plan(path, args.pages)
        bare = run_child("bare", path)
        ingest = run_child("ingest", path)
    bare_rate = bare["pages"] / bare["seconds"]
    ingest_rate = ingest["pages"] / ingest["seconds"]
    print(f"file: generated plan, {int(ingest['pages'])} pages, {int(ingest['targets'])} targets found")
    print(f"pdfplumber extract_text: {bare_rate:8.1f} pages/s   peak {bare['peak_mb']:6.0f} MB")
    print(f"klimamaal ingest:        {ingest_rate:8.1f} pages/s   peak {ingest['peak_mb']:6.0f} MB")
    print(f"ratio ingest / bare:     {ingest_rate / bare_rate:8.2f}")
    stages = ", ".join(f"{k} {ingest[k]:.2f} s" for k in ("read", "parse", "extract", "store") if k in ingest)
    print(f"stages: {stages} (total {ingest['seconds']:.2f} s)")
    print(f"peak memory goal < 300 MB: {'met' if ingest['peak_mb'] < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
