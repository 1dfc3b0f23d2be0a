"""The one-time exit bill of an estate: what moving every cloud dataset out costs.

Assumptions (stated, so the bill can be defended):

- every dataset at a ``cloud`` location moves out over ``spread_months`` equal billing months
  starting at ``as_of`` (default: the estate's own ``as_of``, so that the same estate always
  gives the same bill; pass the planned start of the move to price it then), to the internet
  (another provider or on-premises); datasets at sites (onprem, colo, edge) are not part of a
  cloud exit;
- a dataset's size is its expected (point) size, grown to the move: a move whose ``as_of`` lies
  ``k`` calendar months after the estate's (counted from month to month, ignoring the day)
  moves ``size_gb * (1 + growth_rate_per_month) ** k``, both at their point values; a move
  in the estate's month or before it moves ``size_gb`` (no shrinking back in time); its
  object count grows by the same factor (objects of the same mean size);
- egress tiers apply per billing account, source region and month: the datasets of one region
  are summed each month, the account-wide free allowance is applied once per account (to the
  regions in the estate's location order), and each region's cost is shared among its
  datasets in proportion to size;
- retrieval uses the speed given as ``retrieval`` where the dataset's class offers it, else
  the class's default speed (``instant`` where possible, else ``standard``);
  requests are one restore (where the class needs it) and one read per object; data is taken
  to be older than the class's minimum storage duration (no early deletion);
- ``exit_waiver=True`` applies each provider's exit programme (egress only) to the months
  inside its migration window (60 days from ``as_of``; a month the window ends in is credited
  pro rata by day); ``customer_jurisdiction="EU"`` (or a member state such as ``"DE"``)
  applies the EU Data Act phase in force on each month's first day, the "at cost" phase
  charging ``at_cost_fraction`` of the list egress;
- allowances that grow with the volume stored (Backblaze's 3x) use each region's stored total.

Provenance: the bill's ``attrs["price_books"]`` maps each provider priced to the effective
date of its book (ISO text), followed for a registered book (a negotiated rate card) by
``" (registered: <file or display name>)"`` (:func:`~exitcost.pricing.books.book_provenance`),
and ``attrs["labels"]`` maps each dataset to the least confident
label (:data:`~exitcost.pricing.schema.LABEL_ORDER`) among the figures behind its egress: the
tier bands its region's monthly volume reaches, the free allowances, and the exit programme or
EU Data Act phase where they change it.

The module reads the estate by duck typing (``locations``, ``datasets``, ``as_of``), so
pricing does not import the estate package.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> bill = exit_bill(sample_estate())
>>> list(bill.columns)[:4]
['dataset', 'provider', 'location', 'size_gb']
>>> bool((exit_bill(sample_estate(), exit_waiver=True)["egress_usd"] == 0).all())
True
>>> bill.attrs["price_books"]
{'aws': '2024-09-25', 'azure': '2026-10-31'}
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Protocol

import numpy as np
import pandas as pd

from exitcost._validation import check_bool, check_scalar, check_whole, renamed_parameters
from exitcost.errors import InvalidParameterError, PriceBookError, format_choices
from exitcost.pricing.books import (
    PriceBook,
    as_date,
    book_provenance,
    load_price_book,
    load_regulation,
)
from exitcost.pricing.costs import account_egress_cost
from exitcost.pricing.fallback import resolve_exit_class, resolve_transfer
from exitcost.pricing.policy import (
    Fallback,
    PricingPolicy,
    as_policy,
    recording,
    warn_stale_books,
)
from exitcost.pricing.programmes import data_act_factors, waiver_fractions
from exitcost.pricing.schema import RetrievalOption, RetrievalSpeed, lowest_label
from exitcost.pricing.tiers import BeyondPublished
from exitcost.uncertainty import point
from exitcost.units import months_between as calendar_months

__all__ = [
    "BILL_COLUMNS",
    "exit_bill",
    "exit_bill_by_provider",
    "internet_egress_labels",
]

BILL_COLUMNS: tuple[str, ...] = (
    "dataset",
    "provider",
    "location",
    "size_gb",
    "storage_class",
    "egress_usd",
    "retrieval_usd",
    "requests_usd",
    "early_deletion_usd",
    "total_usd",
)


class _Location(Protocol):
    id: str
    kind: str
    jurisdiction: str

    @property
    def billing_account(self) -> str: ...


_SPEEDS: tuple[str, ...] = RetrievalSpeed.__args__  # type: ignore[attr-defined]


def _months_at_least_0(start: dt.date, end: dt.date) -> int:
    """Deprecated ``exitcost.pricing.bill.months_between``: calendar months, at least 0."""
    return max(calendar_months(start, end), 0)


def __getattr__(name: str) -> Any:
    """Keep the old ``months_between`` of this module working for one release, with a warning.

    Examples
    --------
    >>> import warnings
    >>> import exitcost.pricing.bill as bill
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     bill.months_between(dt.date(2026, 11, 20), dt.date(2026, 10, 1))
    0
    >>> caught[0].category.__name__
    'FutureWarning'
    """
    if name == "months_between":
        warnings.warn(
            "exitcost.pricing.bill.months_between is deprecated and goes in the next release: "
            "use max(exitcost.units.months_between(start, end), 0)",
            FutureWarning,
            stacklevel=2,
        )
        return _months_at_least_0
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def internet_egress_labels(
    book: PriceBook, region: str, monthly_gb: float, fallback: Fallback = None
) -> list[str]:
    """Labels of the figures behind ``monthly_gb`` of internet egress from ``region``.

    The tier bands the volume reaches (a band counts once the volume passes its lower edge)
    and the free allowances that apply; nothing for a volume of 0. With ``fallback="nearest"``
    a region without its own internet price takes the nearest priced region's, adding ``R``.

    Examples
    --------
    >>> aws = load_price_book("aws", as_of="2025-01-01")
    >>> internet_egress_labels(aws, "us-east-1", 200_000.0)
    ['V', 'V', 'V', 'S', 'S']
    """
    if monthly_gb <= 0:
        return []
    price = resolve_transfer(
        book, region, lambda r: book.internet_price(r, free_allowance=False), fallback
    )
    borrowed = ["R"] if price.label == "R" and "(borrowed for " in price.reference else []
    schedule = price.schedule
    used = [
        label
        for edge, label in zip(schedule.edges_gb.tolist(), schedule.labels, strict=False)
        if monthly_gb > edge
    ]
    return used + [a.label for a in book._allowances(region, "internet", None)] + borrowed


class _Dataset(Protocol):
    id: str
    location: str
    size_gb: Any
    storage_class: str
    object_count: int | None


class _Estate(Protocol):
    @property
    def as_of(self) -> dt.date: ...

    @property
    def locations(self) -> Sequence[Any]: ...

    @property
    def datasets(self) -> Sequence[Any]: ...


@renamed_parameters(months="spread_months", providers="provider")
def exit_bill(
    estate: _Estate,
    *,
    as_of: dt.date | str | None = None,
    exit_waiver: bool = False,
    spread_months: int = 1,
    customer_jurisdiction: str | None = None,
    at_cost_fraction: float = 1.0,
    retrieval: str | None = None,
    beyond_published: BeyondPublished | None = None,
    provider: str | Sequence[str] | None = None,
    fallback: Fallback = None,
    policy: PricingPolicy | None = None,
) -> pd.DataFrame:
    """One row per cloud dataset: what moving it out costs, by cost category.

    Parameters
    ----------
    estate : Estate
        The estate (:func:`exitcost.estate.sample_estate` or one read from a file).
    as_of : date or ISO string, optional
        When the move starts (default: the estate's ``as_of``). The books in effect on that
        day price it, the EU Data Act phase is the one in force on each month's first day, and
        datasets have grown from the estate's month to this month at their
        ``growth_rate_per_month`` (see the module docstring).
    exit_waiver : bool
        Apply the providers' exit programmes (egress only).
    spread_months : int
        Spread the move evenly over this many billing months (``months`` is its old name, kept
        for one release with a FutureWarning).
    customer_jurisdiction : str, optional
        The customer's jurisdiction for the EU Data Act: ``"EU"`` or a member state's code
        (``"DE"``, case-insensitive); other known codes change nothing, unknown ones are an
        error.
    at_cost_fraction : float
        Data Act "at cost" phase: fraction of the list egress charged (1 = list price). [1]
    retrieval : {"instant", "expedited", "standard", "bulk"}, optional
        Retrieval speed for the datasets whose storage class offers it (e.g. ``"bulk"`` for
        Glacier Deep Archive); the others use their class's default speed.
    beyond_published : {"error", "extrapolate"}, optional
        Monthly volumes beyond a provider's last published tier: raise (the default) or price
        the excess at the last published rate.
    provider : str or sequence of str, optional
        Only the datasets of this cloud provider or these (only their books are needed), as
        ``provider`` of the other exit analyses; default every cloud provider of the estate
        (``providers`` is its old name, kept for one release with a FutureWarning).
    fallback : {None, "nearest"}
        A storage, retrieval or egress price a region's book does not give: raise (the
        default), or borrow the nearest priced region's of the same provider on the same
        continent (label R).
    policy : PricingPolicy, optional
        Both switches as one object (:class:`exitcost.pricing.policy.PricingPolicy`); a switch
        given beside it overrides it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BILL_COLUMNS` (USD amounts and GB), in the estate's dataset order;
        ``attrs["price_books"]`` ({provider: effective date, and the card of a registered
        book}) and ``attrs["labels"]``
        ({dataset: least confident label behind its egress; ``R`` where a figure was
        borrowed or extrapolated}), ``attrs["adjustments"]`` (one dict per figure extrapolated
        or borrowed: ``kind``, ``location``, ``item``, ``book``, ``detail``, ``label``) and
        ``attrs["pricing_policy"]``. A book more than 12 months older than ``as_of`` warns
        once (:class:`exitcost.pricing.policy.StalePriceBookWarning`).

    Raises
    ------
    InvalidParameterError
        ``spread_months`` not a whole number >= 1, ``at_cost_fraction`` outside [0, 1], an unknown
        retrieval speed or ``customer_jurisdiction``.
    UnknownProviderError, UnknownLocationError, PriceBookError, PriceLimitError
        A location no book prices, a dataset whose storage class its book does not price
        there (the message names the dataset and its path), or a volume beyond a published
        limit.
    """
    func = "exit_bill"
    chosen_policy = as_policy(
        policy, beyond_published=beyond_published, fallback=fallback, func=func
    )
    with recording() as notes:
        bill = _exit_bill(
            estate,
            as_of=as_of,
            exit_waiver=exit_waiver,
            spread_months=spread_months,
            customer_jurisdiction=customer_jurisdiction,
            at_cost_fraction=at_cost_fraction,
            retrieval=retrieval,
            provider=provider,
            policy=chosen_policy,
        )
    bill.attrs["adjustments"] = [asdict(n) for n in notes]
    bill.attrs["pricing_policy"] = asdict(chosen_policy)
    for n in notes:
        dataset_ids = bill.loc[bill["location"] == n.location, "dataset"]
        for dataset_id in dataset_ids:
            bill.attrs["labels"][dataset_id] = lowest_label(
                [bill.attrs["labels"].get(dataset_id, ""), n.label]
            )
    return bill


def _exit_bill(
    estate: _Estate,
    *,
    as_of: dt.date | str | None,
    exit_waiver: bool,
    spread_months: int,
    customer_jurisdiction: str | None,
    at_cost_fraction: float,
    retrieval: str | None,
    provider: str | Sequence[str] | None,
    policy: PricingPolicy,
) -> pd.DataFrame:
    func = "exit_bill"
    n_months = check_whole(spread_months, name="spread_months", func=func, minimum=1)
    fraction = check_scalar(at_cost_fraction, name="at_cost_fraction", func=func, maximum=1.0)
    if retrieval is not None and retrieval not in _SPEEDS:
        raise InvalidParameterError(
            f"The 'retrieval' parameter of {func} must be None or a retrieval speed: "
            f"{format_choices(_SPEEDS)}. Got {retrieval!r} instead."
        )
    waive = check_bool(exit_waiver, name="exit_waiver", func=func)
    n = int(n_months)
    start = as_date(estate.as_of, name="estate.as_of", func=func)
    day = as_date(start if as_of is None else as_of, func=func)
    act = data_act_factors(
        day, n, customer_jurisdiction, "internet", at_cost_fraction=fraction, func=func
    )
    act_labels = (
        [p.label for p in load_regulation("eu_data_act").phases] if (act != 1.0).any() else []
    )
    grown = max(calendar_months(start, day), 0)  # no growth before the estate's month
    locations: dict[str, _Location] = {loc.id: loc for loc in estate.locations}
    clouds = sorted({lid.split(":", 1)[0] for lid, loc in locations.items() if loc.kind == "cloud"})
    chosen = clouds if provider is None else [provider] if isinstance(provider, str) else provider
    unknown = [p for p in chosen if p not in clouds]
    if unknown or not chosen:
        raise InvalidParameterError(
            f"The 'provider' parameter of {func} must name cloud providers of the estate "
            f"({format_choices(clouds)}). Got {provider!r} instead."
        )
    datasets: list[_Dataset] = [
        d
        for d in estate.datasets
        if locations[d.location].kind == "cloud" and d.location.split(":", 1)[0] in chosen
    ]
    growth = {
        d.id: (1.0 + point(getattr(d, "growth_rate_per_month", 0.0) or 0.0)) ** grown
        for d in datasets
    }
    sizes = {d.id: point(d.size_gb) * growth[d.id] for d in datasets}

    # region totals, grouped by (provider, account), in the estate's location order
    groups: dict[tuple[str, str], list[str]] = {}
    for loc in locations.values():
        if loc.kind == "cloud" and any(d.location == loc.id for d in datasets):
            provider = loc.id.split(":", 1)[0]
            groups.setdefault((provider, loc.billing_account), []).append(loc.id)
    used: list[PriceBook] = []
    egress_by_location: dict[str, float] = {}
    labels_by_location: dict[str, str] = {}
    books: dict[str, str] = {}
    for (provider, _), loc_ids in groups.items():
        totals = np.array(
            [sum(sizes[d.id] for d in datasets if d.location == lid) for lid in loc_ids]
        )
        monthly = np.tile(totals / n, (n, 1))
        per_month = account_egress_cost(
            monthly,
            sources=loc_ids,
            as_of=day,
            stored_gb=totals,
            beyond_published=policy.beyond_published,
            fallback=policy.fallback,
        )
        book = load_price_book(provider, as_of=day)
        used.append(book)
        books[provider] = book_provenance(book)
        factor = act.copy()
        extra = list(act_labels)
        if waive:
            credited = waiver_fractions(
                book.exit_programme, day, n, "internet", book.model.default_network_tier
            )
            factor = factor * (1.0 - credited)
            if book.exit_programme is not None and credited.any():
                extra.append(book.exit_programme.label)
        cost = (per_month * factor[:, None]).sum(axis=0)
        for lid, c, total in zip(loc_ids, cost, totals, strict=True):
            egress_by_location[lid] = float(c)
            region = lid.split(":", 1)[1]
            labels_by_location[lid] = lowest_label(
                [*internet_egress_labels(book, region, float(total) / n, policy.fallback), *extra]
            )

    rows = []
    index = {d.id: i for i, d in enumerate(estate.datasets)}
    for d in datasets:
        provider, region = d.location.split(":", 1)
        book = load_price_book(provider, as_of=day)
        try:
            _, sc = resolve_exit_class(book, region, d.storage_class, policy.fallback)
        except PriceBookError as exc:
            raise PriceBookError(
                f"datasets[{index[d.id]}].storage_class: dataset {d.id!r} at {d.location!r} "
                f"cannot be priced: {exc} Change the dataset's storage_class, or register a "
                "price book that prices it there (exitcost.pricing.check_estate_storage lists "
                "every such dataset)."
            ) from None
        options: dict[str, RetrievalOption] = {o.speed: o for o in sc.retrieval}
        option = (
            options.get(retrieval or "")
            or options.get("instant")
            or options.get("standard")
            or (sc.retrieval[0] if sc.retrieval else None)
        )
        size = sizes[d.id]
        objects = float(d.object_count or 0) * growth[d.id]  # objects grow with the data
        loc_total = sum(sizes[x.id] for x in datasets if x.location == d.location)
        egress = egress_by_location[d.location] * (size / loc_total if loc_total > 0 else 0.0)
        retrieval_usd = size * (option.usd_per_gb if option else 0.0)
        requests = (
            objects
            / 1000.0
            * ((option.usd_per_1000_requests if option else 0.0) + sc.get_usd_per_1000_requests)
        )
        rows.append(
            {
                "dataset": d.id,
                "provider": provider,
                "location": d.location,
                "size_gb": size,
                "storage_class": d.storage_class,
                "egress_usd": egress,
                "retrieval_usd": retrieval_usd,
                "requests_usd": requests,
                "early_deletion_usd": 0.0,
                "total_usd": egress + retrieval_usd + requests,
            }
        )
    warn_stale_books(used, day)
    bill = pd.DataFrame(rows, columns=list(BILL_COLUMNS))
    bill.attrs["price_books"] = dict(sorted(books.items()))
    bill.attrs["labels"] = {d.id: labels_by_location[d.location] for d in datasets}
    return bill


def exit_bill_by_provider(bill: pd.DataFrame) -> pd.DataFrame:
    """Sum an :func:`exit_bill` by provider (USD and GB columns), with a total row.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> exit_bill_by_provider(exit_bill(sample_estate())).index[-1]
    'total'
    """
    numeric = [c for c in BILL_COLUMNS if c.endswith(("_usd", "_gb"))]
    summed = bill.groupby("provider")[numeric].sum()
    summed.loc["total"] = summed.sum()
    return summed
