"""The estate's baseline run cost per month: the "stay" number every exit is compared with.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> frame = baseline_cost(sample_estate())
>>> sorted(frame["category"].unique())
['compute', 'egress', 'storage']
>>> summary = baseline_summary(frame)
>>> bool(summary.loc["total", "total"] == frame["usd_per_month"].sum())
True
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from exitcost._validation import warn_user
from exitcost.categories import COST_CATEGORIES
from exitcost.errors import (
    DefaultAssumptionWarning,
    PriceBookError,
    UnknownLocationError,
    UnknownProviderError,
)
from exitcost.uncertainty import point

if TYPE_CHECKING:
    from exitcost.estate import Estate, Workload
    from exitcost.pricing.policy import PricingPolicy

__all__ = ["BASELINE_COLUMNS", "baseline_by_provider", "baseline_cost", "baseline_summary"]

BASELINE_COLUMNS = [
    "location", "provider", "account", "category", "transfer_class", "usd_per_month",
]  # fmt: skip
"""Columns of :func:`baseline_cost` (``transfer_class`` is empty except for egress)."""


def _day(as_of: Any) -> dt.date:
    from exitcost.pricing.books import as_date

    return as_date(as_of, func="baseline_cost")


def _unit_compute_usd(workload: Workload, day: dt.date) -> float:
    """Compute cost from units x unit prices of the workload's region book."""
    from exitcost.pricing.books import load_price_book, split_location

    provider, region = split_location(workload.location, func="baseline_cost")
    try:
        prices = load_price_book(provider, as_of=day).compute_unit_prices(region)
    except (PriceBookError, UnknownProviderError) as exc:
        warn_user(
            f"Workload {workload.id!r} at {workload.location!r} gives compute units but no "
            f"compute_usd_per_month, and no compute unit price applies ({exc}); its compute "
            "is counted as 0. Give compute_usd_per_month to fix this.",
            DefaultAssumptionWarning,
        )
        return 0.0
    total = 0.0
    for use in workload.compute:  # a handful per workload
        term = use.commitment
        if use.resource == "gpu":
            rate = prices.usd_per_gpu_hour.get(use.gpu_model or "")
            discount = prices.gpu_discount_fraction.get((use.gpu_model or "", term), 0.0)
        elif use.resource == "vcpu":
            rate, discount = prices.usd_per_vcpu_hour, prices.discount_fraction.get(term, 0.0)
        else:
            rate, discount = prices.usd_per_gib_hour, prices.discount_fraction.get(term, 0.0)
        if rate is None:
            warn_user(
                f"No {use.resource} unit price ({use.gpu_model or 'any model'}) in "
                f"{workload.location!r} for workload {workload.id!r}; counted as 0.",
                DefaultAssumptionWarning,
            )
            continue
        total += point(use.quantity) * use.hours_per_month * rate * (1.0 - discount)
    return total


def _template_prices_storage(location: str, day: dt.date) -> bool:
    from exitcost.pricing.books import load_price_book, split_location

    provider, _ = split_location(location, func="baseline_cost")
    try:
        return bool(load_price_book(provider, as_of=day).model.storage)
    except (PriceBookError, UnknownProviderError):
        return False


