"""The ``babylon-sql`` command line.

Errors print one clear line and exit non-zero; ``--debug`` shows the traceback.
``--dsn``, ``--debug``, ``--json`` and ``--quiet`` go before or after the
subcommand (``babylon_sql.cli.common``).
"""

from __future__ import annotations

import subprocess
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import psycopg

from babylon_sql import __version__
from babylon_sql.catalogue import render_ddl
from babylon_sql.cli.common import (
    CliContext,
    emit_json,
    first_time,
    hoist_global_options,
    info,
    server_key,
    state,
    table,
    warn,
)
from babylon_sql.errors import BabylonSqlError, MissingExtensionError
from babylon_sql.server.schema import OPTIONAL_EXTENSIONS

F = TypeVar("F", bound=Callable[..., Any])

#: Kept for code that imported the former name.
_Context = CliContext


class BabylonGroup(click.Group):
    """A group that turns expected errors into one line and exit status 1."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            args = hoist_global_options(args)
        return super().parse_args(ctx, args)

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
            if not expected or (isinstance(obj, CliContext) and obj.debug):
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
    "--dsn",
    envvar="BABYLON_DSN",
    help="libpq DSN; default: PG* variables or the embedded server. "
    "This and the next three options may also follow the subcommand.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--json", "as_json", is_flag=True, help="Print data as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the results: no progress or notes.")
@click.version_option(__version__, "--version", prog_name="babylon-sql")
@click.pass_context
def main(ctx: click.Context, dsn: str | None, debug: bool, as_json: bool, quiet: bool) -> None:
    """SQL-first persistence for large simulations."""
    ctx.obj = CliContext(dsn=dsn, debug=debug, json=as_json, quiet=quiet)


def _connect(ctx: click.Context) -> psycopg.Connection[Any]:
    from babylon_sql.server.embedded import resolve_dsn
    from babylon_sql.server.pool import connection_error
    from babylon_sql.server.secrets import split_password

    dsn = resolve_dsn(state(ctx).dsn)
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
        try:
            report = apply_schema(conn, require=require, warn=False)
        except MissingExtensionError as exc:
            names = ", ".join(exc.extensions)
            flags = " ".join(f"--require {name}" for name in exc.extensions)
            needed = f" (needed by {', '.join(exc.objects)})" if exc.objects else ""
            raise BabylonSqlError(
                f"required PostgreSQL extension(s) not available on this server: {names}"
                f"{needed}; install them on the server, or run without {flags}; "
                "nothing was applied"
            ) from exc
        key = server_key(conn)
    if state(ctx).json:
        emit_json(
            {
                "applied": list(report.applied),
                "skipped": {name: list(reqs) for name, reqs in report.skipped.items()},
                "skipped_objects": list(report.skipped_objects),
            }
        )
    else:
        click.echo(f"applied {len(report.applied)} layers: {', '.join(report.applied)}")
        if report.migrated:
            click.echo(f"migrated to version {report.version}: {', '.join(report.migrated)}")
        if report.skipped:
            click.echo(f"skipped {', '.join(report.skipped)}: {', '.join(report.skipped_objects)}")
    if report.skipped:
        lacking = sorted({r for reqs in report.skipped.values() for r in reqs})
        if first_time(f"skipped:{','.join(lacking)}@{key}"):
            warn(
                f"skipped {', '.join(report.skipped_objects)} "
                f"(extension(s) not available: {', '.join(lacking)}); the rest of the "
                "toolkit works without them. Shown once per server."
            )


@schema.command("show")
@click.option(
    "--skip",
    multiple=True,
    type=click.Choice(sorted(OPTIONAL_EXTENSIONS)),
    help="Leave out the layers needing this extension (repeatable).",
)
def schema_show(skip: tuple[str, ...]) -> None:
    """Print the schema as one script (pipe it into psql -1 -v ON_ERROR_STOP=1)."""
    sys.stdout.write(render_ddl("pg", skip=skip))


@schema.command("dump")
@click.pass_context
def schema_dump(ctx: click.Context) -> None:
    """Print a normalised pg_dump --schema-only of the database."""
    from babylon_sql.server.dump import dump_schema
    from babylon_sql.server.embedded import resolve_dsn

    try:
        sys.stdout.write(dump_schema(resolve_dsn(state(ctx).dsn)))
    except subprocess.CalledProcessError as exc:
        raise BabylonSqlError(f"pg_dump failed: {(exc.stderr or '').strip()}") from exc


@schema.command("objects")
@click.pass_context
def schema_objects(ctx: click.Context) -> None:
    """List tables, views, indexes, functions and triggers with their comments."""
    from babylon_sql.catalogue import queries

    with _connect(ctx) as conn:
        rows = list(queries("pg").server.schema_objects(conn))
    if state(ctx).json:
        emit_json([{"name": n, "kind": k, "comment": c} for n, k, c in rows])
        return
    for name, kind, comment in rows:
        click.echo(f"{kind:<18} {name:<40} {comment or ''}")


# --------------------------------------------------------------------------
# migrations, drift check, roles


@schema.command("migrate")
@click.option("--dry-run", is_flag=True, help="Apply in a transaction, report, roll back.")
@click.option("--to", "target", type=int, default=None, help="Stop at this migration number.")
@click.pass_context
def schema_migrate(ctx: click.Context, dry_run: bool, target: int | None) -> None:
    """Bring the database to the latest schema version (one transaction)."""
    from babylon_sql.server.schema import apply_schema

    with _connect(ctx) as conn:
        report = apply_schema(conn, warn=False, target=target, dry_run=dry_run)
    before = "none (empty)" if report.version_before is None else str(report.version_before)
    if report.baseline:
        before = "1 (baseline: created before versioning)"
    verb = "would apply" if dry_run else "applied"
    click.echo(f"version {before} -> {report.version}")
    for name in report.migrated:
        click.echo(f"{verb} migration {name}")
    for name in report.applied:
        click.echo(f"{verb} layer {name}")
    if not report.migrated and not report.applied:
        click.echo("nothing to do")
    for layer, lacking in report.skipped.items():
        why = "; ".join(report.reasons[name] for name in lacking)
        click.echo(f"warning: skipped {layer}: {why}", err=True)
    if dry_run:
        click.echo("dry run: rolled back")


@schema.command("status")
@click.pass_context
def schema_status_cmd(ctx: click.Context) -> None:
    """Print the schema version, the pending migrations and the extensions."""
    from babylon_sql.server.migrations import schema_status

    with _connect(ctx) as conn:
        status = schema_status(conn)
    if status.version is None:
        state = "created before versioning (migration 0001)" if status.legacy else "no schema"
        click.echo(f"version: none, {state}; latest {status.latest}")
    else:
        click.echo(f"version: {status.version}; latest {status.latest}")
    for row in status.rows:
        when = f"{row.applied_at:%Y-%m-%d %H:%M}"
        click.echo(f"  {row.version:04d}_{row.name:<28} {row.how:<9} {when}")
    for migration in status.pending:
        click.echo(f"  pending {migration.file_name}")
    for migration in status.edited:
        click.echo(f"warning: {migration.file_name} changed after it was applied", err=True)
    for name in sorted(OPTIONAL_EXTENSIONS):
        ext = status.extensions.get(name)
        if ext is None:
            click.echo(f"extension {name}: not available on this server")
        elif ext.installed:
            click.echo(f"extension {name}: installed")
        elif ext.creatable:
            click.echo(f"extension {name}: available, this role may create it")
        else:
            click.echo(f"extension {name}: {ext.reason}")


@schema.command("check")
@click.pass_context
def schema_check(ctx: click.Context) -> None:
    """Compare the database with ddl/; exit status 1 on any drift."""
    from babylon_sql.server.check import check_schema
    from babylon_sql.server.embedded import resolve_dsn

    obj: _Context = ctx.obj
    report = check_schema(resolve_dsn(obj.dsn))
    for drift in report.drift:
        click.echo(str(drift))
    layers = ", ".join(report.layers)
    if report.ok:
        click.echo(f"no drift: {report.compared} objects match ddl/ ({layers})")
        return
    click.echo(f"{len(report.drift)} difference(s) from ddl/ ({layers})", err=True)
    ctx.exit(1)


@main.group("roles")
def roles_group() -> None:
    """Least-privilege roles: owner, writer, read-only reader (ddl/pg/roles.sql)."""


@roles_group.command("create")
@click.option("--prefix", default="babylon", show_default=True, help="Role names: PREFIX_owner…")
@click.option("--login", is_flag=True, help="Let the roles log in (set passwords yourself).")
@click.pass_context
def roles_create(ctx: click.Context, prefix: str, login: bool) -> None:
    """Create the roles and grant their privileges in this database (as a superuser)."""
    from babylon_sql.server.roles import create_roles

    with _connect(ctx) as conn:
        names = create_roles(conn, prefix, login=login)
    click.echo(f"owner  {names.owner}  (DDL and migrations; owns the schema)")
    click.echo(f"writer {names.writer}  (DML on the runtime tables; run-time DDL via functions)")
    click.echo(f"reader {names.reader}  (hex_latest and the v_* views only)")


@roles_group.command("drop")
@click.option("--prefix", default="babylon", show_default=True)
@click.pass_context
def roles_drop(ctx: click.Context, prefix: str) -> None:
    """Drop the roles (their objects here go to the current user)."""
    from babylon_sql.server.roles import drop_roles

    with _connect(ctx) as conn:
        dropped = drop_roles(conn, prefix)
    click.echo(f"dropped {', '.join(dropped)}" if dropped else "no such roles")


@main.group()
def server() -> None:
    """Manage the embedded PostgreSQL server."""


@server.command("start")
def server_start() -> None:
    """Start the embedded server and keep it running until `server stop`; print its DSN."""
    from babylon_sql.server.embedded import embedded_data_dir, embedded_server

    srv = embedded_server(keep_running=True)
    if state().json:
        emit_json({"dsn": srv.get_uri(), "data_dir": embedded_data_dir(), "pinned": True})
        return
    click.echo(srv.get_uri())
    info(f"data directory: {embedded_data_dir()} (running until `babylon-sql server stop`)")


@server.command("stop")
def server_stop() -> None:
    """Stop the embedded server."""
    from babylon_sql.server.embedded import stop_embedded

    stopped = stop_embedded()
    if state().json:
        emit_json({"stopped": stopped})
        return
    click.echo("stopped" if stopped else "not running")


@server.command("path")
def server_path() -> None:
    """Print the embedded server's data directory."""
    from babylon_sql.server.embedded import embedded_data_dir

    if state().json:
        emit_json({"data_dir": embedded_data_dir()})
        return
    click.echo(str(embedded_data_dir()))


