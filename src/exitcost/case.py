"""The full exit case: stay with a provider, or pay the exit bill and run an owned site.

:func:`exit_case` puts the library's parts on one monthly time line, so that staying and leaving
can be compared month by month and discounted:

* **stay**: the provider's baseline run cost (:func:`exitcost.graph.baseline_cost`) every
  month, its storage growing with the datasets' growth rates;
* **leave**: the provider's run cost until cut-over, the one-time exit bill
  (:func:`exitcost.summary.exit_cost_summary`) placed in the months it is paid, and from
  cut-over a colocation site (:func:`exitcost.facilities.owned_site_costs`) sized from the
  provider's compute and storage.

Every stream is labelled with a cost category of :mod:`exitcost.categories`, and the summary is
computed from the streams, so the two always agree.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> case = exit_case(sample_estate(), "azure")
>>> case.summary.index.tolist()
['stay', 'leave']
>>> total = case.cash_flows["leave_usd"].sum()
>>> bool(abs(total - case.summary.loc["leave", "total_cost_usd"]) < 1e-6 * total)
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost import finance
from exitcost._validation import check_scalar
from exitcost.categories import COST_CATEGORIES
from exitcost.effort import schedule_summary, stranded_commitments
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.estate import Estate
from exitcost.facilities import FacilityDefaults, load_facility_defaults, owned_site_costs
from exitcost.graph.baseline import baseline_cost
from exitcost.summary import exit_cost_summary
from exitcost.uncertainty import point

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

_DESTINATIONS: Final[tuple[str, ...]] = ("colo",)
_DATA_LINES: Final[tuple[str, ...]] = ("egress", "retrieval", "requests", "early_deletion")
_RUN_CATEGORIES: Final[tuple[str, ...]] = ("compute", "storage", "egress")


@dataclass(frozen=True)
class ExitCase:
    """Monthly streams and summary of staying with a provider or leaving it.

    Attributes
    ----------
    provider, destination : str
        The provider left and where its workloads go.
    cash_flows : pandas.DataFrame
        One row per month (index ``month``, from 0): ``stay_usd`` and ``leave_usd`` (positive
        costs), then ``stay_<category>_usd`` and ``leave_<category>_usd`` for each cost category
        either side has; each side's category columns sum to its total. [USD]
    summary : pandas.DataFrame
        Rows ``stay`` and ``leave``, columns :data:`CASE_SUMMARY_COLUMNS` (see :func:`exit_case`).
    exit_bill : pandas.DataFrame
        The one-time bill placed in the leave stream (:func:`exitcost.summary.exit_cost_summary`).
    assumptions : Mapping[str, float]
        Scalars the case used (rates, months, site size at cut-over).
    """

    provider: str
    destination: str
    cash_flows: pd.DataFrame
    summary: pd.DataFrame
    exit_bill: pd.DataFrame
    assumptions: Mapping[str, float] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The streams in long form: one row per month, option and category.

        Returns
        -------
        pandas.DataFrame
            Columns ``month``, ``option`` (``stay`` or ``leave``), ``category`` and ``usd``.

        Examples
        --------
        >>> from exitcost.estate import sample_estate
        >>> long = exit_case(sample_estate(), "azure", months=24).to_frame()
        >>> long.columns.tolist()
        ['month', 'option', 'category', 'usd']
        """
        parts = []
        for option in ("stay", "leave"):
            prefix = f"{option}_"
            cols = [
                c for c in self.cash_flows.columns if c.startswith(prefix) and c != f"{option}_usd"
            ]
            frame = self.cash_flows[cols].rename(
                columns={c: c[len(prefix) : -len("_usd")] for c in cols}
            )
            long = frame.reset_index().melt(id_vars="month", var_name="category", value_name="usd")
            parts.append(long.assign(option=option))
        out = pd.concat(parts, ignore_index=True)
        return out[["month", "option", "category", "usd"]]


def _spread(total: FloatArray, start: FloatArray, length: FloatArray, months: int) -> FloatArray:
    """Each ``total`` evenly over months ``[start, start + length)`` -> shape (k, months)."""
    t = np.arange(months)[None, :]
    s = start[:, None]
    n = np.maximum(length, 1.0)[:, None]
    inside = (t >= s) & (t < s + n)
    spread: FloatArray = np.where(inside, (total[:, None] / n), 0.0)
    return spread


