"""Commands: placeholder until its issue lands."""

import click

commands: list[click.Command] = []
