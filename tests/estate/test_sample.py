"""Tests for the bundled sample estate: it loads and has the advertised shape."""

from __future__ import annotations

from exitcost.estate import sample_estate
from exitcost.uncertainty import bounds, point


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


def test_every_sample_service_is_in_the_catalog() -> None:
    from exitcost.effort import load_catalog

    catalog = load_catalog()
    used = {svc.service for w in sample_estate().workloads for svc in w.services}
    assert used - set(catalog.ids) == set()


def test_sample_contracts_are_in_force_on_its_date() -> None:
    estate = sample_estate()
    assert all(c.start <= estate.as_of <= c.end for c in estate.contracts)


def test_resident_data_is_only_used_inside_its_jurisdictions() -> None:
    estate = sample_estate()
    for workload, _direction, flow in estate.iter_flows():
        residency = estate.dataset(flow.dataset).residency
        if residency:
            assert estate.location(workload.location).jurisdiction in residency, workload.id


def test_sites_hold_what_is_placed_on_them() -> None:
    """Each site's capacity covers its datasets and the most compute its workloads can need."""
    estate = sample_estate()
    for loc in estate.locations:
        if loc.capacity is None:
            continue
        stored = sum(bounds(d.size_gb)[1] for d in estate.datasets if d.location == loc.id)
        assert stored <= (loc.capacity.storage_gb or 0), loc.id
        for resource, have in (("vcpu", loc.capacity.vcpus), ("gpu", loc.capacity.gpus)):
            need = sum(
                bounds(use.quantity)[1]
                for w in estate.workloads
                if w.location == loc.id
                for use in w.compute
                if use.resource == resource
            )
            assert need <= (have or 0), (loc.id, resource)


def test_sample_header_says_what_it_represents() -> None:
    from exitcost._resources import data_dir

    header = (data_dir("estates") / "sample.yaml").read_text(encoding="utf-8").split("\n\n")[0]
    assert header.startswith('# exitcost sample estate: "Northwind Retail" -- FICTIONAL.')
    assert "2026-11-01" in header
    assert "# What it represents" in header
    assert "# Orders of magnitude" in header
