"""A progress bar for long runs, on standard error so piped output stays clean."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


@contextlib.contextmanager
def progress_bar(total: int, label: str, *, enabled: bool) -> Iterator[Callable[[str], None]]:
    """Yield ``advance(name)``; shows a bar when enabled, does nothing otherwise."""
    if not enabled:
        yield lambda _name: None
        return
    from rich.console import Console

    progress = Progress(
        TextColumn(f"{label} [progress.description]{{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=False,
    )
    with progress:
        task_id = progress.add_task("", total=total)
        yield lambda name: progress.update(task_id, advance=1, description=name[:40])
