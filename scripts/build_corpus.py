"""Build corpus/: the five seed texts plus PDF and HTML renderings of them, and manifest.csv.

Usage:  .venv/bin/python scripts/build_corpus.py [--seeds ../shared/seeds] [--out corpus]

Real plans arrive as PDFs with running headers and footers, page numbers,
two-column pages, tables of targets, bullet lists and words hyphenated at
line ends; municipal web pages arrive wrapped in navigation, cookie banners
and footers. The seeds are plain text, so this script renders them into
those shapes (with reportlab, in DejaVu Sans so that Danish letters and "₂"
survive) to give the readers realistic input whose expected text is known.
The outputs are committed; the script is kept so they can be rebuilt.
Rendering is deterministic (fixed dates, invariant PDF ids), so a rebuild
without changes yields the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import shutil
from pathlib import Path

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {
    "000": "000_b98c7b573d638641.txt",
    "001": "001_2ed9d66b6bc05466.txt",
    "002": "002_954bd54ec9ab1aa1.txt",
    "003": "003_b579c1dbe2d7589a.txt",
    "004": "004_13ed68788fd4cf27.txt",
}
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
MARGIN = 20 * mm
WIDTH, HEIGHT = A4

# path, municipality, title, kind, source_url, published. Green Cities is a joint document of six
# municipalities with no single publisher among them, so its municipality is left empty.
MANIFEST = [
    (
        SEEDS["000"],
        "",
        "Green Cities – et ambitiøst og forpligtende miljøsamarbejde",
        "strategy",
        "https://www.greencities.dk/om-green-cities/vores-faelles-maal",
        "",
    ),
    (
        SEEDS["001"],
        "Assens",
        "DK2020 - 16 klima-kommuner indgår alliance",
        "news",
        "https://www.assens.dk/nyheder/dk2020-16-klima-kommuner-indgaar-alliance",
        "",
    ),
    (
        SEEDS["002"],
        "Ballerup",
        "Klimapolitik og handleplan 2023–2050",
        "plan",
        "https://www.ballerup.dk/borger/klima-og-miljoe/klimapolitik-og-handleplan",
        "",
    ),
    (
        SEEDS["003"],
        "Aalborg",
        "Grønne partnerskaber",
        "web_page",
        "https://www.aalborg.dk/om-kommunen/udvikling-og-projekter/baeredygtig-kommune/groenne-partnerskaber",
        "",
    ),
    (
        SEEDS["004"],
        "København",
        "København og C40",
        "web_page",
        "https://international.kk.dk/c40-groen-vaekst-netvaerk",
        "",
    ),
    (
        "ballerup_klimapolitik_2023-2050.pdf",
        "Ballerup",
        "Klimapolitik og handleplan 2023–2050",
        "plan",
        "https://www.ballerup.dk/media/klimapolitik-og-handleplan-2023-2050.pdf",
        "",
    ),
    (
        "greencities_faelles_maal.pdf",
        "",
        "Green Cities – vores fælles mål",
        "strategy",
        "https://www.greencities.dk/media/green-cities-faelles-maal.pdf",
        "",
    ),
    (
        "assens_klimaalliance.html",
        "Assens",
        "Klimaalliance: DK2020-kommuner går sammen",
        "news",
        "https://www.assens.dk/borger/klima-og-miljoe/klimaalliance",
        "",
    ),
    (
        "aalborg_baeredygtig_kommune.html",
        "Aalborg",
        "Bæredygtig kommune – grønne partnerskaber",
        "web_page",
        "https://www.aalborg.dk/om-kommunen/udvikling-og-projekter/baeredygtig-kommune",
        "",
    ),
]


# --- fonts and styles ------------------------------------------------------------------------


def register_fonts() -> tuple[str, str]:
    """DejaVu Sans (Danish letters and the subscript ₂) if installed, else Helvetica."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("DejaVu", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(bold)))
            return "DejaVu", "DejaVu-Bold"
    print("warning: DejaVu Sans not found; using Helvetica, which has no '₂' (written as '2')")
    return "Helvetica", "Helvetica-Bold"


