"""The full exit case: stay with a provider, or pay the exit bill and run an owned site.

:func:`exit_case` puts the library's parts on one monthly time line, so that staying and leaving
can be compared month by month and discounted:

* **stay**: the provider's baseline run cost (:func:`exitcost.graph.baseline_cost`) every
  month, its storage growing with the datasets' growth rates;
* **leave**: a colocation site (:func:`exitcost.facilities.owned_site_costs`) sized from the
  provider's compute and storage, ordered in month 0 and in service after the hardware lead
  time, before the first workload moves into it; each workload's compute at the provider until
  its move starts, then its dual running over the move and hypercare (never both); the
  provider's storage until cut-over and its commitments; and the one-time exit bill
  (:func:`exitcost.summary.exit_cost_summary`) placed in the months it is paid, its data move
  fitted into the provider's exit-waiver window when the waiver is asked for.

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

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost import finance
from exitcost._validation import check_bool, check_scalar, check_whole
from exitcost.baseline import baseline_cost
from exitcost.categories import COST_CATEGORIES
from exitcost.effort import plan_schedule, stranded_commitments, warnings_once
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.estate import Estate
from exitcost.facilities import FacilityDefaults, load_facility_defaults, owned_site_costs
from exitcost.pricing.books import load_price_book
from exitcost.pricing.programmes import data_act_applies, month_starts, waiver_fractions
from exitcost.summary import exit_cost_summary
from exitcost.uncertainty import point
from exitcost.units import add_months, month_start, months_between

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
_MONEY: Final[tuple[str, ...]] = ("low_usd", "expected_usd", "high_usd")
_RUN_CATEGORIES: Final[tuple[str, ...]] = ("compute", "storage", "egress")
_COMMITTED: Final[tuple[str, ...]] = (
    "minimum_spend",
    "savings_plan",
    "reserved_capacity",
    "committed_use",
)


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
        The one-time bill whose expected values are placed in the leave stream: the table
        :func:`exitcost.summary.exit_cost_summary` returned for the case's data move, exit
        month, waiver and jurisdiction, with the commitments paid unused before cut-over
        added to its ``commitments`` line (and ``total``; its ``basis`` says how much). Its
        ``attrs`` (price books, confidence labels) are the summary's, and are copied to
        :attr:`summary`.
    assumptions : Mapping[str, float]
        Scalars the case used (rates, the time line's months, the data move and its waiver
        window, site size when it goes into service); flags as 1.0 or 0.0.
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


def _overlap(start: FloatArray, length: FloatArray, months: int) -> FloatArray:
    """Share of each month ``t`` inside ``[start, start + length)`` -> shape (k, months).

    ``clip(min(t + 1, start + length) - max(t, start), 0, 1)``: a window from month 2.4 for
    1.5 months covers 60% of month 2 and 90% of month 3.
    """
    t = np.arange(months, dtype=np.float64)[None, :]
    s = start[:, None]
    e = s + length[:, None]
    share: FloatArray = np.clip(np.minimum(t + 1.0, e) - np.maximum(t, s), 0.0, 1.0)
    return share


def _still_running(move_month: FloatArray, months: int) -> FloatArray:
    """Share of each month ``t`` before each move month ``m``: ``clip(m - t, 0, 1)`` -> (k, months).

    A workload that moves at month 3.4 runs at the provider for all of months 0 to 2 and 40% of
    month 3 (cloud compute is billed by the second).
    """
    t = np.arange(months, dtype=np.float64)[None, :]
    share: FloatArray = np.clip(move_month[:, None] - t, 0.0, 1.0)
    return share


def _committed_floor(estate: Estate, provider: str, months: int) -> FloatArray:
    """The provider's commitments in force each month, a floor under its monthly bill. [USD]

    ``max(minimum spend, savings plans + reserved capacity + committed use)`` of the
    ``provider``'s contracts in force in each month (month 0 is the estate's ``as_of`` month; a
    contract is in force from the month of its ``start`` to the month of its ``end``).
    """
    t = np.arange(months)[None, :]
    kept = [c for c in estate.contracts if c.provider == provider and c.kind in _COMMITTED]
    if not kept:
        return np.zeros(months)
    first = np.array([months_between(estate.as_of, c.start) for c in kept])[:, None]
    last = np.array([months_between(estate.as_of, c.end) for c in kept])[:, None]
    usd = np.array([c.usd_per_month for c in kept], dtype=np.float64)[:, None]
    in_force = np.where((t >= first) & (t <= last), usd, 0.0)
    minimum = np.array([c.kind == "minimum_spend" for c in kept])
    floor: FloatArray = np.maximum(in_force[minimum].sum(axis=0), in_force[~minimum].sum(axis=0))
    return floor


@dataclass(frozen=True)
class _DataMove:
    """When and for how long the data moves, and how it sits in the provider's waiver window."""

    months: int
    start_month: int
    cut_over: int
    start: dt.date
    days: int
    window_days: float
    fits_window: bool


