"""Tests for the bundled sample estate: it loads and has the advertised shape."""

from __future__ import annotations

from exitcost.estate import sample_estate
from exitcost.uncertainty import point


def test_sample_loads_once_and_is_cached() -> None:
    assert sample_estate() is sample_estate()
    assert sample_estate().as_of.isoformat() == "2026-11-01"


def test_sample_shape() -> None:
    estate = sample_estate()
    assert 25 <= len(estate.workloads) <= 40
    assert 15 <= len(estate.datasets) <= 25
    assert 3 <= len(estate.teams) <= 5
    kinds = {w.kind for w in estate.workloads}
    assert {"web", "api", "database", "streaming", "analytics", "ml_training", "inference"} <= kinds
    assert {"batch"} <= kinds
    location_kinds = {loc.kind for loc in estate.locations}
    assert location_kinds == {"cloud", "onprem", "colo", "edge"}
    assert {"aws", "azure"} <= set(estate.providers)


def test_sample_data_sizes_span_gb_to_pb() -> None:
    sizes = [point(d.size_gb) for d in sample_estate().datasets]
    assert min(sizes) < 100  # tens of GB
    assert 1024**2 <= max(sizes) <= 2.5 * 1024**2  # about 2 PB (billing GB, units.py)
    classes = {d.storage_class for d in sample_estate().datasets}
    assert {"archive", "deep_archive", "standard", "infrequent"} <= classes
    archives = [d for d in sample_estate().datasets if d.storage_class.endswith("archive")]
    assert all(d.object_count for d in archives)


def test_sample_has_eu_residency_in_eu_regions() -> None:
    estate = sample_estate()
    eu = {d.location for d in estate.datasets if "EU" in d.residency}
    assert {"aws:eu-west-1", "aws:eu-central-1", "azure:westeurope"} <= eu


def test_sample_contracts_and_gpu_workloads() -> None:
    estate = sample_estate()
    kinds = [c.kind for c in estate.contracts]
    assert kinds.count("minimum_spend") == 1
    assert "reserved_capacity" in kinds
    assert "savings_plan" in kinds
    assert any(c.provider == "azure" for c in estate.contracts)
    gpu_sites = {
        estate.location(w.location).kind
        for w in estate.workloads
        if any(c.resource == "gpu" for c in w.compute)
    }
    assert {"cloud", "edge"} <= gpu_sites
    assert all(400 <= t.usd_per_person_day <= 1200 for t in estate.teams)


def test_sample_cloud_spend_is_plausible() -> None:
    """The header says cloud compute is about $490k/month; total cloud spend $450-600k."""
    estate = sample_estate()
    cloud = sum(
        point(w.compute_usd_per_month)
        for w in estate.workloads
        if estate.location(w.location).kind == "cloud"
    )
    assert 420_000 <= cloud <= 560_000


def test_sample_round_trips_through_every_format() -> None:
    estate = sample_estate()
    assert type(estate).from_dict(estate.to_dict()) == estate
    assert type(estate).model_validate_json(estate.to_json()) == estate
    assert type(estate).from_frames(estate.to_frames()) == estate
