"""Policy-optimisation games on DuckDB: records, the file manager and the repository.

Queries: ``queries/duckdb/games/``. ``from babylon_sql.games import ...``
gives everything a caller needs.
"""

from babylon_sql.games.repository import (
    DatabaseManager,
    GameMode,
    GameRepository,
    GameSessionRecord,
    GameStatus,
    PolicyIterationRecord,
    connect,
)

__all__ = [
    "DatabaseManager",
    "GameMode",
    "GameRepository",
    "GameSessionRecord",
    "GameStatus",
    "PolicyIterationRecord",
    "connect",
]