@server.command("status")
def server_status() -> None:
    """Whether the embedded server runs, who pinned it and which processes use it."""
    from dataclasses import asdict

    from babylon_sql.server.embedded import embedded_status

    st = embedded_status()
    if state().json:
        emit_json(asdict(st))
        return
    if not st.running:
        click.echo(f"not running (data directory {st.data_dir})")
        return
    how = "pinned by `server start`" if st.pinned else "stops when its last user exits"
    click.echo(f"running, pid {st.pid}, {how}")
    click.echo(f"dsn: {st.dsn}")
    click.echo(f"users: {', '.join(map(str, st.users)) or 'none'}")


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


# --------------------------------------------------------------------------
# sessions


@main.group()
def sessions() -> None:
    """List, show or delete the sessions of a PostgreSQL database."""


def _runtime(ctx: click.Context) -> Any:
    from babylon_sql.runtime.postgres import PostgresRuntime
    from babylon_sql.server.pool import open_pool

    return PostgresRuntime(open_pool(state(ctx).dsn, min_size=1, max_size=2))


def _session_dict(s: Any) -> dict[str, Any]:
    """The CLI's JSON of a session: this toolkit's names first, then every column."""
    named = ("session_id", "name", "status", "config", "created_at", "updated_at")
    return {**{k: getattr(s, k) for k in (*named, "ended_at", "end_tick")}, **dict(s)}


