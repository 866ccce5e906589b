"""The `klimamaal` command line.

Commands live in small modules that each expose ``commands``; this module only
gathers them, so the extraction, ingest and review parts can grow apart.
"""

from __future__ import annotations

import importlib

import click

#: Modules that contribute commands; each exposes ``commands: list[click.Command]``.
COMMAND_MODULES = (
    "klimamaal.cli_ingest",
    "klimamaal.cli_crawl",
    "klimamaal.cli_extract",
    "klimamaal.cli_review",
    "klimamaal.cli_compare",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="klimamaal")
def main() -> None:
    """Read Danish municipal climate plans and turn their targets into reviewed data."""


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(_name).commands:
        main.add_command(_command)


if __name__ == "__main__":
    main()
