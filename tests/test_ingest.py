"""The ingest core on SQLite and PostgreSQL: idempotence, versions, and bad files that never stop a run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from extractors import extract_targets, extractor_version
from klimamaal.config import CORPUS_DIR
from klimamaal.ingest import RunSummary, discover, ingest_source, seed_municipalities
from models import Block, Document, Location, Municipality, Page, Target


def run(sessions, locations) -> RunSummary:  # type: ignore[no-untyped-def]
    seed_municipalities(sessions)
    summary = RunSummary()
    for source in discover(locations):
        summary.add(ingest_source(sessions, source, extract_targets, extractor_version()))
    return summary


def counts(sessions) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Document, Page, Block, Target)
        }


def test_corpus_ingests_once(sessions) -> None:  # type: ignore[no-untyped-def]
    first = run(sessions, [CORPUS_DIR])
    assert first.failed == 0, first.rows()
    assert first.new == len(discover([CORPUS_DIR])) and first.new >= 7
    assert first.targets > 0
    after_first = counts(sessions)
    assert after_first["documents"] == first.new
    assert after_first["targets"] == first.targets
    assert after_first["pages"] == first.pages

    second = run(sessions, [CORPUS_DIR])
    assert (second.new, second.unchanged, second.failed) == (0, first.new, 0)
    assert counts(sessions) == after_first


def test_same_bytes_under_another_name_are_one_document(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Kommunen skal reducere CO₂-udledningen med 70 % i 2030 i forhold til 1990.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    summary = run(sessions, [tmp_path])
    assert (summary.new, summary.unchanged) == (1, 1)
    with sessions() as session:  # one document, served at both places
        served = session.scalars(select(Location.document_id)).all()
        assert len(served) == 2 and len(set(served)) == 1


def test_a_place_that_goes_back_to_an_older_file_makes_it_current_again(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.txt"
    texts = {
        "A": "Senest i 2030 er CO₂-udledningen reduceret med 50 % i forhold til 2010.\n",
        "B": "Senest i 2030 er CO₂-udledningen reduceret med 60 % i forhold til 2010.\n",
    }
    statuses = []
    for name in ("A", "B", "A"):
        plan.write_text(texts[name], encoding="utf-8")
        statuses.append(run(sessions, [plan]).outcomes[0].status)
    assert statuses == ["new", "changed", "changed"]
    with sessions() as session:
        a, b = session.scalars(select(Document).order_by(Document.id)).all()
        assert (a.superseded_at, b.superseded_by_id) == (None, a.id)
        assert session.scalar(select(Location.document_id)) == a.id


def test_changed_file_becomes_a_new_version(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "Senest i 2030 er CO₂-udledningen reduceret med 50 % i forhold til 2010.\n", encoding="utf-8"
    )
    run(sessions, [plan])
    plan.write_text(
        "Senest i 2030 er CO₂-udledningen reduceret med 60 % i forhold til 2010.\n", encoding="utf-8"
    )
    summary = run(sessions, [plan])
    assert (summary.new, summary.changed) == (0, 1)
    assert summary.outcomes[0].detail.startswith("+0 -0 ~1 targets")
    with sessions() as session:
        old, new = session.scalars(select(Document).order_by(Document.id)).all()
        assert new.previous_id == old.id and old.previous_id is None
        assert (old.superseded_by_id, new.superseded_by_id) == (new.id, None)
        assert new.sha256 != old.sha256
        assert [t.value for t in new.targets] == [60.0]
        assert [t.value for t in old.targets] == [50.0]


def _bad_files(folder: Path) -> dict[str, Path]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    files = {
        "corrupt": folder / "corrupt.pdf",
        "encrypted": folder / "encrypted.pdf",
        "empty": folder / "empty.pdf",
        "image_only": folder / "scan.pdf",
        "unknown": folder / "plan.docx",
    }
    files["corrupt"].write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf body\n")
    files["empty"].write_bytes(b"")
    files["unknown"].write_bytes(b"PK\x03\x04 not really a word document")
    secret = canvas.Canvas(str(files["encrypted"]), pagesize=A4, encrypt="hemmelig")
    secret.drawString(72, 720, "Kommunen skal være CO2-neutral i 2050.")
    secret.save()
    scan = canvas.Canvas(str(files["image_only"]), pagesize=A4)
    for i in range(20):
        scan.rect(50 + i * 10, 50 + i * 20, 200, 30, fill=1)
    scan.showPage()
    scan.save()
    return files


def test_bad_files_fail_with_clear_messages_and_the_run_goes_on(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = _bad_files(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(
        "I 2030 skal CO₂-udledningen være reduceret med 70 % i forhold til 1990.\n", encoding="utf-8"
    )
    summary = run(sessions, [*map(str, files.values()), str(good)])
    by_source = {Path(o.source).name: o for o in summary.outcomes}
    assert by_source["good.txt"].status == "new" and by_source["good.txt"].targets == 1
    assert summary.failed == len(files)
    assert by_source["scan.pdf"].status == "no_text"
    for name, path in files.items():
        outcome = by_source[path.name]
        assert outcome.status in ("failed", "no_text"), name
        assert path.name in (outcome.error or ""), (name, outcome.error)
    assert "encrypt" in by_source["encrypted.pdf"].error.lower()
    assert "empty" in by_source["empty.pdf"].error.lower()
    with sessions() as session:
        stored = {Path(d.source).name: d for d in session.scalars(select(Document))}
    assert {stored[p.name].status for p in files.values()} <= {"failed", "no_text"}
    assert all(stored[p.name].error for p in files.values())


def test_failed_document_is_retried_not_duplicated(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    run(sessions, [bad])
    second = run(sessions, [bad])
    assert second.failed == 1
    assert counts(sessions)["documents"] == 1


def test_a_failure_that_succeeds_later_becomes_the_document_in_place(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Documents are never deleted: the row of a failed extraction is filled in when the same bytes succeed."""
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "I 2030 skal CO₂-udledningen være reduceret med 70 % i forhold til 1990.\n", encoding="utf-8"
    )
    seed_municipalities(sessions)
    (source,) = discover([plan])

    def broken_rules(text: str, state: object = None) -> list:  # type: ignore[type-arg]
        raise RuntimeError("a rule bug")

    failed = ingest_source(sessions, source, broken_rules, "broken")
    assert failed.status == "failed" and "a rule bug" in (failed.error or "")
    fixed = ingest_source(sessions, source, extract_targets, extractor_version())
    assert fixed.status == "new" and fixed.document_id == failed.document_id and fixed.targets == 1
    with sessions() as session:
        (document,) = session.scalars(select(Document))
        assert (document.status, document.error, document.page_count) == ("extracted", None, 1)
        assert len(document.targets) == 1


