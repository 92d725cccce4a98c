"""One small hierarchy of exceptions.

Every error the toolkit raises on purpose is a :class:`BabylonSqlError`; each
message names what was wrong and what to do about it.
"""

from __future__ import annotations

from psycopg.errors import UniqueViolation


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


class SnapshotMismatchError(BabylonSqlError, RuntimeError):
    """A persisted tick whose rows disagree with its ``graph_snapshot`` header.

    ``node_state``/``edge_state`` rows deleted, duplicated or added by hand:
    the graph they give is not the one that was persisted, so it is refused.
    """


class DimensionMismatchError(ValidationError):
    """An embedding whose length is not its collection's dimension."""


class SessionRequiredError(SessionNotFoundError, ValidationError):
    """A session-scoped call without a session id on a backend that needs one.

    Both a :class:`SessionNotFoundError` and a ``ValueError`` (what the
    original engine's PostgresRuntime raised for a missing ``session_id``).
    """


class SchemaValidationError(SchemaError, RuntimeError):
    """A database whose tables do not match the schema the code expects.

    A ``RuntimeError``, as SimCash's ``DatabaseManager.setup()`` raised.
    """


class DuplicateTurnError(BabylonSqlError, UniqueViolation):
    """A second turn of one organisation for one tick of a session.

    Also a ``psycopg.errors.UniqueViolation`` (an ``IntegrityError``), which
    is what the original engine's ``submit_turn`` raised: callers catching
    either keep working.
    """


class DatabaseConnectionError(ConfigurationError):
    """The PostgreSQL server could not be reached, or the connection was lost.

    The message names the host, the port and libpq's reason, with any
    password removed. ``lost`` is true when an established connection broke
    during a call (terminated backend, server restart): an idempotent call
    is retried once on such an error (see ``Connector.run``).
    """

    def __init__(self, message: str, *, host: str, port: str, reason: str, lost: bool) -> None:
        super().__init__(message)
        self.host = host
        self.port = port
        self.reason = reason
        self.lost = lost


class SessionExistsError(ArchivalError):
    """A restore of a session the database still holds (without replace=True)."""


class ExtensionPrivilegeError(MissingExtensionError):
    """A required extension the server has but the connected role may not create."""

    def __init__(
        self, extensions: tuple[str, ...], objects: tuple[str, ...], reasons: tuple[str, ...]
    ) -> None:
        super().__init__(extensions, objects)
        self.reasons = reasons
        msg = "; ".join(reasons)
        if objects:
            msg += f" (needed by {', '.join(objects)})"
        self.args = (msg,)

    def __str__(self) -> str:
        return str(self.args[0])


class ServerUnreachableError(DatabaseConnectionError):
    """No connection to the PostgreSQL server could be made (``lost`` is false)."""

    def __init__(self, message: str, *, host: str, port: str, reason: str) -> None:
        super().__init__(message, host=host, port=port, reason=reason, lost=False)


class SchemaMissingError(SchemaError):
    """The database lacks the babylon-sql schema (or part of it): apply it first."""
