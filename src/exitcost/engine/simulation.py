"""``simulate``: every plan, month by month, over thousands of futures; and its result.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> from exitcost.engine import Plan, simulate
>>> sim = simulate(sample_estate(), [Plan.stay(), Plan.leave("aws", to="colo:new")],
...                n_scenarios=64, horizon_months=36)
>>> sim.plans
('stay', 'leave aws for colo:new')
>>> sim.costs.dims
('plan', 'scenario', 'month', 'category')
>>> bool((sim.scenarios["total_usd"] > 0).all())
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost import finance
from exitcost._validation import warn_user
from exitcost.categories import COST_CATEGORIES
from exitcost.engine.kernel import (
    Inputs,
    Layout,
    PlanArrays,
    PlanCosts,
    draw_inputs,
    evaluate,
    expected_inputs,
    layout,
    prepare,
    scenario_arrays,
)
from exitcost.engine.plans import Plan, ResolvedPlan, resolve
from exitcost.errors import HorizonWarning, InvalidParameterError, format_choices
from exitcost.estate import Estate
from exitcost.model import Model, as_model
from exitcost.pricing.programmes import data_act_applies
from exitcost.units import add_months

__all__ = ["KEEP_SCENARIOS", "Simulation", "simulate"]

FloatArray = npt.NDArray[np.float64]

KEEP_SCENARIOS: Final[int] = 1000
"""Scenario paths kept in :attr:`Simulation.costs` (a seeded subset beyond it)."""

_CELLS_PER_CHUNK: Final[int] = 4_000_000
"""Default cells per chunk (see :func:`_cells`): a chunk's working arrays stay near 30 MB."""


def _cells(prepared: Prepared) -> int:
    """Cells (float64) the kernel's working arrays take per scenario, roughly.

    Per month: the costs and one-off costs by category, a few arrays per billing group,
    storage key and internet sender, and the moved datasets in the data move's window.
    """
    lay = prepared.layout
    plans = (*prepared.plans, prepared.stay)
    keys = max(p.key_group_index.size for p in plans)
    senders = max(p.senders.size for p in plans)
    moving = max(2 * p.moved.size * (p.window[1] - p.window[0]) for p in plans)
    per_month = 2 * len(COST_CATEGORIES) + 3 * keys + 4 * senders + 8 * lay.n_groups
    return max(lay.months * per_month + 2 * moving, 1)


_SETTLE_BYTES: Final[int] = 32_000_000


