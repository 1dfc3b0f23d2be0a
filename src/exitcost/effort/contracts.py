"""Stranded commitments: what reserved capacity and minimum-spend contracts cost on exit.

Leaving before a commitment ends strands the payments still due. For an exit that takes effect
at month position ``m`` (months are continuous: an exit on the 16th of a 30-day month is half way
through it), a contract covering ``[start, end]`` (``end`` is the last day covered) has

``remaining_months = max(0, end_exclusive - max(m, start))``

left, and so owes ``remaining_months x usd_per_month``. What that becomes on exit follows what
the providers publish (effort-facts section 5; rules and sources in the effort defaults file):

* **non-cancellable commitments** (reserved capacity, savings plans, committed use, licences,
  leases): the remaining payments are owed, less what a provider rule lets you recover (Azure
  reservations: refund of the prorated remainder, at most USD 50,000 per rolling 12 months
  across the estate's Azure reservations; AWS RIs: nothing by default, since only Standard EC2
  RIs can be resold and only if a buyer exists);
* **minimum spend** (EDP/PPA, MACC): the shortfall, ``remaining_months x max(0, committed per
  month - spend that still happens per month)``;
* **cancellable** contracts: the termination fee, or the remaining payments if those are less
  (waiting for the end is then cheaper).

Upfront payments are sunk and not stranded; their unamortised part is shown for information.
Everything falls to zero once the exit is at or after the contract's end; contract end dates are
the natural exit windows (:func:`exit_windows`).

Examples
--------
>>> remaining_commitment_months(24_300.0, 24_336.0, [24_312.0, 24_336.0, 24_400.0])
array([24.,  0.,  0.])
>>> stranded_commitment_usd(12.0, 1000.0)
12000.0
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost._validation import as_array, wrap_like
from exitcost.effort.catalog import EffortDefaults, load_effort_defaults
from exitcost.effort.scope import exit_scope, scope_contracts
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.units import add_months, month_start

if TYPE_CHECKING:
    from exitcost.estate import Contract, Estate

__all__ = [
    "exit_windows",
    "month_position",
    "remaining_commitment_months",
    "stranded_by_exit_month",
    "stranded_commitment_usd",
    "stranded_commitments",
]

FloatArray = npt.NDArray[np.float64]


def month_position(day: dt.date) -> float:
    """Continuous month coordinate of a day: ``12 x year + month - 1 + (day - 1) / days``.

    Examples
    --------
    >>> month_position(dt.date(2026, 11, 1)), month_position(dt.date(2026, 11, 16))
    (24322.0, 24322.5)
    """
    days = calendar.monthrange(day.year, day.month)[1]
    return day.year * 12 + (day.month - 1) + (day.day - 1) / days


def remaining_commitment_months(start_month: Any, end_month: Any, exit_month: Any) -> Any:
    """Months of a commitment still to run after an exit.

    Parameters
    ----------
    start_month, end_month : numeric
        Month positions (see :func:`month_position`) of the contract's first covered day and of
        the day after its last covered day; ``end_month >= start_month``.
    exit_month : numeric
        Month position at which the exit takes effect (broadcasts against the contracts, e.g.
        shape (n_exits, 1) against (n_contracts,)).

    Returns
    -------
    numeric
        ``max(0, end_month - max(exit_month, start_month))``: the whole term for an exit before
        the start, zero at or after the end. [months]

    Raises
    ------
    InvalidParameterError
        A contract ending before it starts, or non-finite input.

    Examples
    --------
    >>> remaining_commitment_months(10.0, 5.0, 0.0)
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The contract of remaining_commitment_months must end ...
    """
    func = "remaining_commitment_months"
    start = as_array(start_month, name="start_month", func=func, minimum=None)
    end = as_array(end_month, name="end_month", func=func, minimum=None)
    exit_ = as_array(exit_month, name="exit_month", func=func, minimum=None)
    start_b, end_b = np.broadcast_arrays(start, end)
    bad = end_b < start_b
    if bad.any():
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        raise InvalidParameterError(
            f"The contract of {func} must end on or after it starts. Got start_month="
            f"{float(start_b[i])!r}, end_month={float(end_b[i])!r}"
            + (f" at index {i}" if start_b.ndim else "")
            + " instead."
        )
    remaining = np.maximum(end - np.maximum(exit_, start), 0.0)
    return wrap_like(exit_month if np.ndim(exit_month) else start_month, np.asarray(remaining))


def stranded_commitment_usd(
    remaining_months: Any,
    usd_per_month: Any,
    *,
    minimum_spend: Any = False,
    remaining_spend_usd_per_month: Any = 0.0,
    cancellable: Any = False,
    termination_fee_usd: Any = 0.0,
    recovery_fraction: Any = 0.0,
    early_termination_fee_fraction: Any = 0.0,
) -> Any:
    """Cost stranded by leaving a commitment with ``remaining_months`` to run.

    Parameters
    ----------
    remaining_months : numeric
        Months still to run (:func:`remaining_commitment_months`). [months]
    usd_per_month : numeric
        Committed payment (or committed spend, for minimum spend) per month. [USD per month]
    minimum_spend : bool or array of bool
        True for minimum-spend commitments: only the shortfall is owed.
    remaining_spend_usd_per_month : numeric
        Spend with the provider that still happens after the exit (minimum spend only).
        [USD per month]
    cancellable : bool or array of bool
        True where the contract can be ended early by paying ``termination_fee_usd``.
    termination_fee_usd : numeric
        Early-termination fee of a cancellable contract. [USD]
    recovery_fraction : numeric
        Share of the remaining payments of a non-cancellable commitment recovered by refund or
        resale, in [0, 1].
    early_termination_fee_fraction : numeric
        Share of the recovered amount withheld as a fee, in [0, 1].

    Returns
    -------
    numeric
        Stranded cost, >= 0 and zero when nothing remains. [USD]

    Examples
    --------
    >>> stranded_commitment_usd([12.0, 12.0, 0.0], 1000.0, minimum_spend=[True, False, False],
    ...                         remaining_spend_usd_per_month=400.0)
    array([ 7200., 12000.,     0.])
    >>> stranded_commitment_usd(12.0, 1000.0, cancellable=True, termination_fee_usd=5000.0)
    5000.0
    >>> stranded_commitment_usd(12.0, 1000.0, recovery_fraction=1.0,
    ...                         early_termination_fee_fraction=0.12)
    1440.0
    """
    func = "stranded_commitment_usd"
    remaining = as_array(remaining_months, name="remaining_months", func=func)
    monthly = as_array(usd_per_month, name="usd_per_month", func=func)
    offset = as_array(
        remaining_spend_usd_per_month, name="remaining_spend_usd_per_month", func=func
    )
    fee = as_array(termination_fee_usd, name="termination_fee_usd", func=func)
    recovery = as_array(recovery_fraction, name="recovery_fraction", func=func, maximum=1.0)
    fee_fraction = as_array(
        early_termination_fee_fraction,
        name="early_termination_fee_fraction",
        func=func,
        maximum=1.0,
    )
    is_min = np.asarray(minimum_spend, dtype=bool)
    is_cancel = np.asarray(cancellable, dtype=bool)
    owed = remaining * np.where(is_min, np.maximum(monthly - offset, 0.0), monthly)
    recovered = np.where(is_min, 0.0, owed * recovery * (1.0 - fee_fraction))
    stranded = np.where(is_cancel, np.minimum(fee, owed), owed - recovered)
    template = next(
        (v for v in (remaining_months, usd_per_month) if np.ndim(v) != 0), remaining_months
    )
    return wrap_like(template, np.asarray(stranded, dtype=np.float64))


def _contracts_of(
    contracts: Estate | Sequence[Contract],
    provider: str | Sequence[str] | None,
    locations: str | Sequence[str] | None,
    func: str,
) -> tuple[Sequence[Contract], Any]:
    """The contracts an exit strands (all of them for no scope) and the estate's as_of."""
    if hasattr(contracts, "contracts") and hasattr(contracts, "as_of"):
        estate: Estate = contracts  # type: ignore[assignment]
        if provider is None and locations is None:
            return estate.contracts, estate.as_of
        keep = set(exit_scope(estate, provider, locations, func=func).contracts)
        return [c for c in estate.contracts if c.id in keep], estate.as_of
    return scope_contracts(list(contracts), provider, locations, func=func), None


