"""Fixtures for the estate tests: a small valid estate as a plain mapping."""

from __future__ import annotations

import copy
from typing import Any

import pytest

MINIMAL: dict[str, Any] = {
    "name": "mini",
    "as_of": "2026-11-01",
    "locations": [
        {"id": "aws:us-east-1", "continent": "north_america", "jurisdiction": "US"},
        {"id": "aws:eu-west-1", "continent": "europe", "jurisdiction": "EU"},
        {"id": "onprem:fra1", "continent": "europe", "jurisdiction": "EU"},
    ],
    "datasets": [
        {"id": "lake", "location": "aws:us-east-1", "size_gb": "2 PB"},
        {"id": "eu-db", "location": "aws:eu-west-1", "size_gb": 500, "residency": ["EU"]},
    ],
    "workloads": [
        {
            "id": "web",
            "location": "aws:us-east-1",
            "team": "core",
            "reads": [{"dataset": "lake", "gb_per_month": 100}],
            "writes": [{"dataset": "eu-db", "gb_per_month": "pert(1, 2, 4)"}],
            "services": ["aws.lambda", {"service": "aws.dynamodb", "units": 3}],
        },
        {
            "id": "etl",
            "location": "onprem:fra1",
            "reads": [{"dataset": "eu-db", "gb_per_month": 5}],
        },
    ],
    "contracts": [
        {
            "id": "edp",
            "kind": "minimum_spend",
            "provider": "aws",
            "usd_per_month": 1000,
            "start": "2025-01-01",
            "end": "2027-12-31",
        }
    ],
    "teams": [{"id": "core", "usd_per_person_day": 800, "capacity_person_days_per_month": 20}],
}


@pytest.fixture
def minimal() -> dict[str, Any]:
    """A fresh deep copy of a small valid estate mapping, safe to mutate."""
    return copy.deepcopy(MINIMAL)
