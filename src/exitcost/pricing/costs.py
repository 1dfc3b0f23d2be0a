"""Egress, storage, retrieval and whole-dataset exit costs from the price books.

Money is per source account and billing month: each element of ``volume_gb`` is the volume
leaving one source location in one billing month and is priced as its own month (tiers and
free allowances reset monthly). A single call assumes the source is the only one of its
account sending that month, so an account-wide free allowance (AWS's 100 GB) applies in full;
to share it between several regions of one account use :func:`account_egress_cost`, which
applies it once, to the sources in the order given.

The destination decides the class (see :mod:`exitcost.pricing.books`): ``"internet"``,
``"zone"`` (another zone of the source region), the source itself (same zone), another region
of the same provider, or another provider / site (internet, or ``via="interconnect"``).

Examples
--------
>>> round(egress_cost(512000, source="aws:us-east-1", as_of="2025-01-01"), 2)
29482.2
>>> egress_cost(512000, source="aws:us-east-1", as_of="2025-01-01", exit_waiver=True)
0.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from exitcost._validation import (
    as_array,
    check_bool,
    check_scalar,
    check_whole,
    match_labels,
    renamed_parameters,
    wrap_like,
)
from exitcost.errors import InvalidParameterError, PriceLimitError, format_choices
from exitcost.pricing.books import (
    PriceBook,
    TransferPrice,
    as_date,
    load_price_book,
    split_location,
)
from exitcost.pricing.fallback import resolve_exit_class, resolve_storage, resolve_transfer
from exitcost.pricing.policy import FALLBACK_CHOICES, Adjustment, Fallback, record
from exitcost.pricing.programmes import (
    data_act_factor,
    data_act_factors,
    programme_covers,
    waiver_fractions,
)
from exitcost.pricing.schema import RetrievalOption, StorageClass
from exitcost.pricing.tiers import BeyondPublished, TierSchedule, account_tiered_cost

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

__all__ = [
    "EXIT_COST_ITEMS",
    "note_beyond",
    "account_egress_cost",
    "data_exit_cost",
    "egress_cost",
    "retrieval_cost",
    "storage_cost",
    "transfer_price",
]

EXIT_COST_ITEMS: tuple[str, ...] = ("egress", "retrieval", "requests", "early_deletion")
"""Rows of :func:`data_exit_cost` (cost categories of :mod:`exitcost.categories`), then total."""

_DAYS_PER_MONTH = 365.2425 / 12.0  # mean Gregorian month, for pro-rating minimum durations


def _book_for(location: str, as_of: Any, name: str, func: str) -> tuple[PriceBook, str, dt.date]:
    provider, region = split_location(location, name=name, func=func)
    day = as_date(as_of, func=func)
    book = load_price_book(provider, as_of=day)
    book.region(region, name=name, func=func)
    return book, region, day


def _check_fallback(fallback: Any, func: str) -> Fallback:
    if fallback not in FALLBACK_CHOICES:
        raise InvalidParameterError(
            f"The 'fallback' parameter of {func} must be None or 'nearest'. "
            f"Got {fallback!r} instead."
        )
    return fallback  # type: ignore[no-any-return]


def _route_price(
    book: PriceBook,
    region: str,
    destination: str,
    *,
    via: Literal["internet", "interconnect"] | None,
    network_tier: str | None,
    fallback: Fallback,
    stored_gb: float = 0.0,
    port_gbps: float | None = None,
) -> TransferPrice:
    """The book's transfer price for the route, borrowed from the nearest region if allowed."""

    def fetch(r: str) -> TransferPrice:
        return book.transfer_price(
            r,
            destination,
            via=via,
            network_tier=network_tier,
            stored_gb=stored_gb,
            port_gbps=port_gbps,
        )

    return resolve_transfer(book, region, fetch, fallback)


