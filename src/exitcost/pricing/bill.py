"""The one-time exit bill of an estate: what moving every cloud dataset out costs.

Assumptions (stated, so the bill can be defended):

- every dataset at a ``cloud`` location moves out over ``months`` equal billing months
  starting at ``as_of`` (default: the estate's own ``as_of``, so that the same estate always
  gives the same bill; pass the planned start of the move to price it then), to the internet
  (another provider or on-premises); datasets at sites (onprem, colo, edge) are not part of a
  cloud exit;
- egress tiers apply per billing account, source region and month: the datasets of one region
  are summed each month, the account-wide free allowance is applied once per account (to the
  regions in the estate's location order), and each region's cost is shared among its
  datasets in proportion to size;
- retrieval uses the class's default speed (``instant`` where possible, else ``standard``);
  requests are one restore (where the class needs it) and one read per object; data is taken
  to be older than the class's minimum storage duration (no early deletion);
- ``exit_waiver=True`` applies each provider's exit programme (egress only) to the months
  inside its migration window (60 days from ``as_of``; a month the window ends in is credited
  pro rata by day); ``customer_jurisdiction="EU"`` applies the EU Data Act phase in force on
  each month's first day;
- allowances that grow with the volume stored (Backblaze's 3x) use each region's stored total.

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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from exitcost._validation import check_scalar
from exitcost.errors import InvalidParameterError
from exitcost.pricing.books import as_date, load_price_book
from exitcost.pricing.costs import account_egress_cost
from exitcost.pricing.programmes import data_act_factors, waiver_fractions
from exitcost.pricing.tiers import BeyondPublished
from exitcost.uncertainty import point

__all__ = ["BILL_COLUMNS", "exit_bill", "exit_bill_by_provider"]

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


def exit_bill(
    estate: _Estate,
    *,
    as_of: dt.date | str | None = None,
    exit_waiver: bool = False,
    months: int = 1,
    customer_jurisdiction: str | None = None,
    beyond_published: BeyondPublished = "error",
) -> pd.DataFrame:
    """One row per cloud dataset: what moving it out costs, by cost category.

    Parameters
    ----------
    estate : Estate
        The estate (:func:`exitcost.estate.sample_estate` or one read from a file).
    as_of : date or ISO string, optional
        When the move starts (default: the estate's ``as_of``). The books in effect on that
        day price it, and the EU Data Act phase is the one in force on that day.
    exit_waiver : bool
        Apply the providers' exit programmes (egress only).
    months : int
        Spread the move evenly over this many billing months.
    customer_jurisdiction : str, optional
        The customer's jurisdiction for the EU Data Act (``"EU"``).
    beyond_published : {"error", "extrapolate"}
        Monthly volumes beyond a provider's last published tier.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BILL_COLUMNS` (USD amounts and GB), in the estate's dataset order.
    """
    func = "exit_bill"
    n_months = check_scalar(months, name="months", func=func, minimum=1.0)
    if n_months != int(n_months):
        raise InvalidParameterError(
            f"The 'months' parameter of {func} must be a whole number >= 1. Got {months!r}."
        )
    day = as_date(estate.as_of if as_of is None else as_of, func=func)
    locations: dict[str, _Location] = {loc.id: loc for loc in estate.locations}
    datasets: list[_Dataset] = [d for d in estate.datasets if locations[d.location].kind == "cloud"]
    sizes = {d.id: point(d.size_gb) for d in datasets}

    # region totals, grouped by (provider, account), in the estate's location order
    groups: dict[tuple[str, str], list[str]] = {}
    for loc in locations.values():
        if loc.kind == "cloud" and any(d.location == loc.id for d in datasets):
            provider = loc.id.split(":", 1)[0]
            groups.setdefault((provider, loc.billing_account), []).append(loc.id)
    egress_by_location: dict[str, float] = {}
    for loc_ids in groups.values():
        totals = np.array(
            [sum(sizes[d.id] for d in datasets if d.location == lid) for lid in loc_ids]
        )
        n = int(n_months)
        monthly = np.tile(totals / n, (n, 1))
        per_month = account_egress_cost(
            monthly,
            sources=loc_ids,
            as_of=day,
            stored_gb=totals,
            beyond_published=beyond_published,
        )
        factor = data_act_factors(day, n, customer_jurisdiction, "internet")
        if exit_waiver:
            book = load_price_book(loc_ids[0].split(":", 1)[0], as_of=day)
            credited = waiver_fractions(
                book.exit_programme, day, n, "internet", book.model.default_network_tier
            )
            factor = factor * (1.0 - credited)
        cost = (per_month * factor[:, None]).sum(axis=0)
        for lid, c in zip(loc_ids, cost, strict=True):
            egress_by_location[lid] = float(c)

    rows = []
    for d in datasets:
        provider, region = d.location.split(":", 1)
        book = load_price_book(provider, as_of=day)
        sc = book.storage_class(region, d.storage_class)
        options = {o.speed: o for o in sc.retrieval}
        option = (
            options.get("instant")
            or options.get("standard")
            or (sc.retrieval[0] if sc.retrieval else None)
        )
        size = sizes[d.id]
        objects = float(d.object_count or 0)
        loc_total = sum(sizes[x.id] for x in datasets if x.location == d.location)
        egress = egress_by_location[d.location] * (size / loc_total if loc_total > 0 else 0.0)
        retrieval = size * (option.usd_per_gb if option else 0.0)
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
                "retrieval_usd": retrieval,
                "requests_usd": requests,
                "early_deletion_usd": 0.0,
                "total_usd": egress + retrieval + requests,
            }
        )
    return pd.DataFrame(rows, columns=list(BILL_COLUMNS))


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