def test_missing_file_is_reported(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = run(sessions, [tmp_path / "nowhere.pdf"])
    assert summary.failed == 1
    assert "nowhere.pdf" in summary.outcomes[0].error and "not found" in summary.outcomes[0].error


def test_manifest_sets_municipality_title_and_kind(sessions) -> None:  # type: ignore[no-untyped-def]
    run(sessions, [CORPUS_DIR])
    with sessions() as session:
        rows = session.execute(
            select(Document.source, Document.kind, Document.title, Municipality.name).join(
                Municipality, Document.municipality_code == Municipality.code, isouter=True
            )
        ).all()
    ballerup = [r for r in rows if "002" in Path(r.source).name or "ballerup" in Path(r.source).name.lower()]
    assert ballerup and all(r.name and r.name.startswith("Ballerup") for r in ballerup)
    assert all(r.kind in ("plan", "strategy", "web_page", "news") for r in rows)
    assert all(r.title for r in rows)


def test_target_offsets_point_into_stored_page_text(sessions) -> None:  # type: ignore[no-untyped-def]
    run(sessions, [CORPUS_DIR])
    with sessions() as session:
        for target in session.scalars(select(Target)):
            page = next(p for p in target.document.pages if p.number == target.page_number)
            assert page.text[target.page_start : target.page_end] == target.quote


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_each_text_type_ingests(sessions, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    source = CORPUS_DIR / next(p.name for p in CORPUS_DIR.iterdir() if p.name.startswith("000_"))
    target = tmp_path / f"plan{suffix}"
    text = source.read_text(encoding="utf-8")
    target.write_text(f"<html><body><main><p>{text}</p></main></body></html>" if suffix == ".html" else text)
    summary = run(sessions, [target])
    assert summary.new == 1 and summary.targets > 0


def test_folder_discovery_skips_unsupported_and_hidden_files(tmp_path: Path) -> None:
    shutil.copytree(CORPUS_DIR, tmp_path / "c")
    (tmp_path / "c" / ".hidden").mkdir()
    (tmp_path / "c" / ".hidden" / "x.txt").write_text("x")
    (tmp_path / "c" / "notes.docx").write_text("x")
    names = {Path(s.location).name for s in discover([tmp_path / "c"])}
    assert "x.txt" not in names and "notes.docx" not in names and "manifest.csv" not in names
    supported = {p.name for p in CORPUS_DIR.iterdir() if p.suffix in (".pdf", ".html", ".txt")}
    assert supported and supported <= names  # and every plan of the corpus is found


def test_urls_are_fetched_and_a_missing_one_is_named(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import functools
    import http.server
    import threading

    (tmp_path / "klimaplan.txt").write_text(
        "Klimaplan\n\nSenest i 2030 skal CO₂-udledningen være reduceret med 70 % i forhold til 1990.\n",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/klimaplan.txt"
        summary = run(sessions, [url, url.replace("klimaplan", "missing")])
    finally:
        server.shutdown()
    by_status = {o.status: o for o in summary.outcomes}
    assert by_status["new"].targets == 1
    assert "missing.txt" in by_status["failed"].error and "404" in by_status["failed"].error


def test_a_file_over_the_size_limit_is_a_recorded_error_and_the_run_completes(
    sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KLIMAMAAL_MAX_DOCUMENT_MB", "0.01")  # 10 KB
    (tmp_path / "stor.txt").write_text(
        "Kommunen vil halvere udledningen inden 2030.\n\n" * 1000, encoding="utf-8"
    )
    (tmp_path / "lille.txt").write_text("Kommunen vil halvere udledningen inden 2030.\n", encoding="utf-8")
    summary = run(sessions, [tmp_path])
    assert (summary.new, summary.failed) == (1, 1)
    (failed,) = [o for o in summary.outcomes if o.status == "failed"]
    assert failed.error.startswith(f"{tmp_path / 'stor.txt'}: is 0.0 MB, more than the maximum document size")
    assert "KLIMAMAAL_MAX_DOCUMENT_MB" in failed.error
    with sessions() as session:
        document = session.get_one(Document, failed.document_id)
        assert (document.status, document.error, document.page_count) == ("failed", failed.error, 0)


def test_a_long_text_is_stored_in_windows_with_the_targets_of_the_whole(
    sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Windows of a few hundred characters: pages and targets as if the text had been read whole."""
    from extractors.readers import text as text_reader

    sections = [
        f"Afsnit {n}\n\nDelmål:\n\n- Senest i {2025 + n % 10} er udledningen reduceret med {n % 90 + 5} %.\n\n"
        "Kommunen arbejder med den grønne omstilling i hele kommunen.\n\n"
        for n in range(60)
    ]
    path = tmp_path / "lang.txt"
    path.write_text("".join(sections), encoding="utf-8")
    whole = extract_targets(read_document_whole(path))
    monkeypatch.setattr(text_reader, "WINDOW_CHARS", 400)
    summary = run(sessions, [path])
    assert summary.new == 1 and summary.pages > 10
    with sessions() as session:
        pages = session.scalars(select(Page).order_by(Page.number)).all()
        stored = session.scalars(select(Target).order_by(Target.start)).all()
    assert [(t.quote, t.value, t.target_year, t.interim) for t in stored] == [
        (t.quote, t.value, t.target_year, t.interim) for t in whole
    ]
    assert all(t.interim for t in stored)  # "Delmål:" carried into the items of every window
    text = "\n\n\f\n\n".join(p.text for p in pages)
    assert all(text[t.start : t.end] == t.quote for t in stored)


def read_document_whole(path: Path) -> str:
    from extractors.readers import read_document

    return read_document(path.read_bytes(), path.name).text
