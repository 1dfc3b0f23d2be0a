"""Price books from the providers' machine-readable price lists, without the network.

A user with network access downloads a price list (an AWS Price List offer file in JSON or
CSV, an Azure Retail Prices API response, a Google Cloud Billing Catalog SKU list, an OCI
price-list API response) and :func:`import_price_list` turns it into a dated price book: the
provider's bundled book in effect on the list's date, with the storage classes and internet
egress schedules the file prices replaced by the file's figures (source: the file, label V).
Everything else (regions, inter-region, compute, exit programme) is carried over with its own
sources. The book is validated by reading it back.

The importer never opens a network connection: it reads only the file it is given.

Recognised records (others are skipped):

- **aws**: ``products`` with ``attributes.regionCode`` (CSV: ``Region Code``) and usage types
  ``TimedStorage-ByteHrs`` (standard), ``-SIA-`` (infrequent), ``-GIR-`` (cold),
  ``-GlacierByteHrs`` (archive), ``-GDA-`` (deep_archive); internet transfer records
  (``transferType`` ``AWS Outbound``, ``toLocation`` ``External``) by ``fromRegionCode``.
  Ranges ``beginRange``/``endRange`` (or ``startingRange``/``endingRange``), ``Inf`` unbounded.
- **azure**: ``Items`` of ``General Block Blob v2`` (``Hot``/``Cool``/``Cold``/``Archive LRS``
  ``Data Stored`` meters) by ``armRegionName``; ``Standard Data Transfer Out`` of
  ``Rtn Preference: MGN`` by ``armRegionName`` (or a ``location`` ``Zone N`` for every region
  of that pricing zone); bands from ``tierMinimumUnits`` of items sharing a ``meterId``.
- **gcp**: ``skus`` of Cloud Storage regional classes (resource groups ``RegionalStorage``,
  ``NearlineStorage``, ``ColdlineStorage``, ``ArchiveStorage``) per ``serviceRegions``; the
  ``pricingInfo`` entry with the latest ``effectiveTime``.
- **oci**: ``items`` by part number (B91628 Standard, B93000 Infrequent Access, B91633
  Archive), one price for every region; ``rangeMin``/``rangeMax`` bands.

Examples
--------
>>> import json, tempfile, pathlib
>>> doc = {"lastUpdated": "2026-09-09T16:34:38Z", "items": [{"partNumber": "B91628",
...   "currencyCodeLocalizations": [{"currencyCode": "USD", "prices": [
...   {"model": "PAY_AS_YOU_GO", "value": 0, "rangeMin": 0, "rangeMax": 10},
...   {"model": "PAY_AS_YOU_GO", "value": 0.0255, "rangeMin": 10, "rangeMax": 999999999}]}]}]}
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "oci.json").write_text(json.dumps(doc))
>>> book = import_price_list("oci", folder / "oci.json", out=folder / "oci.yaml")
>>> book.effective_date, book.storage_class("eu-frankfurt-1", "standard").label
(datetime.date(2026, 9, 9), 'V')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exitcost.errors import InvalidParameterError, PriceBookError, format_choices
from exitcost.pricing.books import PriceBook, book_dates, load_price_book, read_price_book
from exitcost.pricing.schema import ALL_REGIONS

__all__ = ["IMPORT_KINDS", "ImportedPrice", "import_price_list", "parse_price_list"]

Band = tuple[float, float | None, float]


@dataclass(frozen=True)
class ImportedPrice:
    """One schedule read from a price list.

    ``kind`` is ``storage`` (``storage_class`` set, ``usd_per_gb_month`` bands) or
    ``internet_egress`` (``usd_per_gb`` bands); ``regions`` the book regions it prices
    (``("*",)`` for every region); ``record`` names the record it came from.
    """

    kind: str
    regions: tuple[str, ...]
    bands: tuple[Band, ...]
    record: str
    storage_class: str | None = None
    retrieval_usd_per_gb: float | None = None


@dataclass
class _Parsed:
    prices: list[ImportedPrice] = field(default_factory=list)
    day: dt.date | None = None


def _bad(path: Path, record: str, what: str) -> PriceBookError:
    return PriceBookError(f"{path.name}: record {record}: {what}")


def _num(value: Any, path: Path, record: str, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _bad(path, record, f"{name} must be a number, got {value!r}") from None
    if number != number or number < 0:
        raise _bad(path, record, f"{name} must be a number >= 0, got {value!r}")
    return number


def _upper(value: Any, path: Path, record: str, name: str) -> float | None:
    if value in (None, "", "Inf", "inf") or (isinstance(value, (int, float)) and value >= 9e8):
        return None
    return _num(value, path, record, name)


def _date(text: Any, path: Path, record: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        raise _bad(path, record, f"date {text!r} is not an ISO date") from None


def _bands(
    rows: Iterable[tuple[float, float | None, float]], path: Path, record: str
) -> tuple[Band, ...]:
    ordered = sorted(rows, key=lambda r: r[0])
    if not ordered or ordered[0][0] != 0:
        raise _bad(path, record, "its bands must start at 0")
    out: list[Band] = []
    for i, (low, high, rate) in enumerate(ordered):
        if i + 1 < len(ordered):
            nxt = ordered[i + 1][0]
            if high is not None and high != nxt:
                raise _bad(
                    path, record, f"band {low:g}-{high:g} is not followed by one from {high:g}"
                )
            high = nxt
        out.append((low, high, rate))
    return tuple(out)


def _json_doc(path: Path, text: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(path, "document", f"is not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise _bad(path, "document", "is not a JSON object")
    return doc


def _json_list(path: Path, text: str, key: str, what: str) -> tuple[dict[str, Any], list[Any]]:
    doc = _json_doc(path, text)
    items = doc.get(key)
    if not isinstance(items, list):
        raise _bad(path, "document", f"needs a {key!r} list ({what})")
    return doc, items


# ----------------------------------------------------------------------------------- AWS

_AWS_USAGE = (
    ("TimedStorage-SIA-ByteHrs", "infrequent"),
    ("TimedStorage-GIR-ByteHrs", "cold"),
    ("TimedStorage-GlacierByteHrs", "archive"),
    ("TimedStorage-GDA-ByteHrs", "deep_archive"),
    ("TimedStorage-ByteHrs", "standard"),
)


def _aws_class(usage: str) -> str | None:
    for suffix, klass in _AWS_USAGE:
        if usage == suffix or usage.endswith("-" + suffix):
            return klass
    return None


def _aws_rows(path: Path, text: str) -> tuple[list[dict[str, Any]], dt.date | None]:
    """(one dict per price dimension: sku, region, usage, transfer, low, high, usd), date."""
    if path.suffix.lower() == ".csv":
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith('"SKU"')), None)
        if start is None:
            raise _bad(path, "header", 'no "SKU" header line (an offer CSV has 5 metadata lines)')
        day = None
        for line in lines[:start]:
            if line.startswith('"Publication Date"') or line.startswith("Publication Date"):
                day = _date(line.split(",", 1)[1].strip('" '), path, "Publication Date")
        rows = []
        for n, rec in enumerate(csv.DictReader(io.StringIO("\n".join(lines[start:]))), start + 2):
            rows.append(
                {
                    "record": f"{rec.get('SKU', '?')} (line {n})",
                    "region": rec.get("Region Code", ""),
                    "from_region": rec.get("From Region Code", ""),
                    "usage": rec.get("usageType", ""),
                    "transfer": rec.get("Transfer Type", ""),
                    "to": rec.get("To Location", ""),
                    "low": rec.get("StartingRange"),
                    "high": rec.get("EndingRange"),
                    "usd": rec.get("PricePerUnit") if rec.get("Currency") == "USD" else None,
                    "term": rec.get("TermType", ""),
                }
            )
        return rows, day
    doc = _json_doc(path, text)
    products = doc.get("products")
    terms = (doc.get("terms") or {}).get("OnDemand")
    if not isinstance(products, dict) or not isinstance(terms, dict):
        raise _bad(path, "document", "needs 'products' and 'terms.OnDemand' objects")
    day = (
        _date(doc["publicationDate"], path, "publicationDate") if "publicationDate" in doc else None
    )
    rows = []
    for sku, product in products.items():
        attrs = (product or {}).get("attributes") or {}
        for term_code, term in (terms.get(sku) or {}).items():
            for rate_code, dim in ((term or {}).get("priceDimensions") or {}).items():
                rows.append(
                    {
                        "record": f"{sku} ({rate_code})",
                        "region": attrs.get("regionCode", ""),
                        "from_region": attrs.get("fromRegionCode", ""),
                        "usage": attrs.get("usagetype", ""),
                        "transfer": attrs.get("transferType", ""),
                        "to": attrs.get("toLocation", ""),
                        "low": dim.get("beginRange", dim.get("startingRange")),
                        "high": dim.get("endRange", dim.get("endingRange")),
                        "usd": (dim.get("pricePerUnit") or {}).get("USD"),
                        "term": "OnDemand",
                        "term_code": term_code,
                    }
                )
    return rows, day


def _parse_aws(path: Path, text: str, book: PriceBook) -> _Parsed:
    rows, day = _aws_rows(path, text)
    groups: dict[tuple[str, str, str | None], list[tuple[float, float | None, float]]] = {}
    records: dict[tuple[str, str, str | None], str] = {}
    for row in rows:
        if row["term"] != "OnDemand":
            continue
        klass = _aws_class(str(row["usage"]))
        key: tuple[str, str, str | None]
        if klass is not None:
            key = ("storage", str(row["region"]), klass)
        elif row["transfer"] == "AWS Outbound" and row["to"] in ("External", ""):
            key = ("internet_egress", str(row["from_region"] or row["region"]), None)
        else:
            continue
        record = str(row["record"])
        if not key[1]:
            raise _bad(path, record, "has no region code (regionCode / Region Code)")
        if row["usd"] is None:
            raise _bad(path, record, "has no USD price (pricePerUnit.USD)")
        band = (
            _num(row["low"] or 0, path, record, "beginRange"),
            _upper(row["high"], path, record, "endRange"),
            _num(row["usd"], path, record, "pricePerUnit.USD"),
        )
        groups.setdefault(key, []).append(band)
        records.setdefault(key, record)
    parsed = _Parsed(day=day)
    for (kind, region, klass), bands in groups.items():
        if region not in book.regions:
            continue  # a region the bundled book does not have (e.g. a newer one)
        parsed.prices.append(
            ImportedPrice(kind, (region,), _bands(bands, path, records[(kind, region, klass)]),
                          records[(kind, region, klass)], klass)
        )  # fmt: skip
    return parsed


# --------------------------------------------------------------------------------- Azure

_AZURE_TIERS = {"Hot": "standard", "Cool": "infrequent", "Cold": "cold", "Archive": "archive"}


def _parse_azure(path: Path, text: str, book: PriceBook) -> _Parsed:
    _, items = _json_list(path, text, "Items", "an Azure Retail Prices response")
    groups: dict[tuple[str, tuple[str, ...], str | None], list[Band]] = {}
    records: dict[tuple[str, tuple[str, ...], str | None], str] = {}
    days: list[dt.date] = []
    for i, item in enumerate(items):
        record = f"Items[{i}] (meterId {item.get('meterId', '?')})"
        meter = str(item.get("meterName", ""))
        product = str(item.get("productName", ""))
        klass = None
        if product == "General Block Blob v2" and meter.endswith("LRS Data Stored"):
            klass = _AZURE_TIERS.get(meter.split(" ")[0])
            kind = "storage"
        elif product == "Rtn Preference: MGN" and meter == "Standard Data Transfer Out":
            kind = "internet_egress"
        else:
            continue
        if kind == "storage" and klass is None:
            continue
        region = str(item.get("armRegionName") or "")
        if region:
            regions: tuple[str, ...] = (region,) if region in book.regions else ()
        else:
            zone = str(item.get("location", "")).replace(" ", "").lower()  # "Zone 1" -> zone1
            regions = tuple(r for r, m in book.regions.items() if zone and m.zone == zone)
            if not zone:
                raise _bad(path, record, "has neither armRegionName nor a 'Zone N' location")
        if not regions:
            continue
        if item.get("currencyCode", "USD") != "USD":
            raise _bad(path, record, f"is in {item.get('currencyCode')!r}, not USD")
        price = item.get("retailPrice", item.get("unitPrice"))
        low = _num(item.get("tierMinimumUnits", 0), path, record, "tierMinimumUnits")
        band = (low, None, _num(price, path, record, "retailPrice"))
        key = (kind, regions, klass)
        groups.setdefault(key, []).append(band)
        records.setdefault(key, record)
        if item.get("effectiveStartDate"):
            days.append(_date(item["effectiveStartDate"], path, record))
    parsed = _Parsed(day=max(days) if days else None)
    for key, bands in groups.items():
        kind, regions, klass = key
        parsed.prices.append(
            ImportedPrice(kind, regions, _bands(bands, path, records[key]), records[key], klass)
        )
    return parsed


# ---------------------------------------------------------------------------------- GCP

_GCP_GROUPS = {
    "RegionalStorage": "standard",
    "NearlineStorage": "infrequent",
    "ColdlineStorage": "cold",
    "ArchiveStorage": "archive",
}


def _parse_gcp(path: Path, text: str, book: PriceBook) -> _Parsed:
    _, skus = _json_list(path, text, "skus", "a Cloud Billing Catalog SKU list")
    parsed = _Parsed()
    days: list[dt.date] = []
    for i, sku in enumerate(skus):
        record = f"skus[{i}] ({sku.get('skuId', '?')})"
        category = sku.get("category") or {}
        klass = _GCP_GROUPS.get(str(category.get("resourceGroup", "")))
        if category.get("serviceDisplayName") != "Cloud Storage" or klass is None:
            continue
        regions = tuple(r for r in sku.get("serviceRegions") or () if r in book.regions)
        if len(sku.get("serviceRegions") or ()) != 1 or not regions:
            continue  # multi-region and dual-region SKUs, or regions the book lacks
        infos = sku.get("pricingInfo")
        if not infos:
            raise _bad(path, record, "has no pricingInfo")
        dated = [(_date(p.get("effectiveTime", ""), path, record), p) for p in infos]
        when, info = max(dated, key=lambda x: x[0])
        days.append(when)
        rates = (info.get("pricingExpression") or {}).get("tieredRates")
        if not rates:
            raise _bad(path, record, "has no pricingExpression.tieredRates")
        bands = []
        for k, rate in enumerate(rates):
            unit = rate.get("unitPrice") or {}
            if unit.get("currencyCode", "USD") != "USD":
                raise _bad(path, record, f"tieredRates[{k}] is not in USD")
            usd = _num(unit.get("units", 0), path, record, f"tieredRates[{k}].unitPrice.units")
            usd += (
                _num(unit.get("nanos", 0), path, record, f"tieredRates[{k}].unitPrice.nanos") / 1e9
            )
            low = _num(rate.get("startUsageAmount", 0), path, record, "startUsageAmount")
            bands.append((low, None, round(usd, 12)))
        parsed.prices.append(
            ImportedPrice("storage", regions, _bands(bands, path, record), record, klass)
        )
    parsed.day = max(days) if days else None
    return parsed


# ---------------------------------------------------------------------------------- OCI

_OCI_PARTS = {"B91628": "standard", "B93000": "infrequent", "B91633": "archive"}


def _parse_oci(path: Path, text: str, book: PriceBook) -> _Parsed:
    doc, items = _json_list(path, text, "items", "an OCI price-list response")
    day = _date(doc["lastUpdated"], path, "lastUpdated") if doc.get("lastUpdated") else None
    parsed = _Parsed(day=day)
    for i, item in enumerate(items):
        record = f"items[{i}] (partNumber {item.get('partNumber', '?')})"
        klass = _OCI_PARTS.get(str(item.get("partNumber", "")))
        if klass is None:
            continue
        usd = [
            c for c in item.get("currencyCodeLocalizations") or () if c.get("currencyCode") == "USD"
        ]
        if not usd:
            raise _bad(path, record, "has no USD currencyCodeLocalizations entry")
        bands = []
        for k, price in enumerate(usd[0].get("prices") or ()):
            if price.get("model", "PAY_AS_YOU_GO") != "PAY_AS_YOU_GO":
                continue
            bands.append(
                (
                    _num(price.get("rangeMin", 0), path, record, f"prices[{k}].rangeMin"),
                    _upper(price.get("rangeMax"), path, record, f"prices[{k}].rangeMax"),
                    _num(price.get("value"), path, record, f"prices[{k}].value"),
                )
            )
        parsed.prices.append(
            ImportedPrice("storage", (ALL_REGIONS,), _bands(bands, path, record), record, klass)
        )
    return parsed


_PARSERS: dict[str, Callable[[Path, str, PriceBook], _Parsed]] = {
    "aws": _parse_aws,
    "azure": _parse_azure,
    "gcp": _parse_gcp,
    "oci": _parse_oci,
}
IMPORT_KINDS: tuple[str, ...] = tuple(_PARSERS)
"""Providers whose price lists :func:`import_price_list` reads."""


def _template(provider: str, day: dt.date | None) -> PriceBook:
    """The bundled book in effect on ``day`` (today when None), else the provider's first."""
    try:
        return load_price_book(provider, as_of=day)
    except PriceBookError:
        return load_price_book(provider, as_of=book_dates(provider)[0])


