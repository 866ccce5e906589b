"""In headless Chromium: the HTML report opened offline from a file, and an analyst's comparison and search.

Debian's chromium through Playwright (never a downloaded browser); the report is opened with the
context offline and every non-file request refused, so it must need nothing from a network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report import build_report
from analysis.writers import write_report
from db.engine import session_factory
from db.migrate import upgrade
from tests.compare_corpus import Planted, plant_corpus
from tests.e2e.support import PASSWORD, SCREENSHOTS, make_users, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Planted]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browsercompare') / 'k.db'}"
    upgrade(url)
    planted = plant_corpus(session_factory(url))
    make_users(url, ("ada", "analyst"))
    return url, planted


def test_report_file_opens_offline_with_matrix_and_chart(browser, corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, planted = corpus
    with session_factory(url)() as session:
        report = build_report(session)
    write_report(report, tmp_path)
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    requested: list[str] = []

    def refuse(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.goto((tmp_path / "report.html").as_uri())
    rows = page.locator("#matrix-table tbody tr")
    assert rows.count() == 98
    code, (value, _, _) = next(iter(planted.headline.items()))
    cell = page.locator(f'#matrix-table tr[data-code="{code}"] td.headline .value')
    assert cell.inner_text().startswith(f"{value:g}".replace(".", ",") + " %")
    chart = page.locator("#chart-ambition")
    assert chart.is_visible()
    assert chart.locator("circle.point").count() == len(planted.headline)
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert requested == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=False)
    context.close()


def test_analyst_compares_and_searches(browser, corpus) -> None:  # type: ignore[no-untyped-def]
    url, planted = corpus
    with running_server(url) as base:
        context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
        )
        page.goto("/compare?shared=0")
        page.locator("#name").fill("ada")
        page.locator("#password").fill(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("#matrix-table tbody tr").count() == 98
        assert page.locator("#chart-ambition circle.point").count() == len(planted.headline)
        assert page.locator("#chart-ambition").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=False)

        # one municipality through the form, then its headline's source passage
        code = next(c for c in planted.codes if c in planted.headline)
        page.locator("#compare-municipality").fill(planted.names[code])
        with page.expect_navigation():
            page.locator("#compare-button").click()
        assert page.locator("#matrix-table tbody tr").count() == 1
        with page.expect_navigation():
            page.locator("td.headline a.source").first.click()
        assert "/documents/" in page.url and "/pages/" in page.url
        assert "Tilføj mål fra markering" not in page.content()  # an analyst adds nothing

        page.goto("/search")
        page.locator("#search-q").fill("udledning")
        page.locator("#search-municipality").fill(planted.names[code])
        with page.expect_navigation():
            page.locator("#search-button").click()
        hits = page.locator("#search-hits li.hit")
        assert hits.count() >= 1
        assert page.locator("#search-hits mark").first.inner_text().lower().startswith("udledning")
        with page.expect_navigation():
            hits.first.locator("a").click()
        assert "/pages/" in page.url
        assert violations == []
        context.close()