FONT, BOLD = register_fonts()
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=7, alignment=TA_LEFT)
H1 = ParagraphStyle("h1", fontName=BOLD, fontSize=17, leading=21, spaceBefore=6, spaceAfter=9)
H2 = ParagraphStyle("h2", fontName=BOLD, fontSize=13, leading=16, spaceBefore=8, spaceAfter=6)
H3 = ParagraphStyle("h3", fontName=BOLD, fontSize=10, leading=13.5, spaceBefore=4, spaceAfter=4)
BULLET = ParagraphStyle(
    "bullet", parent=BODY, leftIndent=14, bulletIndent=3, spaceAfter=3, bulletFontName=FONT, bulletFontSize=10
)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5)
COVER = ParagraphStyle("cover", fontName=BOLD, fontSize=26, leading=32, spaceAfter=16)


def text_for_font(text: str) -> str:
    return text if FONT == "DejaVu" else text.replace("₂", "2")


def para(text: str, style: ParagraphStyle = BODY, **kwargs: str) -> Paragraph:
    """A paragraph; ``|`` in the text forces a line break there (to place a hyphenated break)."""
    markup = html.escape(text_for_font(text), quote=False).replace("|", "<br/>")
    return Paragraph(markup, style, **kwargs)


# --- seed text -> simple structure --------------------------------------------------------------