def _exit_positions(
    exit_month: Any, as_of: dt.date | None, func: str
) -> tuple[FloatArray, list[dt.date]]:
    values = list(exit_month) if isinstance(exit_month, list | tuple | np.ndarray) else [exit_month]
    if not values:
        return np.zeros(0), []
    if all(isinstance(v, dt.date) for v in values):
        dates = list(values)
    elif all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in values):
        if as_of is None:
            raise InvalidParameterError(
                f"The 'exit_month' parameter of {func} is a month offset, which needs a start: "
                "pass an estate (its as_of) or as_of=date. Got offsets without as_of instead."
            )
        first = month_start(as_of)
        dates = [add_months(first, int(v)) for v in values]
    else:
        raise InvalidParameterError(
            f"The 'exit_month' parameter of {func} must be a date, an integer month offset from "
            f"as_of, or a list of either. Got {exit_month!r} instead."
        )
    return np.array([month_position(d) for d in dates], dtype=np.float64), dates


def _end_position(contract: Contract) -> float:
    return month_position(contract.end + dt.timedelta(days=1))


def _stranded_matrix(
    contracts: Sequence[Contract],
    positions: FloatArray,
    remaining_spend: Mapping[str, float],
    defaults: EffortDefaults,
) -> dict[str, Any]:
    for i, c in enumerate(contracts):
        if c.end < c.start:
            raise InvalidParameterError(
                f"Contract {c.id!r} (contracts[{i}]) must end on or after it starts. Got start="
                f"{c.start} and end={c.end} instead."
            )
    ids = [c.id for c in contracts]
    unknown = [k for k in remaining_spend if k not in set(ids)]
    if unknown:
        raise InvalidParameterError(
            "The 'remaining_spend_usd_per_month' parameter of stranded_commitments names "
            f"contracts that do not exist: {format_choices(unknown)}. Valid contract ids: "
            f"{format_choices(ids)}."
        )
    start = np.array([month_position(c.start) for c in contracts], dtype=np.float64)
    end = np.array([_end_position(c) for c in contracts], dtype=np.float64)
    remaining = np.asarray(remaining_commitment_months(start, end, positions[:, None]))
    rules = [defaults.commitments.rule(c.provider, c.kind) for c in contracts]
    monthly = np.array([c.usd_per_month for c in contracts], dtype=np.float64)
    is_min = np.array([c.kind == "minimum_spend" for c in contracts], dtype=bool)
    is_cancel = np.array([c.cancellable for c in contracts], dtype=bool)
    fee = np.array([c.termination_fee_usd for c in contracts], dtype=np.float64)
    recovery = np.array([r.recovery_fraction for r in rules], dtype=np.float64)
    fee_fraction = np.array([r.early_termination_fee_fraction for r in rules], dtype=np.float64)
    offset = np.array([remaining_spend.get(c.id, 0.0) for c in contracts], dtype=np.float64)
    as_array(offset, name="remaining_spend_usd_per_month", func="stranded_commitments")
    owed = remaining * np.where(is_min, np.maximum(monthly - offset, 0.0), monthly)
    stranded = np.asarray(
        stranded_commitment_usd(
            remaining,
            monthly,
            minimum_spend=is_min,
            remaining_spend_usd_per_month=offset,
            cancellable=is_cancel,
            termination_fee_usd=fee,
            recovery_fraction=recovery,
            early_termination_fee_fraction=fee_fraction,
        )
    )
    # Caps on recovery apply across all contracts under the same rule (e.g. Azure's USD 50,000
    # of refunds per rolling 12 months), so scale each group's refunds down together.
    recovered = np.where(is_min | is_cancel, 0.0, owed - stranded)
    capped_rules = [r for r in defaults.commitments.rules if r.recovery_cap_usd_per_12_months]
    for rule in capped_rules:
        member = np.array([r is rule for r in rules], dtype=bool)
        total = recovered[:, member].sum(axis=1, keepdims=True)
        cap = float(rule.recovery_cap_usd_per_12_months or 0.0)
        scale = np.divide(cap, total, out=np.ones_like(total), where=total > cap)
        kept = recovered * np.where(member, scale, 1.0)
        stranded = stranded + (recovered - kept)
        recovered = kept
    term = np.maximum(end - start, 1e-12)
    upfront = np.array([c.upfront_usd for c in contracts], dtype=np.float64)
    return {
        "remaining_months": remaining,
        "owed_usd": owed,
        "recovered_usd": recovered,
        "stranded_usd": stranded,
        "unamortised_upfront_usd": upfront * np.minimum(remaining / term, 1.0),
        "rules": rules,
    }


