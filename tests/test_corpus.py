"""The bundled corpus: manifest, every file readable, and the layout traps the renderings hold."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from extractors.document import ParsedDocument
from extractors.municipalities import find_municipality
from extractors.readers import read_document
from extractors.readers.blocks import normalise

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"
COLUMNS = ["path", "municipality", "title", "kind", "source_url", "published"]


def manifest() -> list[dict[str, str]]:
    with (CORPUS / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@cache
def parsed(name: str) -> ParsedDocument:
    return read_document((CORPUS / name).read_bytes(), name)


def documents() -> list[str]:
    return [row["path"] for row in manifest()]


def test_manifest_rows_match_the_files() -> None:
    rows = manifest()
    files = {
        p.name for p in CORPUS.iterdir() if p.is_file() and p.name != "manifest.csv" and p.suffix != ".md"
    }
    assert {row["path"] for row in rows} == files
    assert len(rows) == len(files) >= 9
    for row in rows:
        assert row["kind"] in ("plan", "strategy", "web_page", "news"), row
        assert row["title"], row
        assert re.match(r"^https://[\w.-]+\.dk/", row["source_url"]), row
        if row["published"]:
            dt.date.fromisoformat(row["published"])
        if row["municipality"]:
            assert find_municipality(name=row["municipality"]) is not None, row
    # one source_url per document: the same URL would make two files versions of one source
    assert len({row["source_url"] for row in rows}) == len(rows)


def test_corpus_is_small() -> None:
    assert sum(p.stat().st_size for p in CORPUS.iterdir() if p.is_file()) < 2 * 1024 * 1024


def test_seeds_are_copied_unchanged() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds are not beside the project")
    for seed in SEEDS.glob("*.txt"):
        assert (CORPUS / seed.name).read_bytes() == seed.read_bytes()


@pytest.mark.parametrize("name", documents())
def test_every_file_reads_with_consistent_offsets(name: str) -> None:
    document = parsed(name)
    assert document.pages and document.text.strip()
    assert document.title
    for page in document.pages:
        for block in page.blocks:
            assert page.text[block.start : block.end] == block.text
        assert page.text == "\n\n".join(b.text for b in page.blocks)
        assert not re.search(r"[ \t]{2,}|\u00a0|\(cid:\d+\)", page.text), (name, page.number)


@pytest.mark.parametrize("name", [r["path"] for r in manifest() if r["municipality"]])
def test_municipality_can_be_found_without_the_manifest(name: str) -> None:
    row = next(r for r in manifest() if r["path"] == name)
    document = parsed(name)
    expected = find_municipality(name=row["municipality"])
    assert find_municipality(title=document.title, url=row["source_url"], text=document.text) == expected


@pytest.mark.parametrize("name", [n for n in documents() if n.startswith("003_") or n.startswith("aalborg")])
def test_aalborg_sections_come_out_once(name: str) -> None:
    text = parsed(name).text
    for heading in [
        "Aalborg Commitments",
        "Green Fleets – grønnere transport",
        "MoLo Hubs",
        "KIMO – havmiljø",
    ]:
        assert len(re.findall(rf"^{re.escape(heading)}", text, re.M)) == 1, (name, heading)
    paragraphs = [b.text for _, b in parsed(name).blocks() if len(b.text) > 60]
    assert len(paragraphs) == len(set(paragraphs)), name


def pdf_text(name: str) -> str:
    return parsed(name).text


BALLERUP = "ballerup_klimapolitik_2023-2050.pdf"
GREEN = "greencities_faelles_maal.pdf"


@pytest.mark.parametrize(
    ("name", "running"),
    [
        (BALLERUP, ["Ballerup Kommune · Klimapolitik", "ballerup.dk/klima", "Side "]),
        (GREEN, ["Green Cities – et ambitiøst og forpligtende miljøsamarbejde"]),
    ],
)
def test_running_headers_and_footers_are_gone(name: str, running: list[str]) -> None:
    document = parsed(name)
    assert len(document.pages) >= 4
    for line in running:
        assert line not in document.text, line
    for page in document.pages:
        assert not re.search(r"(^|\n)\d{1,3}($|\n)", page.text), page.number


def test_hyphenated_words_are_rejoined_and_real_hyphens_kept() -> None:
    ballerup, green = pdf_text(BALLERUP), pdf_text(GREEN)
    assert "i de kommunale arbejdsgange, som forudsætning" in ballerup
    assert "reducere CO₂-udledningen med 70 % i 2030" in ballerup
    assert "Vores el- og varmeforsyning er CO₂-neutral inden udgangen af 2025." in green
    assert "miljøsamarbejdet Green Cities" in green


def test_two_column_page_reads_left_column_first() -> None:
    seed = (CORPUS / "002_954bd54ec9ab1aa1.txt").read_text(encoding="utf-8")
    section = seed.split("Andet ben - Fællesskaber", 1)[1].split("Delmål:", 1)[0]
    paragraphs = [normalise(p) for p in section.split("\n\n") if normalise(p)]
    assert len(paragraphs) == 6
    page = next(p for p in parsed(BALLERUP).pages if p.text.startswith("Andet ben - Fællesskaber"))
    positions = [page.text.find(p) for p in paragraphs]
    assert -1 not in positions, [p[:40] for p, at in zip(paragraphs, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", [BALLERUP, GREEN])
def test_pdfplumber_on_every_page_reads_the_corpus_pdfs_the_same(name: str) -> None:
    from extractors.readers.pdf import read_pdf

    assert read_pdf((CORPUS / name).read_bytes(), name, backend="pdfplumber").pages == parsed(name).pages


def test_table_rows_are_rows() -> None:
    for name, row in [
        (BALLERUP, "CO₂-udledning i kommunen som geografisk område, målt i forhold til 1990 | 2030 | 70 %"),
        (GREEN, "CO₂-udslip, i forhold til 2006 | 2015 | 25 %"),
    ]:
        rows = [b.text for _, b in parsed(name).blocks() if b.kind == "table_row"]
        assert rows[0] == "Delmål | År | Reduktion"
        assert row in rows
        assert parsed(name).text.count(row.split(" | ")[0]) == 1


def test_pdf_keeps_every_seed_sentence() -> None:
    """Every seed paragraph and list item is in the PDF text, whole (pages joined)."""
    for seed_name, pdf_name in [("002_954bd54ec9ab1aa1.txt", BALLERUP), ("000_b98c7b573d638641.txt", GREEN)]:
        text = normalise(" ".join(p.text for p in parsed(pdf_name).pages))
        seed = (CORPUS / seed_name).read_text(encoding="utf-8").replace("**", "")
        seed = seed.replace("arbejds gange", "arbejdsgange").replace(
            "miljøsam arbejdet Green", "miljøsamarbejdet Green"
        )
        for line in seed.splitlines():
            line = normalise(re.sub(r"^\s*[-•]\s+", "", line))
            if len(line) > 25:
                assert line in text, (pdf_name, line[:60])


def test_html_pages_hold_no_boilerplate() -> None:
    for name in ("assens_klimaalliance.html", "aalborg_baeredygtig_kommune.html"):
        text = parsed(name).text
        for junk in (
            "cookies",
            "Tillad alle",
            "Hovedmenu",
            "Relaterede sider",
            "CVR-nummer",
            "Spring til",
            "Forside",
        ):
            assert junk not in text, (name, junk)
    assert (
        "I 2030 vil vi have reduceret CO2-udledningen inden for kommunegrænsen med mindst 70 procent"
        in parsed("assens_klimaalliance.html").text
    )


@pytest.mark.slow
def test_build_script_reproduces_the_corpus(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds are not beside the project")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_corpus.py"),
            "--seeds",
            str(SEEDS),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    for row in manifest():
        built = read_document((tmp_path / row["path"]).read_bytes(), row["path"])
        assert built.text == parsed(row["path"]).text, row["path"]
    assert (tmp_path / "manifest.csv").read_text(encoding="utf-8") == (CORPUS / "manifest.csv").read_text(
        encoding="utf-8"
    )
