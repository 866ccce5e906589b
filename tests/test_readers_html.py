"""The HTML reader: main content only, structure, repeated sections once, encodings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extractors.document import NoTextError, ParsedDocument
from extractors.readers import read_document
from tests.hostile_pages import FOOTER_TEXT, PAGES, HostilePage

PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Klimaplan | Vejle Kommune</title>
<script>var tracking = "I 2030 skal scriptet ikke læses";</script><style>p { color: red }</style></head>
<body>
<a href="#main" class="skip-link">Spring til indhold</a>
<div id="CybotCookiebotDialog" role="dialog"><p>Vi bruger cookies fra 2023 til statistik.</p><button>OK</button></div>
<header><nav><ul><li><a href="/">Forside</a></li><li><a href="/borger">Borger</a></li></ul></nav></header>
<nav class="breadcrumb"><a href="/">Forside</a> / <a href="/klima">Klima</a></nav>
<main id="main">
  <h1>Vejles klimaplan</h1>
  <p>Vejle Kommune vil <strong>reducere</strong> CO₂-udledningen med 70&nbsp;% i 2030.</p>
  <h2>Mål:</h2>
  <ul><li>Senest i 2025 kører alle busser på el.<ul><li>Også skolebusser.</li></ul></li>
      <li>I 2035 er opvarmningen fossilfri.</li></ul>
  <table><tr><th>Delmål</th><th>År</th><th>Reduktion</th></tr>
         <tr><td>Energiforbrug</td><td>2025</td><td>15 %</td></tr></table>
  <div>Løs tekst i en div<br>over to linjer.</div>
  <aside class="related"><h2>Se også</h2><p>Affaldsplan 2024</p></aside>
</main>
<footer><p>Vejle Kommune · Skolegade 1 · CVR 29189641</p></footer>
</body></html>
"""


def read(data: bytes | str, name: str = "side.html") -> ParsedDocument:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    document = read_document(raw, name)
    page = document.pages[0]
    for block in page.blocks:
        assert page.text[block.start : block.end] == block.text
    return document


def test_main_content_only_with_structure() -> None:
    document = read(PAGE)
    assert document.media_type == "text/html"
    assert document.title == "Klimaplan | Vejle Kommune"
    assert document.metadata["h1"] == "Vejles klimaplan"
    assert [(b.kind, b.text) for b in document.pages[0].blocks] == [
        ("heading", "Vejles klimaplan"),
        ("paragraph", "Vejle Kommune vil reducere CO₂-udledningen med 70 % i 2030."),
        ("heading", "Mål:"),
        ("list_item", "- Senest i 2025 kører alle busser på el."),
        ("list_item", "- Også skolebusser."),
        ("list_item", "- I 2035 er opvarmningen fossilfri."),
        ("table_row", "Delmål | År | Reduktion"),
        ("table_row", "Energiforbrug | 2025 | 15 %"),
        ("paragraph", "Løs tekst i en div over to linjer."),
    ]


@pytest.mark.parametrize(
    "boilerplate", ["cookies", "Forside", "CVR", "Spring til", "scriptet", "color", "Affaldsplan"]
)
def test_boilerplate_is_gone(boilerplate: str) -> None:
    assert boilerplate not in read(PAGE).text


def test_double_line_breaks_separate_paragraphs() -> None:
    html = "<html><body><main><div>Første afsnit om klimaet<br>fortsætter her.<br> <br>Andet afsnit.</div></main></body></html>"
    assert [b.text for b in read(html).pages[0].blocks] == [
        "Første afsnit om klimaet fortsætter her.",
        "Andet afsnit.",
    ]


def test_page_without_main_uses_the_body_minus_boilerplate() -> None:
    html = """<html><head><title>Nyhed</title></head><body>
    <div class="cookie-banner">Accepter cookies</div>
    <div class="menu"><a href="/">Hjem</a></div>
    <h1>Ny klimaplan vedtaget</h1><p>Byrådet vedtog planen i går.</p>
    <div class="site-footer">Kontakt os</div></body></html>"""
    assert read(html).text == "Ny klimaplan vedtaget\n\nByrådet vedtog planen i går."


def test_consent_dialogs_and_landmarks_inside_main_are_dropped() -> None:
    html = """<html><body><main>
    <div id="CybotCookiebotDialog" role="dialog" aria-modal="true"><p>Vi bruger cookies til statistik siden 2023.</p></div>
    <div role="navigation"><a href="/a">Affald</a> <a href="/b">Klima</a></div>
    <div class="hero-banner"><h1>Klimaplan 2030</h1></div>
    <p>Kommunen skal være klimaneutral i 2050.</p>
    <div role="contentinfo">Rådhuset, 7100 Vejle, CVR 29189641</div></main></body></html>"""
    assert read(html).text == "Klimaplan 2030\n\nKommunen skal være klimaneutral i 2050."


