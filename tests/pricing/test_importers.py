"""Importers: the providers' price-list formats to validated price books, offline.

The fixtures under ``price_lists/`` are written for these tests in the providers' real formats
(see the format notes of the shared reference collection); their figures come from the sources
named in each case below.
"""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.errors import InvalidParameterError, PriceBookError
from exitcost.pricing import egress_cost, storage_cost, use_price_books
from exitcost.pricing.importers import import_price_list, parse_price_list

LISTS = Path(__file__).parent / "price_lists"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the importer opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_aws_offer_json_prices_us_east_1_standard_to_the_cent(tmp_path: Path) -> None:
    # AWS S3 feed scrape 2024-09-25 / GetProducts 2026-02-01: 0.023 / 0.022 / 0.021 per GB.
    # 600,000 GB: 51,200 x 0.023 + 460,800 x 0.022 + 88,000 x 0.021
    #           = 1,177.60 + 10,137.60 + 1,848.00 = $13,163.20
    book = import_price_list("aws", LISTS / "aws_offer.json", out=tmp_path / "aws.yaml")
    assert book.effective_date.isoformat() == "2026-02-23"  # publicationDate
    assert book.storage_class("us-east-1", "standard").source == "imported_aws_price_list"
    with use_price_books(book):
        cost = storage_cost(600_000.0, location="aws:us-east-1", as_of="2026-03-01")
        # Infracost golden (2024-09-25): 0.09 to 10 TB, then 0.085; 100 GB free per account:
        # 20,000 GB = 10,140 x 0.09 + 9,760 x 0.085 = 912.60 + 829.60 = $1,742.20
        egress = egress_cost(20_000.0, source="aws:us-east-1", as_of="2026-03-01")
        deep = storage_cost(
            1000.0, location="aws:eu-west-1", storage_class="deep_archive", as_of="2026-03-01"
        )
    assert round(cost, 2) == 13_163.20
    assert round(egress, 2) == 1_742.20
    assert round(deep, 2) == 0.99


def test_aws_offer_csv_skips_its_metadata_lines(tmp_path: Path) -> None:
    # eu-west-1 Standard-IA 0.0125 per GB-month (AWS S3 feed scrape 2024-09-25): 1,000 GB $12.50
    book = import_price_list("aws", LISTS / "aws_offer.csv", out=tmp_path / "aws.yaml")
    with use_price_books(book):
        ia = storage_cost(
            1000.0, location="aws:eu-west-1", storage_class="infrequent", as_of="2026-03-01"
        )
    assert round(ia, 2) == 12.50
    assert book.storage_class("eu-west-1", "standard").tiers[1].usd_per_gb_month == 0.022


def test_azure_retail_prices_zone_ladder_and_blob_storage(tmp_path: Path) -> None:
    # Zone 1 "Standard Data Transfer Out" ladder (Retail API rows quoted by a public fixture):
    # 20,000 GB from westeurope: 100 free, 10,235 x 0.087 + 9,665 x 0.083 = 890.445 + 802.195
    # = $1,692.64. eastus2 Hot LRS 0.0184 (Retail API row pinned 2026-07-05): 1,000 GB $18.40.
    book = import_price_list(
        "azure",
        LISTS / "azure_retail_prices.json",
        out=tmp_path / "azure.yaml",
        effective_date="2026-12-01",
    )
    with use_price_books(book):
        egress = egress_cost(20_000.0, source="azure:westeurope", as_of="2026-12-02")
        hot = storage_cost(1000.0, location="azure:eastus2", as_of="2026-12-02")
        cold = storage_cost(
            1000.0, location="azure:westeurope", storage_class="cold", as_of="2026-12-02"
        )
    assert round(egress, 2) == 1_692.64
    assert round(hot, 2) == 18.40
    assert round(cold, 2) == 4.50
    # the ladder has no published limit any more for Zone 1 regions it names
    assert book.internet_price("westeurope").schedule.limit_gb == float("inf")


def test_gcp_billing_catalog_storage(tmp_path: Path) -> None:
    # Billing catalog copy 2026-07-30: europe-west1 Standard 0.02, Nearline 0.01 per GiB-month.
    book = import_price_list("gcp", LISTS / "gcp_billing_catalog.json", out=tmp_path / "g.yaml")
    assert book.effective_date.isoformat() == "2026-07-30"
    with use_price_books(book):
        standard = storage_cost(1000.0, location="gcp:europe-west1", as_of="2026-08-01")
        nearline = storage_cost(
            1000.0, location="gcp:europe-west1", storage_class="infrequent", as_of="2026-08-01"
        )
    assert (round(standard, 2), round(nearline, 2)) == (20.00, 10.00)


def test_oci_price_list_bands_include_the_free_first_band(tmp_path: Path) -> None:
    # Oracle price-list API quote (2026-09-09): 0-10 GB free, then 0.0255 (Standard) and
    # 0.0026 (Archive): 1,000 GB = 990 x rate = $25.245 and $2.574.
    book = import_price_list("oci", LISTS / "oci_price_list.json", out=tmp_path / "oci.yaml")
    with use_price_books(book):
        standard = storage_cost(1000.0, location="oci:eu-frankfurt-1", as_of="2026-09-10")
        archive = storage_cost(
            1000.0, location="oci:eu-frankfurt-1", storage_class="archive", as_of="2026-09-10"
        )
    assert standard == pytest.approx(25.245)
    assert round(archive, 2) == 2.57


