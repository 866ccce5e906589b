"""The PDF reader on PDFs drawn with reportlab: layout, running lines, hyphens, tables, bad files."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extractors.document import NoTextError, ParsedDocument, ReadError
from extractors.readers import read_document
from extractors.readers.pdf import read_pdf
from extractors.readers.pdf_blocks import join_lines

WIDTH, HEIGHT = A4
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.fixture(scope="module")
def fonts() -> tuple[str, str]:
    if not (DEJAVU / "DejaVuSans.ttf").is_file():
        pytest.skip("DejaVu Sans is needed for Danish letters and '₂'")
    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
    return "DejaVu", "DejaVu-Bold"


Draw = Callable[[canvas.Canvas, int], None]


def make_pdf(
    path: Path, pages: list[Draw], footer: Callable[[int, int], str] | None = None, header: bool = True
) -> bytes:
    """Draw pages with a running header (a one-page file cannot show it repeats) and an optional footer."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number, draw in enumerate(pages, start=1):
        pdf.setFont("DejaVu", 8)
        if header:
            pdf.drawString(56, HEIGHT - 36, "Klimaplan 2030 · Eksempel Kommune")
        if footer:
            pdf.drawRightString(WIDTH - 56, 30, footer(number, len(pages)))
        draw(pdf, number)
        pdf.showPage()
    pdf.save()
    return path.read_bytes()


def lines(
    pdf: canvas.Canvas, x: float, y: float, texts: list[str], size: float = 10, font: str = "DejaVu"
) -> float:
    pdf.setFont(font, size)
    for text in texts:
        pdf.drawString(x, y, text)
        y -= size * 1.35
    return y


def body_page(title: str, paragraph: list[str]) -> Draw:
    def draw(pdf: canvas.Canvas, number: int) -> None:
        y = lines(pdf, 56, HEIGHT - 90, [title], size=16, font="DejaVu-Bold")
        lines(pdf, 56, y - 10, paragraph)

    return draw


def read(data: bytes, name: str = "plan.pdf") -> ParsedDocument:
    """Read with the default (pdfium) reader, checking offsets and that pdfplumber on every page gives the same."""
    document = read_document(data, name)
    for page in document.pages:
        for block in page.blocks:
            assert page.text[block.start : block.end] == block.text
    assert read_pdf(data, name, backend="pdfplumber").pages == document.pages
    return document


@pytest.mark.parametrize(
    "footer",
    [lambda n, total: f"Side {n}", lambda n, total: f"{n} / {total}", lambda n, total: str(n)],
    ids=["side-n", "n-of-total", "bare-number"],
)
def test_running_headers_and_page_numbers_are_removed(fonts, tmp_path: Path, footer) -> None:  # type: ignore[no-untyped-def]
    pages = [
        body_page(
            f"Afsnit {i}",
            [f"Kommunen vil i afsnit {i} beskrive sine mål for perioden.", "Teksten fortsætter."],
        )
        for i in range(1, 5)
    ]
    document = read(make_pdf(tmp_path / "plan.pdf", pages, footer))
    assert len(document.pages) == 4
    for number, page in enumerate(document.pages, start=1):
        assert "Klimaplan 2030 · Eksempel Kommune" not in page.text
        assert page.blocks[0].text == f"Afsnit {number}" and page.blocks[0].kind == "heading"
        assert not re.search(rf"(^|\n)(Side )?{number}( / 4)?($|\n)", page.text), page.text
        assert (
            f"Kommunen vil i afsnit {number} beskrive sine mål for perioden. Teksten fortsætter." in page.text
        )


def test_a_one_off_line_in_the_margin_is_kept(fonts, tmp_path: Path) -> None:
    def draw(pdf: canvas.Canvas, number: int) -> None:
        lines(pdf, 56, HEIGHT - 90, ["Indhold på siden med et mål for 2030."])
        if number == 2:
            lines(pdf, 56, 45, ["Note: tallene er fra det grønne regnskab 2022."], size=8)

    document = read(make_pdf(tmp_path / "plan.pdf", [draw, draw, draw]))
    assert "Note: tallene er fra det grønne regnskab 2022." in document.pages[1].text


