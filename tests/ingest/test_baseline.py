"""Tests for exitcost.ingest.baseline: monthly billed spend and transfer volumes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.ingest import focus_baseline, read_focus
from tests.ingest.conftest import VERSIONS, fixture_path, read_fixture


@pytest.mark.parametrize("version", VERSIONS)
def test_spend_adds_up_to_the_billed_total(version: str) -> None:
    frame = read_focus(fixture_path(version))
    base = focus_baseline(frame)
    assert base.spend["billed_cost"].sum() == pytest.approx(frame["BilledCost"].sum())
    assert int(base.spend["rows"].sum()) == len(frame)


def test_transfer_volumes_by_class_and_source_region() -> None:
    base = focus_baseline(read_focus(fixture_path("1_0")))
    got = {
        (r.provider, r.region, r.transfer_class): r.volume_gb for r in base.transfers.itertuples()
    }
    # Quantities written in focus_1_0.csv.
    assert got == {
        ("aws", "us-east-1", "internet"): 500.0,
        ("aws", "us-east-1", "inter_region"): 200.0,
        ("azure", "westeurope", "internet"): 100.0,
    }
    peer = base.transfers.set_index("transfer_class").loc["inter_region", "peer_region_name"]
    assert peer == "EU (Ireland)"


def test_credits_stay_visible_with_their_charge_category() -> None:
    base = focus_baseline(read_focus(fixture_path("1_0")))
    credit = base.spend[base.spend["charge_category"] == "Credit"]
    assert credit["billed_cost"].tolist() == [-10.0]
    assert credit["region"].astype(str).tolist() == [""]  # a global charge


def test_amortised_cost_uses_effective_cost() -> None:
    base = focus_baseline(read_focus(fixture_path("1_1")))
    spend = base.spend.groupby("cost_category", observed=True)[
        ["billed_cost", "amortised_cost"]
    ].sum()
    # The savings plan: 365.00 billed as a purchase; its usage row billed 0.00 with an
    # EffectiveCost of 300.00 (focus_1_1.csv).
    assert spend.loc["commitments", "billed_cost"] == 365.0
    assert spend.loc["commitments", "amortised_cost"] == 0.0
    assert spend.loc["compute", "amortised_cost"] == 350.0


def test_storage_gb_months_by_region() -> None:
    base = focus_baseline(read_focus(fixture_path("1_2")))
    assert base.storage[["provider", "region", "gb_months"]].values.tolist() == [
        ["oci", "eu-frankfurt-1", 100.0]
    ]
    assert base.currency == "EUR"


def test_by_category_table_totals_the_amortised_spend() -> None:
    frame = read_focus(fixture_path("1_3"))
    table = focus_baseline(frame).by_category()
    assert table.loc["total", "total"] == pytest.approx(frame["EffectiveCost"].sum())
    assert table.loc["aws", "egress:internet"] == 18.0


def test_sample_baseline_lists_its_one_unclassed_row(sample_path: Path) -> None:
    base = focus_baseline(read_focus(sample_path))
    assert base.transfer_rows == 556
    assert base.classed_rows == 555
    assert base.classed_share == pytest.approx(555 / 556)
    row = base.unclassified.iloc[0]
    assert (row["x_SourceRow"], row["service"]) == (907, "Elastic Load Balancing")
    assert set(base.spend["month"]) == {pd.Timestamp("2024-09-01")}


@settings(max_examples=8)
@given(picked=st.sets(st.integers(min_value=0, max_value=6), min_size=1))
def test_spend_and_transfer_totals_hold_for_any_subset_of_rows(picked: set[int]) -> None:
    frame = read_fixture("1_0").iloc[sorted(picked)]
    base = focus_baseline(frame)
    assert base.spend["billed_cost"].sum() == pytest.approx(frame["BilledCost"].sum())
    egress = base.spend[base.spend["cost_category"] == "egress"]["billed_cost"].sum()
    assert base.transfers["billed_cost"].sum() == pytest.approx(egress)
    assert not base.spend.isna().to_numpy().any()
    assert 0.0 <= base.classed_share <= 1.0
    assert np.all(base.transfers["volume_gb"] >= 0)
