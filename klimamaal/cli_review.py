"""Commands for the review work: users, review (serve the web app), export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from db.sheets import DIALECTS
from klimamaal.config import database_url as default_database_url

DATABASE_OPTION = click.option(
    "--database-url", envvar="KLIMAMAAL_DATABASE_URL", help="Database (default: SQLite in data/)."
)
#: The CSV dialect of a spreadsheet a command writes (``db.sheets.DIALECTS``).
DIALECT_OPTION = click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    default="international",
    show_default=True,
    help="CSV: comma and decimal point, or semicolon and decimal comma (what Danish Excel opens as columns).",
)


def _sessions(url: str | None):  # type: ignore[no-untyped-def]
    from db.engine import session_factory
    from db.migrate import upgrade

    url = url or default_database_url()
    upgrade(url)
    return url, session_factory(url)


def _read_password() -> str:
    """From a hidden, confirmed prompt on a terminal; else the first line of stdin. Never an argument."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@click.group()
def users() -> None:
    """Manage the people who may log in to the review app."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["reviewer", "admin", "analyst"]), default="reviewer", show_default=True
)
@DATABASE_OPTION
def users_add(name: str, role: str, database_url: str | None) -> None:
    """Create a user; the password is read from a prompt (or stdin when not a terminal)."""
    from db.users import UserError, create_user

    _, sessions = _sessions(database_url)
    password = _read_password()
    try:
        user = create_user(sessions, name, role, password)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {user.role} {user.name}")


@users.command("list")
@DATABASE_OPTION
def users_list(database_url: str | None) -> None:
    """List users with their role, whether they are disabled, and their failed logins and lock."""
    from db.users import list_users

    _, sessions = _sessions(database_url)
    for user in list_users(sessions):
        state = f"disabled since {user.disabled_at:%Y-%m-%d %H:%M} UTC" if user.disabled_at else "active"
        locked = f" locked until {user.locked_until:%Y-%m-%d %H:%M} UTC" if user.locked_until else ""
        click.echo(f"{user.name}\t{user.role}\t{state}\tfailed logins {user.failures}{locked}")


def _user_id(sessions, name: str) -> int:  # type: ignore[no-untyped-def]
    from db.users import find_user

    user = find_user(sessions, name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    return user.id


@users.command("passwd")
@click.argument("name")
@DATABASE_OPTION
def users_passwd(name: str, database_url: str | None) -> None:
    """Set a user's password (from a prompt or stdin); ends all the user's sessions."""
    from db.users import UserError, set_password

    _, sessions = _sessions(database_url)
    user_id = _user_id(sessions, name)
    try:
        set_password(sessions, user_id, _read_password())
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"new password for {name}; their sessions have ended")


@users.command("disable")
@click.argument("name")
@DATABASE_OPTION
def users_disable(name: str, database_url: str | None) -> None:
    """Disable a user: no login, sessions ended. Users are never deleted (reviews name their reviewer)."""
    _set_disabled(name, database_url, True)


@users.command("enable")
@click.argument("name")
@DATABASE_OPTION
def users_enable(name: str, database_url: str | None) -> None:
    """Let a disabled user log in again."""
    _set_disabled(name, database_url, False)


def _set_disabled(name: str, database_url: str | None, disabled: bool) -> None:
    from db.users import set_disabled

    _, sessions = _sessions(database_url)
    set_disabled(sessions, _user_id(sessions, name), disabled)
    click.echo(f"{'disabled' if disabled else 'enabled'} {name}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes; they share sessions and caches through the database.",
)
@click.option(
    "--secure-cookies",
    is_flag=True,
    envvar="KLIMAMAAL_HTTPS",
    help="Served behind TLS: Secure cookies and HSTS (also KLIMAMAAL_HTTPS=1).",
)
@click.option(
    "--forwarded-allow-ips",
    default=None,
    help="Proxies whose X-Forwarded-For/-Proto headers are trusted, comma-separated "
    "(default: uvicorn's, $FORWARDED_ALLOW_IPS or 127.0.0.1).",
)
@DATABASE_OPTION
def review(
    host: str,
    port: int,
    workers: int,
    secure_cookies: bool,
    forwarded_allow_ips: str | None,
    database_url: str | None,
) -> None:
    """Serve the review web app on the configured database."""
    import os

    import uvicorn

    from klimamaal.config import secret_key

    url, _ = _sessions(database_url)
    # The workers build the app from the environment (webapp.app:create_app); the key is made here, once.
    os.environ["KLIMAMAAL_DATABASE_URL"] = url
    os.environ["KLIMAMAAL_HTTPS"] = "1" if secure_cookies else "0"
    secret_key()
    plural = "s" if workers > 1 else ""
    click.echo(f"review app on http://{host}:{port}/ ({workers} worker{plural}; Ctrl-C stops)")
    uvicorn.run(
        "webapp.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        log_level="info",
        access_log=False,
    )


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "jsonl"]), required=True)
@click.option(
    "--status",
    default="",
    help="Comma-separated statuses (default: accepted,edited; for jsonl also rejected, as negatives).",
)
@DIALECT_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@DATABASE_OPTION
def export(fmt: str, status: str, dialect: str, output: Path, database_url: str | None) -> None:
    """Export reviewed targets as CSV, XLSX (Danish columns and values) or gold-format JSONL (for
    `klimamaal evaluate`)."""
    from db.export import export_bytes, parse_statuses

    try:
        statuses = parse_statuses(status, fmt)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--status") from exc
    _, sessions = _sessions(database_url)
    with sessions() as session:
        data = export_bytes(session, fmt, statuses, dialect)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data)} bytes)")


commands: list[click.Command] = [users, review, export]