def test_hyphenated_line_breaks_are_rejoined_but_real_hyphens_kept(fonts, tmp_path: Path) -> None:
    paragraph = [
        "Senest i 2025 har alle fagcentre indarbejdet cirkulær økonomi i de kommunale arbejds-",
        "gange. Kommunen skal reducere CO₂-",
        "udledningen med 70 % i 2030. Vores el-",
        "og varmeforsyning er CO₂-neutral inden udgangen af 2025, og EU-",
        "Kommissionen følger med i perioden 2023-",
        "2050.",
    ]
    document = read(make_pdf(tmp_path / "plan.pdf", [body_page("Mål", paragraph)], header=False))
    text = document.pages[0].text
    assert "i de kommunale arbejdsgange. Kommunen" in text
    assert "reducere CO₂-udledningen med 70 %" in text
    assert "Vores el- og varmeforsyning er CO₂-neutral" in text
    assert "EU-Kommissionen" in text and "2023-2050." in text
    assert [b.kind for b in document.pages[0].blocks] == ["heading", "paragraph"]


@pytest.mark.parametrize(
    ("lines_in", "joined"),
    [
        (["arbejds-", "gange"], "arbejdsgange"),
        (["CO₂-", "udledning"], "CO₂-udledning"),
        (["el-", "og varmeforsyning"], "el- og varmeforsyning"),
        (["dele-", "eller bytteordninger"], "dele- eller bytteordninger"),
        (["LCA-", "krav"], "LCA-krav"),
        (["et mål –", "ikke en prognose"], "et mål – ikke en prognose"),
        (["soft\u00ad", "hyphen"], "softhyphen"),
    ],
)
def test_join_lines(lines_in: list[str], joined: str) -> None:
    assert join_lines(lines_in) == joined


def test_two_column_page_reads_left_column_first(fonts, tmp_path: Path) -> None:
    left = [f"Venstre spalte linje {i} om klima." for i in range(1, 11)]
    right = [f"Højre spalte linje {i} om transport." for i in range(1, 11)]

    def draw(pdf: canvas.Canvas, number: int) -> None:
        lines(
            pdf,
            56,
            HEIGHT - 90,
            ["Andet ben – Fællesskaber i hele kommunen og regionen"],
            size=16,
            font="DejaVu-Bold",
        )
        lines(pdf, 56, HEIGHT - 130, left, size=9)
        lines(pdf, WIDTH / 2 + 12, HEIGHT - 130, right, size=9)

    document = read(make_pdf(tmp_path / "columns.pdf", [draw], header=False))
    text = document.pages[0].text
    assert text.index("Andet ben") < text.index("Venstre spalte linje 1 ")
    assert text.index("Venstre spalte linje 10") < text.index("Højre spalte linje 1 ")
    positions = [text.index(f"Venstre spalte linje {i} ") for i in range(1, 11)]
    positions += [text.index(f"Højre spalte linje {i} ") for i in range(1, 11)]
    assert positions == sorted(positions)


def test_label_value_lines_are_not_taken_for_columns(fonts, tmp_path: Path) -> None:
    def draw(pdf: canvas.Canvas, number: int) -> None:
        y = HEIGHT - 90
        for year, goal in [
            ("2025", "15 %"),
            ("2030", "70 %"),
            ("2035", "85 %"),
            ("2040", "90 %"),
            ("2050", "100 %"),
        ]:
            pdf.setFont("DejaVu", 10)
            pdf.drawString(56, y, f"Mål {year}")
            pdf.drawString(WIDTH / 2 + 40, y, goal)
            y -= 24

    text = read(make_pdf(tmp_path / "labels.pdf", [draw], header=False)).pages[0].text
    assert text.index("Mål 2025") < text.index("15 %") < text.index("Mål 2030") < text.index("70 %")


def test_tables_become_rows_and_are_not_repeated_as_paragraphs(fonts, tmp_path: Path) -> None:
    rows = [
        ("Delmål", "År", "Reduktion"),
        ("Energiforbrug i kommunale bygninger", "2025", "15 %"),
        ("CO₂-udledning", "2030", "70 %"),
    ]

    def draw(pdf: canvas.Canvas, number: int) -> None:
        lines(pdf, 56, HEIGHT - 90, ["Oversigt over delmål"], size=16, font="DejaVu-Bold")
        xs, top, height = [56, 300, 380, 480], HEIGHT - 130, 20
        for r, row in enumerate(rows):
            y = top - r * height
            for c, cell in enumerate(row):
                pdf.setFont("DejaVu", 10)
                pdf.drawString(xs[c] + 4, y - 14, cell)
        for r in range(len(rows) + 1):
            pdf.line(xs[0], top - r * height, xs[-1], top - r * height)
        for x in xs:
            pdf.line(x, top, x, top - len(rows) * height)
        lines(pdf, 56, top - len(rows) * height - 30, ["Tabellen viser udvalgte mål."])

    page = read(make_pdf(tmp_path / "table.pdf", [draw], header=False)).pages[0]
    table = [b.text for b in page.blocks if b.kind == "table_row"]
    assert table == [
        "Delmål | År | Reduktion",
        "Energiforbrug i kommunale bygninger | 2025 | 15 %",
        "CO₂-udledning | 2030 | 70 %",
    ]
    assert page.text.count("Energiforbrug i kommunale bygninger") == 1
    assert [b.kind for b in page.blocks] == ["heading", "table_row", "table_row", "table_row", "paragraph"]


