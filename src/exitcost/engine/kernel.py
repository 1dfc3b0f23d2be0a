"""The month-by-month kernel: every plan's costs for a block of scenarios, as arrays.

:func:`draw_inputs` samples the model's uncertain inputs for scenarios ``[first, last)`` from
seeded streams, one per block of :data:`BLOCK` scenarios (``SeedSequence(seed,
spawn_key=(block,))``), so a scenario's inputs never depend on the chunk it is computed in.
:func:`evaluate` prices one plan for a matrix of inputs, vectorised over (scenario, month,
element): no Python loop over scenarios, months, workloads or datasets (loops run over the
handful of billing accounts, site targets and contracts' providers).
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
from exitcost.pricing.tiers import account_tiered_cost, tiered_cost

__all__ = [
    "BLOCK",
    "DAYS_PER_MONTH",
    "Inputs",
    "PlanCosts",
    "ScenarioArrays",
    "draw_inputs",
    "evaluate",
    "scenario_arrays",
]

FloatArray = npt.NDArray[np.float64]

BLOCK: Final[int] = 1024
"""Scenarios per random stream: the unit of reproducibility across chunk sizes and backends."""

DAYS_PER_MONTH: Final[float] = 365.25 / 12.0
"""Average days in a month, to place a data move of so many days on the monthly time line."""

_K = {c: i for i, c in enumerate(COST_CATEGORIES)}
_DRIFT = ("compute", "storage", "egress")


def _pert(low: float, mode: float, high: float, n: int, rng: np.random.Generator) -> FloatArray:
    a = 1.0 + 4.0 * (mode - low) / (high - low)
    b = 1.0 + 4.0 * (high - mode) / (high - low)
    out: FloatArray = low + (high - low) * rng.beta(a, b, size=n)
    return out


def _pert_mean(t: tuple[float, float, float]) -> float:
    return (t[0] + 4.0 * t[1] + t[2]) / 6.0


def overrun_mean(model: Model) -> float:
    """Mean of the reference-class overrun mixture (the factor the draws are divided by)."""
    o = model.defaults.overrun
    p = o.black_swan_probability
    return (1.0 - p) * _pert_mean(o.regular) + p * _pert_mean(o.black_swan)


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
    regular = _pert(*o.regular, BLOCK, rng)
    black = _pert(*o.black_swan, BLOCK, rng)
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


def _spread(values: FloatArray, basis: FloatArray) -> FloatArray:
    """``values`` (S, E) spread by ``basis`` (E, T, C) into (S, T, C): ``values @ basis``.

    Only the columns ``C`` some element reaches are multiplied (the rest are exactly zero).
    """
    n_e, n_t, n_c = basis.shape
    used = np.flatnonzero(basis.any(axis=(0, 1)))
    out = np.zeros((values.shape[0], n_t, n_c))
    if used.size:
        flat = np.ascontiguousarray(basis[:, :, used]).reshape(n_e, n_t * used.size)
        out[..., used] = (values @ flat).reshape(values.shape[0], n_t, used.size)
    return out


def _apply(model: Model, inputs: Inputs, target: str, base: FloatArray) -> FloatArray:
    """``base`` per scenario, with the sampled columns of ``target`` in place."""
    out = np.broadcast_to(base, (inputs.n, base.shape[0])).copy()
    idx = [(j, x.index) for j, x in enumerate(model.inputs) if x.target == target]
    if idx:
        cols, where = zip(*idx, strict=True)
        out[:, list(where)] = inputs.values[:, list(cols)]
    return out


def _overlap(start: Any, end: Any, months: int) -> FloatArray:
    """Share of each month ``t`` inside ``[start, end)`` (months on the last axis)."""
    t = np.arange(months, dtype=np.float64)
    s = np.asarray(start, dtype=np.float64)[..., None]
    e = np.asarray(end, dtype=np.float64)[..., None]
    out: FloatArray = np.clip(np.minimum(t + 1.0, e) - np.maximum(t, s), 0.0, 1.0)
    return out


@dataclass(frozen=True)
class PlanCosts:
    """One plan's costs for a block of scenarios.

    ``costs`` (S, T, K) by category; ``one_off`` (S, T, K) the part that is a cost of leaving
    (the data move's egress, retrieval, requests, labour, dual running, commitments beyond
    what staying pays); ``data_move_months`` (S,); ``provider_usd`` (S, T, P) what each cloud
    provider bills (compute, storage, egress, dual running), for the commitments.
    """

    costs: FloatArray
    one_off: FloatArray
    data_move_months: FloatArray
    provider_usd: FloatArray


def _account_cost(model: Model, volume: FloatArray, cols: list[int]) -> FloatArray:
    """Internet egress of one billing account's cloud locations (tiers per source, month)."""
    p = model.prices
    schedules = [p.egress_schedules[c] for c in cols]
    assert all(s is not None for s in schedules)
    account = p.egress_account_free_gb[cols]
    return account_tiered_cost(
        volume[..., cols],
        schedules,  # type: ignore[arg-type]
        free_gb=float(account.max()),
        own_free_gb=p.egress_own_free_gb[cols],
        eligible=account > 0,
        beyond_published=p.beyond_published,
        func="simulate",
    )