def seed_blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) from seed text: list items ("- ", "•"), headings (short unpunctuated lines), paragraphs."""
    blocks: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(re.match(r"^[-•]\s+", line) for line in lines):
            blocks.extend(("bullet", re.sub(r"^[-•]\s+", "", line).replace("**", "")) for line in lines)
            continue
        joined = " ".join(lines).replace("**", "")
        short = len(joined) <= 80 and not joined.endswith((".", ",", ";", "?", "”"))
        short = short and (len(joined) <= 40 or not joined.endswith(":"))
        blocks.append(("heading" if short else "paragraph", joined))
    return blocks


def flowables(blocks: list[tuple[str, str]], breaks: dict[str, str]) -> list:  # type: ignore[type-arg]
    """Paragraph flowables; ``breaks`` maps a phrase to the same phrase with ``|`` where a line must break."""
    out = []
    for kind, text in blocks:
        for phrase, broken in breaks.items():
            text = text.replace(phrase, broken)
        if kind == "bullet":
            out.append(para(text, BULLET, bulletText="•"))
        elif kind == "heading":
            style = H3 if text.endswith(":") else H2
            out.append(para(text, style))
        else:
            out.append(para(text))
    return out


def target_table(rows: list[tuple[str, str, str]]) -> Table:
    data = [[para(cell, CELL) for cell in row] for row in rows]
    table = Table(data, colWidths=[95 * mm, 25 * mm, 45 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, "#555555"),
                ("BACKGROUND", (0, 0), (-1, 0), "#dfe9df"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


# --- page templates ----------------------------------------------------------------------------


def make_doc(path: Path, title: str, header: str, footer) -> BaseDocTemplate:  # type: ignore[no-untyped-def]
    """A4 document with a one-column and a two-column (full-width heading band) page template."""
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=28 * mm,
        bottomMargin=25 * mm,
        title=title,
        author="klimamaal corpus",
        invariant=1,
    )
    body_w, body_h = doc.width, doc.height
    gap = 9 * mm
    col_w = (body_w - gap) / 2
    band = 22 * mm

    def decorate(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillGray(0.35)
        canvas.drawString(MARGIN, HEIGHT - 14 * mm, text_for_font(header))
        canvas.line(MARGIN, HEIGHT - 16 * mm, WIDTH - MARGIN, HEIGHT - 16 * mm)
        footer(canvas, document.page)
        canvas.restoreState()

    def cover(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFillColorRGB(0.86, 0.92, 0.86)
        canvas.rect(0, HEIGHT - 95 * mm, WIDTH, 95 * mm, fill=1, stroke=0)
        canvas.restoreState()

    one = Frame(doc.leftMargin, doc.bottomMargin, body_w, body_h, id="one")
    top = Frame(doc.leftMargin, doc.bottomMargin + body_h - band, body_w, band, id="band")
    left = Frame(doc.leftMargin, doc.bottomMargin, col_w, body_h - band, id="left")
    right = Frame(doc.leftMargin + col_w + gap, doc.bottomMargin, col_w, body_h - band, id="right")
    doc.addPageTemplates(
        [
            PageTemplate(id="cover", frames=[one], onPage=cover),
            PageTemplate(id="onecol", frames=[one], onPage=decorate),
            PageTemplate(id="twocol", frames=[top, left, right], onPage=decorate),
        ]
    )
    return doc


def two_column_page(heading: str, blocks: list[tuple[str, str]], breaks: dict[str, str]) -> list:  # type: ignore[type-arg]
    return [
        NextPageTemplate("twocol"),
        PageBreak(),
        para(heading, H2),
        FrameBreak(),
        *flowables(blocks, breaks),
        NextPageTemplate("onecol"),
        PageBreak(),
    ]


def cover_page(title: str, subtitle: str, line: Paragraph) -> list:  # type: ignore[type-arg]
    """The first page: title, subtitle and one more line on the green band; one-column pages follow."""
    return [
        Spacer(1, 25 * mm),
        para(title, COVER),
        para(subtitle, H1),
        line,
        NextPageTemplate("onecol"),
        PageBreak(),
    ]


def section(blocks: list[tuple[str, str]], start: str, end: str | None) -> list[tuple[str, str]]:
    """Blocks from the heading ``start`` up to (not including) the heading ``end``."""
    texts = [t for _, t in blocks]
    i = texts.index(start)
    j = texts.index(end) if end else len(blocks)
    return blocks[i:j]


# --- the two PDFs ------------------------------------------------------------------------------


def build_ballerup(seed: str, out: Path) -> None:
    blocks = seed_blocks(seed)
    breaks = {
        "kommunale arbejds gange": "kommunale arbejds-|gange",
        "forpligtet sig til at reducere CO₂-udledningen": "forpligtet sig til at reducere CO₂-|udledningen",
    }

    def footer(canvas, page: int) -> None:  # type: ignore[no-untyped-def]
        canvas.drawString(MARGIN, 12 * mm, "ballerup.dk/klima")
        canvas.drawRightString(WIDTH - MARGIN, 12 * mm, f"Side {page}")

    doc = make_doc(
        out,
        "Klimapolitik og handleplan 2023–2050",
        "Ballerup Kommune · Klimapolitik og handleplan 2023–2050",
        footer,
    )
    story = cover_page(
        "KLIMAPOLITIK OG HANDLEPLAN 2023–2050", "Ballerup Kommune", para("I GÅR – I DAG – I MORGEN", H2)
    )
    intro = section(blocks, "Rammerne for klimapolitikken og handleplanen", None)
    foreword = [b for b in blocks[: len(blocks) - len(intro)] if b[1] != "I GÅR – I DAG – I MORGEN"]
    story += [para("Forord", H1), *flowables(foreword, breaks)]
    first = section(blocks, "Rammerne for klimapolitikken og handleplanen", "Andet ben - Fællesskaber")
    story += flowables(first, breaks)
    second = section(blocks, "Andet ben - Fællesskaber", "Tredje ben - Drivhusgasser")
    story += two_column_page(second[0][1], second[1:], breaks)
    story += [
        para("Overblik over udvalgte mål og delmål", H2),
        para("Tabellen samler de kvantitative mål fra klimapolitikken og handleplanen."),
        target_table(
            [
                ("Delmål", "År", "Reduktion"),
                ("CO₂-udledning i kommunen som geografisk område, målt i forhold til 1990", "2030", "70 %"),
                ("Energiforbrug i de kommunale bygninger, målt i forhold til 2015", "2025", "15 %"),
                ("Energiforbrug i al bygningsmasse hos borgere og virksomheder", "2025", "15 %"),
                ("Netto-nul CO₂-udledning, klimaneutral og klimarobust kommune", "2050", "100 %"),
            ]
        ),
        Spacer(1, 6 * mm),
    ]
    story += flowables(section(blocks, "Tredje ben - Drivhusgasser", None), breaks)
    doc.build(story)


def build_green_cities(seed: str, out: Path) -> None:
    blocks = seed_blocks(seed)
    start = next(i for i, (_, t) in enumerate(blocks) if t == "Vision og mission")
    blocks = blocks[start:]
    breaks = {
        "Vores el- og varmeforsyning": "Vores el-|og varmeforsyning",
        "miljøsam arbejdet Green Cities": "miljøsam-|arbejdet Green Cities",
    }

    def footer(canvas, page: int) -> None:  # type: ignore[no-untyped-def]
        canvas.drawCentredString(WIDTH / 2, 12 * mm, str(page))

    doc = make_doc(
        out,
        "Green Cities – vores fælles mål",
        "Green Cities – et ambitiøst og forpligtende miljøsamarbejde",
        footer,
    )
    story = cover_page(
        "GREEN CITIES",
        "– et ambitiøst og forpligtende miljøsamarbejde",
        para("Albertslund · Allerød · Ballerup · Herning · Kolding · København", BODY),
    )
    story += flowables(section(blocks, "Vision og mission", "Hvordan går det med at opfylde målene?"), breaks)
    story += [
        Spacer(1, 4 * mm),
        para("Målene i tal", H2),
        target_table(
            [
                ("Delmål", "År", "Reduktion"),
                ("CO₂-udslip, i forhold til 2006", "2015", "25 %"),
                ("Vandforbrug i de kommunale bygninger, i forhold til 2010", "2020", "25 %"),
                ("Forbrændingsegnet affald fra husholdninger, i forhold til 2010", "2018", "30 %"),
            ]
        ),
    ]
    rest = section(blocks, "Hvordan går det med at opfylde målene?", None)
    story += two_column_page(rest[0][1], rest[1:], breaks)[:-2]
    doc.build(story)


# --- the two HTML pages ------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>{title} | {municipality} Kommune</title>
<link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}">
<style>body{{font-family:sans-serif}} .cookie-banner{{position:fixed;bottom:0}}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date());</script>
</head>
<body>
<a class="skip-link" href="#main-content">Spring til hovedindhold</a>
<div id="CybotCookiebotDialog" class="cookie-consent" role="dialog" aria-label="Cookiesamtykke">
  <h2>{municipality} Kommune bruger cookies</h2>
  <p>Vi bruger cookies til statistik og til at forbedre hjemmesiden. Du kan til enhver tid ændre dit samtykke.
  Læs mere i vores cookiepolitik fra 2023.</p>
  <button>Tillad alle</button> <button>Kun nødvendige</button>
</div>
<header class="site-header">
  <a href="/" class="logo">{municipality} Kommune</a>
  <nav class="main-nav" aria-label="Hovedmenu"><ul>
    <li><a href="/borger">Borger</a></li><li><a href="/erhverv">Erhverv</a></li>
    <li><a href="/politik">Politik</a></li><li><a href="/om-kommunen">Om kommunen</a></li>
  </ul></nav>
  <form class="search" action="/soeg"><input name="q" placeholder="Søg"><button>Søg</button></form>
</header>
<nav class="breadcrumb" aria-label="Brødkrumme"><ol>
  <li><a href="/">Forside</a></li><li><a href="/om-kommunen">Om kommunen</a></li><li>{title}</li>
</ol></nav>
<main id="main-content">
<article>
{body}
</article>
<aside class="related-links"><h2>Relaterede sider</h2><ul>
  <li><a href="/klimaplan">Klimaplan 2030</a></li><li><a href="/affald">Affald og genbrug</a></li>
</ul></aside>
</main>
<footer class="site-footer">
  <p>{municipality} Kommune · {address} · CVR-nummer: {cvr}</p>
  <p>Telefon 64 74 74 74 · Åbningstider: mandag–fredag 10–15 · Tilgængelighedserklæring · Privatlivspolitik</p>
  <p>© 2024 {municipality} Kommune</p>
</footer>
</body>
</html>
"""