def note_beyond(
    schedule: TierSchedule,
    volume_gb: Any,
    beyond_published: str,
    *,
    book: PriceBook,
    location: str,
    item: str = "internet_egress",
) -> None:
    """Check a month's volume against the schedule's published limit, per the policy.

    Beyond the limit, ``beyond_published="error"`` raises :class:`PriceLimitError` naming the
    location, the book and the switches that answer anyway; ``"extrapolate"`` records an
    :class:`Adjustment` (the tier kernel prices the excess at the last band's rate). Volumes
    that are not numbers are left to the kernel's own check.
    """
    if not np.isfinite(schedule.limit_gb):
        return
    try:
        high = float(np.nanmax(np.asarray(volume_gb, dtype=np.float64), initial=0.0))
    except (TypeError, ValueError):
        return
    if high <= schedule.limit_gb:
        return
    where = f"{book.provider} {book.effective_date.isoformat()}"
    if beyond_published == "error":
        raise PriceLimitError(
            f"No published {item} price for {high:,.6g} GB per month from {location!r}: the "
            f"{where} book's bands stop at {schedule.limit_gb:,.6g} GB per month (the provider "
            "quotes larger volumes on request). Pass beyond_published='extrapolate' (or "
            "`--beyond-published extrapolate` on the command line) to price the excess at the "
            "last band's rate, reported in the result."
        )
    if beyond_published == "extrapolate":
        record(
            Adjustment(
                "extrapolated",
                location,
                item,
                where,
                f"beyond {schedule.limit_gb:,.0f} GB/month at the last band's rate, "
                f"{float(schedule.rates_usd_per_gb[-1]):g} USD/GB",
            )
        )


def transfer_price(
    source: str,
    destination: str = "internet",
    *,
    as_of: dt.date | str | None = None,
    via: Literal["internet", "interconnect"] | None = None,
    network_tier: str | None = None,
    port_gbps: float | None = None,
    fallback: Fallback = None,
) -> TransferPrice:
    """The :class:`TransferPrice` from a source location to a destination.

    Parameters
    ----------
    source : str
        Location id ``provider:region``, e.g. ``"aws:us-east-1"``.
    destination : str
        ``"internet"`` (default), ``"zone"``, or a location id (see the module docstring).
    as_of : date or ISO string, optional
        Picks the price book in effect (today when omitted).
    via : {"internet", "interconnect"}, optional
        Route to another provider or site over the private interconnect.
    network_tier : str, optional
        The provider's network tier (the book's default otherwise).
    port_gbps : float, optional
        Interconnect port speed, whose fee becomes ``fixed_usd_per_month``. [Gbit/s]
    fallback : {None, "nearest"}
        Where the book has no internet egress price for the source region, borrow the
        nearest priced region's (label R; see :mod:`exitcost.pricing.fallback`).

    Returns
    -------
    TransferPrice
        The tier schedule [USD/GB], its transfer class, a fixed fee [USD/month] and the source.

    Raises
    ------
    UnknownProviderError, UnknownLocationError
        Unknown provider, or a region the book does not have (the valid ones are listed).
    PriceBookError
        No book in effect on ``as_of``, or the book has no price for the route.

    Examples
    --------
    >>> p = transfer_price("aws:eu-west-1", "aws:us-east-1", as_of="2025-01-01")
    >>> p.transfer_class, p.schedule.rates_usd_per_gb.tolist()
    ('inter_region', [0.02])
    """
    book, region, _ = _book_for(source, as_of, "source", "transfer_price")
    return _route_price(
        book,
        region,
        destination,
        via=via,
        network_tier=network_tier,
        port_gbps=port_gbps,
        fallback=_check_fallback(fallback, "transfer_price"),
    )


