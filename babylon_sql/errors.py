"""One small hierarchy of exceptions.

Every error the toolkit raises on purpose is a :class:`BabylonSqlError`; each
message names what was wrong and what to do about it.
"""

from __future__ import annotations


class BabylonSqlError(Exception):
    """Base class of every error raised on purpose by babylon-sql."""


class ConfigurationError(BabylonSqlError):
    """The toolkit was set up wrongly (no DSN, unreachable server, bad path)."""


class SchemaError(BabylonSqlError):
    """The schema cannot be applied or does not match what the code expects."""


class MissingExtensionError(SchemaError):
    """A required PostgreSQL extension is not available on the server."""

    def __init__(self, extensions: tuple[str, ...], objects: tuple[str, ...] = ()) -> None:
        self.extensions = extensions
        self.objects = objects
        names = ", ".join(extensions)
        msg = f"required PostgreSQL extension(s) not available on this server: {names}"
        if objects:
            msg += f" (needed by {', '.join(objects)})"
        msg += "; install them on the server or drop them from require=()"
        super().__init__(msg)


class SessionNotFoundError(BabylonSqlError, LookupError):
    """A session id that no game_session row carries."""


class ValidationError(BabylonSqlError, ValueError):
    """Input that the toolkit refuses before writing anything."""


class SerializationError(BabylonSqlError, TypeError):
    """A value that the JSON codec cannot carry."""


class DatabaseClosedError(BabylonSqlError, RuntimeError):
    """An operation on a backend that was already closed."""


class DatabaseLockedError(BabylonSqlError, RuntimeError):
    """A database file held by another process."""


class ArchivalError(BabylonSqlError):
    """An export, upload or purge that could not be completed safely."""


class GraphTypeError(BabylonSqlError, TypeError):
    """A graph that is not a simple directed ``networkx.DiGraph``."""


class DimensionMismatchError(ValidationError):
    """An embedding whose length is not its collection's dimension."""


class ServerUnreachableError(ConfigurationError):
    """No connection to the PostgreSQL server: names host, port and libpq's reason."""

    def __init__(self, message: str, *, host: str, port: str, reason: str) -> None:
        self.host = host
        self.port = port
        self.reason = reason
        super().__init__(message)


class SchemaMissingError(SchemaError):
    """The database lacks the babylon-sql schema (or part of it): apply it first."""
