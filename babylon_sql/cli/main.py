"""The ``babylon-sql`` command line.

Errors print one clear line and exit non-zero; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import subprocess
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import click
import psycopg

from babylon_sql.catalogue import render_ddl
from babylon_sql.errors import BabylonSqlError
from babylon_sql.server.schema import OPTIONAL_EXTENSIONS

F = TypeVar("F", bound=Callable[..., Any])


class _Context:
    def __init__(self, dsn: str | None, debug: bool) -> None:
        self.dsn = dsn
        self.debug = debug


class BabylonGroup(click.Group):
    """A group that turns expected errors into one line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            # Everything printed is redacted (no password) and escaped (no
            # terminal control sequences): babylon_sql.server.secrets.
            from babylon_sql.server.secrets import escape_controls, for_display, redact

            obj = ctx.obj
            expected = isinstance(exc, BabylonSqlError | psycopg.Error | OSError)
            if not expected or (isinstance(obj, _Context) and obj.debug):
                text = redact("".join(traceback.format_exception(exc)))
                click.echo("\n".join(escape_controls(line) for line in text.splitlines()), err=True)
            if expected:
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                click.echo(
                    f"babylon-sql: error: {for_display(message or type(exc).__name__)}", err=True
                )
            ctx.exit(1)


@click.group(cls=BabylonGroup)
@click.option(
    "--dsn", envvar="BABYLON_DSN", help="libpq DSN; default: PG* variables or the embedded server."
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(ctx: click.Context, dsn: str | None, debug: bool) -> None:
    """SQL-first persistence for large simulations."""
    ctx.obj = _Context(dsn, debug)


def _connect(ctx: click.Context) -> psycopg.Connection[Any]:
    from babylon_sql.server.embedded import resolve_dsn
    from babylon_sql.server.pool import connection_error
    from babylon_sql.server.secrets import split_password

    obj: _Context = ctx.obj
    dsn = resolve_dsn(obj.dsn)
    split_password(dsn)  # a malformed DSN: ConfigurationError, password removed
    try:
        return psycopg.connect(dsn, autocommit=False)
    except psycopg.OperationalError as exc:
        error = connection_error(exc, dsn, lost=False)
    raise error  # outside the handler: libpq's text is not kept as __context__


@main.group()
def schema() -> None:
    """Apply, print or dump the PostgreSQL schema."""


@schema.command("apply")
@click.option(
    "--require",
    multiple=True,
    type=click.Choice(sorted(OPTIONAL_EXTENSIONS)),
    help="Fail unless this extension is available (repeatable).",
)
@click.pass_context
def schema_apply(ctx: click.Context, require: tuple[str, ...]) -> None:
    """Apply every layer the server supports (idempotent)."""
    from babylon_sql.server.schema import apply_schema

    with _connect(ctx) as conn:
        report = apply_schema(conn, require=require, warn=False)
    click.echo(f"applied {len(report.applied)} layers: {', '.join(report.applied)}")
    if report.skipped:
        lacking = sorted({r for reqs in report.skipped.values() for r in reqs})
        click.echo(
            f"warning: skipped {', '.join(report.skipped_objects)} "
            f"(extension(s) not available: {', '.join(lacking)})",
            err=True,
        )


@schema.command("show")
@click.option(
    "--skip",
    multiple=True,
    type=click.Choice(sorted(OPTIONAL_EXTENSIONS)),
    help="Leave out the layers needing this extension (repeatable).",
)
def schema_show(skip: tuple[str, ...]) -> None:
    """Print the schema as one script (pipe it into psql)."""
    sys.stdout.write(render_ddl("pg", skip=skip))


@schema.command("dump")
@click.pass_context
def schema_dump(ctx: click.Context) -> None:
    """Print a normalised pg_dump --schema-only of the database."""
    from babylon_sql.server.dump import dump_schema
    from babylon_sql.server.embedded import resolve_dsn

    obj: _Context = ctx.obj
    try:
        sys.stdout.write(dump_schema(resolve_dsn(obj.dsn)))
    except subprocess.CalledProcessError as exc:
        raise BabylonSqlError(f"pg_dump failed: {(exc.stderr or '').strip()}") from exc


@schema.command("objects")
@click.pass_context
def schema_objects(ctx: click.Context) -> None:
    """List the tables, views and indexes of the database with their comments."""
    from babylon_sql.catalogue import queries

    with _connect(ctx) as conn:
        rows = list(queries("pg").server.schema_objects(conn))
    for name, kind, comment in rows:
        click.echo(f"{kind:<18} {name:<40} {comment or ''}")


@main.group()
def server() -> None:
    """Manage the embedded PostgreSQL server."""


@server.command("start")
def server_start() -> None:
    """Start the embedded server and leave it running; print its DSN."""
    from babylon_sql.server.embedded import embedded_data_dir, embedded_server

    srv = embedded_server(keep_running=True)
    click.echo(srv.get_uri())
    click.echo(f"data directory: {embedded_data_dir()}", err=True)


@server.command("stop")
def server_stop() -> None:
    """Stop the embedded server."""
    from babylon_sql.server.embedded import stop_embedded

    click.echo("stopped" if stop_embedded() else "not running")


@server.command("path")
def server_path() -> None:
    """Print the embedded server's data directory."""
    from babylon_sql.server.embedded import embedded_data_dir

    click.echo(str(embedded_data_dir()))


def _register_optional_groups() -> None:
    try:
        from babylon_sql.cli.games import games
    except ImportError:  # pragma: no cover - the module ships with the package
        return
    main.add_command(games)


_register_optional_groups()


def _register_archive_group() -> None:
    from babylon_sql.cli.archive import archive

    main.add_command(archive)


_register_archive_group()


if __name__ == "__main__":
    main()