def egress_cost(
    volume_gb: Any,
    *,
    source: str,
    destination: str = "internet",
    as_of: dt.date | str | None = None,
    exit_waiver: bool = False,
    via: Literal["internet", "interconnect"] | None = None,
    network_tier: str | None = None,
    beyond_published: BeyondPublished = "error",
    customer_jurisdiction: str | None = None,
    at_cost_fraction: float = 1.0,
    stored_gb: float = 0.0,
    fallback: Fallback = None,
) -> Any:
    """Cost of the data leaving ``source`` in each billing month.

    Parameters
    ----------
    volume_gb : numeric
        GB leaving ``source`` in one billing month; each element of an array is its own month
        (any shape, scenario axis first, months last). [GB]
    source : str
        Location id ``provider:region``, e.g. ``"aws:us-east-1"``.
    destination : str
        ``"internet"`` (default), ``"zone"``, or a location id (see module docstring).
    as_of : date or ISO string, optional
        The billing month's date: picks the price book and the waiver's eligibility.
    exit_waiver : bool
        Apply the provider's free-egress-on-exit programme (an approved request covering this
        billing month): the classes and network tiers it covers cost 0 from its announcement
        date; no effect before it or without one. Its migration window is not checked here
        (each element is a month of unknown date); :func:`data_exit_cost` checks it.
    via : {"internet", "interconnect"}, optional
        Route to another provider or site over the private interconnect.
    network_tier : str, optional
        The provider's network tier (e.g. Google ``standard``); the book's default otherwise.
    beyond_published : {"error", "extrapolate"}
        Volumes beyond the last published tier raise :class:`PriceLimitError`, or are priced
        at the last rate with an :class:`ExtrapolationWarning`.
    customer_jurisdiction : str, optional
        When the egress is part of a switch (an exit): the customer's jurisdiction. ``"EU"``
        or a member state's code (``"DE"``, case-insensitive) applies the EU Data Act phase
        in force on ``as_of`` to the classes it covers; other codes (``"US"``) change nothing;
        an unknown code is an error.
    at_cost_fraction : float
        Data Act "at cost" phase: fraction of the list egress charged (1 = list price). [1]
    stored_gb : float
        Volume stored at the source, for free allowances that grow with it (Backblaze B2's
        free egress of three times the stored volume). [GB]
    fallback : {None, "nearest"}
        Where the book has no internet egress price for the source region, borrow the
        nearest priced region's (label R).

    Returns
    -------
    float, ndarray or Series
        Variable cost of each month, the same kind and shape as ``volume_gb``. [USD] Fixed
        monthly fees (a site's committed transit, an interconnect port) are not included; see
        :func:`transfer_price` (``fixed_usd_per_month``).

    Raises
    ------
    InvalidParameterError
        Negative, NaN or infinite volume, a malformed location id, a ``via`` other than None,
        ``"internet"`` or ``"interconnect"``, or an unknown ``customer_jurisdiction``.
    UnknownProviderError, UnknownLocationError
        Unknown provider or region, source or destination (the valid ones are listed).
    PriceBookError
        ``as_of`` before the provider's first book, or no price for the route.
    PriceLimitError
        A volume beyond the last published tier with ``beyond_published="error"``.

    Examples
    --------
    >>> egress_cost(100.0, source="aws:us-east-1", as_of="2025-01-01")  # free allowance
    0.0
    >>> egress_cost(1124.0, source="aws:eu-west-1", as_of="2027-02-01",
    ...             customer_jurisdiction="de")  # EU Data Act: no switching charges
    0.0
    >>> egress_cost([1000.0], source="aws:us-east-1", destination="aws:us-east-2",
    ...             as_of="2025-01-01")
    array([10.])
    >>> egress_cost(3000.0, source="backblaze:us-west", stored_gb=1000.0,
    ...             as_of="2026-10-01")  # B2: three times the stored volume is free
    0.0
    """
    func = "egress_cost"
    book, region, day = _book_for(source, as_of, "source", func)
    stored = check_scalar(stored_gb, name="stored_gb", func=func)
    chosen = _check_fallback(fallback, func)
    price = _route_price(
        book,
        region,
        destination,
        via=via,
        network_tier=network_tier,
        stored_gb=stored,
        fallback=chosen,
    )
    note_beyond(price.schedule, volume_gb, beyond_published, book=book, location=source)
    factor = data_act_factor(
        day,
        customer_jurisdiction,
        price.transfer_class,
        at_cost_fraction=at_cost_fraction,
        func=func,
    )
    cost = price.schedule.cost(volume_gb, beyond_published=beyond_published, func=func)
    tier = network_tier if network_tier is not None else book.model.default_network_tier
    waive = check_bool(exit_waiver, name="exit_waiver", func=func)
    if waive and programme_covers(book.exit_programme, day, price.transfer_class, tier):
        factor = 0.0
    if factor == 1.0:
        return cost
    return wrap_like(volume_gb, np.asarray(cost, dtype=np.float64) * factor)


