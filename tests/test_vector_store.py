"""PgVectorStore against a real PostgreSQL with pgvector (both servers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import aiosql
import numpy as np
import numpy.typing as npt
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from babylon_sql.catalogue import queries
from babylon_sql.errors import (
    DimensionMismatchError,
    SchemaError,
    SerializationError,
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.protocols import VectorStoreProtocol
from babylon_sql.server.pool import configure_connection
from babylon_sql.vector.store import COPY_THRESHOLD, Chunk, PgVectorStore, index_name

Pool = ConnectionPool[psycopg.Connection[Any]]
SQL = Path(__file__).parent / "sql"


def _test_queries(name: str) -> Any:
    return getattr(aiosql.from_path(SQL / f"{name}.sql", "psycopg"), name)


def _vectors(n: int, dim: int, seed: int = 0) -> npt.NDArray[np.float32]:
    return np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)


def _chunks(vectors: npt.NDArray[np.float32], prefix: str = "c", **metadata: Any) -> list[Chunk]:
    return [
        Chunk(
            id=f"{prefix}{i}",
            document=f"document {prefix}{i}",
            embedding=v,
            metadata={"n": i, "parity": "even" if i % 2 == 0 else "odd", **metadata},
        )
        for i, v in enumerate(vectors)
    ]


def _exact_ids(
    vectors: npt.NDArray[np.float32], query: npt.NDArray[np.float32], k: int
) -> list[int]:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    distances = 1.0 - unit @ (query / np.linalg.norm(query))
    return [int(i) for i in np.argsort(distances, kind="stable")[:k]]


def _plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _plan_nodes(child)


def _index_scans(explained: dict[str, Any]) -> set[str]:
    return {
        node["Index Name"]
        for node in _plan_nodes(explained["Plan"])
        if node["Node Type"] == "Index Scan" and "Index Name" in node
    }


def _index_exists(pool: Pool, name: str) -> bool:
    with pool.connection() as conn:
        return bool(queries("pg").vector.hnsw_index_exists(conn, index_name=name))


# --------------------------------------------------------------------------- basics


def test_store_implements_the_protocol(pg_pool: Pool) -> None:
    store = PgVectorStore(pg_pool, dimension=8)
    assert isinstance(store, VectorStoreProtocol)
    assert store.dimension == 8
    assert store.collection == "default"
    assert store.pool is pg_pool


@pytest.mark.as_writer
def test_add_query_count_delete_round_trip(pg_pool: Pool) -> None:
    vectors = _vectors(50, 768)
    store = PgVectorStore(pg_pool, dimension=768, collection="docs")
    assert store.get_collection_count() == 0
    assert store.query_similar(vectors[0]) == ([], [], [], [], [])
    store.add_chunks(_chunks(vectors))
    assert store.get_collection_count() == 50

    ids, documents, embeddings, metadatas, distances = store.query_similar(vectors[7], k=5)
    expected = [f"c{i}" for i in _exact_ids(vectors, vectors[7], 5)]
    assert ids == expected
    assert ids[0] == "c7"
    assert documents[0] == "document c7"
    assert metadatas[0] == {"n": 7, "parity": "odd"}
    assert embeddings == []  # not fetched unless asked
    assert distances[0] == pytest.approx(0.0, abs=1e-6)
    assert distances == sorted(distances)
    assert len(ids) == len(documents) == len(metadatas) == len(distances) == 5

    store.delete_chunks(["c7", "c8", "no-such-id"])
    assert store.get_collection_count() == 48
    ids, *_ = store.query_similar(vectors[7], k=50)
    assert "c7" not in ids
    assert len(ids) == 48
    store.delete_chunks([])
    assert store.get_collection_count() == 48


def test_include_chooses_what_is_fetched(pg_pool: Pool) -> None:
    vectors = _vectors(10, 16)
    store = PgVectorStore(pg_pool, dimension=16)
    store.add_chunks(_chunks(vectors))

    ids, documents, embeddings, metadatas, distances = store.query_similar(
        vectors[3], k=3, include=["embeddings"]
    )
    assert ids[0] == "c3"
    assert documents == metadatas == distances == []
    assert len(embeddings) == 3
    assert isinstance(embeddings[0], np.ndarray)
    np.testing.assert_array_equal(embeddings[0], vectors[3])

    ids, documents, embeddings, metadatas, distances = store.query_similar(
        vectors[3], k=2, include=["documents", "embeddings", "metadatas", "distances"]
    )
    assert len(documents) == len(embeddings) == len(metadatas) == len(distances) == 2

    ids, documents, embeddings, metadatas, distances = store.query_similar(
        vectors[3], k=2, include=[]
    )
    assert ids[0] == "c3"
    assert documents == embeddings == metadatas == distances == []


def test_adding_an_existing_id_replaces_it(pg_pool: Pool) -> None:
    vectors = _vectors(3, 8)
    store = PgVectorStore(pg_pool, dimension=8)
    store.add_chunks(_chunks(vectors))
    store.add_chunks([Chunk(id="c1", document="new text", embedding=vectors[2], metadata={"v": 2})])
    assert store.get_collection_count() == 3
    ids, documents, _, metadatas, distances = store.query_similar(vectors[2], k=2)
    assert set(ids) == {"c1", "c2"}
    assert documents[ids.index("c1")] == "new text"
    assert metadatas[ids.index("c1")] == {"v": 2}
    assert distances[1] == pytest.approx(0.0, abs=1e-6)


def test_duplicate_ids_in_one_call_keep_the_last(pg_pool: Pool) -> None:
    vectors = _vectors(2, 8)
    store = PgVectorStore(pg_pool, dimension=8)
    store.add_chunks(
        [
            {"id": "x", "document": "first", "embedding": vectors[0]},
            {"id": "x", "document": "second", "embedding": vectors[1]},
        ]
    )
    assert store.get_collection_count() == 1
    ids, documents, *_ = store.query_similar(vectors[1], k=1)
    assert (ids, documents) == (["x"], ["second"])


def test_plain_mappings_and_lists_are_accepted(pg_pool: Pool, pg_server: Any) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    with pg_pool.connection() as conn:
        session = _test_queries("vector_create_session")(conn, name="vectors")
    store.add_chunks(
        [
            {"chunk_id": "a", "document": "alpha", "embedding": [1.0, 0.0, 0.0]},
            {
                "id": "b",
                "document": "beta",
                "embedding": (0.0, 1.0, 0.0),
                "metadata": {"tags": ["x", "y"], "deep": {"k": None}},
                "session_id": str(session),
                "source": "beta.txt",
            },
            Chunk(id="c", document="gamma", embedding=[0.0, 0.0, 1.0], session_id=session),
        ]
    )
    ids, _, _, metadatas, distances = store.query_similar([0.1, 1.0, 0.0], k=3)
    assert ids[0] == "b"
    assert metadatas[0] == {"tags": ["x", "y"], "deep": {"k": None}}
    assert metadatas[ids.index("a")] == {}
    assert distances[0] < distances[1] <= distances[2]
    # the session owns its chunks: deleting it deletes them
    with pg_pool.connection() as conn:
        assert _test_queries("vector_delete_session")(conn, session_id=session) == 1
    assert store.get_collection_count() == 1


# --------------------------------------------------------------------------- dimensions


@pytest.mark.as_writer
def test_default_dimension_1536_gets_its_own_index(pg_pool: Pool) -> None:
    assert not _index_exists(pg_pool, "document_chunk_hnsw_1536")
    store = PgVectorStore(pg_pool)  # dimension=1536, collection="default"
    vectors = _vectors(4, 1536)
    store.add_chunks(_chunks(vectors))
    assert _index_exists(pg_pool, "document_chunk_hnsw_1536")
    assert store.query_similar(vectors[2], k=1)[0] == ["c2"]


def test_768_and_1536_collections_live_side_by_side(pg_pool: Pool) -> None:
    small = PgVectorStore(pg_pool, dimension=768, collection="local")
    large = PgVectorStore(pg_pool, dimension=1536, collection="remote")
    small.add_chunks(_chunks(_vectors(5, 768), prefix="s"))
    large.add_chunks(_chunks(_vectors(6, 1536), prefix="l"))
    assert (small.get_collection_count(), large.get_collection_count()) == (5, 6)
    assert all(i.startswith("s") for i in small.query_similar(_vectors(1, 768, 9)[0], k=10)[0])
    assert all(i.startswith("l") for i in large.query_similar(_vectors(1, 1536, 9)[0], k=10)[0])


def test_wrong_dimension_is_refused_before_anything_is_written(pg_pool: Pool) -> None:
    store = PgVectorStore(pg_pool, dimension=8)
    good = _chunks(_vectors(5, 8))
    bad = Chunk(id="bad", document="too short", embedding=[1.0] * 7)
    with pytest.raises(DimensionMismatchError, match="7 dimensions"):
        store.add_chunks([*good, bad])
    assert store.get_collection_count() == 0
    with pytest.raises(DimensionMismatchError):
        store.query_similar([1.0] * 9)


def test_a_collection_keeps_the_dimension_it_was_registered_with(pg_pool: Pool) -> None:
    PgVectorStore(pg_pool, dimension=8, collection="fixed").add_chunks(_chunks(_vectors(2, 8)))
    other = PgVectorStore(pg_pool, dimension=16, collection="fixed")
    with pytest.raises(DimensionMismatchError, match="holds 8-dimension"):
        other.add_chunks(_chunks(_vectors(2, 16)))
    with pytest.raises(DimensionMismatchError):
        other.query_similar(_vectors(1, 16)[0])
    with pytest.raises(DimensionMismatchError):
        other.delete_chunks(["c0"])
    assert PgVectorStore(pg_pool, dimension=8, collection="fixed").get_collection_count() == 2


@pytest.mark.as_writer
def test_concurrent_registration_of_a_new_dimension_creates_one_index(pg_pool: Pool) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def register(n: int) -> None:
        try:
            store = PgVectorStore(pg_pool, dimension=24, collection=f"race{n}")
            barrier.wait()
            store.add_chunks(_chunks(_vectors(3, 24, seed=n)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _index_exists(pg_pool, index_name(24))
    for n in range(3):
        assert (
            PgVectorStore(pg_pool, dimension=24, collection=f"race{n}").get_collection_count() == 3
        )


# --------------------------------------------------------------------------- the index is used


@pytest.fixture
def index_only_pool(pg_dsn: str) -> Iterator[Pool]:
    """A pool whose sessions rule out seq scans, bitmap scans and sorts (libpq options):
    if the query's expression or predicate did not match the partial index, the
    planner could not use it and would fall back to a disabled seq scan."""
    pool: Pool = ConnectionPool(
        pg_dsn,
        min_size=1,
        max_size=2,
        configure=configure_connection,
        kwargs={"options": "-c enable_seqscan=off -c enable_bitmapscan=off -c enable_sort=off"},
        open=False,
    )
    pool.open(wait=True)
    try:
        yield pool
    finally:
        pool.close()


def test_queries_match_the_partial_hnsw_index_of_their_dimension(index_only_pool: Pool) -> None:
    for dim in (768, 1536, 32):
        vectors = _vectors(200, dim, seed=dim)
        store = PgVectorStore(index_only_pool, dimension=dim, collection=f"plan{dim}")
        store.add_chunks(_chunks(vectors))
        store.analyze()
        assert _index_scans(store.explain_similar(vectors[0], k=10)) == {index_name(dim)}
        plan = store.explain_similar(vectors[0], k=10, where={"parity": "even"})
        assert _index_scans(plan) == {index_name(dim)}
        analyzed = store.explain_similar(vectors[0], k=10, analyze=True)
        assert analyzed["Execution Time"] > 0
        assert analyzed["Plan"]["Actual Rows"] == 10


def test_the_planner_chooses_the_hnsw_index_by_itself(pg_pool: Pool) -> None:
    vectors = _vectors(3000, 32, seed=1)
    store = PgVectorStore(pg_pool, dimension=32)
    store.add_chunks(_chunks(vectors))  # a COPY-sized load: analyzed afterwards
    assert _index_scans(store.explain_similar(vectors[0], k=10)) == {index_name(32)}
    # (with a filter the choice between HNSW and the GIN index is the planner's,
    # by cost; scripts/bench_vector.py shows it at 100,000 rows.)
    # exact=True is the ground truth: no HNSW
    assert index_name(32) not in _index_scans(store.explain_similar(vectors[0], exact=True))


def test_hnsw_results_match_exact_search_on_small_data(pg_pool: Pool) -> None:
    vectors = _vectors(400, 32, seed=3)
    store = PgVectorStore(pg_pool, dimension=32)
    store.add_chunks(_chunks(vectors))
    store.analyze()
    queries_ = _vectors(10, 32, seed=4)
    hits = 0
    for q in queries_:
        approx = store.query_similar(q, k=10, include=[])[0]
        exact = store.query_similar(q, k=10, include=[], exact=True)[0]
        assert exact == [f"c{i}" for i in _exact_ids(vectors, q, 10)]
        hits += len(set(approx) & set(exact))
    assert hits / 100 >= 0.9


# --------------------------------------------------------------------------- filters, collections


def test_where_filters_by_jsonb_containment(pg_pool: Pool) -> None:
    vectors = _vectors(40, 8)
    store = PgVectorStore(pg_pool, dimension=8)
    store.add_chunks(_chunks(vectors, kind="note"))
    ids, _, _, metadatas, _ = store.query_similar(vectors[0], k=40, where={"parity": "odd"})
    assert len(ids) == 20
    assert all(m["parity"] == "odd" for m in metadatas)
    ids, *_ = store.query_similar(vectors[0], k=5, where={"n": 3, "kind": "note"})
    assert ids == ["c3"]
    assert store.query_similar(vectors[0], where={"parity": "none"})[0] == []
    # an empty filter is no filter
    assert len(store.query_similar(vectors[0], k=40, where={})[0]) == 40


def test_filtered_query_returns_k_rows_whenever_k_rows_match(pg_pool: Pool) -> None:
    # 3,000 rows, 2 % match: ef_search=10 alone would find about 0.2 matching
    # candidates; the iterative scan keeps going until k rows pass.
    vectors = _vectors(3000, 32, seed=5)
    chunks = [
        Chunk(
            id=f"c{i}",
            document=str(i),
            embedding=v,
            metadata={"tag": "rare" if i % 50 == 0 else "common"},
        )
        for i, v in enumerate(vectors)
    ]
    store = PgVectorStore(pg_pool, dimension=32, ef_search=10)
    store.add_chunks(chunks)
    store.analyze()
    query = _vectors(1, 32, seed=6)[0]
    ids, *_ = store.query_similar(query, k=10, where={"tag": "rare"})
    assert len(ids) == 10
    assert all(int(i[1:]) % 50 == 0 for i in ids)
    ids, *_ = store.query_similar(query, k=60, where={"tag": "rare"})
    assert len(ids) == 60  # every matching row, no more
    ids, *_ = store.query_similar(query, k=100, where={"tag": "rare"})
    assert len(ids) == 60


def test_a_collection_never_sees_another_collections_rows(pg_pool: Pool) -> None:
    vectors = _vectors(10, 8)
    first = PgVectorStore(pg_pool, dimension=8, collection="first")
    second = PgVectorStore(pg_pool, dimension=8, collection="second")
    first.add_chunks(_chunks(vectors))
    second.add_chunks(_chunks(vectors[:4]))
    assert (first.get_collection_count(), second.get_collection_count()) == (10, 4)
    ids, *_ = second.query_similar(vectors[8], k=10)
    assert sorted(ids) == ["c0", "c1", "c2", "c3"]
    second.delete_chunks(["c0", "c9"])
    assert (first.get_collection_count(), second.get_collection_count()) == (10, 3)
    assert PgVectorStore(pg_pool, dimension=8, collection="third").get_collection_count() == 0


# --------------------------------------------------------------------------- COPY path


@pytest.mark.as_writer
def test_large_loads_go_through_copy_and_still_replace(pg_pool: Pool) -> None:
    n = COPY_THRESHOLD + 10
    vectors = _vectors(n, 8, seed=7)
    store = PgVectorStore(pg_pool, dimension=8)
    store.add_chunks(_chunks(vectors))
    assert store.get_collection_count() == n
    # again, with new documents: every row replaced, none added
    store.add_chunks(
        [Chunk(id=f"c{i}", document=f"v2 {i}", embedding=v) for i, v in enumerate(vectors)]
    )
    assert store.get_collection_count() == n
    ids, documents, _, metadatas, _ = store.query_similar(vectors[11], k=1)
    assert (ids, documents, metadatas) == (["c11"], ["v2 11"], [{}])


@pytest.mark.as_writer
def test_drop_and_rebuild_the_index_around_a_bulk_load(pg_pool: Pool) -> None:
    store = PgVectorStore(pg_pool, dimension=8)
    store.add_chunks(_chunks(_vectors(3, 8)))
    store.drop_index()
    assert not _index_exists(pg_pool, index_name(8))
    vectors = _vectors(500, 8, seed=8)
    store.add_chunks(_chunks(vectors, prefix="b"))
    assert store.create_index(maintenance_work_mem="64MB") is True
    assert store.create_index() is False
    assert _index_exists(pg_pool, index_name(8))
    assert store.query_similar(vectors[9], k=1)[0] == ["b9"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("embedding", "match"),
    [
        ([float("nan"), 1.0, 0.0], "NaN"),
        ([float("inf"), 1.0, 0.0], "finite"),
        ([-float("inf"), 1.0, 0.0], "finite"),
        ([1e39, 1.0, 0.0], "float32"),
        ([], "empty"),
        ([0.0, 0.0, 0.0], "zero vector"),
        ([[1.0, 0.0, 0.0]], "flat"),
        (["a", "b", "c"], "numbers"),
        ("abc", "sequence of floats"),
        (None, "sequence of floats"),
    ],
)
def test_bad_embeddings_are_refused(pg_pool: Pool, embedding: Any, match: str) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    good = Chunk(id="ok", document="fine", embedding=[1.0, 0.0, 0.0])
    with pytest.raises(ValidationError, match=match):
        store.add_chunks([good, Chunk(id="bad", document="x", embedding=embedding)])
    assert store.get_collection_count() == 0
    with pytest.raises(ValidationError, match=match):
        store.query_similar(embedding)


@pytest.mark.parametrize("k", [0, -1, True, 1.5, "10", None])
def test_bad_k_is_refused(pg_pool: Pool, k: Any) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    with pytest.raises(ValidationError, match="k must be"):
        store.query_similar([1.0, 0.0, 0.0], k=k)


@pytest.mark.parametrize(
    ("include", "match"),
    [
        (["documents", "uris"], "unknown include"),
        (["ids"], "unknown include"),
        ("documents", "list of names"),
        (42, "list of names"),
    ],
)
def test_bad_include_is_refused(pg_pool: Pool, include: Any, match: str) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    with pytest.raises(ValidationError, match=match):
        store.query_similar([1.0, 0.0, 0.0], include=include)


@pytest.mark.parametrize(
    ("where", "match"),
    [
        (["parity", "odd"], "mapping"),
        ("parity = 'odd'", "mapping"),
        ({"$and": [{"a": 1}]}, "operators"),
        ({"n": {"$gt": 3}}, "operators"),
        ({"n": [{"$in": [1]}]}, "operators"),
        ({"a": object()}, "where: attribute 'a' cannot be stored"),
        ({1: "one"}, "where: attribute key 1 is a int"),
        ({"a": float("nan")}, "where: attribute 'a' holds NaN"),
        ({"a": "nul\x00"}, "where: \\['a'\\] holds a NUL character"),
    ],
)
def test_unsupported_filters_are_refused(pg_pool: Pool, where: Any, match: str) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    store.add_chunks([Chunk(id="a", document="a", embedding=[1.0, 0.0, 0.0])])
    with pytest.raises((ValidationError, SerializationError), match=match):
        store.query_similar([1.0, 0.0, 0.0], where=where)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "x" * 129,
        "docs'; DROP TABLE document_chunk; --",
        'a"b',
        "with space",
        "tab\there",
        "nul\x00",
        "ünïcode",
        "../etc",
        None,
        42,
    ],
)
def test_hostile_collection_names_are_refused(pg_pool: Pool, name: Any) -> None:
    with pytest.raises(ValidationError, match="collection name"):
        PgVectorStore(pg_pool, dimension=3, collection=name)


def test_collection_names_that_are_fine(pg_pool: Pool) -> None:
    for name in ("a", "x" * 128, "game:42/..".replace("/", "."), "Docs_v1-2.en"):
        store = PgVectorStore(pg_pool, dimension=3, collection=name)
        store.add_chunks([Chunk(id="a", document="a", embedding=[1.0, 0.0, 0.0])])
        assert store.get_collection_count() == 1


@pytest.mark.parametrize("dimension", [0, -3, 2001, True, 3.0, "768"])
def test_bad_dimensions_are_refused(pg_pool: Pool, dimension: Any) -> None:
    with pytest.raises(ValidationError, match="dimension"):
        PgVectorStore(pg_pool, dimension=dimension)


@pytest.mark.parametrize(
    ("chunk", "match"),
    [
        ("not a chunk", "Chunk or a mapping"),
        ({"id": "a", "embedding": [1.0, 0.0, 0.0]}, "missing 'document'"),
        ({"id": "a", "document": "a", "embedding": [1, 0, 0], "colour": "red"}, "unknown key"),
        ({"id": "", "document": "a", "embedding": [1.0, 0.0, 0.0]}, "id must be a non-empty"),
        ({"id": 7, "document": "a", "embedding": [1.0, 0.0, 0.0]}, "id must be a str"),
        ({"id": "a", "document": b"bytes", "embedding": [1.0, 0.0, 0.0]}, "must be a str"),
        ({"id": "a", "document": "nul\x00", "embedding": [1.0, 0.0, 0.0]}, "NUL"),
        ({"id": "a", "document": "a", "embedding": [1, 0, 0], "metadata": [1]}, "mapping"),
        (
            {"id": "a", "document": "a", "embedding": [1, 0, 0], "metadata": {"x": float("inf")}},
            "chunk 'a' metadata: attribute 'x' holds NaN or infinity",
        ),
        ({"id": "a", "document": "a", "embedding": [1, 0, 0], "session_id": "nope"}, "UUID"),
        ({"id": "a", "document": "a", "embedding": [1, 0, 0], "source": 3}, "source"),
    ],
)
def test_bad_chunks_are_refused(pg_pool: Pool, chunk: Any, match: str) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    with pytest.raises((ValidationError, SerializationError), match=match):
        store.add_chunks([{"id": "fine", "document": "ok", "embedding": [0.0, 1.0, 0.0]}, chunk])
    assert store.get_collection_count() == 0


def test_bad_containers_are_refused(pg_pool: Pool) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    with pytest.raises(ValidationError, match="chunks must be a list"):
        store.add_chunks({"id": "a", "document": "a", "embedding": [1.0, 0.0, 0.0]})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="chunk_ids must be a list"):
        store.delete_chunks("abc")
    with pytest.raises(ValidationError, match="must be a str"):
        store.delete_chunks([1, 2])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="ef_search"):
        PgVectorStore(pg_pool, dimension=3, ef_search=0)


def test_unknown_session_is_refused_and_nothing_is_written(pg_pool: Pool) -> None:
    store = PgVectorStore(pg_pool, dimension=3)
    with pytest.raises(SessionNotFoundError, match="session_id"):
        store.add_chunks(
            [
                Chunk(id="a", document="a", embedding=[1.0, 0.0, 0.0]),
                Chunk(id="b", document="b", embedding=[0.0, 1.0, 0.0], session_id=uuid4()),
            ]
        )
    assert store.get_collection_count() == 0


def test_a_database_without_the_schema_gives_a_schema_error(empty_pg_dsn: str) -> None:
    pool: Pool = ConnectionPool(
        empty_pg_dsn, min_size=1, max_size=1, configure=configure_connection, open=False
    )
    pool.open(wait=True)
    try:
        store = PgVectorStore(pool, dimension=3)
        with pytest.raises(SchemaError, match="schema"):
            store.add_chunks([Chunk(id="a", document="a", embedding=[1.0, 0.0, 0.0])])
    finally:
        pool.close()


def test_chunk_is_frozen() -> None:
    chunk = Chunk(id="a", document="a", embedding=[1.0])
    with pytest.raises(AttributeError):
        chunk.id = "b"  # type: ignore[misc]
    assert isinstance(chunk.session_id, UUID | None)


def test_the_pool_hook_registers_the_vector_type(pg_pool: Pool) -> None:
    with pg_pool.connection() as conn:
        assert conn.adapters.types.get("vector") is not None


def test_strict_order_scans_work_too_and_bad_modes_are_refused(pg_pool: Pool) -> None:
    vectors = _vectors(30, 8)
    PgVectorStore(pg_pool, dimension=8).add_chunks(_chunks(vectors))
    strict = PgVectorStore(pg_pool, dimension=8, iterative_scan="strict_order")
    ids, *_ = strict.query_similar(vectors[4], k=5, where={"parity": "even"})
    assert ids[0] == "c4"
    assert len(ids) == 5
    with pytest.raises(ValidationError, match="iterative_scan"):
        PgVectorStore(pg_pool, dimension=8, iterative_scan="off")
