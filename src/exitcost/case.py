"""The exit case: stay with a provider, or leave it; a view of the engine.

:func:`exit_case` runs :func:`exitcost.simulate` for two plans, :meth:`Plan.stay` and
:meth:`Plan.leave` of one provider for a destination (a new colocation site by default), and
lays the engine's expected future out month by month, with the exit bill's ranges from its
scenarios. Every number is the engine's: the demo, the API and the docs show one exit bill.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> case = exit_case(sample_estate(), "azure", n_scenarios=20)
>>> case.summary.index.tolist()
['stay', 'leave']
>>> total = case.monthly_costs["leave_usd"].sum()
>>> bool(abs(total - case.summary.loc["leave", "total_cost_usd"]) < 1e-6 * total)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost import finance
from exitcost._validation import (
    check_bool,
    check_scalar,
    check_whole,
    renamed_parameters,
    warn_user,
)
from exitcost.categories import COST_CATEGORIES
from exitcost.engine import Plan, Simulation, simulate
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.estate import Estate
from exitcost.facilities import FacilityDefaults
from exitcost.model import Model, as_model, compile
from exitcost.pricing import data_act_applies
from exitcost.units import whole_month_or_none

__all__ = ["CASE_SUMMARY_COLUMNS", "ExitCase", "exit_case"]

FloatArray = npt.NDArray[np.float64]

CASE_SUMMARY_COLUMNS: Final[tuple[str, ...]] = (
    "total_cost_usd",
    "npv_cost_usd",
    "savings_npv_usd",
    "payback_month",
    "break_even_month",
    "exit_cost_usd",
    "programme_months",
    "cut_over_month",
)
"""Columns of :attr:`ExitCase.summary`."""

_MONEY: Final[tuple[str, ...]] = ("low_usd", "expected_usd", "high_usd")
_BASIS: Final[Mapping[str, str]] = {
    "egress": "the data move's share of each month's egress bill, in the source account's "
    "tiers with the recurring traffic, over the months its bandwidth takes",
    "retrieval": "reading the moved data back out of its storage class",
    "requests": "read requests for the moved objects",
    "labour": "re-platforming effort of the moved workloads (effort model), over its schedule",
    "dual_running": "the provider's run cost while old and new run side by side",
    "commitments": "commitments owed beyond what staying pays (shortfalls, stranded terms)",
}


@dataclass(frozen=True)
class ExitCase:
    """Monthly streams and summary of staying with a provider or leaving it.

    Attributes
    ----------
    provider, destination : str
        The provider left and the location its workloads and data go to.
    monthly_costs : pandas.DataFrame
        One row per month (index ``month``, from 0): ``stay_usd`` and ``leave_usd`` (positive
        costs, not signed cash flows: ``finance.npv`` of ``-monthly_costs`` is a cash flow's
        NPV), then ``stay_<category>_usd`` and ``leave_<category>_usd`` for each cost category
        either side has; each side's category columns sum to its total. [USD]
    summary : pandas.DataFrame
        Rows ``stay`` and ``leave``, columns :data:`CASE_SUMMARY_COLUMNS`.
    exit_bill : pandas.DataFrame
        The one-off costs of leaving by category and ``total``: ``low_usd`` and ``high_usd``
        (P5 and P95 over the scenarios), ``expected_usd`` (the expected future, as placed in
        ``monthly_costs``) and ``basis``.
    assumptions : Mapping[str, float or bool]
        Scalars the case used (rates, the time line's months, the data move) and its switches
        as booleans (``exit_waiver``, ``growth``), never as 1.0 / 0.0.
    simulation : Simulation
        The engine's result the case is a view of.
    """

    provider: str
    destination: str
    monthly_costs: pd.DataFrame
    summary: pd.DataFrame
    exit_bill: pd.DataFrame
    assumptions: Mapping[str, float | bool] = field(default_factory=dict)
    simulation: Simulation | None = field(default=None, repr=False)

    @property
    def cash_flows(self) -> pd.DataFrame:
        """Old name of :attr:`monthly_costs` (positive costs, not signed cash flows).

        Kept for one release with a :class:`FutureWarning`.
        """
        warn_user(
            "ExitCase.cash_flows is now ExitCase.monthly_costs: it holds positive costs, not "
            "signed cash flows; 'cash_flows' will be removed in the next release.",
            FutureWarning,
        )
        return self.monthly_costs

    def to_frame(self) -> pd.DataFrame:
        """The streams in long form: one row per month, option and category.

        Returns
        -------
        pandas.DataFrame
            Columns ``month``, ``option`` (``stay`` or ``leave``), ``category`` and ``usd``.

        Examples
        --------
        >>> from exitcost.estate import sample_estate
        >>> long = exit_case(sample_estate(), "azure", horizon_months=24, n_scenarios=0).to_frame()
        >>> long.columns.tolist()
        ['month', 'option', 'category', 'usd']
        """
        parts = []
        for option in ("stay", "leave"):
            prefix = f"{option}_"
            cols = [
                c
                for c in self.monthly_costs.columns
                if c.startswith(prefix) and c != f"{option}_usd"
            ]
            frame = self.monthly_costs[cols].rename(
                columns={c: c[len(prefix) : -len("_usd")] for c in cols}
            )
            long = frame.reset_index().melt(id_vars="month", var_name="category", value_name="usd")
            parts.append(long.assign(option=option))
        out = pd.concat(parts, ignore_index=True)
        return out[["month", "option", "category", "usd"]]


def _rate(discount_rate_per_year: float | None, model: Model, func: str) -> float:
    if discount_rate_per_year is None:
        return model.facility.value("discount_rate_per_year")
    rate = check_scalar(
        discount_rate_per_year,
        name="discount_rate_per_year",
        func=func,
        minimum=-1.0,
        exclusive_minimum=True,
    )
    if rate > 1.0:
        raise InvalidParameterError(
            f"The 'discount_rate_per_year' parameter of {func} must be a decimal fraction "
            f"per year, > -1 and <= 1; {rate:g} looks like a percentage "
            f"({rate:g} means {rate * 100:g}%; pass {rate / 100:g} for "
            f"{rate:g}%). Got {discount_rate_per_year!r} instead."
        )
    return rate


@renamed_parameters(months="horizon_months")
def exit_case(
    estate: Estate | Model,
    provider: str,
    *,
    destination: str = "colo",
    horizon_months: int = 60,
    exit_waiver: bool = False,
    customer_jurisdiction: str | None = None,
    discount_rate_per_year: float | None = None,
    growth: bool = True,
    defaults: FacilityDefaults | None = None,
    bandwidth_gbps: float | None = None,
    n_scenarios: int = 200,
    seed: int = 0,
) -> ExitCase:
    """Stay with ``provider`` or leave it: the engine's two plans, month by month.

    Parameters
    ----------
    estate : Estate or Model
        The estate, or its compiled model.
    provider : str
        The cloud provider left (``"aws"``); it must have workloads in the estate.
    destination : str, default "colo"
        Where its workloads and data go: ``"colo"`` for a new colocation site
        (``colo:<provider>-exit``), or any location id (``"onprem:fra1"``,
        ``"gcp:us-central1"``).
    horizon_months : int, default 60
        Months simulated from the estate's ``as_of`` month (``months`` is its old name, kept
        for one release with a FutureWarning). [months]
    exit_waiver : bool, default False
        Ask for the provider's free-egress-on-exit programme: what moves inside its window
        is free, the rest pays list price (the programme needs the provider's approval).
    customer_jurisdiction : str, optional
        The customer's jurisdiction for the EU Data Act (``"EU"`` or a member state).
    discount_rate_per_year : float, optional
        A decimal fraction per year, > -1 and <= 1 (0.08 for 8%); default the facilities
        defaults' 8%. [1/year]
    growth : bool, default True
        Grow every dataset at its ``growth_rate_per_month``; False holds today's sizes.
    defaults : FacilityDefaults, optional
        Facility defaults (when ``estate`` is an Estate); the newest bundled set where None.
    bandwidth_gbps : float, optional
        Bandwidth of the data move (default: the engine defaults'). [Gbit/s]
    n_scenarios : int, default 200
        Futures for the exit bill's low and high (P5 and P95); 0 gives the expected only.
    seed : int, default 0
        Seed of the futures.

    Returns
    -------
    ExitCase
        ``summary`` columns: ``total_cost_usd``, ``npv_cost_usd`` (month 0 undiscounted),
        ``savings_npv_usd`` (NPV of stay - leave), ``payback_month`` (discounted payback of
        the savings, sustained to the horizon), ``break_even_month`` (undiscounted),
        ``exit_cost_usd`` (the exit bill's expected total), ``programme_months`` and
        ``cut_over_month``. The months are pandas nullable columns (``Int64``; ``Float64`` for
        the fractional ``programme_months``), as in the engine's frames: the ``stay`` row's
        payback, break-even, programme and cut-over are ``<NA>`` (not applicable), and so are
        the ``leave`` row's payback and break-even when leaving never catches up within the
        horizon. No column holds a NaN.

    Raises
    ------
    InvalidParameterError
        ``provider`` is not a cloud provider of the estate or has no workloads, a destination
        that cannot be priced, a discount rate outside (-1, 1] (8 means 800%: pass 0.08), a
        flag that is not a bool, or an unknown ``customer_jurisdiction``.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> exit_case(sample_estate(), "aws", discount_rate_per_year=8)
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'discount_rate_per_year' parameter of exit_case ...
    """
    func = "exit_case"
    model = (
        as_model(estate, func=func)
        if isinstance(estate, Model) or defaults is None
        else compile(estate, facility_defaults=defaults)
    )
    clouds = sorted(
        {
            p
            for p, k in zip(model.location_provider, model.location_kind, strict=False)
            if k == "cloud"
        }
    )
    if provider not in clouds:
        raise InvalidParameterError(
            f"The 'provider' parameter of {func} must be a cloud provider of the estate "
            f"({format_choices(clouds)}). Got {provider!r} instead."
        )
    at = {i for i, p in enumerate(model.location_provider) if p == provider}
    held = (*model.workload_location, *model.dataset_location)
    if not any(int(x) in at for x in held):  # a provider with only data is a data exit
        used = sorted({model.location_provider[int(x)] for x in held})
        raise InvalidParameterError(
            f"The 'provider' parameter of {func} must name a provider with workloads or data "
            f"to move; {provider!r} has neither in estate {model.name!r} (providers with "
            f"either: {format_choices(c for c in used if c in clouds) or 'none'}). "
            f"Got {provider!r} instead."
        )
    n = check_whole(horizon_months, name="horizon_months", func=func, minimum=1, unit="months")
    waive = check_bool(exit_waiver, name="exit_waiver", func=func)
    grow = check_bool(growth, name="growth", func=func)
    if customer_jurisdiction is not None:
        data_act_applies(customer_jurisdiction, func=func)
    rate_year = _rate(discount_rate_per_year, model, func)
    if not grow:
        model = replace(
            model,
            dataset_growth_rate_per_month=np.zeros_like(model.dataset_growth_rate_per_month),
            inputs=tuple(x for x in model.inputs if x.target != "dataset_growth_rate_per_month"),
        )
    to = f"colo:{provider}-exit" if destination == "colo" else destination
    leave = Plan.leave(
        provider, to=to, exit_waiver=waive, bandwidth_gbps=bandwidth_gbps, name="leave"
    )
    sim = simulate(
        model,
        [Plan.stay(), leave],
        horizon_months=n,
        n_scenarios=n_scenarios,
        seed=seed,
        customer_jurisdiction=customer_jurisdiction,
    )
    rate = float(finance.rate_per_month_from_annual(rate_year))
    stay_costs, leave_costs = sim.expected_costs
    stay_total = stay_costs.sum(-1)
    leave_total = leave_costs.sum(-1)
    columns: dict[str, FloatArray] = {"stay_usd": stay_total, "leave_usd": leave_total}
    for option, costs in (("stay", stay_costs), ("leave", leave_costs)):
        for k, category in enumerate(COST_CATEGORIES):
            if np.abs(stay_costs[:, k]).sum() + np.abs(leave_costs[:, k]).sum() > 0:
                columns[f"{option}_{category}_usd"] = costs[:, k]
    monthly_costs = pd.DataFrame(columns, index=pd.RangeIndex(n, name="month"))

    # the exit bill: expected (as placed) and P5/P95 over the scenarios, by category
    one_off = sim.expected_one_off[1].sum(0)
    kept = sim.kept_one_off[1].sum(1)  # (scenarios, K)
    rows = {}
    for k, category in enumerate(COST_CATEGORIES):
        if one_off[k] <= 0 and not (kept.shape[0] and kept[:, k].max() > 0):
            continue
        low, high = (
            (float(np.quantile(kept[:, k], 0.05)), float(np.quantile(kept[:, k], 0.95)))
            if kept.shape[0]
            else (float(one_off[k]), float(one_off[k]))
        )
        rows[category] = {
            "low_usd": min(low, float(one_off[k])),
            "expected_usd": float(one_off[k]),
            "high_usd": max(high, float(one_off[k])),
            "basis": _BASIS.get(category, "engine"),
        }
    totals = kept.sum(1) if kept.shape[0] else np.array([one_off.sum()])
    rows["total"] = {
        "low_usd": min(float(np.quantile(totals, 0.05)), float(one_off.sum())),
        "expected_usd": float(one_off.sum()),
        "high_usd": max(float(np.quantile(totals, 0.95)), float(one_off.sum())),
        "basis": "sum of the lines above (low and high: P5 and P95 of the total over the "
        "scenarios)",
    }
    bill = pd.DataFrame.from_dict(rows, orient="index", columns=[*_MONEY, "basis"])
    bill.index.name = "category"
    bill = bill.astype(dict.fromkeys(_MONEY, float))
    provenance = {row.provider: row.label for row in sim.provenance.itertuples()}
    bill.attrs = {"price_books": provenance}

    plan = sim.resolved[1]
    moved = plan.workload_moved
    duration = sim.model.workload_duration_months
    programme = float((plan.labour_start + duration)[moved].max()) if moved.any() else 0.0
    data_start = (
        float(plan.dataset_start[plan.dataset_moved].min()) if plan.dataset_moved.any() else 0.0
    )
    data_end = data_start + float(sim.expected_data_move_months[1])
    switch = float(plan.workload_switch[moved].max()) if moved.any() else 0.0
    cut_over = float(max(switch, np.ceil(data_end - 1e-9)))
    payback = finance.break_even_month(stay_total, leave_total, rate_per_period=rate)
    break_even = finance.break_even_month(stay_total, leave_total)
    summary = pd.DataFrame(
        {
            "total_cost_usd": [float(stay_total.sum()), float(leave_total.sum())],
            "npv_cost_usd": [
                float(finance.npv(rate, stay_total)),
                float(finance.npv(rate, leave_total)),
            ],
            "savings_npv_usd": [0.0, float(finance.npv(rate, stay_total - leave_total))],
            # stay's months do not apply, and leaving may never catch up: <NA>, never NaN
            "payback_month": pd.array([pd.NA, whole_month_or_none(payback)], dtype="Int64"),
            "break_even_month": pd.array([pd.NA, whole_month_or_none(break_even)], dtype="Int64"),
            "exit_cost_usd": [0.0, float(one_off.sum())],
            "programme_months": pd.array([pd.NA, programme], dtype="Float64"),
            "cut_over_month": pd.array([pd.NA, whole_month_or_none(cut_over)], dtype="Int64"),
        },
        index=pd.Index(["stay", "leave"], name="option"),
    )
    summary.attrs = dict(bill.attrs)
    site = list(plan.site_in_service.values())
    assumptions: dict[str, float | bool] = {
        "discount_rate_per_year": float(rate_year),
        "rate_per_month": rate,
        "months": float(n),
        "growth": grow,
        "exit_waiver": waive,
        "programme_months": programme,
        "site_in_service_month": float(min(site)) if site else float("nan"),
        "cut_over_month": cut_over,
        "workloads_moved": float(moved.sum()),
        "data_move_start_month": data_start,
        "data_move_months": float(sim.expected_data_move_months[1]),
        "data_move_bandwidth_gbps": plan.bandwidth_gbps,
        "exit_bill_usd": float(one_off.sum()),
    }
    return ExitCase(
        provider=provider,
        destination=to,
        monthly_costs=monthly_costs,
        summary=summary,
        exit_bill=bill,
        assumptions=assumptions,
        simulation=sim,
    )