def account_egress_cost(
    volume_gb: Any,
    *,
    sources: Sequence[str],
    as_of: dt.date | str | None = None,
    exit_waiver: bool = False,
    network_tier: str | None = None,
    stored_gb: Any = 0.0,
    beyond_published: BeyondPublished = "error",
    fallback: Fallback = None,
) -> Any:
    """Internet egress of one account sending from several regions of one provider.

    Tiers apply per source region and month. Each source first uses its own per-region
    allowances; the account-wide allowance is used up once per month by the sources it applies
    to (e.g. AWS's 100 GB: not GovCloud; Google's: three US regions only), in the order given.

    Parameters
    ----------
    volume_gb : array-like, Series or DataFrame, shape (..., n_sources)
        GB leaving each source in each month, one column per entry of ``sources`` (months or
        scenarios on the leading axes), matched to ``sources`` by position. [GB]
    sources : sequence of str
        Location ids of one provider and billing account, e.g. ``["aws:us-east-1", ...]``.
    as_of : date or ISO string, optional
        Picks the price book and the waiver's eligibility (today when omitted).
    exit_waiver : bool
        Apply the provider's exit programme to every month (see :func:`egress_cost`).
    network_tier : str, optional
        The provider's network tier (the book's default otherwise).
    stored_gb : float or array-like of length n_sources
        Volume stored at each source, for allowances that grow with it (Backblaze's 3x). [GB]
    beyond_published : {"error", "extrapolate"}
        Volumes beyond the last published tier (see :func:`egress_cost`).
    fallback : {None, "nearest"}
        Borrow a missing source region's price from the nearest priced region (label R).

    Returns
    -------
    ndarray, Series or DataFrame, shape (..., n_sources)
        Cost of each source in each month, the same kind as ``volume_gb`` (a Series or
        DataFrame keeps its labels; other inputs give an ndarray). [USD]

    Raises
    ------
    InvalidParameterError
        Empty ``sources``, sources of several providers, or bad volumes.
    UnknownProviderError, UnknownLocationError, PriceBookError
        As in :func:`egress_cost`.

    Examples
    --------
    >>> account_egress_cost([[60.0, 60.0]], sources=["aws:us-east-1", "aws:eu-west-1"],
    ...                     as_of="2025-01-01")
    array([[0. , 1.8]])
    """
    func = "account_egress_cost"
    if isinstance(sources, str) or not sources:
        raise InvalidParameterError(
            f"The 'sources' parameter of {func} must be a non-empty list of location ids. "
            f"Got {sources!r} instead."
        )
    parsed = [split_location(s, name="sources", func=func) for s in sources]
    providers = {p for p, _ in parsed}
    if len(providers) != 1:
        raise InvalidParameterError(
            f"The 'sources' parameter of {func} must name locations of one provider (one "
            f"account). Got providers {format_choices(providers)} instead."
        )
    n = len(parsed)
    stored = np.broadcast_to(as_array(stored_gb, name="stored_gb", func=func), (n,)).copy()
    day = as_date(as_of, func=func)
    book = load_price_book(parsed[0][0], as_of=day)
    total_stored = float(stored.sum())
    schedules: list[TierSchedule] = []
    own = np.zeros(n)
    account = np.zeros(n)
    chosen = _check_fallback(fallback, func)
    volumes = np.asarray(volume_gb, dtype=np.float64)
    for j, (_, region) in enumerate(parsed):  # loop over a handful of sources
        book.region(region, name="sources", func=func)
        price = resolve_transfer(
            book,
            region,
            lambda r: book.internet_price(r, network_tier=network_tier, free_allowance=False),
            chosen,
        )
        if volumes.ndim and volumes.shape[-1] == n:
            note_beyond(
                price.schedule, volumes[..., j], beyond_published, book=book, location=sources[j]
            )
        schedules.append(price.schedule)
        own[j] = book.free_allowance_gb(
            region, network_tier=network_tier, stored_gb=float(stored[j]), scope="region"
        )
        account[j] = book.free_allowance_gb(
            region, network_tier=network_tier, stored_gb=total_stored, scope="account"
        )
    cost = account_tiered_cost(
        volume_gb,
        schedules,
        free_gb=float(account.max()),
        own_free_gb=own,
        eligible=account > 0,
        beyond_published=beyond_published,
        func=func,
    )
    tier = network_tier if network_tier is not None else book.model.default_network_tier
    waive = check_bool(exit_waiver, name="exit_waiver", func=func)
    if waive and programme_covers(book.exit_programme, day, "internet", tier):
        cost = np.zeros_like(cost)
    if isinstance(volume_gb, (pd.Series, pd.DataFrame)):
        return wrap_like(volume_gb, cost)
    return cost