@sessions.command("list")
@click.option("--status", help="Only sessions of this status.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.pass_context
def sessions_list(ctx: click.Context, status: str | None, limit: int) -> None:
    """Sessions, newest first."""
    with _runtime(ctx) as rt:
        rows = rt.list_sessions(status=status, limit=limit)
    if state(ctx).json:
        emit_json([_session_dict(s) for s in rows])
        return
    if not rows:
        click.echo("no sessions")
        return
    table(
        ["session_id", "name", "status", "created_at", "end_tick"],
        [[s.session_id, s.name, s.status, s.created_at, s.end_tick] for s in rows],
    )


@sessions.command("show")
@click.argument("session_id")
@click.pass_context
def sessions_show(ctx: click.Context, session_id: str) -> None:
    """One session: its row and its row count in every session-scoped table."""
    from babylon_sql.cli.common import session_row_counts
    from babylon_sql.errors import SessionNotFoundError
    from babylon_sql.input.fields import check_session_id

    sid = check_session_id(session_id)
    with _runtime(ctx) as rt:
        found = rt.get_session(sid)
        if found is None:
            raise SessionNotFoundError(f"no session {sid} in this database (see `sessions list`)")
        counts = session_row_counts(rt.connector, sid)
    if state(ctx).json:
        emit_json({**_session_dict(found), "rows": counts})
        return
    pairs: Sequence[tuple[str, Any]] = [
        ("session_id", found.session_id),
        ("name", found.name),
        ("status", found.status),
        ("created_at", found.created_at),
        ("ended_at", found.ended_at),
        ("end_tick", found.end_tick),
        ("config", found.config),
    ]
    width = max(len(k) for k, _ in pairs)
    for key, value in pairs:
        click.echo(f"{key.ljust(width)}  {'-' if value is None else value}")
    click.echo()
    table(["table", "rows"], [[t, n] for t, n in counts.items() if n])


@sessions.command("delete")
@click.argument("session_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def sessions_delete(ctx: click.Context, session_id: str, yes: bool) -> None:
    """Delete a session and every row it has (traces included)."""
    from babylon_sql.errors import SessionNotFoundError
    from babylon_sql.input.fields import check_session_id

    sid = check_session_id(session_id)
    with _runtime(ctx) as rt:
        if rt.get_session(sid) is None:
            raise SessionNotFoundError(f"no session {sid} in this database (see `sessions list`)")
        if not yes and not click.confirm(f"delete session {sid} and all its rows?", err=True):
            raise click.Abort()
        rt.delete_session(sid)
    if state(ctx).json:
        emit_json({"deleted": str(sid)})
        return
    click.echo(f"deleted session {sid}")


def _register_demo_commands() -> None:
    from babylon_sql.cli.demo import demo
    from babylon_sql.cli.map import map_command

    main.add_command(demo)
    main.add_command(map_command)


_register_demo_commands()


if __name__ == "__main__":
    main(prog_name="babylon-sql")
