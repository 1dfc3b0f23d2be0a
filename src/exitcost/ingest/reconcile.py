"""Reconciliation: the library's own baseline of a skeleton, priced from its books, next to the
bill, per provider, cost category and transfer class.

Where they differ, the bill holds what list prices do not: negotiated discounts, commitments,
free tiers used, services the estate does not model. Compute matches by construction (the
skeleton's workloads carry the billed compute spend); storage and egress are priced from the
books, so their gap is the gap between list prices and the bill.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import defaultdict
from typing import Any, Literal

import numpy as np
import pandas as pd

from exitcost.errors import ExitcostWarning
from exitcost.estate.model import Estate
from exitcost.graph import baseline_cost
from exitcost.ingest.skeleton import Skeleton, find_book
from exitcost.pricing.policy import StalePriceBookWarning
from exitcost.uncertainty import point

__all__ = ["RECONCILE_COLUMNS", "reconcile_focus"]

RECONCILE_COLUMNS = [
    "provider",
    "category",
    "transfer_class",
    "billed_usd_per_month",
    "modelled_usd_per_month",
    "difference_usd_per_month",
    "book_date",
    "note",
]
"""Columns of :func:`reconcile_focus`, in order."""

_MODELLED = {"compute", "storage", "egress"}
_LOCATION_KEYS = ["location", "provider", "category", "transfer_class"]
_NOTES = {
    "compute": "workloads carry the billed compute spend",
    "storage": "stored GB-months at the book's list price",
    "egress": "transfer volumes at the book's list price (tiers per account and month)",
}


def _pricing_day(provider: str, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """The day to price ``provider`` on and its book's date: ``as_of`` when a book is in effect
    then, else the first later book's date; None without a book."""
    book = find_book(provider, as_of)
    if book is None:
        return None
    day = max(as_of, book.effective_date)
    return day, book.effective_date


def _provider_estate(estate: Estate, provider: str) -> Estate | None:
    data = estate.to_dict()
    locations = [loc for loc in data["locations"] if loc["id"].split(":", 1)[0] == provider]
    if not locations:
        return None
    ids = {loc["id"] for loc in locations}
    datasets = [d for d in data.get("datasets", []) if d["location"] in ids]
    kept = {d["id"] for d in datasets}
    workloads = []
    for workload in data.get("workloads", []):
        if workload["location"] not in ids:
            continue
        for flows in ("reads", "writes"):
            if flows in workload:
                workload[flows] = [f for f in workload[flows] if f["dataset"] in kept]
        workloads.append(workload)
    sub = {**data, "locations": locations, "datasets": datasets, "workloads": workloads}
    sub["contracts"] = []
    sub["teams"] = []
    for workload in workloads:
        workload.pop("team", None)
    for dataset in datasets:
        dataset.pop("owner", None)
    return Estate.model_validate(sub)


def _modelled(estate: Estate) -> tuple[pd.DataFrame, dict[str, Any], dict[str, list[str]]]:
    frames: list[pd.DataFrame] = []
    days: dict[str, Any] = {}
    gaps: dict[str, list[str]] = {}
    for provider in estate.providers:
        found = _pricing_day(provider, estate.as_of)
        days[provider] = None if found is None else found[1]
        sub = _provider_estate(estate, provider)
        if found is None or sub is None:
            continue
        day = found[0]
        # A region a book does not price is counted as zero with a warning: keep the warnings
        # as notes of the reconciliation instead of letting them escape.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExitcostWarning)
            cost = baseline_cost(sub, as_of=day)
        # A stale book is not a gap: the table's ``book_date`` column already shows its date.
        gaps[provider] = [
            str(w.message)
            for w in caught
            if issubclass(w.category, ExitcostWarning)
            and not issubclass(w.category, StalePriceBookWarning)
        ]
        frames.append(cost[[*_LOCATION_KEYS, "usd_per_month"]])
    if not frames:
        return pd.DataFrame(columns=[*_LOCATION_KEYS, "usd_per_month"]), days, gaps
    return pd.concat(frames, ignore_index=True), days, gaps


