"""An estate skeleton from a FOCUS export: what the bill shows, and a list of what was guessed.

A bill shows where money was spent and how much data moved, not how the estate is built. The
skeleton takes what the bill shows (regions, stored GB-months, compute spend, transfer volumes,
commitment purchases) and fills the rest with plain defaults, each one listed in
:attr:`Skeleton.guesses` with the field path and the reason, so that the user can complete it.
:func:`write_skeleton` writes it as YAML with that list as a comment block on top.

Examples
--------
>>> from exitcost.ingest.read import read_focus
>>> import pandas as pd
>>> rows = pd.DataFrame({
...     "BilledCost": [120.0, 23.0, 45.0], "EffectiveCost": [120.0, 23.0, 45.0],
...     "ListCost": 0.0, "ContractedCost": 0.0, "PricingQuantity": [1200.0, 1000.0, 500.0],
...     "BillingAccountId": "1", "BillingAccountName": "acme", "BillingCurrency": "USD",
...     "BillingPeriodStart": "2026-01-01", "BillingPeriodEnd": "2026-02-01",
...     "ChargePeriodStart": "2026-01-01", "ChargePeriodEnd": "2026-02-01",
...     "ChargeCategory": "Usage", "ChargeClass": None,
...     "ChargeDescription": ["m5.large hours", "S3 storage",
...                           "$0.09 per GB - first 10 TB / month data transfer out"],
...     "InvoiceIssuerName": "AWS", "PricingUnit": ["Hours", "GB-Mo", "GB"],
...     "ProviderName": "AWS", "PublisherName": "AWS", "RegionId": "us-east-1",
...     "ServiceCategory": ["Compute", "Storage", "Compute"],
...     "ServiceName": ["Amazon EC2", "Amazon S3", "Amazon EC2"],
... })
>>> skeleton = estate_skeleton(read_focus(rows))
>>> [(w.id, w.compute_usd_per_month, w.internet_egress_gb_per_month)
...  for w in skeleton.estate.workloads]
[('amazon-ec2-us-east-1', 120.0, 500.0)]
>>> [(d.id, d.size_gb) for d in skeleton.estate.datasets]
[('amazon-s3-us-east-1', 1000.0)]
>>> skeleton.guesses["path"].tolist()
['datasets[0].storage_class', 'workloads[0].kind']
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from exitcost.errors import PriceBookError, UnknownProviderError
from exitcost.estate.model import Estate
from exitcost.ingest.baseline import FocusBaseline, baseline_from_classes, region_of
from exitcost.ingest.classify import Classifier, classify_rows, load_classifier
from exitcost.ingest.read import FocusError, read_focus
from exitcost.pricing import PriceBook, book_dates, load_price_book

__all__ = ["Skeleton", "estate_skeleton", "find_book", "write_skeleton"]

_CONTRACT_KINDS = (
    ("savings", "savings_plan"),
    ("reserv", "reserved_capacity"),
    ("committed", "committed_use"),
)


@dataclass(frozen=True)
class Skeleton:
    """An estate built from a bill, with what had to be guessed.

    Attributes
    ----------
    estate : Estate
        The validated estate.
    guesses : pandas.DataFrame
        ``path`` (e.g. ``workloads[2].kind``), ``value`` and ``reason``: fields the bill does
        not give, filled with a default or an estimate; check and complete them.
    skipped : pandas.DataFrame
        ``what``, ``amount`` and ``reason``: spend or volumes the skeleton could not place
        (a region no price book knows, a commitment without purchase rows, ...).
    baseline : FocusBaseline
        The billed baseline the skeleton was built from.
    usd_per_unit : float
        USD per unit of the billing currency used for money fields.
    cost : str
        The spend column that sized workloads: ``amortised_cost`` or ``billed_cost``.
    services : pandas.DataFrame
        ``entity`` (``workloads`` or ``datasets``), ``id`` and ``service``: the FOCUS
        ServiceName each workload and dataset was built from (empty for the ``network-*``
        workloads and ``data-*`` datasets that only carry transfers).
    """

    estate: Estate
    guesses: pd.DataFrame
    skipped: pd.DataFrame
    baseline: FocusBaseline
    usd_per_unit: float
    cost: str
    services: pd.DataFrame


def find_book(provider: str, as_of: dt.date) -> PriceBook | None:
    """The provider's book in effect on ``as_of``, else its first later book, else None."""
    try:
        return load_price_book(provider, as_of)
    except UnknownProviderError:
        return None
    except PriceBookError:
        later = [d for d in book_dates(provider) if d > as_of]
        return load_price_book(provider, later[0]) if later else None


