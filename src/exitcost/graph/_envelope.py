"""The cheapest cost of each source and destination pair as an exact function of volume (private).

Gravity prices thousands of flows to every candidate location. Pricing every edge at every
flow's volume and solving one shortest-path problem per flow costs flows x edges; this module
instead describes, once per (source, destination) pair, the cheapest monthly cost as a function
of the monthly volume, then evaluates that function at each flow's volume.

Between two consecutive *breakpoints* of the graph (every tier bound, published limit and
capacity of every edge), the cost of each edge is affine in the volume, so the cost of a path
(with one option chosen per hop) is a line, and the cheapest cost ``m(v)``, a minimum of lines,
is concave there. The lines that make up ``m`` on an interval are found by the classic bisection
for lower envelopes: solve at both ends; where the two cheapest paths differ, solve again where
their lines cross; if nothing is cheaper there, the two lines are the envelope, otherwise the new
line splits the interval in two. Every line found is a real path's cost, so the minimum over them
is exactly ``m``. All solves of a round run as one block-diagonal csgraph call.

Examples
--------
>>> from exitcost.graph.costgraph import CostGraph
>>> g = CostGraph()
>>> g.add_location("aws:us-east-1")
>>> g.add_site("colo:ams1", kind="colo")
>>> g.add_edge("aws:us-east-1", "internet", 0.09, transfer_class="internet")
>>> g.add_edge("internet", "colo:ams1", 0.0, transfer_class="internet")
>>> g.add_edge("aws:us-east-1", "colo:ams1", 0.02, fixed_usd_per_month=219.0)
>>> compiled = g.compile()
>>> env = cheapest_envelope(
...     compiled, [compiled.node_index["aws:us-east-1"]], [0, 0], [1_000.0, 10_000.0]
... )
>>> ams = compiled.node_index["colo:ams1"]
>>> env.cost_usd([0, 0], [1_000.0, 10_000.0])[:, ams].tolist()  # internet, then the port
[90.0, 419.0]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from exitcost.errors import ExtrapolationWarning

if TYPE_CHECKING:
    from exitcost.graph._schedule import EdgeBeyondPublished
    from exitcost.graph.costgraph import CompiledGraph

__all__ = ["CostEnvelope", "cheapest_envelope"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_CHUNK_COPIES = 512
"""Graph copies solved per csgraph call (bounds memory at about copies x pairs)."""
_MAX_ROUNDS = 64
"""Bisection rounds; each round at least halves an interval, so this is never reached."""


@dataclass(frozen=True)
class CostEnvelope:
    """Cheapest monthly cost from (or to) each source, piecewise linear in the volume.

    Attributes
    ----------
    bounds_gb : ndarray, shape (n_intervals + 1,)
        Interval bounds, from 0 to the largest volume asked for. [GB/month]
    cell : ndarray of intp, shape (n_sources, n_intervals)
        Row of each (source, interval) in the line arrays; -1 where no volume was asked for.
    intercept_usd : ndarray, shape (n_cells, n_nodes, n_lines)
        Intercepts of the lines whose minimum is the cost (``inf`` for padding and no route).
    slope_usd_per_gb : ndarray, shape (n_cells, n_nodes, n_lines)
        Their slopes. [USD/GB]
    """

    bounds_gb: FloatArray
    cell: IntArray
    intercept_usd: FloatArray
    slope_usd_per_gb: FloatArray

    def interval(self, volumes_gb: FloatArray) -> IntArray:
        """Interval of each volume (a volume on a bound belongs to the interval below it)."""
        n_int = self.cell.shape[1]
        found = np.searchsorted(self.bounds_gb, volumes_gb, side="left") - 1
        return np.clip(found, 0, n_int - 1).astype(np.intp)

    def cost_usd(
        self, source_rows: Sequence[int] | IntArray, volumes_gb: Sequence[float] | FloatArray
    ) -> FloatArray:
        """Cost at each (source row, volume): shape ``(n_flows, n_nodes)``; ``inf`` = no route."""
        rows = np.asarray(source_rows, dtype=np.intp)
        vol = np.asarray(volumes_gb, dtype=np.float64)
        cell = self.cell[rows, self.interval(vol)]
        if np.any(cell < 0):
            raise ValueError("cost_usd asked for a (source, volume) the envelope was not built for")
        v = vol[:, None]
        cost = np.empty((cell.size, self.intercept_usd.shape[1]))
        line = np.empty_like(cost)
        with np.errstate(invalid="ignore"):  # padding lines: inf + 0 v
            for k in range(self.intercept_usd.shape[2]):  # a handful of lines per pair
                np.multiply(self.slope_usd_per_gb[cell, :, k], v, out=line)
                line += self.intercept_usd[cell, :, k]
                if k == 0:
                    cost[...] = line
                else:
                    np.minimum(cost, line, out=cost)
        cost[vol <= 0] = 0.0
        return cost


def _breakpoints(compiled: CompiledGraph, v_max: float) -> FloatArray:
    tiers = compiled.tiers
    marks = np.concatenate(
        [tiers.lower_gb.ravel(), tiers.limit_gb, tiers.capacity_gb_per_month, [0.0, v_max]]
    )
    marks = marks[np.isfinite(marks) & (marks >= 0) & (marks <= v_max)]
    return np.unique(marks)


def _edge_lines(
    compiled: CompiledGraph, bounds: FloatArray, beyond_published: EdgeBeyondPublished
) -> tuple[FloatArray, FloatArray]:
    """Intercept and slope of every edge on every interval: shapes ``(n_intervals, n_edges)``."""
    lo, hi = bounds[:-1], bounds[1:]
    p1, p2 = lo + (hi - lo) / 3.0, lo + 2.0 * (hi - lo) / 3.0
    with warnings.catch_warnings():  # warned once for the largest volume by the caller
        warnings.simplefilter("ignore", ExtrapolationWarning)
        c1 = compiled.edge_cost_usd(p1, beyond_published)
        c2 = compiled.edge_cost_usd(p2, beyond_published)
    ok = np.isfinite(c1) & np.isfinite(c2)
    with np.errstate(invalid="ignore", divide="ignore"):
        width = np.where(hi > lo, p2 - p1, 1.0)[:, None]
        slope = np.where(ok, (c2 - c1) / width, 0.0)
        slope = np.where(hi[:, None] > lo[:, None], slope, 0.0)
        intercept = np.where(ok, c1 - slope * p1[:, None], np.inf)
    return intercept, slope


def _solve(
    compiled: CompiledGraph,
    intercept: FloatArray,
    slope: FloatArray,
    source: IntArray,
    interval: IntArray,
    volume: FloatArray,
    reverse: bool,
) -> tuple[FloatArray, FloatArray]:
    """Cheapest cost and the slope of the cheapest path, per probe and node: ``(K, n_nodes)``."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    n, k_all = compiled.n_nodes, len(source)
    dist_out = np.empty((k_all, n))
    slope_out = np.empty((k_all, n))
    psrc, pdst = (
        (compiled.pair_dst, compiled.pair_src)
        if reverse
        else (compiled.pair_src, compiled.pair_dst)
    )
    pair_index = np.zeros((n, n), dtype=np.intp)  # pair of each (from, to) in solve order
    pair_index[psrc, pdst] = np.arange(psrc.size)
    by_row = np.argsort(psrc, kind="stable")
    for start in range(0, k_all, _CHUNK_COPIES):
        stop = min(start + _CHUNK_COPIES, k_all)
        k = stop - start
        j, v = interval[start:stop], volume[start:stop]
        with np.errstate(invalid="ignore"):
            edge = np.maximum(intercept[j] + slope[j] * v[:, None], 0.0)  # no -0.0 from rounding
        pair, best = compiled.pair_cost_usd(edge)
        pair_slope = np.take_along_axis(slope[j], best, axis=1)
        ok = np.isfinite(pair[:, by_row])
        offset = (np.arange(k) * n)[:, None]
        rows = (offset + psrc[by_row][None, :])[ok]  # sorted: copies in turn, pairs by row
        cols = (offset + pdst[by_row][None, :])[ok]
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=k * n))))
        big = sp.csr_matrix(
            (pair[:, by_row][ok], cols.astype(np.int32), indptr.astype(np.int32)),
            shape=(k * n, k * n),
        )
        dist, pred, _ = dijkstra(
            big,
            directed=True,
            indices=np.arange(k) * n + source[start:stop],
            min_only=True,
            return_predecessors=True,
        )
        # Slope of each node's cheapest path: its predecessor's plus the hop's, along the tree.
        has_pred = pred >= 0
        node = np.flatnonzero(has_pred)
        copy, local = np.divmod(node, n)
        hop = pair_index[pred[node] - copy * n, local]
        hop_slope = np.zeros(k * n)
        hop_slope[node] = pair_slope[copy, hop]
        node_slope = np.zeros(k * n)
        parent = np.where(has_pred, pred, np.arange(k * n))
        for _ in range(n):  # one step per hop of the longest cheapest path
            updated = np.where(has_pred, node_slope[parent] + hop_slope, 0.0)
            if np.array_equal(updated, node_slope):
                break
            node_slope = updated
        dist_out[start:stop] = dist.reshape(k, n)
        slope_out[start:stop] = node_slope.reshape(k, n)
    return dist_out, slope_out


