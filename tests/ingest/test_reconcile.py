"""Tests for exitcost.ingest.reconcile: the bill next to the library's own baseline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from exitcost.graph import baseline_cost
from exitcost.ingest import RECONCILE_COLUMNS, estate_skeleton, reconcile_focus
from tests.ingest.conftest import fixture_path, read_fixture


def _row(table, provider: str, category: str, transfer_class: str = ""):  # type: ignore[no-untyped-def]
    found = table[
        (table["provider"] == provider)
        & (table["category"] == category)
        & (table["transfer_class"] == transfer_class)
    ]
    assert len(found) == 1, found
    return found.iloc[0]


def test_compute_matches_and_list_priced_egress_shows_the_gap() -> None:
    table = reconcile_focus(estate_skeleton(fixture_path("1_0")))
    assert list(table.columns) == RECONCILE_COLUMNS
    compute = _row(table, "aws", "compute")
    assert compute["billed_usd_per_month"] == compute["modelled_usd_per_month"] == 120.0
    internet = _row(table, "aws", "egress", "internet")
    # Billed 45.00 for 500 GB at 0.09 USD/GB; the AWS book (2024-09-25) gives the first
    # 100 GB a month free, so its list price is 400 GB x 0.09 = 36.00.
    assert internet["billed_usd_per_month"] == pytest.approx(45.0)
    assert internet["modelled_usd_per_month"] == pytest.approx(36.0)
    assert internet["difference_usd_per_month"] == pytest.approx(9.0)
    assert internet["book_date"] == "2024-09-25"


def test_unmodelled_categories_are_billed_only() -> None:
    table = reconcile_focus(estate_skeleton(fixture_path("1_3")))
    zone = _row(table, "aws", "egress", "cross_zone")
    assert (zone["billed_usd_per_month"], zone["modelled_usd_per_month"]) == (1.0, 0.0)
    assert zone["note"] == "not modelled by the estate"


def test_modelled_side_is_the_library_baseline_of_the_skeleton() -> None:
    frame = read_fixture("1_0")
    aws_only = frame[frame["ProviderName"] == "AWS"]
    skeleton = estate_skeleton(aws_only)
    table = reconcile_focus(skeleton)
    own = baseline_cost(skeleton.estate)
    assert table["modelled_usd_per_month"].sum() == pytest.approx(own["usd_per_month"].sum())


def test_billed_side_adds_up_to_the_bill_in_usd() -> None:
    skeleton = estate_skeleton(fixture_path("1_2"), usd_per_unit=1.1)
    table = reconcile_focus(skeleton)
    # focus_1_2.csv: 52.05 EUR of effective cost in one month, at 1.1 USD per EUR.
    assert table["billed_usd_per_month"].sum() == pytest.approx(52.05 * 1.1)
    assert np.isfinite(table[["modelled_usd_per_month", "difference_usd_per_month"]]).all().all()


def test_sample_reconciles_to_the_bill_with_every_region_priced(sample_path: Path) -> None:
    table = reconcile_focus(estate_skeleton(sample_path, cost="billed"))
    assert table["billed_usd_per_month"].sum() == pytest.approx(20.520227, abs=1e-6)
    assert set(table["provider"]) == {"aws", "azure", "oci"}
    # Every region the sample bills is priced for what its skeleton holds, so no gaps.
    assert table.attrs["book_gaps"] == {}
    assert not table.isna().to_numpy().any()


def test_by_service_splits_the_same_totals_over_the_billed_services() -> None:
    skeleton = estate_skeleton(fixture_path("1_0"))
    by_provider = reconcile_focus(skeleton)
    by_service = reconcile_focus(skeleton, by="service")
    assert list(by_service.columns[:4]) == ["provider", "service", "category", "transfer_class"]
    for column in ("billed_usd_per_month", "modelled_usd_per_month"):
        assert by_service[column].sum() == pytest.approx(by_provider[column].sum())
    ec2 = by_service.set_index(["service", "category", "transfer_class"]).loc[
        ("Amazon Elastic Compute Cloud", "egress", "internet")
    ]
    # focus_1_0.csv: EC2 billed the 500 GB out (45.00); the book's list price is 36.00.
    assert (ec2["billed_usd_per_month"], ec2["modelled_usd_per_month"]) == (45.0, 36.0)


def test_an_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'by' parameter of reconcile_focus must be one of"):
        reconcile_focus(estate_skeleton(fixture_path("1_0")), by="region")  # type: ignore[arg-type]
