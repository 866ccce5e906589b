"""The core packages stand on their own: every module imports by itself, and none pulls in Prefect.

Each check runs in a fresh interpreter, so an import cycle that a warm test
process would hide (a module imported first elsewhere) shows up here.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ("extractors", "models", "db", "analysis")


def core_modules() -> list[str]:
    names = []
    for package in CORE:
        names.append(package)
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if ".migrations." not in info.name:  # Alembic scripts run inside Alembic only
                names.append(info.name)
    return sorted(names)


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_core_has_modules_to_check() -> None:
    assert {"extractors.evidence", "extractors.scorer", "extractors.pipeline", "db.store", "models"} <= set(
        core_modules()
    )


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_on_its_own_without_prefect(module: str) -> None:
    result = run(f"import sys, {module}; print('prefect' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", f"{module} imports Prefect; keep Prefect in flows/"
