"""Estates for the engine's tests: a small hand-worked one and generated large ones."""

from __future__ import annotations

from typing import Any

from exitcost.estate import Estate
from exitcost.model import EngineDefaults, load_engine_defaults


def no_drift_defaults() -> EngineDefaults:
    """The bundled engine defaults with list prices held flat (so kernels can be compared)."""
    d = load_engine_defaults()
    flat = d.price_drift_per_year.model_copy(
        update={"compute": (0.0, 0.0), "storage": (0.0, 0.0), "egress": (0.0, 0.0)}
    )
    return d.model_copy(update={"price_drift_per_year": flat})


def hand_estate(
    *,
    size_gb: float = 10_240.0,
    growth_rate_per_month: float = 0.01,
    internet_egress_gb_per_month: float = 20_000.0,
    read_gb_per_month: float = 500.0,
    contracts: list[dict[str, Any]] | None = None,
) -> Estate:
    """One AWS region with one workload reading one dataset, one team; values to hand-check."""
    return Estate.model_validate(
        {
            "name": "hand-worked",
            "as_of": "2026-11-01",
            "locations": [
                {
                    "id": "aws:us-east-1",
                    "kind": "cloud",
                    "continent": "north_america",
                    "jurisdiction": "US",
                }
            ],
            "teams": [
                {"id": "core", "usd_per_person_day": 800, "capacity_person_days_per_month": 40}
            ],
            "datasets": [
                {
                    "id": "lake",
                    "location": "aws:us-east-1",
                    "size_gb": size_gb,
                    "growth_rate_per_month": growth_rate_per_month,
                    "object_count": 1_000_000,
                }
            ],
            "workloads": [
                {
                    "id": "web",
                    "location": "aws:us-east-1",
                    "team": "core",
                    "kind": "web",
                    "instances": 10,
                    "strategy": "rehost",
                    "compute_usd_per_month": 4_000.0,
                    "internet_egress_gb_per_month": internet_egress_gb_per_month,
                    "reads": [{"dataset": "lake", "gb_per_month": read_gb_per_month}],
                }
            ],
            "contracts": contracts or [],
        }
    )


def generated_estate(n_workloads: int) -> Estate:
    """An estate of ``n_workloads`` workloads, each with a dataset, over four AWS regions."""
    regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]
    locations = [
        {
            "id": f"aws:{r}",
            "kind": "cloud",
            "continent": "europe" if r.startswith("eu") else "north_america",
            "jurisdiction": "EU" if r.startswith("eu") else "US",
        }
        for r in regions
    ]
    datasets = []
    workloads = []
    for i in range(n_workloads):  # building test data, not library code
        loc = f"aws:{regions[i % len(regions)]}"
        datasets.append(
            {
                "id": f"d{i}",
                "location": loc,
                "size_gb": f"pert({100 + i}, {200 + i}, {400 + i})",
                "growth_rate_per_month": 0.01,
            }
        )
        workloads.append(
            {
                "id": f"w{i}",
                "location": loc,
                "team": f"t{i % 10}",
                "kind": "api",
                "instances": 2,
                "strategy": "rehost",
                "compute_usd_per_month": 1000.0 + i,
                "internet_egress_gb_per_month": 50.0,
                "reads": [{"dataset": f"d{i}", "gb_per_month": 10.0}],
            }
        )
    return Estate.model_validate(
        {
            "name": f"generated-{n_workloads}",
            "as_of": "2026-11-01",
            "locations": locations,
            "teams": [
                {"id": f"t{k}", "usd_per_person_day": 800, "capacity_person_days_per_month": 100}
                for k in range(10)
            ],
            "datasets": datasets,
            "workloads": workloads,
        }
    )
