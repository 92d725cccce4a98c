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
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, count, islice, repeat
from operator import countOf, itemgetter, setitem
from typing import Any, cast

import networkx as nx
import orjson

from babylon_sql.errors import (
    GraphTypeError,
    SerializationError,
    SnapshotMismatchError,
    ValidationError,
)
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
_orjson_loads = orjson.loads  # what codec.loads calls, without its frame
_first = itemgetter(0)
#: Runs an iterator to its end without keeping what it yields.
drain: Callable[[Iterable[Any]], None] = deque(maxlen=0).extend
_EncodeError = orjson.JSONEncodeError
_isfinite = math.isfinite

#: Default ceiling for one encoded document: 256 KiB.
MAX_DOCUMENT_BYTES = 256 * 1024

#: Most nodes (or edges) in one chunk document (SQLite stores a tick in chunks).
CHUNK_ROWS = 1000

#: Rows encoded and checked together by :meth:`GraphEncoder.node_batches` and
#: :meth:`GraphEncoder.edge_batches`. Each batch is walked several times (orjson,
#: the count of None values, the type column, the row tuples), and a batch of
#: 250 attribute dicts with their values (about 1 KB each) stays in a core's
#: L2 cache (1 MiB on the benchmark machine) from one pass to the next; at
#: 1,000 they no longer fit, and encoding 100K nodes + 500K edges took
#: 12-46 % longer (three alternating probes).
ENCODE_ROWS = 250


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


def _encode_attrs(attrs: dict[str, Any], where: tuple[Any, ...], limit: int) -> bytes:
    """One attribute dict to JSON text, by the rules of :class:`GraphEncoder`'s loops.

    ``where`` is ``("node", id)`` or ``("edge", u, v)``, spelt out only on
    failure; the loops call it to raise the explanatory error.
    """
    try:
        data = _orjson_dumps(attrs, default=codec.json_default, option=codec.ORJSON_OPTIONS)
    except (TypeError, _EncodeError):
        codec.dumps(attrs, what=_describe(where))  # raises the explanatory error
        raise
    if b"null" in data:
        _check_nulls(attrs, data, where)
    if len(data) > limit:
        raise _too_big(_describe(where), len(data), limit)
    return data


#: The ``node_type``/``edge_type`` values a batch maps to their column at once:
#: no two of them are equal unless they are the same value.
_PLAIN_TYPES = frozenset({str, type(None), bool, int, float})


