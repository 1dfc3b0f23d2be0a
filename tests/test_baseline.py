"""Tests of exitcost.baseline: the estate's monthly run cost ("stay")."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml

from exitcost.baseline import baseline_by_provider, baseline_cost, baseline_summary
from exitcost.categories import COST_CATEGORIES, TRANSFER_CLASSES
from exitcost.errors import PriceBookError, UnknownLocationError
from exitcost.estate import Estate, estate_from_dict, sample_estate
from exitcost.graph import CostGraph
from exitcost.pricing import egress_cost, load_price_book, storage_cost, use_price_books
from tests.graph.conftest import TODAY, small_estate_dict

AWS_FILE = Path(__file__).resolve().parents[1] / "data" / "pricing" / "aws" / "2024-09-25.yaml"


@pytest.fixture
def small_estate() -> Estate:
    return estate_from_dict(small_estate_dict())


def test_hand_worked_small_estate(small_estate: Estate) -> None:
    frame = baseline_cost(small_estate, as_of=TODAY)
    cell = frame.set_index(["location", "category", "transfer_class"])["usd_per_month"]
    # Compute: web states $1,000; eu runs 10 vCPU x 730 h at the book's 1-year rate.
    prices = load_price_book("aws", as_of=TODAY).compute_unit_prices("eu-west-1")
    assert prices.usd_per_vcpu_hour is not None
    vcpu = 10 * 730 * prices.usd_per_vcpu_hour * (1 - prices.discount_fraction["1yr"])
    assert cell[("aws:us-east-1", "compute", "")] == pytest.approx(1000.0)
    assert cell[("aws:eu-west-1", "compute", "")] == pytest.approx(vcpu)
    # Storage: 1,024 GB S3 Standard (pricing-facts.md §5: $0.023/GB-month, V) = $23.55.
    assert cell[("aws:us-east-1", "storage", "")] == pytest.approx(
        storage_cost(1024.0, location="aws:us-east-1", as_of=TODAY)
    )
    assert cell[("aws:us-east-1", "storage", "")] == pytest.approx(1024 * 0.023)
    # Egress: 500 GB us-east-1 -> eu-west-1 over the backbone at $0.02 (pricing-facts.md §2).
    assert cell[("aws:us-east-1", "egress", "inter_region")] == pytest.approx(10.0)
    # us-east-1 internet: 10,340 GB; the 100 GB free allowance is the account's, shared with
    # eu-west-1, whose 300 GB to the colo leave over the internet too. Sources are priced in
    # the estate's location order, so us-east-1 uses the allowance; the band edges do not move
    # (pricing README convention): (10,240 - 100) x 0.09 + 100 x 0.085 = 912.60 + 8.50.
    assert cell[("aws:us-east-1", "egress", "internet")] == pytest.approx(921.1)
    assert cell[("aws:eu-west-1", "egress", "internet")] == pytest.approx(300 * 0.09)
    assert egress_cost(10_340.0, source="aws:us-east-1", as_of=TODAY) == pytest.approx(921.1)


def test_columns_and_vocabulary() -> None:
    frame = baseline_cost(sample_estate(), as_of=TODAY)
    assert list(frame.columns) == [
        "location", "provider", "account", "category", "transfer_class", "usd_per_month"
    ]  # fmt: skip
    assert set(frame["category"]) <= set(COST_CATEGORIES)
    egress = frame[frame["category"] == "egress"]
    assert set(egress["transfer_class"]) <= set(TRANSFER_CLASSES)
    assert (frame["usd_per_month"] >= 0).all()
    assert not frame["usd_per_month"].isna().any()
    assert not frame.duplicated(["location", "category", "transfer_class"]).any()


def test_summary_sums_exactly() -> None:
    frame = baseline_cost(sample_estate(), as_of=TODAY)
    summary = baseline_summary(frame)
    assert summary.loc["total", "total"] == frame["usd_per_month"].sum()
    body = summary.drop(index="total")
    assert body["total"].to_numpy() == pytest.approx(
        body.drop(columns="total").sum(axis=1).to_numpy()
    )
    for provider, total in frame.groupby("provider")["usd_per_month"].sum().items():
        assert summary.loc[provider, "total"] == pytest.approx(total)
    assert list(summary.columns[:2]) == ["compute", "storage"]
    assert baseline_by_provider(sample_estate(), as_of=TODAY).equals(summary)


def test_by_location() -> None:
    frame = baseline_cost(sample_estate(), as_of=TODAY)
    summary = baseline_summary(frame, by="location")
    assert summary.loc["total", "total"] == frame["usd_per_month"].sum()
    assert "aws:us-east-1" in summary.index


def test_defaults_to_the_estate_date(small_estate: Estate) -> None:
    # Dated before the first AWS book (2024-09-25): priced on the estate's own date the books
    # are not in effect, so the baseline must say so, not fall back to today's books or count
    # the cloud's compute and storage as 0.
    data = small_estate_dict()
    data["as_of"] = "2024-06-01"
    early = estate_from_dict(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "counted as 0" warning before the error
        with pytest.raises(PriceBookError, match=r"No aws price book is in effect on 2024-06-01"):
            baseline_cost(early)
    # An explicit date overrides it; the estate's own date is the default.
    assert baseline_cost(early, as_of=TODAY).equals(baseline_cost(small_estate, as_of=TODAY))
    assert baseline_cost(small_estate).equals(baseline_cost(small_estate, as_of=small_estate.as_of))


def test_unpriceable_cloud_location_is_an_error_not_zero() -> None:
    # A region no book has: before, the baseline warned and counted its storage as $0.
    data = small_estate_dict()
    data["locations"].append({"id": "aws:mars-1", "continent": "europe", "jurisdiction": "EU"})
    data["datasets"].append({"id": "red", "location": "aws:mars-1", "size_gb": 5000})
    mars = estate_from_dict(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "counted as 0" warning before the error
        with pytest.raises(
            UnknownLocationError, match=r"locations\[3\]\.id: region 'mars-1' is not in the aws"
        ):
            baseline_cost(mars, as_of=TODAY)


def test_baseline_provenance(small_estate: Estate) -> None:
    frame = baseline_cost(small_estate, as_of=TODAY)
    # the bundled books in effect on 2026-11-27 (colo prices the site's transit)
    assert frame.attrs["price_books"]["aws"] == "2024-09-25"
    assert (
        frame.attrs["price_books"]["aws"]
        == load_price_book("aws", TODAY).effective_date.isoformat()
    )
    labels = frame.attrs["labels"]
    egress = frame[frame["category"] == "egress"]
    keys = set(zip(egress["location"], egress["category"], egress["transfer_class"], strict=True))
    assert set(labels) == keys
    # us-east-1 internet: bands 0-10 TB and 10-50 TB (V) and the 100 GB allowance (S)
    assert labels[("aws:us-east-1", "egress", "internet")] == "S"
    # backbone us-east-1 -> eu-west-1: Infracost golden (V)
    assert labels[("aws:us-east-1", "egress", "inter_region")] == "V"


def test_baseline_uses_a_registered_book(small_estate: Estate, tmp_path: Path) -> None:
    data = yaml.safe_load(AWS_FILE.read_text(encoding="utf-8"))
    for rule in data["inter_region"]:
        rule["same_continent_usd_per_gb"] = rule["cross_continent_usd_per_gb"] = 0.014
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    before = baseline_cost(small_estate, as_of=TODAY)
    graph_before = CostGraph.from_estate(small_estate, as_of=TODAY)
    with use_price_books(path):
        cell = baseline_cost(small_estate, as_of=TODAY).set_index(
            ["location", "category", "transfer_class"]
        )["usd_per_month"]
        # 500 GB us-east-1 -> eu-west-1 at the negotiated $0.014 instead of $0.02
        assert cell[("aws:us-east-1", "egress", "inter_region")] == pytest.approx(7.0)
        graph = CostGraph.from_estate(small_estate, as_of=TODAY)
        rates = [o.usd_per_gb for o in graph.options("aws:us-east-1", "aws:eu-west-1")]
        assert (0.014,) in rates
    assert baseline_cost(small_estate, as_of=TODAY).equals(before)
    again = CostGraph.from_estate(small_estate, as_of=TODAY)
    assert [o.usd_per_gb for o in again.options("aws:us-east-1", "aws:eu-west-1")] == [
        o.usd_per_gb for o in graph_before.options("aws:us-east-1", "aws:eu-west-1")
    ]


def test_the_graph_package_still_gives_the_baseline_functions() -> None:
    import exitcost.graph

    assert exitcost.graph.baseline_cost is baseline_cost
