"""Data gravity: where the data mass is, how active it is, and what it costs a workload to be
away from it.

Examples
--------
>>> from exitcost.graph.costgraph import CostGraph
>>> g = CostGraph()
>>> g.add_location("aws:us-east-1")
>>> g.add_site("onprem:fra1", kind="onprem")
>>> g.add_edge("aws:us-east-1", "internet", 0.09, transfer_class="internet")
>>> g.add_edge("internet", "onprem:fra1", 0.0, transfer_class="internet")
>>> g.add_edge("onprem:fra1", "internet", 0.0, transfer_class="internet")
>>> g.add_edge("internet", "aws:us-east-1", 0.0, transfer_class="internet")
>>> pull = pull_matrix(
...     g, workloads=["etl"], flow_workload=[0, 0], flow_dataset_location=["aws:us-east-1"] * 2,
...     flow_gb_per_month=[1000.0, 200.0], flow_is_read=[True, False],
... )
>>> pull
dst          aws:us-east-1  onprem:fra1
workload
etl                    0.0         90.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from exitcost._validation import as_array, check_scalar
from exitcost.errors import InvalidParameterError, UnknownLocationError, format_choices
from exitcost.graph._envelope import cheapest_envelope
from exitcost.graph._schedule import EdgeBeyondPublished
from exitcost.graph.costgraph import INTERNET, CostGraph
from exitcost.pricing.policy import as_policy, current_policy, pricing_policy
from exitcost.uncertainty import point

if TYPE_CHECKING:
    from exitcost.estate import Estate

__all__ = ["Gravity", "gravity", "pull_matrix", "top_gravity_pulls", "top_pulls"]

FloatArray = npt.NDArray[np.float64]

LOCATION_COLUMNS = [
    "location", "kind", "provider", "datasets", "data_mass_gb", "read_gb_per_month",
    "write_gb_per_month", "activity_gb_per_month", "remote_activity_gb_per_month",
    "growth_gb_per_month",
]  # fmt: skip

_FLOW_CHUNK = 2048
"""Flows priced per step of :func:`pull_matrix` (bounds memory at chunk x nodes x lines)."""


def pull_matrix(
    graph: CostGraph,
    *,
    workloads: Sequence[str],
    flow_workload: Sequence[int] | npt.NDArray[np.intp],
    flow_dataset_location: Sequence[str],
    flow_gb_per_month: Any,
    flow_is_read: Sequence[bool] | npt.NDArray[np.bool_],
    candidates: Sequence[str] | None = None,
    beyond_published: EdgeBeyondPublished = "error",
) -> pd.DataFrame:
    """Monthly transfer cost of each workload's flows if it ran at each candidate location.

    Parameters
    ----------
    graph : CostGraph
        Where the prices come from.
    workloads : sequence of str
        Workload ids (the rows).
    flow_workload : sequence of int
        Row (index into ``workloads``) of each flow.
    flow_dataset_location : sequence of str
        Location of the dataset each flow reads or writes.
    flow_gb_per_month : numeric
        Volume of each flow. [GB/month]
    flow_is_read : sequence of bool
        True for a read (data moves dataset -> workload), False for a write (workload ->
        dataset).
    candidates : sequence of str, optional
        Candidate locations (the columns); default every node but ``internet``.
    beyond_published : {"error", "extrapolate", "exclude"}
        Handling of volumes beyond an edge's last published tier.

    Returns
    -------
    pandas.DataFrame
        Workloads x candidates, [USD/month]; ``inf`` where some flow has no route to or from
        that candidate.

    Notes
    -----
    ``pull[w, c] = sum over flows f of w of C(v_f)[d_f, c]`` for reads and
    ``C(v_f)[c, d_f]`` for writes, where ``d_f`` is the dataset's location, ``v_f`` the flow's
    monthly volume and ``C(v)`` the cheapest-cost matrix at volume ``v`` (each hop's tiers at
    ``v`` plus its fixed fees). Each flow is priced exactly at its own volume, from the cheapest
    cost of its (dataset location, candidate) pair described once as a piecewise-linear function
    of volume (see :mod:`exitcost.graph._envelope`), so the work grows with the number of
    distinct pairs and flows, not with flows x edges. Each flow is priced stand-alone (its own
    tiers and fees), so a port shared by several flows is counted once per flow: an upper bound
    for shared fixed fees. Flows of 0 GB cost nothing.
    """
    func = "pull_matrix"
    volume = as_array(flow_gb_per_month, name="flow_gb_per_month", func=func).reshape(-1)
    rows = np.asarray(flow_workload, dtype=np.intp).reshape(-1)
    is_read = np.asarray(flow_is_read, dtype=bool).reshape(-1)
    locs = list(flow_dataset_location)
    if not (len(rows) == len(locs) == len(volume) == len(is_read)):
        raise InvalidParameterError(
            f"The flow arrays of {func} must have one entry per flow; got lengths "
            f"{len(rows)}, {len(locs)}, {len(volume)}, {len(is_read)} instead."
        )
    if len(rows) and (rows.min() < 0 or rows.max() >= len(workloads)):
        raise InvalidParameterError(
            f"The 'flow_workload' parameter of {func} must index into 'workloads' "
            f"(0 .. {len(workloads) - 1}). Got {rows.tolist()!r} instead."
        )
    compiled = graph.compile()
    for loc in {*locs, *(candidates or ())}:
        graph._require(loc, func)
    cols = [n for n in compiled.nodes if n != INTERNET] if candidates is None else list(candidates)
    col_idx = np.array([compiled.node_index[c] for c in cols], dtype=np.intp)
    src = np.array([compiled.node_index[loc] for loc in locs], dtype=np.intp)
    pull = np.zeros((len(workloads), len(cols)))
    active = volume > 0
    for reverse, mask in ((False, is_read & active), (True, ~is_read & active)):
        if not mask.any():
            continue
        sources, row_of_flow = np.unique(src[mask], return_inverse=True)
        envelope = cheapest_envelope(
            compiled,
            sources,
            row_of_flow,
            volume[mask],
            reverse=reverse,
            beyond_published=beyond_published,
        )
        flow_rows, flow_volume = rows[mask], volume[mask]
        for start in range(0, flow_rows.size, _FLOW_CHUNK):  # bounded memory
            part = slice(start, start + _FLOW_CHUNK)
            cost = envelope.cost_usd(row_of_flow[part], flow_volume[part])[:, col_idx]
            # Sum each workload's flows: a sparse (workloads x flows) indicator times the costs.
            k = cost.shape[0]
            owner = sp.csr_matrix(
                (np.ones(k), (flow_rows[part], np.arange(k))), shape=(len(workloads), k)
            )
            pull += owner @ cost
    frame = pd.DataFrame(pull, index=pd.Index(list(workloads), name="workload"), columns=cols)
    frame.columns.name = "dst"
    return frame


def top_pulls(gravity_result: Gravity, n: int = 10) -> pd.DataFrame:
    """The workloads most strongly pulled away from where they run, strongest first.

    Columns: ``workload``, ``location`` (where it runs), ``transfer_usd_per_month`` (its flows'
    cost there), ``best_location`` (the cheapest candidate), ``best_transfer_usd_per_month``,
    ``pull_usd_per_month`` (the difference: what the data's gravity costs it each month).
    """
    n_rows = int(check_scalar(n, name="n", func="top_pulls", minimum=0))
    pull = gravity_result.pull_usd_per_month
    here = gravity_result.workload_location
    values = pull.to_numpy()
    cols = list(pull.columns)
    here_idx = np.array([cols.index(loc) for loc in here], dtype=np.intp)
    current = values[np.arange(len(here)), here_idx] if len(here) else np.zeros(0)
    best = np.argmin(values, axis=1) if values.shape[1] else np.zeros(0, dtype=np.intp)
    best_cost = values[np.arange(len(here)), best] if len(here) else np.zeros(0)
    with np.errstate(invalid="ignore"):
        gap = np.where(np.isfinite(current), current - best_cost, np.inf)
    frame = pd.DataFrame(
        {
            "workload": list(pull.index),
            "location": list(here),
            "transfer_usd_per_month": current,
            "best_location": [cols[i] for i in best],
            "best_transfer_usd_per_month": best_cost,
            "pull_usd_per_month": gap,
        }
    )
    frame = frame.sort_values(["pull_usd_per_month", "workload"], ascending=[False, True])
    return frame.head(n_rows).reset_index(drop=True)


@dataclass(frozen=True)
class Gravity:
    """Data gravity of an estate.

    Attributes
    ----------
    locations : pandas.DataFrame
        One row per location: ``kind``, ``provider``, ``datasets`` (count), ``data_mass_gb``,
        ``read_gb_per_month``, ``write_gb_per_month``, ``activity_gb_per_month`` (read +
        written), ``remote_activity_gb_per_month`` (the part by workloads elsewhere),
        ``growth_gb_per_month`` (size x growth rate).
    pull_usd_per_month : pandas.DataFrame
        Workloads x candidate locations: monthly transfer cost of the workload's reads and
        writes if it ran there (see :func:`pull_matrix`). [USD/month]
    workload_location : tuple of str
        Where each workload runs today (row order of the pull matrix).
    """

    locations: pd.DataFrame
    pull_usd_per_month: pd.DataFrame
    workload_location: tuple[str, ...]

    def top_pulls(self, n: int = 10) -> pd.DataFrame:
        """See :func:`top_pulls`."""
        return top_pulls(self, n)


def gravity(
    estate: Estate,
    as_of: Any = None,
    *,
    graph: CostGraph | None = None,
    candidates: Sequence[str] | None = None,
    beyond_published: EdgeBeyondPublished | None = None,
    fallback: str | None = None,
) -> Gravity:
    """Data mass, activity and growth per location, and each workload's pull matrix.

    Parameters
    ----------
    estate : Estate
        The estate (uncertain quantities are taken at their expected value).
    as_of : date, optional
        Price-book date for the graph (default: the estate's own ``as_of``).
    graph : CostGraph, optional
        A graph to price with (default ``CostGraph.from_estate(estate, as_of)``); it must
        contain every estate location.
    candidates : sequence of str, optional
        Candidate locations (default: every location of the graph except ``internet``); the
        workloads' own locations are always added.
    beyond_published : {"error", "extrapolate", "exclude"}, optional
        Handling of volumes beyond an edge's last published tier; None takes the pricing
        policy in force (:func:`exitcost.pricing.policy.current_policy`, strict by default).
    fallback : {None, "nearest"}, optional
        A price the books do not give while building the graph (a region whose internet egress
        is unpublished): raise, or borrow the same provider's nearest priced region's price on
        the same continent (label ``R``). None takes the pricing policy in force. Ignored when
        ``graph`` is given (it is already priced).

    Returns
    -------
    Gravity

    Notes
    -----
    For a location :math:`\\ell` with datasets :math:`D_\\ell`:

    - data mass :math:`M_\\ell = \\sum_{d \\in D_\\ell} s_d` (GB),
    - activity :math:`A_\\ell = \\sum_{f \\to d \\in D_\\ell} v_f` (GB/month read and written by
      all workloads), of which remote activity comes from workloads at other locations,
    - growth :math:`G_\\ell = \\sum_{d \\in D_\\ell} s_d\\, g_d` (GB/month; ``g`` is the growth rate
      per month).

    The pull of the data on workload :math:`w` at candidate :math:`c` is the monthly transfer
    cost :math:`P_{wc} = \\sum_{f \\in w} C(v_f)[d_f, c]` (reads; :math:`C(v_f)[c, d_f]` for
    writes), with :math:`C(v)` the cheapest-cost matrix at volume :math:`v`.

    Relation to the Data Gravity Index: Digital Realty's index (first published in September
    2020, see Data Center Frontier, 2020-09-30; "DGx 2.0" report, 2023) scores metros, not
    companies, for the intensity of enterprise data created, stored and exchanged there,
    from market data. It builds on Dave McCrory's gravity analogy (datagravity.org,
    2012-06-26) and combines data mass and data activity with the bandwidth available and the
    latency to reach the data, latency playing the part of distance. Ours keeps the mass and
    activity terms, measured from one company's estate, and replaces bandwidth and latency
    (how hard the data is to reach) by what reaching it costs each month on the cheapest
    priced path. The pull is therefore in USD/month and adds up across workloads, which an
    index score does not; it says nothing about latency.

    The costs are what the cheapest path *offered by the graph* would cost, including
    interconnects the books offer but the estate may not have yet; the baseline
    (:func:`exitcost.graph.baseline_cost`) bills today's paths instead, so for a workload's
    own location the two can differ. Sizes are the estate's (not grown to ``as_of``, which
    only chooses the price books).
    """
    _require_estate(estate, "gravity")
    if graph is None:
        with pricing_policy(as_policy(fallback=fallback, func="gravity")):
            graph = CostGraph.from_estate(estate, as_of=as_of)
    missing = [loc.id for loc in estate.locations if loc.id not in graph.graph]
    if missing:
        raise UnknownLocationError(
            f"The graph passed to gravity lacks estate location(s) {format_choices(missing)}; "
            "build it with CostGraph.from_estate(estate) or add them with add_location/add_site."
        )
    loc_ids = [loc.id for loc in estate.locations]
    loc_pos = {loc: i for i, loc in enumerate(loc_ids)}
    ds_loc = np.array([loc_pos[d.location] for d in estate.datasets], dtype=np.intp)
    size = np.array([point(d.size_gb) for d in estate.datasets], dtype=np.float64)
    rate = np.array([point(d.growth_rate_per_month) for d in estate.datasets], dtype=np.float64)
    n_loc = len(loc_ids)
    count = np.bincount(ds_loc, minlength=n_loc).astype(np.int64)
    mass = np.bincount(ds_loc, weights=size, minlength=n_loc)
    growth = np.bincount(ds_loc, weights=size * rate, minlength=n_loc)

    work_ids = [w.id for w in estate.workloads]
    work_pos = {w: i for i, w in enumerate(work_ids)}
    flows = list(estate.iter_flows())
    f_work = np.array([work_pos[w.id] for w, _, _ in flows], dtype=np.intp)
    f_read = np.array([kind == "read" for _, kind, _ in flows], dtype=bool)
    f_vol = np.array([point(f.gb_per_month) for _, _, f in flows], dtype=np.float64)
    f_dloc = [estate.dataset(f.dataset).location for _, _, f in flows]
    f_dpos = np.array([loc_pos[d] for d in f_dloc], dtype=np.intp)
    f_remote = np.array(
        [w.location != d for (w, _, _), d in zip(flows, f_dloc, strict=True)], dtype=bool
    )
    read = np.bincount(f_dpos, weights=f_vol * f_read, minlength=n_loc)
    write = np.bincount(f_dpos, weights=f_vol * ~f_read, minlength=n_loc)
    remote = np.bincount(f_dpos, weights=f_vol * f_remote, minlength=n_loc)
    locations = pd.DataFrame(
        {
            "location": loc_ids,
            "kind": [loc.kind for loc in estate.locations],
            "provider": [loc.provider for loc in estate.locations],
            "datasets": count,
            "data_mass_gb": mass,
            "read_gb_per_month": read,
            "write_gb_per_month": write,
            "activity_gb_per_month": read + write,
            "remote_activity_gb_per_month": remote,
            "growth_gb_per_month": growth,
        },
        columns=LOCATION_COLUMNS,
    )
    if candidates is not None:
        wanted = list(dict.fromkeys(candidates))
        candidates = wanted + [w.location for w in estate.workloads if w.location not in wanted]
        candidates = list(dict.fromkeys(candidates))
    pull = pull_matrix(
        graph,
        workloads=work_ids,
        flow_workload=f_work,
        flow_dataset_location=f_dloc,
        flow_gb_per_month=f_vol,
        flow_is_read=f_read,
        candidates=candidates,
        beyond_published=(
            current_policy().beyond_published if beyond_published is None else beyond_published
        ),
    )
    here = tuple(w.location for w in estate.workloads)
    return Gravity(locations, pull, here)


def top_gravity_pulls(estate: Estate, as_of: Any = None, n: int = 10) -> pd.DataFrame:
    """The ``n`` workloads most pulled away from where they run (see :func:`top_pulls`).

    Prices with ``CostGraph.from_estate(estate, as_of)``; ``as_of`` None means the estate's date.
    For a :class:`Gravity` you already have, call its ``top_pulls(n)``.
    """
    _require_estate(estate, "top_gravity_pulls")
    return gravity(estate, as_of).top_pulls(n)


def _require_estate(estate: Any, func: str) -> None:
    if isinstance(estate, Gravity):
        raise InvalidParameterError(
            f"The 'estate' parameter of {func} must be an Estate. Got a Gravity instead: call "
            "its top_pulls(n) method."
        )
    if not all(hasattr(estate, a) for a in ("locations", "datasets", "workloads", "as_of")):
        raise InvalidParameterError(
            f"The 'estate' parameter of {func} must be an Estate (exitcost.sample_estate() or "
            f"Estate.from_yaml(path)). Got {type(estate).__name__} instead."
        )
