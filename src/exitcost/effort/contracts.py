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
* **minimum spend** (EDP/PPA, MACC): the shortfall. For every remaining month it is
  ``max(0, committed per month - payments still owed that month on the same provider's
  non-cancellable savings plans, reservations and committed-use contracts - spend that still
  happens per month)``: those payments are spend with the provider and count toward the
  minimum (our reasoning, R, in the defaults file; ``minimum_spend_offset=False`` turns the
  offset off). Evaluated month by month, prorated where a contract starts or ends mid-month
  (:func:`minimum_spend_shortfall_usd`);
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

from exitcost._validation import (
    as_array,
    check_known_ids,
    first_bad,
    renamed_parameters,
    wrap_like,
)
from exitcost.effort.catalog import EffortDefaults, load_effort_defaults
from exitcost.effort.scope import exit_scope, scope_contracts
from exitcost.errors import InvalidParameterError
from exitcost.units import add_months, month_start, parse_date

if TYPE_CHECKING:
    from exitcost.estate import Contract, Estate

__all__ = [
    "exit_date",
    "exit_windows",
    "minimum_spend_shortfall_usd",
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
        i, where = first_bad(bad)
        raise InvalidParameterError(
            f"The contract of {func} must end on or after it starts. Got start_month="
            f"{float(start_b[i])!r}, end_month={float(end_b[i])!r}{where} instead."
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
    with np.errstate(over="ignore", invalid="ignore"):
        owed = remaining * np.where(is_min, np.maximum(monthly - offset, 0.0), monthly)
    if not np.isfinite(owed).all():
        i, where = first_bad(~np.isfinite(owed))
        raise InvalidParameterError(
            f"The 'usd_per_month' parameter of {func} must give remaining payments within "
            f"float64 range. Got {float(np.broadcast_to(monthly, owed.shape)[i])!r} for "
            f"{float(np.broadcast_to(remaining, owed.shape)[i])!r} months{where} instead."
        )
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


_EXIT_MONTH_HELP = (
    "a date (datetime.date, datetime.datetime, pandas.Timestamp or an ISO string such as "
    "'2027-06-01' or '2027-06'), a whole month offset >= 0 from the start of the as_of month, "
    "or a list of either"
)


def exit_date(exit_month: Any, as_of: dt.date | None = None, func: str = "exit_date") -> dt.date:
    """The day an exit takes effect: ``exit_month`` as a date or as months after ``as_of``.

    Parameters
    ----------
    exit_month : int, str, datetime.date, datetime.datetime or pandas.Timestamp
        A whole month offset >= 0 from the start of the ``as_of`` month, or a date in one of
        the spellings :func:`exitcost.units.parse_date` reads (``"2027-06"`` is 2027-06-01).
    as_of : datetime.date, optional
        The start the offsets count from; a date must not fall before its month.
    func : str
        The public function that error messages name (a caller passes its own).

    Returns
    -------
    datetime.date
        The exit day (an offset gives the first day of its month).

    Raises
    ------
    InvalidParameterError
        A negative offset, an offset without ``as_of``, text that is no date, or a date before
        the ``as_of`` month.

    Examples
    --------
    >>> import datetime as dt
    >>> exit_date(3, dt.date(2026, 11, 27))
    datetime.date(2027, 2, 1)
    >>> exit_date("2027-06", dt.date(2026, 11, 27))
    datetime.date(2027, 6, 1)
    """
    if isinstance(exit_month, int | np.integer) and not isinstance(exit_month, bool | np.bool_):
        if exit_month < 0:
            raise InvalidParameterError(
                f"The 'exit_month' parameter of {func} must be a month offset >= 0 (0 = the "
                "as_of month; an exit cannot take effect before it). "
                f"Got {int(exit_month)!r} instead."
            )
        if as_of is None:
            raise InvalidParameterError(
                f"The 'exit_month' parameter of {func} is a month offset, which needs a start: "
                "pass an estate (its as_of) or as_of=date. Got offsets without as_of instead."
            )
        return add_months(month_start(as_of), int(exit_month))
    try:  # the one date reading of exitcost (exitcost.units.parse_date); None is no date here
        if exit_month is None:
            raise InvalidParameterError("no date")
        day = parse_date(exit_month, name="exit_month", func=func)
    except InvalidParameterError:
        raise InvalidParameterError(
            f"The 'exit_month' parameter of {func} must be {_EXIT_MONTH_HELP}. "
            f"Got {exit_month!r} instead."
        ) from None
    if as_of is not None and day < month_start(as_of):
        raise InvalidParameterError(
            f"The 'exit_month' parameter of {func} must not be before the start of the as_of "
            f"month ({month_start(as_of)}): an exit cannot take effect in the past. "
            f"Got {exit_month!r} instead."
        )
    return day


def _exit_positions(
    exit_month: Any, as_of: dt.date | None, func: str
) -> tuple[FloatArray, list[dt.date]]:
    many = (list, tuple, range, np.ndarray, pd.Series, pd.Index)
    values = list(exit_month) if isinstance(exit_month, many) else [exit_month]
    dates = [exit_date(v, as_of, func) for v in values]
    return np.array([month_position(d) for d in dates], dtype=np.float64).reshape(-1), dates


def _month_offsets(exit_months: Any, func: str) -> list[int]:
    """Whole month offsets >= 0 (integral floats accepted), with an error naming them."""
    arr = np.atleast_1d(np.asarray(exit_months, dtype=object))
    out: list[int] = []
    for v in arr.reshape(-1):
        ok = isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)
        if (
            not ok
            and isinstance(v, float | np.floating)
            and np.isfinite(v)
            and float(v).is_integer()
        ):
            ok, v = True, int(v)
        if not ok or int(v) < 0:
            raise InvalidParameterError(
                f"The 'exit_months' parameter of {func} must be whole month offsets >= 0 from "
                f"the start of the as_of month (e.g. range(36)). Got {v!r} in {exit_months!r} "
                "instead."
            )
        out.append(int(v))
    return out


def _end_position(contract: Contract) -> float:
    return month_position(contract.end + dt.timedelta(days=1))


def minimum_spend_shortfall_usd(
    start_month: Any,
    end_month: Any,
    exit_month: Any,
    minimum_usd_per_month: Any,
    offset_start_month: Any,
    offset_end_month: Any,
    offset_usd_per_month: Any,
    *,
    remaining_spend_usd_per_month: Any = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Shortfall of a minimum-spend commitment after an exit, net of payments that count toward it.

    For every moment of the commitment's remaining term the shortfall accrues at
    ``max(0, minimum - sum of the offsetting payments running then - remaining spend)`` per
    month: month by month, prorated within a month where a contract starts or ends. The rates are
    constant between contract dates, so the integral is exact over those segments.

    Parameters
    ----------
    start_month, end_month : array-like, shape (n_min,)
        Month positions (see :func:`month_position`) of each minimum's first covered day and the
        day after its last.
    exit_month : array-like, shape (n_exits,)
        Month positions of the exits.
    minimum_usd_per_month : array-like, shape (n_min,)
        Committed spend per month. [USD per month]
    offset_start_month, offset_end_month : array-like, shape (n_offsets,)
        Terms of the payments that count toward the minimums (e.g. savings plans).
    offset_usd_per_month : array-like, shape (n_exits, n_min, n_offsets) or broadcastable
        What each offsetting payment adds to each minimum per month after each exit (0 where it
        does not count: another provider, a refunded part). [USD per month]
    remaining_spend_usd_per_month : array-like, shape (n_min,)
        Spend with the provider that continues after the exit. [USD per month]

    Returns
    -------
    shortfall_usd, offset_usd : numpy.ndarray, shape (n_exits, n_min)
        The shortfall owed and the part of the minimum met by the offsets and the remaining
        spend; ``shortfall_usd + offset_usd = remaining months x minimum``. [USD]

    Examples
    --------
    >>> # $350k a month to Dec 2027; a $94.9k savings plan runs throughout; exit Nov 2026.
    >>> p = lambda y, m: 12 * y + m - 1
    >>> short, met = minimum_spend_shortfall_usd(
    ...     [p(2025, 1)], [p(2028, 1)], [p(2026, 11)], [350_000.0],
    ...     [p(2025, 7)], [p(2028, 7)], [[[94_900.0]]])
    >>> short, met      # 14 x (350,000 - 94,900) and 14 x 94,900
    (array([[3571400.]]), array([[1328600.]]))
    """
    func = "minimum_spend_shortfall_usd"
    start = np.atleast_1d(as_array(start_month, name="start_month", func=func, minimum=None))
    end = np.atleast_1d(as_array(end_month, name="end_month", func=func, minimum=None))
    exits = np.atleast_1d(as_array(exit_month, name="exit_month", func=func, minimum=None))
    minimum = np.atleast_1d(
        as_array(minimum_usd_per_month, name="minimum_usd_per_month", func=func)
    )
    o_start = np.atleast_1d(
        as_array(offset_start_month, name="offset_start_month", func=func, minimum=None)
    )
    o_end = np.atleast_1d(
        as_array(offset_end_month, name="offset_end_month", func=func, minimum=None)
    )
    o_rate = as_array(offset_usd_per_month, name="offset_usd_per_month", func=func)
    extra = np.atleast_1d(
        as_array(remaining_spend_usd_per_month, name="remaining_spend_usd_per_month", func=func)
    )
    n_e, n_m, n_o = exits.size, start.size, o_start.size
    try:
        o_rate = np.broadcast_to(o_rate, (n_e, n_m, n_o))
        start, end, minimum, extra = np.broadcast_arrays(start, end, minimum, extra)
    except ValueError:
        raise InvalidParameterError(
            f"The shapes of the inputs of {func} must match: {n_m} minimums, {n_o} offsets and "
            f"{n_e} exits, offset_usd_per_month of shape ({n_e}, {n_m}, {n_o}). Got "
            f"{np.shape(offset_usd_per_month)} and {np.shape(minimum_usd_per_month)} instead."
        ) from None
    bounds = np.unique(np.concatenate([start, end, o_start, o_end]))
    lo, hi = bounds[:-1], bounds[1:]  # segments between contract dates, (n_seg,)
    with np.errstate(over="ignore", invalid="ignore"):
        after = np.clip(hi - np.maximum(lo, exits[:, None]), 0.0, None)  # (n_e, n_seg)
        in_min = (start[:, None] <= lo) & (hi <= end[:, None])  # (n_m, n_seg)
        in_off = (o_start[:, None] <= lo) & (hi <= o_end[:, None])  # (n_o, n_seg)
        offset_rate = np.einsum("emo,os->ems", o_rate, in_off.astype(np.float64))
        met_rate = np.minimum(offset_rate + extra[None, :, None], minimum[None, :, None])
        weight = in_min[None, :, :] * after[:, None, :]  # (n_e, n_m, n_seg)
        total = (minimum[None, :, None] * weight).sum(axis=-1)
        met = (met_rate * weight).sum(axis=-1)
    if not (np.isfinite(total).all() and np.isfinite(met).all()):
        raise InvalidParameterError(
            f"The inputs of {func} must keep the shortfall within float64 range. Got minimums "
            f"up to {float(minimum.max())!r} USD per month and offsets up to "
            f"{float(o_rate.max()) if o_rate.size else 0.0!r} instead."
        )
    return np.asarray(total - met, dtype=np.float64), np.asarray(met, dtype=np.float64)


def _check_contract_money(
    contracts: Sequence[Contract], remaining: FloatArray, monthly: FloatArray, func: str
) -> None:
    """Amounts that overflow float64 when multiplied out (e.g. 1e308 per month for 14 months)."""
    with np.errstate(over="ignore", invalid="ignore"):
        owed = remaining * monthly
    bad = ~np.isfinite(owed).all(axis=0)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidParameterError(
            f"Contract {contracts[i].id!r} (contracts[{i}].usd_per_month) of {func} must be an "
            f"amount whose remaining payments fit in float64. Got {monthly[i]!r} USD per month "
            f"over up to {float(remaining[:, i].max())!r} months instead."
        )


def _stranded_matrix(
    contracts: Sequence[Contract],
    positions: FloatArray,
    remaining_spend: Mapping[str, float],
    defaults: EffortDefaults,
    *,
    minimum_spend_offset: bool = True,
    func: str = "stranded_commitments",
) -> dict[str, Any]:
    for i, c in enumerate(contracts):
        if c.end < c.start:
            raise InvalidParameterError(
                f"Contract {c.id!r} (contracts[{i}]) must end on or after it starts. Got start="
                f"{c.start} and end={c.end} instead."
            )
    ids = [c.id for c in contracts]
    check_known_ids(
        remaining_spend,
        ids,
        name="remaining_spend_usd_per_month",
        func=func,
        entity="contract",
        missing="that do not exist",
    )
    start = np.array([month_position(c.start) for c in contracts], dtype=np.float64)
    end = np.array([_end_position(c) for c in contracts], dtype=np.float64)
    remaining = np.asarray(remaining_commitment_months(start, end, positions[:, None]))
    rules = [defaults.commitments.rule(c.provider, c.kind) for c in contracts]
    monthly = np.array([c.usd_per_month for c in contracts], dtype=np.float64)
    _check_contract_money(contracts, remaining, monthly, func)
    is_min = np.array([c.kind == "minimum_spend" for c in contracts], dtype=bool)
    is_cancel = np.array([c.cancellable for c in contracts], dtype=bool)
    fee = np.array([c.termination_fee_usd for c in contracts], dtype=np.float64)
    recovery = np.array([r.recovery_fraction for r in rules], dtype=np.float64)
    fee_fraction = np.array([r.early_termination_fee_fraction for r in rules], dtype=np.float64)
    offset = np.array([remaining_spend.get(c.id, 0.0) for c in contracts], dtype=np.float64)
    as_array(offset, name="remaining_spend_usd_per_month", func=func)
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
    ).reshape(remaining.shape)
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
    # Minimum spend: other non-cancellable commitments with the same provider still being paid
    # after the exit count toward the minimum (data file: commitments.minimum_spend_offset).
    met = np.zeros_like(owed)
    rule_offset = defaults.commitments.minimum_spend_offset
    if is_min.any():
        kinds = set(rule_offset.eligible_kinds) if minimum_spend_offset and rule_offset else set()
        eligible = np.array([c.kind in kinds and not c.cancellable for c in contracts], np.bool_)
        provider = np.array([c.provider for c in contracts], dtype=object)
        same = provider[is_min][:, None] == provider[None, :]  # (n_min, n_contracts)
        paid = np.divide(stranded, owed, out=np.ones_like(owed), where=owed > 0)  # not refunded
        rate = paid[:, None, :] * monthly[None, None, :] * (same & eligible[None, :])[None]
        shortfall, met_min = minimum_spend_shortfall_usd(
            start[is_min],
            end[is_min],
            positions,
            monthly[is_min],
            start,
            end,
            rate,
            remaining_spend_usd_per_month=offset[is_min],
        )
        owed[:, is_min] = shortfall
        met[:, is_min] = met_min
        stranded[:, is_min] = np.where(
            is_cancel[is_min], np.minimum(fee[is_min], shortfall), shortfall
        )
    term = np.maximum(end - start, 1e-12)
    upfront = np.array([c.upfront_usd for c in contracts], dtype=np.float64)
    return {
        "remaining_months": remaining,
        "owed_usd": owed,
        "minimum_met_usd": met,
        "recovered_usd": recovered,
        "stranded_usd": stranded,
        "unamortised_upfront_usd": upfront * np.minimum(remaining / term, 1.0),
        "rules": rules,
    }


def _stranded_at(
    contracts: Estate | Sequence[Contract],
    exit_month: Any,
    *,
    provider: str | Sequence[str] | None,
    locations: str | Sequence[str] | None,
    as_of: dt.date | None,
    remaining_spend: Mapping[str, float] | None,
    minimum_spend_offset: bool,
    defaults: EffortDefaults | None,
    func: str,
) -> tuple[Sequence[Contract], list[dt.date], dict[str, Any]]:
    """The contracts in scope, the exit dates and :func:`_stranded_matrix` for those exits."""
    items, estate_as_of = _contracts_of(contracts, provider, locations, func)
    as_of = as_of if as_of is not None else estate_as_of
    defaults = load_effort_defaults() if defaults is None else defaults
    positions, dates = _exit_positions(exit_month, as_of, func)
    out = _stranded_matrix(
        items,
        positions,
        remaining_spend or {},
        defaults,
        minimum_spend_offset=minimum_spend_offset,
        func=func,
    )
    return items, dates, out


def _treatment(contract: Contract) -> str:
    if contract.cancellable:
        return "cancellable: termination fee or remaining payments, whichever is less"
    if contract.kind == "minimum_spend":
        return (
            "minimum spend: shortfall owed, net of other commitments with the provider that "
            "count toward it"
        )
    return "non-cancellable: remaining payments owed, less refunds or resale"


def stranded_commitments(
    contracts: Estate | Sequence[Contract],
    exit_month: Any = 0,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    as_of: dt.date | None = None,
    remaining_spend_usd_per_month: Mapping[str, float] | None = None,
    minimum_spend_offset: bool = True,
    defaults: EffortDefaults | None = None,
) -> pd.DataFrame:
    """Stranded commitment cost of each contract for an exit (or several exits).

    Parameters
    ----------
    contracts : Estate or sequence of Contract
        An estate (its contracts and its ``as_of``) or contracts.
    exit_month : date, str, int, or list of these
        When the exit takes effect: a date (``datetime.date``, ``datetime.datetime``,
        ``pandas.Timestamp`` or an ISO string such as ``"2027-06-01"``; ``"2027-06"`` is the
        first of the month), or whole months >= 0 after the start of the ``as_of`` month (0 = the
        as_of month itself). A list evaluates every exit at once. With an as_of (the estate's or
        ``as_of=``), dates before the start of its month are rejected.
    as_of : datetime.date, optional
        Start of month offsets (default: the estate's ``as_of``).
    remaining_spend_usd_per_month : mapping, optional
        For minimum-spend contracts, by contract id: spend with the provider that continues
        after the exit (default 0: everything leaves). [USD per month]
    minimum_spend_offset : bool
        Count the payments still owed after the exit on the same provider's non-cancellable
        savings plans, reservations and committed-use contracts (the kinds listed in the
        defaults file, ``commitments.minimum_spend_offset``) toward each minimum-spend
        commitment, month by month (default True); False owes every minimum in full.
    defaults : EffortDefaults, optional
        Commitment rules (default: the bundled file).

    Returns
    -------
    pandas.DataFrame
        Index (``exit_date``, ``contract``); columns ``kind``, ``provider``, ``end``,
        ``remaining_months``, ``usd_per_month``, ``owed_usd``, ``minimum_met_usd`` (for minimum
        spend: the part of the remaining minimum met by other commitments and remaining spend;
        0 for other kinds), ``recovered_usd``, ``termination_fee_usd``, ``stranded_usd``,
        ``unamortised_upfront_usd`` (sunk, not included in ``stranded_usd``), ``treatment`` and
        ``rule_source``.

    Raises
    ------
    InvalidParameterError
        A contract ending before it starts, an offset without ``as_of``, a negative offset or a
        date before the as_of month, an exit that is not a date or an offset, unknown contract
        ids, amounts that overflow.

    Examples
    --------
    >>> import datetime as dt
    >>> from exitcost.estate import Contract
    >>> ri = Contract(id="ri", kind="reserved_capacity", provider="aws", usd_per_month=1000,
    ...               start=dt.date(2026, 1, 1), end=dt.date(2028, 12, 31))
    >>> out = stranded_commitments([ri], [dt.date(2027, 1, 1), "2029-01-01"])
    >>> out["stranded_usd"].tolist()      # 24 months left, then none
    [24000.0, 0.0]

    A minimum spend of $1,000 a month is partly met by a $400 savings plan with the same
    provider that is still owed after the exit: the shortfall is $600 a month.

    >>> edp = Contract(id="edp", kind="minimum_spend", provider="aws", usd_per_month=1000,
    ...                start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31))
    >>> sp = Contract(id="sp", kind="savings_plan", provider="aws", usd_per_month=400,
    ...               start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31))
    >>> out = stranded_commitments([edp, sp], "2027-01-01")
    >>> out[["owed_usd", "minimum_met_usd", "stranded_usd"]].droplevel(0)
              owed_usd  minimum_met_usd  stranded_usd
    contract
    edp         7200.0           4800.0        7200.0
    sp          4800.0              0.0        4800.0
    >>> float(stranded_commitments([edp, sp], "2027-01", minimum_spend_offset=False)
    ...       ["stranded_usd"].sum())       # 12 x (1,000 + 400)
    16800.0
    """
    items, dates, out = _stranded_at(
        contracts,
        exit_month,
        provider=provider,
        locations=locations,
        as_of=as_of,
        remaining_spend=remaining_spend_usd_per_month,
        minimum_spend_offset=minimum_spend_offset,
        defaults=defaults,
        func="stranded_commitments",
    )
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
            "minimum_met_usd": out["minimum_met_usd"].reshape(n_exit * n_c),
            "recovered_usd": out["recovered_usd"].reshape(n_exit * n_c),
            "termination_fee_usd": [c.termination_fee_usd for c in items] * n_exit,
            "stranded_usd": out["stranded_usd"].reshape(n_exit * n_c),
            "unamortised_upfront_usd": out["unamortised_upfront_usd"].reshape(n_exit * n_c),
            "treatment": [_treatment(c) for c in items] * n_exit,
            "rule_source": [r.source for r in out["rules"]] * n_exit,
        },
        index=index,
    )


@renamed_parameters(months="exit_months")
def stranded_by_exit_month(
    contracts: Estate | Sequence[Contract],
    exit_months: Any,
    *,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    as_of: dt.date | None = None,
    remaining_spend_usd_per_month: Mapping[str, float] | None = None,
    minimum_spend_offset: bool = True,
    defaults: EffortDefaults | None = None,
) -> pd.Series:
    """Total stranded commitments for an exit in each of several months (the lock-in clock).

    Parameters
    ----------
    contracts, provider, locations, as_of, remaining_spend_usd_per_month, defaults
        As for :func:`stranded_commitments`.
    minimum_spend_offset
        As for :func:`stranded_commitments`.
    exit_months : int or sequence of int
        The exit months: whole month offsets >= 0 from the ``as_of`` month (e.g.
        ``range(36)``; ``months`` is its old name, kept for one release with a FutureWarning).

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
    offsets = _month_offsets(exit_months, "stranded_by_exit_month")
    _, _, out = _stranded_at(
        contracts,
        offsets,
        provider=provider,
        locations=locations,
        as_of=as_of,
        remaining_spend=remaining_spend_usd_per_month,
        minimum_spend_offset=minimum_spend_offset,
        defaults=defaults,
        func="stranded_by_exit_month",
    )
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
    minimum_spend_offset: bool = True,
    defaults: EffortDefaults | None = None,
) -> pd.DataFrame:
    """Contract end dates as the natural exit windows, soonest first.

    ``provider`` and ``locations`` keep only the contracts that exit strands (as for
    :func:`stranded_commitments`); ``None`` keeps them all. ``minimum_spend_offset`` as for
    :func:`stranded_commitments`.

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
    out = _stranded_matrix(
        items,
        np.array([now]),
        {},
        defaults,
        minimum_spend_offset=minimum_spend_offset,
        func="exit_windows",
    )
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