def baseline_cost(
    estate: Estate,
    as_of: Any = None,
    *,
    beyond_published: str | None = None,
    fallback: str | None = None,
    policy: PricingPolicy | None = None,
) -> pd.DataFrame:
    """Monthly run cost of the estate as it is, by location, category and transfer class.

    Parameters
    ----------
    estate : Estate
        The estate; uncertain quantities are taken at their expected value.
    as_of : date or ISO string, optional
        The books in effect on that day (default: the estate's own ``as_of``, so that the same
        estate always gives the same baseline).
    beyond_published, fallback, policy
        The pricing policy (:class:`exitcost.pricing.policy.PricingPolicy`): strict by default;
        ``beyond_published="extrapolate"`` prices internet egress beyond a book's last band at
        its last rate, ``fallback="nearest"`` borrows a storage or egress price a region's
        book lacks from the nearest priced region on the same continent (label R).

    Returns
    -------
    pandas.DataFrame
        Columns ``location``, ``provider``, ``account``, ``category`` (``compute``,
        ``storage``, ``egress``), ``transfer_class`` (for egress: ``internet`` or
        ``inter_region``; empty otherwise) and ``usd_per_month``. Rows with zero cost are
        kept for compute and storage of every location that has workloads or datasets.

        ``attrs["price_books"]`` maps each provider whose book priced a row to the book's
        effective date (ISO text; a registered rate card adds ``(registered: ...)``, see
        :func:`exitcost.pricing.book_provenance`); ``attrs["labels"]`` maps each egress row's
        ``(location, category, transfer_class)`` to the least confident label behind it (the
        tier bands reached and free allowances for internet egress, the rate for backbone
        and transit; ``R`` where a figure was borrowed or extrapolated);
        ``attrs["adjustments"]`` lists each figure extrapolated or borrowed (dicts with
        ``kind``, ``location``, ``item``, ``book``, ``detail``, ``label``). A book more than 12
        months older than the day warns once (``StalePriceBookWarning``).

    Raises
    ------
    UnknownProviderError
        A cloud location's provider has no price book.
    PriceBookError
        No price book of a cloud location's provider is in effect on the day.
    UnknownLocationError
        A cloud location's region is not in its provider's book (every such location is
        listed, see :func:`exitcost.pricing.check_estate_locations`).

    Notes
    -----
    - **Compute**: a workload's ``compute_usd_per_month`` (its observed bill) where given;
      otherwise its ``compute`` units x hours x the region book's unit prices, less the
      book's commitment discount for the term.
    - **Storage**: dataset sizes summed per location and storage class, priced with
      :func:`exitcost.pricing.storage_cost` (marginal tiers apply to the sum). A site's
      storage is priced only where its template book has a storage price; otherwise its disks
      are part of the facility's own cost (power, space, hardware: ``exitcost.facilities``)
      and the site has no storage row here.
    - **Egress**: today's traffic is assumed to use the providers' default paths. Flows
      between two regions of one provider are ``inter_region`` (the book's backbone price, per
      source and destination pair). Every other cross-location flow (to another provider or a
      site) leaves its source as internet egress and is added to the source's own
      ``internet_egress_gb_per_month``; each cloud account's internet volumes are priced
      together with :func:`exitcost.pricing.account_egress_cost` (tiers per source region,
      the account's free allowance used once). A site's internet egress is priced from its
      template book (committed transit: the commitment fee plus overage) when it sends any.
      Flows inside one location are not charged (the zone is not known). Ingress is free.
      Private interconnects are not assumed; :meth:`CostGraph.route` shows what they save.
    """
    from exitcost.pricing.policy import as_policy, recording
    from exitcost.pricing.schema import lowest_label

    chosen = as_policy(
        policy, beyond_published=beyond_published, fallback=fallback, func="baseline_cost"
    )
    with recording() as notes:
        frame = _baseline_cost(estate, as_of, chosen)
    frame.attrs["adjustments"] = [asdict(n) for n in notes]
    labels = frame.attrs["labels"]
    for n in notes:
        for key in [k for k in labels if k[0] == n.location]:
            labels[key] = lowest_label([labels[key], n.label])
    return frame


