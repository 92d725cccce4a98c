"""Semantic search on PostgreSQL + pgvector: :class:`PgVectorStore`.

The store implements :class:`babylon_sql.protocols.VectorStoreProtocol` over
the ``document_chunk`` table of layer ``ddl/pg/100_semantic.sql``.

Dimensions
    ``document_chunk.embedding`` has no fixed dimension. A collection fixes
    its own the first time a store writes to it (``vector_collection``); a
    store opened later on the same collection with another dimension is
    refused (:class:`~babylon_sql.errors.DimensionMismatchError`), and so is
    every vector whose length is not the store's dimension, before anything is
    written. Each dimension in use has its own partial HNSW index
    (``document_chunk_hnsw_<N>``, cosine distance); 768 comes with the schema,
    any other dimension (1 to 2,000, pgvector's HNSW limit) gets its index when
    its first collection is registered.

Queries
    Cosine distance ``<=>`` through the HNSW index; ``where=`` is a JSON object
    matched by containment (``metadata @> where``); with pgvector 0.8's
    iterative index scans a filtered query returns ``k`` rows whenever ``k``
    rows match. ``include=`` chooses what comes back: ``documents``,
    ``embeddings``, ``metadatas``, ``distances`` (default: all but
    embeddings, which are not even sent by the server unless asked). A list
    that was not asked for comes back empty; ids always come back.

Writes
    ``add_chunks`` validates every chunk first, then writes them all in one
    transaction: an upsert by ``executemany`` in batches of at most 1,000 rows,
    or, for loads of :data:`COPY_THRESHOLD` chunks or more, a delete of those
    ids followed by one binary ``COPY`` (each row written once). Adding an id
    that exists replaces that chunk. Writers of one collection are serialised
    by an advisory lock.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final
from uuid import UUID

import numpy as np
import numpy.typing as npt
import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from babylon_sql.catalogue import chunked, copy_types, queries, run_batched
from babylon_sql.errors import (
    DimensionMismatchError,
    SchemaError,
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.input import codec
from babylon_sql.input.fields import (
    check_int,
    check_key,
    check_mapping,
    check_opt_session_id,
    check_opt_text,
    check_text,
)

#: What ``include=`` may name, in the order of the returned tuple.
INCLUDE_FIELDS: Final = ("documents", "embeddings", "metadatas", "distances")
#: What ``query_similar`` returns when ``include`` is None.
DEFAULT_INCLUDE: Final = ("documents", "metadatas", "distances")
#: Largest dimension an HNSW index on the ``vector`` type takes.
MAX_DIMENSION: Final = 2000
#: Loads of at least this many chunks go through binary COPY (scripts/bench_vector.py).
COPY_THRESHOLD: Final = 2000
#: Default HNSW candidate list size per query (pgvector's own default): recall@10
#: 0.995 unfiltered and 0.935 with a 10 %-selective filter at 100,000 x 768
#: (scripts/bench_vector.py); raise it for harder data.
DEFAULT_EF_SEARCH: Final = 40
#: pgvector 0.8's iterative index scan modes: ``strict_order`` returns rows in
#: exact distance order; ``relaxed_order`` may return them slightly out of order
#: (the queries re-sort them) and scans less.
ITERATIVE_SCANS: Final = ("strict_order", "relaxed_order")
DEFAULT_ITERATIVE_SCAN: Final = "relaxed_order"
#: Largest ``hnsw.ef_search`` pgvector accepts.
MAX_EF_SEARCH: Final = 1000

_FLOAT32_MAX = float(np.finfo(np.float32).max)
_COLLECTION_RE = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
_CHUNK_KEYS = frozenset(
    {
        "id", "chunk_id", "document", "content", "embedding", "metadata", "session_id",
        "source", "chunk_index",
    }
)  # fmt: skip

Embedding = Sequence[float] | npt.NDArray[np.floating[Any]]
Vector32 = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Chunk:
    """One piece of a document with its embedding.

    ``add_chunks`` also takes plain mappings with the same keys (``chunk_id``
    is accepted for ``id``).
    """

    id: str
    document: str
    embedding: Embedding
    metadata: Mapping[str, Any] = field(default_factory=dict)
    session_id: UUID | None = None
    source: str | None = None


@dataclass(frozen=True)
class _Row:
    chunk_id: str
    session_id: UUID | None
    source: str | None
    document: str
    metadata: Jsonb
    embedding: Vector32


# --------------------------------------------------------------------------- validation


def validate_collection(name: object) -> str:
    """A collection name: 1 to 128 of ``A-Z a-z 0-9 _ . : -``."""
    if not isinstance(name, str) or not _COLLECTION_RE.fullmatch(name):
        raise ValidationError(
            f"invalid collection name {name!r}: use 1 to 128 characters from "
            "A-Z, a-z, 0-9, '_', '.', ':' and '-'"
        )
    return name


def validate_dimension(dimension: object) -> int:
    if isinstance(dimension, bool) or not isinstance(dimension, int):
        raise ValidationError(f"dimension must be an int, not {type(dimension).__name__}")
    if not 1 <= dimension <= MAX_DIMENSION:
        raise ValidationError(
            f"dimension {dimension} is out of range: pgvector's HNSW index takes 1 to "
            f"{MAX_DIMENSION} dimensions"
        )
    return dimension


def as_vector(value: object, dimension: int, what: str) -> Vector32:
    """``value`` as a finite, non-zero float32 vector of ``dimension`` components."""
    if isinstance(value, str | bytes) or value is None:
        raise ValidationError(f"{what}: expected a sequence of floats, got {type(value).__name__}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{what}: not a sequence of numbers ({exc})") from exc
    if array.ndim != 1:
        raise ValidationError(f"{what}: expected a flat vector, got shape {array.shape}")
    if array.size == 0:
        raise ValidationError(f"{what}: the embedding is empty")
    if array.size != dimension:
        raise DimensionMismatchError(
            f"{what}: has {array.size} dimensions, the collection holds {dimension}"
        )
    bad = np.flatnonzero(~np.isfinite(array) | (np.abs(array) > _FLOAT32_MAX))
    if bad.size:
        i = int(bad[0])
        raise ValidationError(
            f"{what}: component {i} is {array[i]!r} (NaN, infinite or beyond float32); "
            "embeddings must be finite"
        )
    vector = array.astype(np.float32)
    if not vector.any():
        raise ValidationError(f"{what}: the zero vector has no direction (cosine is undefined)")
    return vector


def _chunk_fields(chunk: object, index: int) -> dict[str, Any]:
    """The fields of a :class:`Chunk`, a mapping or any object with chunk attributes.

    The original engine's spellings are accepted: ``content`` for
    ``document``, ``chunk_id`` for ``id``, and ``chunk_index`` (kept in the
    metadata unless the metadata has one).
    """
    if isinstance(chunk, Chunk):
        return {
            "id": chunk.id,
            "document": chunk.document,
            "embedding": chunk.embedding,
            "metadata": chunk.metadata,
            "session_id": chunk.session_id,
            "source": chunk.source,
        }
    if isinstance(chunk, Mapping):
        unknown = set(chunk) - _CHUNK_KEYS
        if unknown:
            raise ValidationError(
                f"chunk {index}: unknown key(s) {sorted(map(str, unknown))}; "
                f"known: {sorted(_CHUNK_KEYS)}"
            )
        fields = dict(chunk)
    elif hasattr(chunk, "embedding") and (hasattr(chunk, "content") or hasattr(chunk, "document")):
        fields = {key: getattr(chunk, key) for key in _CHUNK_KEYS if hasattr(chunk, key)}
    else:
        raise ValidationError(
            f"chunk {index}: expected a Chunk or a mapping (or an object with id, content "
            f"and embedding attributes), not {type(chunk).__name__}"
        )
    for ours, theirs in (("id", "chunk_id"), ("document", "content")):
        if theirs in fields:
            value = fields.pop(theirs)
            if ours in fields and fields[ours] != value:
                raise ValidationError(f"chunk {index}: give {ours!r} or {theirs!r}, not both")
            fields[ours] = value
    for key in ("id", "document", "embedding"):
        if key not in fields:
            raise ValidationError(f"chunk {index}: missing {key!r}")
    position = fields.pop("chunk_index", None)
    if position is not None:
        if isinstance(position, bool) or not isinstance(position, int):
            raise ValidationError(f"chunk {index}: chunk_index must be an int, got {position!r}")
        metadata = fields.get("metadata") or {}
        if isinstance(metadata, Mapping) and "chunk_index" not in metadata:
            fields["metadata"] = {**metadata, "chunk_index": position}
    return fields


def _validate_chunk(chunk: object, index: int, dimension: int) -> _Row:
    fields = _chunk_fields(chunk, index)
    chunk_id = check_key(fields["id"], f"chunk {index} id")
    what = f"chunk {chunk_id!r}"
    document = check_text(fields["document"], f"{what} document")
    metadata = check_mapping(fields.get("metadata") or {}, f"{what} metadata")
    return _Row(
        chunk_id=chunk_id,
        session_id=check_opt_session_id(fields.get("session_id"), name=f"{what} session_id"),
        source=check_opt_text(fields.get("source"), f"{what} source"),
        document=document,
        metadata=codec.jsonb_param(dict(metadata), what=f"{what} metadata"),
        embedding=as_vector(fields["embedding"], dimension, f"{what} embedding"),
    )


def _check_include(include: Sequence[str] | None) -> frozenset[str]:
    if include is None:
        return frozenset(DEFAULT_INCLUDE)
    if isinstance(include, str | bytes) or not isinstance(include, Sequence | set | frozenset):
        raise ValidationError(
            f"include must be a list of names from {list(INCLUDE_FIELDS)}, not {include!r}"
        )
    unknown = [name for name in include if name not in INCLUDE_FIELDS]
    if unknown:
        raise ValidationError(f"unknown include name(s) {unknown}; known: {list(INCLUDE_FIELDS)}")
    return frozenset(include)


def _check_where(where: Mapping[str, Any] | None) -> Jsonb | None:
    if where is None:
        return None
    if not isinstance(where, Mapping):
        raise ValidationError(
            f"where must be a mapping matched by JSON containment, not {type(where).__name__}"
        )
    operators = sorted(_operator_keys(where))
    if operators:
        raise ValidationError(
            f"where= operators {operators} are not supported: where= is a JSON object that "
            "each chunk's metadata must contain (metadata @> where)"
        )
    return codec.jsonb_param(dict(where), what="where") if where else None


def _operator_keys(value: object) -> set[str]:
    """Keys starting with ``$`` at any depth (query-language operators)."""
    found: set[str] = set()
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and key.startswith("$"):
                found.add(key)
            found |= _operator_keys(item)
    elif isinstance(value, list | tuple):
        for item in value:
            found |= _operator_keys(item)
    return found


def _check_k(k: object) -> int:
    return check_int(k, "k", low=1)


def _check_ids(chunk_ids: Sequence[str]) -> list[str]:
    if isinstance(chunk_ids, str | bytes) or not isinstance(chunk_ids, Sequence):
        raise ValidationError(f"chunk_ids must be a list of str, not {type(chunk_ids).__name__}")
    for i, chunk_id in enumerate(chunk_ids):
        check_key(chunk_id, f"chunk_ids[{i}]")
    return list(dict.fromkeys(chunk_ids))


# --------------------------------------------------------------------------- the store


def index_name(dimension: int) -> str:
    """Name of the partial HNSW index serving one dimension."""
    return f"document_chunk_hnsw_{validate_dimension(dimension)}"


class PgVectorStore:
    """pgvector implementation of :class:`~babylon_sql.protocols.VectorStoreProtocol`.

    ``pool`` is the caller's (opened, ideally with
    :func:`babylon_sql.pool.configure_connection` as ``configure=``); the
    schema must be applied (:func:`babylon_sql.schema.apply_schema`).
    ``ef_search`` is the HNSW candidate list size per query (raised to ``k``
    when ``k`` is larger, capped at 1,000); ``iterative_scan`` is pgvector's
    mode for scanning on until ``k`` rows pass a filter (:data:`ITERATIVE_SCANS`).
    """

    def __init__(
        self,
        pool: ConnectionPool[psycopg.Connection[Any]],
        dimension: int = 1536,
        collection: str = "default",
        *,
        ef_search: int = DEFAULT_EF_SEARCH,
        iterative_scan: str = DEFAULT_ITERATIVE_SCAN,
    ) -> None:
        self._pool = pool
        self._dimension = validate_dimension(dimension)
        self._collection = validate_collection(collection)
        if isinstance(ef_search, bool) or not isinstance(ef_search, int) or ef_search < 1:
            raise ValidationError(f"ef_search must be a positive int, got {ef_search!r}")
        self._ef_search = min(ef_search, MAX_EF_SEARCH)
        if iterative_scan not in ITERATIVE_SCANS:
            raise ValidationError(
                f"iterative_scan must be one of {list(ITERATIVE_SCANS)}, not {iterative_scan!r}"
            )
        self._iterative_scan = iterative_scan
        self._registered = False
        self._lock = threading.Lock()
        self._q = queries("pg").vector

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def collection(self) -> str:
        return self._collection

    @property
    def pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        return self._pool

    # ----------------------------------------------------------------- connections

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        with self._pool.connection() as conn:
            if conn.adapters.types.get("vector") is None:
                # The pool's configure= hook ran before the extension existed
                # (or the pool has none): register the type now, once per connection.
                from pgvector.psycopg import register_vector

                try:
                    register_vector(conn)
                except psycopg.ProgrammingError as exc:
                    conn.rollback()
                    raise SchemaError(
                        "pgvector's vector type is not in this database: apply the schema "
                        "(babylon_sql.schema.apply_schema) on a server with pgvector"
                    ) from exc
                conn.commit()
            try:
                yield conn
            except psycopg.errors.UndefinedTable as exc:
                raise SchemaError(
                    f"the semantic layer (document_chunk) is missing: apply the schema "
                    f"on a server with pgvector ({exc})"
                ) from exc

    def _statement(self, query: Any) -> sql.Composed:
        return sql.SQL(query.sql).format(dimension=sql.Literal(self._dimension))

    # ----------------------------------------------------------------- collections

    def register(self) -> None:
        """Record the collection's dimension and make sure its index exists.

        Done by the first write of each store (once); refuses a collection
        registered earlier with another dimension.
        """
        self._ensure_registered()

    def _ensure_registered(self) -> None:
        if self._registered:
            return
        with self._lock:
            if self._registered:
                return
            with self._connection() as conn, conn.transaction():
                have = self._q.register_collection(
                    conn, collection=self._collection, dimension=self._dimension
                )
                self._check_dimension(have)
                self._create_index(conn)
            self._registered = True

    def _check_registered(self) -> bool:
        """Whether the collection exists; refuses one of another dimension."""
        if self._registered:
            return True
        with self._connection() as conn:
            have = self._q.collection_dimension(conn, collection=self._collection)
        if have is None:
            return False
        self._check_dimension(have)
        self._registered = True  # its index was made when it was registered
        return True

    def _check_dimension(self, have: int) -> None:
        if have != self._dimension:
            raise DimensionMismatchError(
                f"collection {self._collection!r} holds {have}-dimension embeddings; "
                f"this store was opened with dimension={self._dimension}"
            )

    def _create_index(self, conn: psycopg.Connection[Any]) -> bool:
        name = index_name(self._dimension)
        if self._q.hnsw_index_exists(conn, index_name=name):
            return False
        self._q.lock_dimension_index(conn, dimension=self._dimension)
        if self._q.hnsw_index_exists(conn, index_name=name):
            return False  # another session created it while we waited
        # A SECURITY DEFINER function owned by the schema owner: the writer
        # role (DML only) may add a new dimension's index.
        return bool(self._q.create_hnsw_index(conn, dimension=self._dimension))

    def create_index(self, *, maintenance_work_mem: str | None = None) -> bool:
        """Create this dimension's HNSW index if it is missing; True if it was created.

        Building after a bulk load is much faster than inserting into the
        graph row by row; give ``maintenance_work_mem`` (e.g. ``"1GB"``) so the
        graph fits in memory while it is built.
        """
        with self._connection() as conn, conn.transaction():
            if maintenance_work_mem is not None:
                self._q.set_build_options(conn, maintenance_work_mem=maintenance_work_mem)
            return bool(self._create_index(conn))

    def drop_index(self) -> None:
        """Drop this dimension's HNSW index (before a bulk load; rebuild with create_index)."""
        with self._connection() as conn, conn.transaction():
            self._q.lock_dimension_index(conn, dimension=self._dimension)
            self._q.drop_hnsw_index(conn, dimension=self._dimension)

    # ----------------------------------------------------------------- protocol

    def add_chunks(self, chunks: Sequence[Any]) -> None:
        """Store chunks (:class:`Chunk` or mappings); an existing id is replaced.

        Every chunk is validated before anything is written; then all are
        written in one transaction, or none.
        """
        if isinstance(chunks, str | bytes | Mapping) or not isinstance(chunks, Sequence):
            raise ValidationError(
                f"chunks must be a list of Chunk or mappings, not {type(chunks).__name__}"
            )
        rows: dict[str, _Row] = {}
        for i, chunk in enumerate(chunks):
            row = _validate_chunk(chunk, i, self._dimension)
            rows.pop(row.chunk_id, None)
            rows[row.chunk_id] = row  # the last of duplicate ids wins
        if not rows:
            return
        self._ensure_registered()
        bulk = len(rows) >= COPY_THRESHOLD
        try:
            with self._connection() as conn, conn.transaction():
                self._q.lock_collection(conn, collection=self._collection)
                if bulk:
                    self._copy(conn, rows)
                else:
                    run_batched(self._q.upsert_chunk, conn, self._params(rows.values()))
        except psycopg.errors.ForeignKeyViolation as exc:
            if "session" in (exc.diag.constraint_name or ""):
                raise SessionNotFoundError(
                    "a chunk names a session_id that no game_session row carries; "
                    "create the session first (nothing was written)"
                ) from exc
            raise
        if bulk:
            self.analyze()

    def analyze(self) -> None:
        """Refresh the planner's statistics (done after every COPY-sized load)."""
        with self._connection() as conn, conn.transaction():
            self._q.analyze_chunks(conn)

    def _params(self, rows: Any) -> Iterator[dict[str, Any]]:
        for row in rows:
            yield {
                "collection": self._collection,
                "chunk_id": row.chunk_id,
                "session_id": row.session_id,
                "source": row.source,
                "document": row.document,
                "metadata": row.metadata,
                "embedding": row.embedding,
                "dimension": self._dimension,
            }

    def _copy(self, conn: psycopg.Connection[Any], rows: dict[str, _Row]) -> None:
        """Replace-or-add by delete + binary COPY (the caller holds lock_collection)."""
        for batch in chunked(rows):
            self._q.delete_chunks(conn, collection=self._collection, chunk_ids=batch)
        query = self._q.copy_chunks
        with conn.cursor() as cur, cur.copy(query.sql) as copy:
            copy.set_types(copy_types(query))
            for row in rows.values():
                copy.write_row(
                    (
                        self._collection,
                        row.chunk_id,
                        row.session_id,
                        row.source,
                        row.document,
                        row.metadata,
                        row.embedding,
                        self._dimension,
                    )
                )

    def query_similar(
        self,
        query_embedding: Sequence[float],
        k: int = 10,
        where: Mapping[str, Any] | None = None,
        include: Sequence[str] | None = None,
        *,
        exact: bool = False,
    ) -> tuple[list[Any], list[Any], list[Any], list[Any], list[Any]]:
        """The ``k`` chunks nearest to ``query_embedding`` (cosine distance).

        Returns ``(ids, documents, embeddings, metadatas, distances)``; a list
        not named in ``include`` is empty. Embeddings come back as float32
        numpy arrays. ``exact=True`` scans without the HNSW index (the
        ground truth that recall is measured against).
        """
        query = as_vector(query_embedding, self._dimension, "query_embedding")
        k = _check_k(k)
        condition = _check_where(where)
        wanted = _check_include(include)
        if not self._check_registered():
            return [], [], [], [], []
        statement, params = self._similar(query, k, condition, wanted)
        with self._connection() as conn, conn.transaction():
            self._set_search_options(conn, k, exact=exact)
            with conn.cursor(row_factory=dict_row) as cur:
                # prepare=False: a server-side prepared statement may switch to a
                # generic plan, blind to the filter's selectivity and to k.
                rows = cur.execute(statement, params, prepare=False).fetchall()
        ids = [row["chunk_id"] for row in rows]
        documents = [row["document"] for row in rows] if "documents" in wanted else []
        embeddings = [row["embedding"].to_numpy() for row in rows] if "embeddings" in wanted else []
        metadatas = [row["metadata"] for row in rows] if "metadatas" in wanted else []
        distances = [float(row["distance"]) for row in rows] if "distances" in wanted else []
        return ids, documents, embeddings, metadatas, distances

    def _similar(
        self, query: Vector32, k: int, where: Jsonb | None, wanted: frozenset[str]
    ) -> tuple[sql.Composed, dict[str, Any]]:
        params: dict[str, Any] = {
            "collection": self._collection,
            "query": query,
            "k": k,
            "with_document": "documents" in wanted,
            "with_embedding": "embeddings" in wanted,
            "with_metadata": "metadatas" in wanted,
        }
        if where is None:
            return self._statement(self._q.query_similar), params
        params["where"] = where
        return self._statement(self._q.query_similar_where), params

    def _set_search_options(self, conn: psycopg.Connection[Any], k: int, *, exact: bool) -> None:
        self._q.set_search_options(
            conn,
            ef_search=str(min(max(self._ef_search, k), MAX_EF_SEARCH)),
            iterative_scan="off" if exact else self._iterative_scan,
            index_scan="off" if exact else "on",
        )

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunks by id from this collection; unknown ids are ignored."""
        ids = _check_ids(chunk_ids)
        if not ids or not self._check_registered():
            return
        with self._connection() as conn, conn.transaction():
            for batch in chunked(ids):
                self._q.delete_chunks(conn, collection=self._collection, chunk_ids=batch)

    def get_collection_count(self) -> int:
        """Number of chunks in this collection."""
        with self._connection() as conn:
            count = self._q.count_chunks(conn, collection=self._collection)
        return int(count)

    # ----------------------------------------------------------------- diagnostics

    def explain_similar(
        self,
        query_embedding: Sequence[float],
        k: int = 10,
        where: Mapping[str, Any] | None = None,
        *,
        analyze: bool = False,
        exact: bool = False,
    ) -> dict[str, Any]:
        """The plan ``query_similar`` runs with, as EXPLAIN's JSON (one dict).

        With ``analyze`` the query runs and the plan carries ``Execution Time``
        (milliseconds, server side).
        """
        query = as_vector(query_embedding, self._dimension, "query_embedding")
        k = _check_k(k)
        statement, params = self._similar(query, k, _check_where(where), frozenset(DEFAULT_INCLUDE))
        wrapper = self._q.explain_analyze_query if analyze else self._q.explain_query
        explain = sql.SQL(wrapper.sql).format(statement=statement)
        with self._connection() as conn, conn.transaction():
            self._set_search_options(conn, k, exact=exact)
            row = conn.execute(explain, params, prepare=False).fetchone()
        assert row is not None
        plan = row[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        result: dict[str, Any] = plan[0]
        return result
