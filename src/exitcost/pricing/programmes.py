"""Exit programmes (free egress on exit) and the EU Data Act, as dated rules.

Exit waivers
------------
AWS, Google Cloud and Azure credit the egress of a customer who leaves (approval needed, a
60-day window, conditions in each book's ``exit_programme``). exitcost models an approved
waiver: ``exit_waiver=True`` zeroes the transfer classes the programme ``covers`` (internet
egress for the three), never retrieval, requests, early deletion or storage, and only on the
network tiers it names (``network_tiers``; empty = all). Before the programme's ``announced``
date, or for a provider without a programme, a waiver has **no effect** (it is ignored rather
than refused, so a plan can ask for it in every month; the property "never more expensive with
a waiver" holds either way).

The programmes credit only the egress of a migration window (``window_days``, 60 days for
the three) from the start of the move. A move spread over several billing months gets, for
each month, the share of its days that lie inside the window credited
(:func:`waiver_fractions`); months after the window pay the list price.

EU Data Act
-----------
Regulation (EU) 2023/2854 (``data/pricing/regulation/eu_data_act.yaml``): for a customer in a
listed jurisdiction (``EU``, or a member state such as ``DE``: codes are matched
case-insensitively against ``regulation/jurisdictions.yaml``, and an unknown code is an error)
switching provider or going on-premises, switching charges
including data egress may be at most the provider's cost from 2024-01-11 and are forbidden from
2027-01-12. exitcost applies it to the covered transfer classes of an exit:

- ``none`` phase: egress 0;
- ``at_cost`` phase: the list price is kept. The providers publish no "at cost" rate; keeping
  the list price is the conservative (upper-bound) reading. Pass ``at_cost_fraction`` to
  :func:`data_act_factor` (and ``data_exit_cost``) to model a lower at-cost charge;
- ``list`` or before entry into force, or a customer outside the jurisdictions: unchanged.

A move over several billing months takes, for each month, the phase in force on the month's
first day (:func:`data_act_factors`), so a move that runs into 2027-01-12 stops paying then.

Examples
--------
>>> import datetime as dt
>>> data_act_phase("2027-01-12", "EU")
'none'
>>> data_act_phase("2025-06-01", "US")
'list'
>>> waiver_applies("aws", "2024-10-01"), waiver_applies("aws", "2024-10-01", "inter_region")
(True, False)
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from exitcost._validation import check_scalar, check_whole
from exitcost.categories import TRANSFER_CLASSES
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.pricing.books import as_date, book_provenance, load_price_book, load_regulation
from exitcost.pricing.jurisdictions import jurisdiction_within, normalize_jurisdiction
from exitcost.pricing.schema import ExitProgramme

__all__ = [
    "WaiverAvailability",
    "data_act_factor",
    "data_act_factors",
    "data_act_applies",
    "data_act_phase",
    "exit_programme",
    "month_starts",
    "programme_covers",
    "waiver_applies",
    "waiver_availability",
    "waiver_fractions",
]


def _check_class(transfer_class: Any, func: str) -> str:
    if transfer_class not in TRANSFER_CLASSES:
        raise InvalidParameterError(
            f"The 'transfer_class' parameter of {func} must be one of "
            f"{format_choices(TRANSFER_CLASSES)}. Got {transfer_class!r} instead."
        )
    return str(transfer_class)


FloatArray = npt.NDArray[np.float64]


def exit_programme(provider: str, as_of: dt.date | str | None = None) -> ExitProgramme | None:
    """The exit programme in the provider's book in effect on ``as_of`` (None if none).

    Examples
    --------
    >>> exit_programme("aws", "2025-01-01").window_days
    60
    """
    return load_price_book(provider, as_of=as_of).exit_programme


def waiver_applies(
    provider: str,
    as_of: dt.date | str | None = None,
    transfer_class: str = "internet",
    network_tier: str | None = None,
) -> bool:
    """Whether an approved exit waiver zeroes ``transfer_class`` on ``as_of``.

    ``network_tier`` None means the provider's default tier. False for a book without an
    ``exit_programme`` (a provider with none, such as OCI, or a registered rate card that
    leaves it out), before the programme's ``announced`` date, and for a class or tier it does
    not cover; :func:`waiver_availability` also says why.

    Raises
    ------
    InvalidParameterError
        ``transfer_class`` is not a transfer class (the valid ones are listed).
    """
    _check_class(transfer_class, "waiver_applies")
    day = as_date(as_of, func="waiver_applies")
    book = load_price_book(provider, as_of=day)
    tier = network_tier if network_tier is not None else book.model.default_network_tier
    return programme_covers(book.exit_programme, day, transfer_class, tier)


class WaiverAvailability(NamedTuple):
    """Whether an exit waiver applies to a provider's egress on a day, and why (or why not).

    Attributes
    ----------
    applies : bool
        True when an approved waiver zeroes the egress (as :func:`waiver_applies`).
    reason : str
        One sentence naming the book and the programme: what the waiver covers, or why it is
        not available (no programme in the book, a date before its announcement, a class or
        network tier it does not cover).
    """

    applies: bool
    reason: str


def waiver_availability(
    provider: str,
    as_of: dt.date | str | None = None,
    transfer_class: str = "internet",
    network_tier: str | None = None,
) -> WaiverAvailability:
    """Whether an exit waiver applies to ``provider``'s ``transfer_class`` on ``as_of``, and why.

    The book in effect on ``as_of`` decides, a registered rate card included: a card without
    ``exit_programme`` has no waiver even where the bundled book has one. Use it to describe a
    plan that asks for the waiver ("waiver requested; not available for oci: ...").

    Parameters
    ----------
    provider : str
        Provider id (``aws``, ``oci``, ...).
    as_of : date or ISO string, optional
        The day of the move (today by default).
    transfer_class : str
        Transfer class of the egress (``internet`` by default).
    network_tier : str, optional
        Network tier of the egress (default: the book's default tier).

    Returns
    -------
    WaiverAvailability
        ``applies`` (as :func:`waiver_applies`) and ``reason``.

    Raises
    ------
    UnknownProviderError
        No book exists for ``provider``.
    PriceBookError
        No book of ``provider`` is in effect on ``as_of``.
    InvalidParameterError
        ``transfer_class`` is not a transfer class, or ``as_of`` is not a date.

    Examples
    --------
    >>> waiver_availability("aws", "2025-01-01").applies
    True
    >>> print(waiver_availability("oci", "2026-11-01").reason)
    the oci price book (2026-09-20) has no exit programme
    >>> print(waiver_availability("aws", "2025-01-01").reason)
    the aws exit programme '...' of the aws price book (2024-09-25) credits 'internet' egress ...
    """
    func = "waiver_availability"
    _check_class(transfer_class, func)
    day = as_date(as_of, func=func)
    book = load_price_book(provider, as_of=day)
    name = f"the {provider} price book ({book_provenance(book)})"
    programme = book.exit_programme
    tier = network_tier if network_tier is not None else book.model.default_network_tier
    if programme is None:
        return WaiverAvailability(False, f"{name} has no exit programme")
    what = f"the {provider} exit programme {programme.name!r} of {name}"
    if day < programme.announced:
        return WaiverAvailability(
            False,
            f"{what} was announced on {programme.announced.isoformat()}, after {day.isoformat()}",
        )
    if transfer_class not in programme.covers:
        return WaiverAvailability(
            False,
            f"{what} covers only {format_choices(programme.covers)} transfers, "
            f"not {transfer_class!r}",
        )
    if programme.network_tiers and tier not in programme.network_tiers:
        return WaiverAvailability(
            False,
            f"{what} covers only network tier(s) {format_choices(programme.network_tiers)}, "
            f"not {tier!r}",
        )
    window = "" if programme.window_days is None else f" for {programme.window_days} days"
    return WaiverAvailability(
        True, f"{what} credits {transfer_class!r} egress{window} from the start of the move"
    )


def programme_covers(
    programme: ExitProgramme | None,
    day: dt.date,
    transfer_class: str,
    network_tier: str | None = None,
) -> bool:
    """Whether ``programme`` (from a book) zeroes ``transfer_class`` on ``day``.

    ``network_tier`` is the tier the traffic uses (resolved to the book's default by the
    caller); a programme that names ``network_tiers`` covers only those.
    """
    return (
        programme is not None
        and day >= programme.announced
        and transfer_class in programme.covers
        and (not programme.network_tiers or network_tier in programme.network_tiers)
    )


def _check_months(months: Any, func: str) -> int:
    return check_whole(months, name="months", func=func, minimum=1)


def month_starts(start: dt.date | str, months: int) -> npt.NDArray[np.datetime64]:
    """First day of each of ``months`` billing months from ``start``, and the day after the last.

    Month ``i`` starts ``i`` calendar months after ``start`` (the day clamped to the month's
    length, like :func:`exitcost.units.add_months`). Returns ``months + 1`` dates.

    Examples
    --------
    >>> month_starts("2025-01-31", 2).astype(str).tolist()
    ['2025-01-31', '2025-02-28', '2025-03-31']
    """
    day = as_date(start, name="start", func="month_starts")
    n = _check_months(months, "month_starts")
    ym = np.datetime64(day, "M") + np.arange(n + 1)
    first = ym.astype("datetime64[D]")
    days_in_month = ((ym + 1).astype("datetime64[D]") - first).astype(np.int64)
    offset = np.minimum(day.day - 1, days_in_month - 1)
    starts: npt.NDArray[np.datetime64] = first + offset.astype("timedelta64[D]")
    return starts


def waiver_fractions(
    programme: ExitProgramme | None,
    start: dt.date | str,
    months: int,
    transfer_class: str = "internet",
    network_tier: str | None = None,
) -> FloatArray:
    """Share of each billing month's egress an approved exit waiver credits.

    The waiver runs from ``start`` (the move's first day) for the programme's ``window_days``;
    each month gets the share of its days inside that window (1 for a month wholly inside, 0
    after it). No programme, a date before its announcement, or a class or network tier it does
    not cover give zeros.

    Parameters
    ----------
    programme : ExitProgramme or None
        The provider's programme (``PriceBook.exit_programme``).
    start : date or ISO string
        First day of the move (and of the waiver window).
    months : int
        Number of billing months of the move.
    transfer_class : str
        Transfer class of the egress (``internet``, ``interconnect``, ...).
    network_tier : str, optional
        Network tier of the egress (the book's default resolved by the caller).

    Returns
    -------
    ndarray, shape (months,)
        Credited share of each month, between 0 and 1. [1]

    Examples
    --------
    >>> from exitcost.pricing.books import load_price_book
    >>> aws = load_price_book("aws", as_of="2025-01-01").exit_programme
    >>> waiver_fractions(aws, "2025-01-01", 3).round(4).tolist()  # 60 days: Jan, Feb, 1 of March
    [1.0, 1.0, 0.0323]
    """
    day = as_date(start, name="start", func="waiver_fractions")
    n = _check_months(months, "waiver_fractions")
    if programme is None or not programme_covers(programme, day, transfer_class, network_tier):
        return np.zeros(n)
    if programme.window_days is None:
        return np.ones(n)
    bounds = month_starts(day, n)
    window_end = np.datetime64(day, "D") + np.timedelta64(programme.window_days, "D")
    inside = (np.minimum(bounds[1:], window_end) - bounds[:-1]).astype(np.int64)
    length = (bounds[1:] - bounds[:-1]).astype(np.int64)
    fractions: FloatArray = np.clip(inside / length, 0.0, 1.0)
    return fractions


def data_act_applies(customer_jurisdiction: str | None, *, func: str = "data_act_phase") -> bool:
    """Whether the EU Data Act protects a customer of ``customer_jurisdiction`` (None = no).

    The code is matched case-insensitively, and a member state counts as the EU
    (``data/pricing/regulation/jurisdictions.yaml``).

    Raises
    ------
    InvalidParameterError
        Not a known jurisdiction code (the message lists the valid forms).

    Examples
    --------
    >>> data_act_applies("de"), data_act_applies("CH"), data_act_applies(None)
    (True, False, False)
    """
    if customer_jurisdiction is None:
        return False
    code = normalize_jurisdiction(customer_jurisdiction, func=func)
    regime = load_regulation("eu_data_act")
    return any(jurisdiction_within(code, j) for j in regime.customer_jurisdictions)


def data_act_phase(
    as_of: dt.date | str | None, customer_jurisdiction: str | None
) -> Literal["list", "at_cost", "none"]:
    """Which switching-charge regime of the EU Data Act applies to a customer on a day.

    ``customer_jurisdiction`` is a jurisdiction code (``"EU"``, a member state such as
    ``"DE"``, any other country code such as ``"US"``; case-insensitive) or None.

    Raises
    ------
    InvalidParameterError
        An unknown jurisdiction code (the message lists the valid forms) or a bad date.

    Examples
    --------
    >>> data_act_phase("2027-02-01", "de"), data_act_phase("2026-02-01", "FR")
    ('none', 'at_cost')
    """
    func = "data_act_phase"
    return _phase_on(as_date(as_of, func=func), customer_jurisdiction, func)


def _phase_on(
    day: dt.date, customer_jurisdiction: str | None, func: str
) -> Literal["list", "at_cost", "none"]:
    """:func:`data_act_phase` on a checked day, errors naming the public function ``func``."""
    if not data_act_applies(customer_jurisdiction, func=func):
        return "list"
    regime = load_regulation("eu_data_act")
    current: Literal["list", "at_cost", "none"] = "list"
    for phase in regime.phases:
        if phase.start <= day and (phase.end is None or day <= phase.end):
            current = phase.switching_charges
    return current


def _switching_terms(
    at_cost_fraction: Any, transfer_class: Any, func: str
) -> tuple[dict[str, float], bool]:
    """The factor under each Data Act phase, and whether the Act covers ``transfer_class``."""
    fraction = check_scalar(at_cost_fraction, name="at_cost_fraction", func=func, maximum=1.0)
    _check_class(transfer_class, func)
    covered = transfer_class in load_regulation("eu_data_act").covers
    return {"list": 1.0, "at_cost": fraction, "none": 0.0}, covered


def data_act_factor(
    as_of: dt.date | str | None,
    customer_jurisdiction: str | None,
    transfer_class: str = "internet",
    *,
    at_cost_fraction: float = 1.0,
    func: str = "data_act_factor",
) -> float:
    """Multiplier on switching egress under the EU Data Act (1 = unchanged, 0 = forbidden).

    ``func`` is the public function that error messages name (a caller passes its own).

    Examples
    --------
    >>> data_act_factor("2026-01-01", "EU", at_cost_fraction=0.5)
    0.5
    >>> data_act_factor("2027-02-01", "EU")
    0.0
    """
    factor_of, covered = _switching_terms(at_cost_fraction, transfer_class, func)
    if not covered:
        return 1.0
    return factor_of[_phase_on(as_date(as_of, func=func), customer_jurisdiction, func)]


def data_act_factors(
    start: dt.date | str | None,
    months: int,
    customer_jurisdiction: str | None,
    transfer_class: str = "internet",
    *,
    at_cost_fraction: float = 1.0,
    func: str = "data_act_factors",
) -> FloatArray:
    """:func:`data_act_factor` for each billing month of a move, on the month's first day.

    ``months`` billing months from ``start``; the other parameters as for the one-day factor.

    Examples
    --------
    >>> data_act_factors("2026-12-01", 3, "EU", at_cost_fraction=0.5).tolist()  # Dec, Jan, Feb
    [0.5, 0.5, 0.0]
    """
    day = as_date(start, name="start", func=func)
    n = _check_months(months, func)
    factor_of, covered = _switching_terms(at_cost_fraction, transfer_class, func)
    applies = data_act_applies(customer_jurisdiction, func=func)
    factors = np.ones(n)
    if not covered or not applies:
        return factors
    dates = month_starts(day, n)[:-1]
    for phase in load_regulation("eu_data_act").phases:  # a handful of phases
        inside = dates >= np.datetime64(phase.start, "D")
        if phase.end is not None:
            inside &= dates <= np.datetime64(phase.end, "D")
        factors[inside] = factor_of[phase.switching_charges]
    return factors
