"""``babylon-sql archive``: export, upload, purge, query, restore and list session archives.

The round trip::

    babylon-sql archive export SESSION_ID --out archive/     # archive/<SESSION_ID>/
    babylon-sql archive upload archive/ --bucket runs --endpoint-url https://...
    babylon-sql archive purge archive/ --yes                 # only if the archive is complete
    babylon-sql archive query archive/ "$SQL"                # DuckDB; tables are views
    babylon-sql archive restore archive/                     # back into PostgreSQL

Every ARCHIVE argument takes the directory given to the export (when it holds
one session; with several the error lists them), the session's directory or
its manifest; ``query`` and ``restore`` also take ``s3://bucket/prefix``.
Progress bars go to stderr; ``--json`` prints data on stdout as JSON.
Errors are one line (the main group prints them) and exit status 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from babylon_sql.archive import layout
from babylon_sql.cli.common import state, table
from babylon_sql.errors import ArchivalError, ValidationError
from babylon_sql.input.fields import check_session_id
from babylon_sql.server.connector import Pool


def _dsn(ctx: click.Context) -> str | None:
    return getattr(ctx.find_root().obj, "dsn", None)


@contextmanager
def _pool(ctx: click.Context) -> Iterator[Pool]:
    from babylon_sql.server.pool import open_pool

    pool = open_pool(_dsn(ctx), min_size=1, max_size=2)
    try:
        yield pool
    finally:
        pool.close()


@contextmanager
def _progress(label: str) -> Iterator[layout.Progress]:
    """A click progress bar on stderr, driven by ``progress(step, done, total)`` calls."""
    state: dict[str, Any] = {"bar": None, "done": 0}

    def update(step: str, done: int, total: int) -> None:
        bar = state["bar"]
        if bar is None:
            bar = click.progressbar(
                length=max(total, 1),
                label=label,
                file=sys.stderr,
                show_pos=True,
                item_show_func=lambda item: str(item) if item else None,
            )
            bar.__enter__()
            state["bar"] = bar
        bar.current_item = step
        bar.update(done - state["done"])
        state["done"] = done

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


def _emit(data: Any, human: Callable[[], None]) -> None:
    # --json may come before or after the subcommand (the main group hoists
    # it into the invocation's state).
    if state().json:
        click.echo(json.dumps(data, indent=2, default=str, sort_keys=True))
    else:
        human()


_ENDPOINT = click.option(
    "--endpoint-url",
    envvar="AWS_ENDPOINT_URL",
    help="S3-compatible endpoint (R2: https://<account>.r2.cloudflarestorage.com).",
)


def _summary(archive: layout.Archive) -> dict[str, Any]:
    return {
        "session_id": str(archive.session_id),
        "directory": str(archive.directory.absolute()),
        "exported_at": archive.manifest.get("exported_at"),
        "trace_partition": bool(archive.manifest.get("trace_partition")),
        "tables": {name: entry.get("rows") for name, entry in sorted(archive.tables.items())},
        "rows": archive.total_rows,
        "bytes": archive.total_bytes,
    }


@click.group("archive")
def archive() -> None:
    """Export sessions to Parquet, upload, purge, query, restore, list."""


@archive.command("export")
@click.argument("session_id")
@click.option(
    "--out",
    "output_dir",
    default="archive",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory that receives <session_id>/.",
)
@click.pass_context
def archive_export(ctx: click.Context, session_id: str, output_dir: Path) -> None:
    """Export every row of SESSION_ID to Parquet files and a manifest."""
    from babylon_sql.archive.export import export_session_to_parquet

    with _pool(ctx) as pool, _progress("exporting") as progress:
        paths = export_session_to_parquet(
            pool, check_session_id(session_id), output_dir, progress=progress
        )
    found = layout.locate_archive(paths[-1])
    summary = _summary(found)
    _emit(
        summary,
        lambda: click.echo(
            f"exported session {summary['session_id']}: {len(found.tables)} tables, "
            f"{summary['rows']:,} rows, {summary['bytes']:,} bytes in {found.directory}"
        ),
    )


@archive.command("upload")
@click.argument("archive_path", metavar="ARCHIVE")
@click.option("--bucket", required=True, help="Bucket name.")
@click.option("--prefix", default="", help="Key prefix; keys are <prefix>/<session_id>/<file>.")
@_ENDPOINT
def archive_upload(archive_path: str, bucket: str, prefix: str, endpoint_url: str | None) -> None:
    """Verify ARCHIVE, upload its files (manifest last) and check every object."""
    from babylon_sql.archive.upload import upload_archive

    with _progress("uploading") as progress:
        keys = upload_archive(
            archive_path, bucket, prefix, endpoint_url=endpoint_url, progress=progress
        )
    _emit(
        {"bucket": bucket, "keys": keys},
        lambda: click.echo(f"uploaded and verified {len(keys)} objects to s3://{bucket}/"),
    )


@archive.command("purge")
@click.argument("archive_path", metavar="ARCHIVE")
@click.option("--session", "session_id", help="Session to purge (default: the archive's).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def archive_purge(ctx: click.Context, archive_path: str, session_id: str | None, yes: bool) -> None:
    """Delete the archived session from PostgreSQL, once ARCHIVE is proven complete."""
    from babylon_sql.archive.purge import purge_session

    found = layout.locate_archive(archive_path)
    sid = check_session_id(session_id) if session_id else found.session_id
    if not yes and not click.confirm(
        f"delete session {sid} from the database (its archive: {found.directory})?",
        err=True,
    ):
        raise click.Abort()
    with _pool(ctx) as pool, _progress("purging") as progress:
        deleted = purge_session(pool, sid, manifest=found.directory, progress=progress)
    _emit(
        {"session_id": str(sid), "deleted": deleted},
        lambda: click.echo(f"purged session {sid}: {sum(deleted.values()):,} rows deleted"),
    )


def _parse_params(pairs: tuple[str, ...]) -> dict[str, Any] | None:
    if not pairs:
        return None
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise ValidationError(f"--param takes NAME=VALUE, got {pair!r}")
        try:
            params[name] = json.loads(text)
        except ValueError:
            params[name] = text
    return params


@archive.command("query")
@click.argument("archive_path", metavar="ARCHIVE")
@click.argument("sql_text", metavar="SQL")
@click.option(
    "--param",
    "params",
    multiple=True,
    help="NAME=VALUE for a $NAME placeholder (VALUE read as JSON when it parses). Repeatable.",
)
@_ENDPOINT
def archive_query(
    archive_path: str,
    sql_text: str,
    params: tuple[str, ...],
    endpoint_url: str | None,
) -> None:
    """Run SQL (DuckDB) over ARCHIVE; each table is a view named after it."""
    from babylon_sql.archive.query import query_archived_session

    rows = query_archived_session(
        archive_path, sql_text, _parse_params(params), endpoint_url=endpoint_url
    )

    def human() -> None:
        if not rows:
            click.echo("no rows")
            return
        headers = list(rows[0])
        table(headers, [[row[h] for h in headers] for row in rows])

    _emit(rows, human)


@archive.command("restore")
@click.argument("archive_path", metavar="ARCHIVE")
@click.option("--replace", is_flag=True, help="Overwrite the session if it still exists.")
@_ENDPOINT
@click.pass_context
def archive_restore(
    ctx: click.Context,
    archive_path: str,
    replace: bool,
    endpoint_url: str | None,
) -> None:
    """Load ARCHIVE back into PostgreSQL (verified first; one transaction)."""
    from babylon_sql.archive.restore import restore_session

    with _pool(ctx) as pool, _progress("restoring") as progress:
        restored = restore_session(
            pool, archive_path, replace=replace, progress=progress, endpoint_url=endpoint_url
        )
    total = sum(restored.values())
    _emit(
        {"restored": restored, "rows": total},
        lambda: click.echo(f"restored {total:,} rows into {len(restored)} tables"),
    )


@archive.command("list")
@click.argument("path", default="archive", type=click.Path(path_type=Path), required=False)
@click.option("--verify", is_flag=True, help="Check every file against its manifest.")
def archive_list(path: Path, verify: bool) -> None:
    """List the session archives in PATH (default: ./archive)."""
    found = layout.list_archives(path)
    items = []
    for item in found:
        summary = _summary(item)
        if verify:
            summary["problems"] = layout.verify_archive(item)
        items.append(summary)

    def human() -> None:
        if not items:
            click.echo(f"no session archives in {path}")
            return
        headers = ["session_id", "exported_at", "tables", "rows", "bytes"]
        if verify:
            headers.append("verified")
        table(
            headers,
            [
                [
                    i["session_id"],
                    i["exported_at"],
                    len(i["tables"]),
                    i["rows"],
                    i["bytes"],
                    *(["ok" if not i["problems"] else "; ".join(i["problems"])] if verify else []),
                ]
                for i in items
            ],
        )

    _emit(items, human)
    if verify and any(i["problems"] for i in items):
        raise ArchivalError(
            f"{sum(1 for i in items if i['problems'])} archive(s) in {path} fail verification"
        )