def exit_case(
    estate: Estate,
    provider: str,
    *,
    destination: Literal["colo"] = "colo",
    months: int = 60,
    exit_waiver: bool = True,
    discount_rate_per_year: float | None = None,
    growth: bool = True,
    defaults: FacilityDefaults | None = None,
) -> ExitCase:
    """Stay with ``provider`` or leave it for a colocation site: monthly streams and summary.

    Parameters
    ----------
    estate : Estate
        The estate; uncertain quantities are taken at their expected value.
    provider : str
        The cloud provider left (``"aws"``); it must have workloads in the estate.
    destination : {"colo"}
        Where the workloads go: a colocation site sized by
        :func:`exitcost.facilities.owned_site_costs`.
    months : int, default 60
        Horizon, longer than the cut-over month. [months]
    exit_waiver : bool, default True
        Apply the provider's free-egress-on-exit programme to the data move.
    discount_rate_per_year : float, optional
        Default: the facilities defaults' 8% (label M). [1/year]
    growth : bool, default True
        Grow every dataset at its ``growth_rate_per_month``, in the cloud's storage bill and in
        the site's storage; False holds both at today's sizes.
    defaults : FacilityDefaults, optional
        Facility defaults; the newest bundled set where None.

    Returns
    -------
    ExitCase
        ``summary`` columns: ``total_cost_usd`` (sum of the stream), ``npv_cost_usd``
        (:func:`exitcost.finance.npv` of the monthly costs, month 0 undiscounted),
        ``savings_npv_usd`` (NPV of stay - leave), ``payback_month`` (discounted payback of
        the savings, sustained to the horizon), ``break_even_month`` (undiscounted),
        ``exit_cost_usd`` (the exit bill's lines as placed in the horizon), ``programme_months``
        (the migration programme, :func:`exitcost.effort.schedule_summary`) and
        ``cut_over_month``. The ``stay`` row is the baseline: its payback, break-even,
        programme and cut-over are NaN (documented "not applicable") and its exit cost is 0;
        the ``leave`` row's payback and break-even are NaN when leaving never catches up within
        the horizon.

    Raises
    ------
    InvalidParameterError
        ``provider`` is not a cloud provider of the estate or has no workloads, an unknown
        ``destination``, or a horizon that ends before the cut-over.

    Notes
    -----
    Assumptions, each a choice a reviewer may change:

    - **Stay** is :func:`~exitcost.graph.baseline_cost` for the provider's locations (compute,
      storage, egress; observed bills, commitment discounts included) in every month. With
      ``growth``, each location's storage bill scales with the size-weighted growth of its
      datasets, ``sum(size * (1 + g) ** t) / sum(size)`` (tier changes as data grows are not
      re-priced); compute and egress stay flat (the estate gives them no growth rate).
    - **Programme and cut-over**: the programme lasts ``schedule_summary(...)
      .loc["all", "programme_months"]`` months (PERT-mean efforts under team capacity); the
      cut-over month is that rounded up, and never before the hardware lead time (2 months,
      R). The provider's run cost is paid in every month before cut-over and none after.
    - **Exit bill** (:func:`~exitcost.summary.exit_cost_summary`, expected values): labour and
      dual running evenly over the programme months; the data lines (egress, retrieval,
      requests, early deletion) evenly over the ``exit_data_move_months`` (2, R) before
      cut-over, priced for a move of that length at today's sizes; stranded commitments from
      the cut-over month, each contract's share evenly over its remaining months
      (:func:`exitcost.effort.stranded_commitments`); a cancellable contract whose termination
      fee is less than its remaining payments is ended, its fee paid alone in the cut-over
      month. Amounts that fall after the horizon are left out of ``exit_cost_usd`` and the
      streams (``assumptions["exit_bill_beyond_horizon_usd"]`` says how much).
    - **The site** runs from the cut-over month and is paid then (hardware bought at cut-over,
      refreshed after 60 months). It is sized for the provider's workloads: those that state
      vCPUs, memory or GPUs from those units, the others from their compute spend (37signals'
      servers per dollar of non-S3 spend, R); storage from the provider's datasets (raw TB =
      stored x 2 copies, at a whole-system flash price per TB), growing as above; transit from
      the workloads' internet egress. Minimums (2 servers, one cabinet, 0.25 FTE, one
      cross-connect and a 1 Gbps transit commitment) apply. Flows between the provider and the
      estate's other locations are not re-priced.
    - **Discounting**: monthly rate ``(1 + r) ** (1 / 12) - 1`` from the annual rate, month 0
      undiscounted (:func:`exitcost.finance.npv`).

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> case = exit_case(sample_estate(), "aws")
    >>> row = case.summary.loc["leave"]
    >>> bool(row["savings_npv_usd"] > 0), bool(row["cut_over_month"] >= row["programme_months"])
    (True, True)
    >>> import math
    >>> math.isnan(case.summary.loc["stay", "payback_month"])
    True
    """
    func = "exit_case"
    d = defaults if defaults is not None else load_facility_defaults()
    clouds = sorted({loc.provider for loc in estate.locations if loc.kind == "cloud"})
    if provider not in clouds:
        raise InvalidParameterError(
            f"The 'provider' parameter of {func} must be a cloud provider of the estate "
            f"({format_choices(clouds)}). Got {provider!r} instead."
        )
    here = {loc.id for loc in estate.locations if loc.kind == "cloud" and loc.provider == provider}
    workloads = [w for w in estate.workloads if w.location in here]
    if not workloads:
        with_work = sorted(
            {loc.provider for loc in estate.locations if loc.kind == "cloud"}
            & {w.location.split(":", 1)[0] for w in estate.workloads}
        )
        raise InvalidParameterError(
            f"The 'provider' parameter of {func} must name a provider with workloads to move; "
            f"{provider!r} has none in estate {estate.name!r} (providers with workloads: "
            f"{format_choices(with_work) or 'none'}). Got {provider!r} instead."
        )
    if destination not in _DESTINATIONS:
        raise InvalidParameterError(
            f"The 'destination' parameter of {func} must be one of "
            f"{format_choices(_DESTINATIONS)}. Got {destination!r} instead."
        )
    n_float = check_scalar(months, name="months", func=func, minimum=1.0)
    if n_float != int(n_float):
        raise InvalidParameterError(
            f"The 'months' parameter of {func} must be a whole number of months >= 1. "
            f"Got {months!r} instead."
        )
    n = int(n_float)
    rate_year = (
        d.value("discount_rate_per_year")
        if discount_rate_per_year is None
        else check_scalar(
            discount_rate_per_year,
            name="discount_rate_per_year",
            func=func,
            minimum=-1.0,
            exclusive_minimum=True,
        )
    )
    rate = float(finance.rate_per_month_from_annual(rate_year))
    t = np.arange(n, dtype=np.float64)

    # ---- stay: the provider's baseline, storage growing with its datasets
    base = baseline_cost(estate)
    base = base[base["provider"] == provider]
    locations = sorted(here)
    loc_index = {loc: i for i, loc in enumerate(locations)}
    datasets = [ds for ds in estate.datasets if ds.location in here]
    sizes = np.array([point(ds.size_gb) for ds in datasets], dtype=np.float64)
    rates = np.array(
        [point(ds.growth_rate_per_month) if growth else 0.0 for ds in datasets], dtype=np.float64
    )
    grown = sizes[:, None] * np.exp(np.log1p(rates)[:, None] * t)  # (datasets, months)
    owner = np.zeros((len(locations), len(datasets)))
    owner[[loc_index[ds.location] for ds in datasets], np.arange(len(datasets))] = 1.0
    stored_now = owner @ sizes
    factor = np.divide(
        owner @ grown,
        stored_now[:, None],
        out=np.ones((len(locations), n)),
        where=stored_now[:, None] > 0,
    )
    by_loc = base.pivot_table(
        index="location", columns="category", values="usd_per_month", aggfunc="sum", fill_value=0.0
    ).reindex(index=locations, columns=list(_RUN_CATEGORIES), fill_value=0.0)
    stay: dict[str, FloatArray] = {
        "compute": np.full(n, float(by_loc["compute"].sum())),
        "storage": by_loc["storage"].to_numpy(dtype=np.float64) @ factor,
        "egress": np.full(n, float(by_loc["egress"].sum())),
    }

    # ---- programme, cut-over and the exit bill placed in time
    plan = schedule_summary(estate, provider=provider)
    programme = float(np.asarray(plan.loc["all", "programme_months"], dtype=np.float64))
    programme_whole = max(math.ceil(programme - 1e-9), 1)
    lead = int(d.value("hardware_lead_time_months"))
    cut_over = max(math.ceil(programme - 1e-9), lead)
    if cut_over >= n:
        raise InvalidParameterError(
            f"The 'months' parameter of {func} must be longer than the cut-over month "
            f"({cut_over}: a {programme:.1f}-month programme) so the site runs at least one "
            f"month. Got {months!r} instead."
        )
    move_months = max(1, min(int(d.value("exit_data_move_months")), cut_over))
    bill = exit_cost_summary(
        estate, provider, exit_waiver=exit_waiver, months=move_months, exit_month=cut_over
    )
    expected = bill["expected_usd"]
    lines: dict[str, FloatArray] = {}
    data_start = np.array([float(cut_over - move_months)])
    for category in _DATA_LINES:
        amount = np.array([float(expected.get(category, 0.0))])
        lines[category] = _spread(amount, data_start, np.array([float(move_months)]), n)[0]
    for category in ("labour", "dual_running"):
        amount = np.array([float(expected.get(category, 0.0))])
        lines[category] = _spread(amount, np.zeros(1), np.array([float(programme_whole)]), n)[0]
    owed = float(expected.get("commitments", 0.0))
    lines["commitments"] = np.where(t == cut_over, owed, 0.0)  # a fee, or no contract detail
    if owed > 0 and estate.contracts:
        stranded = stranded_commitments(estate, [cut_over], provider=provider)
        shares = stranded["stranded_usd"].to_numpy(dtype=np.float64)
        if shares.sum() > 0:
            remaining = np.ceil(stranded["remaining_months"].to_numpy(dtype=np.float64) - 1e-9)
            # A cancellable contract whose fee is less than its remaining payments is ended:
            # the fee is paid once, in the cut-over month, not spread over the months left.
            by_id = {c.id: c for c in estate.contracts}
            ids = stranded.index.get_level_values("contract")
            cancelled = np.array([by_id[c].cancellable for c in ids], dtype=bool) & (
                stranded["termination_fee_usd"].to_numpy(dtype=np.float64)
                < stranded["owed_usd"].to_numpy(dtype=np.float64)
            )
            remaining = np.where(cancelled, 1.0, remaining)
            starts = np.full(len(shares), float(cut_over))
            placed = _spread(owed * shares / shares.sum(), starts, remaining, n)
            lines["commitments"] = placed.sum(axis=0)
    placed_total = float(sum(v.sum() for v in lines.values()))
    bill_total = float(expected.get("total", 0.0))

    # ---- the site, sized from the provider's workloads and data
    vcpus = memory = gpus = spend = egress_gb = 0.0
    for w in workloads:  # a handful of units per workload; not a loop over months
        egress_gb += point(w.internet_egress_gb_per_month)
        if w.compute:
            for use in w.compute:
                quantity = point(use.quantity) * use.hours_per_month / 730.0
                if use.resource == "vcpu":
                    vcpus += quantity
                elif use.resource == "memory_gib":
                    memory += quantity
                else:
                    gpus += quantity
        else:
            spend += point(w.compute_usd_per_month)
    site = owned_site_costs(
        months=n,
        vcpus=vcpus,
        memory_gib=memory,
        gpus=gpus,
        compute_usd_per_month=spend,
        storage_gb=grown.sum(axis=0) if len(datasets) else 0.0,
        internet_egress_gb_per_month=egress_gb,
        in_service_month=cut_over,
        defaults=d,
    )
    before = (t < cut_over).astype(np.float64)
    leave: dict[str, FloatArray] = {c: v * before for c, v in stay.items()}
    for category, values in lines.items():
        leave[category] = leave.get(category, np.zeros(n)) + values
    for category, values in site.by_category_usd().items():
        leave[category] = leave.get(category, np.zeros(n)) + values

    stay_total = np.asarray(sum(stay.values()), dtype=np.float64)
    leave_total = np.asarray(sum(leave.values()), dtype=np.float64)
    columns: dict[str, FloatArray] = {"stay_usd": stay_total, "leave_usd": leave_total}
    for option, streams in (("stay", stay), ("leave", leave)):
        for category in COST_CATEGORIES:
            if category in streams:
                columns[f"{option}_{category}_usd"] = streams[category]
    cash_flows = pd.DataFrame(columns, index=pd.RangeIndex(n, name="month"))

    npv_stay = float(finance.npv(rate, stay_total))
    npv_leave = float(finance.npv(rate, leave_total))
    summary = pd.DataFrame(
        {
            "total_cost_usd": [float(stay_total.sum()), float(leave_total.sum())],
            "npv_cost_usd": [npv_stay, npv_leave],
            "savings_npv_usd": [0.0, float(finance.npv(rate, stay_total - leave_total))],
            "payback_month": [
                np.nan,
                float(finance.break_even_month(stay_total, leave_total, rate_per_period=rate)),
            ],
            "break_even_month": [np.nan, float(finance.break_even_month(stay_total, leave_total))],
            "exit_cost_usd": [0.0, placed_total],
            "programme_months": [np.nan, programme],
            "cut_over_month": [np.nan, float(cut_over)],
        },
        index=pd.Index(["stay", "leave"], name="option"),
    )
    assumptions = {
        "discount_rate_per_year": float(rate_year),
        "rate_per_month": rate,
        "months": float(n),
        "programme_months": programme,
        "cut_over_month": float(cut_over),
        "data_move_months": float(move_months),
        "exit_bill_usd": bill_total,
        "exit_bill_beyond_horizon_usd": max(bill_total - placed_total, 0.0),
        "site_vcpus": vcpus,
        "site_memory_gib": memory,
        "site_gpus": gpus,
        "site_compute_usd_per_month_sized_by_spend": spend,
        **{f"site_{k}": v for k, v in site.assumptions.items() if k.endswith("_at_start")},
    }
    return ExitCase(
        provider=provider,
        destination=destination,
        cash_flows=cash_flows,
        summary=summary,
        exit_bill=bill,
        assumptions=assumptions,
    )
