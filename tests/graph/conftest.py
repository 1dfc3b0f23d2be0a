"""Fixtures for the graph tests: a small estate written out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from exitcost.estate import Estate, estate_from_dict

# A fixed pricing date keeps every graph test reproducible whatever day it runs.
TODAY = dt.date(2026, 11, 27)


def small_estate_dict() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": "small",
        "as_of": "2026-11-01",
        "locations": [
            {"id": "aws:us-east-1", "continent": "north_america", "jurisdiction": "US"},
            {"id": "aws:eu-west-1", "continent": "europe", "jurisdiction": "EU"},
            {"id": "colo:ams1", "kind": "colo", "continent": "europe", "jurisdiction": "EU"},
        ],
        "datasets": [
            {
                "id": "lake",
                "location": "aws:us-east-1",
                "size_gb": 1024,
                "growth_rate_per_month": 0.5,
            },
            {"id": "backups", "location": "colo:ams1", "size_gb": 2048},
        ],
        "workloads": [
            {
                "id": "web",
                "location": "aws:us-east-1",
                "compute_usd_per_month": 1000,
                "internet_egress_gb_per_month": 10_340,
                "reads": [{"dataset": "lake", "gb_per_month": 100}],
            },
            {
                "id": "eu",
                "location": "aws:eu-west-1",
                "compute": [{"resource": "vcpu", "quantity": 10, "commitment": "1yr"}],
                "reads": [{"dataset": "lake", "gb_per_month": 500}],
                "writes": [{"dataset": "backups", "gb_per_month": 300}],
            },
        ],
    }


@pytest.fixture
def small_estate() -> Estate:
    return estate_from_dict(small_estate_dict())
