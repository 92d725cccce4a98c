-- name: create_extension_table#
-- Test helper: a session-scoped table added by an extension of the schema,
-- with the column types the core schema lacks (bytea, numeric, interval,
-- arrays, timestamp without time zone, char, a generated column).
CREATE TABLE archive_test_extension (
    session_id uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    k          integer NOT NULL,
    blob       bytea,
    amount     numeric,
    span       interval,
    tags       text[],
    counts     integer[],
    flags      boolean[],
    naive      timestamp,
    day        date,
    ratio      real,
    small      smallint,
    code       char(3),
    label      varchar(20),
    doc        json,
    docb       jsonb,
    doubled    integer GENERATED ALWAYS AS (k * 2) STORED,
    PRIMARY KEY (session_id, k)
);
