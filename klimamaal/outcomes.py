"""What a run did: one outcome per place, and the figures of the run (printed, stored, published)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from klimamaal.sources import is_url


@dataclass
class IngestOutcome:
    """What happened to one source; ``status`` is new, changed, unchanged, failed or no_text."""

    source: str
    status: str
    document_id: int | None = None
    pages: int = 0
    targets: int = 0
    #: candidates the scorer was unsure of, stored for the review queue (not counted as targets)
    suggestions: int = 0
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    #: What a user should know about a document that was read all the same (pages that need OCR).
    warning: str | None = None
    #: The document the place served before (a changed document supersedes it).
    previous_id: int | None = None
    #: For a changed document: targets added, removed and changed, decisions carried over.
    detail: str | None = None


@dataclass
class RunSummary:
    """The figures every run ends with (printed by the CLI, published as a Prefect artifact)."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    pages: int = 0
    targets: int = 0
    suggestions: int = 0
    outcomes: list[IngestOutcome] = field(default_factory=list)
    #: The run record, once the run is closed, and its status ("finished", or "failed" when all failed).
    run_id: int | None = None
    status: str | None = None

    def add(self, outcome: IngestOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status in ("new", "changed"):
            if outcome.status == "new":
                self.new += 1
            else:
                self.changed += 1
            self.pages += outcome.pages
            self.targets += outcome.targets
            self.suggestions += outcome.suggestions
        elif outcome.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed += 1

    def figures(self) -> dict[str, int]:
        return {
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "pages": self.pages,
            "targets": self.targets,
            "suggestions": self.suggestions,
        }

    def rows(self) -> list[dict[str, object]]:
        """One row per source, for tables and artifacts."""
        return [
            {
                "source": o.source if is_url(o.source) else Path(o.source).name,
                "status": o.status,
                "pages": o.pages,
                "targets": o.targets,
                "suggestions": o.suggestions,
                "error": o.error or o.warning or o.detail or "",
            }
            for o in self.outcomes
        ]
