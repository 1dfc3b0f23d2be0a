"""Helpers for the effort tests: small estates built through the estate's public constructors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from exitcost.estate import Estate

LOCATIONS = [
    {"id": "aws:us-east-1", "kind": "cloud", "continent": "north_america", "jurisdiction": "US"},
    {"id": "azure:westeurope", "kind": "cloud", "continent": "europe", "jurisdiction": "EU"},
]
TEAMS = [
    {"id": "core", "usd_per_person_day": 800.0, "capacity_person_days_per_month": 100.0},
    {"id": "data", "usd_per_person_day": 1000.0, "capacity_person_days_per_month": 40.0},
]


def build_estate(
    workloads: list[dict[str, Any]],
    *,
    teams: list[dict[str, Any]] | None = None,
    contracts: list[dict[str, Any]] | None = None,
    datasets: list[dict[str, Any]] | None = None,
    as_of: str = "2026-11-27",
) -> Estate:
    """An estate with two cloud locations and two teams around the given workloads."""
    rows = [{"location": "aws:us-east-1", **w} for w in workloads]
    return Estate.from_dict(
        {
            "name": "test",
            "as_of": as_of,
            "locations": LOCATIONS,
            "teams": TEAMS if teams is None else teams,
            "datasets": datasets or [],
            "workloads": rows,
            "contracts": contracts or [],
        }
    )


@pytest.fixture
def make_estate() -> Callable[..., Estate]:
    """Factory for small test estates (see :func:`build_estate`)."""
    return build_estate
