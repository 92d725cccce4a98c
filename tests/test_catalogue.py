"""The SQL catalogue: every file loads, is named after its query, and is used."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from babylon_sql import PgVectorStore, PostgresRuntime, RuntimeDatabase, TraceRecorder
from babylon_sql.catalogue import copy_types, ddl_layers, queries, queries_dir, sql_root
from babylon_sql.protocols import (
    PostgresRuntimeExtensions,
    RuntimePersistence,
    TraceCollector,
    VectorStoreProtocol,
)

DIALECTS = ("pg", "sqlite", "duckdb")
PACKAGE = Path(__file__).resolve().parent.parent / "babylon_sql"
NAME_LINE = re.compile(r"^-- name: (?P<name>\w+)(?P<params>\([^)]*\))?(?P<op>\*!|<!|[!^$#])?$")


def _python_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_query_file_loads_and_is_named_after_its_stem(dialect: str) -> None:
    # aiosql adds a <name>_cursor variant of every row-returning query.
    available = set(queries(dialect).available_queries)  # type: ignore[arg-type]
    loaded = {
        n for n in available if not (n.endswith("_cursor") and n[: -len("_cursor")] in available)
    }
    files = sorted(queries_dir(dialect).rglob("*.sql"))  # type: ignore[arg-type]
    assert files, dialect
    seen: dict[str, Path] = {}
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = NAME_LINE.match(first)
        assert match, f"{path}: first line must be '-- name: <stem>(params)<op>'"
        assert match["name"] == path.stem, f"{path}: query name {match['name']!r} != file stem"
        text = path.read_text(encoding="utf-8")
        assert text.count("-- name:") == 1, f"{path}: one query per file"
        assert path.stem not in seen, f"{path.stem} defined twice: {seen[path.stem]} and {path}"
        seen[path.stem] = path
        namespace = ".".join(path.relative_to(queries_dir(dialect)).with_suffix("").parts)  # type: ignore[arg-type]
        assert namespace in loaded, namespace
    assert len(loaded) == len(files)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_query_is_used_by_code(dialect: str) -> None:
    source = _python_sources()
    unused = [
        path.relative_to(sql_root())
        for path in sorted(queries_dir(dialect).rglob("*.sql"))  # type: ignore[arg-type]
        if not re.search(rf"\b{re.escape(path.stem)}(_cursor)?\b", source)
    ]
    assert not unused, f"queries no code uses: {unused}"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_ddl_layers_are_numbered_named_scripts(dialect: str) -> None:
    layers = ddl_layers(dialect)  # type: ignore[arg-type]
    assert layers
    numbers = [layer.number for layer in layers]
    assert numbers == sorted(set(numbers)), "layer numbers are unique and ordered"
    for layer in layers:
        first = layer.path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"-- name: {layer.name}#", layer.path
        assert layer.sql.strip()


def test_no_sql_text_in_python() -> None:
    pattern = re.compile(
        r"[\"'](\s*)(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
        r"CREATE\s+(TABLE|INDEX|VIEW|DATABASE)|DROP\s+(TABLE|DATABASE))",
        re.IGNORECASE,
    )
    # Tests of the archive query API pass SQL as data; the package and the
    # scripts carry none.
    roots = [PACKAGE, PACKAGE.parent / "scripts"]
    offenders = [
        f"{path}:{n}"
        for root in roots
        for path in root.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("cls", "protocol"),
    [
        (PostgresRuntime, RuntimePersistence),
        (PostgresRuntime, PostgresRuntimeExtensions),
        (RuntimeDatabase, RuntimePersistence),
        (TraceRecorder, TraceCollector),
        (PgVectorStore, VectorStoreProtocol),
    ],
)
def test_every_protocol_method_is_bound_with_its_signature(cls: type, protocol: type) -> None:
    for name, member in vars(protocol).items():
        if name.startswith("_") or not callable(member):
            continue
        impl = getattr(cls, name, None)
        assert impl is not None, f"{cls.__name__}.{name} missing"
        want = inspect.signature(member).parameters
        have = inspect.signature(impl).parameters
        for pname, param in want.items():
            assert pname in have, f"{cls.__name__}.{name} lacks parameter {pname}"
            assert have[pname].kind == param.kind, f"{cls.__name__}.{name}({pname}) kind"
            assert have[pname].default == param.default, f"{cls.__name__}.{name}({pname}) default"
        # Positional parameters come in the protocol's order, so positional
        # callers bind the same values.
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        want_pos = [n for n, p in want.items() if p.kind in positional]
        have_pos = [n for n, p in have.items() if p.kind in positional]
        assert have_pos[: len(want_pos)] == want_pos, f"{cls.__name__}.{name} positional order"
        # Anything the implementation adds must be optional.
        for pname, param in have.items():
            if pname not in want and param.kind not in (
                inspect.Parameter.VAR_POSITIONAL,
                inspect.Parameter.VAR_KEYWORD,
            ):
                assert param.default is not inspect.Parameter.empty, (
                    f"{cls.__name__}.{name} adds required parameter {pname}"
                )


COPY_COLUMNS = re.compile(r"COPY\s+\w+\s*\((?P<columns>[^)]*)\)", re.IGNORECASE)


def test_every_binary_copy_declares_its_column_types() -> None:
    for dialect in DIALECTS:
        root = queries_dir(dialect)  # type: ignore[arg-type]
        for path in sorted(root.rglob("*.sql")):
            text = path.read_text(encoding="utf-8")
            if "FORMAT BINARY" not in text.upper():
                continue
            namespace = path.relative_to(root).with_suffix("").parts
            query = queries(dialect)  # type: ignore[arg-type]
            for part in namespace:
                query = getattr(query, part)
            types = copy_types(query)
            match = COPY_COLUMNS.search(text)
            assert match, path
            columns = [c.strip() for c in match["columns"].split(",") if c.strip()]
            assert len(types) == len(columns), f"{path}: {len(columns)} columns, {len(types)} types"