def storage_cost(
    size_gb: Any,
    *,
    location: str,
    storage_class: str = "standard",
    as_of: dt.date | str | None = None,
    fallback: Fallback = None,
) -> Any:
    """Cost of storing ``size_gb`` (each element a month's average stored volume) for a month.

    Tiers are marginal per GB-month; free GB-months and a minimum billable volume (e.g.
    Wasabi's 1 TB) apply per month. Zero stored means zero cost. Storage prices have no
    published limit: the last band runs on.

    Parameters
    ----------
    size_gb : numeric
        Average volume stored in each month (scalar, ndarray or Series). [GB]
    location : str
        Location id ``provider:region``, e.g. ``"aws:us-east-1"``.
    storage_class : str
        exitcost storage class: standard, infrequent, cold, archive or deep_archive.
    as_of : date or ISO string, optional
        Picks the price book in effect (today when omitted).
    fallback : {None, "nearest"}
        Where the book does not price the class in the region, borrow the price of the
        nearest region of the same provider on the same continent that does (label R; see
        :mod:`exitcost.pricing.fallback`).

    Returns
    -------
    float, ndarray or Series
        Cost of each month, the same kind and shape as ``size_gb``. [USD]

    Raises
    ------
    InvalidParameterError
        Negative, NaN or infinite size, or a malformed location id.
    UnknownProviderError, UnknownLocationError
        Unknown provider or region (the valid ones are listed).
    PriceBookError
        ``as_of`` before the first book, or the class is not priced in the region and
        ``fallback`` is None (the message lists the classes priced there and names the
        switch).

    Examples
    --------
    >>> storage_cost(1024.0, location="aws:us-east-1", storage_class="deep_archive",
    ...              as_of="2025-01-01")
    1.01376
    """
    func = "storage_cost"
    book, region, _ = _book_for(location, as_of, "location", func)
    region, sc = resolve_storage(book, region, storage_class, _check_fallback(fallback, func))
    schedule = book.storage_schedule(region, storage_class)
    size = as_array(size_gb, name="size_gb", func=func)
    billable = np.where(size > 0, np.maximum(size, sc.minimum_billable_gb), 0.0)
    cost = schedule.cost(billable, beyond_published="extrapolate", name="size_gb", func=func)
    return wrap_like(size_gb, np.asarray(cost))


def _retrieval_option(sc: StorageClass, speed: str | None, func: str) -> RetrievalOption | None:
    if not sc.retrieval:
        if speed not in (None, "instant"):
            raise InvalidParameterError(
                f"The 'retrieval' parameter of {func} must be None or 'instant' for "
                f"{sc.provider_class}, which lists no retrieval speeds. Got {speed!r} instead."
            )
        return None
    options = {o.speed: o for o in sc.retrieval}
    if speed is None:
        for default in ("instant", "standard"):
            if default in options:
                return options[default]
        return sc.retrieval[0]
    if speed not in options:
        raise InvalidParameterError(
            f"The 'retrieval' parameter of {func} must be a retrieval speed of "
            f"{sc.provider_class}: {format_choices(options)}. Got {speed!r} instead."
        )
    return options[speed]


