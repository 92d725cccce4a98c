"""Normalised ``pg_dump --schema-only`` output: what a DBA reviews in a diff."""

from __future__ import annotations

import re
import subprocess

from babylon_sql.server.embedded import pg_bin
from babylon_sql.server.secrets import client_environment

_DROP_LINE = re.compile(
    r"^(\\restrict|\\unrestrict|-- Dumped (from|by) |SET |SELECT pg_catalog\.set_config)"
    # Some server builds stamp every column with a changing pg_attver option.
    r"|^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(pg_attver=\d+\);$"
)


def normalise_dump(text: str) -> str:
    """Drop the lines that change between runs and versions of pg_dump."""
    kept = [line for line in text.splitlines() if not _DROP_LINE.match(line)]
    out = "\n".join(kept)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip() + "\n"


def dump_schema(dsn: str) -> str:
    """``pg_dump --schema-only --no-owner --no-privileges`` of ``dsn``, normalised.

    ``pg_dump`` gets the DSN without its password; the password reaches it
    through a temporary ``PGPASSFILE`` (mode 0600), never its arguments.
    """
    with client_environment(dsn) as (bare_dsn, env):
        result = subprocess.run(
            [
                str(pg_bin("pg_dump")),
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "-d",
                bare_dsn,
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
    return normalise_dump(result.stdout)