def cheapest_envelope(
    compiled: CompiledGraph,
    sources: Sequence[int] | IntArray,
    source_rows: Sequence[int] | IntArray,
    volumes_gb: Sequence[float] | FloatArray,
    *,
    reverse: bool = False,
    beyond_published: EdgeBeyondPublished = "error",
) -> CostEnvelope:
    """Cheapest cost from each of ``sources`` to every node, for the volumes asked for.

    ``source_rows[f]`` (an index into ``sources``) and ``volumes_gb[f]`` are the flows to be
    priced: the envelope covers the intervals their volumes fall in, no more. ``reverse=True``
    gives the cost from every node *to* each source. Volumes beyond a published limit raise,
    warn or exclude the edge as :func:`exitcost.graph._schedule.tier_cost_usd` does for the
    largest volume.
    """
    src = np.asarray(sources, dtype=np.intp)
    vol = np.asarray(volumes_gb, dtype=np.float64)
    v_max = float(vol.max()) if vol.size else 0.0
    compiled.edge_cost_usd(np.asarray([v_max]), beyond_published)  # raise or warn once
    bounds = _breakpoints(compiled, v_max)
    if bounds.size < 2:
        bounds = np.array([0.0, max(v_max, 1.0)])
    intercept, slope = _edge_lines(compiled, bounds, beyond_published)
    n_int, n, n_src = bounds.size - 1, compiled.n_nodes, src.size

    # Both ends of every interval that holds a volume, for its source.
    cell = np.full((n_src, n_int), -1, dtype=np.intp)
    shell = CostEnvelope(bounds, cell, np.zeros((0, n, 1)), np.zeros((0, n, 1)))
    wanted = np.unique(np.asarray(source_rows, dtype=np.intp) * n_int + shell.interval(vol))
    s_idx, j_idx = wanted // n_int, wanted % n_int
    cell[s_idx, j_idx] = np.arange(wanted.size)
    lo, hi = bounds[j_idx], bounds[j_idx + 1]
    probes_s = np.concatenate([s_idx, s_idx])
    probes_j = np.concatenate([j_idx, j_idx])
    dist, b = _solve(
        compiled, intercept, slope, src[probes_s], probes_j, np.concatenate([lo, hi]), reverse
    )
    v_probe = np.concatenate([lo, hi])[:, None]
    with np.errstate(invalid="ignore"):
        a = np.where(np.isfinite(dist), dist - b * v_probe, np.inf)
    half = s_idx.size
    # One task per (cell, node): which cell and node (ids: cell, source row, interval, node),
    # the volumes it spans and the lines found at its two ends (span: lo, hi, a0, b0, a1, b1).
    ids = np.stack(
        [
            np.repeat(np.arange(half), n),
            np.repeat(s_idx, n),
            np.repeat(j_idx, n),
            np.tile(np.arange(n), half),
        ]
    )
    span = np.stack(
        [
            np.repeat(lo, n),
            np.repeat(hi, n),
            a[:half].ravel(),
            b[:half].ravel(),
            a[half:].ravel(),
            b[half:].ravel(),
        ]
    )
    lines = [(ids[0], ids[3], span[2], span[3]), (ids[0], ids[3], span[4], span[5])]
    for _ in range(_MAX_ROUNDS):
        t_lo, t_hi, a0, b0, a1, b1 = span
        with np.errstate(invalid="ignore", divide="ignore"):
            cross = (a1 - a0) / (b0 - b1)
        keep = np.flatnonzero(
            np.isfinite(a0) & np.isfinite(a1) & np.isfinite(cross) & (cross > t_lo) & (cross < t_hi)
        )
        if keep.size == 0:
            break
        ids, span, cross = ids[:, keep], span[:, keep], cross[keep]
        m_cross = span[2] + span[3] * cross
        # Tasks of one source that cross at the same volume share a solve (and its interval).
        probe, first, at = np.unique(
            np.stack([ids[1].astype(np.float64), cross]),
            axis=1,
            return_index=True,
            return_inverse=True,
        )
        dist, slopes = _solve(
            compiled, intercept, slope, src[ids[1, first]], ids[2, first], probe[1], reverse
        )
        m_star, b_star = dist[at.reshape(-1), ids[3]], slopes[at.reshape(-1), ids[3]]
        new = np.flatnonzero(m_star < m_cross - 1e-9 * np.maximum(1.0, np.abs(m_cross)))
        if new.size == 0:
            break
        a_star = m_star[new] - b_star[new] * cross[new]
        ids, span, cross, b_star = ids[:, new], span[:, new], cross[new], b_star[new]
        lines.append((ids[0], ids[3], a_star, b_star))
        # Split: [lo, cross] between line 0 and the new line, [cross, hi] between it and line 1.
        left = np.stack([span[0], cross, span[2], span[3], a_star, b_star])
        right = np.stack([cross, span[1], a_star, b_star, span[4], span[5]])
        ids, span = np.concatenate([ids, ids], axis=1), np.concatenate([left, right], axis=1)
    a_pad, b_pad = _pad_lines(lines, half, n)
    return CostEnvelope(bounds, cell, a_pad, b_pad)


def _pad_lines(
    lines: list[tuple[IntArray, IntArray, FloatArray, FloatArray]], n_cells: int, n: int
) -> tuple[FloatArray, FloatArray]:
    """Lines per (cell, node), padded to ``(n_cells, n_nodes, n_lines)`` with ``inf + 0 v``."""
    # The two end lines come first and fill ranks 0 and 1; bisection lines follow.
    key = np.concatenate([x[0] * n + x[1] for x in lines])
    a = np.concatenate([x[2] for x in lines])
    b = np.concatenate([x[3] for x in lines])
    counts = np.bincount(key, minlength=n_cells * n)
    order = np.argsort(key, kind="stable")
    key, a, b = key[order], a[order], b[order]
    rank = np.arange(key.size) - np.repeat(np.cumsum(counts) - counts, counts)
    n_lines = int(counts.max()) if counts.size else 1
    intercept = np.full((n_cells * n, n_lines), np.inf)
    slope = np.zeros((n_cells * n, n_lines))
    finite = np.isfinite(a)
    intercept[key, rank] = np.where(finite, a, np.inf)
    slope[key, rank] = np.where(finite, b, 0.0)
    return intercept.reshape(n_cells, n, n_lines), slope.reshape(n_cells, n, n_lines)
