"""The cost graph: places data can live, joined by priced transfer options.

Nodes are locations (cloud regions ``provider:region``, sites ``onprem:*``, ``colo:*``,
``edge:*``, and the special ``internet`` node); edges are :class:`TransferOption` objects, each a
tiered per-GB price with an optional fixed monthly fee and capacity. The networkx view
(:attr:`CostGraph.graph`) is for inspection and plots; every computation runs on the compiled
arrays (:class:`CompiledGraph`) with :mod:`scipy.sparse.csgraph`.

Billing model
-------------
Each hop is billed to its own source (account, region) for the month, so moving ``v`` GB per
month over a path for ``months`` months costs ``months * sum(tiered_cost(v) + fixed_usd_per_month)``
over the hops. Every hop is priced as if it carried only this volume in its billing month (a
stand-alone, marginal view: tiers already consumed by other traffic are not taken into account).
Because tiers make an edge's weight depend on the volume, :meth:`CostGraph.matrix` evaluates all
edge schedules at the volume in one vectorised call and runs Dijkstra on the result.

Zero-cost edges
---------------
Ingress and many site links are free. scipy's csgraph routines treat entries *stored* in a CSR
matrix as edges, explicit zeros included; only entries that are absent are missing edges (see
the scipy.sparse.csgraph module documentation, "csgraph_from_dense"). The compiled graph builds
its CSR matrix directly from ``(data, indices, indptr)`` so explicit zeros stay stored, and drops
unavailable edges (``inf``: over capacity or beyond a published limit) from the structure. No
epsilon is added, so costs are exact.

Examples
--------
>>> g = CostGraph()
>>> g.add_site("colo:ams1", kind="colo")
>>> g.add_site("onprem:fra1", kind="onprem")
>>> g.add_edge("onprem:fra1", "colo:ams1", 0.01, fixed_usd_per_month=50.0, bidirectional=True)
>>> float(g.matrix(1000.0).loc["onprem:fra1", "colo:ams1"])
60.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra, shortest_path

from exitcost._validation import check_scalar, renamed_parameters
from exitcost.errors import (
    InvalidParameterError,
    PriceBookError,
    UnknownLocationError,
    format_choices,
)
from exitcost.estate.model import LOCATION_KINDS, default_location_kind
from exitcost.graph._schedule import (
    EdgeBeyondPublished,
    PaddedTiers,
    TransferOption,
    pad_tiers,
    tier_cost_usd,
)

if TYPE_CHECKING:
    from exitcost.estate import Estate
    from exitcost.graph.routing import Route

__all__ = ["INTERNET", "LOCATION_KINDS", "CompiledGraph", "CostGraph", "TransferOption"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

INTERNET = "internet"
"""Id of the special node standing for the public internet (and other networks)."""


_ID_RE = re.compile(r"^[a-z][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def _check_id(location: str, func: str) -> tuple[str, str]:
    if not isinstance(location, str) or not _ID_RE.match(location):
        raise InvalidParameterError(
            f"The 'location' parameter of {func} must be an id 'provider:region' such as "
            f"'aws:us-east-1' or 'colo:ams1'. Got {location!r} instead."
        )
    provider, region = location.split(":", 1)
    return provider, region


def _csr(rows: IntArray, cols: IntArray, data: FloatArray, n: int) -> sp.csr_matrix:
    """An ``n x n`` CSR matrix with every ``(rows, cols, data)`` entry stored, zeros included."""
    order = np.lexsort((cols, rows))
    indptr = np.searchsorted(rows[order], np.arange(n + 1)).astype(np.int32)
    return sp.csr_matrix((data[order], cols[order].astype(np.int32), indptr), shape=(n, n))


@dataclass(frozen=True)
class CompiledGraph:
    """The cost graph as plain arrays: what the kernels, the matrices and the engine read.

    Edges are sorted by (source index, destination index); parallel edges (several options
    between one pair) are contiguous, starting at ``pair_start``.

    Attributes
    ----------
    nodes : tuple of str
        Location ids; the position is the node index.
    node_index : Mapping[str, int]
        Id to index.
    options : tuple of TransferOption
        The edges, in compiled order.
    edge_src, edge_dst : ndarray of intp, shape (n_edges,)
        Node index of each edge's source and destination.
    pair_start : ndarray of intp, shape (n_pairs,)
        Index of the first edge of each (source, destination) pair.
    pair_src, pair_dst : ndarray of intp, shape (n_pairs,)
        Source and destination of each pair.
    tiers : PaddedTiers
        Tier bounds, widths and rates padded to ``(n_edges, n_tiers)``, limits, fixed fees
        [USD/month] and capacities [GB/month] per edge.
    transfer_class : tuple of str
        Class of each edge.
    """

    nodes: tuple[str, ...]
    node_index: Mapping[str, int]
    options: tuple[TransferOption, ...]
    edge_src: IntArray
    edge_dst: IntArray
    pair_start: IntArray
    pair_src: IntArray
    pair_dst: IntArray
    tiers: PaddedTiers
    transfer_class: tuple[str, ...]

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    def edge_label(self, edge: int) -> str:
        """``"src -> dst [key]"`` label of one edge, for messages."""
        o = self.options[edge]
        return f"{o.src} -> {o.dst} [{o.key}]"

    def edge_cost_usd(
        self, volume_gb: Any, beyond_published: EdgeBeyondPublished = "error"
    ) -> FloatArray:
        """Monthly cost of every edge at each volume: shape ``np.shape(volume_gb) + (n_edges,)``.

        ``inf`` marks an edge unavailable at that volume. [USD/month]
        """
        v = np.asarray(volume_gb, dtype=np.float64)[..., None]
        return tier_cost_usd(self.tiers, v, beyond_published, keys=self.edge_label)

    def pair_cost_usd(self, edge_cost_usd: FloatArray) -> tuple[FloatArray, IntArray]:
        """Cheapest parallel edge per pair: its cost and its edge index (last axis = pairs)."""
        if len(self.options) == 0:
            shape = (*edge_cost_usd.shape[:-1], 0)
            return np.zeros(shape), np.zeros(shape, dtype=np.intp)
        cost = np.minimum.reduceat(edge_cost_usd, self.pair_start, axis=-1)
        pair_of_edge = np.repeat(
            np.arange(len(self.pair_start)), np.diff(np.append(self.pair_start, len(self.options)))
        )
        # First edge in each pair whose cost equals the pair minimum.
        hit = edge_cost_usd == cost[..., pair_of_edge]
        first = np.where(hit, np.arange(len(self.options)), len(self.options))
        best = np.minimum.reduceat(first, self.pair_start, axis=-1).astype(np.intp)
        return cost, best

    def csr(self, pair_cost: FloatArray, reverse: bool = False) -> sp.csr_matrix:
        """CSR adjacency of one weight vector over pairs, unavailable (inf) pairs left out.

        Entries are stored explicitly, so zero-cost edges stay edges for csgraph.
        """
        ok = np.isfinite(pair_cost)
        src, dst = (self.pair_dst, self.pair_src) if reverse else (self.pair_src, self.pair_dst)
        return _csr(src[ok], dst[ok], pair_cost[ok], self.n_nodes)

    def cheapest_usd(
        self,
        volume_gb: float,
        months: float = 1.0,
        beyond_published: EdgeBeyondPublished = "error",
    ) -> FloatArray:
        """All-pairs cheapest cost (n_nodes x n_nodes) at one monthly volume; ``inf`` = no route.

        [USD]
        """
        pair, _ = self.pair_cost_usd(self.edge_cost_usd(volume_gb, beyond_published))
        dist: FloatArray = shortest_path(self.csr(pair), method="D", directed=True)
        return dist * months

    def cheapest_from_usd(
        self,
        sources: Sequence[int] | IntArray,
        volumes_gb: Sequence[float] | FloatArray,
        *,
        reverse: bool = False,
        beyond_published: EdgeBeyondPublished = "error",
        chunk: int = 32,
    ) -> FloatArray:
        """Cheapest monthly cost from ``sources[f]`` to every node at ``volumes_gb[f]``.

        Each (source, volume) pair is solved exactly on its own copy of the graph: a chunk of
        copies is laid out as one block-diagonal sparse graph and solved in one csgraph call.
        ``reverse=True`` gives the cost from every node *to* the source instead.

        Returns
        -------
        ndarray, shape (n_flows, n_nodes)
            [USD/month]; ``inf`` where there is no route.
        """
        src = np.asarray(sources, dtype=np.intp)
        vol = np.asarray(volumes_gb, dtype=np.float64)
        n, n_flows = self.n_nodes, len(src)
        out = np.empty((n_flows, n))
        edge_cost = self.edge_cost_usd(vol, beyond_published)  # (F, E)
        pair, _ = self.pair_cost_usd(edge_cost)  # (F, P)
        psrc, pdst = (self.pair_dst, self.pair_src) if reverse else (self.pair_src, self.pair_dst)
        for start in range(0, n_flows, chunk):  # bounded memory; vectorised within a chunk
            stop = min(start + chunk, n_flows)
            k = stop - start
            offset = (np.arange(k) * n)[:, None]
            w = pair[start:stop]
            ok = np.isfinite(w)
            rows = (offset + psrc[None, :])[ok]
            cols = (offset + pdst[None, :])[ok]
            big = _csr(rows, cols, w[ok], k * n)
            idx = np.arange(k) * n + src[start:stop]
            dist = dijkstra(big, directed=True, indices=idx, limit=np.inf)
            out[start:stop] = dist.reshape(k, k, n)[np.arange(k), np.arange(k)]
        return out


class CostGraph:
    """Locations joined by priced transfer options, with cheapest-cost routing and matrices.

    Build one from price books and an estate with :meth:`from_estate`, or start empty and add
    sites and edges. The ``internet`` node is always present.

    Examples
    --------
    >>> g = CostGraph()
    >>> g.add_location("aws:us-east-1", kind="cloud")
    >>> g.add_edge("aws:us-east-1", "internet", [(10_240, 0.09), (None, 0.085)],
    ...            transfer_class="internet")
    >>> g.route("aws:us-east-1", "internet", 20_480).cost_usd
    1792.0
    >>> sorted(g.graph.nodes)
    ['aws:us-east-1', 'internet']
    """

    def __init__(self) -> None:
        self._graph = nx.MultiDiGraph()
        self._graph.add_node(INTERNET, kind="internet", provider="internet", region="")
        self._compiled: CompiledGraph | None = None
        self.as_of: Any = None

    # -- building --------------------------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph:
        """Read-only networkx view: nodes carry location attributes, edges carry ``option``.

        Edge keys are option keys; edge attributes are ``option`` (the :class:`TransferOption`),
        ``transfer_class``, ``tiers`` (list of ``(lower_gb, upper_gb, usd_per_gb)``),
        ``fixed_usd_per_month``, ``capacity_gb_per_month`` and ``source``. Change the graph with
        :meth:`add_location` / :meth:`add_site` / :meth:`add_edge` / :meth:`remove_edge`, which
        invalidate the compiled arrays; the view's attribute dicts are the graph's own, so
        writing into them would bypass that (and is not supported).
        """
        return self._graph.copy(as_view=True)

    @property
    def locations(self) -> list[str]:
        """Node ids in compiled (insertion) order."""
        return list(self._graph.nodes)

    def add_location(
        self,
        location: str,
        *,
        kind: str = "cloud",
        continent: str | None = None,
        jurisdiction: str | None = None,
        name: str | None = None,
        account: str | None = None,
        **attrs: Any,
    ) -> None:
        """Add a location node (or update its attributes) from its ``provider:region`` id."""
        provider, region = _check_id(location, "CostGraph.add_location")
        if kind not in LOCATION_KINDS:
            raise InvalidParameterError(
                f"The 'kind' parameter of CostGraph.add_location must be one of "
                f"{format_choices(LOCATION_KINDS)}. Got {kind!r} instead."
            )
        self._graph.add_node(
            location,
            kind=kind,
            provider=provider,
            region=region,
            continent=continent,
            jurisdiction=jurisdiction,
            name=name or location,
            account=account or provider,
            **attrs,
        )
        self._compiled = None

    def add_site(self, location: str, *, kind: str = "onprem", **attrs: Any) -> None:
        """Add an on-premises, colocation or edge site (see :meth:`add_location`)."""
        if kind == "cloud":
            raise InvalidParameterError(
                "The 'kind' parameter of CostGraph.add_site must be 'onprem', 'colo' or 'edge'; "
                f"use add_location for cloud regions. Got {kind!r} instead."
            )
        self.add_location(location, kind=kind, **attrs)

    def _require(self, location: str, func: str) -> None:
        if location not in self._graph:
            raise UnknownLocationError(
                f"Location {location!r} passed to {func} is not in the cost graph; valid: "
                f"{format_choices(self._graph.nodes)}. Add it with add_location or add_site."
            )

    def add_option(self, option: TransferOption) -> None:
        """Add a ready-made :class:`TransferOption` (replacing one with the same key)."""
        self._require(option.src, "CostGraph.add_option")
        self._require(option.dst, "CostGraph.add_option")
        self._graph.add_edge(
            option.src,
            option.dst,
            key=option.key,
            option=option,
            transfer_class=option.transfer_class,
            tiers=option.tiers(),
            fixed_usd_per_month=option.fixed_usd_per_month,
            capacity_gb_per_month=option.capacity_gb_per_month,
            source=option.source,
        )
        self._compiled = None

    def add_edge(
        self,
        src: str,
        dst: str,
        tiers: Sequence[tuple[float | None, float]] | float,
        *,
        key: str | None = None,
        transfer_class: str = "interconnect",
        fixed_usd_per_month: float = 0.0,
        capacity_gb_per_month: float | None = None,
        free_gb: float = 0.0,
        source: str = "user",
        bidirectional: bool = False,
    ) -> None:
        """Add a transfer option (a negotiated interconnect, a dark-fibre link, ...).

        Parameters
        ----------
        src, dst : str
            Location ids already in the graph.
        tiers : float or list of (upper_gb, usd_per_gb)
            A flat rate [USD/GB], or tiers with inclusive upper bounds [GB per month]
            (``None`` = unbounded last tier; a finite last bound is the published limit).
        key : str, optional
            Name of the option; defaults to ``"user:<transfer_class>"``. Re-using a key between
            the same pair replaces that option.
        transfer_class : str
            One of :data:`exitcost.categories.TRANSFER_CLASSES`.
        fixed_usd_per_month : float
            Fixed fee per month (port, cross-connect, committed transit). [USD/month]
        capacity_gb_per_month : float, optional
            Most GB per month the option carries (e.g. a port's line rate over a month). [GB]
        free_gb : float
            Free allowance inside the first tier. [GB per month]
        source : str
            Reference for the price.
        bidirectional : bool
            Also add the same option from ``dst`` to ``src``.

        Raises
        ------
        UnknownLocationError
            ``src`` or ``dst`` is not in the graph.
        InvalidParameterError
            The schedule is malformed (bounds not increasing, negative or NaN rate, ...).
        """
        self._require(src, "CostGraph.add_edge")
        self._require(dst, "CostGraph.add_edge")
        pairs = [(src, dst), (dst, src)] if bidirectional else [(src, dst)]
        for a, b in pairs:
            self.add_option(
                TransferOption.from_tiers(
                    a,
                    b,
                    tiers,
                    key=key if key is not None else f"user:{transfer_class}",
                    transfer_class=transfer_class,
                    fixed_usd_per_month=fixed_usd_per_month,
                    capacity_gb_per_month=capacity_gb_per_month,
                    free_gb=free_gb,
                    source=source,
                )
            )

    def remove_edge(self, src: str, dst: str, key: str) -> None:
        """Remove one transfer option."""
        if not self._graph.has_edge(src, dst, key):
            keys = list(self._graph[src][dst]) if self._graph.has_edge(src, dst) else []
            raise UnknownLocationError(
                f"No edge {src!r} -> {dst!r} with key {key!r}; keys on that pair: "
                f"{format_choices(keys) or 'none'}."
            )
        self._graph.remove_edge(src, dst, key)
        self._compiled = None

    def options(self, src: str, dst: str) -> list[TransferOption]:
        """The transfer options from ``src`` to ``dst`` (possibly none)."""
        self._require(src, "CostGraph.options")
        self._require(dst, "CostGraph.options")
        if not self._graph.has_edge(src, dst):
            return []
        return [d["option"] for d in self._graph[src][dst].values()]

    def copy(self) -> CostGraph:
        """An independent copy (options are immutable and shared)."""
        new = CostGraph()
        new._graph = self._graph.copy()
        new.as_of = self.as_of
        return new

    # -- compiling -------------------------------------------------------------------------

    def compile(self) -> CompiledGraph:
        """The graph as arrays (cached until the graph changes)."""
        if self._compiled is not None:
            return self._compiled
        nodes = tuple(self._graph.nodes)
        index = {node: i for i, node in enumerate(nodes)}
        opts = [d["option"] for _, _, d in self._graph.edges(data=True)]
        opts.sort(key=lambda o: (index[o.src], index[o.dst], o.key))
        esrc = np.array([index[o.src] for o in opts], dtype=np.intp)
        edst = np.array([index[o.dst] for o in opts], dtype=np.intp)
        new_pair = np.ones(len(opts), dtype=bool)
        if len(opts) > 1:
            new_pair[1:] = (esrc[1:] != esrc[:-1]) | (edst[1:] != edst[:-1])
        pair_start = np.flatnonzero(new_pair).astype(np.intp)
        self._compiled = CompiledGraph(
            nodes=nodes,
            node_index=index,
            options=tuple(opts),
            edge_src=esrc,
            edge_dst=edst,
            pair_start=pair_start,
            pair_src=esrc[pair_start],
            pair_dst=edst[pair_start],
            tiers=pad_tiers(opts),
            transfer_class=tuple(o.transfer_class for o in opts),
        )
        return self._compiled

    # -- computing -------------------------------------------------------------------------

    @renamed_parameters(months="recurring_months")
    def matrix(
        self,
        volume_gb: float,
        recurring_months: float = 1.0,
        *,
        locations: Iterable[str] | None = None,
        beyond_published: EdgeBeyondPublished = "error",
    ) -> pd.DataFrame:
        """Cheapest cost of moving ``volume_gb`` per month between every pair of locations.

        Parameters
        ----------
        volume_gb : float
            Volume moved per month. [GB]
        recurring_months : float
            Number of months the transfer recurs (multiplies per-GB charges and fixed fees;
            ``months`` is its old name, kept for one release with a FutureWarning).
        locations : iterable of str, optional
            Rows and columns to return (default all nodes, ``internet`` included).
        beyond_published : {"error", "extrapolate", "exclude"}
            What to do with a volume beyond an edge's last published tier: raise
            :class:`~exitcost.errors.PriceLimitError`, price it at the last published rate, or
            treat that edge as unavailable.

        Returns
        -------
        pandas.DataFrame
            Source locations x destination locations, cheapest cost [USD]. The diagonal is 0;
            ``inf`` means no route (no path of available edges).

        Examples
        --------
        >>> g = CostGraph()
        >>> g.add_site("edge:store-001", kind="edge")
        >>> g.add_edge("edge:store-001", "internet", 0.05, transfer_class="internet")
        >>> g.matrix(100.0)
        dst             internet  edge:store-001
        src
        internet             0.0             inf
        edge:store-001       5.0             0.0
        """
        func = "CostGraph.matrix"
        volume = check_scalar(volume_gb, name="volume_gb", func=func)
        m = check_scalar(
            recurring_months, name="recurring_months", func=func, exclusive_minimum=True
        )
        compiled = self.compile()
        dist = compiled.cheapest_usd(volume, m, beyond_published)
        frame = pd.DataFrame(dist, index=list(compiled.nodes), columns=list(compiled.nodes))
        frame.index.name = "src"
        frame.columns.name = "dst"
        if locations is not None:
            wanted = list(locations)
            for loc in wanted:
                self._require(loc, func)
            frame = frame.loc[wanted, wanted]
        return frame

    @renamed_parameters(months="recurring_months")
    def route(
        self,
        src: str,
        dst: str,
        volume_gb: float,
        recurring_months: float = 1.0,
        *,
        beyond_published: EdgeBeyondPublished = "error",
    ) -> Route:
        """Cheapest way to move ``volume_gb`` per month from ``src`` to ``dst``.

        See :func:`exitcost.graph.routing.route` for the details.
        """
        from exitcost.graph.routing import route

        return route(self, src, dst, volume_gb, recurring_months, beyond_published=beyond_published)

    # -- construction from price books -----------------------------------------------------

    @classmethod
    def from_estate(
        cls,
        estate: Estate,
        as_of: Any = None,
        *,
        extra_locations: Iterable[Any] = (),
    ) -> CostGraph:
        """Build the graph of an estate's locations (plus extra ones) from the price books.

        Parameters
        ----------
        estate : Estate
            Its locations become nodes, with their kind, continent, jurisdiction and account.
        as_of : date or ISO string, optional
            The books in effect on that day (default: the estate's own ``as_of``).
        extra_locations : iterable
            More candidate locations: ids (``"gcp:europe-west4"``, ``"colo:lon1"``; cloud
            regions take their continent from their book) or mappings with ``id``, ``kind``,
            ``continent``, ``jurisdiction``, ``name``, ``account``.

        Returns
        -------
        CostGraph
            With internet egress, free ingress, same-provider backbone, destination-zone egress,
            private interconnects (one option per port speed) and site transit; see
            :mod:`exitcost.graph._build` for the rules. Built options are cached per set of
            locations and date.

        Raises
        ------
        UnknownProviderError
            A cloud location's provider has no price book.
        UnknownLocationError
            A cloud region is not in its provider's book.
        """
        from exitcost.graph._build import build_graph, spec_from_any
        from exitcost.pricing.books import as_date

        day = as_date(estate.as_of if as_of is None else as_of, func="CostGraph.from_estate")
        specs = [spec_from_any(loc, day) for loc in estate.locations]
        specs += [spec_from_any(loc, day) for loc in extra_locations]
        return build_graph(specs, day)

    @classmethod
    @renamed_parameters(providers="provider")
    def from_price_books(
        cls,
        provider: str | Iterable[str] | None = None,
        as_of: Any = None,
        *,
        extra_locations: Iterable[Any] = (),
    ) -> CostGraph:
        """The graph over every region of every bundled cloud price book (or of ``provider``).

        ``provider`` is one provider or several, as in the exit analyses (``providers`` is its
        old name, kept for one release with a FutureWarning). ``extra_locations`` adds sites or
        regions as in :meth:`from_estate`.
        """
        from exitcost.graph._build import LocationSpec, build_graph, spec_from_any
        from exitcost.pricing.books import as_date, load_price_book
        from exitcost.pricing.books import providers as all_providers

        day = as_date(as_of, func="CostGraph.from_price_books")
        specs: list[LocationSpec] = []
        chosen = (
            all_providers()
            if provider is None
            else [provider]
            if isinstance(provider, str)
            else provider
        )
        for name in chosen:
            try:
                book = load_price_book(name, as_of=day)
            except PriceBookError:
                continue  # no book in effect yet on that day
            if book.kind != "cloud":
                continue
            specs.extend(
                LocationSpec(f"{name}:{r}", "cloud", meta.continent, meta.jurisdiction, meta.name)
                for r, meta in book.regions.items()
            )
        specs += [spec_from_any(loc, day) for loc in extra_locations]
        return build_graph(specs, day)

    @classmethod
    def from_edges(
        cls,
        options: Iterable[TransferOption],
        locations: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> CostGraph:
        """Build a graph from transfer options; nodes are created from the ids they use.

        ``locations`` gives node attributes (``kind``, ``continent``, ...) by id; ids not
        given default to kind ``"cloud"`` if their provider part is not a site kind.
        """
        graph = cls()
        opts = list(options)
        attrs = dict(locations or {})
        ids = [*attrs, *(o.src for o in opts), *(o.dst for o in opts)]
        for loc in dict.fromkeys(ids):
            if loc == INTERNET or loc in graph._graph:
                continue
            given = dict(attrs.get(loc, {}))
            kind = given.pop("kind", default_location_kind(loc))
            graph.add_location(loc, kind=kind, **given)
        for opt in opts:
            graph.add_option(opt)
        return graph
