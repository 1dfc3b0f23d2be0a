"""Tests for exitcost.estate.inventory."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from exitcost.estate import Estate, by_provider, inventory
from exitcost.estate.inventory import INVENTORY_SUMS
from exitcost.uncertainty import point
from tests.estate.strategies import estates


def test_inventory_of_minimal(minimal: dict[str, Any]) -> None:
    inv = inventory(Estate.from_dict(minimal))
    assert list(inv.index) == ["aws:us-east-1", "aws:eu-west-1", "onprem:fra1"]
    us = inv.loc["aws:us-east-1"]
    assert us["size_gb"] == 2 * 1024**2
    assert us["read_gb_per_month"] == 100
    # web (us-east-1) writes pert(1, 2, 4) into eu-db: mean (1 + 4*2 + 4) / 6, leaving us-east-1
    assert us["cross_location_gb_per_month"] == pytest.approx(13 / 6)
    eu = inv.loc["aws:eu-west-1"]
    assert eu["written_gb_per_month"] == pytest.approx(13 / 6)
    assert eu["read_gb_per_month"] == 5
    assert eu["cross_location_gb_per_month"] == 5  # etl on premises reads eu-db
    assert inv.loc["onprem:fra1", "datasets"] == 0


@given(estates())
def test_inventory_totals_match_the_estate(estate: Estate) -> None:
    inv = inventory(estate)
    assert len(inv) == len(estate.locations)
    assert inv["datasets"].sum() == len(estate.datasets)
    assert inv["workloads"].sum() == len(estate.workloads)
    assert inv["size_gb"].sum() == pytest.approx(sum(point(d.size_gb) for d in estate.datasets))
    flows = sum(point(f.gb_per_month) for _, _, f in estate.iter_flows())
    moved = inv["read_gb_per_month"].sum() + inv["written_gb_per_month"].sum()
    assert moved == pytest.approx(flows)
    assert inv["cross_location_gb_per_month"].sum() <= moved * (1 + 1e-9) + 1e-9
    assert not inv.isna().to_numpy().any()
    table = by_provider(inv)
    assert list(table.index) == sorted(estate.providers)
    assert table["locations"].sum() == len(estate.locations)
    for col in INVENTORY_SUMS:
        assert table[col].sum() == pytest.approx(inv[col].sum())