def _service_weights(skeleton: Skeleton) -> dict[tuple[str, str, str], dict[str, float]]:
    """Per (location, category, transfer class) of the baseline, each service's weight: the
    compute spend of its workloads, the GB of its datasets, and for egress the GB the bill
    shows that service moving out of the location."""
    estate = skeleton.estate
    service_of = {(e, i): str(s) for e, i, s in skeleton.services.itertuples(index=False)}
    weights: dict[tuple[str, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for w in estate.workloads:
        service = service_of.get(("workloads", w.id), "")
        weights[(w.location, "compute", "")][service] += float(point(w.compute_usd_per_month))
    for d in estate.datasets:
        service = service_of.get(("datasets", d.id), "")
        weights[(d.location, "storage", "")][service] += float(point(d.size_gb))
    moved = skeleton.baseline.transfers
    for provider, region, service, transfer_class, volume_gb in zip(
        moved["provider"].astype(str),
        moved["region"].astype(str),
        moved["service"].astype(str),
        moved["transfer_class"].astype(str),
        moved["volume_gb"].to_numpy(dtype=float),
        strict=True,
    ):
        weights[(f"{provider}:{region}", "egress", transfer_class)][service] += volume_gb
    return weights


def _by_service(modelled: pd.DataFrame, skeleton: Skeleton) -> pd.DataFrame:
    """Location rows of the baseline split over services in proportion to their weights
    (the tiers priced the location's sum, so a share is an attribution, not a price)."""
    weights = _service_weights(skeleton)
    rows = []
    for location, provider, category, transfer_class, usd in modelled.itertuples(index=False):
        found = weights.get((location, category, transfer_class), {})
        total = sum(found.values())
        shares = {k: v / total for k, v in found.items()} if total > 0 else {"": 1.0}
        for service, share in shares.items():
            rows.append((provider, service, category, transfer_class, float(usd) * share))
    return pd.DataFrame(
        rows, columns=["provider", "service", "category", "transfer_class", "usd_per_month"]
    )


def reconcile_focus(
    skeleton: Skeleton, *, by: Literal["provider", "service"] = "provider"
) -> pd.DataFrame:
    """The bill next to the library's baseline of the skeleton, per provider and category.

    Parameters
    ----------
    skeleton : Skeleton
        From :func:`~exitcost.ingest.estate_skeleton`; its baseline gives the billed side
        (the cost basis it was built with, a month's average, converted to USD).
    by : {"provider", "service"}, default "provider"
        ``"service"`` adds a ``service`` column (FOCUS ServiceName) after ``provider``: the
        billed side by service, and each location's modelled cost attributed to services in
        proportion to the compute spend of the workloads and the GB of the datasets built
        from them, and for egress to the GB the bill shows each service moving out of the
        location (an attribution of a location's tiered cost, not a price per service; an
        empty service holds what no service explains).

    Returns
    -------
    pandas.DataFrame
        :data:`RECONCILE_COLUMNS`: ``billed_usd_per_month`` (the bill),
        ``modelled_usd_per_month`` (:func:`exitcost.graph.baseline_cost` of the skeleton, zero
        where the estate does not model the category), their ``difference_usd_per_month``
        (billed minus modelled), ``book_date`` (effective date of the provider's price book
        used: the one in effect on the estate's date, else the first later one, priced as of
        its own date; empty without a book) and a
        ``note``. [USD/month] ``attrs["book_gaps"]`` maps a provider to the messages of the
        parts its book does not price (counted as zero).
    """
    if by not in ("provider", "service"):
        raise ValueError(
            f"The 'by' parameter of reconcile_focus must be one of 'provider', 'service'. "
            f"Got {by!r} instead."
        )
    keys = ["provider", "service", "category", "transfer_class"]
    if by == "provider":
        keys.remove("service")
    base = skeleton.baseline
    spend = base.spend.assign(
        category=base.spend["cost_category"].astype(str),
        transfer_class=base.spend["transfer_class"].astype(str),
        provider=base.spend["provider"].astype(str),
        service=base.spend["service"].astype(str),
    )
    billed = spend.groupby(keys, as_index=False).agg(billed_usd_per_month=(skeleton.cost, "sum"))
    billed["billed_usd_per_month"] *= skeleton.usd_per_unit / base.months
    located, days, gaps = _modelled(skeleton.estate)
    if by == "service":
        located = _by_service(located, skeleton)
    modelled = located.groupby(keys, as_index=False).agg(
        modelled_usd_per_month=("usd_per_month", "sum")
    )
    table = billed.merge(modelled, on=keys, how="outer")
    table[["billed_usd_per_month", "modelled_usd_per_month"]] = table[
        ["billed_usd_per_month", "modelled_usd_per_month"]
    ].fillna(0.0)
    table["difference_usd_per_month"] = (
        table["billed_usd_per_month"] - table["modelled_usd_per_month"]
    )
    table["book_date"] = [
        "" if days.get(p) is None else days[p].isoformat() for p in table["provider"]
    ]
    modelled_class = table["transfer_class"].isin(["", "internet", "inter_region"])
    table["note"] = np.where(
        table["provider"].map(lambda p: days.get(p) is None),
        "no price book for this provider",
        np.where(
            table["category"].isin(list(_MODELLED)) & modelled_class,
            table["category"].map(lambda c: _NOTES.get(c, "")),
            "not modelled by the estate",
        ),
    )
    gapped = table["provider"].map(lambda p: bool(gaps.get(p))) & table["category"].isin(
        ["storage", "egress"]
    )
    table.loc[gapped, "note"] = table.loc[gapped, "note"] + (
        "; the book leaves parts unpriced (counted as 0)"
    )
    order = {c: i for i, c in enumerate(("compute", "storage", "egress"))}
    table["_rank"] = table["category"].map(lambda c: order.get(c, 9))
    if by == "service":  # a location's zero rows that no service explains say nothing
        empty = (
            (table["service"] == "")
            & (table["billed_usd_per_month"] == 0.0)
            & (table["modelled_usd_per_month"] == 0.0)
        )
        table = table[~empty]
    order_by = ["provider", "service"] if by == "service" else ["provider"]
    table = table.sort_values([*order_by, "_rank", "category", "transfer_class"])
    columns = RECONCILE_COLUMNS if by == "provider" else [*keys, *RECONCILE_COLUMNS[3:]]
    result: pd.DataFrame = table[columns].reset_index(drop=True)
    result.attrs["book_gaps"] = {p: m for p, m in gaps.items() if m}
    return result