def _egress_by_location(model: Model, volume: FloatArray) -> FloatArray:
    """Internet egress cost of each location's monthly volume (S, T, L) -> (S, T, L)."""
    p = model.prices
    out = np.zeros_like(volume)
    groups: dict[str, list[int]] = {}
    # a location that sends nothing costs nothing, and takes nothing of its account's free
    # allowance (its volume adds exactly 0 to the running sums): it is left out
    sends = np.asarray(volume.reshape(-1, volume.shape[-1]).any(axis=0))
    for i, kind in enumerate(model.location_kind):  # a handful of locations
        schedule = p.egress_schedules[i]
        if schedule is None or not sends[i]:
            continue
        if kind == "cloud":
            groups.setdefault(model.location_account[i], []).append(i)
        else:
            v = volume[..., i]
            cost = np.asarray(
                schedule.cost(v, beyond_published=p.beyond_published, func="simulate")
            )
            out[..., i] = cost + np.where(v > 0, p.egress_fixed_usd_per_month[i], 0.0)
    for cols in groups.values():  # one per billing account
        out[..., cols] = _account_cost(model, volume, cols)
    return out


@dataclass(frozen=True)
class ScenarioArrays:
    """What every plan of a chunk shares: the sampled inputs laid out over months.

    ``drift`` (3, S, T, L) is the price drift factor per category and location (1 at sites);
    ``size`` (S, T, D) each dataset's size month by month where it is; ``spend`` (S, W),
    ``inet`` (S, W) and ``flow_gb`` (S, F) the sampled monthly compute spend, internet egress
    and flow volumes.
    """

    t: FloatArray
    providers: tuple[str, ...]
    prov_of: npt.NDArray[np.int64]
    clouds: npt.NDArray[np.bool_]
    drift: FloatArray
    size0: FloatArray
    growth: FloatArray
    size: FloatArray
    spend: FloatArray
    inet: FloatArray
    flow_gb: FloatArray


