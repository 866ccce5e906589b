"""Ingest speed and memory: whole ingest against pdfplumber and pypdfium2 reading the same file bare.

Prints, in one run:

- on the generated 300-page plan and on ``../shared/real/aarhus/`` (median of
  3 runs each, every run in its own child process): pages/s of the whole
  ingest (read, parse, extract, store into a fresh SQLite file), of
  pdfplumber's bare ``extract_text`` and of pypdfium2's bare ``get_text_range``,
  and the ratio ingest / pdfplumber (goal: at least 5);
- peak memory of the ingest of a generated 1,000-page PDF and of a generated
  200 MB text file, counting the worker processes: the sum of the resident
  memory of the ingest process and all its children, sampled every 20 ms
  (goal: at most 300 MB);
- with ``--html``, the reader's cost on HTML nested 10,000 and 100,000 levels
  deep, and their ratio (goal: at most 15; linear would be 10).

    .venv/bin/python benchmarks/bench_ingest.py [--pages 300] [--runs 3] [--skip-memory] [--html]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AARHUS = ROOT.parent / "shared" / "real" / "aarhus"

SENTENCES = [
    "Senest i {y} er CO₂-udledningen fra kommunens bygninger reduceret med {p} % i forhold til {b}.",
    "Kommunen arbejder for en grøn omstilling af transporten i hele kommunen.",
    "I {b} var den samlede udledning {n}.{m} tons CO₂e, hvoraf transport stod for {p} %.",
    "Andelen af elbiler i den kommunale flåde skal udgøre mindst {p} % i {y}.",
    "Indsatsen gennemføres i samarbejde med forsyningsselskaberne og lokale virksomheder.",
    "Vi vil plante {n} hektar ny skov frem mod {y}.",
    "Erfaringerne fra projektet viser, at borgerne gerne vil være med til at spare på energien.",
]


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        y=rng.choice([2025, 2030, 2035, 2050]),
        p=rng.randint(5, 90),
        b=rng.choice([1990, 2010, 2019]),
        n=rng.randint(1, 400),
        m=rng.randint(100, 999),
    )


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
            sentence = _sentence(rng)
            for start in range(0, len(sentence), 95):
                pdf.drawString(50, y, sentence[start : start + 95])
                y -= 14
            y -= 4
        pdf.showPage()
    pdf.save()


def make_text(path: Path, megabytes: int, seed: int = 7) -> None:
    """A plan as plain text of about ``megabytes`` MB: headings, paragraphs and target lists."""
    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    written = 0
    section = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            section += 1
            parts = [f"Indsatsområde {section}\n\n"]
            parts += [" ".join(_sentence(rng) for _ in range(4)) + "\n\n" for _ in range(3)]
            parts.append("Delmål:\n\n" + "".join(f"- {_sentence(rng)}\n" for _ in range(3)) + "\n")
            chunk = "".join(parts)
            out.write(chunk)
            written += len(chunk.encode("utf-8"))


def child_plumber(path: str) -> dict[str, float]:
    import pdfplumber

    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        pages = 0
        for page in pdf.pages:
            page.extract_text()
            page.close()
            pages += 1
    return {"seconds": time.perf_counter() - started, "pages": pages}


def child_pdfium(path: str) -> dict[str, float]:
    import pypdfium2 as pdfium

    started = time.perf_counter()
    document = pdfium.PdfDocument(path)
    pages = len(document)
    for index in range(pages):
        page = document[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()
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


def child_html(depth: str) -> dict[str, float]:
    from extractors.readers import read_document

    markup = (
        "<html><body><main><p>Kommunen vil halvere udledningen inden 2030.</p>"
        + "<div>" * int(depth)
        + "Indhold"
        + "</div>" * int(depth)
        + "</main></body></html>"
    ).encode()
    read_document(b"<html><body><p>Varm op.</p></body></html>", "varm.html")
    started = time.perf_counter()
    document = read_document(markup, "dyb.html")
    assert "Indhold" in document.text
    return {"seconds": time.perf_counter() - started, "bytes": len(markup)}


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        process = psutil.Process(pid)
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total
    except psutil.Error:
        return 0


def run_child(kind: str, argument: str) -> dict[str, float]:
    """Run ``child_<kind>(argument)`` in a fresh interpreter; also report the peak memory of its process tree."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); "
        f"from benchmarks.bench_ingest import child_{kind}; "
        f"r = child_{kind}({argument!r}); print(json.dumps(r))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{kind} {argument} failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_mb"] = peak / 1048576
    return result


