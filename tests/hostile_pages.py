"""Hostile web pages: boilerplate under names no list knows, cookie dialogs, mega-menus, footers, copies.

Each page is written the way municipal sites are built, and says which text
is its content (must be read) and which is boilerplate (must not be). Used by
tests/test_readers_html.py and benchmarks/bench_html.py (which also measures
trafilatura on them).
"""

from __future__ import annotations

from dataclasses import dataclass

_BODY = (
    "<h1>Klimaplan 2030</h1>"
    "<p>Kommunen vil reducere CO₂-udledningen med 70 % i 2030 i forhold til 1990, og i 2050 skal kommunen være "
    "klimaneutral. Planen er vedtaget af byrådet efter en offentlig høring med mange bidrag fra borgere.</p>"
    "<h2>Transport</h2>"
    "<p>Senest i 2030 kører alle kommunens busser på el, og antallet af ladestandere fordobles, så det bliver "
    "lettere for borgerne at vælge en elbil. Cykelstierne udbygges langs de store veje.</p>"
    "<ul><li>Alle kommunale personbiler er elbiler i 2027.</li>"
    "<li>Andelen af cykelture skal være mindst 30 % i 2030.</li></ul>"
)
CONTENT = (
    "Klimaplan 2030",
    "Kommunen vil reducere CO₂-udledningen med 70 % i 2030 i forhold til 1990",
    "Senest i 2030 kører alle kommunens busser på el",
    "- Alle kommunale personbiler er elbiler i 2027.",
    "- Andelen af cykelture skal være mindst 30 % i 2030.",
)
_FOOTER = (
    "<p>Eksempel Kommune · Rådhusvej 1 · 2670 Eksempelby · CVR 12345678 · Telefon 43 97 97 97</p>"
    "<p>Vi vil halvere vores svartid inden 2027, og vi besvarer 90 % af alle henvendelser inden for 5 dage.</p>"
    "<p>Senest opdateret 12. marts 2024 · Tilgængelighedserklæring · Privatlivspolitik</p>"
)
FOOTER_TEXT = ("Rådhusvej 1", "svartid", "henvendelser", "Senest opdateret", "CVR 12345678")
_MENU = "".join(
    f"<li><a href='/{slug}'>{label}</a><ul>"
    + "".join(
        f"<li><a href='/{slug}/{i}'>{label} {year}</a></li>" for i, year in enumerate((2024, 2025, 2030))
    )
    + "</ul></li>"
    for slug, label in (("affald", "Affaldsplan"), ("klima", "Klimaregnskab"), ("trafik", "Trafikplan"))
)
MENU_TEXT = ("Affaldsplan 2024", "Klimaregnskab 2025", "Trafikplan 2030")
_COOKIE = (
    "<p>Vi bruger cookies til at huske dine valg og til statistik. Vi gemmer dit samtykke i 12 måneder "
    "fra 2024.</p><button>Tillad alle</button><button>Afvis</button>"
)
COOKIE_TEXT = ("cookies", "samtykke", "Tillad alle", "Afvis")


@dataclass(frozen=True)
class HostilePage:
    name: str
    html: str
    content: tuple[str, ...]
    boilerplate: tuple[str, ...]


def _page(body: str) -> str:
    return f"<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'><title>Klimaplan 2030</title></head><body>{body}</body></html>"


PAGES = (
    HostilePage(
        "unknown-class-names",
        _page(
            f"<div class='cc_b'>{_COOKIE}</div>"
            f"<div class='hovedmenu'><ul>{_MENU}</ul></div>"
            f"<div class='kolonne'><div class='tekstfelt'>{_BODY}</div></div>"
            f"<div class='bund'>{_FOOTER}</div>"
        ),
        CONTENT,
        COOKIE_TEXT + MENU_TEXT + FOOTER_TEXT,
    ),
    HostilePage(
        "cookie-dialogs",
        _page(
            f"<div id='coiOverlay' role='dialog' aria-modal='true'><div class='coi-banner__page'>{_COOKIE}</div></div>"
            f"<div id='onetrust-consent-sdk'><div id='onetrust-banner-sdk' class='otFlat' role='region'>{_COOKIE}</div></div>"
            f"<main><div class='cc-window' role='dialog' aria-label='samtykke'>{_COOKIE}</div>{_BODY}</main>"
        ),
        CONTENT,
        COOKIE_TEXT,
    ),
    HostilePage(
        "mega-menu",
        _page(
            f"<div class='site-top'><div class='megamenu'><ul>{_MENU}</ul></div>"
            "<ol class='crumbs'><li><a href='/'>Forside</a></li><li><a href='/klima'>Klima og miljø</a></li></ol></div>"
            f"<div id='indhold'>{_BODY}</div>"
        ),
        CONTENT,
        MENU_TEXT + ("Forside", "Klima og miljø"),
    ),
    HostilePage(
        "footer-with-address-and-dates",
        _page(f"<div class='wrapper'><main>{_BODY}</main><div id='sidefod'>{_FOOTER}</div></div>"),
        CONTENT,
        FOOTER_TEXT,
    ),
    HostilePage(
        "repeated-responsive-blocks",
        _page(
            "<main>"
            f"<div class='visible-xs'>{_BODY}</div><div class='hidden-xs'>{_BODY}</div>"
            f"<div style='display: none'>{_BODY}</div>"
            "</main>"
            f"<div class='bund'>{_FOOTER}</div>"
        ),
        CONTENT,
        FOOTER_TEXT,
    ),
)