def scenario_arrays(model: Model, inputs: Inputs, months: int) -> ScenarioArrays:
    """The plan-independent arrays of ``inputs`` over ``months`` (see :class:`ScenarioArrays`)."""
    n_s, n_t = inputs.n, months
    n_l = model.n_locations
    t = np.arange(n_t, dtype=np.float64)
    providers = cloud_providers(model)
    prov_of = np.array(
        [
            providers.index(p) if k == "cloud" else -1
            for p, k in zip(model.location_provider, model.location_kind, strict=True)
        ],
        dtype=np.int64,
    )
    # price drift per category, scenario, month and location: (3, S, T, L), 1 at sites;
    # raised to the month's power once per provider, then spread over its locations
    clouds = prov_of >= 0
    per_provider = np.power(1.0 + inputs.drift[:, None, :, :], (t / 12.0)[None, :, None, None])
    drift = np.ones((3, n_s, n_t, n_l))
    for c in range(3):  # compute, storage, egress
        drift[c][..., clouds] = per_provider[..., prov_of[clouds], c]
    size0 = _apply(model, inputs, "dataset_size_gb", model.dataset_size_gb)
    growth = _apply(
        model, inputs, "dataset_growth_rate_per_month", model.dataset_growth_rate_per_month
    )
    size = size0[:, None, :] * np.power(1.0 + growth[:, None, :], t[None, :, None])  # (S,T,D)
    spend = _apply(
        model, inputs, "workload_compute_usd_per_month", model.workload_compute_usd_per_month
    )
    inet = _apply(
        model,
        inputs,
        "workload_internet_egress_gb_per_month",
        model.workload_internet_egress_gb_per_month,
    )
    flow_gb = _apply(model, inputs, "flow_gb_per_month", model.flow_gb_per_month)  # (S,F)
    return ScenarioArrays(
        t, providers, prov_of, clouds, drift, size0, growth, size, spend, inet, flow_gb
    )