def _data_move(
    estate: Estate,
    provider: str,
    *,
    earliest_cut_over: int,
    in_service: int,
    default_months: int,
    waive: bool,
) -> _DataMove:
    """Pick the data move: ``default_months``, or with a waiver the longest that it fully credits.

    The data moves into the site, so the move starts no earlier than the in-service month and
    ends at cut-over: ``cut_over = max(earliest_cut_over, in_service + months)``. With
    ``waive``, the move is cut to the longest whole number of months (from ``default_months``
    down to 1) whose days all lie inside the provider's exit-programme window
    (:func:`exitcost.pricing.programmes.waiver_fractions` == 1 for every month); at least 1.
    """
    options = []
    for length in range(default_months, 0, -1):  # a couple of candidates, not a month loop
        cut_over = max(earliest_cut_over, in_service + length)
        start_month = cut_over - length
        start = add_months(month_start(estate.as_of), start_month)
        book = load_price_book(provider, as_of=start)
        programme = book.exit_programme
        credited = waiver_fractions(
            programme, start, length, "internet", book.model.default_network_tier
        )
        bounds = month_starts(start, length)
        covered = bool(credited.any())
        window = (
            float(programme.window_days)
            if covered and programme is not None and programme.window_days is not None
            else math.inf
            if covered
            else 0.0
        )
        options.append(
            _DataMove(
                months=length,
                start_month=start_month,
                cut_over=cut_over,
                start=start,
                days=int((bounds[-1] - bounds[0]).astype(np.int64)),
                window_days=window,
                fits_window=covered and bool((credited >= 1.0).all()),
            )
        )
    if waive and options[0].window_days > 0:
        return next((o for o in options if o.fits_window), options[-1])
    return options[0]


