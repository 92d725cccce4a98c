-- name: maintenance#
-- Layer 015: maintenance functions the runtime calls after bulk loads.
-- SECURITY DEFINER with a fixed search_path, EXECUTE revoked from PUBLIC:
-- `babylon-sql roles create` grants it to the writer role.

-- ANALYZE after bulk loads: only a table's owner may analyze it, so the
-- writer role (DML only) calls this function, which runs as its owner.
CREATE OR REPLACE FUNCTION babylon_analyze(VARIADIC tables regclass[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    t regclass;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ANALYZE %s', t);
    END LOOP;
END
$$;
COMMENT ON FUNCTION babylon_analyze(regclass[]) IS
    'ANALYZE the given tables as the schema owner (SECURITY DEFINER): the writer role refreshes statistics after bulk loads without owning the tables.';
REVOKE ALL ON FUNCTION babylon_analyze(regclass[]) FROM public;