def test_bullets_become_list_items_with_continuations(fonts, tmp_path: Path) -> None:
    def draw(pdf: canvas.Canvas, number: int) -> None:
        y = lines(pdf, 56, HEIGHT - 90, ["Delmål:"], font="DejaVu-Bold")
        pdf.setFont("DejaVu", 10)
        for bullet, cont in [
            (
                "Senest i 2025 kører alle skraldebiler på el, og der er",
                "opsat ladestandere til hele bilparken.",
            ),
            ("I 2030 genanvender vi 55 % plast.", None),
        ]:
            pdf.drawString(60, y, "•")
            pdf.drawString(74, y, bullet)
            y -= 13.5
            if cont:
                pdf.drawString(74, y, cont)
                y -= 13.5
        lines(pdf, 56, y - 12, ["Kommunen følger op hvert år."])

    page = read(make_pdf(tmp_path / "bullets.pdf", [draw], header=False)).pages[0]
    assert [(b.kind, b.text) for b in page.blocks] == [
        ("heading", "Delmål:"),
        (
            "list_item",
            "- Senest i 2025 kører alle skraldebiler på el, og der er opsat ladestandere til hele bilparken.",
        ),
        ("list_item", "- I 2030 genanvender vi 55 % plast."),
        ("paragraph", "Kommunen følger op hvert år."),
    ]


# --- bad files ----------------------------------------------------------------------------------


