"""Tests of price-book loading and validation (exitcost.pricing.books / schema)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from exitcost.errors import (
    InvalidParameterError,
    PriceBookError,
    UnknownLocationError,
    UnknownProviderError,
)
from exitcost.pricing import books
from exitcost.pricing.books import load_price_book, providers, read_price_book

REPO = Path(__file__).resolve().parents[2]
AWS_FILE = REPO / "data" / "pricing" / "aws" / "2024-09-25.yaml"


def aws_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(AWS_FILE.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_providers_ignore_non_book_folders() -> None:
    names = providers()
    assert "aws" in names
    assert "facilities" not in names
    assert "regulation" not in names


def test_every_bundled_book_loads() -> None:
    for provider in providers():
        for day in books.book_dates(provider):
            book = load_price_book(provider, as_of=day)
            assert book.effective_date == day
            assert book.regions


def test_aws_book_contents(shared_dir: Path) -> None:
    # Every region and rate of the reference CSV (Infracost golden 2024-09-25) is in the book.
    import csv

    book = load_price_book("aws", as_of="2024-09-25")
    csv_path = shared_dir / "reference/data/aws_transfer_rates_2024-09-25.csv"
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    regions = {r["source_region"] for r in rows}
    assert regions == set(book.regions)
    band = {
        "Outbound data transfer to Internet (first 10TB)": 0,
        "Outbound data transfer to Internet (next 40TB)": 1,
        "Outbound data transfer to Internet (next 100TB)": 2,
        "Outbound data transfer to Internet (over 150TB)": 3,
    }
    for row in rows:
        region, comp, rate = row["source_region"], row["component"], float(row["usd_per_gb"])
        if comp in band:
            sched = book.internet_price(region, free_allowance=False).schedule
            assert sched.rates_usd_per_gb[band[comp]] == pytest.approx(rate), (region, comp)
        elif comp == "Outbound data transfer to other regions":
            if region.startswith("us-gov-"):  # GovCloud's own partition (see below)
                other = "us-gov-east-1" if region != "us-gov-east-1" else "us-gov-west-1"
            else:
                other = "eu-west-1" if region != "eu-west-1" else "eu-west-2"
            got = book.inter_region_price(region, other).schedule.rates_usd_per_gb[-1]
            assert got == pytest.approx(rate), region
        elif comp == "Intra-region data transfer":
            cz = book.transfer_price(region, "zone").schedule.rates_usd_per_gb[-1]
            assert cz == pytest.approx(2 * rate)  # charged each direction


def test_as_of_selection_and_errors() -> None:
    assert load_price_book("aws", as_of=dt.date(2030, 1, 1)).effective_date == dt.date(2024, 9, 25)
    assert load_price_book("aws", as_of=dt.datetime(2025, 1, 1, 12)).provider == "aws"
    with pytest.raises(PriceBookError, match=r"No aws price book is in effect on 2024-09-24"):
        load_price_book("aws", as_of="2024-09-24")
    with pytest.raises(UnknownProviderError, match=r"'nimbus'.*valid providers: .*'aws'"):
        load_price_book("nimbus")
    with pytest.raises(InvalidParameterError, match="ISO date string"):
        load_price_book("aws", as_of="yesterday")
    with pytest.raises(InvalidParameterError, match="needs a provider id"):
        load_price_book()


def test_unknown_region_lists_valid() -> None:
    book = load_price_book("aws", as_of="2025-01-01")
    with pytest.raises(UnknownLocationError, match=r"'mars-1'.*valid: 'aws:af-south-1'"):
        book.region("mars-1")


def test_user_book_same_validation(tmp_path: Path) -> None:
    data = aws_data()
    data["display_name"] = "AWS (negotiated)"
    data["internet_egress"][0]["tiers"][0]["usd_per_gb"] = 0.05
    book = load_price_book(path=write(tmp_path, data))
    assert book.display_name == "AWS (negotiated)"
    assert book.internet_price("us-east-1").schedule.rates_usd_per_gb[1] == 0.05


def test_overlapping_tiers(tmp_path: Path) -> None:
    data = aws_data()
    data["internet_egress"][0]["tiers"][1]["min_gb"] = 10000
    with pytest.raises(
        PriceBookError, match=r"internet_egress\[0\]\.tiers\[1\]\.min_gb: overlaps the previous"
    ):
        read_price_book(write(tmp_path, data))


def test_gap_and_unbounded_middle(tmp_path: Path) -> None:
    data = aws_data()
    data["internet_egress"][1]["tiers"][1]["min_gb"] = 20000
    data["internet_egress"][2]["tiers"][0]["max_gb"] = None
    with pytest.raises(PriceBookError, match=r"2 problems in price book") as info:
        read_price_book(write(tmp_path, data))
    text = str(info.value)
    assert "internet_egress[1].tiers[1].min_gb: leaves a gap" in text
    assert "internet_egress[2].tiers[1].min_gb: follows an unbounded tier" in text


def test_missing_source(tmp_path: Path) -> None:
    data = aws_data()
    data["cross_zone"][0]["source"] = "nowhere"
    with pytest.raises(PriceBookError, match=r"cross_zone\[0\]\.source: is not a key"):
        read_price_book(write(tmp_path, data))
    data = aws_data()
    del data["sources"]["api_evangelist_dx"]["url"]
    with pytest.raises(PriceBookError, match=r"sources\.api_evangelist_dx: a source needs a 'url'"):
        read_price_book(write(tmp_path, data, "other.yaml"))


def test_field_level_problems(tmp_path: Path) -> None:
    data = aws_data()
    data["storage"][0]["tiers"][0]["usd_per_gb_month"] = -0.1
    data["inter_region"][0]["regions"].append("mars-1")
    data["compute"][0]["surprise"] = 1
    data["storage"][1].setdefault("field_labels", {})["nonsense"] = "M"
    path = write(tmp_path, data)
    with pytest.raises(PriceBookError, match=r"storage\[0\]\.tiers\[0\]\.usd_per_gb_month") as info:
        read_price_book(path)
    text = str(info.value)
    assert "compute[0].surprise" in text
    assert "nonsense" in text
    assert str(path.name) in text


def test_duplicate_rule_and_missing_region(tmp_path: Path) -> None:
    data = aws_data()
    data["internet_egress"][1]["regions"].append("us-east-1")
    data["regions"]["xx-new-1"] = {"name": "New", "continent": "europe", "jurisdiction": "EU"}
    with pytest.raises(PriceBookError, match=r"already priced by internet_egress\[0\]") as info:
        read_price_book(write(tmp_path, data))
    assert "xx-new-1" in str(info.value)


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("provider: [unclosed", encoding="utf-8")
    with pytest.raises(PriceBookError, match="is not valid YAML"):
        read_price_book(bad)
    with pytest.raises(PriceBookError, match="does not exist"):
        read_price_book(tmp_path / "absent.yaml")
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(PriceBookError, match="must hold a mapping"):
        read_price_book(listy)


def test_bundled_name_must_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "pricing"
    (root / "aws").mkdir(parents=True)
    (root / "facilities").mkdir()
    (root / "facilities" / "2026-01-01.yaml").write_text("x: 1\n", encoding="utf-8")
    write(root / "aws", aws_data(), "2025-01-01.yaml")
    monkeypatch.setattr(books, "data_dir", lambda kind: root)
    assert books.providers() == ("aws",)
    with pytest.raises(PriceBookError, match="effective_date: must equal the file name's date"):
        books.load_price_book("aws", as_of="2025-06-01")


def test_compute_unit_prices() -> None:
    book = load_price_book("aws", as_of="2025-01-01")
    prices = book.compute_unit_prices("us-east-1")
    # m7i.xlarge $0.2016/h (SkyPilot catalog v7, V): 4 vCPU at the unit price plus 16 GiB
    # at the unit price gives the instance price back.
    assert prices.usd_per_vcpu_hour is not None
    assert prices.usd_per_gib_hour is not None
    assert 4 * prices.usd_per_vcpu_hour + 16 * prices.usd_per_gib_hour == pytest.approx(0.2016)
    assert prices.usd_per_gpu_hour["H100"] == pytest.approx(98.32 / 8)
    assert prices.discount_fraction["3yr"] == pytest.approx(0.567)
    with pytest.raises(PriceBookError, match="no compute unit prices for region 'sa-east-1'"):
        book.compute_unit_prices("sa-east-1")


def test_storage_lookup_errors() -> None:
    book = load_price_book("aws", as_of="2025-01-01")
    with pytest.raises(
        PriceBookError,
        match=r"no 'deep_archive' storage price in region 'us-west-2-lax-1'.*unpublished.*"
        r"fallback='nearest'",
    ):
        book.storage_class("us-west-2-lax-1", "deep_archive")


def test_interconnect_price() -> None:
    book = load_price_book("aws", as_of="2025-01-01")
    price = book.transfer_price("us-east-1", "azure:eastus", via="interconnect", port_gbps=10)
    assert price.transfer_class == "interconnect"
    assert price.fixed_usd_per_month == pytest.approx(2.25 * 730)  # DX 10G port $2.25/h (S)
    with pytest.raises(PriceBookError, match="no private interconnect price"):
        book.transfer_price("sa-east-1", "internet", via="interconnect")
    with pytest.raises(InvalidParameterError, match="'port_gbps'"):
        book.transfer_price("us-east-1", "internet", via="interconnect", port_gbps=3)


def test_partitions_share_no_backbone() -> None:
    # AWS GovCloud is a separate partition: no inter-region transfer to commercial regions
    # (the $0.03 "to other regions" rate of the Infracost golden is between GovCloud regions).
    book = load_price_book("aws", as_of="2024-09-25")
    with pytest.raises(PriceBookError, match="no backbone between 'us-gov-west-1'"):
        book.inter_region_price("us-gov-west-1", "us-east-1")
    assert book.transfer_price("us-gov-west-1", "aws:us-east-1").transfer_class == "internet"
    inside = book.transfer_price("us-gov-west-1", "aws:us-gov-east-1")
    assert inside.transfer_class == "inter_region"
    assert float(inside.schedule.cost(1000.0)) == pytest.approx(30.0)


def test_regulation_phases_must_not_overlap() -> None:
    from pydantic import ValidationError

    from exitcost.pricing.books import load_regulation
    from exitcost.pricing.schema import RegulationModel

    data = load_regulation("eu_data_act").model_dump()
    data["phases"][0]["end"] = dt.date(2027, 2, 1)  # runs past the next phase's start
    with pytest.raises(ValidationError, match=r"phases\[1\]\.start: overlaps phases\[0\]"):
        RegulationModel.model_validate(data)
    data["phases"][0]["end"] = None
    with pytest.raises(ValidationError, match="open-ended"):
        RegulationModel.model_validate(data)


def test_eu_data_act_dates() -> None:
    # Regulation (EU) 2023/2854 Art. 29 (V): reduced (at-cost) charges from 2024-01-11 to
    # 2027-01-12, none from 2027-01-12; customers in the EU; data egress is a switching charge.
    from exitcost.pricing.books import load_regulation

    reg = load_regulation("eu_data_act")
    assert [(p.start, p.end, p.switching_charges) for p in reg.phases] == [
        (dt.date(2024, 1, 11), dt.date(2027, 1, 11), "at_cost"),
        (dt.date(2027, 1, 12), None, "none"),
    ]
    assert reg.customer_jurisdictions == ("EU",)
    assert "internet" in reg.covers


def test_a_book_added_while_running_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The folder scan is cached (cost functions call load_price_book in loops); the cache is
    # keyed on the folders' modification times, so a new book file still shows up.
    root = tmp_path / "pricing"
    (root / "aws").mkdir(parents=True)
    write(root / "aws", aws_data(), "2025-01-01.yaml")
    monkeypatch.setattr(books, "data_dir", lambda kind: root)
    assert books.book_dates("aws") == (dt.date(2025, 1, 1),)
    write(root / "aws", aws_data(), "2026-01-01.yaml")
    assert books.book_dates("aws") == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    (root / "gcp").mkdir()
    write(root / "gcp", aws_data(), "2025-01-01.yaml")
    assert books.providers() == ("aws", "gcp")
