"""The PostgreSQL server side: the connector, pools, the embedded server, schema apply and dump.

Queries: ``queries/pg/server/`` (session locks, schema catalogue, databases).
"""