def test_corrupt_pdf_names_the_file_and_hints(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as caught:
        read_document(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf body\n", "rapport.pdf")
    message = str(caught.value)
    assert message.startswith("rapport.pdf: is not a readable PDF (")
    assert "re-download or re-export" in caught.value.hint
    assert not isinstance(caught.value, NoTextError)


def test_pdf_without_header_is_not_readable(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"^rapport\.pdf: is not a readable PDF"):
        read_document(b"GIF89a....", "rapport.pdf")


def test_encrypted_pdf_asks_for_an_unencrypted_copy(fonts, tmp_path: Path) -> None:
    path = tmp_path / "hemmelig.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt="hemmelig")
    pdf.drawString(72, 720, "Kommunen skal være CO2-neutral i 2050.")
    pdf.save()
    with pytest.raises(ReadError) as caught:
        read_document(path.read_bytes(), "hemmelig.pdf")
    assert "hemmelig.pdf" in str(caught.value) and "encrypted" in str(caught.value)
    assert "unencrypted copy" in caught.value.hint


def test_pdf_encrypted_with_qpdf_is_reported_as_encrypted(fonts, tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    make_pdf(plain, [body_page("Mål", ["Senest i 2030 er CO₂-udledningen halveret."])])
    locked = tmp_path / "locked.pdf"
    try:
        subprocess.run(
            ["qpdf", "--encrypt", "bruger", "ejer", "256", "--", str(plain), str(locked)], check=True
        )
    except FileNotFoundError:
        pytest.skip("qpdf is not installed")
    with pytest.raises(ReadError, match=r"^locked\.pdf: is an encrypted"):
        read_document(locked.read_bytes(), "locked.pdf")


def test_empty_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"^tom\.pdf: is empty"):
        read_document(b"", "tom.pdf")


def test_image_only_pdf_raises_no_text_with_an_ocr_hint(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(2):
        for i in range(20):
            pdf.rect(50 + i * 10, 50 + i * 20 + number, 200, 30, fill=1)
        pdf.showPage()
    pdf.save()
    with pytest.raises(NoTextError) as caught:
        read_document(path.read_bytes(), "scan.pdf")
    assert str(caught.value).startswith("scan.pdf: has no text layer on any of its 2 page(s)")
    assert "OCR" in caught.value.hint


def test_a_broken_page_is_named_by_number(fonts, tmp_path: Path) -> None:
    path = tmp_path / "three.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=0)
    for number in range(1, 4):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 720, f"Tekst paa side {number} om klima")
        pdf.showPage()
    pdf.save()
    data = path.read_bytes()
    pages = [m.start() for m in re.finditer(rb"/Type /Page\b", data)]
    assert len(pages) == 3
    broken = data[: pages[1]] + b"/Type /Pagx" + data[pages[1] + len(b"/Type /Page") :]
    assert read(data).pages[1].text == "Tekst paa side 2 om klima"
    with pytest.raises(ReadError) as caught:
        read_document(broken, "three.pdf")
    assert caught.value.page == 2
    assert str(caught.value).startswith("three.pdf, page 2: could not be read")


def test_bold_body_text_is_not_all_headings(fonts, tmp_path: Path) -> None:
    def draw(pdf: canvas.Canvas, number: int) -> None:
        y = lines(pdf, 56, HEIGHT - 90, ["Transport"], size=15, font="DejaVu-Bold")
        y = lines(
            pdf,
            56,
            y - 8,
            ["Kommunen vil halvere udledningen fra", "transporten inden 2030."],
            font="DejaVu-Bold",
        )
        lines(
            pdf,
            56,
            y - 8,
            ["Alle busser kører på el i 2035, og der", "bygges flere cykelstier."],
            font="DejaVu-Bold",
        )

    page = read(make_pdf(tmp_path / "bold.pdf", [draw], header=False)).pages[0]
    assert [(b.kind, b.text) for b in page.blocks] == [
        ("heading", "Transport"),
        ("paragraph", "Kommunen vil halvere udledningen fra transporten inden 2030."),
        ("paragraph", "Alle busser kører på el i 2035, og der bygges flere cykelstier."),
    ]


def test_pdfium_backend_reports_bad_files_like_pdfplumber(fonts, tmp_path: Path) -> None:
    secret = tmp_path / "hemmelig.pdf"
    pdf = canvas.Canvas(str(secret), pagesize=A4, encrypt="hemmelig")
    pdf.drawString(72, 720, "Kommunen skal være CO2-neutral i 2050.")
    pdf.save()
    with pytest.raises(ReadError, match=r"^hemmelig\.pdf: is an encrypted"):
        read_pdf(secret.read_bytes(), "hemmelig.pdf", backend="pdfium")
    with pytest.raises(ReadError, match=r"^rapport\.pdf: is not a readable PDF"):
        read_pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot a pdf\n", "rapport.pdf", backend="pdfium")
    scan = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(scan), pagesize=A4)
    pdf.rect(50, 50, 200, 30, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(NoTextError, match=r"^scan\.pdf: has no text layer"):
        read_pdf(scan.read_bytes(), "scan.pdf", backend="pdfium")


def test_list_item_ending_a_column_does_not_swallow_the_next_column(fonts, tmp_path: Path) -> None:
    def draw(pdf: canvas.Canvas, number: int) -> None:
        left = [f"Venstre linje {i} om klimaet." for i in range(1, 9)]
        y = lines(pdf, 56, HEIGHT - 90, left, size=9)
        pdf.setFont("DejaVu", 9)
        pdf.drawString(60, y, "•")
        pdf.drawString(72, y, "Alle busser kører på el i")
        pdf.drawString(72, y - 12, "2030.")
        right = ["Højre spalte begynder her", *[f"Højre linje {i} om transport." for i in range(1, 9)]]
        lines(pdf, WIDTH / 2 + 20, HEIGHT - 90, right, size=9)

    blocks = read(make_pdf(tmp_path / "columns.pdf", [draw], header=False)).pages[0].blocks
    assert ("list_item", "- Alle busser kører på el i 2030.") in [(b.kind, b.text) for b in blocks]
    assert blocks[-1].kind == "paragraph" and blocks[-1].text.startswith("Højre spalte begynder her")


def test_a_number_wrapped_onto_the_last_body_line_is_not_a_page_number(fonts, tmp_path: Path) -> None:
    def draw(pdf: canvas.Canvas, number: int) -> None:
        lines(pdf, 56, HEIGHT - 120, ["Overskrift på siden"], size=15, font="DejaVu-Bold")
        lines(pdf, 56, 96, ["Udledningen skal være halveret senest i", "2030"])

    page = read(make_pdf(tmp_path / "wrap.pdf", [draw], footer=lambda n, total: f"Side {n}")).pages[0]
    assert page.text.endswith("Udledningen skal være halveret senest i 2030")
    assert "Side 1" not in page.text


@pytest.mark.parametrize("meta", ["Transkript", "Microsoft Word - klimaplan_v3.docx", "Untitled", ""])
def test_a_placeholder_metadata_title_gives_way_to_the_first_heading(
    fonts, tmp_path: Path, meta: str
) -> None:
    path = tmp_path / "plan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle(meta)
    lines(pdf, 56, HEIGHT - 90, ["Klimaplan 2030 for", "Eksempel Kommune"], size=18, font="DejaVu-Bold")
    lines(pdf, 56, HEIGHT - 160, ["Kommunen vil halvere udledningen inden 2030."])
    pdf.showPage()
    pdf.save()
    assert read(path.read_bytes()).title == "Klimaplan 2030 for Eksempel Kommune"


def test_a_real_metadata_title_is_kept(fonts, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle("Klima- og energiplan 2025-2030")
    lines(pdf, 56, HEIGHT - 90, ["Forord"], size=18, font="DejaVu-Bold")
    pdf.showPage()
    pdf.save()
    assert read(path.read_bytes()).title == "Klima- og energiplan 2025-2030"


AARHUS = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "real"
    / "aarhus"
    / "aarhus_byraad_2025-08-27_referat.pdf"
)


def test_the_aarhus_minutes_read_with_a_sensible_title_and_their_items_in_order() -> None:
    if not AARHUS.is_file():
        pytest.skip("../shared/real/aarhus is not beside the project")
    document = read_document(AARHUS.read_bytes(), AARHUS.name)
    assert document.title == "REFERAT Aarhus Byråd d. 27-08-2025"
    headings = [b.text for _, b in document.blocks() if b.kind == "heading" and b.text.startswith("Punkt ")]
    numbers = [int(re.match(r"Punkt (\d+):", h).group(1)) for h in headings]
    assert numbers == list(range(1, 22))  # the 21 items of the table of contents
    assert headings[4] == "Punkt 5: Revisionspåtegning og endelig godkendelse af regnskab 2024"
    text = document.text
    # every item's case number follows its heading, before the next item
    for heading, following in zip(headings, headings[1:], strict=False):
        between = text[text.index(heading) : text.index(following)]
        assert re.search(r"\bEMN-\d{4}-\d{4,7}\b", between), heading
    assert document.pages[0].text.startswith("REFERAT Aarhus Byråd d. 27-08-2025")


def test_a_long_pdf_read_on_two_processes_is_read_as_on_one(
    fonts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from extractors.readers import open_document, pdf_pool

    pages = [
        body_page(f"Afsnit {i}", [f"Senest i {2025 + i % 20} er udledningen reduceret med {i} %.", "Tekst."])
        for i in range(1, pdf_pool.PARALLEL_PAGES + 11)
    ]
    path = tmp_path / "lang.pdf"
    make_pdf(path, pages, footer=lambda n, total: f"Side {n} af {total}")
    shared = open_document(path, "lang.pdf").read_all()
    monkeypatch.setenv("KLIMAMAAL_PDF_WORKERS", "0")
    alone = open_document(path, "lang.pdf").read_all()
    assert shared.pages == alone.pages
    assert [p.number for p in shared.pages] == list(range(1, len(pages) + 1))
    assert shared.pages[-1].text.startswith(f"Afsnit {len(pages)}")
    assert not any("Side " in p.text for p in shared.pages)


def test_table_of_contents_entries_are_blocks_of_their_own(fonts, tmp_path: Path) -> None:
    entries = [
        ("Godkendelse af dagsorden", 3),
        ("Afrapportering på klimaregnskab", 14),
        ("Bro over havnen", 16),
    ]

    def draw(pdf: canvas.Canvas, number: int) -> None:
        lines(pdf, 56, HEIGHT - 90, ["Indholdsfortegnelse"], size=16, font="DejaVu-Bold")
        y = HEIGHT - 120
        pdf.setFont("DejaVu", 10)
        for title, page in entries:
            pdf.drawString(56, y, title + "." * 40)
            pdf.drawRightString(WIDTH - 56, y, str(page))
            y -= 14

    blocks = read(make_pdf(tmp_path / "toc.pdf", [draw], header=False)).pages[0].blocks
    assert [b.text for b in blocks] == ["Indholdsfortegnelse"] + [f"{t}{'.' * 40} {p}" for t, p in entries]


def test_pdfs_read_on_several_threads_at_once_read_as_one_after_the_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ingest reads documents on a thread pool; pdfium is not thread-safe, and two PDFs read together used
    to crash the whole process. Read in threads, every PDF gives what it gives alone."""
    from concurrent.futures import ThreadPoolExecutor

    from klimamaal.config import CORPUS_DIR

    monkeypatch.setenv("KLIMAMAAL_PDF_WORKERS", "0")  # pages in this process, where the threads are
    files = sorted(CORPUS_DIR.glob("*.pdf")) * 6
    alone = {path: read_pdf(path, path.name).text for path in set(files)}
    for _ in range(3):  # without the lock, a few rounds crashed the interpreter (a segfault in pdfium)
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(lambda path: read_pdf(path, path.name).text, files))
        assert together == [alone[path] for path in files]
