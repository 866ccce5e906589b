"""Main content of web pages: this project's HTML reader against the libraries made for it.

Three sets of pages, and what each reader keeps of them:

- the bundled corpus pages (``corpus/*.html``): share of their seed text's lines
  (over 25 characters) that come out whole, and boilerplate strings that leak;
- the 41 Greve meetings (``../shared/real/greve/``): share of the real gold's
  quotes found (every one must be), share of agenda item titles (``<h2>``)
  kept, and pages whose breadcrumb leaks;
- the hostile pages of ``tests/hostile_pages.py``: content strings kept and
  boilerplate strings that leak.

Readers: ``klimamaal`` (this tree's reader), ``trafilatura`` (``extract`` with
tables, favouring recall), ``readability`` (readability-lxml's summary as text)
and, with ``--old-rev REV``, the hand-written reader of that revision
(``git show REV:extractors/readers/html.py``).

    .venv/bin/python benchmarks/bench_html.py [--old-rev a904074]
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import docgold  # noqa: E402
from extractors.readers.blocks import normalise  # noqa: E402
from klimamaal.config import CORPUS_DIR, shared_dir  # noqa: E402
from tests.hostile_pages import PAGES  # noqa: E402

Reader = Callable[[bytes, str], str]
CORPUS_SEEDS = {
    "assens_klimaalliance.html": "001_2ed9d66b6bc05466.txt",
    "aalborg_baeredygtig_kommune.html": "003_b579c1dbe2d7589a.txt",
}
CORPUS_JUNK = (
    "cookies",
    "Tillad alle",
    "Hovedmenu",
    "Relaterede sider",
    "CVR-nummer",
    "Spring til",
    "Forside",
)


def klimamaal_reader(data: bytes, name: str) -> str:
    from extractors.readers import read_document

    return read_document(data, name).text


def trafilatura_reader(data: bytes, name: str) -> str:
    import trafilatura

    return trafilatura.extract(data.decode("utf-8", "replace"), include_tables=True, favor_recall=True) or ""


def readability_reader(data: bytes, name: str) -> str:
    from lxml import html as lxml_html
    from readability import Document

    summary = Document(data.decode("utf-8", "replace")).summary(html_partial=True)
    return lxml_html.fragment_fromstring(summary, create_parent="div").text_content()


def old_reader(revision: str) -> Reader | None:
    try:
        source = subprocess.run(
            ["git", "show", f"{revision}:extractors/readers/html.py"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    path = Path(tempfile.mkdtemp()) / "old_html.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("old_html", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return lambda data, name: module.read_html(data, name).text


def _flat(text: str) -> str:
    return normalise(re.sub(r"(?m)^- ", "", text))


def corpus(reader: Reader) -> tuple[float, int]:
    kept = total = leaks = 0
    for page, seed in CORPUS_SEEDS.items():
        text = _flat(reader((CORPUS_DIR / page).read_bytes(), page))
        for line in (CORPUS_DIR / seed).read_text(encoding="utf-8").replace("**", "").splitlines():
            line = normalise(re.sub(r"^\s*[-•*]\s+", "", line))
            if len(line) > 25:
                total += 1
                kept += line in text
        leaks += sum(junk in text for junk in CORPUS_JUNK)
    return kept / total, leaks


def greve(reader: Reader) -> tuple[float, float, int]:
    gold: dict[str, list[str]] = {}
    for path in (ROOT / "tests" / "gold" / "real").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            gold[record["file"]] = [t["quote"] for t in record["targets"]]
    quotes = found = titles = kept_titles = leaks = 0
    for path in sorted((shared_dir() / "real" / "greve").glob("*.html")):
        data = path.read_bytes()
        text = reader(data, path.name)
        for quote in gold.get(f"real/greve/{path.name}", []):
            quotes += 1
            found += bool(docgold.quote_spans(text, quote))
        for title in re.findall(r"<h2>(.*?)</h2>", data.decode("utf-8")):
            titles += 1
            kept_titles += normalise(html.unescape(re.sub(r"<[^>]+>", "", title))) in normalise(text)
        leaks += "Dagsordener og referater" in text
    return found / max(quotes, 1), kept_titles / max(titles, 1), leaks


def hostile(reader: Reader) -> tuple[float, int]:
    kept = total = leaks = 0
    for page in PAGES:
        text = _flat(reader(page.html.encode("utf-8"), f"{page.name}.html"))
        total += len(page.content)
        kept += sum(_flat(c) in text for c in page.content)
        leaks += sum(b in text for b in page.boilerplate)
    return kept / total, leaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-rev", help="also measure the reader of this git revision")
    args = parser.parse_args()
    readers: dict[str, Reader] = {
        "klimamaal": klimamaal_reader,
        "trafilatura": trafilatura_reader,
        "readability": readability_reader,
    }
    if args.old_rev:
        old = old_reader(args.old_rev)
        if old is None:
            print(f"revision {args.old_rev} not found: its reader is not measured")
        else:
            readers[f"old ({args.old_rev})"] = old
    print(
        f"{'reader':<20}{'corpus kept':>12}{'leaks':>7}{'greve gold':>12}{'titles':>8}{'crumbs':>8}"
        f"{'hostile kept':>14}{'leaks':>7}{'s (all)':>9}"
    )
    for name, reader in readers.items():
        started = time.perf_counter()
        corpus_kept, corpus_leaks = corpus(reader)
        gold, titles, crumbs = greve(reader)
        hostile_kept, hostile_leaks = hostile(reader)
        seconds = time.perf_counter() - started
        print(
            f"{name:<20}{corpus_kept:>12.0%}{corpus_leaks:>7}{gold:>12.0%}{titles:>8.0%}{crumbs:>8}"
            f"{hostile_kept:>14.0%}{hostile_leaks:>7}{seconds:>9.1f}"
        )


if __name__ == "__main__":
    main()