def _median(kind: str, path: Path, runs: int) -> dict[str, float]:
    results = [run_child(kind, str(path)) for _ in range(runs)]
    rates = [r["pages"] / r["seconds"] for r in results]
    middle = results[rates.index(statistics.median_low(rates))]
    return {**middle, "rate": statistics.median(rates), "rates": rates}


def speed(label: str, path: Path, runs: int) -> None:
    plumber = _median("plumber", path, runs)
    pdfium = _median("pdfium", path, runs)
    ingest = _median("ingest", path, runs)
    pages = int(ingest["pages"])
    print(f"\n{label}: {pages} pages, {int(ingest['targets'])} targets found; pages/s, median of {runs}:")
    for name, r in (("klimamaal ingest", ingest), ("pdfplumber bare", plumber), ("pypdfium2 bare", pdfium)):
        runs_text = " / ".join(f"{x:.1f}" for x in r["rates"])
        print(f"  {name:<18}{r['rate']:9.1f}   (runs {runs_text})")
    ratio = ingest["rate"] / plumber["rate"]
    print(f"  ratio ingest / pdfplumber bare: {ratio:.2f} (goal >= 5: {'met' if ratio >= 5 else 'NOT met'})")
    print(f"  ratio ingest / pypdfium2 bare:  {ingest['rate'] / pdfium['rate']:.3f}")
    stages = ", ".join(f"{k} {ingest[k]:.2f} s" for k in ("read", "parse", "extract", "store") if k in ingest)
    print(f"  stages of the median ingest: {stages} (total {ingest['seconds']:.2f} s)")


def memory(label: str, path: Path) -> None:
    result = run_child("ingest", str(path))
    goal = "met" if result["peak_mb"] <= 300 else "NOT met"
    print(
        f"\n{label}: ingested {int(result['pages'])} pages, {int(result['targets'])} targets in "
        f"{result['seconds']:.1f} s; peak memory with child processes {result['peak_mb']:.0f} MB "
        f"(goal <= 300 MB: {goal})"
    )


def html_nesting() -> None:
    shallow = min((run_child("html", "10000") for _ in range(3)), key=lambda r: r["seconds"])
    deep = min((run_child("html", "100000") for _ in range(3)), key=lambda r: r["seconds"])
    ratio = deep["seconds"] / shallow["seconds"]
    print(
        f"\nHTML nested 10,000 levels: {shallow['seconds'] * 1000:.0f} ms; 100,000 levels: "
        f"{deep['seconds'] * 1000:.0f} ms (best of 3); ratio {ratio:.1f} (page 10x the size; goal <= 15: "
        f"{'met' if ratio <= 15 else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--html", action="store_true", help="also measure HTML nesting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.pdf"
        make_plan(plan, args.pages)
        speed(f"generated plan ({args.pages} pages)", plan, args.runs)
        aarhus = sorted(AARHUS.glob("*.pdf"))
        if aarhus:
            speed(f"../shared/real/aarhus/{aarhus[0].name}", aarhus[0], args.runs)
        else:
            print(f"\n{AARHUS} not found: the real PDF is not measured")
        if not args.skip_memory:
            big = Path(folder) / "plan-1000.pdf"
            make_plan(big, 1000, seed=11)
            memory("generated 1,000-page PDF", big)
            text = Path(folder) / "plan-200mb.txt"
            make_text(text, 200)
            memory(f"generated text file ({text.stat().st_size / 1048576:.0f} MB)", text)
        if args.html:
            html_nesting()


if __name__ == "__main__":
    main()