def retrieval_cost(
    size_gb: Any,
    *,
    location: str,
    storage_class: str = "standard",
    retrieval: str | None = None,
    objects: Any = 0,
    as_of: dt.date | str | None = None,
    fallback: Fallback = None,
) -> Any:
    """Cost of reading data back out of a storage class: per GB plus per request.

    Parameters
    ----------
    size_gb : numeric
        Volume read back (scalar, ndarray or Series). [GB]
    location : str
        Location id ``provider:region``.
    storage_class : str
        exitcost storage class: standard, infrequent, cold, archive or deep_archive.
    retrieval : {"instant", "expedited", "standard", "bulk"}, optional
        Retrieval speed; None takes ``instant`` where the class allows it, else ``standard``.
    objects : numeric
        Number of objects read, broadcast against ``size_gb``: one restore request at the
        speed's price plus one read (GET) at the class's price per object. When both are
        Series they are matched by index label (the order may differ; the labels must be the
        same). [1]
    as_of : date or ISO string, optional
        Picks the price book in effect (today when omitted).
    fallback : {None, "nearest"}
        Borrow prices the book does not give for the region (see :func:`storage_cost`).

    Returns
    -------
    float, ndarray or Series
        Cost, shaped like ``size_gb`` (like ``objects`` when ``size_gb`` is a scalar). [USD]

    Raises
    ------
    InvalidParameterError
        Negative, NaN or infinite size or object count, shapes that do not broadcast, two
        Series with different index labels, or a speed the class does not offer (the valid
        ones are listed).
    UnknownProviderError, UnknownLocationError, PriceBookError
        As in :func:`storage_cost`.

    Examples
    --------
    >>> retrieval_cost(1024.0, location="aws:us-east-1", storage_class="deep_archive",
    ...                retrieval="bulk", as_of="2025-01-01")
    2.56
    """
    func = "retrieval_cost"
    book, region, _ = _book_for(location, as_of, "location", func)
    chosen = _check_fallback(fallback, func)
    _, sc = resolve_exit_class(book, region, storage_class, chosen)
    option = _retrieval_option(sc, retrieval, func)
    if isinstance(size_gb, pd.Series) and isinstance(objects, pd.Series):
        objects = match_labels(objects, size_gb, name="objects", template_name="size_gb", func=func)
    size = as_array(size_gb, name="size_gb", func=func)
    count = as_array(objects, name="objects", func=func)
    sized = np.ndim(size_gb) > 0 or isinstance(size_gb, pd.Series)
    try:
        shape = np.broadcast_shapes(size.shape, count.shape)
    except ValueError:
        shape = None
    if shape is None or (sized and shape != size.shape):
        raise InvalidParameterError(
            f"The 'objects' parameter of {func} must be a number or match the shape of "
            f"'size_gb' {size.shape}. Got shape {count.shape} instead."
        )
    per_gb = option.usd_per_gb if option else 0.0
    per_req = (option.usd_per_1000_requests if option else 0.0) + sc.get_usd_per_1000_requests
    result = size * per_gb + count * per_req / 1000.0
    template = size_gb if sized else objects
    return wrap_like(template, np.asarray(result, dtype=np.float64))


