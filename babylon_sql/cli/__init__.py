"""The ``babylon-sql`` command line: :mod:`.main` (schema, server), :mod:`.games`, :mod:`.demo`."""