def _slug(*parts: str) -> str:
    text = "-".join(p for p in parts if p)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.lower()).strip("-.")
    return slug or "unnamed"


class _Builder:
    """Collects entities and guesses; paths are numbered once the lists are final."""

    def __init__(self, months: int, usd_per_unit: float, cost_column: str) -> None:
        self.months = months
        self.usd_per_unit = usd_per_unit
        self.cost_column = cost_column
        self.locations: dict[str, dict[str, Any]] = {}
        self.datasets: dict[str, dict[str, Any]] = {}
        self.workloads: dict[str, dict[str, Any]] = {}
        self.contracts: dict[str, dict[str, Any]] = {}
        self.books: dict[str, PriceBook] = {}
        self.services: dict[tuple[str, str], str] = {}
        self.guessed: list[tuple[str, str, str, Any, str]] = []
        self.skipped: list[tuple[str, float, str]] = []

    def add_billed(
        self, entity: Literal["datasets", "workloads"], service: str, region: str, **fields: Any
    ) -> str:
        """Add the dataset or workload a billed service stands for; return its id."""
        key = _slug(service, region)
        self.services[(entity, key)] = service
        getattr(self, entity)[key] = {"id": key, **fields}
        return key

    def guess(self, entity: str, key: str, field: str, value: Any, reason: str) -> None:
        self.guessed.append((entity, key, field, value, reason))

    def workload_at(self, location: str, reason: str) -> dict[str, Any]:
        """The workload with the most compute at ``location``, or a new network workload."""
        return self._largest_at(
            "workloads", location, "compute_usd_per_month", "network", "id", reason
        )

    def dataset_at(self, location: str) -> dict[str, Any]:
        """The largest dataset at ``location``, or a new one of unknown size."""
        reason = "no storage billed at the source of inter-region transfers: set the size"
        return self._largest_at("datasets", location, "size_gb", "data", "size_gb", reason)

    def _largest_at(
        self,
        entity: Literal["datasets", "workloads"],
        location: str,
        measure: str,
        stem: str,
        guessed: str,
        reason: str,
    ) -> dict[str, Any]:
        """The entity largest by ``measure`` at ``location``, or a new one of ``measure`` 0.

        Ties go to the greatest id. A new entity is named from ``stem`` and the region, and its
        ``guessed`` field is recorded as a guess with ``reason``.
        """
        entities: dict[str, dict[str, Any]] = getattr(self, entity)
        here = [e for e in entities.values() if e["location"] == location]
        if here:
            return max(here, key=lambda e: (e[measure], e["id"]))
        key = _slug(stem, location.split(":", 1)[1])
        new = {"id": key, "location": location, measure: 0.0}
        entities[key] = new
        self.guess(entity, key, guessed, new[guessed], reason)
        return new

    def paths(self) -> pd.DataFrame:
        index = {
            name: {key: i for i, key in enumerate(entities)}
            for name, entities in (
                ("locations", self.locations),
                ("datasets", self.datasets),
                ("workloads", self.workloads),
                ("contracts", self.contracts),
            )
        }
        order = list(index)
        rows = sorted(
            (order.index(entity), index[entity][key], field, value, reason, entity)
            for entity, key, field, value, reason in self.guessed
        )
        return pd.DataFrame(
            [(f"{e}[{i}].{f}", str(v), r) for _, i, f, v, r, e in rows],
            columns=["path", "value", "reason"],
        )