def _settle_allocator() -> None:
    """Allocate and free one 32 MB block before the chunks run.

    glibc's allocator hands the top of its heap back to the system when more than twice the
    largest mmapped block freed so far lies free there, so chunk after chunk of temporary
    arrays would be page-faulted in again (on the sample estate about as much system time as
    the computation itself). Freeing one block of its largest dynamic threshold (32 MB) first
    raises that bar above a chunk's working set, for the rest of the process: it is done once,
    for the first run of more than one chunk. Elsewhere this is one short-lived allocation.
    """
    if _SETTLED.is_set():
        return
    block = np.empty(_SETTLE_BYTES // 8)
    block[:: 4096 // 8] = 0.0  # touched, so that it is really mapped
    del block
    _SETTLED.set()


_SETTLED = threading.Event()
"""Set once the allocator was settled (process-wide; an Event is safe under threads)."""


_BACKENDS = ("numpy", "dask")


def _whole(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InvalidParameterError(
            f"The {name!r} parameter of simulate must be a whole number >= {minimum}. "
            f"Got {value!r} instead."
        )
    return int(value)


@dataclass(frozen=True)
class _Chunk:
    """What one chunk of scenarios returns (small: statistics, and kept paths)."""

    first: int
    npv: FloatArray  # (P, S)
    total: FloatArray
    exit_cost: FloatArray
    payback: npt.NDArray[np.int64]
    break_even: npt.NDArray[np.int64]
    data_move_months: FloatArray
    kept: npt.NDArray[np.int64]  # scenario numbers kept
    kept_costs: FloatArray  # (P, k, T, K)
    kept_one_off: FloatArray
    kept_inputs: FloatArray  # (k, n_inputs)


def _first_sustained(cum: FloatArray) -> npt.NDArray[np.int64]:
    """First month from which ``cum`` stays >= 0 to the horizon; -1 when it never does."""
    ok = cum >= -1e-9
    held = np.flip(np.logical_and.accumulate(np.flip(ok, -1), axis=-1), -1)
    first = np.argmax(held, axis=-1)
    out: npt.NDArray[np.int64] = np.where(held[..., -1], first, -1).astype(np.int64)
    return out


@dataclass(frozen=True, eq=False)
class Prepared:
    """The plans of one :func:`simulate` call on its layout, prepared once for every chunk."""

    layout: Layout
    plans: tuple[PlanArrays, ...]
    stay: PlanArrays


def prepare_plans(
    model: Model, plans: Sequence[ResolvedPlan], stay: ResolvedPlan, months: int
) -> Prepared:
    """Lay out ``model`` over ``months`` and prepare ``plans`` and staying on it."""
    lay = layout(model, months)
    return Prepared(lay, tuple(prepare(model, lay, p) for p in plans), prepare(model, lay, stay))


def run_plans(model: Model, prepared: Prepared, inputs: Inputs) -> list[PlanCosts]:
    """Every plan for the same scenarios (and what staying bills, for the commitments)."""
    months = prepared.layout.months
    shared = scenario_arrays(model, inputs, months, prepared.layout)  # shared by every plan
    base = evaluate(model, prepared.stay, inputs, months, shared=shared)
    return [
        base
        if not p.moves  # staying: priced once
        else evaluate(model, p, inputs, months, base.provider_usd, shared=shared)
        for p in prepared.plans
    ]


def _stats(
    results: list[PlanCosts], rate: float
) -> tuple[FloatArray, Any, Any, FloatArray, FloatArray, FloatArray]:
    # every reduction runs row by row in a fixed order, so that a scenario's figures do not
    # depend on the chunk it is computed in (a matrix product's blocking would)
    totals = np.stack([r.by_category.sum(axis=0) for r in results])  # (P,S,T)
    n_t = totals.shape[-1]
    disc = np.power(1.0 + rate, -np.arange(n_t, dtype=np.float64))
    npv = (totals * disc).sum(-1)
    savings = totals[:1] - totals
    payback = _first_sustained(np.cumsum(savings * disc, axis=-1))
    break_even = _first_sustained(np.cumsum(savings, axis=-1))
    payback[0] = -1
    break_even[0] = -1
    exit_cost = np.stack([r.one_off_by_category.sum(axis=0).sum(axis=-1) for r in results])
    moves = np.stack([r.data_move_months for r in results])
    return npv, payback, break_even, totals.sum(-1), exit_cost, moves


def _warn_past_horizon(
    model: Model, name: str, plan: ResolvedPlan, data_move_months: float, horizon: int
) -> None:
    """Warn when the expected programme of ``plan`` ends after the horizon."""
    moved = plan.workload_moved
    ends = [
        plan.labour_start[moved] + model.workload_duration_months[moved],
        plan.workload_move_start[moved]
        + model.workload_duration_months[moved]
        + model.workload_hypercare_months[moved],
    ]
    starts = plan.dataset_start[plan.data_order]
    if starts.size:
        ends.append(np.array([float(starts.min()) + data_move_months]))
    end = max((float(e.max()) for e in ends if e.size), default=0.0)
    if end > horizon:
        warn_user(
            f"simulate: the plan {name!r} runs to month {end:.1f} (labour, dual running and the "
            f"data move in the expected future), past the horizon of {horizon} months; what "
            "falls after the horizon, and the savings it buys, is not counted. Pass a longer "
            "horizon_months.",
            HorizonWarning,
        )


def run_chunk(
    model: Model,
    prepared: Prepared,
    seed: int,
    first: int,
    last: int,
    rate: float,
    keep: npt.NDArray[np.int64],
) -> _Chunk:
    """Scenarios ``[first, last)`` of every plan: per-scenario statistics and kept paths."""
    inputs = draw_inputs(model, seed, first, last)
    results = run_plans(model, prepared, inputs)
    npv, payback, break_even, total, exit_cost, moves = _stats(results, rate)
    kept = keep[(keep >= first) & (keep < last)]
    local = kept - first
    return _Chunk(
        first=first,
        npv=npv,
        total=total,
        exit_cost=exit_cost,
        payback=payback,
        break_even=break_even,
        data_move_months=moves,
        kept=kept,
        kept_costs=np.stack([np.moveaxis(r.by_category[:, local], 0, -1) for r in results]),
        kept_one_off=np.stack(
            [np.moveaxis(r.one_off_by_category[:, local], 0, -1) for r in results]
        ),
        kept_inputs=np.column_stack([inputs.values[local], inputs.overrun[local]]),
    )


@dataclass(frozen=True, eq=False)
class Simulation:
    """The result of :func:`simulate` (see ``docs/internals.md``, "The engine and its result").

    ``costs`` and ``expected`` are xarray DataArrays (xarray is imported when they are first
    read); the frames are pandas.
    """

    plans: tuple[str, ...]
    model: Model
    plan_objects: tuple[Plan, ...]
    horizon_months: int
    n_scenarios: int
    seed: int
    rate_per_month: float
    expected_costs: FloatArray  # (P, T, K)
    expected_one_off: FloatArray
    expected_data_move_months: FloatArray  # (P,)
    scenario_numbers: npt.NDArray[np.int64]
    kept_costs: FloatArray  # (P, k, T, K)
    kept_one_off: FloatArray
    kept_inputs: FloatArray
    npv_usd: FloatArray  # (P, N)
    total_usd: FloatArray
    exit_cost_usd: FloatArray
    payback: npt.NDArray[np.int64]
    break_even: npt.NDArray[np.int64]
    data_move_months: FloatArray
    stay_index: int = 0
    customer_jurisdiction: str | None = None
    resolved: tuple[ResolvedPlan, ...] = field(default=(), repr=False)
    extra_assumptions: tuple[tuple[str, float, str, str], ...] = field(default=())

    # ---- labelled arrays
    def _dates(self) -> list[pd.Timestamp]:
        return [pd.Timestamp(add_months(self.model.as_of, m)) for m in range(self.horizon_months)]

    @cached_property
    def costs(self) -> Any:
        """Kept scenario paths: dims (plan, scenario, month, category). [USD]"""
        import xarray as xr

        return xr.DataArray(
            self.kept_costs,
            dims=("plan", "scenario", "month", "category"),
            coords={
                "plan": list(self.plans),
                "scenario": self.scenario_numbers,
                "month": np.arange(self.horizon_months),
                "date": ("month", self._dates()),
                "category": list(COST_CATEGORIES),
            },
            name="cost_usd",
        )

    @cached_property
    def expected(self) -> Any:
        """The expected-value future: dims (plan, month, category). [USD]"""
        import xarray as xr

        return xr.DataArray(
            self.expected_costs,
            dims=("plan", "month", "category"),
            coords={
                "plan": list(self.plans),
                "month": np.arange(self.horizon_months),
                "date": ("month", self._dates()),
                "category": list(COST_CATEGORIES),
            },
            name="cost_usd",
        )

    def _plan_index(self, plan: str | None, default_best: bool = True) -> int:
        if plan is None:
            if len(self.plans) == 1:
                return 0
            others = [i for i in range(len(self.plans)) if i != 0]
            p50 = [
                float(np.median(self.npv_usd[i]))
                if self.npv_usd.shape[1]
                else float(self.expected_costs[i].sum(-1) @ self._disc())
                for i in others
            ]
            return others[int(np.argmin(p50))] if default_best else others[0]
        if plan not in self.plans:
            raise InvalidParameterError(
                f"The 'plan' parameter must be one of {format_choices(self.plans)}. "
                f"Got {plan!r} instead."
            )
        return self.plans.index(plan)

    def _disc(self, rate_per_month: float | None = None) -> FloatArray:
        r = self.rate_per_month if rate_per_month is None else rate_per_month
        return np.power(1.0 + r, -np.arange(self.horizon_months, dtype=np.float64))

    @cached_property
    def scenarios(self) -> pd.DataFrame:
        """One row per plan and scenario: totals, NPV, savings, exit cost, payback."""
        n_p, n = self.npv_usd.shape
        frame = pd.DataFrame(
            {
                "plan": np.repeat(np.array(self.plans, dtype=object), n),
                "scenario": np.tile(np.arange(n), n_p),
                "total_usd": self.total_usd.ravel(),
                "npv_usd": self.npv_usd.ravel(),
                "savings_npv_usd": (self.npv_usd[:1] - self.npv_usd).ravel(),
                "exit_cost_usd": self.exit_cost_usd.ravel(),
                "payback_month": pd.array(
                    np.where(self.payback < 0, -1, self.payback).ravel(), dtype="Int64"
                ),
                "break_even_month": pd.array(self.break_even.ravel(), dtype="Int64"),
            }
        )
        for col in ("payback_month", "break_even_month"):
            frame.loc[frame[col] < 0, col] = pd.NA
        return frame

    def npv(self, discount_rate_per_year: float) -> pd.DataFrame:
        """NPV of every plan's costs at another rate: expected future and kept scenarios.

        Returns a DataFrame indexed by ``plan`` with ``npv_expected_usd`` and ``npv_p5_usd``,
        ``npv_p50_usd``, ``npv_p95_usd`` over the kept scenarios.
        """
        rate = float(finance.rate_per_month_from_annual(discount_rate_per_year))
        disc = self._disc(rate)
        expected = self.expected_costs.sum(-1) @ disc
        kept = self.kept_costs.sum(-1) @ disc
        q = (
            np.quantile(kept, [0.05, 0.5, 0.95], axis=1)
            if kept.shape[1]
            else np.full((3, len(self.plans)), np.nan)
        )
        return pd.DataFrame(
            {
                "npv_expected_usd": expected,
                "npv_p5_usd": q[0],
                "npv_p50_usd": q[1],
                "npv_p95_usd": q[2],
            },
            index=pd.Index(self.plans, name="plan"),
        )

    def summary(self) -> pd.DataFrame:
        """Per plan: NPV and exit-cost ranges, payback, the chance of beating the first plan."""
        disc = self._disc()
        exp_npv = self.expected_costs.sum(-1) @ disc
        exp_exit = self.expected_one_off.sum(axis=(-1, -2))
        rows = []
        have = self.npv_usd.shape[1] > 0
        for i, name in enumerate(self.plans):
            npv = self.npv_usd[i] if have else np.array([exp_npv[i]])
            sav = (
                (self.npv_usd[0] - self.npv_usd[i]) if have else np.array([exp_npv[0] - exp_npv[i]])
            )
            ex = self.exit_cost_usd[i] if have else np.array([exp_exit[i]])
            pb = self.payback[i] if have else np.array([-1])
            be = self.break_even[i] if have else np.array([-1])
            rows.append(
                {
                    "plan": name,
                    "npv_p5_usd": float(np.quantile(npv, 0.05)),
                    "npv_p50_usd": float(np.quantile(npv, 0.5)),
                    "npv_p95_usd": float(np.quantile(npv, 0.95)),
                    "npv_expected_usd": float(exp_npv[i]),
                    "savings_npv_p5_usd": float(np.quantile(sav, 0.05)),
                    "savings_npv_p50_usd": float(np.quantile(sav, 0.5)),
                    "savings_npv_p95_usd": float(np.quantile(sav, 0.95)),
                    "exit_cost_p5_usd": float(np.quantile(ex, 0.05)),
                    "exit_cost_p50_usd": float(np.quantile(ex, 0.5)),
                    "exit_cost_p95_usd": float(np.quantile(ex, 0.95)),
                    "payback_month_p50": _median_month(pb, i),
                    "break_even_month_p50": _median_month(be, i),
                    "p_beats_first": float(np.mean(sav > 0)) if i else 0.0,
                    "data_move_months": float(
                        np.median(self.data_move_months[i])
                        if have
                        else self.expected_data_move_months[i]
                    ),
                }
            )
        frame = pd.DataFrame(rows).set_index("plan")
        for col in ("payback_month_p50", "break_even_month_p50"):
            frame[col] = frame[col].astype("Int64")
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Long frame: plan, month, date, category, expected and P5/P50/P95 over kept paths."""
        n_p, n_t, n_k = self.expected_costs.shape
        if self.kept_costs.shape[1]:
            q = np.quantile(self.kept_costs, [0.05, 0.5, 0.95], axis=1)  # (3,P,T,K)
        else:
            q = np.broadcast_to(self.expected_costs, (3, n_p, n_t, n_k))
        dates = self._dates()
        return pd.DataFrame(
            {
                "plan": np.repeat(np.array(self.plans, dtype=object), n_t * n_k),
                "month": np.tile(np.repeat(np.arange(n_t), n_k), n_p),
                "date": np.tile(np.repeat(np.array(dates), n_k), n_p),
                "category": np.tile(np.array(COST_CATEGORIES, dtype=object), n_p * n_t),
                "expected_usd": self.expected_costs.ravel(),
                "p5_usd": q[0].ravel(),
                "p50_usd": q[1].ravel(),
                "p95_usd": q[2].ravel(),
            }
        )

    def fan(self, cumulative: bool = True) -> pd.DataFrame:
        """Total cost per plan and month (cumulative by default): P5/P50/P95 and expected."""
        kept = self.kept_costs.sum(-1)
        exp = self.expected_costs.sum(-1)
        if cumulative:
            kept = np.cumsum(kept, axis=-1)
            exp = np.cumsum(exp, axis=-1)
        q = np.quantile(kept, [0.05, 0.5, 0.95], axis=1) if kept.shape[1] else np.stack([exp] * 3)
        n_p, n_t = exp.shape
        return pd.DataFrame(
            {
                "plan": np.repeat(np.array(self.plans, dtype=object), n_t),
                "month": np.tile(np.arange(n_t), n_p),
                "date": np.tile(np.array(self._dates()), n_p),
                "p5_usd": q[0].ravel(),
                "p50_usd": q[1].ravel(),
                "p95_usd": q[2].ravel(),
                "expected_usd": exp.ravel(),
            }
        )

    def cash_flows(self) -> pd.DataFrame:
        """Deprecated name of :meth:`monthly_costs` (its costs are positive, not signed flows)."""
        warn_user(
            "Simulation.cash_flows() is now Simulation.monthly_costs() (its costs are positive "
            "amounts, not signed cash flows); the old name goes in the next release.",
            FutureWarning,
        )
        return self.monthly_costs()

    def monthly_costs(self) -> pd.DataFrame:
        """Expected future per plan and month: cost, cumulative, savings against the first.

        Costs are positive amounts (USD per month), savings what the plan costs less than the
        first plan (positive when it is cheaper).
        """
        exp = self.expected_costs.sum(-1)
        sav = exp[:1] - exp
        n_p, n_t = exp.shape
        return pd.DataFrame(
            {
                "plan": np.repeat(np.array(self.plans, dtype=object), n_t),
                "month": np.tile(np.arange(n_t), n_p),
                "date": np.tile(np.array(self._dates()), n_p),
                "cost_usd": exp.ravel(),
                "cumulative_cost_usd": np.cumsum(exp, -1).ravel(),
                "savings_usd": sav.ravel(),
                "cumulative_savings_usd": np.cumsum(sav, -1).ravel(),
            }
        )

    def exit_bill(self, plan: str | None = None) -> pd.DataFrame:
        """One-off costs of leaving under ``plan`` in the expected future, by category."""
        i = self._plan_index(plan)
        usd = self.expected_one_off[i].sum(0)
        rows = [(c, float(usd[k])) for k, c in enumerate(COST_CATEGORIES) if usd[k] > 0]
        return pd.DataFrame(rows, columns=["category", "usd"])

    def _savings_for(self, inputs: Inputs, i: int) -> FloatArray:
        model, plans = self.model, self.plan_objects
        resolved = [
            resolve(
                p,
                model,
                horizon_months=self.horizon_months,
                customer_jurisdiction=self.customer_jurisdiction,
            )
            for p in (plans[0], plans[i])
        ]
        stay = resolve(Plan.stay(), model, horizon_months=self.horizon_months)
        res = run_plans(model, prepare_plans(model, resolved, stay, self.horizon_months), inputs)
        disc = self._disc()
        out: FloatArray = res[0].costs.sum(-1) @ disc - res[1].costs.sum(-1) @ disc
        return out

    def tornado(self, plan: str | None = None) -> pd.DataFrame:
        """Each uncertain input at its low and high, the others at base: the savings NPV swing."""
        i = self._plan_index(plan)
        base = expected_inputs(self.model)
        n_in = len(self.model.inputs)
        names = [x.name for x in self.model.inputs] + ["overrun"]
        lows = [x.low for x in self.model.inputs]
        highs = [x.high for x in self.model.inputs]
        o = self.model.defaults.overrun
        from exitcost.engine.kernel import overrun_mean

        lows.append(o.regular[0] / overrun_mean(self.model))
        highs.append(o.black_swan[2] / overrun_mean(self.model))
        n = n_in + 1
        values = np.repeat(base.values, 2 * n, axis=0)
        overrun = np.ones(2 * n)
        for j in range(n):  # one row pair per input: the tornado's own design
            if j < n_in:
                values[2 * j, j], values[2 * j + 1, j] = lows[j], highs[j]
            else:
                overrun[2 * j], overrun[2 * j + 1] = lows[j], highs[j]
        inputs = Inputs(values, overrun, np.repeat(base.drift, 2 * n, axis=0))
        sav = self._savings_for(inputs, i)
        frame = pd.DataFrame(
            {
                "input": names,
                "low": lows,
                "high": highs,
                "npv_low_usd": sav[0::2],
                "npv_high_usd": sav[1::2],
            }
        )
        frame["swing_usd"] = (frame["npv_high_usd"] - frame["npv_low_usd"]).abs()
        return frame.sort_values("swing_usd", ascending=False, ignore_index=True)

    def drivers(self, plan: str | None = None) -> pd.DataFrame:
        """Variance share of the savings NPV per input (squared standardised regression)."""
        i = self._plan_index(plan)
        x = self.kept_inputs
        if x.shape[0] < 3 or x.shape[1] == 0:
            return pd.DataFrame({"input": [], "share": []})
        disc = self._disc()
        y = self.kept_costs[0].sum(-1) @ disc - self.kept_costs[i].sum(-1) @ disc
        sx = x.std(axis=0)
        sy = float(y.std())
        live = sx > 0
        share = np.zeros(x.shape[1])
        if sy > 0 and live.any():
            z = (x[:, live] - x[:, live].mean(0)) / sx[live]
            beta, *_ = np.linalg.lstsq(
                np.column_stack([z, np.ones(len(y))]), (y - y.mean()) / sy, rcond=None
            )
            s = beta[:-1] ** 2
            share[live] = s / max(float(s.sum()), 1.0)
        names = [v.name for v in self.model.inputs] + ["overrun"]
        frame = pd.DataFrame({"input": names, "share": share})
        return frame.sort_values("share", ascending=False, ignore_index=True)

    def lock_in_clock(self, months: Sequence[int]) -> pd.DataFrame:
        """The exit cost of the best other plan if it started in each of ``months``."""
        i = self._plan_index(None)
        plan = self.plan_objects[i]
        rows = []
        for m in months:  # a handful of start months, each a small simulation
            shifted = plan.shifted(int(m))
            sim = simulate(
                self.model,
                [self.plan_objects[0], shifted],
                horizon_months=self.horizon_months,
                n_scenarios=min(self.n_scenarios, 200),
                seed=self.seed,
                customer_jurisdiction=self.customer_jurisdiction,
            )
            ex = sim.exit_cost_usd[1] if sim.n_scenarios else sim.expected_one_off[1].sum()[None]
            rows.append(
                {
                    "month": int(m),
                    "date": pd.Timestamp(add_months(self.model.as_of, int(m))),
                    "exit_cost_p5_usd": float(np.quantile(ex, 0.05)),
                    "exit_cost_p50_usd": float(np.quantile(ex, 0.5)),
                    "exit_cost_p95_usd": float(np.quantile(ex, 0.95)),
                    "exit_cost_expected_usd": float(sim.expected_one_off[1].sum()),
                }
            )
        return pd.DataFrame(rows)

    def negotiation_discount(self) -> float:
        """Discount off the first plan's cloud bill at which it matches the best plan's P50 NPV."""
        if len(self.plans) < 2:
            return 0.0
        i = self._plan_index(None)
        disc = self._disc()
        have = self.npv_usd.shape[1] > 0
        first = (
            float(np.median(self.npv_usd[0]))
            if have
            else float(self.expected_costs[0].sum(-1) @ disc)
        )
        best = (
            float(np.median(self.npv_usd[i]))
            if have
            else float(self.expected_costs[i].sum(-1) @ disc)
        )
        cloud = [COST_CATEGORIES.index(c) for c in ("compute", "storage", "egress")]
        billed = float(self.expected_costs[0][:, cloud].sum(-1) @ disc)
        if billed <= 0 or best >= first:
            return 0.0
        return float(min((first - best) / billed, 1.0))

    @property
    def assumptions(self) -> pd.DataFrame:
        """Every input the figures rest on: name, value (mean), unit and source."""
        m = self.model
        rows = [(x.name, x.mean, x.unit, x.source) for x in m.inputs]
        d = m.defaults
        rows += [
            (
                "overrun.black_swan_probability",
                d.overrun.black_swan_probability,
                "1",
                d.overrun.source,
            ),
            (
                "discount_rate_per_month",
                self.rate_per_month,
                "1/month",
                "facilities defaults: discount_rate_per_year",
            ),
            (
                "hardware_lead_time_months",
                m.facility.value("hardware_lead_time_months"),
                "months",
                "facilities defaults",
            ),
        ]
        for c in ("compute", "storage", "egress"):
            lo, hi = getattr(d.price_drift_per_year, c)
            rows.append(
                (
                    f"price_drift_per_year.{c}",
                    (lo + hi) / 2,
                    "1/year",
                    d.price_drift_per_year.source,
                )
            )
        rows += [
            (
                f"{p.name}.bandwidth_gbps",
                p.bandwidth_gbps or d.data_move_bandwidth_gbps,
                "Gbit/s",
                d.data_move_bandwidth_source,
            )
            for p in self.plan_objects
        ]
        translated = {
            w
            for plan in self.resolved
            for w in np.flatnonzero(
                plan.workload_moved
                & self.model.workload_spend_only
                & np.isin(
                    plan.workload_target,
                    [i for i, k in enumerate(self.model.location_kind) if k == "cloud"],
                )
            ).tolist()
        }
        if translated:
            rows.append(
                (
                    "spend_only_workloads_translated",
                    float(len(translated)),
                    "workloads",
                    "a workload stated only as a monthly spend moves to another cloud at its "
                    "spend x the ratio of the two regions' vCPU-hour prices",
                )
            )
        rows += list(self.extra_assumptions)
        return pd.DataFrame(rows, columns=["name", "value", "unit", "source"])

    @property
    def provenance(self) -> pd.DataFrame:
        """The price books used: provider, effective date, label and source."""
        rows = []
        for provider, book in sorted(self.model.books.items()):
            rows.append(
                {
                    "provider": provider,
                    "effective_date": book.effective_date,
                    "label": self.model.provenance.get(provider, ""),
                    "source": str(book.path) if book.path is not None else "registered",
                }
            )
        return pd.DataFrame(rows, columns=["provider", "effective_date", "label", "source"])

    def plot(self, kind: str, **kwargs: Any) -> Any:
        """Draw one of the report's charts with this result's frame.

        ``kind`` is ``"fan"``, ``"waterfall"`` (``plan=``), ``"tornado"`` (``plan=``),
        ``"lock_in"`` (``months=``), ``"cash_flow"`` or ``"probability"``;
        :mod:`exitcost.report.plots` is imported here, lazily.
        """
        import importlib

        charts: dict[str, tuple[str, Callable[..., Any], tuple[str, ...]]] = {
            "fan": ("fan_chart", self.fan, ("cumulative",)),
            "waterfall": ("waterfall", self.exit_bill, ("plan",)),
            "tornado": ("tornado_chart", self.tornado, ("plan",)),
            "lock_in": ("lock_in_chart", self.lock_in_clock, ("months",)),
            "cash_flow": ("cash_flow_chart", self.monthly_costs, ()),
            "probability": ("probability_chart", self.summary, ()),
        }
        if kind not in charts:
            raise InvalidParameterError(
                f"The 'kind' parameter of Simulation.plot must be one of "
                f"{format_choices(charts)}. Got {kind!r} instead."
            )
        name, frame, own = charts[kind]
        mine = {k: kwargs.pop(k) for k in own if k in kwargs}
        plots = importlib.import_module("exitcost.report.plots")
        return getattr(plots, name)(frame(**mine), **kwargs)


def _median_month(values: npt.NDArray[np.int64], i: int) -> Any:
    if i == 0 or values.size == 0:
        return pd.NA
    reached = values[values >= 0]
    if reached.size * 2 < values.size:  # most futures never pay back
        return pd.NA
    return int(np.sort(np.where(values < 0, np.iinfo(np.int64).max, values))[values.size // 2])


def simulate(
    estate_or_model: Estate | Model,
    plans: Plan | Sequence[Plan],
    *,
    horizon_months: int = 60,
    n_scenarios: int = 10_000,
    seed: int = 0,
    chunk_size: int | None = None,
    backend: str = "numpy",
    client: Any = None,
    progress: Callable[[int, int], None] | None = None,
    keep_scenarios: int = KEEP_SCENARIOS,
    customer_jurisdiction: str | None = None,
) -> Simulation:
    """Evaluate every plan month by month over ``n_scenarios`` futures and the expected one.

    Parameters
    ----------
    estate_or_model : Estate or Model
        The estate (compiled here) or a compiled model.
    plans : Plan or sequence of Plan
        The plans, the first being the reference (usually :meth:`Plan.stay`).
    horizon_months : int, default 60
        Months simulated. [months]
    n_scenarios : int, default 10,000
        Futures sampled; 0 runs only the expected-value future.
    seed : int, default 0
        Seed of the scenario streams (the same seed gives the same numbers, whatever the
        chunk size or backend).
    chunk_size : int, optional
        Scenarios per chunk (memory is bounded by it); by default about one million cells.
    backend : {"numpy", "dask"}
        Run the chunks in this process, or on a Dask cluster (``client``: a
        ``dask.distributed.Client``, its address, or None for a local cluster).
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk.
    keep_scenarios : int, default 1,000
        Scenario paths kept in ``Simulation.costs`` (a seeded subset beyond it).
    customer_jurisdiction : str, optional
        The customer's jurisdiction (``"EU"``, ``"DE"``, ...): the EU Data Act's phases then
        scale the data move's egress month by month.

    Returns
    -------
    Simulation

    Raises
    ------
    InvalidParameterError
        A bad parameter or plan (before any work starts).
    """
    horizon = _whole(horizon_months, "horizon_months", 1)
    n = _whole(n_scenarios, "n_scenarios", 0)
    seed = _whole(seed, "seed", 0)
    keep_n = _whole(keep_scenarios, "keep_scenarios", 0)
    if chunk_size is not None:
        _whole(chunk_size, "chunk_size", 1)
    if backend not in _BACKENDS:
        raise InvalidParameterError(
            f"The 'backend' parameter of simulate must be one of {format_choices(_BACKENDS)}. "
            f"Got {backend!r} instead."
        )
    plan_list = (plans,) if isinstance(plans, Plan) else tuple(plans)
    if not plan_list:
        raise InvalidParameterError("The 'plans' parameter of simulate must hold >= 1 Plan.")
    names = [p.name if isinstance(p, Plan) else repr(p) for p in plan_list]
    if len(set(names)) != len(names):
        raise InvalidParameterError(
            f"The 'plans' parameter of simulate must have distinct names. Got {names!r} instead."
        )
    model = as_model(estate_or_model)
    targets = [t for p in plan_list if isinstance(p, Plan) for t in p.targets()]
    model = model.with_locations(targets)
    if customer_jurisdiction is not None:
        data_act_applies(customer_jurisdiction, func="simulate")  # an unknown code is refused
    resolved = [
        resolve(p, model, horizon_months=horizon, customer_jurisdiction=customer_jurisdiction)
        for p in plan_list
    ]
    stay = resolve(Plan.stay(), model, horizon_months=horizon)
    rate = float(finance.rate_per_month_from_annual(model.facility.value("discount_rate_per_year")))

    prepared = prepare_plans(model, resolved, stay, horizon)
    expected = run_plans(model, prepared, expected_inputs(model))
    for name, plan, result in zip(names, resolved, expected, strict=True):
        _warn_past_horizon(model, name, plan, float(result.data_move_months[0]), horizon)
    e_costs = np.stack([r.costs[0] for r in expected])
    e_one = np.stack([r.one_off[0] for r in expected])
    e_moves = np.array([float(r.data_move_months[0]) for r in expected])

    if keep_n >= n:
        keep = np.arange(n, dtype=np.int64)
    else:
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31,)))
        keep = np.sort(rng.choice(n, size=keep_n, replace=False)).astype(np.int64)
    size = chunk_size or max(1, min(n, _CELLS_PER_CHUNK // _cells(prepared))) if n else 1
    bounds_ = [(a, min(a + size, n)) for a in range(0, n, size)]
    if backend == "dask" and n:
        from exitcost.engine.distributed import run_on_dask

        chunks = run_on_dask(model, prepared, seed, bounds_, rate, keep, client, progress)
    else:
        chunks = []
        if len(bounds_) > 1:
            _settle_allocator()
        for a, b in bounds_:  # chunks of scenarios, each vectorised
            chunks.append(run_chunk(model, prepared, seed, a, b, rate, keep))
            if progress is not None:
                progress(b, n)
    n_p = len(plan_list)

    def cat(attr: str, empty: tuple[int, ...], dtype: Any = np.float64) -> Any:
        parts = [getattr(c, attr) for c in chunks]
        axis = 1
        return np.concatenate(parts, axis=axis) if parts else np.zeros(empty, dtype=dtype)

    n_k = len(COST_CATEGORIES)
    kept_inputs = (
        np.concatenate([c.kept_inputs for c in chunks])
        if chunks
        else np.zeros((0, len(model.inputs) + 1))
    )
    return Simulation(
        plans=tuple(names),
        model=model,
        plan_objects=plan_list,
        horizon_months=horizon,
        n_scenarios=n,
        seed=seed,
        rate_per_month=rate,
        expected_costs=e_costs,
        expected_one_off=e_one,
        expected_data_move_months=e_moves,
        scenario_numbers=np.concatenate([c.kept for c in chunks]) if chunks else keep,
        kept_costs=cat("kept_costs", (n_p, 0, horizon, n_k)),
        kept_one_off=cat("kept_one_off", (n_p, 0, horizon, n_k)),
        kept_inputs=kept_inputs,
        npv_usd=cat("npv", (n_p, 0)),
        total_usd=cat("total", (n_p, 0)),
        exit_cost_usd=cat("exit_cost", (n_p, 0)),
        payback=cat("payback", (n_p, 0), np.int64),
        break_even=cat("break_even", (n_p, 0), np.int64),
        data_move_months=cat("data_move_months", (n_p, 0)),
        customer_jurisdiction=customer_jurisdiction,
        resolved=tuple(resolved),
    )
