-- name: hex_insert_raw_hex_map(h3_index, county_fips)!
-- A hex_map row written behind the loaders' back (hex_base is then stale).
INSERT INTO hex_map (h3_index, county_fips) VALUES (:h3_index, :county_fips);