def _sums(frame: pd.DataFrame, keys: list[str], value: str) -> list[tuple[list[str], float]]:
    """``value`` summed per distinct ``keys`` (as text), in sorted key order."""
    grouped = frame.groupby(keys, observed=True)[value].sum().reset_index()
    texts = [grouped[k].astype(str).tolist() for k in keys]
    amounts = grouped[value].to_numpy(dtype=float).tolist()
    return [([t[i] for t in texts], amounts[i]) for i in range(len(grouped))]


def _add_locations(
    builder: _Builder,
    base: FocusBaseline,
    as_of: dt.date,
    accounts: dict[tuple[str, str], str],
) -> dict[str, PriceBook]:
    books = builder.books
    for (provider, region), amount in _sums(
        base.spend, ["provider", "region"], builder.cost_column
    ):
        if not region or region == "global":
            builder.skipped.append(
                (f"{provider} charges without a region", float(amount), "global charge")
            )
            continue
        if provider not in books:
            book = find_book(provider, as_of)
            if book is None:
                builder.skipped.append(
                    (f"{provider}:{region}", float(amount), "no price book for this provider")
                )
                continue
            books[provider] = book
        if not _add_location(builder, provider, region, accounts.get((provider, region))):
            builder.skipped.append(
                (f"{provider}:{region}", float(amount), "region not in the provider's book")
            )
    return books


def _add_location(builder: _Builder, provider: str, region: str, account: str | None) -> bool:
    """Add ``provider:region`` from the provider's book; False when the book lacks the region."""
    info = builder.books[provider].regions.get(region)
    if info is None:
        return False
    key = f"{provider}:{region}"
    location: dict[str, Any] = {
        "id": key,
        "continent": info.continent,
        "jurisdiction": info.jurisdiction,
        "name": info.name,
    }
    if account:
        location["account"] = account
    builder.locations[key] = location
    return True


def _accounts(frame: pd.DataFrame, providers: pd.Series) -> dict[tuple[str, str], str]:
    """The billing account of each provider region billed by exactly one account."""
    keys = pd.DataFrame(
        {
            "provider": providers.astype("str"),
            "region": region_of(frame).astype("str"),
            "account": frame["BillingAccountId"].astype("str"),
        }
    ).dropna()
    counts = keys.groupby(["provider", "region"])["account"].agg(["nunique", "first"])
    counts = counts[counts["nunique"] == 1].reset_index()
    return {
        (p, r): f"{p}-{a}"
        for p, r, a in zip(
            counts["provider"].astype(str),
            counts["region"].astype(str),
            counts["first"].astype(str),
            strict=True,
        )
    }


def _monthly(total: float, builder: _Builder) -> float:
    return float(total) / builder.months


def _add_datasets(builder: _Builder, base: FocusBaseline) -> None:
    for (provider, region, service), gb_months in _sums(
        base.storage, ["provider", "region", "service"], "gb_months"
    ):
        location = f"{provider}:{region}"
        size_gb = _monthly(gb_months, builder)
        if location not in builder.locations or not size_gb > 0:
            continue
        key = builder.add_billed(
            "datasets",
            service,
            region,
            location=location,
            size_gb=size_gb,
            description=f"{service}: {size_gb:,.1f} GB stored on average per billed month",
        )
        builder.guess(
            "datasets", key, "storage_class", "standard", "FOCUS does not say the storage class"
        )


def _add_workloads(builder: _Builder, base: FocusBaseline) -> None:
    compute = base.spend[base.spend["cost_category"] == "compute"]
    for (provider, region, service), amount in _sums(
        compute, ["provider", "region", "service"], builder.cost_column
    ):
        location = f"{provider}:{region}"
        usd = _monthly(float(amount), builder) * builder.usd_per_unit
        if location not in builder.locations or not usd > 0:
            continue
        key = builder.add_billed(
            "workloads",
            service,
            region,
            location=location,
            compute_usd_per_month=usd,
            description=f"{service} compute billed in {region}",
        )
        builder.guess("workloads", key, "kind", "other", "FOCUS does not say what a service runs")