def _treatment(contract: Contract) -> str:
    if contract.cancellable:
        return "cancellable: termination fee or remaining payments, whichever is less"
    if contract.kind == "minimum_spend":
        return "minimum spend: shortfall owed"
    return "non-cancellable: remaining payments owed, less refunds or resale"


def stranded_commitments(
    contracts: Estate | Sequence[Contract],
    exit_month: Any = 0,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    as_of: dt.date | None = None,
    remaining_spend_usd_per_month: Mapping[str, float] | None = None,
    defaults: EffortDefaults | None = None,
) -> pd.DataFrame:
    """Stranded commitment cost of each contract for an exit (or several exits).

    Parameters
    ----------
    contracts : Estate or sequence of Contract
        An estate (its contracts and its ``as_of``) or contracts.
    exit_month : date, int, or list of either
        When the exit takes effect: a date, or whole months after the start of the ``as_of``
        month (0 = the as_of month itself). A list evaluates every exit at once.
    as_of : datetime.date, optional
        Start of month offsets (default: the estate's ``as_of``).
    remaining_spend_usd_per_month : mapping, optional
        For minimum-spend contracts, by contract id: spend with the provider that continues
        after the exit (default 0: everything leaves). [USD per month]
    defaults : EffortDefaults, optional
        Commitment rules (default: the bundled file).

    Returns
    -------
    pandas.DataFrame
        Index (``exit_date``, ``contract``); columns ``kind``, ``provider``, ``end``,
        ``remaining_months``, ``usd_per_month``, ``owed_usd``, ``recovered_usd``,
        ``termination_fee_usd``, ``stranded_usd``, ``unamortised_upfront_usd`` (sunk, not
        included in ``stranded_usd``), ``treatment`` and ``rule_source``.

    Raises
    ------
    InvalidParameterError
        A contract ending before it starts, an offset without ``as_of``, unknown contract ids.

    Examples
    --------
    >>> import datetime as dt
    >>> from exitcost.estate import Contract
    >>> ri = Contract(id="ri", kind="reserved_capacity", provider="aws", usd_per_month=1000,
    ...               start=dt.date(2026, 1, 1), end=dt.date(2028, 12, 31))
    >>> out = stranded_commitments([ri], [dt.date(2027, 1, 1), dt.date(2029, 1, 1)])
    >>> out["stranded_usd"].tolist()      # 24 months left, then none
    [24000.0, 0.0]
    """
    items, estate_as_of = _contracts_of(contracts, provider, locations, "stranded_commitments")
    as_of = as_of if as_of is not None else estate_as_of
    defaults = load_effort_defaults() if defaults is None else defaults
    positions, dates = _exit_positions(exit_month, as_of, "stranded_commitments")
    out = _stranded_matrix(items, positions, remaining_spend_usd_per_month or {}, defaults)
    n_exit, n_c = len(dates), len(items)
    index = pd.MultiIndex.from_product(
        [dates, [c.id for c in items]], names=["exit_date", "contract"]
    )
    return pd.DataFrame(
        {
            "kind": [c.kind for c in items] * n_exit,
            "provider": [c.provider for c in items] * n_exit,
            "end": [c.end for c in items] * n_exit,
            "remaining_months": out["remaining_months"].reshape(n_exit * n_c),
            "usd_per_month": [c.usd_per_month for c in items] * n_exit,
            "owed_usd": out["owed_usd"].reshape(n_exit * n_c),
            "recovered_usd": out["recovered_usd"].reshape(n_exit * n_c),
            "termination_fee_usd": [c.termination_fee_usd for c in items] * n_exit,
            "stranded_usd": out["stranded_usd"].reshape(n_exit * n_c),
            "unamortised_upfront_usd": out["unamortised_upfront_usd"].reshape(n_exit * n_c),
            "treatment": [_treatment(c) for c in items] * n_exit,
            "rule_source": [r.source for r in out["rules"]] * n_exit,
        },
        index=index,
    )