def _baseline_cost(estate: Estate, as_of: Any, policy: PricingPolicy) -> pd.DataFrame:
    from exitcost.pricing.bill import internet_egress_labels
    from exitcost.pricing.books import (
        book_provenance,
        load_price_book,
        providers,
        split_location,
    )
    from exitcost.pricing.costs import account_egress_cost, egress_cost, storage_cost
    from exitcost.pricing.locations import check_estate_locations
    from exitcost.pricing.policy import warn_stale_books
    from exitcost.pricing.schema import lowest_label

    day = _day(estate.as_of if as_of is None else as_of)
    loc_by_id = {loc.id: loc for loc in estate.locations}
    books: dict[str, str] = {}
    for provider in dict.fromkeys(loc.provider for loc in estate.locations if loc.kind == "cloud"):
        # A cloud with no book in effect on the day is an error, not a cost of 0: the fallbacks
        # below (a warning and 0) are only for prices a book in effect does not give.
        books[provider] = book_provenance(load_price_book(provider, as_of=day))
    unpriceable = [
        p
        for p in check_estate_locations(estate, as_of=day)
        if p.path.endswith(".id") and loc_by_id[str(p.value)].kind == "cloud"
    ]
    if unpriceable:
        listed = "\n".join(f"  - {p.path}: {p.message} (got {p.value!r})" for p in unpriceable)
        raise UnknownLocationError(
            f"{len(unpriceable)} cloud location(s) of the estate cannot be priced on "
            f"{day.isoformat()}; fix the location ids or register a price book that has them:\n"
            + listed
        )
    rows: list[tuple[str, str, str, str, str, float]] = []
    labels: dict[tuple[str, str, str], list[str]] = defaultdict(list)

    def add(location: str, category: str, klass: str, usd: float) -> None:
        loc = loc_by_id[location]
        rows.append((location, loc.provider, loc.billing_account, category, klass, float(usd)))

    compute: dict[str, float] = defaultdict(float)
    for w in estate.workloads:
        stated = point(w.compute_usd_per_month)
        compute[w.location] += stated if stated > 0 or not w.compute else _unit_compute_usd(w, day)
    for location, usd in compute.items():
        add(location, "compute", "", usd)

    stored: dict[tuple[str, str], float] = defaultdict(float)
    for d in estate.datasets:
        stored[(d.location, d.storage_class)] += point(d.size_gb)
    storage: dict[str, float] = defaultdict(float)
    for (location, klass), size in stored.items():
        if loc_by_id[location].kind != "cloud" and not _template_prices_storage(location, day):
            continue  # a site's disks are part of its facility cost (exitcost.facilities)
        try:
            storage[location] += float(
                storage_cost(
                    size,
                    location=location,
                    storage_class=klass,
                    as_of=day,
                    fallback=policy.fallback,
                )
            )
            provider = loc_by_id[location].provider
            books[provider] = book_provenance(load_price_book(provider, as_of=day))
        except (PriceBookError, UnknownProviderError) as exc:
            warn_user(
                f"No {klass!r} storage price for {location!r} ({exc}); {size:,.0f} GB there "
                "are counted as 0 in the baseline.",
                DefaultAssumptionWarning,
            )
            storage[location] += 0.0  # keep the location's storage row, at 0
    for location, usd in storage.items():
        add(location, "storage", "", usd)

    internet: dict[str, float] = defaultdict(float)
    backbone: dict[tuple[str, str], float] = defaultdict(float)
    for w in estate.workloads:
        internet[w.location] += point(w.internet_egress_gb_per_month)
    for w, direction, flow in estate.iter_flows():
        there = estate.dataset(flow.dataset).location
        src, dst = (there, w.location) if direction == "read" else (w.location, there)
        if src == dst:
            continue
        volume = point(flow.gb_per_month)
        same_cloud = (
            loc_by_id[src].kind == "cloud"
            and loc_by_id[dst].kind == "cloud"
            and loc_by_id[src].provider == loc_by_id[dst].provider
        )
        if same_cloud:
            backbone[(src, dst)] += volume
        else:
            internet[src] += volume
    for (src, dst), volume in backbone.items():
        add(
            src,
            "egress",
            "inter_region",
            egress_cost(volume, source=src, destination=dst, as_of=day),
        )
        provider, region = split_location(src, func="baseline_cost")
        price = load_price_book(provider, as_of=day).transfer_price(region, dst)
        labels[(src, "egress", "inter_region")].append(price.label)
    accounts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for location, volume in internet.items():
        loc = loc_by_id[location]
        if volume <= 0:
            continue
        if loc.kind != "cloud":
            provider, region = split_location(location, func="baseline_cost")
            try:
                price = load_price_book(provider, as_of=day).transfer_price(region, "internet")
            except (PriceBookError, UnknownProviderError) as exc:
                warn_user(
                    f"No transit price for site {location!r} ({exc}); its internet egress of "
                    f"{volume:,.0f} GB/month is counted as 0 in the baseline.",
                    DefaultAssumptionWarning,
                )
                continue
            add(
                location,
                "egress",
                "internet",
                float(price.cost(volume, beyond_published="extrapolate"))
                + price.fixed_usd_per_month,
            )
            books[provider] = book_provenance(load_price_book(provider, as_of=day))
            labels[(location, "egress", "internet")].append(price.label)
            continue
        accounts[(loc.provider, loc.billing_account)].append(location)
    for sources in accounts.values():
        volumes = np.array([[internet[s] for s in sources]])
        cost = account_egress_cost(
            volumes,
            sources=sources,
            as_of=day,
            beyond_published=policy.beyond_published,
            fallback=policy.fallback,
        )[0]
        for s, usd in zip(sources, cost, strict=True):
            add(s, "egress", "internet", float(usd))
            provider, region = split_location(s, func="baseline_cost")
            book = load_price_book(provider, as_of=day)
            labels[(s, "egress", "internet")] += internet_egress_labels(
                book, region, internet[s], policy.fallback
            )

    warn_stale_books([load_price_book(p, as_of=day) for p in books if p in providers()], day)
    frame = pd.DataFrame(rows, columns=BASELINE_COLUMNS)
    keys = BASELINE_COLUMNS[:-1]
    frame = frame.groupby(keys, sort=False)["usd_per_month"].sum().reset_index()
    order = {c: i for i, c in enumerate(COST_CATEGORIES)}
    frame = frame.sort_values(
        ["provider", "location", "category", "transfer_class"],
        key=lambda s: s.map(order) if s.name == "category" else s,
    )
    frame = frame.reset_index(drop=True)
    frame.attrs["price_books"] = dict(sorted(books.items()))
    frame.attrs["labels"] = {key: lowest_label(found) for key, found in labels.items()}
    return frame