def _check_nulls(attrs: Any, data: bytes, where: tuple[Any, ...]) -> None:
    """Refuse a row whose encoded nulls hide a NaN or an infinity.

    orjson writes NaN and infinities as a bare ``null``: the precise (slow)
    scan runs only when the text holds more nulls than the top-level ``None``
    values explain, since a NaN or infinity anywhere always adds one.
    """
    try:
        nones = [*attrs.values()].count(None)
    except ValueError:  # an array compared with None: look closer
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
        # The stored id and node_ref of each node whose id is not a str (a
        # str id is its own text, without a ref): .get(node, node) and
        # .get(node) give any node's columns, in C when mapped over a batch.
        self._text: dict[Any, str] = {}
        self._refs: dict[Any, str | None] = {}
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
                self._text[node], self._refs[node] = node_id, ref
        self.graph_attrs = _doc(dict(graph.graph), "graph.graph", self.limit)
        self.events = encode_events(events, limit=self.limit)
        self.node_count = graph.number_of_nodes()
        self.edge_count = graph.number_of_edges()

    def nodes(self) -> Iterator[NodeRow]:
        """``(node_id, ord, node_ref, node_type, attributes)`` in graph order."""
        return cast(Iterator[NodeRow], self.node_rows())

    def edges(self) -> Iterator[EdgeRow]:
        """``(source_id, target_id, ord, source_ref, target_ref, edge_type,
        attributes)`` in graph order."""
        return cast(Iterator[EdgeRow], self.edge_rows())

    # The hot path of persist_tick. Rows come in batches of ENCODE_ROWS, each
    # built without a Python loop per row: one orjson call per document
    # (``map``), the columns zipped into row tuples in C. A NaN or an
    # infinity comes out of orjson as ``null``, so a batch whose documents
    # hold more nulls than its attribute dicts hold top-level ``None`` values
    # (both counted in C) takes the row loop below instead, as does a batch
    # with a document that fails to encode or is too long, or an odd
    # ``node_type``/``edge_type`` value. The row loop checks each row on its
    # own and raises the first bad row's error in graph order; a batch it
    # passes (the nulls were in strings) is written as it gives it.

    def node_rows(self, *prefix: Any) -> Iterator[tuple[Any, ...]]:
        """The node rows, each led by ``prefix`` (the session and tick a writer adds)."""
        for rows in self.node_batches(*prefix):
            yield from rows

    def edge_rows(self, *prefix: Any) -> Iterator[tuple[Any, ...]]:
        """The edge rows, each led by ``prefix``."""
        for rows in self.edge_batches(*prefix):
            yield from rows

    def node_batches(self, *prefix: Any) -> Iterator[list[tuple[Any, ...]]]:
        """:meth:`node_rows` in lists of up to ``ENCODE_ROWS`` rows."""
        node_map = vars(self.graph)["_node"]
        ids_left, attrs_left = iter(node_map), iter(node_map.values())
        first = 0
        while ids := list(islice(ids_left, ENCODE_ROWS)):
            attrs = list(islice(attrs_left, len(ids)))
            checked = self._checked(attrs, "node_type")
            if checked is None:
                yield self._node_loop(prefix, first, ids, attrs)
            else:
                yield self._zip_rows(prefix, first, (ids,), *checked)
            first += len(ids)

    def edge_batches(self, *prefix: Any) -> Iterator[list[tuple[Any, ...]]]:
        """:meth:`edge_rows` in lists of up to ``ENCODE_ROWS`` rows."""
        succ = vars(self.graph)["_succ"]
        sources_left = chain.from_iterable(map(repeat, succ, map(len, succ.values())))
        targets_left = chain.from_iterable(succ.values())
        attrs_left = chain.from_iterable(map(dict.values, succ.values()))
        first = 0
        while sources := list(islice(sources_left, ENCODE_ROWS)):
            targets = list(islice(targets_left, len(sources)))
            attrs = list(islice(attrs_left, len(sources)))
            checked = self._checked(attrs, "edge_type")
            if checked is None:
                yield self._edge_loop(prefix, first, sources, targets, attrs)
            else:
                yield self._zip_rows(prefix, first, (sources, targets), *checked)
            first += len(sources)

    def _zip_rows(
        self,
        prefix: tuple[Any, ...],
        first: int,
        ends: tuple[list[Any], ...],
        kinds: Iterable[str | None],
        docs: list[str],
    ) -> list[tuple[Any, ...]]:
        """A checked batch's rows: the prefix, the stored id of each end (the
        node, or the source and the target), ``ord``, each end's ref, the
        type column and the document. When every id of the graph is a
        ``str`` (the common case), the id lists are the id columns and the
        refs are ``None``, with no lookup per row."""
        if self._text:
            text, refs = self._text.get, self._refs.get
            ids: list[Iterable[Any]] = [map(text, end, end) for end in ends]
            ref_columns: list[Iterable[Any]] = [map(refs, end) for end in ends]
        else:
            ids, ref_columns = list(ends), [repeat(None) for _ in ends]
        return list(
            zip(
                *map(repeat, prefix),
                *ids,
                range(first, first + len(docs)),
                *ref_columns,
                kinds,
                docs,
                strict=False,  # the prefix columns repeat without end
            )
        )

    def _checked(
        self, attrs: list[Any], type_key: str
    ) -> tuple[Iterator[str | None], list[str]] | None:
        """A batch's type column and documents, or ``None`` when the row loop
        must look closer (see above)."""
        # Each document is decoded to text as soon as orjson returns it: the
        # bytes are dropped at once and their memory reused (keeping a
        # thousand fresh orjson buffers alive costs more than the encoding).
        try:
            docs = list(
                map(
                    bytes.decode,
                    map(
                        _orjson_dumps,
                        attrs,
                        repeat(codec.json_default),
                        repeat(codec.ORJSON_OPTIONS),
                    ),
                )
            )
        except (TypeError, _EncodeError):
            return None
        # A character is at most four UTF-8 bytes; longer text is measured by
        # the row loop.
        if max(map(len, docs)) > self.limit // 4:
            return None
        joined = "".join(docs)
        if "null" in joined:
            try:
                nones = countOf(chain.from_iterable(map(dict.values, attrs)), None)
            except ValueError:  # an array compared with None: look closer
                return None
            if joined.count("null") > nones:
                return None
        types = list(map(dict.get, attrs, repeat(type_key)))
        try:
            distinct = set(types)
        except TypeError:  # an unhashable value
            return None
        if not all(type(value) in _PLAIN_TYPES for value in distinct):
            return None
        column = {value: _type_column(value) if type(value) is str else None for value in distinct}
        return map(column.__getitem__, types), docs

    def _node_loop(
        self, prefix: tuple[Any, ...], first: int, ids: list[Any], attrs: list[Any]
    ) -> list[tuple[Any, ...]]:
        """One batch's node rows, each row checked on its own (see above)."""
        text, refs, limit = self._text.get, self._refs.get, self.limit
        return [
            (
                *prefix,
                text(node, node),
                ord_,
                refs(node),
                _type_column(node_attrs.get("node_type")),
                _encode_attrs(node_attrs, ("node", node), limit).decode(),
            )
            for ord_, node, node_attrs in zip(count(first), ids, attrs)
        ]

    def _edge_loop(
        self,
        prefix: tuple[Any, ...],
        first: int,
        sources: list[Any],
        targets: list[Any],
        attrs: list[Any],
    ) -> list[tuple[Any, ...]]:
        """One batch's edge rows, each row checked on its own (see above)."""
        text, refs, limit = self._text.get, self._refs.get, self.limit
        return [
            (
                *prefix,
                text(u, u),
                text(v, v),
                ord_,
                refs(u),
                refs(v),
                _type_column(edge_attrs.get("edge_type")),
                _encode_attrs(edge_attrs, ("edge", u, v), limit).decode(),
            )
            for ord_, u, v, edge_attrs in zip(count(first), sources, targets, attrs)
        ]

    # Chunks (SQLite): up to CHUNK_ROWS rows in one JSON array, written by
    # one orjson call over the graph's own (id, attrs) pairs, so no Python
    # code runs per row unless a chunk needs a closer look. A node is
    # [id, attrs], an edge [source, target, attrs]; an int id stays a JSON
    # number. The checks are those of the row loops above, per chunk: if the
    # chunk fails to encode, is longer than one document may be, or holds
    # more nulls than its top-level None values explain (and a NaN or an
    # infinity is there), its rows are encoded one by one, which raises the
    # first row's error in graph order exactly as the row loops do.

    def node_chunks(self) -> Iterator[tuple[int, bytes]]:
        """``(ord of the first node, JSON array of [id, attrs])`` per chunk, in graph order."""
        return self._chunks(iter(vars(self.graph)["_node"].items()), edges=False)

    def edge_chunks(self) -> Iterator[tuple[int, bytes]]:
        """``(ord of the first edge, JSON array of [source, target, attrs])`` per chunk."""
        succ = vars(self.graph)["_succ"]
        triples = ((u, v, attrs) for u, nbrs in succ.items() for v, attrs in nbrs.items())
        return self._chunks(triples, edges=True)

    def _chunks(
        self, rows: Iterator[tuple[Any, ...]], *, edges: bool
    ) -> Iterator[tuple[int, bytes]]:
        limit = self.limit
        dumps, default, options = _orjson_dumps, codec.json_default, codec.ORJSON_OPTIONS
        last = itemgetter(-1)
        first, size = 0, CHUNK_ROWS
        while chunk := list(islice(rows, size)):
            try:
                data = dumps(chunk, default=default, option=options)
            except (TypeError, _EncodeError):
                data = _chunk_by_rows(chunk, edges, limit)
            else:
                if len(data) > limit or (
                    b"null" in data and _hides_non_finite(list(map(last, chunk)), data)
                ):
                    data = _chunk_by_rows(chunk, edges, limit)
            yield first, data
            first += len(chunk)
            # The next chunk at about three quarters of a document's limit, so
            # that the length check above rarely sends one to the row loop.
            size = max(1, min(CHUNK_ROWS, size * limit * 3 // (4 * len(data))))


def _hides_non_finite(docs: list[Any], data: bytes) -> bool:
    """Whether the encoded ``docs`` hold a NaN or an infinity (written as null)."""
    try:
        nones = sum([*attrs.values()].count(None) for attrs in docs)
    except ValueError:  # an array compared with None: look closer
        nones = -1
    return data.count(b"null") > nones and any(map(codec.has_non_finite, docs))


def _chunk_by_rows(chunk: list[tuple[Any, ...]], edges: bool, limit: int) -> bytes:
    """A chunk encoded row by row: raises the first row's error, in graph order.

    Without an error (a chunk nested deeper than orjson goes, while each of
    its documents is not), the rows' encodings are joined into the chunk.
    """
    parts = []
    for row in chunk:
        where = ("edge", *row[:2]) if edges else ("node", row[0])
        attrs = _encode_attrs(row[-1], where, limit)
        parts.append(b"".join((_orjson_dumps(row[:-1])[:-1], b",", attrs, b"]")))
    return b"".join((b"[", b",".join(parts), b"]"))


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


class GraphBuilder:
    """Rebuilds a graph from the rows of ``select_nodes`` and ``select_edges``.

    Node rows are ``(node_id, node_ref, attributes)`` and edge rows
    ``(source_id, source_ref, target_id, target_ref, attributes)``, in graph
    order, documents as JSON text. Each document is decoded once, straight
    into the dict the graph keeps; the adjacency dicts are filled directly
    (what ``add_edges_from`` does, without its per-edge checks). Only a batch
    of rows is held at a time. :meth:`check` compares what was read with the
    tick's header: rows edited by hand are refused, never half-used.
    """

    def __init__(self, graph_attrs: str | None, where: str = "tick") -> None:
        self.graph: nx.DiGraph[Any] = nx.DiGraph()
        if graph_attrs is not None:
            self.graph.graph.update(codec.loads(graph_attrs))
        inner = vars(self.graph)
        self._node: dict[Any, dict[str, Any]] = inner["_node"]
        self._succ: dict[Any, dict[Any, dict[str, Any]]] = inner["_succ"]
        self._pred: dict[Any, dict[Any, dict[str, Any]]] = inner["_pred"]
        self._where = where
        self.node_rows = 0
        self.edge_rows = 0

    # The loops below run in C: ``map`` over ``setitem`` and the adjacency
    # dicts' own ``__getitem__``, drained by ``drain``. Each edge lands in
    # ``succ[u]`` and ``pred[v]`` in graph order, as ``add_edge`` would put it.

    def add_nodes(self, batches: Iterable[list[Any]]) -> None:
        loads, node_map, succ, pred = _orjson_loads, self._node, self._succ, self._pred
        for rows in batches:
            ids, refs, docs = zip(*rows, strict=True)
            if refs.count(None) != len(refs):
                ids = tuple(i if r is None else loads(r) for i, r in zip(ids, refs, strict=True))
            node_map.update(zip(ids, map(loads, docs), strict=True))
            succ.update(zip(ids, map(dict, repeat((), len(ids))), strict=True))
            pred.update(zip(ids, map(dict, repeat((), len(ids))), strict=True))
            self.node_rows += len(rows)

    def add_edges(self, batches: Iterable[list[Any]]) -> None:
        loads = _orjson_loads
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
            self._link(sources, targets, list(map(loads, docs)))

    def add_node_chunks(self, docs: Iterable[Any]) -> None:
        """Nodes from chunk documents (:meth:`GraphEncoder.node_chunks`), one decode each."""
        loads, node_map, succ, pred = _orjson_loads, self._node, self._succ, self._pred
        for doc in docs:
            pairs = loads(doc)
            node_map.update(pairs)
            ids = list(map(_first, pairs))
            succ.update(zip(ids, map(dict, repeat((), len(ids))), strict=True))
            pred.update(zip(ids, map(dict, repeat((), len(ids))), strict=True))
            self.node_rows += len(pairs)

    def add_edge_chunks(self, docs: Iterable[Any]) -> None:
        """Edges from chunk documents (:meth:`GraphEncoder.edge_chunks`), one decode each."""
        for doc in docs:
            if edges := _orjson_loads(doc):
                self._link(*zip(*edges, strict=True))

    def _link(self, sources: Sequence[Any], targets: Sequence[Any], attrs: Sequence[Any]) -> None:
        """Put each edge ``(sources[i], targets[i])`` with its ``attrs[i]`` in the adjacency."""
        try:
            drain(map(setitem, map(self._succ.__getitem__, sources), targets, attrs))
            drain(map(setitem, map(self._pred.__getitem__, targets), sources, attrs))
        except KeyError as exc:
            raise self._dangling(exc) from None
        self.edge_rows += len(attrs)

    def _dangling(self, exc: KeyError) -> SnapshotMismatchError:
        return SnapshotMismatchError(
            f"{self._where}: an edge names node {exc.args[0]!r}, which the tick's node rows "
            "do not hold (rows edited by hand?); the graph was not rebuilt"
        )

    def check(self, node_count: int, edge_count: int) -> None:
        """Raise :class:`SnapshotMismatchError` unless the rows read are the
        header's ``node_count`` distinct nodes and ``edge_count`` distinct edges."""
        nodes = len(self._node)
        edges = sum(map(len, self._succ.values()))
        if (self.node_rows, nodes, self.edge_rows, edges) != (
            node_count,
            node_count,
            edge_count,
            edge_count,
        ):
            raise SnapshotMismatchError(
                f"{self._where}: graph_snapshot says {node_count} nodes and {edge_count} edges, "
                f"but the rows hold {self.node_rows} node rows ({nodes} distinct ids) and "
                f"{self.edge_rows} edge rows ({edges} distinct) (rows edited by hand?); "
                "the graph was not rebuilt"
            )


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