def test_repeated_sections_come_out_once() -> None:
    section = "<h2>Green Fleets</h2><p>Projektet omstiller kommunale køretøjer til grønne drivmidler.</p><p>Det løber fra 2023 til 2026.</p>"
    html = f"""<html><body><main><h1>Partnerskaber</h1>
    <div class="mobile">{section}</div><div class="desktop">{section}</div>
    <h2>KIMO</h2><p>Aalborg Kommune er medlem af KIMO, et miljøsamarbejde om havmiljøet.</p>
    <h2>Green Fleets</h2><p>Projektet omstiller kommunale køretøjer til grønne drivmidler.</p><p>Det løber fra 2023 til 2026.</p>
    </main></body></html>"""
    text = read(html).text
    assert text.count("Green Fleets") == 1 and text.count("Det løber fra 2023 til 2026.") == 1
    assert "KIMO" in text


def test_short_repeats_are_kept() -> None:
    html = """<html><body><main><h2>Energi</h2><h3>Delmål:</h3><ul><li>Alle busser kører på el i 2030.</li></ul>
    <h2>Transport</h2><h3>Delmål:</h3><ul><li>Alle cykelstier er udbygget i 2030.</li></ul></main></body></html>"""
    assert read(html).text.count("Delmål:") == 2


def test_windows_1252_declared_charset() -> None:
    html = '<html><head><meta charset="windows-1252"><title>Møde</title></head><body><p>Grøn omstilling på Ærø</p></body></html>'
    document = read(html.encode("cp1252"))
    assert document.text == "Grøn omstilling på Ærø" and document.title == "Møde"


def test_html_downloaded_under_a_pdf_name_is_read_as_html() -> None:
    document = read(PAGE, "klimaplan.pdf")
    assert document.media_type == "text/html" and "70 % i 2030" in document.text


def test_page_with_only_boilerplate_has_no_text() -> None:
    with pytest.raises(NoTextError, match=r"^tom\.html: "):
        read_document(b"<html><body><nav>Menu</nav><footer>CVR 1234</footer></body></html>", "tom.html")


# --- hostile pages, nesting, titles ------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_hostile_pages_keep_their_content_and_no_boilerplate(page: HostilePage) -> None:
    text = read(page.html, f"{page.name}.html").text
    assert [c for c in page.content if c not in text] == []
    assert [b for b in page.boilerplate if b in text] == []
    assert text.count("Klimaplan 2030") == 1


def test_no_target_comes_from_a_footer() -> None:
    from extractors import extract_targets

    for page in PAGES:
        quotes = [t.quote for t in extract_targets(read(page.html, f"{page.name}.html").text)]
        assert quotes, page.name  # the content's targets are found
        assert not [q for q in quotes if any(f in q for f in FOOTER_TEXT)], page.name


def _nested(depth: int) -> str:
    return (
        "<html><body><main><h1>Dyb side</h1><p>Kommunen vil halvere udledningen inden 2030.</p>"
        + "<div>" * depth
        + "Teksten i bunden af alle lagene."
        + "</div>" * depth
        + "<p>Efter lagene: alle busser kører på el i 2035.</p></main></body></html>"
    )


def test_html_nested_100000_levels_is_read_whole() -> None:
    """Read in a child process with a generous hang guard: the old reader ran for minutes, then crashed."""
    code = (
        "import sys; from tests.test_readers_html import _nested; from extractors.readers import read_document; "
        "d = read_document(_nested(100_000).encode(), 'dyb.html'); print(d.text); print(d.metadata['nesting_flattened_at'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[1],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text, deepest = done.stdout.rstrip("\n").rsplit("\n", 1)
    assert "Kommunen vil halvere udledningen inden 2030." in text
    assert "Teksten i bunden af alle lagene." in text
    assert text.endswith("Efter lagene: alle busser kører på el i 2035.")
    assert int(deepest) >= 100_000


def test_flatten_keeps_shallow_markup_as_it_is() -> None:
    from extractors.readers.nesting import flatten

    assert flatten(PAGE) == (PAGE, None)
    flat, deepest = flatten(_nested(500), max_depth=50)
    assert deepest is not None and deepest > 500
    assert flat.count("<div>") == flat.count("</div>") < 50
    assert "Teksten i bunden af alle lagene." in flat


@pytest.mark.parametrize(
    ("head", "h1", "title"),
    [
        ("<title>Klimaplan | Vejle Kommune</title>", "Vejles klimaplan", "Klimaplan | Vejle Kommune"),
        (
            "<meta property='og:title' content='Klimaplan 2030'><title>Forside › Klima › Plan</title>",
            "x",
            "Klimaplan 2030",
        ),
        ("<title>Læs om vores cookiepolitik</title>", "Grøn omstilling i Vejle", "Grøn omstilling i Vejle"),
        ("<title>Printvenlig version - Klimaplan</title>", "Klimaplanen", "Klimaplanen"),
        ("<title>Forside › Politik › Dagsordener</title>", "Byrådsmøde 3. maj", "Byrådsmøde 3. maj"),
    ],
)
def test_title_is_never_a_cookie_notice_breadcrumb_or_print_view(head: str, h1: str, title: str) -> None:
    html = f"<html><head>{head}</head><body><main><h1>{h1}</h1><p>Tekst om klimaet.</p></main></body></html>"
    assert read(html).title == title
