-- name: bench_hex_naive_create#
-- Baseline: the design's per-hex hex_latest table (fillfactor 50, county
-- index) and a hex_map copy for the executemany-vs-COPY comparison.
CREATE TABLE hex_latest_naive (
    game_id            uuid             NOT NULL,
    h3_index           bigint           NOT NULL,
    county_fips        text             NOT NULL,
    tick               integer          NOT NULL,
    profit_rate        double precision,
    exploitation_rate  double precision,
    occ                double precision,
    imperial_rent      double precision,
    pop_total          bigint,
    mobilizable_pop    bigint,
    dominant_class     text,
    heat               double precision NOT NULL DEFAULT 0,
    heat_delta         double precision NOT NULL DEFAULT 0,
    org_count          integer          NOT NULL DEFAULT 0,
    org_presence       double precision NOT NULL DEFAULT 0,
    actions_taken      integer          NOT NULL DEFAULT 0,
    faction_control    jsonb            NOT NULL DEFAULT '{}'::jsonb,
    activity_tick      integer,
    terrain_type       text,
    water_coverage     double precision,
    internet_access    double precision,
    PRIMARY KEY (game_id, h3_index)
) WITH (fillfactor = 50);
CREATE INDEX hex_latest_naive_county_idx ON hex_latest_naive (game_id, county_fips);
CREATE TABLE hex_map_naive (
    h3_index    bigint   PRIMARY KEY,
    county_fips text     NOT NULL,
    resolution  smallint NOT NULL DEFAULT 7
);