@renamed_parameters(months="spread_months")
def data_exit_cost(
    size_gb: Any,
    *,
    source: str,
    storage_class: str = "standard",
    retrieval: str | None = None,
    objects: Any = 0,
    destination: str = "internet",
    as_of: dt.date | str | None = None,
    exit_waiver: bool = False,
    spread_months: int = 1,
    stored_days: float | None = None,
    customer_jurisdiction: str | None = None,
    at_cost_fraction: float = 1.0,
    via: Literal["internet", "interconnect"] | None = None,
    network_tier: str | None = None,
    beyond_published: BeyondPublished = "error",
    fallback: Fallback = None,
) -> pd.Series:
    """One-time cost of moving a dataset out of ``source``, as a breakdown.

    Parameters
    ----------
    size_gb : float
        Size of the one dataset, a single number (an array is refused: datasets that leave
        the same account share its tiers and free allowance, so pricing each alone would
        overstate the bill; use :func:`exitcost.pricing.exit_bill` for several). [GB]
    source : str
        Location id of the dataset, e.g. ``"aws:us-east-1"``.
    storage_class : str
        exitcost storage class (standard, infrequent, cold, archive, deep_archive).
    retrieval : str, optional
        Retrieval speed for archive classes (see :func:`retrieval_cost`).
    objects : int
        Number of objects (for per-request fees).
    destination, via, network_tier, beyond_published, fallback
        As in :func:`egress_cost` (``fallback`` also borrows storage and retrieval prices,
        as in :func:`retrieval_cost`).
    as_of : date or ISO string, optional
        The first day of the move (prices, waiver, EU Data Act); today when omitted.
    exit_waiver : bool
        Apply the provider's exit programme (egress only; retrieval and requests remain). It
        credits the months inside the programme's migration window (60 days) from ``as_of``,
        pro rata by day for a month the window ends in; later months pay list price.
    spread_months : int
        Spread the transfer evenly over this many billing months (tiers reset each month);
        month ``i`` starts ``i`` calendar months after ``as_of`` (``months`` is its old name,
        kept for one release with a FutureWarning).
    stored_days : float, optional
        Age of the data [days]; if below the class's minimum duration, the remaining days are
        charged pro rata at the class's monthly storage price (early deletion). None = older
        than the minimum.
    customer_jurisdiction : str, optional
        The customer's jurisdiction: ``"EU"`` or a member state's code (``"DE"``,
        case-insensitive) brings the EU Data Act into play, phase by phase on each month's
        first day; other codes change nothing; an unknown code is an error.
    at_cost_fraction : float
        Data Act "at cost" phase: fraction of the list egress charged (1 = list price). [1]

    Returns
    -------
    pandas.Series
        Index ``egress, retrieval, requests, early_deletion, total``, name ``cost_usd``. [USD]

    Raises
    ------
    InvalidParameterError
        Negative, NaN or infinite size, objects or ``stored_days``; a size that is not a single
        number; ``spread_months`` not a whole number >= 1; a retrieval speed the class does not
        offer (the valid ones are listed); an unknown ``via`` or ``customer_jurisdiction``.
    UnknownProviderError, UnknownLocationError, PriceBookError, PriceLimitError
        As in :func:`egress_cost` and :func:`storage_cost`.

    Examples
    --------
    >>> data_exit_cost(1024.0, source="aws:us-east-1", storage_class="deep_archive",
    ...                retrieval="bulk", objects=1000, as_of="2025-01-01")
    egress             83.16000
    retrieval           2.56000
    requests            0.02540
    early_deletion      0.00000
    total              85.74540
    Name: cost_usd, dtype: float64
    """
    func = "data_exit_cost"
    size = check_scalar(size_gb, name="size_gb", func=func)
    count = check_scalar(objects, name="objects", func=func)
    n_months = check_whole(spread_months, name="spread_months", func=func, minimum=1)
    age = None if stored_days is None else check_scalar(stored_days, name="stored_days", func=func)
    book, region, day = _book_for(source, as_of, "source", func)
    chosen = _check_fallback(fallback, func)
    store_region, sc = resolve_exit_class(book, region, storage_class, chosen)
    price = _route_price(
        book,
        region,
        destination,
        via=via,
        network_tier=network_tier,
        stored_gb=size,
        fallback=chosen,
    )
    n = int(n_months)
    monthly = np.full(n, size / n)
    note_beyond(price.schedule, monthly, beyond_published, book=book, location=source)
    per_month = np.asarray(
        price.schedule.cost(monthly, beyond_published=beyond_published, func=func)
    )
    if check_bool(exit_waiver, name="exit_waiver", func=func):
        tier = network_tier if network_tier is not None else book.model.default_network_tier
        credited = waiver_fractions(book.exit_programme, day, n, price.transfer_class, tier)
        per_month = per_month * (1.0 - credited)
    per_month = per_month * data_act_factors(
        day,
        n,
        customer_jurisdiction,
        price.transfer_class,
        at_cost_fraction=at_cost_fraction,
        func=func,
    )
    egress = float(np.sum(per_month))
    option = _retrieval_option(sc, retrieval, func)
    retrieval_usd = size * (option.usd_per_gb if option else 0.0)
    requests_usd = (
        count
        / 1000.0
        * ((option.usd_per_1000_requests if option else 0.0) + sc.get_usd_per_1000_requests)
    )
    early = 0.0
    if age is not None:
        remaining = max(sc.minimum_days - age, 0.0)
        if remaining > 0:
            schedule = book.storage_schedule(store_region, storage_class)
            billable = max(size, sc.minimum_billable_gb) if size > 0 else 0.0
            month_cost = float(schedule.cost(billable, beyond_published="extrapolate"))
            early = month_cost * remaining / _DAYS_PER_MONTH
    items = [egress, retrieval_usd, requests_usd, early]
    return pd.Series(
        [*items, float(sum(items))], index=[*EXIT_COST_ITEMS, "total"], name="cost_usd"
    )
