"""Tests for exitcost.checks: an estate against the price books and the service catalog."""

from __future__ import annotations

import contextlib
import copy
import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exitcost import check_estate, exit_case, sample_estate
from exitcost.checks import analysis_gaps
from exitcost.cli import demo_text, main
from exitcost.estate import Estate, estate_from_dict
from exitcost.pricing.policy import pricing_policy


def test_sample_estate_is_clean() -> None:
    assert check_estate(sample_estate()) == []


def test_unknown_service_suggests_close_ids() -> None:
    data = sample_estate().to_dict()
    data["workloads"][0]["services"][0] = "aws.elasticach"  # typo of aws.elasticache
    estate = type(sample_estate()).from_dict(data)
    (problem,) = check_estate(estate)
    assert problem.path == "workloads[0].services[0].service"
    assert problem.value == "aws.elasticach"
    assert "did you mean 'aws.elasticache'" in problem.message


def test_contract_provider_near_miss_only() -> None:
    data = sample_estate().to_dict()
    data["contracts"][0]["provider"] = "azur"  # near miss of azure
    estate = type(sample_estate()).from_dict(data)
    (problem,) = check_estate(estate)
    assert problem.path == "contracts[0].provider"
    assert "'azure' does" in problem.message
    # A provider unlike any of the estate's (a software vendor) is not a problem.
    assert any(c.provider == "erpvendor" for c in sample_estate().contracts)


def test_locations_are_checked_too() -> None:
    data = sample_estate().to_dict()
    data["locations"][0]["jurisdiction"] = "UK"  # aws:us-east-1 is in the US
    estate = type(sample_estate()).from_dict(data)
    paths = [p.path for p in check_estate(estate)]
    assert paths == ["locations[0].jurisdiction"]


def test_storage_class_not_priced_at_the_location() -> None:
    # The bundled Azure book lists Archive in polandcentral as unpublished; an 'archive'
    # dataset there would make the exit bill fail, so validation reports it with its path.
    data = sample_estate().to_dict()
    data["locations"].append(
        {"id": "azure:polandcentral", "kind": "cloud", "continent": "europe", "jurisdiction": "EU"}
    )
    data["datasets"].append(
        {
            "id": "cold-copy",
            "location": "azure:polandcentral",
            "size_gb": 100,
            "storage_class": "archive",
        }
    )
    estate = type(sample_estate()).from_dict(data)
    (problem,) = check_estate(estate)
    assert problem.path == f"datasets[{len(data['datasets']) - 1}].storage_class"
    assert problem.value == "archive"


# --- analysis_gaps: validate says which questions the demo cannot answer -------------------

EDGE_BASE: dict[str, Any] = {
    "schema_version": 1,
    "name": "edge",
    "as_of": "2026-11-01",
    "locations": [
        {"id": "aws:us-east-1", "continent": "north_america", "jurisdiction": "US"},
        {"id": "gcp:europe-west4", "continent": "europe", "jurisdiction": "EU"},
        {"id": "onprem:fra1", "kind": "onprem", "continent": "europe", "jurisdiction": "EU"},
    ],
    "datasets": [
        {"id": "lake", "location": "aws:us-east-1", "size_gb": 1024},
        {"id": "bucket", "location": "gcp:europe-west4", "size_gb": 2048},
    ],
    "workloads": [
        {
            "id": "app",
            "location": "aws:us-east-1",
            "compute_usd_per_month": 1000,
            "reads": [{"dataset": "lake", "gb_per_month": 100}],
        }
    ],
}
# gcp asia-northeast1: Premium Tier internet egress unpublished in the gcp book of 2026-12-01.
TOKYO = {"id": "gcp:asia-northeast1", "continent": "asia", "jurisdiction": "JP"}


def edge(**changes: Any) -> Estate:
    data = copy.deepcopy(EDGE_BASE)
    data.update(changes)
    return estate_from_dict(data)


EDGE_ESTATES: dict[str, Callable[[], Estate]] = {
    "a provider holding only data": lambda: edge(),
    "no workloads": lambda: edge(workloads=[]),
    "no datasets": lambda: edge(datasets=[], workloads=[EDGE_BASE["workloads"][0] | {"reads": []}]),
    "no cloud": lambda: edge(
        locations=[EDGE_BASE["locations"][2]],
        datasets=[{"id": "disk", "location": "onprem:fra1", "size_gb": 10}],
        workloads=[{"id": "erp", "location": "onprem:fra1", "compute_usd_per_month": 10}],
    ),
    "unpublished egress": lambda: edge(
        as_of="2026-12-02",
        locations=[*EDGE_BASE["locations"], TOKYO],
        datasets=[*EDGE_BASE["datasets"], {"id": "t", "location": TOKYO["id"], "size_gb": 100}],
    ),
    "near the end of the calendar": lambda: edge(as_of="2199-01-01"),
}


def unanswered(text: str) -> list[str]:
    return [line for line in text.splitlines() if "cannot be answered" in line]


@pytest.mark.parametrize("name", list(EDGE_ESTATES))
def test_validate_accepting_means_the_demo_answers_every_section(name: str) -> None:
    estate = EDGE_ESTATES[name]()
    assert check_estate(estate) == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gaps = analysis_gaps(estate)
        missing = unanswered(demo_text(estate))
    if not gaps:
        assert missing == [], f"{name}: validate saw no gap but the demo left {missing}"
    if missing:
        assert gaps, f"{name}: the demo left {missing} but validate reported nothing"


def test_an_estate_without_a_cloud_has_no_exit_to_price() -> None:
    (gap,) = analysis_gaps(EDGE_ESTATES["no cloud"]())
    assert gap.path == "locations"
    assert "no location is a cloud" in gap.message


def test_an_unpublished_egress_price_is_a_gap_unless_the_policy_borrows_it() -> None:
    estate = EDGE_ESTATES["unpublished egress"]()
    gaps = analysis_gaps(estate)
    assert [g.value for g in gaps] == ["gcp:asia-northeast1"]
    assert "--fallback nearest" in gaps[0].message
    with pricing_policy(fallback="nearest"):
        assert analysis_gaps(estate) == []


def test_a_provider_holding_only_data_is_left_as_a_data_exit() -> None:
    estate = EDGE_ESTATES["a provider holding only data"]()
    assert analysis_gaps(estate) == []
    bill = exit_case(estate, "gcp", n_scenarios=0).exit_bill["expected_usd"]
    assert bill["egress"] > 0  # the data leaves; there is no labour to re-platform
    assert bill.get("labour", 0.0) == 0.0


def test_validate_prints_the_unanswered_questions_and_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "own.yaml"
    EDGE_ESTATES["no cloud"]().to_yaml(path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["validate", str(path)])
    assert status == 0
    assert "1 question the analyses cannot answer" in out.getvalue()
    assert "no location is a cloud" in out.getvalue()