def evaluate(
    model: Model,
    plan: ResolvedPlan,
    inputs: Inputs,
    months: int,
    stay_provider_usd: FloatArray | None = None,
    shared: ScenarioArrays | None = None,
) -> PlanCosts:
    """Price ``plan`` month by month for every scenario of ``inputs``.

    ``stay_provider_usd`` is what the providers bill when nothing moves (the same scenarios),
    so that commitments beyond what staying pays count as a cost of leaving. ``shared`` is
    :func:`scenario_arrays` of the same inputs and months (computed here when None), so that
    the plans of one chunk share what does not depend on the plan.
    """
    sa = scenario_arrays(model, inputs, months) if shared is None else shared
    n_s, n_t = inputs.n, months
    n_l = model.n_locations
    t = sa.t
    costs = np.zeros((n_s, n_t, len(COST_CATEGORIES)))
    one_off = np.zeros_like(costs)
    providers, prov_of, clouds, drift = sa.providers, sa.prov_of, sa.clouds, sa.drift
    size0, growth, size = sa.size0, sa.growth, sa.size
    moved = plan.dataset_moved
    order = plan.data_order
    n_d = model.n_datasets
    begin = np.full((n_s, n_d), np.inf)
    end = np.full((n_s, n_d), np.inf)
    volume = np.zeros((n_s, n_d))
    data_months = np.zeros(n_s)
    if order.size:
        s0 = plan.dataset_start[order]
        vol = size0[:, order] * np.power(1.0 + growth[:, order], s0[None, :])
        dur = transfer_days(vol, plan.bandwidth_gbps) / DAYS_PER_MONTH
        cum = np.cumsum(dur, axis=1)
        ends = cum + np.maximum.accumulate(s0[None, :] - (cum - dur), axis=1)
        begin[:, order] = ends - dur
        end[:, order] = ends
        volume[:, order] = vol
        data_months = ends.max(axis=1) - begin[:, order].min(axis=1)
    o_loc = model.dataset_location
    t_loc = plan.dataset_target
    share_origin = np.clip(end[:, None, :] - t[None, :, None], 0.0, 1.0)  # (S,T,D)
    share_target = np.where(moved, np.clip(t[None, :, None] + 1.0 - begin[:, None, :], 0, 1), 0)
    share_origin = np.where(moved, share_origin, 1.0)
    at_target = moved & (t[None, :, None] >= np.ceil(end[:, None, :] - 1e-9))  # (S,T,D)

    # storage per (location, class) actually used
    cls = model.dataset_storage_class
    keys_o = o_loc * 5 + cls
    keys_t = t_loc * 5 + cls
    used = np.unique(np.concatenate([keys_o, keys_t[moved]]))
    key_pos = {int(k): i for i, k in enumerate(used)}
    one_o = np.zeros((n_d, used.size))
    one_o[np.arange(n_d), [key_pos[int(k)] for k in keys_o]] = 1.0
    one_t = np.zeros((n_d, used.size))
    if moved.any():
        rows = np.flatnonzero(moved)
        one_t[rows, [key_pos[int(k)] for k in keys_t[rows]]] = 1.0
    size_target = size * share_target  # (S,T,D), also what the sites take over
    stored = (size * share_origin) @ one_o + size_target @ one_t  # (S,T,Ku)
    p = model.prices
    edges = p.storage_edges_gb.reshape(n_l * 5, -1)[used]
    rates = np.nan_to_num(p.storage_rates_usd_per_gb_month.reshape(n_l * 5, -1)[used])
    tiered = (
        np.isfinite(edges[:, 1:]).any(axis=1)
        if edges.shape[1] > 1
        else np.zeros(used.size, dtype=bool)
    )
    store_cost = stored * rates[:, 0]  # one band: a rate per GB-month
    if tiered.any():  # marginal tiers through the tier kernel, only where a book has them
        for j in np.flatnonzero(tiered):  # a few tiered storage schedules, one kernel each
            bands = np.isfinite(edges[j])
            store_cost[..., j] = tiered_cost(
                stored[..., j],
                edges[j][bands],
                rates[j][bands],
                beyond_published=model.prices.beyond_published,
                func="simulate",
            )
    key_loc = np.zeros((used.size, n_l))
    key_loc[np.arange(used.size), used // 5] = 1.0
    storage_loc = (store_cost @ key_loc) * drift[1]  # (S,T,L)

    # ---- workloads: compute where each runs, dual running, labour
    n_w = model.n_workloads
    spend = sa.spend
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
    onehot_o = np.zeros((n_w, n_l))
    onehot_o[np.arange(n_w), model.workload_location] = 1.0
    onehot_t = np.zeros((n_w, n_l))
    onehot_t[np.arange(n_w), plan.workload_target] = 1.0
    compute_loc = _spread(spend, share_o.T[:, :, None] * onehot_o[:, None, :])
    if runs_target.any():  # (staying runs nothing at a target: that term is exactly zero)
        compute_loc += _spread(spend * ratio, share_t.T[:, :, None] * onehot_t[:, None, :])
    compute_loc *= drift[0]

    window = model.workload_duration_months + model.workload_hypercare_months
    dual_rate = np.divide(
        model.workload_dual_running_usd, window, out=np.zeros(n_w), where=window > 0
    )
    dual_share = np.where(w_moved[:, None], _overlap(ms, ms + window, n_t), 0.0)  # (W,T)
    dual_loc = (dual_rate[:, None, None] * dual_share[:, :, None] * onehot_o[:, None, :]).sum(0)
    dual_loc = inputs.overrun[:, None, None] * dual_loc[None]  # (S,T,L)
    ls = plan.labour_start
    lab_len = np.maximum(model.workload_duration_months, 1e-9)
    lab_share = np.where(w_moved[:, None], _overlap(ls, ls + lab_len, n_t) / lab_len[:, None], 0.0)
    labour = inputs.overrun[:, None] * (model.workload_labour_usd @ lab_share)[None, :]

    # ---- traffic: each workload's internet egress and its flows, wherever each side is
    w_loc = np.where(
        t[:, None] >= plan.workload_switch[None, :],
        plan.workload_target,
        model.workload_location[None, :],
    ).astype(np.int64)  # (T,W)
    inet = sa.inet
    place = np.zeros((n_t, n_w, n_l))
    place[np.arange(n_t)[:, None], np.arange(n_w)[None, :], w_loc] = 1.0
    internet = _spread(inet, place.transpose(1, 0, 2))
    inter_loc = np.zeros((n_s, n_t, n_l))
    n_f = model.flow_gb_per_month.size
    if n_f:
        gb = sa.flow_gb  # (S,F)
        fw, fd = model.flow_workload, model.flow_dataset
        wl_t = w_loc[:, fw]  # (T,F)
        kind = np.array(model.location_kind)
        prov = np.array(model.location_provider)
        per_gb = []
        for here in (o_loc[fd], t_loc[fd]):  # the dataset at its origin, then at its target
            d_t = np.broadcast_to(here[None, :], wl_t.shape)
            src = np.where(model.flow_read[None, :], d_t, wl_t)
            dst = np.where(model.flow_read[None, :], wl_t, d_t)
            backbone = (kind[src] == "cloud") & (kind[dst] == "cloud") & (prov[src] == prov[dst])
            cross = src != dst
            rate_bb = np.where(backbone & cross, p.inter_region_usd_per_gb[src, dst], 0.0)
            net = (cross & ~backbone).astype(np.float64)
            src_onehot = np.zeros((n_t, n_f, n_l))
            src_onehot[np.arange(n_t)[:, None], np.arange(n_f)[None, :], src] = 1.0
            # per GB of each flow in each month: [USD of backbone, GB of internet] by source
            per_gb.append(
                np.concatenate([rate_bb[..., None] * src_onehot, net[..., None] * src_onehot], -1)
            )
        # (S, T, 2L): every flow as if its dataset stayed, then the change for those that moved,
        # only in the months some moved dataset has arrived and the sources the change touches
        both = _spread(gb, per_gb[0].transpose(1, 0, 2))
        movers = np.flatnonzero(moved[fd])
        if movers.size:
            change = (per_gb[1] - per_gb[0])[:, movers, :]  # (T,Fm,2L)
            there = at_target[:, :, fd[movers]]  # (S,T,Fm)
            mt = np.flatnonzero(there.any(axis=(0, 2)))
            cols = np.flatnonzero(change.any(axis=(0, 1)))
            if mt.size and cols.size:
                arrived = np.ascontiguousarray(
                    there[:, mt].transpose(1, 0, 2), dtype=np.float64
                )  # (Tm,S,Fm)
                arrived *= gb[None, :, movers]
                delta = np.matmul(arrived, change[mt][:, :, cols])  # (Tm,S,C)
                both[:, mt[:, None], cols[None, :]] += delta.transpose(1, 0, 2)
        inter_loc += both[..., :n_l]
        internet += both[..., n_l:]
    # the data move: what moves inside the waiver window is free, the rest at list price
    move_loc = np.zeros((n_s, n_t, n_l))
    if order.size:
        dur_o = end[:, order] - begin[:, order]
        rate_gb = np.divide(volume[:, order], dur_o, out=np.zeros_like(dur_o), where=dur_o > 0)
        per_month = rate_gb[:, None, :] * _overlap(begin[:, order], end[:, order], n_t).transpose(
            0, 2, 1
        )  # (S,T,Dm)
        billable = per_month
        if plan.exit_waiver:
            window_days = p.exit_window_days[o_loc[order]]
            w0 = begin[:, order].min(axis=1, keepdims=True)  # the programme starts with the move
            w1 = w0 + window_days[None, :] / DAYS_PER_MONTH
            inside = _overlap(
                np.maximum(begin[:, order], w0), np.minimum(end[:, order], w1), n_t
            ).transpose(0, 2, 1)
            billable = per_month - rate_gb[:, None, :] * inside
        src_one = np.zeros((order.size, n_l))
        src_one[np.arange(order.size), o_loc[order]] = 1.0
        move_loc = np.maximum(billable, 0.0) @ src_one
        moved_gb = per_month
        retr = p.retrieval_usd_per_gb[o_loc[order], cls[order]]
        req = p.requests_usd_per_1000[o_loc[order], cls[order]] * model.dataset_objects[order]
        frac = np.divide(
            moved_gb,
            volume[:, None, order],
            out=np.zeros_like(moved_gb),
            where=volume[:, None, order] > 0,
        )
        retrieval = moved_gb @ retr
        requests = frac @ (req / 1000.0)
        for name, values in (("retrieval", retrieval), ("requests", requests)):
            costs[..., _K[name]] += values
            one_off[..., _K[name]] += values
    recurring = _egress_by_location(model, internet)
    # the move's share of each month's bill, times the EU Data Act's factor for the month:
    # priced again only in the months something moves (elsewhere it is exactly zero)
    switching = np.zeros_like(recurring)
    mm = np.flatnonzero(move_loc.any(axis=(0, 2))) if order.size else np.zeros(0, np.int64)
    if mm.size:
        with_move = _egress_by_location(model, internet[:, mm] + move_loc[:, mm])
        switching[:, mm] = (with_move - recurring[:, mm]) * plan.switching_factor[None, mm, None]
    egress_loc = (recurring + switching + inter_loc) * drift[2]
    move_egress = np.zeros((n_s, n_t))  # zero in the months nothing moves
    if mm.size:
        move_egress[:, mm] = (switching[:, mm] * drift[2][:, mm]).sum(axis=-1)

    # ---- sites the plan moves into: sized month by month from the load they take over
    for site, first in plan.site_in_service.items():  # a handful of site targets
        into = (plan.workload_target == site) & w_moved & ~plan.workload_retired
        share = np.where(into[None, :], np.clip(t[:, None] + 1.0 - ms[None, :], 0, 1), 0.0)
        sized_by_spend = model.workload_spend_only & into
        d_into = (t_loc == site) & moved
        streams = owned_site_costs(
            months=n_t,
            vcpus=share @ model.workload_vcpus,
            memory_gib=share @ model.workload_memory_gib,
            gpus=share @ model.workload_gpus,
            compute_usd_per_month=(spend * sized_by_spend) @ share.T,
            storage_gb=(size_target * d_into).sum(-1),
            in_service_month=min(first, n_t - 1),
            defaults=model.facility,
        )
        for name, values in streams.by_category_usd().items():
            if name == "egress":  # transit: the site's egress is priced by its template book
                continue
            costs[..., _K[name]] += np.broadcast_to(values, (n_s, n_t))

    costs[..., _K["compute"]] += compute_loc.sum(-1)
    costs[..., _K["storage"]] += storage_loc.sum(-1)
    costs[..., _K["egress"]] += egress_loc.sum(-1)
    costs[..., _K["dual_running"]] += dual_loc.sum(-1)
    costs[..., _K["labour"]] += labour
    one_off[..., _K["egress"]] += move_egress
    one_off[..., _K["dual_running"]] += dual_loc.sum(-1)
    one_off[..., _K["labour"]] += labour

    # ---- commitments: what each provider is owed beyond its bill, month by month
    billed = compute_loc + storage_loc + egress_loc + dual_loc  # (S,T,L)
    prov_onehot = np.zeros((n_l, len(providers)))
    prov_onehot[np.flatnonzero(clouds), prov_of[clouds]] = 1.0
    provider_usd = billed @ prov_onehot  # (S,T,P)
    shortfall = np.maximum(_floors(model, providers, n_t)[None] - provider_usd, 0.0)
    costs[..., _K["commitments"]] += shortfall.sum(-1)
    if stay_provider_usd is not None:
        stay_short = np.maximum(_floors(model, providers, n_t)[None] - stay_provider_usd, 0.0)
        one_off[..., _K["commitments"]] += np.maximum(shortfall - stay_short, 0.0).sum(-1)
    return PlanCosts(costs, one_off, data_months, provider_usd)


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