def _add_transfers(builder: _Builder, base: FocusBaseline, classifier: Classifier) -> None:
    moved = (
        base.transfers.groupby(
            ["provider", "region", "transfer_class", "peer_region_name"], observed=True
        )["volume_gb"]
        .sum()
        .reset_index()
    )
    for provider, region, transfer_class, peer, volume in zip(
        *(
            moved[c].astype(str)
            for c in ("provider", "region", "transfer_class", "peer_region_name")
        ),
        moved["volume_gb"].to_numpy(dtype=float),
        strict=True,
    ):
        location = f"{provider}:{region}"
        gb = _monthly(float(volume), builder)
        if location not in builder.locations or not gb > 0:
            continue
        if transfer_class == "internet":
            workload = builder.workload_at(location, "holds the region's internet transfers")
            workload["internet_egress_gb_per_month"] = (
                workload.get("internet_egress_gb_per_month", 0.0) + gb
            )
        elif transfer_class == "in":
            workload = builder.workload_at(location, "holds the region's inbound transfers")
            workload["internet_ingress_gb_per_month"] = (
                workload.get("internet_ingress_gb_per_month", 0.0) + gb
            )
        elif transfer_class == "inter_region":
            _add_flow(builder, provider, location, peer, gb, classifier)
        else:
            builder.skipped.append(
                (f"{location} {transfer_class} transfer", gb, "no estate field for this class")
            )


def _peer_location(
    builder: _Builder, provider: str, source: str, peer: str, classifier: Classifier
) -> tuple[str | None, bool]:
    """The destination location of an inter-region transfer, and whether it was guessed."""
    region = classifier.region_names.get(provider, {}).get(peer.lower()) if peer else None
    if region is not None:
        key = f"{provider}:{region}"
        if key in builder.locations:
            return key, False
        if provider in builder.books and _add_location(builder, provider, region, None):
            builder.guess(
                "locations",
                key,
                "id",
                key,
                f"not billed in the export: added as the destination {peer!r} of transfers",
            )
            return key, False
    others = [k for k in builder.locations if k.startswith(f"{provider}:") and k != source]
    if not others:
        return None, True
    spend = {
        k: sum(w["compute_usd_per_month"] for w in builder.workloads.values() if w["location"] == k)
        for k in others
    }
    return max(others, key=lambda k: (spend[k], k)), True


def _add_flow(
    builder: _Builder,
    provider: str,
    source: str,
    peer: str,
    gb: float,
    classifier: Classifier,
) -> None:
    destination, guessed = _peer_location(builder, provider, source, peer, classifier)
    if destination is None:
        builder.skipped.append(
            (f"{source} inter-region transfer", gb, "no other billed region to send it to")
        )
        return
    dataset = builder.dataset_at(source)
    reader = builder.workload_at(destination, "reads data sent from other regions")
    reads = reader.setdefault("reads", [])
    known = [i for i, r in enumerate(reads) if r["dataset"] == dataset["id"]]
    if known:
        index = known[0]
        reads[index]["gb_per_month"] += gb
    else:
        index = len(reads)
        reads.append({"dataset": dataset["id"], "gb_per_month": gb})
    if guessed:
        what = f"the text names {peer!r}" if peer else "the bill does not name the destination"
        builder.guess(
            "workloads",
            reader["id"],
            f"reads[{index}]",
            dataset["id"],
            f"{what}: sent to the provider's busiest other billed region",
        )