def _broken(tmp_path: Path, name: str, edit: Any) -> Path:
    target = tmp_path / name
    shutil.copy(LISTS / name, target)
    if name.endswith(".json"):
        doc = json.loads(target.read_text(encoding="utf-8"))
        edit(doc)
        target.write_text(json.dumps(doc), encoding="utf-8")
    else:
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def _drop_aws_usd(doc: dict[str, Any]) -> None:
    term = doc["terms"]["OnDemand"]["FIXTUREGDAEUW1"]["FIXTUREGDAEUW1.JRTCKXETXF"]
    del term["priceDimensions"]["FIXTUREGDAEUW1.JRTCKXETXF.6YS6EN2CT7"]["pricePerUnit"]["USD"]


def _bad_azure_price(doc: dict[str, Any]) -> None:
    doc["Items"][0]["retailPrice"] = "a lot"


def _bad_gcp_rates(doc: dict[str, Any]) -> None:
    doc["skus"][1]["pricingInfo"][0]["pricingExpression"]["tieredRates"] = []


def _bad_oci_value(doc: dict[str, Any]) -> None:
    doc["items"][1]["currencyCodeLocalizations"][0]["prices"][1]["value"] = -1


@pytest.mark.parametrize(
    ("provider", "name", "edit", "record"),
    [
        ("aws", "aws_offer.json", _drop_aws_usd,
         r"FIXTUREGDAEUW1 \(FIXTUREGDAEUW1\.JRTCKXETXF\.6YS"),
        ("aws", "aws_offer.csv", lambda t: t.replace('"0.0125000000"', '"n/a"'),
         r"FIXTURESIAEUW1 \(line 10\)"),
        ("azure", "azure_retail_prices.json", _bad_azure_price, r"Items\[0\] \(meterId 10b97fb2"),
        ("gcp", "gcp_billing_catalog.json", _bad_gcp_rates, r"skus\[1\] \(FIXTURE-NL-EW1\)"),
        ("oci", "oci_price_list.json", _bad_oci_value, r"items\[1\] \(partNumber B91633\)"),
    ],
)  # fmt: skip
def test_malformed_file_names_the_record(
    tmp_path: Path, provider: str, name: str, edit: Any, record: str
) -> None:
    path = _broken(tmp_path, name, edit)
    with pytest.raises(PriceBookError, match=rf"{name}: record {record}"):
        import_price_list(provider, path, out=tmp_path / "out.yaml", effective_date="2026-12-01")


def test_unknown_provider_and_empty_lists_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="must be one of 'aws', 'azure', 'gcp'"):
        parse_price_list("ibm", LISTS / "oci_price_list.json")
    empty = tmp_path / "empty.json"
    empty.write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(PriceBookError, match="no storage or internet egress price"):
        import_price_list("oci", empty, effective_date="2026-12-01", out=tmp_path / "o.yaml")
    undated = tmp_path / "undated.json"
    undated.write_text('{"skus": []}', encoding="utf-8")
    with pytest.raises(PriceBookError, match="carries no date"):
        import_price_list("gcp", undated, out=tmp_path / "g.yaml")


@given(
    st.lists(st.tuples(st.integers(1, 10_000), st.integers(0, 50_000)), min_size=1, max_size=4),
    st.floats(0.0, 100_000.0, allow_nan=False),
)
@settings(max_examples=15, deadline=None)
def test_imported_bands_price_as_marginal_tiers(
    tmp_path_factory: pytest.TempPathFactory, widths_and_rates: list[tuple[int, int]], size: float
) -> None:
    # Any OCI band list (widths in GB, rates in 1/1e6 USD) imports to a book whose storage cost
    # is the marginal sum over the bands, the last band running on.
    edges = [0]
    for width, _ in widths_and_rates[:-1]:
        edges.append(edges[-1] + width)
    rates = [rate / 1e6 for _, rate in widths_and_rates]
    prices = [
        {"model": "PAY_AS_YOU_GO", "value": rate, "rangeMin": low,
         "rangeMax": edges[i + 1] if i + 1 < len(edges) else 999999999}
        for i, (low, rate) in enumerate(zip(edges, rates, strict=True))
    ]  # fmt: skip
    doc = {"lastUpdated": "2026-09-21", "items": [{"partNumber": "B91628",
           "currencyCodeLocalizations": [{"currencyCode": "USD", "prices": prices}]}]}  # fmt: skip
    folder = tmp_path_factory.mktemp("oci")
    (folder / "list.json").write_text(json.dumps(doc), encoding="utf-8")
    book = import_price_list("oci", folder / "list.json", out=folder / "book.yaml")
    with use_price_books(book):
        cost = storage_cost(size, location="oci:eu-frankfurt-1", as_of="2026-09-22")
    expected = sum(
        rate * max(0.0, min(size, edges[i + 1] if i + 1 < len(edges) else size) - low)
        for i, (low, rate) in enumerate(zip(edges, rates, strict=True))
    )
    assert cost == pytest.approx(expected, rel=1e-12, abs=1e-12)