@warnings_once()
def exit_case(
    estate: Estate,
    provider: str,
    *,
    destination: Literal["colo"] = "colo",
    months: int = 60,
    exit_waiver: bool = False,
    customer_jurisdiction: str | None = None,
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
    exit_waiver : bool, default False
        Apply the provider's free-egress-on-exit programme to the data move, and fit the move
        into the programme's window (see Notes). Off by default, as everywhere in the library:
        the programme needs the provider's approval.
    customer_jurisdiction : str, optional
        The customer's jurisdiction for the EU Data Act (``"EU"`` or a member state such as
        ``"DE"``), passed to the exit bill (:func:`exitcost.summary.exit_cost_summary`).
    discount_rate_per_year : float, optional
        A decimal fraction per year, > -1 and <= 1 (0.08 for 8%); a value above 1 is refused
        as a likely percentage. Default: the facilities defaults' 8% (label M). [1/year]
    growth : bool, default True
        Grow every dataset at its ``growth_rate_per_month``, in the cloud's storage bill, in
        the data moved and in the site's storage; False holds all three at today's sizes.
    defaults : FacilityDefaults, optional
        Facility defaults; the newest bundled set where None.

    Returns
    -------
    ExitCase
        ``summary`` columns: ``total_cost_usd`` (sum of the stream), ``npv_cost_usd``
        (:func:`exitcost.finance.npv` of the monthly costs, month 0 undiscounted),
        ``savings_npv_usd`` (NPV of stay - leave), ``payback_month`` (discounted payback of
        the savings, sustained to the horizon), ``break_even_month`` (undiscounted),
        ``exit_cost_usd`` (the ``total`` of ``exit_bill``, expected), ``programme_months``
        (the migration programme, :func:`exitcost.effort.plan_schedule`) and
        ``cut_over_month``. The ``stay`` row is the baseline: its payback, break-even,
        programme and cut-over are NaN (documented "not applicable") and its exit cost is 0;
        the ``leave`` row's payback and break-even are NaN when leaving never catches up within
        the horizon. ``exit_bill`` is the exact table whose expected values are placed in the
        leave stream.

    Raises
    ------
    InvalidParameterError
        ``provider`` is not a cloud provider of the estate or has no workloads, an unknown
        ``destination``, a horizon that ends before the cut-over, a discount rate outside
        (-1, 1] (8 means 800%: pass 0.08 for 8%), a flag that is not a bool, or an unknown
        ``customer_jurisdiction``.

    Notes
    -----
    Time line of leaving (month 0 is the estate's ``as_of`` month), each a choice a reviewer
    may change:

    1. **Month 0**: the programme starts (labour) and the site's hardware is ordered.
    2. **In service** at the hardware lead time ``L`` (2 months, R): the site is sized for the
       whole load it takes over and its hardware is paid then (the facilities convention:
       hardware is paid in the month it goes into service, refreshed after 60 months); power,
       space, maintenance, staff, cross-connects and transit run from that month.
    3. **Each workload moves** in its window of the schedule
       (:func:`exitcost.effort.plan_schedule`, PERT-mean efforts under team capacity), never
       into a site that is not in service yet: a window that starts before ``L`` is shifted
       whole to start at ``L`` (``shift = max(L - start_month, 0)``; labour is not shifted).
       Its compute at the provider is paid until the move starts, pro rata in that month
       (``clip(start - t, 0, 1)`` of month ``t``); from then its dual running (the
       schedule's ``dual_running_usd``, run cost x (move months + hypercare) x the
       strategies file's factor) is spread evenly over the move and its hypercare, pro rata
       by the share of each month inside that window; after that nothing. So no month pays a
       workload's compute and its dual running for the same time. The cloud's egress falls
       with the share of the workloads' internet egress (GB) whose move has not ended (with
       the run-cost share where no workload states egress). Retained workloads stay at the
       provider over the whole horizon and retired ones stop at their end month; neither is
       sized into the site.
    4. **Data move**: the provider's datasets move into the site over the ``m`` months before
       cut-over (``exit_data_move_months``, 2, R), never before the site is in service. With
       ``exit_waiver``, ``m`` is cut to the longest whole number of months whose days all lie
       in the provider's exit-programme window (60 days for AWS, Azure and Google: two months
       whose days add up to 61 or 62 are cut to one), at least 1, so no egress is charged for
       lack of window; ``assumptions`` records ``data_move_months``, ``data_move_days``,
       ``waiver_window_days`` (0 where no programme credits the move) and
       ``data_move_fits_waiver_window`` (1 or 0). The data lines (egress, retrieval,
       requests, early deletion) are priced for that move, dated when it happens, and spread
       evenly over its months.
    5. **Cut-over** (the last workload has moved and left hypercare, and the data is out):
       ``max(ceil(last move end + hypercare), L + m)``. The cloud's storage is paid until
       then, growing as
       for stay; stranded commitments from then, each contract's share evenly over its
       remaining months (:func:`exitcost.effort.stranded_commitments`); a cancellable contract
       whose termination fee is less than its remaining payments is ended, its fee paid alone
       in the cut-over month. Before cut-over the provider's commitments stay owed as the
       workloads move: each month's bill at the provider (compute, storage, egress and dual
       running) is at least ``max(minimum spend, savings plans + reserved capacity +
       committed use)`` in force that month, the shortfall paid as ``commitments``
       (``assumptions["commitment_shortfall_before_cut_over_usd"]``; the same floor applies
       to stay in every month). That shortfall buys nothing the leave side uses, so it is a
       cost of leaving: it is added to ``exit_bill``'s ``commitments`` line (all three
       columns) next to the stranded commitments, and to ``exit_cost_usd``.

    Other assumptions:

    - **Stay** is :func:`~exitcost.graph.baseline_cost` for the provider's locations (compute,
      storage, egress; observed bills, commitment discounts included) in every month. With
      ``growth``, each location's storage bill scales with the size-weighted growth of its
      datasets, ``sum(size * (1 + g) ** t) / sum(size)`` (tier changes as data grows are not
      re-priced); compute and egress stay flat (the estate gives them no growth rate).
    - **Exit bill** (:func:`~exitcost.summary.exit_cost_summary`, expected values, with
      ``exit_month`` the cut-over month and ``customer_jurisdiction`` passed through): labour
      evenly over the programme months from month 0; dual running workload by workload as in
      3 (the effort model's figure, unchanged in total). Without ``growth`` the data is priced
      at today's sizes (the datasets' growth rates set to 0 for the bill; the move keeps its
      date). Amounts that fall after the horizon are left out of the streams but stay in
      ``exit_cost_usd`` (``assumptions["exit_bill_beyond_horizon_usd"]`` says how much).
    - **The site** is sized for the moving workloads: those that state vCPUs, memory or GPUs
      from those units, the others from their compute spend (37signals' servers per dollar of
      non-S3 spend, R); storage from the provider's datasets (raw TB = stored x 2 copies, at
      a whole-system flash price per TB), growing as above; transit from the workloads'
      internet egress. Minimums (2 servers, one cabinet, 0.25 FTE, one cross-connect and a
      1 Gbps transit commitment) apply. It is bought whole at ``L``, before the last workloads
      arrive, and runs next to each workload's dual running: both lean towards a higher cost
      of leaving. Flows between the provider and the estate's other locations are not re-priced.
    - **Discounting**: monthly rate ``(1 + r) ** (1 / 12) - 1`` from the annual rate, month 0
      undiscounted (:func:`exitcost.finance.npv`).

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> case = exit_case(sample_estate(), "aws")
    >>> row = case.summary.loc["leave"]
    >>> bool(row["savings_npv_usd"] > 0), bool(row["cut_over_month"] >= row["programme_months"])
    (True, True)
    >>> flows = case.cash_flows
    >>> int(flows["leave_capex_usd"].to_numpy().nonzero()[0][0])  # the site, in service at L
    2
    >>> bool(flows["leave_compute_usd"].is_monotonic_decreasing)  # the cloud, as moves start
    True
    >>> bool(case.exit_bill.loc["total", "expected_usd"] == row["exit_cost_usd"])
    True
    >>> import math
    >>> math.isnan(case.summary.loc["stay", "payback_month"])
    True
    >>> exit_case(sample_estate(), "aws", discount_rate_per_year=8)
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'discount_rate_per_year' parameter of exit_case ...
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
    n = check_whole(months, name="months", func=func, minimum=1, unit="months")
    waive = check_bool(exit_waiver, name="exit_waiver", func=func)
    grow = check_bool(growth, name="growth", func=func)
    if customer_jurisdiction is not None:
        data_act_applies(customer_jurisdiction, func=func)  # an unknown code is refused here
    if discount_rate_per_year is None:
        rate_year = d.value("discount_rate_per_year")
    else:
        rate_year = check_scalar(
            discount_rate_per_year,
            name="discount_rate_per_year",
            func=func,
            minimum=-1.0,
            exclusive_minimum=True,
        )
        if rate_year > 1.0:
            raise InvalidParameterError(
                f"The 'discount_rate_per_year' parameter of {func} must be a decimal fraction "
                f"per year, > -1 and <= 1; {rate_year:g} looks like a percentage "
                f"({rate_year:g} means {rate_year * 100:g}%; pass {rate_year / 100:g} for "
                f"{rate_year:g}%). Got {discount_rate_per_year!r} instead."
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
        [point(ds.growth_rate_per_month) if grow else 0.0 for ds in datasets], dtype=np.float64
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

    # ---- the schedule: when each workload moves, the site's in-service month, the cut-over
    plan = plan_schedule(estate, provider=provider)
    by_id = {w.id: w for w in workloads}
    ids = [w for w in plan.index if w in by_id]
    strategy = plan.loc[ids, "strategy"].astype(str).to_numpy()
    begin = plan.loc[ids, "start_month"].to_numpy(dtype=np.float64)
    end = plan.loc[ids, "end_month"].to_numpy(dtype=np.float64)
    hypercare = plan.loc[ids, "hypercare_months"].to_numpy(dtype=np.float64)
    dual_usd = plan.loc[ids, "dual_running_usd"].to_numpy(dtype=np.float64)
    moving = (strategy != "retain") & (strategy != "retire")
    programme = float(end.max()) if len(end) else 0.0
    lead = int(d.value("hardware_lead_time_months"))
    # A move into the site starts no earlier than its in-service month: a window that starts
    # before is shifted whole. Labour is not shifted (it starts at month 0).
    shift = np.where(moving, np.maximum(float(lead) - begin, 0.0), 0.0)
    move_start = begin + shift
    dual_window = (end - begin) + hypercare  # the move's months plus hypercare
    move_done = move_start + dual_window
    # The cloud's compute of a workload is paid until its move starts (then its dual running
    # is), until its end month for a retired one, and over the horizon for a retained one.
    move_month = np.where(strategy == "retain", float(n), np.where(moving, move_start, end))
    last_done = float(move_done[moving].max()) if moving.any() else 0.0
    move = _data_move(
        estate,
        provider,
        earliest_cut_over=max(math.ceil(last_done - 1e-9), lead),
        in_service=lead,
        default_months=max(int(d.value("exit_data_move_months")), 1),
        waive=waive,
    )
    cut_over, move_months = move.cut_over, move.months
    programme_whole = max(math.ceil(programme - 1e-9), 1)
    if cut_over >= n:
        raise InvalidParameterError(
            f"The 'months' parameter of {func} must be longer than the cut-over month "
            f"({cut_over}: the last move and its hypercare end at month {last_done:.1f}, the "
            f"site is in service at month {lead} and the data move takes {move_months} "
            "month(s)) so the site runs at least one month. "
            f"Got {months!r} instead."
        )

    # ---- the exit bill, priced for that move and placed in time
    priced = estate
    if not grow:  # hold the data moved at today's sizes; the move keeps its date
        flat = tuple(ds.model_copy(update={"growth_rate_per_month": 0.0}) for ds in estate.datasets)
        fields = {name: getattr(estate, name) for name in type(estate).model_fields}
        priced = type(estate)(**{**fields, "datasets": flat})
    bill = exit_cost_summary(
        priced,
        provider,
        exit_waiver=waive,
        as_of=move.start,
        months=move_months,
        exit_month=cut_over,
        customer_jurisdiction=customer_jurisdiction,
    )
    if not grow:
        data_rows = bill.index.isin(_DATA_LINES)
        bill.loc[data_rows, "basis"] = (
            bill.loc[data_rows, "basis"].astype(str)
            + "; growth off: sizes held at the estate's as_of values"
        )
    expected = bill["expected_usd"]
    lines: dict[str, FloatArray] = {}
    data_start = np.array([float(move.start_month)])
    for category in _DATA_LINES:
        amount = np.array([float(expected.get(category, 0.0))])
        lines[category] = _spread(amount, data_start, np.array([float(move_months)]), n)[0]
    amount = np.array([float(expected.get("labour", 0.0))])
    lines["labour"] = _spread(amount, np.zeros(1), np.array([float(programme_whole)]), n)[0]
    # Dual running, workload by workload, over its (shifted) move and hypercare: the cloud's
    # run cost while old and new run side by side. Its compute is not also paid then.
    per_month = np.divide(dual_usd, dual_window, out=np.zeros_like(dual_usd), where=dual_window > 0)
    dual_by_workload = per_month[:, None] * _overlap(move_start, dual_window, n)
    lines["dual_running"] = dual_by_workload.sum(axis=0)
    owed = float(expected.get("commitments", 0.0))
    lines["commitments"] = np.where(t == cut_over, owed, 0.0)  # a fee, or no contract detail
    if owed > 0 and estate.contracts:
        stranded = stranded_commitments(estate, [cut_over], provider=provider)
        shares = stranded["stranded_usd"].to_numpy(dtype=np.float64)
        if shares.sum() > 0:
            remaining = np.ceil(stranded["remaining_months"].to_numpy(dtype=np.float64) - 1e-9)
            # A cancellable contract whose fee is less than its remaining payments is ended:
            # the fee is paid once, in the cut-over month, not spread over the months left.
            contracts = {c.id: c for c in estate.contracts}
            names = stranded.index.get_level_values("contract")
            cancelled = np.array([contracts[c].cancellable for c in names], dtype=bool) & (
                stranded["termination_fee_usd"].to_numpy(dtype=np.float64)
                < stranded["owed_usd"].to_numpy(dtype=np.float64)
            )
            remaining = np.where(cancelled, 1.0, remaining)
            starts = np.full(len(shares), float(cut_over))
            placed = _spread(owed * shares / shares.sum(), starts, remaining, n)
            lines["commitments"] = placed.sum(axis=0)

    # ---- the site, sized from the moving workloads and the provider's data
    vcpus = memory = gpus = spend = egress_gb = 0.0
    for wid in np.asarray(ids)[moving]:  # a handful of units per workload; not a month loop
        w = by_id[str(wid)]
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
        in_service_month=lead,
        defaults=d,
    )

    # ---- leave: the cloud falling as the workloads move, the bill, the site
    running = _still_running(move_month, n)  # (workloads, months)
    run_usd = plan.loc[ids, "run_usd_per_month"].to_numpy(dtype=np.float64)
    weights = run_usd if run_usd.sum() > 0 else np.ones(len(ids))
    before = (t < cut_over).astype(np.float64)
    compute_share = weights @ running / weights.sum() if len(ids) else before
    gb = np.array([point(by_id[w].internet_egress_gb_per_month) for w in ids], dtype=np.float64)
    # A workload's internet traffic leaves the provider when its move ends (dual running
    # is its compute, not its egress), so egress falls later than compute.
    served = _still_running(np.where(moving, move_start + (end - begin), move_month), n)
    egress_share = gb @ served / gb.sum() if gb.sum() > 0 else weights @ served / weights.sum()
    leave: dict[str, FloatArray] = {
        "compute": stay["compute"] * compute_share,
        "storage": stay["storage"] * before,
        "egress": stay["egress"] * egress_share,
    }
    # Commitments stay owed while the workloads move: the provider's bill in each month before
    # cut-over (for stay, every month) is at least what is committed then; the shortfall is
    # paid as unused commitment. Dual running is spend at the provider and counts towards it.
    # From cut-over the exit bill's stranded commitments take over.
    floor = _committed_floor(estate, provider, n)
    stay_run = np.asarray(sum(stay.values()), dtype=np.float64)
    leave_run = np.asarray(sum(leave.values()), dtype=np.float64) + lines["dual_running"]
    if floor.any():
        stay["commitments"] = np.maximum(floor - stay_run, 0.0)
    leave["commitments"] = np.maximum(floor - leave_run, 0.0) * before
    shortfall = float(leave["commitments"].sum())
    # The shortfall is a cost of leaving (commitments paid for capacity the leave side no
    # longer uses): it joins the stranded commitments in the case's exit bill.
    money = list(_MONEY)
    added = bill.index.isin(["commitments", "total"])
    bill.loc[added, money] = bill.loc[added, money] + shortfall
    owed_row = bill.index == "commitments"
    bill.loc[owed_row, "basis"] = bill.loc[owed_row, "basis"].astype(str) + (
        f"; plus {shortfall:,.0f} USD of commitments paid but unused before cut-over "
        f"(month {cut_over}) as the workloads move off the provider"
    )
    placed_total = float(sum(v.sum() for v in lines.values())) + shortfall
    bill_total = float(bill["expected_usd"].get("total", 0.0))
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
            "exit_cost_usd": [0.0, bill_total],
            "programme_months": [np.nan, programme],
            "cut_over_month": [np.nan, float(cut_over)],
        },
        index=pd.Index(["stay", "leave"], name="option"),
    )
    summary.attrs = dict(bill.attrs)  # the price books and labels behind the exit bill
    first_move = float(move_month[moving].min()) if moving.any() else float(cut_over)
    assumptions = {
        "discount_rate_per_year": float(rate_year),
        "rate_per_month": rate,
        "months": float(n),
        "growth": float(grow),
        "exit_waiver": float(waive),
        "programme_months": programme,
        "hardware_order_month": 0.0,
        "site_in_service_month": float(lead),
        "first_move_month": first_move,
        "last_move_done_month": last_done,
        "cut_over_month": float(cut_over),
        "workloads_moved": float(moving.sum()),
        "workloads_retained": float((strategy == "retain").sum()),
        "workloads_retired": float((strategy == "retire").sum()),
        "data_move_start_month": float(move.start_month),
        "data_move_months": float(move_months),
        "data_move_days": float(move.days),
        "waiver_window_days": move.window_days,
        "data_move_fits_waiver_window": float(move.fits_window),
        "commitment_shortfall_before_cut_over_usd": shortfall,
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
