"""Least-privilege roles: an owner, a writer and a read-only frontend reader.

:func:`create_roles` runs ``ddl/pg/roles.sql`` (which also runs unchanged
under ``psql -f``) in the connected database; see that file for what each
role may do. It must run as a superuser (roles are cluster-wide; handing the
schema's objects to the owner needs one) and again after a migration that
adds frontend views.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from babylon_sql.catalogue import ddl_dir, queries
from babylon_sql.errors import SchemaError, ValidationError

_PREFIX = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


@dataclass(frozen=True)
class Roles:
    """The names of the three roles of one prefix."""

    prefix: str

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    @property
    def writer(self) -> str:
        return f"{self.prefix}_writer"

    @property
    def reader(self) -> str:
        return f"{self.prefix}_reader"

    def all(self) -> tuple[str, str, str]:
        return (self.owner, self.writer, self.reader)


def roles(prefix: str = "babylon") -> Roles:
    """The role names of ``prefix`` (checked: lower-case letters, digits, ``_``)."""
    if not isinstance(prefix, str) or not _PREFIX.match(prefix):
        raise ValidationError(
            f"role prefix must be 1-41 lower-case letters, digits or '_' (not starting "
            f"with a digit), got {prefix!r}"
        )
    return Roles(prefix)


def create_roles(
    conn: psycopg.Connection[Any], prefix: str = "babylon", *, login: bool = False
) -> Roles:
    """Create (or update) the three roles and grant them their privileges here.

    One transaction. ``login=True`` lets the roles log in (without a
    password: set one with psql's ``\\password``).
    """
    names = roles(prefix)
    script = (ddl_dir("pg") / "roles.sql").read_bytes()
    try:
        with conn.transaction():
            queries("pg").server.set_role_options(
                conn, prefix=names.prefix, login="on" if login else "off"
            )
            conn.execute(script)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise SchemaError(
            f"creating the roles needs a superuser (roles are cluster-wide and the "
            f"schema's objects change owner): {exc}"
        ) from exc
    return names


def drop_roles(conn: psycopg.Connection[Any], prefix: str) -> tuple[str, ...]:
    """Drop the three roles: their objects here go to the current user first.

    Their privileges in other databases must be gone (drop those databases,
    or run this in each). Returns the roles dropped.
    """
    names = roles(prefix)
    q = queries("pg").server
    dropped = []
    with conn.transaction():
        for role in names.all():
            if not q.role_exists(conn, role_name=role):
                continue
            conn.execute(sql.SQL(q.drop_owned_by.sql).format(role=sql.Identifier(role)))
            conn.execute(sql.SQL(q.drop_role.sql).format(role=sql.Identifier(role)))
            dropped.append(role)
    return tuple(dropped)