def _add_contracts(builder: _Builder, frame: pd.DataFrame, providers: pd.Series) -> None:
    if "CommitmentDiscountId" not in frame.columns:
        return
    ids = frame["CommitmentDiscountId"].astype("str")
    has_id = ids.notna().to_numpy()
    purchase = (frame["ChargeCategory"] == "Purchase").to_numpy() & has_id
    used_only = sorted(set(ids[has_id & ~purchase]) - set(ids[purchase]))
    for commitment in used_only:
        builder.skipped.append(
            (f"commitment {commitment}", 0.0, "used in the bill but not purchased in it")
        )
    rows = frame.loc[purchase]
    if rows.empty:
        return
    data = pd.DataFrame(
        {
            "id": ids[purchase].to_numpy(),
            "provider": providers.astype("str")[purchase].to_numpy(),
            "type": rows["CommitmentDiscountType"].astype("str").fillna("").to_numpy()
            if "CommitmentDiscountType" in rows.columns
            else "",
            "frequency": rows["ChargeFrequency"].astype("str").fillna("").to_numpy()
            if "ChargeFrequency" in rows.columns
            else "",
            "billed": rows["BilledCost"].fillna(0.0).to_numpy(),
            "start": rows["ChargePeriodStart"].to_numpy(),
        }
    )
    for commitment_id, group in data.groupby("id", sort=True):
        text = str(group["type"].iloc[0]).lower()
        kind = next((k for word, k in _CONTRACT_KINDS if word in text), None)
        one_time = (group["frequency"].str.lower() == "one-time").to_numpy()
        start = pd.Timestamp(group["start"].min()).date().replace(day=1)
        end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
        key = _slug(str(group["provider"].iloc[0]), str(commitment_id).rsplit("/", 1)[-1])
        while key in builder.contracts:
            key += "-2"
        monthly = _monthly(float(group["billed"][~one_time].sum()), builder) * builder.usd_per_unit
        upfront = float(group["billed"][one_time].sum()) * builder.usd_per_unit
        if monthly < 0 or upfront < 0:
            builder.skipped.append(
                (f"commitment {commitment_id}", min(monthly, upfront), "refunded more than bought")
            )
            continue
        builder.contracts[key] = {
            "id": key,
            "kind": kind or "reserved_capacity",
            "provider": str(group["provider"].iloc[0]),
            "usd_per_month": round(monthly, 2),
            "upfront_usd": round(upfront, 2),
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        builder.guess(
            "contracts", key, "end", end.isoformat(), "FOCUS does not give the term: one year"
        )
        if kind is None:
            builder.guess("contracts", key, "kind", "reserved_capacity", f"unknown type {text!r}")


def estate_skeleton(
    frame: pd.DataFrame | str | Path,
    *,
    as_of: dt.date | str | None = None,
    usd_per_unit: float | None = None,
    cost: Literal["amortised", "billed"] = "amortised",
    name: str | None = None,
    classifier: Classifier | None = None,
) -> Skeleton:
    """Build an estate skeleton from a FOCUS export.

    Parameters
    ----------
    frame : DataFrame or path
        A :func:`~exitcost.ingest.read_focus` frame, or what it reads.
    as_of : date or ISO text, optional
        The estate's date (default: the end of the last charge period); price books (for
        region continents and jurisdictions) are those in effect then, else the first later one.
    usd_per_unit : float, optional
        USD per unit of the billing currency; needed when the bill is not in USD. [USD/unit]
    cost : {"amortised", "billed"}, default "amortised"
        The spend that sizes workloads and contracts: EffectiveCost (commitments spread over
        the usage they cover) or BilledCost (as invoiced).
    name : str, optional
        The estate's name (default: ``"FOCUS export"``).
    classifier : Classifier, optional
        Transfer rules (default: the bundled classifier file).

    Returns
    -------
    Skeleton
        The validated estate, the guessed fields, what could not be placed, the baseline.

    Notes
    -----
    Locations are the provider regions billed that the provider's price book knows. Datasets
    are stored GB-months per service and region, averaged over the billed months. Workloads are
    compute spend (amortised) per service and region, a month's average. Internet transfers go
    to the region's largest workload (or a new ``network-<region>`` workload); an inter-region
    transfer is a read, by a workload in the destination region, of the largest dataset at the
    source. Commitments are the purchase rows that carry a CommitmentDiscountId.
    """
    if cost not in ("amortised", "billed"):
        raise FocusError(
            f"The 'cost' parameter of estate_skeleton must be one of 'amortised', 'billed'. "
            f"Got {cost!r} instead."
        )
    if not isinstance(frame, pd.DataFrame) or "x_SourceRow" not in frame.columns:
        frame = read_focus(frame)
    classifier = classifier or load_classifier()
    currency = str(frame.attrs.get("billing_currency", ""))
    if usd_per_unit is None:
        if currency != "USD":
            raise FocusError(
                f"The bill is in {currency}; exitcost models money in USD. Pass usd_per_unit "
                f"(USD per {currency}; --usd-per-unit on the command line)."
            )
        usd_per_unit = 1.0
    if not (isinstance(usd_per_unit, int | float) and math.isfinite(usd_per_unit)) or (
        usd_per_unit <= 0
    ):
        raise FocusError(
            f"The 'usd_per_unit' parameter of estate_skeleton must be a positive number. "
            f"Got {usd_per_unit!r} instead."
        )
    day = (
        dt.date.fromisoformat(str(as_of))
        if as_of is not None
        else pd.Timestamp(frame["ChargePeriodEnd"].max()).date()
    )
    classes = classify_rows(frame, classifier)
    base = baseline_from_classes(frame, classes, classifier.path)
    builder = _Builder(base.months, float(usd_per_unit), f"{cost}_cost")
    _add_locations(builder, base, day, _accounts(frame, classes["provider"]))
    _add_datasets(builder, base)
    _add_workloads(builder, base)
    _add_transfers(builder, base, classifier)
    _add_contracts(builder, frame, classes["provider"])
    estate = Estate.model_validate(
        {
            "name": name or "FOCUS export",
            "description": (
                f"Skeleton built by exitcost from FOCUS {frame.attrs.get('focus_version', '')} "
                f"billing data ({builder.months} month(s)); see the guessed fields."
            ),
            "as_of": day.isoformat(),
            "locations": list(builder.locations.values()),
            "datasets": list(builder.datasets.values()),
            "workloads": list(builder.workloads.values()),
            "contracts": list(builder.contracts.values()),
        }
    )
    skipped = pd.DataFrame(builder.skipped, columns=["what", "amount", "reason"])
    services = pd.DataFrame(
        [
            (entity, item["id"], builder.services.get((entity, item["id"]), ""))
            for entity, items in (("workloads", builder.workloads), ("datasets", builder.datasets))
            for item in items.values()
        ],
        columns=["entity", "id", "service"],
    )
    return Skeleton(
        estate, builder.paths(), skipped, base, float(usd_per_unit), f"{cost}_cost", services
    )


def write_skeleton(skeleton: Skeleton, path: str | Path | None = None) -> str:
    """Write the skeleton's estate as YAML, the guessed fields listed in a comment on top.

    Returns the text; writes it to ``path`` when given (through a temporary file renamed over
    it, like :meth:`Estate.to_yaml`). The file reads back with :meth:`Estate.from_yaml`.
    """
    lines = [
        "# Estate skeleton built by exitcost from FOCUS billing data.",
        "# Fields the bill does not give were filled with defaults or estimates; check these:",
    ]
    for row in skeleton.guesses.itertuples(index=False):
        lines.append(f"#   {row.path} = {row.value!s}: {row.reason}")
    if not skeleton.skipped.empty:
        lines.append("# Not placed in the estate:")
        for row in skeleton.skipped.itertuples(index=False):
            lines.append(f"#   {row.what} ({row.amount:,.2f}): {row.reason}")
    text = "\n".join(lines) + "\n" + skeleton.estate.to_yaml()
    if path is not None:
        from exitcost.estate.io import write_text

        write_text(text, path)
    return text
