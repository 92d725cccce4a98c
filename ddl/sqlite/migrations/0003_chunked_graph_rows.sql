-- name: chunked_graph_rows#
-- Migration 0003: SQLite stores a tick's nodes and edges in chunks of up to
-- 1,000 (node_chunk, edge_chunk: one JSON array document per chunk, in graph
-- order) instead of one row each, which is what makes persist_tick and
-- hydrate_graph cheap on SQLite. The rows of node_state and edge_state are
-- converted into chunks of 1,000 by ord (ord 0 to 999, 1,000 to 1,999 ...,
-- as the writer numbered them; an int id, whose node_ref holds its JSON,
-- becomes a JSON number again), the tables dropped, and views of the same
-- names and columns show the chunks row by row.

-- table: Graph nodes of one tick in chunks of up to 1,000, in graph order: nodes is one JSON array of [id, attributes] pairs (an int id as a JSON number); read them row by row in the node_state view.
CREATE TABLE IF NOT EXISTS node_chunk (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    first_ord  INTEGER NOT NULL,
    nodes      TEXT    NOT NULL,
    PRIMARY KEY (session_id, tick, first_ord),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
);

-- table: Graph edges of one tick in chunks of up to 1,000, in graph order: edges is one JSON array of [source, target, attributes] triples; read them row by row in the edge_state view.
CREATE TABLE IF NOT EXISTS edge_chunk (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    first_ord  INTEGER NOT NULL,
    edges      TEXT    NOT NULL,
    PRIMARY KEY (session_id, tick, first_ord),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
);

-- Each chunk's array is aggregated from a subquery ordered by ord (no GROUP
-- BY sorter between them), found through an index dropped with the table.
CREATE INDEX node_state_ord ON node_state (session_id, tick, ord);
CREATE INDEX edge_state_ord ON edge_state (session_id, tick, ord);

INSERT INTO node_chunk (session_id, tick, first_ord, nodes)
SELECT
    c.session_id,
    c.tick,
    c.first_ord,
    (
        SELECT json_group_array(json_array(coalesce(json(n.node_ref), n.node_id), json(n.attributes)))
        FROM (
            SELECT s.node_id, s.node_ref, s.attributes
            FROM node_state AS s
            WHERE
                s.session_id = c.session_id AND s.tick = c.tick
                AND s.ord >= c.first_ord AND s.ord < c.first_ord + 1000
            ORDER BY s.ord
        ) AS n
    ) AS nodes
FROM (SELECT DISTINCT session_id, tick, ord / 1000 * 1000 AS first_ord FROM node_state) AS c;

INSERT INTO edge_chunk (session_id, tick, first_ord, edges)
SELECT
    c.session_id,
    c.tick,
    c.first_ord,
    (
        SELECT json_group_array(
            json_array(
                coalesce(json(e.source_ref), e.source_id),
                coalesce(json(e.target_ref), e.target_id),
                json(e.attributes)
            )
        )
        FROM (
            SELECT s.source_id, s.target_id, s.source_ref, s.target_ref, s.attributes
            FROM edge_state AS s
            WHERE
                s.session_id = c.session_id AND s.tick = c.tick
                AND s.ord >= c.first_ord AND s.ord < c.first_ord + 1000
            ORDER BY s.ord
        ) AS e
    ) AS edges
FROM (SELECT DISTINCT session_id, tick, ord / 1000 * 1000 AS first_ord FROM edge_state) AS c;

DROP TABLE node_state;
DROP TABLE edge_state;

-- view: One row per node, as node_state was stored before schema version 3:
-- node_id as text, node_ref the JSON of an int id, node_type the "node_type"
-- attribute when it is text, attributes the node's JSON document.
CREATE VIEW IF NOT EXISTS node_state AS
SELECT
    c.session_id,
    c.tick,
    CAST(json_extract(j.value, '$[0]') AS TEXT) AS node_id,
    c.first_ord + j.key AS ord,
    CASE json_type(j.value, '$[0]')
        WHEN 'integer' THEN CAST(json_extract(j.value, '$[0]') AS TEXT)
    END AS node_ref,
    CASE json_type(j.value, '$[1].node_type')
        WHEN 'text' THEN json_extract(j.value, '$[1].node_type')
    END AS node_type,
    json_extract(j.value, '$[1]') AS attributes
FROM node_chunk AS c, json_each(c.nodes) AS j;

-- view: One row per edge, as edge_state was stored before schema version 3
-- (source_ref and target_ref: the JSON of an int id; edge_type: the
-- "edge_type" attribute when it is text).
CREATE VIEW IF NOT EXISTS edge_state AS
SELECT
    c.session_id,
    c.tick,
    CAST(json_extract(j.value, '$[0]') AS TEXT) AS source_id,
    CAST(json_extract(j.value, '$[1]') AS TEXT) AS target_id,
    c.first_ord + j.key AS ord,
    CASE json_type(j.value, '$[0]')
        WHEN 'integer' THEN CAST(json_extract(j.value, '$[0]') AS TEXT)
    END AS source_ref,
    CASE json_type(j.value, '$[1]')
        WHEN 'integer' THEN CAST(json_extract(j.value, '$[1]') AS TEXT)
    END AS target_ref,
    CASE json_type(j.value, '$[2].edge_type')
        WHEN 'text' THEN json_extract(j.value, '$[2].edge_type')
    END AS edge_type,
    json_extract(j.value, '$[2]') AS attributes
FROM edge_chunk AS c, json_each(c.edges) AS j;
