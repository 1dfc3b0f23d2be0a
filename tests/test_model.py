"""Tests for exitcost.model: the estate compiled once to plain arrays."""

from __future__ import annotations

import numpy as np
import pytest

import exitcost.model as model_module
from exitcost.errors import InvalidParameterError
from exitcost.estate import sample_estate
from exitcost.model import STORAGE_CLASSES, Model, as_model, compile, load_engine_defaults
from exitcost.uncertainty import point
from tests.engine.conftest import generated_estate, hand_estate

SAMPLE = sample_estate()


def test_compile_gives_arrays_with_one_entry_per_element() -> None:
    m = compile(SAMPLE)
    assert m.location_ids == tuple(loc.id for loc in SAMPLE.locations)
    assert m.dataset_ids == tuple(d.id for d in SAMPLE.datasets)
    assert m.workload_ids == tuple(w.id for w in SAMPLE.workloads)
    n_d, n_w = len(SAMPLE.datasets), len(SAMPLE.workloads)
    for name in (
        "dataset_location",
        "dataset_size_gb",
        "dataset_growth_rate_per_month",
        "dataset_storage_class",
        "dataset_objects",
    ):
        assert getattr(m, name).shape == (n_d,), name
    for name in (
        "workload_location",
        "workload_compute_usd_per_month",
        "workload_vcpus",
        "workload_labour_usd",
        "workload_start_month",
        "workload_dual_running_usd",
    ):
        assert getattr(m, name).shape == (n_w,), name
    n_flows = sum(len(w.reads) + len(w.writes) for w in SAMPLE.workloads)
    assert m.flow_gb_per_month.shape == m.flow_workload.shape == (n_flows,)
    assert m.prices.storage_edges_gb.shape[:2] == (len(m.location_ids), len(STORAGE_CLASSES))


def test_compile_takes_expected_values_and_ids_point_at_the_right_location() -> None:
    m = compile(SAMPLE)
    for i, d in enumerate(SAMPLE.datasets):
        assert m.location_ids[m.dataset_location[i]] == d.location
        assert m.dataset_size_gb[i] == pytest.approx(point(d.size_gb))
    for i, w in enumerate(SAMPLE.workloads):
        assert m.location_ids[m.workload_location[i]] == w.location


def test_compile_loads_each_providers_book_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = model_module.load_price_book

    def counting(provider: str, **kwargs: object) -> object:
        calls.append(provider)
        return real(provider, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(model_module, "load_price_book", counting)
    compile(SAMPLE)
    assert sorted(calls) == sorted(set(calls))
    assert {"aws", "azure"} <= set(calls)


def test_compile_handles_a_thousand_workloads() -> None:
    m = compile(generated_estate(1000))
    assert m.n_workloads == 1000
    assert m.n_datasets == 1000
    assert np.isfinite(m.workload_labour_usd).all()
    assert len(m.inputs) == 1000  # one uncertain size per dataset


def test_the_model_is_frozen() -> None:
    m = compile(hand_estate())
    with pytest.raises(AttributeError, match="cannot assign"):
        m.name = "x"  # type: ignore[misc]


def test_uncertain_inputs_carry_range_and_source() -> None:
    m = compile(SAMPLE)
    sizes = [x for x in m.inputs if x.target == "dataset_size_gb"]
    growth = [x for x in m.inputs if x.target == "dataset_growth_rate_per_month"]
    assert growth, "the sample states growth as distributions"
    for x in sizes + growth:
        assert x.low <= x.mean <= x.high
        assert x.source == "estate"


def test_with_locations_prices_a_target_cloud_region() -> None:
    m = compile(SAMPLE).with_locations(["gcp:europe-west4", "colo:new"])
    assert m.location_kind[-2:] == ("cloud", "colo")
    assert m.prices.storage_priced[-2, 0]
    assert m.location_jurisdiction[-2] == "EU"


def test_as_model_refuses_other_things() -> None:
    assert isinstance(as_model(hand_estate()), Model)
    with pytest.raises(InvalidParameterError, match="must be an exitcost Estate or a compiled"):
        as_model({"name": "x"})  # type: ignore[arg-type]


def test_engine_defaults_state_the_reference_class_overrun() -> None:
    d = load_engine_defaults()
    # Flyvbjerg & Budzier 2011 (effort-facts.md section 3): one IT project in six is a black swan
    assert d.overrun.black_swan_probability == pytest.approx(1 / 6, abs=1e-3)
    assert "Flyvbjerg" in d.overrun.source
