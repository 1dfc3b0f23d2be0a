"""Tests for exitcost.estate.frames: DataFrame tables and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from exitcost.errors import EstateError
from exitcost.estate import TABLE_COLUMNS, Estate
from exitcost.estate.frames import format_quantity
from exitcost.uncertainty import Normal, Pert, Triangular, Uniform
from tests.estate.strategies import estates


@given(estates())
def test_frames_round_trip_is_lossless(estate: Estate) -> None:
    frames = estate.to_frames()
    assert set(frames) == set(TABLE_COLUMNS)
    for name, frame in frames.items():
        assert tuple(frame.columns) == TABLE_COLUMNS[name]
    assert Estate.from_frames(frames) == estate
    assert Estate.from_frames(**frames) == estate


@given(estates())
def test_frame_row_counts_match_the_estate(estate: Estate) -> None:
    frames = estate.to_frames()
    assert len(frames["estate"]) == 1
    assert len(frames["flows"]) == sum(len(w.reads) + len(w.writes) for w in estate.workloads)
    assert len(frames["services"]) == sum(len(w.services) for w in estate.workloads)
    assert len(frames["compute"]) == sum(len(w.compute) for w in estate.workloads)


@pytest.mark.parametrize(
    "dist",
    [
        Pert(low=0.0123456789, mode=0.02, high=1e-3 + 0.05),
        Pert(low=1, mode=2, high=3, lamb=6.5),
        Triangular(low=1e-7, mode=3.3, high=1e20),
        Uniform(low=0.1, high=0.7),
        Normal(mu=10.1, sd=2, low=0.25),
    ],
)
def test_distribution_cells_parse_back_exactly(dist: Any) -> None:
    from exitcost.uncertainty import parse_distribution

    assert parse_distribution(format_quantity(dist)) == dist


def test_errors_name_table_and_row(minimal: dict[str, Any]) -> None:
    frames = Estate.from_dict(minimal).to_frames()
    flows = frames["flows"].copy()
    flows.loc[1, "dataset"] = "gone"
    flows.loc[0, "gb_per_month"] = -3.0
    datasets = frames["datasets"].copy()
    datasets["size_gb"] = datasets["size_gb"].astype(object)
    datasets.loc[1, "size_gb"] = np.inf
    with pytest.raises(EstateError, match=r"estate tables") as exc:
        Estate.from_frames({**frames, "flows": flows, "datasets": datasets})
    paths = {p.path: p.value for p in exc.value.problems}
    assert paths["flows[row 1].dataset"] == "gone"
    assert paths["flows[row 0].gb_per_month"] == -3.0
    assert paths["datasets[row 1].size_gb"] == np.inf


def test_unknown_tables_columns_and_workloads(minimal: dict[str, Any]) -> None:
    frames = Estate.from_dict(minimal).to_frames()
    services = pd.concat(
        [frames["services"], pd.DataFrame({"workload": ["ghost"], "service": ["aws.s3"]})],
        ignore_index=True,
    )
    teams = frames["teams"].assign(salary=1)
    with pytest.raises(EstateError, match=r"services\[row 2\]\.workload: unknown workload 'ghost'"):
        Estate.from_frames(frames, services=services)
    with pytest.raises(EstateError, match=r"teams\.salary: unknown column in table 'teams'"):
        Estate.from_frames(frames, teams=teams)
    with pytest.raises(EstateError, match=r"widgets: unknown table; valid: 'compute'"):
        Estate.from_frames(frames, widgets=pd.DataFrame())
    flows = frames["flows"].assign(direction="sideways")
    with pytest.raises(EstateError, match=r"flows\[row 0\]\.direction: must be one of 'read'"):
        Estate.from_frames(frames, flows=flows)
    with pytest.raises(EstateError, match=r"estate: the one-row 'estate' table is required"):
        Estate.from_frames({k: v for k, v in frames.items() if k != "estate"})


def test_capacity_errors_point_at_their_column(minimal: dict[str, Any]) -> None:
    minimal["locations"][2]["capacity"] = {"racks": 4}
    frames = Estate.from_dict(minimal).to_frames()
    locations = frames["locations"].copy()
    locations["capacity_racks"] = locations["capacity_racks"].astype(object)
    locations.loc[2, "capacity_racks"] = -1
    with pytest.raises(EstateError, match=r"locations\[row 2\]\.capacity_racks: must be >= 0"):
        Estate.from_frames(frames, locations=locations)


def test_spreadsheet_style_tables() -> None:
    """Tables as a user would type them: dates as Timestamps, NaN for empty cells, lists as text."""
    estate = Estate.from_frames(
        estate=pd.DataFrame({"name": ["sheet"], "as_of": [pd.Timestamp("2026-11-01")]}),
        locations=pd.DataFrame(
            {
                "id": ["aws:eu-west-1", "onprem:fra1"],
                "continent": ["europe", "europe"],
                "jurisdiction": ["EU", "EU"],
                "capacity_racks": [np.nan, 12.0],
            }
        ),
        datasets=pd.DataFrame(
            {
                "id": ["a", "b"],
                "location": ["aws:eu-west-1", "onprem:fra1"],
                "size_gb": ["1 PB", "pert(10, 20, 45)"],
                "residency": ["EU; CH", np.nan],
                "object_count": pd.array([5, None], dtype="Int64"),
            }
        ),
        contracts=pd.DataFrame(
            {
                "id": ["c"],
                "kind": ["license"],
                "provider": ["aws"],
                "usd_per_month": [10],
                "start": [pd.Timestamp("2026-01-01")],
                "end": [dt.date(2026, 12, 31)],
            }
        ),
    )
    assert estate.as_of == dt.date(2026, 11, 1)
    assert estate.location("aws:eu-west-1").capacity is None
    assert estate.location("onprem:fra1").capacity is not None
    assert estate.dataset("a").residency == ("EU", "CH")
    assert estate.dataset("a").size_gb == 1024.0**2
    assert estate.dataset("b").object_count is None
    assert estate.contract("c").start == dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "path", "message"),
    [
        ("datasets", 0, "location", None, "datasets[row 0].location", "required field is missing"),
        ("workloads", 1, "location", "aws:mars-1", "workloads[row 1].location", "unknown location"),
        ("datasets", 1, "size_gb", -2.0, "datasets[row 1].size_gb", "must be >= 0"),
        ("workloads", 0, "code_kloc", np.inf, "workloads[row 0].code_kloc", "finite"),
        ("teams", 0, "usd_per_person_day", "lots", "teams[row 0].usd_per_person_day", "number"),
        ("workloads", 1, "id", "web", "workloads[row 1].id", "duplicate workload id"),
        ("flows", 0, "dataset", "gone", "flows[row 0].dataset", "unknown dataset; valid:"),
        ("compute", 0, "workload", "ghost", "compute[row 0].workload", "unknown workload"),
    ],
)
def test_invalid_cells_name_table_row_and_value(
    minimal: dict[str, Any], table: str, row: int, column: str, value: Any, path: str, message: str
) -> None:
    minimal["workloads"][0]["compute"] = [{"resource": "vcpu", "quantity": 4}]
    frames = Estate.from_dict(minimal).to_frames()
    frame = frames[table].copy()
    frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value
    with pytest.raises(EstateError, match=r"in estate tables") as info:
        Estate.from_frames({**frames, table: frame})
    found = [p for p in info.value.problems if p.path == path]
    assert found, str(info.value)
    assert message in found[0].message
    if value is not None:
        assert found[0].value == value


def test_a_bad_estate_table_is_reported_once(minimal: dict[str, Any]) -> None:
    # Two rows in the one-row 'estate' table used to add "name: required field is missing" and
    # "as_of: required field is missing" to the real problem.
    frames = Estate.from_dict(minimal).to_frames()
    two = pd.concat([frames["estate"]] * 2, ignore_index=True)
    with pytest.raises(
        EstateError, match=r"^1 problem in estate tables:\n  - estate: the 'estate'"
    ):
        Estate.from_frames(frames, estate=two)


def test_empty_cells_and_types_survive_the_round_trip(minimal: dict[str, Any]) -> None:
    """None, 0 and "" stay distinct; ints stay ints; empty tuples stay empty."""
    minimal["locations"][2]["capacity"] = {"gpus": 0, "racks": 4}
    minimal["locations"][1]["account"] = ""
    minimal["datasets"][0].update({"object_count": 0, "description": ""})
    minimal["datasets"][1]["object_count"] = 2**63 - 1
    minimal["workloads"][0]["compute"] = [{"resource": "gpu", "quantity": 0, "gpu_model": ""}]
    estate = Estate.from_dict(minimal)
    frames = estate.to_frames()
    assert frames["datasets"]["object_count"].dtype == "Int64"
    back = Estate.from_frames(frames)
    assert back == estate
    assert back.location("onprem:fra1").capacity.model_dump() == {  # type: ignore[union-attr]
        "vcpus": None,
        "memory_gib": None,
        "gpus": 0.0,
        "storage_gb": None,
        "power_kw": None,
        "racks": 4.0,
    }
    assert back.location("aws:eu-west-1").account == ""
    assert back.location("aws:us-east-1").account is None
    assert back.dataset("lake").object_count == 0
    assert back.dataset("eu-db").object_count == 2**63 - 1
    assert back.dataset("lake").residency == ()
    assert back.workload("web").compute[0].gpu_model == ""
    assert back.workload("etl").compute == ()