def parse_price_list(
    provider: str, path: str | os.PathLike[str], *, as_of: dt.date | None = None
) -> tuple[list[ImportedPrice], dt.date | None]:
    """The schedules a price-list file holds, and the list's date (None when it has none).

    Raises
    ------
    InvalidParameterError
        An unknown provider.
    PriceBookError
        A malformed file: the message names the file and the record.
    """
    if provider not in _PARSERS:
        raise InvalidParameterError(
            f"The 'provider' parameter of import_price_list must be one of "
            f"{format_choices(IMPORT_KINDS)}. Got {provider!r} instead."
        )
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    parsed = _PARSERS[provider](file, text, _template(provider, as_of))
    return parsed.prices, parsed.day


def _imported(price: ImportedPrice, source: str, rate_field: str) -> dict[str, Any]:
    """The fields every imported block has: regions, source, label V, note and tiers."""
    return {
        "regions": list(price.regions),
        "source": source,
        "label": "V",
        "note": f"Imported from {price.record} and the records sharing its meter.",
        "tiers": [{"min_gb": lo, "max_gb": hi, rate_field: rate} for lo, hi, rate in price.bands],
    }


def _storage_block(
    price: ImportedPrice, template: dict[str, Any] | None, source: str
) -> dict[str, Any]:
    block: dict[str, Any] = dict(template or {})
    for drop in ("field_labels", "field_sources", "note"):
        block.pop(drop, None)
    block.update(
        {
            "storage_class": price.storage_class,
            "provider_class": (template or {}).get("provider_class") or str(price.storage_class),
            **_imported(price, source, "usd_per_gb_month"),
        }
    )
    return block


