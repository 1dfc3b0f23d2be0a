"""Cheapest routes through the cost graph, per-hop tier arithmetic, and break-even volumes.

A route's cost is the sum over its hops of each hop's tiered cost at the full monthly volume plus
its fixed monthly fees, times the number of months (each hop is billed to its own source for the
month). Fixed fees (interconnect ports, committed transit) make the cheapest route depend on the
volume: below some volume the direct path wins, above it a path through an interconnect does.
:func:`break_even_volumes` finds those volumes exactly from the piecewise-linear costs.

Examples
--------
>>> from exitcost.graph.costgraph import CostGraph
>>> g = CostGraph()
>>> for loc in ("aws:eu-west-1", "azure:westeurope"):
...     g.add_location(loc)
>>> g.add_site("colo:ams1", kind="colo")
>>> g.add_edge("aws:eu-west-1", "internet", 0.09, transfer_class="internet")
>>> g.add_edge("internet", "azure:westeurope", 0.0, transfer_class="internet")
>>> g.add_edge("aws:eu-west-1", "colo:ams1", 0.02, fixed_usd_per_month=219.0)
>>> g.add_edge("colo:ams1", "azure:westeurope", 0.0, fixed_usd_per_month=100.0)
>>> r = g.route("aws:eu-west-1", "azure:westeurope", 10_000)
>>> r.path, r.cost_usd, r.direct.cost_usd
(('aws:eu-west-1', 'colo:ams1', 'azure:westeurope'), 519.0, 900.0)
>>> [round(v, 4) for v in r.break_even_gb]
[4557.1429]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from exitcost._validation import check_scalar, renamed_parameters
from exitcost.errors import NoRouteError
from exitcost.graph._schedule import (
    EdgeBeyondPublished,
    TransferOption,
    pad_tiers,
    tier_cost_usd,
    variable_cost_usd,
)
from exitcost.graph._schedule import tier_gb as _tier_gb
from exitcost.graph.costgraph import INTERNET, CostGraph

__all__ = ["Hop", "Route", "TierCharge", "break_even_volumes", "route"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TierCharge:
    """The GB of one month that fall in one tier of a hop, and what they cost.

    Attributes
    ----------
    lower_gb, upper_gb : float
        Tier bounds (exclusive minimum, inclusive maximum). [GB]
    gb_per_month : float
        Volume billed in this tier each month. [GB/month]
    usd_per_gb : float
        Tier rate. [USD/GB]
    usd_per_month : float
        ``gb_per_month * usd_per_gb``. [USD/month]
    """

    lower_gb: float
    upper_gb: float
    gb_per_month: float
    usd_per_gb: float
    usd_per_month: float


@dataclass(frozen=True)
class Hop:
    """One edge of a route, priced at the route's volume.

    Attributes
    ----------
    option : TransferOption
        The transfer option used.
    volume_gb : float
        Volume per month. [GB/month]
    months : float
        Months the transfer recurs.
    tiers : tuple of TierCharge
        Tier arithmetic of one month.
    variable_usd, fixed_usd, cost_usd : float
        Tiered charges, fixed fees and their sum over ``months``. [USD]
    """

    option: TransferOption
    volume_gb: float
    months: float
    tiers: tuple[TierCharge, ...]
    variable_usd: float
    fixed_usd: float
    cost_usd: float

    @property
    def src(self) -> str:
        """Source location of the hop."""
        return self.option.src

    @property
    def dst(self) -> str:
        """Destination location of the hop."""
        return self.option.dst


def _hop(option: TransferOption, volume_gb: float, months: float, extrapolate: bool) -> Hop:
    padded = pad_tiers([option])
    gb = _tier_gb(padded, np.array([volume_gb]), extrapolate)[0]
    rates = np.asarray(option.usd_per_gb)
    n = len(rates)
    gb = gb[:n]
    usd = gb * rates
    lower = (0.0, *option.upper_gb[:-1])
    upper = list(option.upper_gb)
    if extrapolate:
        upper[-1] = float("inf")
    charges = tuple(
        TierCharge(lower[i], upper[i], float(gb[i]), float(rates[i]), float(usd[i]))
        for i in range(n)
    )
    # The total comes from the same kernel as the matrix and the pricing module (exact match
    # with egress_cost); the per-tier split above may differ from it in the last digit.
    variable = float(variable_cost_usd(padded, np.array([volume_gb]))[0]) * months
    fixed = option.fixed_usd_per_month * months
    return Hop(option, volume_gb, months, charges, variable, fixed, variable + fixed)


@dataclass(frozen=True)
class Route:
    """The cheapest way found to move a monthly volume from ``src`` to ``dst``.

    Attributes
    ----------
    src, dst : str
        Endpoints.
    volume_gb : float
        Volume moved per month. [GB/month]
    months : float
        Months the transfer recurs.
    hops : tuple of Hop
        The edges in order (empty when ``src == dst``).
    cost_usd : float
        Sum of the hops' costs. [USD]
    direct : Route or None
        The default path for comparison, what moving the data costs without buying anything:
        the cheapest single edge ``src -> dst`` with no fixed fee (a backbone, public egress),
        else the public-internet path ``src -> internet -> dst``, else the cheapest single edge
        with a fee; ``None`` when none is available at this volume.
    break_even_gb : tuple of float
        Monthly volumes at which this route and the direct path cost the same (empty if they
        never do, or there is no direct path). [GB/month]
    """

    src: str
    dst: str
    volume_gb: float
    months: float
    hops: tuple[Hop, ...]
    cost_usd: float
    direct: Route | None = None
    break_even_gb: tuple[float, ...] = field(default=())

    @property
    def path(self) -> tuple[str, ...]:
        """Locations visited, from ``src`` to ``dst``."""
        if not self.hops:
            return (self.src,)
        return (self.hops[0].src, *(h.dst for h in self.hops))

    @property
    def options(self) -> tuple[TransferOption, ...]:
        """The transfer options used, in order."""
        return tuple(h.option for h in self.hops)

    @property
    def savings_usd(self) -> float:
        """How much cheaper than the direct path (0 without one). [USD]"""
        return 0.0 if self.direct is None else self.direct.cost_usd - self.cost_usd

    def to_frame(self) -> pd.DataFrame:
        """One row per hop: endpoints, option, class, tiered and fixed cost. [USD]"""
        rows = [
            {
                "hop": i + 1,
                "src": h.src,
                "dst": h.dst,
                "option": h.option.key,
                "transfer_class": h.option.transfer_class,
                "volume_gb": h.volume_gb,
                "months": h.months,
                "variable_usd": h.variable_usd,
                "fixed_usd": h.fixed_usd,
                "cost_usd": h.cost_usd,
            }
            for i, h in enumerate(self.hops)
        ]
        columns = [
            "hop", "src", "dst", "option", "transfer_class", "volume_gb", "months",
            "variable_usd", "fixed_usd", "cost_usd",
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)

    def tiers_frame(self) -> pd.DataFrame:
        """One row per hop and tier: the tier arithmetic of one month. [GB, USD]"""
        rows = [
            {
                "hop": i + 1,
                "src": h.src,
                "dst": h.dst,
                "tier": j + 1,
                "lower_gb": t.lower_gb,
                "upper_gb": t.upper_gb,
                "gb_per_month": t.gb_per_month,
                "usd_per_gb": t.usd_per_gb,
                "usd_per_month": t.usd_per_month,
            }
            for i, h in enumerate(self.hops)
            for j, t in enumerate(h.tiers)
        ]
        columns = [
            "hop", "src", "dst", "tier", "lower_gb", "upper_gb", "gb_per_month", "usd_per_gb",
            "usd_per_month",
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)


def _direct_options(
    graph: CostGraph, src: str, dst: str, volume_gb: float, beyond: EdgeBeyondPublished
) -> list[TransferOption] | None:
    def cheapest(a: str, b: str, fee_free: bool) -> TransferOption | None:
        opts = [o for o in graph.options(a, b) if o.fixed_usd_per_month == 0 or not fee_free]
        if not opts:
            return None
        costs = tier_cost_usd(pad_tiers(opts), np.array(volume_gb), beyond)
        i = int(np.argmin(costs))
        return opts[i] if np.isfinite(costs[i]) else None

    one = cheapest(src, dst, fee_free=True)
    if one is not None:
        return [one]
    if INTERNET not in (src, dst):
        out, into = cheapest(src, INTERNET, False), cheapest(INTERNET, dst, False)
        if out is not None and into is not None:
            return [out, into]
    one = cheapest(src, dst, fee_free=False)
    return None if one is None else [one]


def _make_route(
    src: str,
    dst: str,
    options: Sequence[TransferOption],
    volume_gb: float,
    months: float,
    extrapolate: bool,
) -> Route:
    hops = tuple(_hop(o, volume_gb, months, extrapolate) for o in options)
    return Route(src, dst, volume_gb, months, hops, float(sum(h.cost_usd for h in hops)))


@renamed_parameters(months="recurring_months")
def route(
    graph: CostGraph,
    src: str,
    dst: str,
    volume_gb: float,
    recurring_months: float = 1.0,
    *,
    beyond_published: EdgeBeyondPublished = "error",
) -> Route:
    """Cheapest way to move ``volume_gb`` per month from ``src`` to ``dst``, ``recurring_months``.

    Parameters
    ----------
    graph : CostGraph
        The graph to route over.
    src, dst : str
        Location ids in the graph.
    volume_gb : float
        Volume per month. [GB/month]
    recurring_months : float
        Months the transfer recurs; multiplies tiered charges and fixed fees (``months`` is its
        old name, kept for one release with a FutureWarning).
    beyond_published : {"error", "extrapolate", "exclude"}
        Handling of volumes beyond an edge's last published tier (see :meth:`CostGraph.matrix`).

    Returns
    -------
    Route
        Path, per-hop costs with their tier arithmetic, total ``cost_usd``, the direct path and
        the break-even volumes against it.

    Raises
    ------
    UnknownLocationError
        ``src`` or ``dst`` is not in the graph.
    InvalidParameterError
        Negative, NaN or infinite volume; ``recurring_months`` not > 0.
    NoRouteError
        No path of edges available at this volume joins ``src`` to ``dst``.
    """
    func = "CostGraph.route"
    volume = check_scalar(volume_gb, name="volume_gb", func=func)
    m = check_scalar(recurring_months, name="recurring_months", func=func, exclusive_minimum=True)
    graph._require(src, func)
    graph._require(dst, func)
    extrapolate = beyond_published == "extrapolate"
    if src == dst:
        return Route(src, dst, volume, m, (), 0.0)
    compiled = graph.compile()
    pair, best = compiled.pair_cost_usd(compiled.edge_cost_usd(volume, beyond_published))
    si, di = compiled.node_index[src], compiled.node_index[dst]
    dist, pred = dijkstra(compiled.csr(pair), directed=True, indices=si, return_predecessors=True)
    if not np.isfinite(dist[di]):
        raise NoRouteError(
            f"No route from {src!r} to {dst!r} at {volume:g} GB/month: no path of transfer "
            "options joins them (or every path has an option over its capacity or published "
            "limit at this volume). Add an edge with CostGraph.add_edge."
        )
    nodes = [di]
    while nodes[-1] != si:  # walk the predecessor chain (path length, not elements)
        nodes.append(int(pred[nodes[-1]]))
    nodes.reverse()
    n = compiled.n_nodes
    pair_key = compiled.pair_src * n + compiled.pair_dst
    hop_keys = np.array(nodes[:-1]) * n + np.array(nodes[1:])
    pairs = np.searchsorted(pair_key, hop_keys)
    options = [compiled.options[int(e)] for e in best[pairs]]
    cheapest = _make_route(src, dst, options, volume, m, extrapolate)
    direct_opts = _direct_options(graph, src, dst, volume, beyond_published)
    if direct_opts is None:
        return cheapest
    direct = _make_route(src, dst, direct_opts, volume, m, extrapolate)
    crossings = () if list(direct_opts) == options else break_even_volumes(options, direct_opts)
    return Route(src, dst, volume, m, cheapest.hops, cheapest.cost_usd, direct, crossings)


def break_even_volumes(
    route_a: Sequence[TransferOption] | Route, route_b: Sequence[TransferOption] | Route
) -> tuple[float, ...]:
    """Monthly volumes at which two paths cost the same.

    Both monthly costs are piecewise linear in the volume (tiers) plus constants (fixed fees),
    so their difference is linear between the union of their tier bounds: it is evaluated
    exactly at those breakpoints and each sign change is solved on its segment. The search
    covers volumes where both paths are available (up to the smallest capacity or published
    limit among their options). A stretch on which the costs are equal throughout is reported
    by its first volume.

    Parameters
    ----------
    route_a, route_b : Route or sequence of TransferOption
        The two paths.

    Returns
    -------
    tuple of float
        Crossing volumes in increasing order [GB/month]; empty if one path is always cheaper.

    Examples
    --------
    A $0.09/GB path against a $0.02/GB path with a $219/month port: equal at 219 / 0.07 GB.

    >>> a = [TransferOption.from_tiers("x", "y", 0.09)]
    >>> b = [TransferOption.from_tiers("x", "y", 0.02, fixed_usd_per_month=219.0)]
    >>> break_even_volumes(a, b)
    (3128.571428571429,)
    """
    opts_a = list(route_a.options if isinstance(route_a, Route) else route_a)
    opts_b = list(route_b.options if isinstance(route_b, Route) else route_b)
    both = opts_a + opts_b
    if not opts_a or not opts_b:
        return ()
    vmax = min(min(o.capacity_gb_per_month, o.limit_gb) for o in both)
    bounds = np.array([u for o in both for u in o.upper_gb], dtype=np.float64)
    points = np.unique(np.concatenate([[0.0], bounds[bounds < vmax], [vmax]]))
    points = points[np.isfinite(points)]
    padded = pad_tiers(both)
    sign = np.concatenate([np.ones(len(opts_a)), -np.ones(len(opts_b))])
    cost = tier_cost_usd(padded, points[:, None], "extrapolate")  # (K, E), all finite here
    diff = cost @ sign  # (K,)
    x0, x1, f0, f1 = points[:-1], points[1:], diff[:-1], diff[1:]
    cross = (f0 * f1) < 0
    roots = list(x0[cross] + f0[cross] * (x1[cross] - x0[cross]) / (f0[cross] - f1[cross]))
    zero = diff == 0
    starts = zero & ~np.concatenate([[False], zero[:-1]])
    roots.extend(points[starts])
    if np.isinf(vmax):
        # Beyond the last breakpoint the difference changes at the last tiers' rates.
        slope = float(np.asarray([o.usd_per_gb[-1] for o in both]) @ sign)
        last, f_last = points[-1], diff[-1]
        if f_last != 0 and slope != 0 and np.sign(slope) != np.sign(f_last):
            roots.append(last - f_last / slope)
    return tuple(sorted(float(r) for r in roots))
