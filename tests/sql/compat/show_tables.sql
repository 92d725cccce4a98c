-- The tables of a DuckDB database, as SimCash's database-sharing test lists them.
SHOW TABLES;
