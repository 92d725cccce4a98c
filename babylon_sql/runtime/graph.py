"""Turning a ``networkx.DiGraph`` into rows and back, the same for every backend.

Node ids are ``str`` or ``int`` (not ``bool``): a ``str`` id is stored as
itself; an ``int`` id is stored as its decimal text with ``node_ref`` holding
the JSON of the original id, so it comes back as an ``int``. Two ids with the
same text (``"7"`` and ``7``) in one graph are refused. Attributes go through
:mod:`babylon_sql.input.codec`; one document (a node's, an edge's, ``graph.graph``,
an event) may not exceed ``max_document_bytes`` once encoded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import islice, repeat
from operator import countOf, methodcaller
from typing import Any

import networkx as nx
import orjson

from babylon_sql.errors import GraphTypeError, SerializationError, ValidationError
from babylon_sql.input import codec
from babylon_sql.input.fields import (
    INT64_MAX,
    INT64_MIN,
    MAX_KEY_BYTES,
    check_mapping,
    check_text,
    storable_key,
)

_orjson_dumps = orjson.dumps
_EncodeError = orjson.JSONEncodeError
_isfinite = math.isfinite

#: Default ceiling for one encoded document: 256 KiB.
MAX_DOCUMENT_BYTES = 256 * 1024


#: One node row: (node_id, ord, node_ref, node_type, attributes).
NodeRow = tuple[str, int, str | None, str | None, str]
#: One edge row: (source_id, target_id, ord, source_ref, target_ref, edge_type, attributes).
EdgeRow = tuple[str, str, int, str | None, str | None, str | None, str]
#: One event row: (seq, event_type, payload).
EventRow = tuple[int, str | None, str]


def _type_column(value: Any) -> str | None:
    """The ``node_type`` / ``edge_type`` column: the attribute when every
    backend can hold it as a key (the attribute itself always round-trips)."""
    if type(value) is str and len(value) <= 256 and value.isascii() and "\x00" not in value:
        return value
    return storable_key(value)


def _key(node: Any) -> tuple[str, str | None]:
    if isinstance(node, str):
        return check_text(node, "node id", max_bytes=MAX_KEY_BYTES), None
    if isinstance(node, int) and not isinstance(node, bool):
        if not INT64_MIN <= node <= INT64_MAX:
            raise SerializationError(
                f"node id {node!r} is beyond 64 bits; int node ids must fit a signed 64-bit int"
            )
        text = str(int(node))
        return text, text
    raise SerializationError(
        f"node id {node!r} is a {type(node).__name__}; node ids must be str or int"
    )


def _doc(value: Any, what: str, limit: int, *, jsonb: bool = False) -> str:
    text = codec.dumps(value, what=what, jsonb=jsonb)
    if len(text) > limit:
        raise _too_big(what, len(text), limit)
    return text


def _too_big(what: str, size: int, limit: int) -> ValidationError:
    return ValidationError(
        f"{what}: encoded document is {size:,} bytes, above the limit of {limit:,}; "
        "store large blobs elsewhere or raise max_document_bytes"
    )


def _describe(what: tuple[Any, ...]) -> str:
    if what[0] == "edge":
        return f"edge {what[1]!r}->{what[2]!r}"
    return f"node {what[1]!r}"


def _encode_attrs(attrs: dict[str, Any], where: tuple[Any, ...], limit: int) -> str:
    """Hot path of :class:`GraphEncoder`: one attribute dict to JSON text.

    ``where`` is ``("node", id)`` or ``("edge", u, v)``, spelt out only on failure.
    orjson writes NaN and infinities as a bare ``null``: the precise (slow)
    scan runs only when the text holds more nulls than the top-level ``None``
    values explain, since a NaN or infinity anywhere always adds one.
    """
    try:
        data = _orjson_dumps(attrs, default=codec.json_default, option=codec.ORJSON_OPTIONS)
    except (TypeError, _EncodeError):
        codec.dumps(attrs, what=_describe(where))  # raises the explanatory error
        raise
    if b"null" in data:
        try:
            nones = [*attrs.values()].count(None)
        except ValueError:  # an array compared with None: look closer
            nones = -1
        if data.count(b"null") > nones and codec.has_non_finite(attrs):
            raise codec._explain(attrs, _describe(where), None)
    if len(data) > limit:
        raise _too_big(_describe(where), len(data), limit)
    return data.decode()


#: Attribute documents encoded per ``orjson.dumps`` call. One call per row
#: costs more in allocating its output buffer than in encoding (measured:
#: 60,000 calls 3x slower than one call on the same dicts); 1,000 rows keep
#: the batch's buffer near 200 KB.
ENCODE_BATCH = 1000

#: A batch is encoded as one JSON array with this string between the rows;
#: its encoded form, with the commas around it, is where the output is cut.
#: orjson writes NUL as ``\u0000``, so the cut text can only come from an
#: attribute holding this very string: the piece count then differs and the
#: batch is encoded row by row instead.
_SEPARATOR = "\x00babylon-sql row separator\x00"
_CUT = b"," + orjson.dumps(_SEPARATOR) + b","
_get_node_type = methodcaller("get", "node_type")
_get_edge_type = methodcaller("get", "edge_type")


def _encode_many(
    attrs: list[Any], where: Callable[[int], tuple[Any, ...]], limit: int
) -> list[str]:
    """Encode a batch of attribute dicts, the same as :func:`_encode_attrs` on each.

    ``where(i)`` describes row ``i`` (only on failure). Any doubt (a type
    orjson refuses, a null the ``None`` values do not explain, a document
    above the limit, the separator inside an attribute) is settled row by row
    with the exact per-row rules, so results and errors are identical.
    """
    n = len(attrs)
    if n == 0:
        return []
    batch = [_SEPARATOR] * (2 * n - 1)
    batch[::2] = attrs
    try:
        data = _orjson_dumps(batch, default=codec.json_default, option=codec.ORJSON_OPTIONS)
    except (TypeError, _EncodeError):
        return [_encode_attrs(a, where(i), limit) for i, a in enumerate(attrs)]
    pieces = data[1:-1].split(_CUT)
    if len(pieces) != n:
        return [_encode_attrs(a, where(i), limit) for i, a in enumerate(attrs)]
    if b"null" in data:
        try:
            nones = sum(map(countOf, map(dict.values, attrs), repeat(None)))
        except (TypeError, ValueError):  # a Mapping that is not a dict, an array
            nones = -1
        if data.count(b"null") > nones:
            for i, (a, piece) in enumerate(zip(attrs, pieces, strict=True)):
                if b"null" in piece:
                    _check_nulls(a, piece, where(i))
    if max(map(len, pieces)) > limit:
        for i, piece in enumerate(pieces):
            if len(piece) > limit:
                raise _too_big(_describe(where(i)), len(piece), limit)
    return list(map(bytes.decode, pieces))


def _node_where(nodes: Sequence[Any], i: int) -> tuple[Any, ...]:
    return ("node", nodes[i])


def _edge_where(sources: Sequence[Any], targets: Sequence[Any], i: int) -> tuple[Any, ...]:
    return ("edge", sources[i], targets[i])


def _check_nulls(attrs: Any, data: bytes, where: tuple[Any, ...]) -> None:
    """Refuse a row whose encoded nulls hide a NaN or an infinity."""
    try:
        nones = [*attrs.values()].count(None)
    except ValueError:
        nones = -1
    if data.count(b"null") > nones and codec.has_non_finite(attrs):
        raise codec._explain(attrs, _describe(where), None)


class GraphEncoder:
    """Validates a graph up front and encodes its rows lazily.

    The constructor checks everything that does not need the attributes: the
    graph type, the node ids (``str`` or ``int``; no ``"7"`` beside ``7``),
    ``graph.graph`` and the events. :meth:`nodes` and :meth:`edges` then
    yield encoded rows one at a time, so a writer can stream them into COPY
    while the server is still busy with the previous ones; an attribute that
    cannot be stored raises from inside the stream, and the writer's
    transaction rolls back whatever it had sent.
    """

    def __init__(
        self,
        graph: Any,
        events: Iterable[Any] | None = None,
        *,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
        if not isinstance(graph, nx.DiGraph) or graph.is_multigraph():
            raise GraphTypeError(
                f"expected a networkx.DiGraph, got {type(graph).__name__}; "
                "convert with nx.DiGraph(graph) if dropping parallel edges is intended"
            )
        self.graph: nx.DiGraph[Any] = graph
        self.limit = max_document_bytes
        # Keys of the nodes whose id is not a str (a str id is its own key).
        self._keys: dict[Any, tuple[str, str | None]] = {}
        for node in graph:
            if type(node) is str:
                if len(node) > 256 or "\x00" in node or not node.isascii():
                    check_text(node, "node id", max_bytes=MAX_KEY_BYTES)
            else:
                node_id, ref = _key(node)
                if node_id in graph:
                    raise ValidationError(
                        f"node ids {node_id!r} and {node!r} collide: "
                        "a str and an int id with the same text cannot share a graph"
                    )
                self._keys[node] = (node_id, ref)
        self.graph_attrs = _doc(dict(graph.graph), "graph.graph", self.limit)
        self.events = encode_events(events, limit=self.limit)
        self.node_count = graph.number_of_nodes()
        self.edge_count = graph.number_of_edges()

    def nodes(self) -> Iterator[NodeRow]:
        """``(node_id, ord, node_ref, node_type, attributes)`` in graph order."""
        for chunk in self.node_chunks():
            yield from chunk

    def edges(self) -> Iterator[EdgeRow]:
        """``(source_id, target_id, ord, source_ref, target_ref, edge_type,
        attributes)`` in graph order."""
        for chunk in self.edge_chunks():
            yield from chunk

    def node_chunks(self, *prefix: Any) -> Iterator[list[tuple[Any, ...]]]:
        """The node rows in batches of :data:`ENCODE_BATCH`, each row led by
        ``prefix`` (e.g. the session and tick a writer adds)."""
        keys, limit = self._keys, self.limit
        items = iter(self.graph.nodes(data=True))
        start = 0
        while chunk := list(islice(items, ENCODE_BATCH)):
            nodes, attrs = zip(*chunk, strict=True)
            docs = _encode_many(list(attrs), partial(_node_where, nodes), limit)
            ids: Iterable[Any]
            refs: Iterable[Any]
            if keys:
                ids, refs = zip(*(keys.get(n, (n, None)) for n in nodes), strict=True)
            else:
                ids, refs = nodes, repeat(None)
            types = [_type_column(t) for t in map(_get_node_type, attrs)]
            end = start + len(chunk)
            rows = zip(
                *map(repeat, prefix), ids, range(start, end), refs, types, docs, strict=False
            )
            yield list(rows)
            start = end

    def edge_chunks(self, *prefix: Any) -> Iterator[list[tuple[Any, ...]]]:
        """The edge rows in batches of :data:`ENCODE_BATCH`, each led by ``prefix``."""
        keys, limit = self._keys, self.limit
        items = iter(self.graph.edges(data=True))
        start = 0
        while chunk := list(islice(items, ENCODE_BATCH)):
            us, vs, attrs = zip(*chunk, strict=True)
            docs = _encode_many(list(attrs), partial(_edge_where, us, vs), limit)
            sources: Iterable[Any]
            source_refs: Iterable[Any]
            targets: Iterable[Any]
            target_refs: Iterable[Any]
            if keys:
                sources, source_refs = zip(*(keys.get(u, (u, None)) for u in us), strict=True)
                targets, target_refs = zip(*(keys.get(v, (v, None)) for v in vs), strict=True)
            else:
                sources, source_refs, targets, target_refs = us, repeat(None), vs, repeat(None)
            types = [_type_column(t) for t in map(_get_edge_type, attrs)]
            end = start + len(chunk)
            yield list(
                zip(
                    *map(repeat, prefix),
                    sources,
                    targets,
                    range(start, end),
                    source_refs,
                    target_refs,
                    types,
                    docs,
                    strict=False,
                )
            )
            start = end


def encode_events(
    events: Iterable[Any] | None, *, limit: int = MAX_DOCUMENT_BYTES
) -> list[EventRow]:
    if events is None:
        return []
    if isinstance(events, str | bytes | Mapping):
        raise ValidationError("events must be a sequence of event documents, not a single value")
    rows: list[EventRow] = []
    for seq, event in enumerate(events):
        event_type = None
        if isinstance(event, Mapping):
            event_type = storable_key(event.get("event_type", event.get("type")))
        rows.append((seq, event_type, _doc(event, f"event #{seq}", limit)))
    return rows


#: Rows taken from the driver's cursor at a time while a graph is rebuilt.
FETCH_BATCH = 2000


def fetch_batches(cursor: Any, size: int = FETCH_BATCH) -> Iterator[list[Any]]:
    """The rows of an executed cursor (psycopg or sqlite3), ``size`` at a time."""
    fetch = cursor.fetchmany
    while rows := fetch(size):
        yield rows


class GraphBuilder:
    """Rebuilds a graph from the rows of ``select_nodes`` and ``select_edges``.

    Node rows are ``(node_id, node_ref, attributes)`` and edge rows
    ``(source_id, source_ref, target_id, target_ref, attributes)``, in graph
    order, documents as JSON text. Each document is decoded once, straight
    into the dict the graph keeps; the adjacency dicts are filled directly
    (what ``add_edges_from`` does, without its per-edge checks: every edge
    end is a node here). Only a batch of rows is held at a time.
    """

    def __init__(self, graph_attrs: str | None) -> None:
        self.graph: nx.DiGraph[Any] = nx.DiGraph()
        if graph_attrs is not None:
            self.graph.graph.update(codec.loads(graph_attrs))
        inner = vars(self.graph)
        self._node: dict[Any, dict[str, Any]] = inner["_node"]
        self._succ: dict[Any, dict[Any, dict[str, Any]]] = inner["_succ"]
        self._pred: dict[Any, dict[Any, dict[str, Any]]] = inner["_pred"]

    def add_nodes(self, batches: Iterable[list[Any]]) -> None:
        loads, node_map, succ, pred = codec.loads, self._node, self._succ, self._pred
        for rows in batches:
            ids, refs, docs = zip(*rows, strict=True)
            if refs.count(None) != len(refs):
                ids = tuple(i if r is None else loads(r) for i, r in zip(ids, refs, strict=True))
            node_map.update(zip(ids, map(loads, docs), strict=True))
            for node in ids:
                succ[node] = {}
                pred[node] = {}

    def add_edges(self, batches: Iterable[list[Any]]) -> None:
        loads, succ, pred = codec.loads, self._succ, self._pred
        for rows in batches:
            sources, source_refs, targets, target_refs, docs = zip(*rows, strict=True)
            if source_refs.count(None) != len(source_refs):
                sources = tuple(
                    s if r is None else loads(r) for s, r in zip(sources, source_refs, strict=True)
                )
            if target_refs.count(None) != len(target_refs):
                targets = tuple(
                    t if r is None else loads(r) for t, r in zip(targets, target_refs, strict=True)
                )
            for u, v, attrs in zip(sources, targets, map(loads, docs), strict=True):
                succ[u][v] = attrs
                pred[v][u] = attrs


def json_or_none(value: Any, what: str, limit: int = MAX_DOCUMENT_BYTES) -> str | None:
    return None if value is None else _doc(value, what, limit)


def mapping_doc(
    value: Mapping[str, Any] | None,
    what: str,
    limit: int = MAX_DOCUMENT_BYTES,
    *,
    jsonb: bool = False,
) -> str:
    """A mapping (``None``: empty) as one document; ``jsonb=True`` for a jsonb column."""
    if value is None:
        value = {}
    return _doc(dict(check_mapping(value, what)), what, limit, jsonb=jsonb)