def stranded_by_exit_month(
    contracts: Estate | Sequence[Contract],
    months: Any,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    as_of: dt.date | None = None,
    remaining_spend_usd_per_month: Mapping[str, float] | None = None,
    defaults: EffortDefaults | None = None,
) -> pd.Series:
    """Total stranded commitments for an exit in each of several months (the lock-in clock).

    Parameters
    ----------
    contracts, provider, locations, as_of, remaining_spend_usd_per_month, defaults
        As for :func:`stranded_commitments`.
    months : int or sequence of int
        Month offsets from the ``as_of`` month (e.g. ``range(36)``).

    Returns
    -------
    pandas.Series
        Stranded USD per exit month offset (index ``exit_month``). [USD]

    Examples
    --------
    >>> import datetime as dt
    >>> from exitcost.estate import Contract
    >>> sp = Contract(id="sp", kind="savings_plan", provider="aws", usd_per_month=500,
    ...               start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    >>> stranded_by_exit_month([sp], [0, 1, 2, 3], as_of=dt.date(2026, 10, 15)).tolist()
    [1500.0, 1000.0, 500.0, 0.0]
    """
    items, estate_as_of = _contracts_of(contracts, provider, locations, "stranded_by_exit_month")
    as_of = as_of if as_of is not None else estate_as_of
    defaults = load_effort_defaults() if defaults is None else defaults
    offsets = [int(m) for m in np.atleast_1d(np.asarray(months))]
    positions, _ = _exit_positions(offsets, as_of, "stranded_by_exit_month")
    out = _stranded_matrix(items, positions, remaining_spend_usd_per_month or {}, defaults)
    return pd.Series(
        out["stranded_usd"].sum(axis=1),
        index=pd.Index(offsets, name="exit_month"),
        name="stranded_usd",
    )


