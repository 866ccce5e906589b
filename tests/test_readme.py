"""Docs are tested like code: every CLI command must be documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click

from klimamaal.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _command_paths(group: click.Group, prefix: str = "klimamaal") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        paths.append(path)
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path))
    return paths


def test_every_command_is_in_the_readme() -> None:
    missing = [path for path in _command_paths(main) if f"`{path}" not in README]
    assert missing == []


def test_readme_opens_with_the_run_and_test_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    lines = [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]
    assert lines == ["make run", "make test"]
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