def baseline_summary(frame: pd.DataFrame, by: str = "provider") -> pd.DataFrame:
    """Pivot a :func:`baseline_cost` frame: ``by`` x category, egress split by class.

    Columns are ``compute``, ``storage``, ``egress:<class>`` for each class present, and
    ``total``; the last row, ``total``, sums the columns. Every total is the sum of the same
    rows of ``frame``, so the grand total equals ``frame["usd_per_month"].sum()``. [USD/month]

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "location": ["a:x", "a:x", "b:y"], "provider": ["a", "a", "b"],
    ...     "account": ["a", "a", "b"], "category": ["compute", "egress", "storage"],
    ...     "transfer_class": ["", "internet", ""], "usd_per_month": [10.0, 2.5, 4.0]})
    >>> baseline_summary(rows)
              compute  storage  egress:internet  total
    provider
    a            10.0      0.0              2.5   12.5
    b             0.0      4.0              0.0    4.0
    total        10.0      4.0              2.5   16.5
    """
    column = np.where(
        frame["transfer_class"].astype(str) != "",
        frame["category"].astype(str) + ":" + frame["transfer_class"].astype(str),
        frame["category"].astype(str),
    )
    data = frame.assign(column=column)
    table = data.pivot_table(
        index=by, columns="column", values="usd_per_month", aggfunc="sum", fill_value=0.0
    )
    rank = {c: i for i, c in enumerate(COST_CATEGORIES)}
    ordered = sorted(table.columns, key=lambda c: (rank.get(c.split(":")[0], 99), c))
    table = table[ordered]
    table["total"] = data.groupby(by)["usd_per_month"].sum()
    table.loc["total"] = [*table.drop(columns="total").sum().tolist(), frame["usd_per_month"].sum()]
    table.columns.name = None
    return table


def baseline_by_provider(estate: Estate, as_of: Any = None) -> pd.DataFrame:
    """:func:`baseline_cost` pivoted by provider and category, with totals.

    See :func:`baseline_summary` for the layout. [USD/month] ``attrs["adjustments"]`` carries
    the baseline's figures extrapolated or borrowed (see :func:`baseline_cost`).
    """
    frame = baseline_cost(estate, as_of)
    table = baseline_summary(frame, by="provider")
    table.attrs["adjustments"] = frame.attrs.get("adjustments", [])
    return table