def html_blocks(blocks: list[tuple[str, str]], first_heading: str = "h1") -> str:
    out: list[str] = []
    in_list = False
    used_h1 = False
    for kind, text in blocks:
        text = html.escape(text, quote=False)
        if kind == "bullet":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"  <li>{text}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if kind == "heading":
            tag = first_heading if not used_h1 else "h2"
            used_h1 = True
            out.append(f"<{tag}>{text}</{tag}>")
        else:
            out.append(f"<p>{text}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def build_assens_html(seed: str, out: Path) -> None:
    blocks = seed_blocks(seed)
    # drop the scraped icon label and the section label; the page has its own header
    blocks = [b for b in blocks if not b[1].startswith(("icon-", "Nyt fra Assens"))]
    body = '<p class="news-date">Nyhed</p>\n' + html_blocks(blocks)
    page = PAGE.format(
        title="Klimaalliance: DK2020-kommuner går sammen",
        municipality="Assens",
        url=MANIFEST[7][4],
        published="2021-03-18T09:00:00+01:00",
        body=body,
        address="Rådhus Allé 5, 5610 Assens",
        cvr="29189374",
    )
    out.write_text(page, encoding="utf-8")


def build_aalborg_html(seed: str, out: Path) -> None:
    """Aalborg's page as served: each partnership is an accordion, rendered once for mobile and once for desktop."""
    text = seed.split("Kontakt\n", 1)[0]
    blocks = [b for b in seed_blocks(text) if not b[1].startswith(("Skip til", "Hjem "))]
    intro_end = next(i for i, (_, t) in enumerate(blocks) if t.startswith("Aalborg Commitments"))
    intro, rest = blocks[:intro_end], blocks[intro_end:]
    # the scraped text already holds each section twice; rebuild sections once, then write them twice
    sections: list[list[tuple[str, str]]] = []
    seen: set[str] = set()
    titles = [
        "Aalborg Commitments – bæredygtige byer",
        "Green Fleets – grønnere transport",
        "MoLo Hubs – bæredygtig logistik",
        "KIMO – havmiljø og kystbeskyttelse",
        "Covenant of Mayors – drivhusgasser",
    ]
    for block in rest:
        if block[1] in titles:
            sections.append([])
        sections[-1].append(block)
    body = [html_blocks(intro)]
    for sec in sections:
        if sec[0][1] in seen:
            continue  # the scraped duplicate
        seen.add(sec[0][1])
        inner = html_blocks(sec[1:], first_heading="h3").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
        heading = html.escape(sec[0][1], quote=False)
        body.append(
            f'<section class="accordion">\n<h2>{heading}</h2>\n'
            f'<div class="accordion-mobile">\n{inner}\n</div>\n'
            f'<div class="accordion-desktop">\n{inner}\n</div>\n</section>'
        )
    page = PAGE.format(
        title="Bæredygtig kommune – grønne partnerskaber",
        municipality="Aalborg",
        url=MANIFEST[8][4],
        published="2024-05-02T12:00:00+02:00",
        body="\n".join(body),
        address="Boulevarden 13, 9000 Aalborg",
        cvr="29189420",
    )
    out.write_text(page, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    seeds = {key: (args.seeds / name).read_text(encoding="utf-8") for key, name in SEEDS.items()}
    for name in SEEDS.values():
        shutil.copyfile(args.seeds / name, out / name)
    build_ballerup(seeds["002"], out / MANIFEST[5][0])
    build_green_cities(seeds["000"], out / MANIFEST[6][0])
    build_assens_html(seeds["001"], out / MANIFEST[7][0])
    build_aalborg_html(seeds["003"], out / MANIFEST[8][0])
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["path", "municipality", "title", "kind", "source_url", "published"])
        writer.writerows(MANIFEST)
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"wrote {len(MANIFEST)} documents to {out} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
