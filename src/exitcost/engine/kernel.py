"""The month-by-month kernel: every plan's costs for a block of scenarios, as arrays.

:func:`draw_inputs` samples the model's uncertain inputs for scenarios ``[first, last)`` from
seeded streams, one per block of :data:`BLOCK` scenarios (``SeedSequence(seed,
spawn_key=(block,))``), so a scenario's inputs never depend on the chunk it is computed in.
:func:`evaluate` prices one plan for a matrix of inputs, vectorised over (scenario, month,
element): no Python loop over scenarios, months, workloads or datasets (loops run over the
handful of billing accounts, site targets, tiered storage schedules and providers).

The work is split by what it depends on, so that each part is done once:

- :class:`Layout` (the model and the horizon): the billing groups (each cloud provider, and
  one group for the owned sites, whose prices do not drift), each dataset's size month by month
  at its stated values, the providers' committed floors, and which elements are uncertain;
- :class:`PlanArrays` (one plan on that layout): where each workload runs and each dataset
  sits month by month, as matrices over the elements; the part of every cost that no sampled
  input touches, already summed; the site loads; the data move's order and prices;
- :class:`ScenarioArrays` (one chunk of scenarios, shared by its plans): the price drift and
  the sampled sizes, spends and volumes;
- :func:`evaluate` (plan x chunk): only what the samples change. A cost linear in the inputs
  is the fixed part plus one small matrix product over the uncertain elements; costs stay per
  billing group (not per location) except internet egress, whose tiers are per source
  location, account and month. Costs are laid out category first, ``(K, S, T)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from exitcost.categories import COST_CATEGORIES
from exitcost.effort.transfer import transfer_days
from exitcost.engine.plans import ResolvedPlan
from exitcost.estate.model import SITE_KINDS
from exitcost.facilities import owned_site_costs
from exitcost.model import Model
from exitcost.pricing.tiers import (
    TierSchedule,
    allowance_split,
    evaluate_tiers,
    schedule_lines,
)
from exitcost.uncertainty import Pert

__all__ = [
    "BLOCK",
    "DAYS_PER_MONTH",
    "Inputs",
    "Layout",
    "PlanArrays",
    "PlanCosts",
    "ScenarioArrays",
    "draw_inputs",
    "evaluate",
    "layout",
    "prepare",
    "scenario_arrays",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

BLOCK: Final[int] = 1024
"""Scenarios per random stream: the unit of reproducibility across chunk sizes and backends."""

DAYS_PER_MONTH: Final[float] = 365.25 / 12.0
"""Average days in a month, to place a data move of so many days on the monthly time line."""

_K = {c: i for i, c in enumerate(COST_CATEGORIES)}
_DRIFT = ("compute", "storage", "egress")
_CLASSES: Final[int] = 5
"""Storage classes per location in the model's padded storage tables."""
_SAMPLED = (
    "dataset_size_gb",
    "dataset_growth_rate_per_month",
    "workload_compute_usd_per_month",
    "workload_internet_egress_gb_per_month",
    "flow_gb_per_month",
)


def _pert(triple: tuple[float, float, float]) -> Pert:
    return Pert(low=triple[0], mode=triple[1], high=triple[2])


def overrun_mean(model: Model) -> float:
    """Mean of the reference-class overrun mixture (the factor the draws are divided by)."""
    o = model.defaults.overrun
    p = o.black_swan_probability
    return (1.0 - p) * _pert(o.regular).mean() + p * _pert(o.black_swan).mean()


def cloud_providers(model: Model) -> tuple[str, ...]:
    """Cloud providers of the model, in the order the price-drift inputs are drawn."""
    kinds = zip(model.location_provider, model.location_kind, strict=True)
    return tuple(sorted({p for p, k in kinds if k == "cloud"}))


@dataclass(frozen=True)
class Inputs:
    """Sampled inputs of ``n`` scenarios: one column per uncertain input of the model."""

    values: FloatArray  # (n, n_model_inputs)
    overrun: FloatArray  # (n,), mean 1
    drift: FloatArray  # (n, n_cloud_providers, 3), per year

    @property
    def n(self) -> int:
        return int(self.overrun.shape[0])


def expected_inputs(model: Model) -> Inputs:
    """Every input at its mean (the expected-value future)."""
    drift = model.defaults.price_drift_per_year
    mean = np.array([np.mean(getattr(drift, c)) for c in _DRIFT])
    n_p = len(cloud_providers(model))
    return Inputs(
        values=np.array([[x.mean for x in model.inputs]], dtype=np.float64).reshape(1, -1),
        overrun=np.ones(1),
        drift=np.broadcast_to(mean, (1, n_p, 3)).copy(),
    )


def _draw_block(model: Model, seed: int, block: int) -> Inputs:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
    cols = [
        np.asarray(x.distribution.draw(BLOCK, rng), dtype=np.float64) for x in model.inputs
    ]  # one column per uncertain input of the estate (not a loop over scenarios)
    values = np.stack(cols, axis=1) if cols else np.zeros((BLOCK, 0))
    for j, x in enumerate(model.inputs):
        floor = -1.0 if x.target == "dataset_growth_rate_per_month" else 0.0
        values[:, j] = np.maximum(values[:, j], floor)
    o = model.defaults.overrun
    swan = rng.random(BLOCK) < o.black_swan_probability
    regular = _pert(o.regular).draw(BLOCK, rng)
    black = _pert(o.black_swan).draw(BLOCK, rng)
    overrun = np.where(swan, black, regular) / overrun_mean(model)
    drift_def = model.defaults.price_drift_per_year
    n_p = len(cloud_providers(model))
    lows = np.array([getattr(drift_def, c)[0] for c in _DRIFT])
    highs = np.array([getattr(drift_def, c)[1] for c in _DRIFT])
    drift = lows + (highs - lows) * rng.random((BLOCK, n_p, 3))
    return Inputs(values=values, overrun=overrun, drift=drift)


