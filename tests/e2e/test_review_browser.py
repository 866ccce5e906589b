"""End to end in headless Chromium: a reviewer's whole session, keyboard first, on the real server and database.

Runs the app under uvicorn on a copy of the ingested bundled corpus (plus one
synthetic plan with a hostile page), drives Debian's chromium through
Playwright's sync API, and saves screenshots of the queue, a target page and a
conflict to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.bench_review import seed_synthetic
from tests.e2e.support import HOSTILE_PAGE, PASSWORD, SCREENSHOTS, make_users, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")


def _copy_sqlite(url: str, target: Path) -> str:
    """A private copy of a SQLite database (the backup API includes what is still in the WAL)."""
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    copy = sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def review_url(ingested_corpus_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _copy_sqlite(ingested_corpus_url, tmp_path_factory.mktemp("e2e") / "review.db")
    seed_synthetic(url, documents=1, targets_per_document=6, extra_page=HOSTILE_PAGE)
    make_users(url, ("anna", "reviewer"), ("bent", "reviewer"), ("admin", "admin"))
    return url


@pytest.fixture(scope="module")
def base_url(review_url: str) -> Iterator[str]:
    with running_server(review_url) as url:
        yield url


def _context(browser, base_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return context, page


def _login(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/queue")
    assert "/login" in page.url
    page.locator("#name").fill(name)
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/queue")


def _target_id(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.url.split("/targets/")[1].split("?")[0])


def _press(page, key: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_reviewers_session(browser, base_url: str, review_url: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page = _context(browser, base_url)
    _login(page, "anna")
    assert page.locator(".tabs .status-pending").first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "queue.png"), full_page=False)

    # Open the first target from the queue with the keyboard: j selects a row, Enter opens it.
    page.keyboard.press("j")
    _press(page, "Enter")
    first = _target_id(page)
    assert page.locator("#passage mark.quote").count() == 1
    assert page.get_by_role("button", name="Acceptér a").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "target.png"), full_page=True)

    # 1. accept with "a": the next target opens.
    _press(page, "a")
    second = _target_id(page)
    assert second != first
    assert "accepteret" in page.locator(".flash").inner_text()

    # 2. edit with "e": a bad value first (clear Danish message), then a Danish decimal, Enter saves.
    page.keyboard.press("e")
    page.keyboard.type("mange")
    _press(page, "Enter")
    assert "er ikke et tal" in page.locator(".field-error").inner_text()
    assert page.evaluate("document.activeElement.id") == "field-value"  # focus lands on the bad field
    page.keyboard.press("Control+a")
    page.keyboard.type("45,5")
    _press(page, "Enter")
    third = _target_id(page)
    assert third not in (first, second)

    # 3. reject with "r", a reason, Enter.
    page.keyboard.press("r")
    page.keyboard.type("statistik, ikke et mål")
    _press(page, "Enter")
    fourth = _target_id(page)
    assert "afvist" in page.locator(".flash").inner_text()

    # "u" takes back the rejection: back on the third target, pending again, history shows both rows.
    _press(page, "u")
    assert _target_id(page) == third
    assert page.locator("h1 .badge").inner_text().endswith("afventer")
    history = page.locator("table.history").inner_text()
    assert "afviste" in history and "fortrød" in history
    # j/k move through the (pending) queue without deciding; s skips.
    _press(page, "j")
    assert _target_id(page) == fourth
    _press(page, "k")
    assert _target_id(page) == third
    _press(page, "s")
    assert _target_id(page) == fourth
    # The edit is recorded with the machine's value kept in the history.
    page.goto(f"/targets/{second}")
    assert page.locator("h1 .badge").inner_text().endswith("rettet")
    assert "45,5" in page.locator("table.history").inner_text()
    assert page.locator("#field-value").input_value() == "45,5"

    # Add a missed target: select its sentence on the whole page and press "n".
    document_id, page_number = _hostile_page(review_url)
    page.goto(f"/documents/{document_id}/pages/{page_number}")
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(SCREENSHOTS / "page.png"), full_page=False)
    assert "<script>window.__pwned = 1; alert('xss')</script>" in page.locator("#passage").inner_text()
    sentence = "Vi vil reducere udledningen fra kommunens egne bygninger med 40 % i 2030."
    page.evaluate(
        """sentence => {
            const node = document.getElementById('passage').firstChild;
            const start = node.textContent.indexOf(sentence);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + sentence.length);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
        }""",
        sentence,
    )
    _press(page, "n")
    assert page.locator("#field-quote").input_value() == sentence
    page.keyboard.type("40")  # the value field has focus
    page.locator("#field-unit").fill("%")
    page.locator("#field-direction").select_option("reduce")
    page.locator("#field-target_year").fill("2030")
    page.locator("#field-target_year").focus()
    page.screenshot(path=str(SCREENSHOTS / "add.png"), full_page=True)
    _press(page, "Enter")
    assert "tilføjet af bedømmer" in page.locator("h1").inner_text()
    added = _target_id(page)

    # A conflict: bent loads a pending target, anna accepts it, bent's edit is refused with anna's change shown.
    other_context, other = _context(browser, base_url)
    _login(other, "bent")
    other.goto(f"/targets/{fourth}")
    page.goto(f"/targets/{fourth}")
    _press(page, "a")
    other.keyboard.press("e")
    other.keyboard.type("12")
    _press(other, "Enter")
    conflict = other.locator("#conflict")
    assert conflict.is_visible()
    assert "anna" in conflict.inner_text() and "accepterede" in conflict.inner_text()
    other.screenshot(path=str(SCREENSHOTS / "conflict.png"), full_page=False)
    other_context.close()

    # Export as gold JSONL: the correction and the added target are in it.
    page.goto("/export")
    page.locator("#export-format").select_option("jsonl")
    page.locator("#export-button").focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    lines = [
        json.loads(line) for line in Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    ]
    by_quote = {t["quote"]: t for line in lines for t in line["targets"]}
    assert by_quote[sentence]["value"] == 40.0 and by_quote[sentence]["target_year"] == 2030
    assert any(
        f"#{added}" in line["note"] and t["quote"] == sentence for line in lines for t in line["targets"]
    )
    assert any(f"#{second}" in line["note"] and t["value"] == 45.5 for line in lines for t in line["targets"])
    assert all(t["quote"] in line["text"] for line in lines for t in line["targets"])

    # Log out: the session is gone.
    with page.expect_navigation():
        page.locator("#logout").click()
    assert "/login" in page.url
    page.goto("/queue")
    assert "/login" in page.url
    assert page.dialogs == []  # type: ignore[attr-defined]
    context.close()


def _hostile_page(url: str) -> tuple[int, int]:
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    row = connection.execute("SELECT document_id, number FROM pages WHERE text LIKE '%__pwned%'").fetchone()
    connection.close()
    return int(row[0]), int(row[1])
