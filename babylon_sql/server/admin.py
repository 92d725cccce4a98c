"""Database-level administration: create, clone and drop databases.

Used by the test harness (one template database, cloned per test) and by
anyone who wants throw-away databases. The connection must be in autocommit
mode: PostgreSQL runs CREATE/DROP DATABASE outside transactions.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from babylon_sql.catalogue import queries


def _run(conn: psycopg.Connection[Any], query: Any, **names: str) -> None:
    statement = sql.SQL(query.sql).format(**{k: sql.Identifier(v) for k, v in names.items()})
    conn.execute(statement)


def create_database(conn: psycopg.Connection[Any], name: str) -> None:
    _run(conn, queries("pg").server.create_database, database=name)


def clone_database(conn: psycopg.Connection[Any], name: str, template: str) -> None:
    _run(conn, queries("pg").server.clone_database, database=name, template=template)


def drop_database(conn: psycopg.Connection[Any], name: str) -> None:
    _run(conn, queries("pg").server.drop_database, database=name)


def mark_template(conn: psycopg.Connection[Any], name: str, *, template: bool = True) -> None:
    query = queries("pg").server.mark_template if template else queries("pg").server.unmark_template
    _run(conn, query, database=name)