def import_price_list(
    provider: str,
    path: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    effective_date: dt.date | str | None = None,
) -> PriceBook:
    """A validated price book from a provider's price-list file (no network access).

    Parameters
    ----------
    provider : {"aws", "azure", "gcp", "oci"}
        Whose price list the file is.
    path : path-like
        The downloaded file (AWS offer JSON or CSV, Azure Retail Prices JSON, Google Cloud
        Billing Catalog SKU list JSON, OCI price-list JSON).
    out : path-like, optional
        Where to write the book (YAML); default ``<YYYY-MM-DD>.yaml`` beside the file.
    effective_date : date or ISO string, optional
        The book's effective date; default the list's own date (publication, latest
        effective time or last update). Required when the file has none.

    Returns
    -------
    PriceBook
        The book read back from ``out`` (so it is validated); register it with
        :func:`exitcost.pricing.use_price_books` to price with it.

    Raises
    ------
    PriceBookError
        A malformed file (the message names the record), no date, or a file with no price the
        library uses.
    """
    from exitcost.pricing.books import as_date

    file = Path(path)
    given = None if effective_date is None else as_date(effective_date, name="effective_date",
                                                         func="import_price_list")  # fmt: skip
    prices, listed = parse_price_list(provider, file, as_of=given)
    day = given or listed
    if day is None:
        raise PriceBookError(
            f"{file.name}: the price list carries no date; pass effective_date (the date the "
            "prices took effect)."
        )
    if not prices:
        raise PriceBookError(
            f"{file.name}: no storage or internet egress price the library uses was found "
            f"(see exitcost.pricing.importers for the records read)."
        )
    bundled = _template(provider, day)
    data = bundled.model.model_dump(mode="json", exclude_none=True)
    source_id = f"imported_{provider}_price_list"
    data["sources"][source_id] = {
        "title": f"{bundled.display_name} price list file {file.name}, imported by exitcost",
        "document": str(file.name),
        "as_of": day.isoformat(),
        "label": "V",
        "note": "The provider's own machine-readable price list, converted without edits.",
    }
    data["effective_date"] = day.isoformat()
    data["note"] = (
        f"Imported from {file.name} over the bundled book of {bundled.effective_date}; figures "
        "the file does not give keep their own sources. " + str(data.get("note", ""))
    ).strip()
    templates = {b["storage_class"]: b for b in data.get("storage", [])}
    storage = list(data.get("storage", []))
    egress = list(data.get("internet_egress", []))
    for price in prices:
        covered = set(price.regions)
        if price.kind == "storage":
            for block in storage:
                if block["storage_class"] == price.storage_class:
                    block["regions"] = [r for r in block["regions"] if r not in covered]
            storage = [b for b in storage if b["regions"]]
            storage.append(
                _storage_block(price, templates.get(str(price.storage_class)), source_id)
            )
        else:
            for rule in egress:
                if rule.get("destination_zone") is None and rule.get("network_tier") is None:
                    rule["regions"] = [r for r in rule["regions"] if r not in covered]
            egress = [r for r in egress if r["regions"]]
            egress.append(_imported(price, source_id, "usd_per_gb"))
    data["storage"] = storage
    data["internet_egress"] = egress
    data["unpublished"] = [u for u in data.get("unpublished", []) if not _answered(u, prices)]
    target = Path(out) if out is not None else file.with_name(f"{day.isoformat()}.yaml")
    target.write_text(
        f"# {bundled.display_name} price book imported from {file.name} by exitcost.\n"
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return read_price_book(target)


def _answered(gap: dict[str, Any], prices: list[ImportedPrice]) -> bool:
    """True when an unpublished entry is now priced for all its regions by the file."""
    for price in prices:
        same_kind = gap["kind"] == price.kind and gap.get("storage_class") in (
            None,
            price.storage_class,
        )
        if same_kind and (
            ALL_REGIONS in price.regions or set(gap["regions"]) <= set(price.regions)
        ):
            return gap.get("storage_class") is not None or price.kind == "internet_egress"
    return False
