--
-- PostgreSQL database dump
--

--
-- Name: postgis; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;

--
-- Name: EXTENSION postgis; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION postgis IS 'PostGIS geometry and geography spatial types and functions';

--
-- Name: uuid-ossp; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

--
-- Name: EXTENSION "uuid-ossp"; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION "uuid-ossp" IS 'generate universally unique identifiers (UUIDs)';

--
-- Name: vector; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;

--
-- Name: EXTENSION vector; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION vector IS 'vector data type and ivfflat and hnsw access methods';

--
-- Name: babylon_analyze(regclass[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_analyze(VARIADIC tables regclass[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    t regclass;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ANALYZE %s', t);
    END LOOP;
END
$$;

--
-- Name: FUNCTION babylon_analyze(VARIADIC tables regclass[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_analyze(VARIADIC tables regclass[]) IS 'ANALYZE the given tables as the schema owner (SECURITY DEFINER): the writer role refreshes statistics after bulk loads without owning the tables.';

--
-- Name: babylon_create_hnsw_index(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_create_hnsw_index(p_dimension integer) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    idx text := 'document_chunk_hnsw_' || p_dimension;
BEGIN
    IF p_dimension IS NULL OR p_dimension NOT BETWEEN 1 AND 2000 THEN
        RAISE EXCEPTION 'HNSW index dimension must be 1 to 2000, got %', p_dimension
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(idx) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE INDEX %I ON document_chunk USING hnsw ((embedding::vector(%s)) vector_cosine_ops) '
        'WHERE dimension = %s',
        idx, p_dimension, p_dimension
    );
    EXECUTE format(
        'COMMENT ON INDEX %I IS %L', idx,
        format('cosine nearest-neighbour search (<=>) for %s-dimension embeddings.', p_dimension)
    );
    RETURN true;
END
$$;

--
-- Name: FUNCTION babylon_create_hnsw_index(p_dimension integer); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_create_hnsw_index(p_dimension integer) IS 'Create the partial HNSW cosine index document_chunk_hnsw_<N> of one dimension if it is missing; true if created. SECURITY DEFINER.';

--
-- Name: babylon_create_trace_partition(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_create_trace_partition(p_session_id uuid) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $_$
DECLARE
    part text := 'trace_log_s_' || replace(p_session_id::text, '-', '');
    kind text;
BEGIN
    -- the parent in SHARE UPDATE EXCLUSIVE mode (what ATTACH takes; writers
    -- keep writing), the default partition in ACCESS EXCLUSIVE mode (what
    -- ATTACH takes on it), both up front so callers never upgrade locks.
    LOCK TABLE ONLY trace_log IN SHARE UPDATE EXCLUSIVE MODE;
    LOCK TABLE ONLY trace_log_default IN ACCESS EXCLUSIVE MODE;
    SELECT CASE
               WHEN c.relispartition AND i.inhparent = 'trace_log'::regclass THEN 'exists'
               ELSE 'other'
           END
    INTO kind
    FROM pg_class AS c
    LEFT JOIN pg_inherits AS i ON i.inhrelid = c.oid
    WHERE c.oid = to_regclass(part);
    IF kind IS NOT NULL THEN
        RETURN kind;
    END IF;
    EXECUTE format(
        'CREATE UNLOGGED TABLE %I (LIKE trace_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part
    );
    -- PostgreSQL refuses to attach a partition whose rows the default still holds.
    EXECUTE format(
        'WITH moved AS (DELETE FROM trace_log_default WHERE session_id = $1 '
        'RETURNING session_id, tick, seq, level, system, event, node_id, data, recorded_at) '
        'INSERT INTO %I (session_id, tick, seq, level, system, event, node_id, data, recorded_at) '
        'SELECT session_id, tick, seq, level, system, event, node_id, data, recorded_at FROM moved',
        part
    ) USING p_session_id;
    EXECUTE format(
        'ALTER TABLE trace_log ATTACH PARTITION %I FOR VALUES IN (%L)', part, p_session_id
    );
    RETURN 'created';
END
$_$;

--
-- Name: FUNCTION babylon_create_trace_partition(p_session_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_create_trace_partition(p_session_id uuid) IS 'Give a session its own UNLOGGED trace_log partition (trace_log_s_<32 hex digits>), moving its rows out of the default partition. Returns created, exists, or other (a relation of that name that is not a partition of trace_log; nothing done). SECURITY DEFINER.';

--
-- Name: babylon_drop_hnsw_index(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_drop_hnsw_index(p_dimension integer) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    idx text := 'document_chunk_hnsw_' || p_dimension;
BEGIN
    IF to_regclass(idx) IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('DROP INDEX %I', idx);
    RETURN true;
END
$$;

--
-- Name: FUNCTION babylon_drop_hnsw_index(p_dimension integer); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_drop_hnsw_index(p_dimension integer) IS 'Drop the HNSW index of one dimension (before a bulk load; rebuild it with babylon_create_hnsw_index); true if it existed. SECURITY DEFINER.';

--
-- Name: babylon_drop_trace_partition(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_drop_trace_partition(p_session_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    part text := 'trace_log_s_' || replace(p_session_id::text, '-', '');
BEGIN
    IF EXISTS (
        SELECT 1
        FROM pg_class AS c
        INNER JOIN pg_inherits AS i ON i.inhrelid = c.oid
        WHERE c.oid = to_regclass(part) AND c.relispartition AND i.inhparent = 'trace_log'::regclass
    ) THEN
        EXECUTE format('DROP TABLE %I', part);
        RETURN true;
    END IF;
    RETURN false;
END
$$;

--
-- Name: FUNCTION babylon_drop_trace_partition(p_session_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_drop_trace_partition(p_session_id uuid) IS 'Drop a session''s trace_log partition with its rows, if it has one (a relation of that name that is not a partition of trace_log is left alone). Returns whether one was dropped. SECURITY DEFINER.';

--
-- Name: babylon_journal_games_exist(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_journal_games_exist() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    missing uuid;
BEGIN
    PERFORM 1
    FROM game_session AS g
    WHERE g.session_id IN (SELECT n.game_id FROM new_rows AS n)
    FOR KEY SHARE;
    SELECT d.game_id INTO missing
    FROM (SELECT DISTINCT n.game_id FROM new_rows AS n) AS d
    WHERE NOT EXISTS (SELECT 1 FROM game_session AS g WHERE g.session_id = d.game_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates its game_id reference', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                DETAIL = format('Key (game_id)=(%s) is not present in table "game_session".', missing);
    END IF;
    RETURN NULL;
END
$$;

--
-- Name: FUNCTION babylon_journal_games_exist(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_journal_games_exist() IS 'Statement-level reference check of territory_snapshot.game_id and hex_activity.game_id against game_session (what a foreign key checks per row): locks the named games FOR KEY SHARE, raises foreign_key_violation for an unknown one.';

--
-- Name: babylon_journal_games_gone(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_journal_games_gone() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    kept uuid;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE territory_snapshot, hex_activity;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM territory_snapshot AS t USING old_rows AS o WHERE t.game_id = o.session_id;
        DELETE FROM hex_activity AS a USING old_rows AS o WHERE a.game_id = o.session_id;
    ELSE
        SELECT o.session_id INTO kept
        FROM old_rows AS o
        WHERE NOT EXISTS (SELECT 1 FROM game_session AS g WHERE g.session_id = o.session_id)
            AND (
                EXISTS (SELECT 1 FROM territory_snapshot AS t WHERE t.game_id = o.session_id)
                OR EXISTS (SELECT 1 FROM hex_activity AS a WHERE a.game_id = o.session_id)
            )
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'update on table "game_session" would leave journal rows without their game'
                USING ERRCODE = 'foreign_key_violation',
                    DETAIL = format('Key (session_id)=(%s) is still referenced by the hex journals.', kept);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

--
-- Name: FUNCTION babylon_journal_games_gone(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_journal_games_gone() IS 'What ON DELETE CASCADE did for territory_snapshot and hex_activity: a deleted game_session row takes its journal rows, TRUNCATE game_session truncates the journals, and a session_id still named by journal rows cannot change.';

--
-- Name: babylon_uuid_v7(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.babylon_uuid_v7() RETURNS uuid
    LANGUAGE sql PARALLEL SAFE
    AS $$
    -- The first 6 bytes: Unix time in ms, big-endian. The version nibble
    -- of gen_random_uuid() goes from 0100 (4) to 0111 (7): bits 52 and 53.
    SELECT encode(
        set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
            PLACING substring(int8send(floor(extract(EPOCH FROM clock_timestamp()) * 1000)::bigint) FROM 3)
            FROM 1 FOR 6), 52, 1), 53, 1),
        'hex'
    )::uuid
$$;

--
-- Name: FUNCTION babylon_uuid_v7(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.babylon_uuid_v7() IS 'A time-ordered UUID (version 7, RFC 9562): Unix time in milliseconds, then 74 random bits. Default of game_session.session_id.';

--
-- Name: graph_snapshot_cascade(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.graph_snapshot_cascade() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM node_state AS n USING gone AS g WHERE n.session_id = g.session_id AND n.tick = g.tick;
    DELETE FROM edge_state AS e USING gone AS g WHERE e.session_id = g.session_id AND e.tick = g.tick;
    DELETE FROM simulation_event AS v USING gone AS g
    WHERE v.session_id = g.session_id AND v.tick = g.tick;
    RETURN NULL;
END
$$;

--
-- Name: FUNCTION graph_snapshot_cascade(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.graph_snapshot_cascade() IS 'Deletes the nodes, edges and events of deleted graph_snapshot rows (they have no per-row foreign key).';

--
-- Name: action_result; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_result (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    ord integer NOT NULL,
    action_id text,
    actor_id text,
    action_type text,
    success boolean,
    outcome json DEFAULT '{}'::json NOT NULL,
    CONSTRAINT action_result_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE action_result; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.action_result IS 'OODA action resolution outcomes (Feature 032) of a tick, in the order given; the whole result dict is in outcome. actor_id is the acting organisation (org_id).';

--
-- Name: babylon_schema_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.babylon_schema_version (
    version integer NOT NULL,
    name text NOT NULL,
    how text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT babylon_schema_version_how_check CHECK ((how = ANY (ARRAY['fresh'::text, 'baseline'::text, 'migrated'::text])))
);

--
-- Name: TABLE babylon_schema_version; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.babylon_schema_version IS 'One row per schema migration this database has (ddl/pg/migrations/NNNN_name.sql): applied, stamped by a fresh install, or stamped as the baseline of a database older than versioning.';

--
-- Name: community_membership; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.community_membership (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    community_id text NOT NULL,
    member_id text NOT NULL,
    attributes json DEFAULT '{}'::json NOT NULL,
    CONSTRAINT community_membership_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE community_membership; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.community_membership IS 'Hyperedge memberships: which member belongs to which community at a tick.';

--
-- Name: community_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.community_state (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    community_id text NOT NULL,
    state json DEFAULT '{}'::json NOT NULL,
    CONSTRAINT community_state_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE community_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.community_state IS 'Hypergraph communities of one tick, their state as json.';

--
-- Name: contradiction_field; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contradiction_field (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    node_id text DEFAULT ''::text NOT NULL,
    field_name text NOT NULL,
    ord integer NOT NULL,
    field json NOT NULL,
    CONSTRAINT contradiction_field_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE contradiction_field; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.contradiction_field IS 'Feature 002 contradiction field values per tick and node: field holds the whole row (value, laplacian, dt, d2t, ...); node_id is empty for a graph-level field.';

--
-- Name: document_chunk; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.document_chunk (
    collection text NOT NULL,
    chunk_id text NOT NULL,
    session_id uuid,
    source text,
    document text NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    embedding public.vector NOT NULL,
    dimension integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT document_chunk_dimension_check CHECK ((dimension = public.vector_dims(embedding))),
    CONSTRAINT document_chunk_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text))
);

--
-- Name: TABLE document_chunk; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.document_chunk IS 'Document chunks with embeddings. A collection is a namespace; each collection holds vectors of one dimension.';

--
-- Name: economic_summary; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.economic_summary (
    game_id uuid NOT NULL,
    tick integer NOT NULL,
    scope text NOT NULL,
    scope_id text NOT NULL,
    metrics jsonb NOT NULL,
    CONSTRAINT economic_summary_scope_check CHECK ((scope = ANY (ARRAY['national'::text, 'state'::text, 'county'::text, 'region'::text])))
);

--
-- Name: TABLE economic_summary; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.economic_summary IS 'Aggregates per tick at national, state, county or region scope.';

--
-- Name: edge_curvature; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.edge_curvature (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    source_id text NOT NULL,
    target_id text NOT NULL,
    ord integer NOT NULL,
    curvature json NOT NULL,
    CONSTRAINT edge_curvature_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE edge_curvature; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.edge_curvature IS 'Feature 002 edge curvatures per tick: curvature holds the whole row (source_id, target_id, curvature, gradient, ...).';

--
-- Name: edge_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.edge_state (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    source_id text NOT NULL,
    target_id text NOT NULL,
    ord integer NOT NULL,
    source_ref json,
    target_ref json,
    edge_type text,
    attributes json DEFAULT '{}'::json NOT NULL,
    generation integer DEFAULT 0 NOT NULL
);

--
-- Name: TABLE edge_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.edge_state IS 'Graph edges of one tick, keyed and stored in graph order (ord); (source_id, target_id) is unique within a tick; attributes as json.';

--
-- Name: COLUMN edge_state.generation; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.edge_state.generation IS 'graph_snapshot.generation of the write that stored the row (see node_state.generation).';

--
-- Name: game_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.game_session (
    session_id uuid DEFAULT public.babylon_uuid_v7() NOT NULL,
    name text,
    status text DEFAULT 'created'::text NOT NULL,
    config jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone,
    end_tick integer,
    player_id integer,
    game_defines jsonb DEFAULT '{}'::jsonb NOT NULL,
    rng_seed bigint,
    trace_level text DEFAULT 'NONE'::text NOT NULL,
    CONSTRAINT game_session_end_tick_check CHECK (((end_tick IS NULL) OR (end_tick >= 0))),
    CONSTRAINT game_session_status_check CHECK ((status = ANY (ARRAY['created'::text, 'active'::text, 'resolving'::text, 'running'::text, 'paused'::text, 'completed'::text, 'failed'::text, 'aborted'::text]))),
    CONSTRAINT game_session_trace_level_check CHECK ((trace_level = ANY (ARRAY['NONE'::text, 'SUMMARY'::text, 'DEBUG'::text, 'TRACE'::text])))
);

--
-- Name: TABLE game_session; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.game_session IS 'One simulation run. Every session-scoped table references it and is purged with it (ON DELETE CASCADE).';

--
-- Name: COLUMN game_session.name; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.game_session.name IS 'The session''s name: the original engine''s "scenario".';

--
-- Name: COLUMN game_session.game_defines; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.game_session.game_defines IS 'The game defines the session was created with (original engine: game_defines_json).';

--
-- Name: COLUMN game_session.trace_level; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.game_session.trace_level IS 'TraceLevel name; a session created with a level above NONE gets its own trace_log partition.';

--
-- Name: game_turn; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.game_turn (
    turn_id bigint NOT NULL,
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    org_id text NOT NULL,
    verb text NOT NULL,
    action_type text,
    target_id text,
    target_community text,
    params json,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    resolved boolean DEFAULT false NOT NULL,
    CONSTRAINT game_turn_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE game_turn; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.game_turn IS 'Player turns: the verb (and target, parameters) each organisation submitted for a tick, until the tick resolves them.';

--
-- Name: game_turn_turn_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.game_turn ALTER COLUMN turn_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.game_turn_turn_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: graph_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.graph_metadata (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    economy json DEFAULT '{}'::json NOT NULL,
    state_finances json DEFAULT '{}'::json NOT NULL,
    tick_dynamics json DEFAULT '{}'::json NOT NULL,
    CONSTRAINT graph_metadata_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE graph_metadata; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.graph_metadata IS 'Graph-level economy, state finances and tick dynamics per tick.';

--
-- Name: graph_snapshot; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.graph_snapshot (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    directed boolean DEFAULT true NOT NULL,
    graph_attrs json DEFAULT '{}'::json NOT NULL,
    node_count integer NOT NULL,
    edge_count integer NOT NULL,
    persisted_at timestamp with time zone DEFAULT now() NOT NULL,
    generation integer DEFAULT 0 NOT NULL,
    CONSTRAINT graph_snapshot_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE graph_snapshot; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.graph_snapshot IS 'Header of one persisted tick: graph.graph attributes and counts. Its presence marks the tick as persisted (even with no nodes).';

--
-- Name: COLUMN graph_snapshot.generation; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.graph_snapshot.generation IS 'How many times the tick was persisted before this snapshot (0 the first time); its node_state and edge_state rows carry the same number.';

--
-- Name: hex_activity; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_activity (
    game_id uuid NOT NULL,
    tick integer NOT NULL,
    h3_index bigint NOT NULL,
    heat double precision DEFAULT 0 NOT NULL,
    heat_delta double precision DEFAULT 0 NOT NULL,
    org_count integer DEFAULT 0 NOT NULL,
    org_presence double precision DEFAULT 0 NOT NULL,
    actions_taken integer DEFAULT 0 NOT NULL,
    faction_control jsonb DEFAULT '{}'::jsonb NOT NULL,
    state jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT hex_activity_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE hex_activity; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_activity IS 'Sparse R7 hex events per tick (~5K rows/tick): only hexes with heat, organisations or actions. A hex without a row at a tick has no activity at that tick (zero heat). The primary key (game_id, tick, h3_index) serves every read. Also written by persist_hex_state.';

--
-- Name: hex_base; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_base (
    h3_index bigint NOT NULL,
    county_fips text NOT NULL,
    terrain_type text,
    water_coverage double precision,
    internet_access boolean,
    broadband_share double precision
);

--
-- Name: TABLE hex_base; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_base IS 'Static part of hex_latest, shared by every game: each hex of hex_map with its county and its R8 substrate aggregated per R7 parent (MODE terrain, AVG water, BOOL_OR broadband as internet_access, and the share of children with broadband). Rebuilt by load_hex_map, load_hex_substrate and rebuild_hex_base.';

--
-- Name: hex_cell; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_cell (
    h3_index bigint NOT NULL,
    resolution smallint NOT NULL,
    boundary public.geometry(Polygon,4326) NOT NULL,
    centroid public.geometry(Point,4326) NOT NULL,
    CONSTRAINT hex_cell_resolution_check CHECK (((resolution >= 0) AND (resolution <= 15)))
);

--
-- Name: TABLE hex_cell; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_cell IS 'H3 hex geometries (WGS 84) for spatial queries and map tiles.';

--
-- Name: hex_county; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_county (
    county_fips text NOT NULL,
    state_fips text,
    name text
);

--
-- Name: TABLE hex_county; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_county IS 'The counties of the world, shared by every game: territory_snapshot rows must name one. Filled by load_counties and, for the counties of its rows, by load_hex_map; a county may have no hexes (yet).';

--
-- Name: hex_county_latest; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_county_latest (
    game_id uuid NOT NULL,
    county_fips text NOT NULL,
    tick integer NOT NULL,
    CONSTRAINT hex_county_latest_tick_check CHECK ((tick >= 0))
)
WITH (fillfactor='70');

--
-- Name: TABLE hex_county_latest; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_county_latest IS 'Carried counties of each seeded game: those whose latest territory_snapshot row at or before the head tick is older than the head tick, with the tick of that row. Counties written at the head tick are read from territory_snapshot directly, so when every county writes every tick this table stays empty and phase 1 of refresh_hex_latest writes nothing. fillfactor 70 keeps pointer moves HOT.';

--
-- Name: hex_journal_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_journal_head (
    game_id uuid NOT NULL,
    tick integer NOT NULL,
    CONSTRAINT hex_journal_head_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE hex_journal_head; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_journal_head IS 'The last tick journaled for each game (any territory or activity write, empty ones included). A write may rewrite any tick up to it or add the next one; a refresh may not run past it.';

--
-- Name: hex_latest_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_latest_head (
    game_id uuid NOT NULL,
    tick integer NOT NULL,
    refreshed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT hex_latest_head_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE hex_latest_head; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_latest_head IS 'The tick hex_latest shows for each seeded game; phase 2 of refresh_hex_latest moves it, which also selects that tick''s activity overlay.';

--
-- Name: territory_snapshot; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.territory_snapshot (
    game_id uuid NOT NULL,
    tick integer NOT NULL,
    county_fips text NOT NULL,
    value_tensor double precision[] NOT NULL,
    profit_rate double precision,
    exploitation_rate double precision,
    occ double precision,
    imperial_rent double precision,
    pop_total bigint,
    mobilizable_pop bigint,
    dominant_class text,
    class_distribution jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT territory_snapshot_tensor_check CHECK ((cardinality(value_tensor) = 12)),
    CONSTRAINT territory_snapshot_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE territory_snapshot; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.territory_snapshot IS 'County economics per tick (~3,100 rows/tick): ValueTensor4x3, profit rate, class distribution. A county keeps its last written row until it writes a new one (reconstruct_hex_state reads the latest row at or before a tick).';

--
-- Name: hex_latest; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.hex_latest AS
 SELECT h.game_id,
    b.h3_index,
    b.county_fips,
    h.tick,
    c.profit_rate,
    c.exploitation_rate,
    c.occ,
    c.imperial_rent,
    c.pop_total,
    c.mobilizable_pop,
    c.dominant_class,
    COALESCE(a.heat, (0)::double precision) AS heat,
    COALESCE(a.heat_delta, (0)::double precision) AS heat_delta,
    COALESCE(a.org_count, 0) AS org_count,
    COALESCE(a.org_presence, (0)::double precision) AS org_presence,
    COALESCE(a.actions_taken, 0) AS actions_taken,
    COALESCE(a.faction_control, '{}'::jsonb) AS faction_control,
    a.tick AS activity_tick,
    b.terrain_type,
    b.water_coverage,
    b.internet_access,
    b.broadband_share
   FROM (((public.hex_latest_head h
     JOIN ( SELECT hh.game_id,
            t.county_fips,
            t.profit_rate,
            t.exploitation_rate,
            t.occ,
            t.imperial_rent,
            t.pop_total,
            t.mobilizable_pop,
            t.dominant_class
           FROM (public.hex_latest_head hh
             JOIN public.territory_snapshot t ON (((t.game_id = hh.game_id) AND (t.tick = hh.tick))))
        UNION ALL
         SELECT hh.game_id,
            t.county_fips,
            t.profit_rate,
            t.exploitation_rate,
            t.occ,
            t.imperial_rent,
            t.pop_total,
            t.mobilizable_pop,
            t.dominant_class
           FROM ((public.hex_latest_head hh
             JOIN public.hex_county_latest k ON ((k.game_id = hh.game_id)))
             JOIN public.territory_snapshot t ON (((t.game_id = k.game_id) AND (t.tick = k.tick) AND (t.county_fips = k.county_fips))))) c ON ((c.game_id = h.game_id)))
     JOIN public.hex_base b ON ((b.county_fips = c.county_fips)))
     LEFT JOIN ( SELECT ah.game_id,
            ha.h3_index,
            ha.tick,
            ha.heat,
            ha.heat_delta,
            ha.org_count,
            ha.org_presence,
            ha.actions_taken,
            ha.faction_control
           FROM (public.hex_latest_head ah
             CROSS JOIN LATERAL ( SELECT x.h3_index,
                    x.tick,
                    x.heat,
                    x.heat_delta,
                    x.org_count,
                    x.org_presence,
                    x.actions_taken,
                    x.faction_control
                   FROM public.hex_activity x
                  WHERE ((x.game_id = ah.game_id) AND (x.tick = ah.tick))
                 OFFSET 0) ha)) a ON (((a.game_id = h.game_id) AND (a.h3_index = b.h3_index))));

--
-- Name: VIEW hex_latest; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.hex_latest IS 'Current state of every R7 hex of a seeded game (one row per hex whose county has territory at or before the head tick), equal to reconstruct_hex_state(game, head tick). Activity columns are zero (activity_tick NULL) for hexes without a hex_activity row at that tick. Filter by game_id (and county_fips for a viewport).';

--
-- Name: hex_map; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_map (
    h3_index bigint NOT NULL,
    county_fips text NOT NULL,
    resolution smallint DEFAULT 7 NOT NULL,
    CONSTRAINT hex_map_resolution_check CHECK (((resolution >= 0) AND (resolution <= 15)))
);

--
-- Name: TABLE hex_map; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_map IS 'County-to-hex mapping at R7: every hex belongs to exactly one county (FIPS code).';

--
-- Name: hex_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_state (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    h3_index bigint NOT NULL,
    constant_capital numeric DEFAULT 0 NOT NULL,
    variable_capital numeric DEFAULT 0 NOT NULL,
    surplus_value numeric DEFAULT 0 NOT NULL,
    employment double precision DEFAULT 0 NOT NULL,
    dept_shares double precision[] DEFAULT '{0,0,0,0}'::double precision[] NOT NULL,
    profit_rate double precision DEFAULT 0 NOT NULL,
    exploitation_rate double precision DEFAULT 0 NOT NULL,
    CONSTRAINT hex_state_dept_shares_check CHECK ((cardinality(dept_shares) = 4)),
    CONSTRAINT hex_state_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE hex_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_state IS 'Per-hex economics per tick as the original persist_hex_state wrote them (c, v, s, employment, department shares, rates); hexes must be in hex_map. get_hex_state_for_tick and get_hex_time_series read it.';

--
-- Name: hex_substrate; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_substrate (
    h3_index bigint NOT NULL,
    parent_h3_index bigint NOT NULL,
    terrain_type text,
    water_coverage double precision,
    broadband boolean,
    surveillance double precision,
    CONSTRAINT hex_substrate_water_check CHECK (((water_coverage IS NULL) OR ((water_coverage >= (0)::double precision) AND (water_coverage <= (1)::double precision))))
);

--
-- Name: TABLE hex_substrate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_substrate IS 'Static R8 terrain, water, broadband and surveillance (~1.7M rows, written once by load_hex_substrate); parent_h3_index is its R7 parent.';

--
-- Name: hex_terrain_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hex_terrain_state (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    h3_index bigint NOT NULL,
    terrain_type text,
    state jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT hex_terrain_state_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE hex_terrain_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.hex_terrain_state IS 'Feature 036 per-hex terrain state per tick (persist_infrastructure_state).';

--
-- Name: infrastructure_link_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.infrastructure_link_state (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    link_id text NOT NULL,
    source_id text,
    target_id text,
    capacity double precision,
    condition double precision,
    state jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT infrastructure_link_state_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE infrastructure_link_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.infrastructure_link_state IS 'Per-edge infrastructure capacity and condition per tick.';

--
-- Name: node_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.node_state (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    node_id text NOT NULL,
    ord integer NOT NULL,
    node_ref json,
    node_type text,
    attributes json DEFAULT '{}'::json NOT NULL,
    generation integer DEFAULT 0 NOT NULL
);

--
-- Name: TABLE node_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.node_state IS 'Graph nodes of one tick, keyed and stored in graph order (ord). node_id is the id as text, unique within a tick; node_ref keeps the original id as JSON when it is not a string.';

--
-- Name: COLUMN node_state.node_type; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.node_state.node_type IS 'Copy of the "node_type" attribute (or NULL), for DBAs; attributes holds the truth.';

--
-- Name: COLUMN node_state.generation; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.node_state.generation IS 'graph_snapshot.generation of the write that stored the row: a replaced tick''s new rows never meet its deleted ones in the primary key (no uniqueness checks against dead rows), and only one generation of a tick is ever visible.';

--
-- Name: runtime_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.runtime_metadata (
    key text NOT NULL,
    value text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE runtime_metadata; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.runtime_metadata IS 'Key/value metadata of the database itself, written by set_metadata() without a session; no sentinel session rows.';

--
-- Name: session_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.session_metadata (
    session_id uuid NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE session_metadata; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.session_metadata IS 'Key/value metadata of one session (config, end_tick, status). Keyed by session: two sessions never share a row.';

--
-- Name: simulation_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.simulation_event (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    seq integer NOT NULL,
    event_type text,
    payload json NOT NULL
);

--
-- Name: TABLE simulation_event; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.simulation_event IS 'Events passed to persist_tick, in order (seq). Replaced with the tick, so re-persisting never duplicates them.';

--
-- Name: tick_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tick_event (
    game_id uuid NOT NULL,
    tick integer NOT NULL,
    seq integer NOT NULL,
    event_type text NOT NULL,
    h3_index bigint,
    county_fips text,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL
);

--
-- Name: TABLE tick_event; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.tick_event IS 'Spatially located events per tick (journal), in order.';

--
-- Name: tick_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tick_log (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    rng_state json,
    mutations json,
    invariant_checks json,
    wall_time_ms double precision,
    system_timings json,
    logged_at timestamp with time zone DEFAULT now() NOT NULL,
    rng_state_bytes bytea,
    CONSTRAINT tick_log_one_rng_state CHECK (((rng_state IS NULL) OR (rng_state_bytes IS NULL))),
    CONSTRAINT tick_log_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE tick_log; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.tick_log IS 'Replay metadata per tick: RNG state, mutations, invariant checks, timings.';

--
-- Name: COLUMN tick_log.rng_state_bytes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.tick_log.rng_state_bytes IS 'An RNG state given as bytes (e.g. a pickled random.getstate()), returned as the same bytes.';

--
-- Name: tick_summary; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tick_summary (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    summary json NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tick_summary_tick_check CHECK ((tick >= 0))
);

--
-- Name: TABLE tick_summary; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.tick_summary IS 'Pre-aggregated tick summary for time-series endpoints.';

--
-- Name: trace_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_log (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    seq integer NOT NULL,
    level smallint NOT NULL,
    system text NOT NULL,
    event text NOT NULL,
    node_id text,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY LIST (session_id);

--
-- Name: TABLE trace_log; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.trace_log IS 'Execution trace events, partitioned by session_id; partitions are UNLOGGED.';

--
-- Name: trace_log_default; Type: TABLE; Schema: public; Owner: -
--

CREATE UNLOGGED TABLE public.trace_log_default (
    session_id uuid NOT NULL,
    tick integer NOT NULL,
    seq integer NOT NULL,
    level smallint NOT NULL,
    system text NOT NULL,
    event text NOT NULL,
    node_id text,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE trace_log_default; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.trace_log_default IS 'Traces of sessions that have no partition of their own.';

--
-- Name: v_hex_aid; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.v_hex_aid AS
 SELECT hex_latest.game_id,
    hex_latest.h3_index,
    hex_latest.tick,
    hex_latest.internet_access,
    hex_latest.terrain_type,
    hex_latest.water_coverage,
    hex_latest.broadband_share
   FROM public.hex_latest;

--
-- Name: VIEW v_hex_aid; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.v_hex_aid IS 'Aid-logistics map layer.';

--
-- Name: v_hex_economic; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.v_hex_economic AS
 SELECT hex_latest.game_id,
    hex_latest.h3_index,
    hex_latest.tick,
    hex_latest.profit_rate,
    hex_latest.exploitation_rate,
    hex_latest.occ,
    hex_latest.imperial_rent,
    hex_latest.pop_total,
    hex_latest.heat
   FROM public.hex_latest;

--
-- Name: VIEW v_hex_economic; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.v_hex_economic IS 'Economic map layer.';

--
-- Name: v_hex_heat; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.v_hex_heat AS
 SELECT h.game_id,
    a.h3_index,
    h.tick,
    a.heat,
    a.heat_delta,
    a.org_count
   FROM ((public.hex_latest_head h
     CROSS JOIN LATERAL ( SELECT x.h3_index,
            x.heat,
            x.heat_delta,
            x.org_count
           FROM public.hex_activity x
          WHERE ((x.game_id = h.game_id) AND (x.tick = h.tick) AND (x.heat > (0)::double precision))
         OFFSET 0) a)
     JOIN public.hex_base b ON ((b.h3_index = a.h3_index)))
  WHERE ((EXISTS ( SELECT 1
           FROM public.territory_snapshot t
          WHERE ((t.game_id = h.game_id) AND (t.tick = h.tick) AND (t.county_fips = b.county_fips)))) OR (EXISTS ( SELECT 1
           FROM public.hex_county_latest k
          WHERE ((k.game_id = h.game_id) AND (k.county_fips = b.county_fips)))));

--
-- Name: VIEW v_hex_heat; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.v_hex_heat IS 'Heat map layer: only hexes with heat (the rows of hex_latest with heat > 0), read from the head tick''s sparse activity rows.';

--
-- Name: v_hex_intel; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.v_hex_intel AS
 SELECT hex_latest.game_id,
    hex_latest.h3_index,
    hex_latest.tick,
    hex_latest.faction_control,
    hex_latest.dominant_class,
    hex_latest.org_count,
    hex_latest.actions_taken
   FROM public.hex_latest;

--
-- Name: VIEW v_hex_intel; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.v_hex_intel IS 'Intelligence map layer: faction control, classes, organisations, actions.';

--
-- Name: v_hex_mobilize; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.v_hex_mobilize AS
 SELECT hex_latest.game_id,
    hex_latest.h3_index,
    hex_latest.tick,
    hex_latest.mobilizable_pop,
    hex_latest.org_presence,
    hex_latest.heat AS hex_heat,
    hex_latest.dominant_class
   FROM public.hex_latest;

--
-- Name: VIEW v_hex_mobilize; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.v_hex_mobilize IS 'Mobilisation map layer.';

--
-- Name: v_session_summary; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.v_session_summary AS
 SELECT s.session_id,
    s.name,
    s.status,
    s.created_at,
    s.updated_at,
    s.ended_at,
    s.end_tick,
    g.ticks_persisted,
    g.last_tick
   FROM (public.game_session s
     CROSS JOIN LATERAL ( SELECT count(*) AS ticks_persisted,
            max(x.tick) AS last_tick
           FROM public.graph_snapshot x
          WHERE (x.session_id = s.session_id)) g);

--
-- Name: VIEW v_session_summary; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.v_session_summary IS 'One row per session: its status, times and how many ticks are persisted (and the last one). What a frontend lists; the read-only role reads it.';

--
-- Name: vector_collection; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.vector_collection (
    collection text NOT NULL,
    dimension integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT vector_collection_dimension_check CHECK (((dimension >= 1) AND (dimension <= 2000))),
    CONSTRAINT vector_collection_name_check CHECK ((collection ~ '^[A-Za-z0-9_.:-]{1,128}$'::text))
);

--
-- Name: TABLE vector_collection; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.vector_collection IS 'One row per vector collection: the embedding dimension every chunk of that collection has.';

--
-- Name: trace_log_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_log ATTACH PARTITION public.trace_log_default DEFAULT;

--
-- Name: action_result action_result_action_once; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_result
    ADD CONSTRAINT action_result_action_once UNIQUE (session_id, tick, action_id);

--
-- Name: action_result action_result_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_result
    ADD CONSTRAINT action_result_pkey PRIMARY KEY (session_id, tick, ord);

--
-- Name: babylon_schema_version babylon_schema_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.babylon_schema_version
    ADD CONSTRAINT babylon_schema_version_pkey PRIMARY KEY (version);

--
-- Name: community_membership community_membership_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.community_membership
    ADD CONSTRAINT community_membership_pkey PRIMARY KEY (session_id, tick, community_id, member_id);

--
-- Name: community_state community_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.community_state
    ADD CONSTRAINT community_state_pkey PRIMARY KEY (session_id, tick, community_id);

--
-- Name: contradiction_field contradiction_field_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contradiction_field
    ADD CONSTRAINT contradiction_field_pkey PRIMARY KEY (session_id, tick, node_id, field_name);

--
-- Name: document_chunk document_chunk_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_chunk
    ADD CONSTRAINT document_chunk_pkey PRIMARY KEY (collection, chunk_id);

--
-- Name: economic_summary economic_summary_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.economic_summary
    ADD CONSTRAINT economic_summary_pkey PRIMARY KEY (game_id, tick, scope, scope_id);

--
-- Name: edge_curvature edge_curvature_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.edge_curvature
    ADD CONSTRAINT edge_curvature_pkey PRIMARY KEY (session_id, tick, source_id, target_id);

--
-- Name: edge_state edge_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.edge_state
    ADD CONSTRAINT edge_state_pkey PRIMARY KEY (session_id, tick, generation, ord);

--
-- Name: game_session game_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.game_session
    ADD CONSTRAINT game_session_pkey PRIMARY KEY (session_id);

--
-- Name: game_turn game_turn_one_per_org; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.game_turn
    ADD CONSTRAINT game_turn_one_per_org UNIQUE (session_id, tick, org_id);

--
-- Name: game_turn game_turn_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.game_turn
    ADD CONSTRAINT game_turn_pkey PRIMARY KEY (turn_id);

--
-- Name: graph_metadata graph_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.graph_metadata
    ADD CONSTRAINT graph_metadata_pkey PRIMARY KEY (session_id, tick);

--
-- Name: graph_snapshot graph_snapshot_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.graph_snapshot
    ADD CONSTRAINT graph_snapshot_pkey PRIMARY KEY (session_id, tick);

--
-- Name: hex_activity hex_activity_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_activity
    ADD CONSTRAINT hex_activity_pkey PRIMARY KEY (game_id, tick, h3_index);

--
-- Name: hex_base hex_base_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_base
    ADD CONSTRAINT hex_base_pkey PRIMARY KEY (h3_index);

--
-- Name: hex_cell hex_cell_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_cell
    ADD CONSTRAINT hex_cell_pkey PRIMARY KEY (h3_index);

--
-- Name: hex_county_latest hex_county_latest_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_county_latest
    ADD CONSTRAINT hex_county_latest_pkey PRIMARY KEY (game_id, county_fips);

--
-- Name: hex_county hex_county_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_county
    ADD CONSTRAINT hex_county_pkey PRIMARY KEY (county_fips);

--
-- Name: hex_journal_head hex_journal_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_journal_head
    ADD CONSTRAINT hex_journal_head_pkey PRIMARY KEY (game_id);

--
-- Name: hex_latest_head hex_latest_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_latest_head
    ADD CONSTRAINT hex_latest_head_pkey PRIMARY KEY (game_id);

--
-- Name: hex_map hex_map_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_map
    ADD CONSTRAINT hex_map_pkey PRIMARY KEY (h3_index);

--
-- Name: hex_state hex_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_state
    ADD CONSTRAINT hex_state_pkey PRIMARY KEY (session_id, tick, h3_index);

--
-- Name: hex_substrate hex_substrate_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_substrate
    ADD CONSTRAINT hex_substrate_pkey PRIMARY KEY (h3_index);

--
-- Name: hex_terrain_state hex_terrain_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_terrain_state
    ADD CONSTRAINT hex_terrain_state_pkey PRIMARY KEY (session_id, tick, h3_index);

--
-- Name: infrastructure_link_state infrastructure_link_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.infrastructure_link_state
    ADD CONSTRAINT infrastructure_link_state_pkey PRIMARY KEY (session_id, tick, link_id);

--
-- Name: node_state node_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.node_state
    ADD CONSTRAINT node_state_pkey PRIMARY KEY (session_id, tick, generation, ord);

--
-- Name: runtime_metadata runtime_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runtime_metadata
    ADD CONSTRAINT runtime_metadata_pkey PRIMARY KEY (key);

--
-- Name: session_metadata session_metadata_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_metadata
    ADD CONSTRAINT session_metadata_pkey PRIMARY KEY (session_id, key);

--
-- Name: simulation_event simulation_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.simulation_event
    ADD CONSTRAINT simulation_event_pkey PRIMARY KEY (session_id, tick, seq);

--
-- Name: territory_snapshot territory_snapshot_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.territory_snapshot
    ADD CONSTRAINT territory_snapshot_pkey PRIMARY KEY (game_id, tick, county_fips);

--
-- Name: tick_event tick_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tick_event
    ADD CONSTRAINT tick_event_pkey PRIMARY KEY (game_id, tick, seq);

--
-- Name: tick_log tick_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tick_log
    ADD CONSTRAINT tick_log_pkey PRIMARY KEY (session_id, tick);

--
-- Name: tick_summary tick_summary_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tick_summary
    ADD CONSTRAINT tick_summary_pkey PRIMARY KEY (session_id, tick);

--
-- Name: vector_collection vector_collection_dimension_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vector_collection
    ADD CONSTRAINT vector_collection_dimension_key UNIQUE (collection, dimension);

--
-- Name: vector_collection vector_collection_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vector_collection
    ADD CONSTRAINT vector_collection_pkey PRIMARY KEY (collection);

--
-- Name: document_chunk_hnsw_768; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX document_chunk_hnsw_768 ON public.document_chunk USING hnsw (((embedding)::public.vector(768)) public.vector_cosine_ops) WHERE (dimension = 768);

--
-- Name: INDEX document_chunk_hnsw_768; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.document_chunk_hnsw_768 IS 'cosine nearest-neighbour search (<=>) for 768-dimension embeddings.';

--
-- Name: document_chunk_metadata_gin; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX document_chunk_metadata_gin ON public.document_chunk USING gin (metadata jsonb_path_ops);

--
-- Name: INDEX document_chunk_metadata_gin; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.document_chunk_metadata_gin IS 'where= filters use jsonb containment (@>).';

--
-- Name: document_chunk_session_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX document_chunk_session_idx ON public.document_chunk USING btree (session_id) WHERE (session_id IS NOT NULL);

--
-- Name: INDEX document_chunk_session_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.document_chunk_session_idx IS 'deleting a game_session cascades here; without it every delete scans the table.';

--
-- Name: game_session_status_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX game_session_status_created_idx ON public.game_session USING btree (status, created_at DESC);

--
-- Name: INDEX game_session_status_created_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.game_session_status_created_idx IS 'list_sessions() filters by status and shows the newest first.';

--
-- Name: hex_base_county_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hex_base_county_idx ON public.hex_base USING btree (county_fips, h3_index);

--
-- Name: INDEX hex_base_county_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.hex_base_county_idx IS 'viewport reads and the county broadcast of hex_latest go county by county.';

--
-- Name: hex_cell_boundary_gist; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hex_cell_boundary_gist ON public.hex_cell USING gist (boundary);

--
-- Name: INDEX hex_cell_boundary_gist; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.hex_cell_boundary_gist IS 'viewport queries ask which hexes intersect a bounding box.';

--
-- Name: hex_cell_centroid_geog_gist; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hex_cell_centroid_geog_gist ON public.hex_cell USING gist (((centroid)::public.geography));

--
-- Name: INDEX hex_cell_centroid_geog_gist; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.hex_cell_centroid_geog_gist IS 'hexes within a radius compare geodesic distances to the centroid (ST_DWithin on geography).';

--
-- Name: hex_map_county_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hex_map_county_idx ON public.hex_map USING btree (county_fips, h3_index);

--
-- Name: INDEX hex_map_county_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.hex_map_county_idx IS 'phase 1 of refresh_hex_latest and reconstruct_hex_state join counties to their hexes.';

--
-- Name: hex_state_hex_tick_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hex_state_hex_tick_idx ON public.hex_state USING btree (session_id, h3_index, tick);

--
-- Name: INDEX hex_state_hex_tick_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.hex_state_hex_tick_idx IS 'get_hex_time_series reads one hex of a session across ticks.';

--
-- Name: hex_substrate_parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hex_substrate_parent_idx ON public.hex_substrate USING btree (parent_h3_index);

--
-- Name: INDEX hex_substrate_parent_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.hex_substrate_parent_idx IS 'seed_hex_latest aggregates the R8 children of each R7 hex.';

--
-- Name: territory_snapshot_county_tick_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX territory_snapshot_county_tick_idx ON public.territory_snapshot USING btree (game_id, county_fips, tick DESC);

--
-- Name: INDEX territory_snapshot_county_tick_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.territory_snapshot_county_tick_idx IS 'reconstruct_hex_state and refresh_hex_latest look up the latest row of a county at or before a tick.';

--
-- Name: trace_log_session_tick_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX trace_log_session_tick_idx ON ONLY public.trace_log USING btree (session_id, tick, seq);

--
-- Name: INDEX trace_log_session_tick_idx; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.trace_log_session_tick_idx IS 'traces are read per session and tick.';

--
-- Name: trace_log_default_session_id_tick_seq_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX trace_log_default_session_id_tick_seq_idx ON public.trace_log_default USING btree (session_id, tick, seq);

--
-- Name: trace_log_default_session_id_tick_seq_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.trace_log_session_tick_idx ATTACH PARTITION public.trace_log_default_session_id_tick_seq_idx;

--
-- Name: game_session game_session_journals_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER game_session_journals_delete AFTER DELETE ON public.game_session REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.babylon_journal_games_gone();

--
-- Name: TRIGGER game_session_journals_delete ON game_session; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER game_session_journals_delete ON public.game_session IS 'Deletes the territory_snapshot and hex_activity rows of deleted games (babylon_journal_games_gone()).';

--
-- Name: game_session game_session_journals_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER game_session_journals_truncate AFTER TRUNCATE ON public.game_session FOR EACH STATEMENT EXECUTE FUNCTION public.babylon_journal_games_gone();

--
-- Name: TRIGGER game_session_journals_truncate ON game_session; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER game_session_journals_truncate ON public.game_session IS 'Truncates territory_snapshot and hex_activity with game_session (babylon_journal_games_gone()).';

--
-- Name: game_session game_session_journals_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER game_session_journals_update AFTER UPDATE ON public.game_session REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.babylon_journal_games_gone();

--
-- Name: TRIGGER game_session_journals_update ON game_session; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER game_session_journals_update ON public.game_session IS 'Refuses a session_id change while journal rows name the old id (babylon_journal_games_gone()).';

--
-- Name: graph_snapshot graph_snapshot_cascade; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER graph_snapshot_cascade AFTER DELETE ON public.graph_snapshot REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION public.graph_snapshot_cascade();

--
-- Name: TRIGGER graph_snapshot_cascade ON graph_snapshot; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER graph_snapshot_cascade ON public.graph_snapshot IS 'Deletes the nodes, edges and events of the deleted ticks (graph_snapshot_cascade()).';

--
-- Name: hex_activity hex_activity_game_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER hex_activity_game_insert AFTER INSERT ON public.hex_activity REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.babylon_journal_games_exist();

--
-- Name: TRIGGER hex_activity_game_insert ON hex_activity; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER hex_activity_game_insert ON public.hex_activity IS 'Refuses rows naming an unknown game, once per statement (babylon_journal_games_exist()).';

--
-- Name: hex_activity hex_activity_game_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER hex_activity_game_update AFTER UPDATE ON public.hex_activity REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.babylon_journal_games_exist();

--
-- Name: TRIGGER hex_activity_game_update ON hex_activity; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER hex_activity_game_update ON public.hex_activity IS 'Refuses updates naming an unknown game, once per statement (babylon_journal_games_exist()).';

--
-- Name: territory_snapshot territory_snapshot_game_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER territory_snapshot_game_insert AFTER INSERT ON public.territory_snapshot REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.babylon_journal_games_exist();

--
-- Name: TRIGGER territory_snapshot_game_insert ON territory_snapshot; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER territory_snapshot_game_insert ON public.territory_snapshot IS 'Refuses rows naming an unknown game, once per statement (babylon_journal_games_exist()).';

--
-- Name: territory_snapshot territory_snapshot_game_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER territory_snapshot_game_update AFTER UPDATE ON public.territory_snapshot REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.babylon_journal_games_exist();

--
-- Name: TRIGGER territory_snapshot_game_update ON territory_snapshot; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER territory_snapshot_game_update ON public.territory_snapshot IS 'Refuses updates naming an unknown game, once per statement (babylon_journal_games_exist()).';

--
-- Name: action_result action_result_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_result
    ADD CONSTRAINT action_result_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: community_membership community_membership_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.community_membership
    ADD CONSTRAINT community_membership_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: community_state community_state_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.community_state
    ADD CONSTRAINT community_state_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: contradiction_field contradiction_field_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contradiction_field
    ADD CONSTRAINT contradiction_field_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: document_chunk document_chunk_collection_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_chunk
    ADD CONSTRAINT document_chunk_collection_fkey FOREIGN KEY (collection, dimension) REFERENCES public.vector_collection(collection, dimension) ON DELETE CASCADE;

--
-- Name: document_chunk document_chunk_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.document_chunk
    ADD CONSTRAINT document_chunk_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: economic_summary economic_summary_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.economic_summary
    ADD CONSTRAINT economic_summary_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: edge_curvature edge_curvature_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.edge_curvature
    ADD CONSTRAINT edge_curvature_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: game_turn game_turn_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.game_turn
    ADD CONSTRAINT game_turn_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: graph_metadata graph_metadata_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.graph_metadata
    ADD CONSTRAINT graph_metadata_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: graph_snapshot graph_snapshot_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.graph_snapshot
    ADD CONSTRAINT graph_snapshot_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: hex_county_latest hex_county_latest_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_county_latest
    ADD CONSTRAINT hex_county_latest_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: hex_journal_head hex_journal_head_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_journal_head
    ADD CONSTRAINT hex_journal_head_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: hex_latest_head hex_latest_head_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_latest_head
    ADD CONSTRAINT hex_latest_head_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: hex_state hex_state_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_state
    ADD CONSTRAINT hex_state_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: hex_terrain_state hex_terrain_state_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hex_terrain_state
    ADD CONSTRAINT hex_terrain_state_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: infrastructure_link_state infrastructure_link_state_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.infrastructure_link_state
    ADD CONSTRAINT infrastructure_link_state_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: session_metadata session_metadata_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_metadata
    ADD CONSTRAINT session_metadata_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: tick_event tick_event_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tick_event
    ADD CONSTRAINT tick_event_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: tick_log tick_log_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tick_log
    ADD CONSTRAINT tick_log_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- Name: tick_summary tick_summary_session_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tick_summary
    ADD CONSTRAINT tick_summary_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.game_session(session_id) ON DELETE CASCADE;

--
-- PostgreSQL database dump complete
--
