"""Policy-optimisation games on DuckDB, laid out as SimCash's persistence:

- :mod:`babylon_sql.games.models`: ``GameSessionRecord``, ``PolicyIterationRecord``,
  ``GameStatus``, ``GameMode``;
- :mod:`babylon_sql.games.connection`: ``DatabaseManager`` (``setup()``, ...),
  ``get_connection``, ``connect``;
- :mod:`babylon_sql.games.repository`: ``GameRepository``.

Queries: ``queries/duckdb/games/``. ``from babylon_sql.games import ...``
gives everything a caller needs.
"""

from babylon_sql.games.connection import DatabaseManager, connect, get_connection
from babylon_sql.games.models import (
    GameMode,
    GameSessionRecord,
    GameStatus,
    PolicyIterationRecord,
)
from babylon_sql.games.repository import GameRepository

__all__ = [
    "DatabaseManager",
    "GameMode",
    "GameRepository",
    "GameSessionRecord",
    "GameStatus",
    "PolicyIterationRecord",
    "connect",
    "get_connection",
]