def draw_inputs(model: Model, seed: int, first: int, last: int) -> Inputs:
    """Inputs of scenarios ``first`` to ``last - 1``, the same whatever the chunking."""
    blocks = range(first // BLOCK, (last - 1) // BLOCK + 1) if last > first else range(0)
    parts = [_draw_block(model, seed, b) for b in blocks]  # a few blocks per chunk
    if not parts:
        n_p = len(cloud_providers(model))
        return Inputs(np.zeros((0, len(model.inputs))), np.zeros(0), np.zeros((0, n_p, 3)))
    lo = first - blocks[0] * BLOCK
    hi = lo + (last - first)
    return Inputs(
        values=np.concatenate([p.values for p in parts])[lo:hi],
        overrun=np.concatenate([p.overrun for p in parts])[lo:hi],
        drift=np.concatenate([p.drift for p in parts])[lo:hi],
    )


def _overlap(start: Any, end: Any, t: FloatArray) -> FloatArray:
    """Share of each month ``t`` inside ``[start, end)`` (months on the last axis)."""
    s = np.asarray(start, dtype=np.float64)[..., None]
    e = np.asarray(end, dtype=np.float64)[..., None]
    out: FloatArray = np.clip(np.minimum(t + 1.0, e) - np.maximum(t, s), 0.0, 1.0)
    return out


def _onehot(index: Any, n: int) -> FloatArray:
    """Rows of the identity: ``out[i, index[i]] = 1``."""
    idx = np.asarray(index, dtype=np.int64)
    out = np.zeros((idx.size, n))
    out[np.arange(idx.size), idx] = 1.0
    return out


# ---------------------------------------------------------------------------- the layout


@dataclass(frozen=True, eq=False)
class Layout:
    """What depends only on the model and the horizon (built once per :func:`simulate` call).

    Billing groups ``G``: each cloud provider (in :func:`cloud_providers` order), then one group
    for every site (own sites' prices do not drift). ``sampled[target]`` holds the input
    columns and element indices of each sampled model array; ``size_sampled`` the datasets
    whose size or growth is sampled; ``size_gb`` each dataset's size month by month at its
    stated values (T, D); ``floors_usd`` each provider's committed floor per month (T, P).
    """

    months: int
    t: FloatArray
    providers: tuple[str, ...]
    group: IntArray  # (L,)
    loc_group: FloatArray  # (L, G)
    sampled: dict[str, tuple[IntArray, IntArray]]
    size_sampled: IntArray
    size_gb: FloatArray
    floors_usd: FloatArray
    bound: IntArray  # providers with a committed floor in some month

    @property
    def n_groups(self) -> int:
        return len(self.providers) + 1


def layout(model: Model, months: int) -> Layout:
    """The :class:`Layout` of ``model`` over ``months`` months."""
    providers = cloud_providers(model)
    group = np.array(
        [
            providers.index(p) if k == "cloud" else len(providers)
            for p, k in zip(model.location_provider, model.location_kind, strict=True)
        ],
        dtype=np.int64,
    )
    t = np.arange(months, dtype=np.float64)
    sampled: dict[str, tuple[IntArray, IntArray]] = {}
    for target in _SAMPLED:
        pairs = [(j, x.index) for j, x in enumerate(model.inputs) if x.target == target]
        cols = np.array([j for j, _ in pairs], dtype=np.int64)
        where = np.array([i for _, i in pairs], dtype=np.int64)
        sampled[target] = (cols, where)
    size_sampled = np.unique(
        np.concatenate([sampled["dataset_size_gb"][1], sampled["dataset_growth_rate_per_month"][1]])
    ).astype(np.int64)
    floors = _floors(model, providers, months)
    size_gb = model.dataset_size_gb[None, :] * np.power(
        1.0 + model.dataset_growth_rate_per_month[None, :], t[:, None]
    )
    return Layout(
        months=months,
        t=t,
        providers=providers,
        group=group,
        loc_group=_onehot(group, len(providers) + 1),
        sampled=sampled,
        size_sampled=size_sampled,
        size_gb=size_gb,
        floors_usd=floors,
        bound=np.flatnonzero((floors > 0).any(axis=0)).astype(np.int64),
    )


def _floors(model: Model, providers: tuple[str, ...], months: int) -> FloatArray:
    """Each provider's committed floor per month (T, P): max(minimum spend, other terms)."""
    t = np.arange(months)[:, None]
    kinds = np.array(model.contract_kind, dtype=object)
    committed = np.isin(
        kinds, ["minimum_spend", "savings_plan", "reserved_capacity", "committed_use"]
    )
    in_force = (t >= model.contract_start_month[None]) & (t <= model.contract_end_month[None])
    usd = np.where(in_force & committed[None], model.contract_usd_per_month[None], 0.0)  # (T,C)
    minimum = kinds == "minimum_spend"
    prov = np.array(model.contract_provider, dtype=object)
    out = np.zeros((months, len(providers)))
    for j, name in enumerate(providers):  # a handful of providers
        mine = prov == name
        out[:, j] = np.maximum(usd[:, mine & minimum].sum(1), usd[:, mine & ~minimum].sum(1))
    return out


def _move_ends(duration_months: FloatArray, start_month: FloatArray) -> FloatArray:
    """When each move ends, datasets one after another on the path (last axis), none before
    its start month: the end of move ``d`` is ``max over i <= d of start[i] + sum of the
    durations i..d``."""
    cum = np.cumsum(duration_months, axis=-1)
    out: FloatArray = cum + np.maximum.accumulate(start_month - (cum - duration_months), axis=-1)
    return out


def _move_window(
    model: Model, lay: Layout, order: IntArray, start: FloatArray, days_per_gb: float
) -> tuple[int, int]:
    """Months ``[w0, w1)`` in which a moved dataset may be in flight, in any future.

    A dataset's move ends latest when every dataset before it on the path is as large as its
    sampled size and growth allow (a move's end only grows with the durations before it).
    """
    if order.size == 0:
        return 0, 0
    size = model.dataset_size_gb.copy()
    growth = model.dataset_growth_rate_per_month.copy()
    for x in model.inputs:  # a few uncertain inputs
        if x.target in ("dataset_size_gb", "dataset_growth_rate_per_month"):
            high = float(x.distribution.support()[1]) if x.distribution is not None else x.high
            (size if x.target == "dataset_size_gb" else growth)[x.index] = high
    with np.errstate(over="ignore", invalid="ignore"):
        vol = size[order] * np.power(1.0 + growth[order], start)
        end = float(_move_ends(vol * (days_per_gb / DAYS_PER_MONTH), start).max())
    w0 = max(int(np.floor(start.min())) - 1, 0)
    w1 = lay.months if not np.isfinite(end) else min(int(np.ceil(end)) + 1, lay.months)
    return min(w0, lay.months), max(w1, min(w0, lay.months))


def _fixed_and_sampled(
    basis: FloatArray, stated: FloatArray, sampled: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Split ``stated @ basis`` (basis (E, T, C)) into the part of the elements not sampled,
    summed, (T, C), and the flattened rows of the sampled ones, (E_s, T * C)."""
    n_e, n_t, n_c = basis.shape
    keep = np.ones(n_e, dtype=bool)
    keep[sampled] = False
    flat = basis.reshape(n_e, n_t * n_c)
    fixed = (stated[keep] @ flat[keep]).reshape(n_t, n_c)
    return fixed, np.ascontiguousarray(flat[sampled])


# ---------------------------------------------------------------------------- one plan


@dataclass(frozen=True, eq=False)
class _Site:
    """A site the plan moves into: its load month by month."""

    first_month: int
    vcpus: FloatArray  # (T,)
    memory_gib: FloatArray
    gpus: FloatArray
    spend_share: FloatArray  # (W, T): spend-only workloads' compute it takes over
    spend_varies: bool  # whether a sampled spend is among them
    spend_usd: FloatArray  # (T,) that compute at the stated spends
    datasets_in: IntArray  # positions among the moved datasets of those that land there
    after_gb: FloatArray  # (T - w1,) stated sizes of what it holds after the window
    after_sampled: IntArray  # positions in Layout.size_sampled of the sampled ones landing there


@dataclass(frozen=True, eq=False)
class PlanArrays:
    """One plan on a :class:`Layout`: everything about it that no sampled input changes.

    Fixed parts are (T, G) or (T, Ls) sums over the elements whose inputs are not sampled;
    ``*_basis`` rows spread a sampled element's value over (month, column). ``senders`` are
    the locations that can send internet traffic under this plan (the columns ``Ls``).
    """

    plan: ResolvedPlan
    moves: bool
    # compute, dual running and labour
    compute_fixed: FloatArray  # (T, G)
    compute_basis: FloatArray  # (W_s, T*G)
    dual_usd: FloatArray  # (T, G) before overrun
    labour_usd: FloatArray  # (T,) before overrun
    # traffic
    senders: IntArray  # (Ls,)
    internet_fixed: FloatArray  # (T, Ls) GB
    internet_basis: FloatArray  # (W_s, T*Ls)
    backbone_fixed: FloatArray  # (T, G) USD
    backbone_varies: bool  # whether a sampled flow or an arrival changes it
    recurring_fixed: FloatArray  # (T, Ls) USD of internet egress where no sample changes it
    varying_senders: IntArray  # columns whose volume (or account) a sample changes
    flow_basis: FloatArray  # (F_s, T*(G+Ls)): backbone USD and internet GB per GB of a flow
    arrive_dataset: IntArray  # (J,) moved-dataset position of each arrival unit
    arrive_flow: IntArray  # (J,) sampled-flow column of the unit, -1 for a fixed sum
    arrive_change: FloatArray  # (Tw, J, G+Ls) change of traffic once the unit's dataset arrived
    # storage
    # the keys a sample or a move in flight changes (Kv); the others are in storage_fixed_usd
    key_group_index: IntArray  # (Kv,) billing group of each key
    key_flat_usd: FloatArray  # (Kv, G) rate per GB-month into its group (0 for tiered keys)
    key_tiers: tuple[tuple[int, FloatArray, FloatArray, Any], ...]  # key, edges, rates, lines
    stored_fixed: FloatArray  # (T, Kv): datasets at stated sizes (in the window: staying ones)
    storage_fixed_usd: FloatArray  # (T, G) storage of the other keys
    sampled_keys: tuple[FloatArray, FloatArray, FloatArray]  # (D_s, Kv) before/in/after window
    window: tuple[int, int]  # months [w0, w1) in which some moved dataset may be in flight
    moved: IntArray  # (Dm,) moved datasets, in the order they share the path
    moved_sampled: IntArray  # (Dm,) position in Layout.size_sampled, -1 when not sampled
    moved_keys: FloatArray  # (2 Dm, Kv): each moved dataset's key at its origin, at its target
    # the data move
    start_month: FloatArray  # (Dm,)
    days_per_gb: float
    source_onehot: FloatArray  # (Dm, Ls) the origin's column in ``senders`` (none if unpriced)
    retrieval_usd_per_gb: FloatArray  # (Dm,)
    requests_usd: FloatArray  # (Dm,) the requests of reading the whole dataset back
    window_days: FloatArray  # (Dm,) waiver window of the origin (0 without a waiver)
    sites: tuple[_Site, ...]


def prepare(model: Model, lay: Layout, plan: ResolvedPlan) -> PlanArrays:
    """The :class:`PlanArrays` of ``plan`` (no sampled input is read)."""
    n_t, n_l, n_g = lay.months, model.n_locations, lay.n_groups
    n_w, n_d = model.n_workloads, model.n_datasets
    t = lay.t
    p = model.prices

    # ---- compute where each workload runs, dual running, labour
    at_target_usd = model.compute_usd_per_month_at(plan.workload_target)
    ratio = np.divide(
        at_target_usd,
        model.workload_compute_usd_per_month,
        out=np.ones(n_w),
        where=model.workload_compute_usd_per_month > 0,
    )
    site_target = np.array([model.location_kind[i] in SITE_KINDS for i in plan.workload_target])
    w_moved = plan.workload_moved
    runs_target = w_moved & ~plan.workload_retired & ~site_target
    ratio = np.where(runs_target, np.nan_to_num(ratio), 0.0)
    ms = plan.workload_move_start
    share_o = np.where(w_moved[None, :], np.clip(ms[None, :] - t[:, None], 0.0, 1.0), 1.0)
    share_t = np.where(runs_target[None, :], np.clip(t[:, None] + 1.0 - ms[None, :], 0, 1), 0)
    group_o = lay.loc_group[model.workload_location]  # (W, G)
    group_t = lay.loc_group[plan.workload_target]
    basis = (
        share_o.T[:, :, None] * group_o[:, None, :]
        + (ratio * share_t).T[:, :, None] * group_t[:, None, :]
    )
    compute_fixed, compute_basis = _fixed_and_sampled(
        basis,
        model.workload_compute_usd_per_month,
        lay.sampled["workload_compute_usd_per_month"][1],
    )
    window = model.workload_duration_months + model.workload_hypercare_months
    dual_rate = np.divide(
        model.workload_dual_running_usd, window, out=np.zeros(n_w), where=window > 0
    )
    dual_share = np.where(w_moved[:, None], _overlap(ms, ms + window, t), 0.0)  # (W,T)
    dual_usd = (dual_rate[:, None] * dual_share).T @ group_o
    ls = plan.labour_start
    lab_len = np.maximum(model.workload_duration_months, 1e-9)
    lab_share = np.where(w_moved[:, None], _overlap(ls, ls + lab_len, t) / lab_len[:, None], 0.0)
    labour_usd = model.workload_labour_usd @ lab_share

    # ---- the data move's window: months [w0, w1) hold every month in which a moved dataset
    # can be in flight in any future (its latest end from the supports of the sampled sizes
    # and growths); before it every moved dataset is at its origin, after it at its target
    order = plan.data_order
    days_per_gb = float(transfer_days(1.0, plan.bandwidth_gbps)) if order.size else 0.0
    w0, w1 = _move_window(model, lay, order, plan.dataset_start[order], days_per_gb)

    # ---- traffic: where each workload serves from, month by month, and each flow's path
    w_loc = np.where(
        t[:, None] >= plan.workload_switch[None, :],
        plan.workload_target,
        model.workload_location[None, :],
    ).astype(np.int64)  # (T,W)
    o_loc = model.dataset_location
    t_loc = plan.dataset_target
    moved_mask = plan.dataset_moved
    kind = np.array(model.location_kind)
    cloud = kind == "cloud"
    prov = np.unique(np.array(model.location_provider), return_inverse=True)[1]
    fw, fd = model.flow_workload, model.flow_dataset
    n_f = fw.size
    flows: list[tuple[IntArray, FloatArray, FloatArray]] = []  # per state: src, USD/GB, net
    if n_f:
        wl_t = w_loc[:, fw]  # (T,F)
        for here in (o_loc[fd], t_loc[fd]):  # the dataset at its origin, then at its target
            d_t = np.broadcast_to(here[None, :], wl_t.shape)
            src = np.where(model.flow_read[None, :], d_t, wl_t)
            dst = np.where(model.flow_read[None, :], wl_t, d_t)
            backbone = cloud[src] & cloud[dst] & (prov[src] == prov[dst])
            cross = src != dst
            rate_bb = np.where(backbone & cross, p.inter_region_usd_per_gb[src, dst], 0.0)
            net = (cross & ~backbone).astype(np.float64)
            flows.append((src, rate_bb, net))
    inet_stated = model.workload_internet_egress_gb_per_month
    inet_where = lay.sampled["workload_internet_egress_gb_per_month"][1]
    may_send = inet_stated > 0
    may_send[inet_where] = True
    send = np.zeros(n_l, dtype=bool)
    send[w_loc[:, may_send].ravel()] = True
    for src, _, net in flows:
        send[src[net > 0]] = True
    send[o_loc[order]] = True
    senders = np.flatnonzero(send & np.array([s is not None for s in p.egress_schedules]))
    n_s_loc = senders.size
    column = np.full(n_l, -1, dtype=np.int64)
    column[senders] = np.arange(n_s_loc)

    place = np.zeros((n_w, n_t, n_s_loc))
    reach = column[w_loc.T]  # (W,T)
    wi, ti = np.nonzero(reach >= 0)
    place[wi, ti, reach[wi, ti]] = 1.0
    internet_fixed, internet_basis = _fixed_and_sampled(place, inet_stated, inet_where)

    n_c = n_g + n_s_loc  # traffic columns: backbone USD per group, internet GB per sender
    per_gb: list[FloatArray] = []
    for src, rate_bb, net in flows:
        cols = np.zeros((n_f, n_t, n_c))
        fi, tm = np.meshgrid(np.arange(n_f), np.arange(n_t), indexing="ij")
        cols[fi, tm, lay.group[src.T]] = rate_bb.T
        sc = column[src.T]
        ok = sc >= 0
        cols[fi[ok], tm[ok], n_g + sc[ok]] += net.T[ok]
        per_gb.append(cols)
    flow_where = lay.sampled["flow_gb_per_month"][1]
    if n_f:  # the flows as if their datasets stayed, then as they are once every one arrived
        settled = np.concatenate([per_gb[0][:, :w1], per_gb[1][:, w1:]], axis=1)
        both_fixed, flow_basis = _fixed_and_sampled(settled, model.flow_gb_per_month, flow_where)
    else:
        both_fixed, flow_basis = np.zeros((n_t, n_c)), np.zeros((0, n_t * n_c))
    internet_fixed = internet_fixed + both_fixed[:, n_g:]
    backbone_fixed = both_fixed[:, :n_g]

    # a moved dataset's flows change once it has arrived: one unit per moved dataset for its
    # flows of stated volume, one per sampled flow
    position = np.full(n_d, -1, dtype=np.int64)
    position[order] = np.arange(order.size)
    arrive_d = np.zeros(0, dtype=np.int64)
    arrive_f = np.zeros(0, dtype=np.int64)
    changes = np.zeros((0, n_t, n_c))
    if n_f and order.size:
        change = per_gb[1] - per_gb[0]  # (F,T,C)
        sampled_flow = np.full(n_f, -1, dtype=np.int64)
        sampled_flow[flow_where] = np.arange(flow_where.size)
        changed = change.any(axis=(1, 2)) & moved_mask[fd]
        # one unit per moved dataset for its flows of stated volume, summed ...
        stated_f = np.flatnonzero(changed & (sampled_flow < 0))
        by_unit = stated_f[np.argsort(position[fd[stated_f]], kind="stable")]
        units, first = np.unique(position[fd[by_unit]], return_index=True)  # move order
        weighted = change[by_unit] * model.flow_gb_per_month[by_unit, None, None]
        summed = (
            np.add.reduceat(weighted, first, axis=0) if by_unit.size else np.zeros((0, n_t, n_c))
        )
        # ... and one per sampled flow
        own_f = np.flatnonzero(changed & (sampled_flow >= 0))
        arrive_d = np.concatenate([units, position[fd[own_f]]]).astype(np.int64)
        arrive_f = np.concatenate([np.full(units.size, -1), sampled_flow[own_f]]).astype(np.int64)
        changes = np.concatenate([summed, change[own_f]])
    arrive_change = changes.transpose(1, 0, 2)[w0:w1]  # (Tw,J,C)

    # internet egress of the senders whose volume no sample changes (nor their account's
    # other senders'), priced once here; the others per scenario
    varies = np.zeros(n_s_loc, dtype=bool)
    varies |= internet_basis.reshape(-1, n_t, n_s_loc).any(axis=(0, 1)) if n_s_loc else varies
    varies |= flow_basis.reshape(-1, n_t, n_c)[..., n_g:].any(axis=(0, 1)) if n_c else varies
    varies |= arrive_change[..., n_g:].any(axis=(0, 1))
    accounts = np.array([model.location_account[i] for i in senders], dtype=object)
    varies |= np.isin(accounts, accounts[varies]) & (kind[senders] == "cloud")
    varying_senders = np.flatnonzero(varies).astype(np.int64)
    recurring_fixed = np.zeros((n_t, n_s_loc))
    fixed_cols = np.flatnonzero(~varies)
    if fixed_cols.size:
        recurring_fixed[:, fixed_cols] = _egress(
            model, senders[fixed_cols], internet_fixed[None][..., fixed_cols]
        )[0]

    # ---- storage per (location, class) actually used
    cls = model.dataset_storage_class
    keys_o = o_loc * _CLASSES + cls
    keys_t = t_loc * _CLASSES + cls
    keys = np.unique(np.concatenate([keys_o, keys_t[moved_mask]])).astype(np.int64)
    pos = np.searchsorted(keys, keys_o)
    edges = p.storage_edges_gb.reshape(n_l * _CLASSES, -1)[keys]
    rates = np.nan_to_num(p.storage_rates_usd_per_gb_month.reshape(n_l * _CLASSES, -1)[keys])
    tiers = []
    for j in range(keys.size):  # a few storage schedules
        bands = np.isfinite(edges[j])
        if bands.sum() > 1:
            e, r = edges[j][bands], rates[j][bands]
            tiers.append((j, e, r, schedule_lines(e, r)))
    stays = ~moved_mask
    sampled_pos = np.full(n_d, -1, dtype=np.int64)
    sampled_pos[lay.size_sampled] = np.arange(lay.size_sampled.size)
    one_o = _onehot(pos, keys.size)  # (D,Ku)
    one_t = np.zeros_like(one_o)
    one_t[order] = _onehot(np.searchsorted(keys, keys_t[order]), keys.size)
    # the storage key of each dataset before, inside and after the window (inside it the moved
    # datasets are priced per scenario, from their shares of each month)
    by_region = (
        one_o,
        np.where(stays[:, None], one_o, 0.0),
        np.where(stays[:, None], one_o, one_t),
    )
    stated = sampled_pos < 0
    stored_fixed = np.zeros((n_t, keys.size))
    for (a, b), key in zip(((0, w0), (w0, w1), (w1, n_t)), by_region, strict=True):
        stored_fixed[a:b] = lay.size_gb[a:b, stated] @ key[stated]
    group_index = lay.group[keys // _CLASSES]
    tiered = np.isin(np.arange(keys.size), [j for j, *_ in tiers])
    flat_usd = np.where(tiered[:, None], 0.0, rates[:, :1] * lay.loc_group[keys // _CLASSES])
    sampled_keys = [np.ascontiguousarray(key[lay.size_sampled]) for key in by_region]
    moved_keys = np.concatenate([one_o[order], one_t[order]])
    # the keys no sample and no move in flight changes are priced once, here
    varies = np.zeros(keys.size, dtype=bool)
    for (a, b), key in zip(((0, w0), (w0, w1), (w1, n_t)), sampled_keys, strict=True):
        varies |= key.any(axis=0) & (b > a)
    if order.size and w1 > w0:
        varies |= moved_keys.any(axis=0)
    var, fix = np.flatnonzero(varies), np.flatnonzero(~varies)
    storage_fixed_usd = stored_fixed[:, fix] @ flat_usd[fix]  # (T,G)
    for j, e, r, lines in tiers:  # a few tiered storage schedules
        if not varies[j]:
            storage_fixed_usd[:, group_index[j]] += evaluate_tiers(stored_fixed[:, j], e, r, lines)
    at = np.full(keys.size, -1, dtype=np.int64)
    at[var] = np.arange(var.size)

    # ---- the data move
    src_o = o_loc[order]
    window_days = (p.exit_window_days[src_o] if plan.exit_waiver else np.zeros(order.size)).astype(
        np.float64
    )

    # ---- sites the plan moves into
    sites = []
    ds = lay.size_sampled
    for site_loc, opens in plan.site_in_service.items():  # a handful of site targets
        into = (plan.workload_target == site_loc) & w_moved & ~plan.workload_retired
        share = np.where(into[None, :], np.clip(t[:, None] + 1.0 - ms[None, :], 0, 1), 0.0)
        sized_by_spend = model.workload_spend_only & into
        sites.append(
            _Site(
                first_month=min(int(opens), n_t - 1),
                vcpus=share @ model.workload_vcpus,
                memory_gib=share @ model.workload_memory_gib,
                gpus=share @ model.workload_gpus,
                spend_share=(share * sized_by_spend[None, :]).T.copy(),
                spend_varies=bool(
                    sized_by_spend[lay.sampled["workload_compute_usd_per_month"][1]].any()
                ),
                spend_usd=model.workload_compute_usd_per_month @ (share * sized_by_spend).T,
                datasets_in=np.flatnonzero(t_loc[order] == site_loc).astype(np.int64),
                after_gb=lay.size_gb[w1:, (t_loc == site_loc) & moved_mask & stated].sum(-1),
                after_sampled=np.flatnonzero((t_loc[ds] == site_loc) & moved_mask[ds]),
            )
        )

    return PlanArrays(
        plan=plan,
        moves=bool(w_moved.any() or moved_mask.any()),
        compute_fixed=compute_fixed,
        compute_basis=compute_basis,
        dual_usd=dual_usd,
        labour_usd=labour_usd,
        senders=senders.astype(np.int64),
        internet_fixed=internet_fixed,
        internet_basis=internet_basis,
        backbone_fixed=backbone_fixed,
        backbone_varies=bool(
            flow_basis.reshape(-1, n_t, n_c)[..., :n_g].any() or arrive_change[..., :n_g].any()
        ),
        recurring_fixed=recurring_fixed,
        varying_senders=varying_senders,
        flow_basis=flow_basis,
        arrive_dataset=arrive_d,
        arrive_flow=arrive_f,
        arrive_change=np.ascontiguousarray(arrive_change),
        key_group_index=group_index[var],
        key_flat_usd=flat_usd[var],
        key_tiers=tuple((int(at[j]), e, r, lines) for j, e, r, lines in tiers if varies[j]),
        stored_fixed=np.ascontiguousarray(stored_fixed[:, var]),
        storage_fixed_usd=storage_fixed_usd,
        sampled_keys=(
            np.ascontiguousarray(sampled_keys[0][:, var]),
            np.ascontiguousarray(sampled_keys[1][:, var]),
            np.ascontiguousarray(sampled_keys[2][:, var]),
        ),
        window=(w0, w1),
        moved=order.astype(np.int64),
        moved_sampled=sampled_pos[order],
        moved_keys=np.ascontiguousarray(moved_keys[:, var]),
        start_month=plan.dataset_start[order].astype(np.float64),
        days_per_gb=days_per_gb,
        source_onehot=_onehot(np.maximum(column[src_o], 0), n_s_loc)
        * (column[src_o] >= 0)[:, None],
        retrieval_usd_per_gb=p.retrieval_usd_per_gb[src_o, cls[order]],
        requests_usd=p.requests_usd_per_1000[src_o, cls[order]]
        * model.dataset_objects[order]
        / 1000.0,
        window_days=window_days,
        sites=tuple(sites),
    )


# ---------------------------------------------------------------------------- one chunk


@dataclass(frozen=True)
class ScenarioArrays:
    """What every plan of a chunk shares: the sampled inputs laid out over months.

    ``drift`` (3, S, T, G) is the price drift factor per category and billing group (1 for the
    sites); ``size0`` and ``growth`` (S, D) each dataset's size now and its growth;
    ``size_sampled`` (D_s, S, T) the sizes month by month of the datasets whose size or growth
    is sampled; ``spend`` (S, W), ``inet`` (S, W) and ``flow_gb`` (S, F) the sampled monthly
    compute spend, internet egress and flow volumes.
    """

    layout: Layout
    drift: FloatArray
    size0: FloatArray
    growth: FloatArray
    size_sampled: FloatArray
    spend: FloatArray
    inet: FloatArray
    flow_gb: FloatArray
    overrun: FloatArray

    @property
    def n(self) -> int:
        return int(self.overrun.shape[0])


def _apply(inputs: Inputs, sampled: tuple[IntArray, IntArray], base: FloatArray) -> FloatArray:
    """``base`` per scenario, with the sampled columns in place."""
    out = np.broadcast_to(base, (inputs.n, base.shape[0])).copy()
    cols, where = sampled
    if cols.size:
        out[:, where] = inputs.values[:, cols]
    return out


def scenario_arrays(
    model: Model, inputs: Inputs, months: int, lay: Layout | None = None
) -> ScenarioArrays:
    """The plan-independent arrays of ``inputs`` over ``months`` (see :class:`ScenarioArrays`)."""
    lay = layout(model, months) if lay is None else lay
    n_s, n_t = inputs.n, months
    per_provider = np.power(
        1.0 + inputs.drift[:, None, :, :], (lay.t / 12.0)[None, :, None, None]
    )  # (S,T,P,3)
    drift = np.ones((3, n_s, n_t, lay.n_groups))
    drift[..., :-1] = per_provider.transpose(3, 0, 1, 2)
    size0 = _apply(inputs, lay.sampled["dataset_size_gb"], model.dataset_size_gb)
    growth = _apply(
        inputs, lay.sampled["dataset_growth_rate_per_month"], model.dataset_growth_rate_per_month
    )
    ds = lay.size_sampled
    size_sampled = size0[:, ds].T[:, :, None] * np.power(
        1.0 + growth[:, ds].T[:, :, None], lay.t[None, None, :]
    )  # (D_s,S,T)
    return ScenarioArrays(
        layout=lay,
        drift=drift,
        size0=size0,
        growth=growth,
        size_sampled=size_sampled,
        spend=_apply(
            inputs,
            lay.sampled["workload_compute_usd_per_month"],
            model.workload_compute_usd_per_month,
        ),
        inet=_apply(
            inputs,
            lay.sampled["workload_internet_egress_gb_per_month"],
            model.workload_internet_egress_gb_per_month,
        ),
        flow_gb=_apply(inputs, lay.sampled["flow_gb_per_month"], model.flow_gb_per_month),
        overrun=inputs.overrun,
    )


# ---------------------------------------------------------------------------- plan x chunk


@dataclass(frozen=True)
class PlanCosts:
    """One plan's costs for a block of scenarios.

    ``by_category`` (K, S, T) by category; ``one_off_by_category`` (K, S, T) the part that is a
    cost of leaving (the data move's egress, retrieval, requests, labour, dual running,
    commitments beyond what staying pays); ``data_move_months`` (S,); ``provider_usd``
    (S, T, P) what each cloud provider bills (compute, storage, egress, dual running), for the
    commitments. ``costs`` and ``one_off`` are (S, T, K) views.
    """

    by_category: FloatArray
    one_off_by_category: FloatArray
    data_move_months: FloatArray
    provider_usd: FloatArray

    @property
    def costs(self) -> FloatArray:
        out: FloatArray = np.moveaxis(self.by_category, 0, -1)
        return out

    @property
    def one_off(self) -> FloatArray:
        out: FloatArray = np.moveaxis(self.one_off_by_category, 0, -1)
        return out


def _linear(fixed: FloatArray, basis: FloatArray, values: FloatArray) -> FloatArray:
    """``fixed`` (T, C) plus ``values`` (S, E) spread by ``basis`` (E, T*C): (S, T, C)."""
    n_t, n_c = fixed.shape
    if basis.shape[0] == 0:
        return np.broadcast_to(fixed, (values.shape[0], n_t, n_c)).copy()
    out = (values @ basis).reshape(values.shape[0], n_t, n_c)
    out += fixed
    return out


def _add_groups(out: FloatArray, values: FloatArray) -> FloatArray:
    """``out += values.sum(-1)``, column after column in a fixed order (a handful of columns:
    faster than a reduction over a short axis, and the same whatever the chunk)."""
    for g in range(values.shape[-1]):
        out += values[..., g]
    return out


def _egress(model: Model, senders: IntArray, volume: FloatArray) -> FloatArray:
    """Internet egress cost of each sender's monthly volume (S', T', Ls) -> same shape.

    Tiers per source location and month; a cloud account's allowance is shared by its
    locations once per month (:func:`exitcost.pricing.account_tiered_cost`'s rule).
    """
    p = model.prices
    out = np.empty_like(volume)
    if out.size == 0:
        return out
    lead = tuple(range(volume.ndim - 1))
    high = volume.max(axis=lead)
    groups: dict[str, list[int]] = {}
    for c, loc in enumerate(senders.tolist()):  # a handful of sending locations
        schedule = p.egress_schedules[loc]
        assert schedule is not None
        if high[c] <= 0.0:  # sends nothing: costs nothing and takes no allowance
            out[..., c] = 0.0
            continue
        _published(schedule, float(high[c]), model)
        if model.location_kind[loc] == "cloud":
            groups.setdefault(model.location_account[loc], []).append(c)
        else:
            v = volume[..., c]
            out[..., c] = evaluate_tiers(
                v, schedule.edges_gb, schedule.rates_usd_per_gb, schedule.lines
            )
            out[..., c] += np.where(v > 0, p.egress_fixed_usd_per_month[loc], 0.0)
    for cols in groups.values():  # one per billing account
        locs = senders[cols]
        account = p.egress_account_free_gb[locs]
        shared, own = float(account.max()), p.egress_own_free_gb[locs]
        eligible = (account > 0).astype(np.float64)
        v = volume[..., cols]
        free = _constant_allowance(v.min(axis=lead), shared, own, eligible)
        if free is None:  # the allowances' split varies from month to month
            free = allowance_split(v, shared, own, eligible)
        for j, c in enumerate(cols):
            s = p.egress_schedules[int(senders[c])]
            assert s is not None
            full = evaluate_tiers(v[..., j], s.edges_gb, s.rates_usd_per_gb, s.lines)
            saved = evaluate_tiers(free[..., j], s.edges_gb, s.rates_usd_per_gb, s.lines)
            out[..., c] = np.maximum(full - saved, 0.0)
    return out


def _constant_allowance(
    low_gb: FloatArray, shared_gb: float, own_gb: FloatArray, eligible: FloatArray
) -> FloatArray | None:
    """Each source's free GB when they are the same in every month, else None.

    When every source sends at least its own allowance in every month and the first eligible
    one at least the account's on top, the split is the same constant in every month (the
    same numbers :func:`allowance_split` gives month by month).
    """
    if not (low_gb >= own_gb).all():
        return None
    first = np.flatnonzero(eligible > 0)
    out = np.asarray(own_gb, dtype=np.float64) + np.zeros(low_gb.size)
    if first.size:
        j = int(first[0])
        # with a margin, so that the running sums of the month-by-month rule cannot round
        # back into the allowance
        if not low_gb[j] - own_gb[j] >= shared_gb + 1e-6 * max(shared_gb, 1.0):
            return None
        out[j] = own_gb[j] + min(low_gb[j] - own_gb[j], shared_gb)
    return out


def _published(schedule: TierSchedule, high_gb: float, model: Model) -> None:
    """Refuse (or flag) a month beyond the schedule's last published tier, once per block."""
    if high_gb > schedule.limit_gb:
        schedule.cost(high_gb, beyond_published=model.prices.beyond_published, func="simulate")


def evaluate(
    model: Model,
    plan: ResolvedPlan | PlanArrays,
    inputs: Inputs,
    months: int,
    stay_provider_usd: FloatArray | None = None,
    shared: ScenarioArrays | None = None,
) -> PlanCosts:
    """Price ``plan`` month by month for every scenario of ``inputs``.

    ``stay_provider_usd`` is what the providers bill when nothing moves (the same scenarios),
    so that commitments beyond what staying pays count as a cost of leaving. ``shared`` is
    :func:`scenario_arrays` of the same inputs and months (computed here when None), so that
    the plans of one chunk share what does not depend on the plan; ``plan`` may be prepared
    once (:func:`prepare`) for many chunks.
    """
    sa = scenario_arrays(model, inputs, months) if shared is None else shared
    lay = sa.layout
    pa = plan if isinstance(plan, PlanArrays) else prepare(model, lay, plan)
    n_s, n_t, n_g = sa.n, months, lay.n_groups
    t = lay.t
    costs = np.zeros((len(COST_CATEGORIES), n_s, n_t))
    one_off = np.zeros_like(costs)

    # ---- compute, dual running, labour
    compute = _linear(
        pa.compute_fixed,
        pa.compute_basis,
        sa.spend[:, lay.sampled["workload_compute_usd_per_month"][1]],
    )
    compute *= sa.drift[0]
    dual = sa.overrun[:, None, None] * pa.dual_usd[None]  # (S,T,G)
    labour = sa.overrun[:, None] * pa.labour_usd[None, :]

    # ---- the data move: dataset after dataset over the path, each from its start month
    n_m = pa.moved.size
    w0, w1 = pa.window
    tw = t[w0:w1]
    data_months = np.zeros(n_s)
    ss = sa.size_sampled  # (D_s,S,T)
    # what each storage key holds, key by key (Ku,S,T): the stated sizes, then the sampled ones
    stored = np.empty((pa.key_group_index.size, n_s, n_t))
    stored[...] = pa.stored_fixed.T[:, None, :]
    for (a, b), key in zip(((0, w0), (w0, w1), (w1, n_t)), pa.sampled_keys, strict=True):
        touched = np.flatnonzero(key.any(axis=0))  # the few keys a sampled dataset is in
        if b > a and touched.size:
            part = np.tensordot(key[:, touched].T, ss[..., a:b], 1)
            for i, k in enumerate(touched.tolist()):  # a handful of storage keys
                stored[k, :, a:b] += part[i]
    if n_m:
        d = pa.moved
        vol = sa.size0[:, d] * np.power(1.0 + sa.growth[:, d], pa.start_month[None, :])
        dur = vol * (pa.days_per_gb / DAYS_PER_MONTH)
        if not np.isfinite(dur).all():  # beyond float64: transfer_days says so
            transfer_days(vol, pa.plan.bandwidth_gbps)
        end = _move_ends(dur, pa.start_month[None, :])
        begin = end - dur  # (S,Dm)
        data_months = end.max(axis=1) - begin.min(axis=1)
        # inside the window, what each moved dataset holds at its origin (first half) and its
        # target (second half): its size times the share of each month before its end, and
        # after its begin
        held = np.empty((2 * n_m, n_s, w1 - w0))  # (2 Dm, S, Tw)
        np.subtract(end.T[:, :, None], tw[None, None, :], out=held[:n_m])
        np.subtract(tw[None, None, :] + 1.0, begin.T[:, :, None], out=held[n_m:])
        np.minimum(held, 1.0, out=held)
        np.maximum(held, 0.0, out=held)
        sampled = np.flatnonzero(pa.moved_sampled >= 0)
        if sampled.size:  # sampled sizes per scenario, the others as stated
            both = np.concatenate([sampled, sampled + n_m])
            size_s = ss[pa.moved_sampled[sampled], :, w0:w1]
            held_s = held[both]
            held_s *= np.concatenate([size_s, size_s])
        size_w = lay.size_gb[w0:w1, d].T
        held *= np.concatenate([size_w, size_w])[:, None, :]
        if sampled.size:
            held[both] = held_s
        stored[..., w0:w1] += np.tensordot(pa.moved_keys.T, held, 1)

    # ---- storage: a rate per GB-month, through the tier kernel where a book has tiers
    by_group = np.tensordot(pa.key_flat_usd.T, stored, 1)  # (G,S,T): one rate per GB-month
    for j, edges, rates, lines in pa.key_tiers:  # a few tiered storage schedules
        by_group[pa.key_group_index[j]] += evaluate_tiers(stored[j], edges, rates, lines)
    by_group += pa.storage_fixed_usd.T[:, None, :]
    storage = np.ascontiguousarray(np.moveaxis(by_group, 0, -1))  # (S,T,G)
    storage *= sa.drift[1]

    # ---- traffic: internet GB per sender, backbone USD per group
    n_snd = pa.senders.size
    internet = _linear(
        pa.internet_fixed,
        pa.internet_basis,
        sa.inet[:, lay.sampled["workload_internet_egress_gb_per_month"][1]],
    )
    # backbone USD per group: the fixed part, unless a sampled flow or an arrival changes it
    backbone = (
        np.broadcast_to(pa.backbone_fixed, (n_s, n_t, n_g)).copy() if pa.backbone_varies else None
    )
    if pa.flow_basis.shape[0]:
        both_gb = (sa.flow_gb[:, lay.sampled["flow_gb_per_month"][1]] @ pa.flow_basis).reshape(
            n_s, n_t, n_g + n_snd
        )
        if backbone is not None:
            backbone += both_gb[..., :n_g]
        internet += both_gb[..., n_g:]
    if n_m and pa.arrive_dataset.size and w1 > w0:
        # inside the window, a moved dataset's flows change from the first whole month it is
        # at its target (after the window they are priced as arrived)
        arrive = np.ceil(end - 1e-9)  # (S,Dm)
        units = np.empty((w1 - w0, n_s, pa.arrive_dataset.size))
        np.greater_equal(tw[:, None, None], arrive[None, :, pa.arrive_dataset], out=units)
        by_flow = pa.arrive_flow >= 0
        if by_flow.any():
            gb = sa.flow_gb[:, lay.sampled["flow_gb_per_month"][1]]
            units[..., by_flow] *= gb[None, :, pa.arrive_flow[by_flow]]
        delta = np.matmul(units, pa.arrive_change)  # (Tw,S,C)
        if backbone is not None:
            backbone[:, w0:w1] += delta[..., :n_g].transpose(1, 0, 2)
        internet[:, w0:w1] += delta[..., n_g:].transpose(1, 0, 2)

    # ---- the data move's egress: inside the waiver window free, the rest at list price
    move = None
    if n_m and w1 > w0:
        dur_o = end - begin
        rate_gb = np.divide(vol, dur_o, out=np.zeros_like(dur_o), where=dur_o > 0)
        per_month = rate_gb[:, None, :] * _overlap(begin, end, tw).transpose(0, 2, 1)
        billable = per_month
        if pa.window_days.any():
            start = begin.min(axis=1, keepdims=True)  # the programme starts with the move
            stop = start + pa.window_days[None, :] / DAYS_PER_MONTH
            inside = _overlap(np.maximum(begin, start), np.minimum(end, stop), tw)
            billable = np.maximum(per_month - rate_gb[:, None, :] * inside.transpose(0, 2, 1), 0)
        move = billable @ pa.source_onehot  # (S,Tw,Ls)
        frac = np.divide(
            per_month, vol[:, None, :], out=np.zeros_like(per_month), where=vol[:, None, :] > 0
        )
        retrieval = (per_month * pa.retrieval_usd_per_gb).sum(-1)
        requests = (frac * pa.requests_usd).sum(-1)
        for name, usd in (("retrieval", retrieval), ("requests", requests)):
            costs[_K[name], :, w0:w1] += usd
            one_off[_K[name], :, w0:w1] += usd

    # the senders whose volume no sample changes were priced once (pa.recurring_fixed)
    recurring = np.broadcast_to(pa.recurring_fixed, internet.shape).copy()  # (S,T,Ls)
    varying = pa.varying_senders
    if varying.size:
        recurring[..., varying] = _egress(model, pa.senders[varying], internet[..., varying])
    egress_loc = recurring
    switching = None
    if move is not None:
        # the move's share of each month's bill, times the EU Data Act's factor for the month:
        # priced again only in the months something moves (elsewhere it is exactly zero)
        mm = w0 + np.flatnonzero(move.any(axis=(0, 2)))
        if mm.size:
            with_move = _egress(model, pa.senders, internet[:, mm] + move[:, mm - w0])
            switching = (with_move - recurring[:, mm]) * pa.plan.switching_factor[None, mm, None]
            egress_loc = recurring.copy()
            egress_loc[:, mm] += switching
    sender_group = lay.loc_group[pa.senders]  # (Ls,G)
    egress = egress_loc @ sender_group
    egress += pa.backbone_fixed if backbone is None else backbone
    egress *= sa.drift[2]
    if switching is not None:
        move_usd = (switching @ sender_group) * sa.drift[2][:, mm]
        one_off[_K["egress"]][:, mm] += move_usd.sum(-1)

    # ---- sites the plan moves into: sized month by month from the load they take over
    for site in pa.sites:  # a handful of site targets
        storage_gb = np.zeros((n_s, n_t))  # nothing lands before the window
        if n_m:
            storage_gb[:, w0:w1] = held[n_m + site.datasets_in].sum(0)
        storage_gb[:, w1:] = site.after_gb
        if site.after_sampled.size:  # (summed dataset after dataset, in a fixed order)
            storage_gb[:, w1:] += ss[site.after_sampled, :, w1:].sum(0)
        streams = owned_site_costs(
            horizon_months=n_t,
            vcpus=site.vcpus,
            memory_gib=site.memory_gib,
            gpus=site.gpus,
            compute_usd_per_month=(
                sa.spend @ site.spend_share if site.spend_varies else site.spend_usd
            ),
            storage_gb=storage_gb,
            in_service_month=site.first_month,
            defaults=model.facility,
        )
        for name, values in streams.by_category_usd().items():
            if name == "egress":  # transit: the site's egress is priced by its template book
                continue
            costs[_K[name]] += values

    # sums over the billing groups run element by element (a matrix-vector product's order
    # of summation may depend on the number of scenarios in the chunk)
    _add_groups(costs[_K["compute"]], compute)
    _add_groups(costs[_K["storage"]], storage)
    _add_groups(costs[_K["egress"]], egress)
    dual_total = _add_groups(np.zeros((n_s, n_t)), dual)
    costs[_K["dual_running"]] += dual_total
    costs[_K["labour"]] += labour
    one_off[_K["dual_running"]] += dual_total
    one_off[_K["labour"]] += labour

    # ---- commitments: what each provider is owed beyond its bill, month by month
    billed = compute
    billed += storage
    billed += egress
    billed += dual
    provider_usd = billed[..., :-1]  # (S,T,P)
    bound = lay.bound  # only providers with a committed floor can fall short of it
    if bound.size:
        floors = lay.floors_usd[None][..., bound]
        shortfall = np.maximum(floors - provider_usd[..., bound], 0.0)
        _add_groups(costs[_K["commitments"]], shortfall)
        if stay_provider_usd is not None:
            stay_short = np.maximum(floors - stay_provider_usd[..., bound], 0.0)
            _add_groups(one_off[_K["commitments"]], np.maximum(shortfall - stay_short, 0.0))
    return PlanCosts(costs, one_off, data_months, provider_usd)