def exit_windows(
    estate: Estate,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    defaults: EffortDefaults | None = None,
) -> pd.DataFrame:
    """Contract end dates as the natural exit windows, soonest first.

    ``provider`` and ``locations`` keep only the contracts that exit strands (as for
    :func:`stranded_commitments`); ``None`` keeps them all.

    Returns
    -------
    pandas.DataFrame
        One row per contract (index ``contract``): ``kind``, ``provider``, ``location``,
        ``end``, ``natural_exit`` (the day after the end), ``months_from_as_of`` (0 when
        already past), ``usd_per_month`` and ``stranded_if_exit_now_usd`` (exit in the as_of
        month).

    Examples
    --------
    >>> from exitcost.estate import Estate
    >>> estate = Estate.from_dict({"name": "demo", "as_of": "2026-11-27", "contracts": [
    ...     {"id": "sp", "kind": "savings_plan", "provider": "aws", "usd_per_month": 500,
    ...      "start": "2026-01-01", "end": "2027-12-31"}]})
    >>> exit_windows(estate)[["natural_exit", "months_from_as_of", "stranded_if_exit_now_usd"]]
             natural_exit  months_from_as_of  stranded_if_exit_now_usd
    contract
    sp         2028-01-01               14.0                    7000.0
    """
    defaults = load_effort_defaults() if defaults is None else defaults
    items, _ = _contracts_of(estate, provider, locations, "exit_windows")
    now = month_position(month_start(estate.as_of))
    out = _stranded_matrix(items, np.array([now]), {}, defaults)
    frame = pd.DataFrame(
        {
            "kind": [c.kind for c in items],
            "provider": [c.provider for c in items],
            "location": [c.location or "" for c in items],
            "end": [c.end for c in items],
            "natural_exit": [c.end + dt.timedelta(days=1) for c in items],
            "months_from_as_of": [max(0.0, _end_position(c) - now) for c in items],
            "usd_per_month": [c.usd_per_month for c in items],
            "stranded_if_exit_now_usd": out["stranded_usd"][0] if items else [],
        },
        index=pd.Index([c.id for c in items], name="contract"),
    )
    return frame.sort_values(["natural_exit", "kind"], kind="stable")
