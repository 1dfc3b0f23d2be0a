"""Estate locations and storage classes checked against the price books (pricing.locations).

Reference facts: OCI 2026-09-20 prices no storage; GCP prices only ``standard`` storage in
europe-west4 (data/pricing/*/).
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace as NS
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import (
    InvalidParameterError,
    PriceBookError,
)
from exitcost.estate import Estate, sample_estate
from exitcost.pricing import (
    check_estate_locations,
    check_estate_storage,
    exit_bill,
)


def test_an_unknown_region_gets_did_you_mean_and_every_valid_name() -> None:
    data = sample_estate().to_dict()
    data["locations"].append(
        {"id": "aws:eu-west-9", "kind": "cloud", "continent": "europe", "jurisdiction": "EU"}
    )
    (problem,) = check_estate_locations(Estate.from_dict(data))
    assert problem.path == "locations[13].id"
    assert "did you mean 'aws:eu-west-3', 'aws:eu-west-2' or 'aws:eu-west-1'? Valid: " in (
        problem.message
    )
    assert "in all" not in problem.message  # every valid region, not the first 12
    assert "'aws:us-west-2'" in problem.message


def storage_estate(*datasets: tuple[str, str, str]) -> Any:
    locations = {loc for _, loc, _ in datasets}
    return NS(
        as_of=dt.date(2026, 11, 1),
        locations=[NS(id=loc, kind="cloud", billing_account="a", jurisdiction="EU",
                      continent="europe") for loc in sorted(locations)],
        datasets=[NS(id=i, location=loc, size_gb=1_000.0, storage_class=k, object_count=None,
                     growth_rate_per_month=0.0) for i, loc, k in datasets],
    )  # fmt: skip


def test_check_estate_storage_paths_and_messages() -> None:
    est = storage_estate(
        ("fine", "gcp:europe-west4", "standard"),
        ("old", "azure:polandcentral", "archive"),
        ("lax", "aws:us-west-2-lax-1", "standard"),
        ("blob", "azure:westeurope", "cold"),
    )
    problems = check_estate_storage(est)
    assert [(p.path, p.value) for p in problems] == [
        ("datasets[1].storage_class", "archive"),
        ("datasets[2].storage_class", "standard"),
    ]
    assert "dataset 'old'" in problems[0].message
    assert "the azure price book (2026-10-31)" in problems[0].message
    assert "classes priced there: 'cold', 'infrequent', 'standard'" in problems[0].message
    assert "dataset 'lax'" in problems[1].message
    assert "classes priced there: none" in problems[1].message
    assert check_estate_storage(sample_estate()) == []


def test_check_estate_storage_leaves_bad_locations_to_the_location_check() -> None:
    est = storage_estate(("x", "aws:mars-1", "cold"), ("y", "foo:bar", "cold"))
    assert check_estate_storage(est) == []
    assert [p.path for p in check_estate_locations(est)] == ["locations[0].id", "locations[1].id"]
    with pytest.raises(InvalidParameterError, match=r"'as_of' parameter of check_estate_storage"):
        check_estate_storage(est, as_of="soon")


def test_exit_bill_names_the_dataset() -> None:
    est = storage_estate(
        ("fine", "gcp:europe-west4", "standard"), ("old", "azure:polandcentral", "archive")
    )
    with pytest.raises(
        PriceBookError,
        match=r"datasets\[1\]\.storage_class: dataset 'old' at 'azure:polandcentral' cannot "
        r"be priced: The azure price book \(2026-10-31\) has no 'archive' storage price",
    ):
        exit_bill(est)
    # the error text agrees with what check_estate_storage reports
    assert [p.path for p in check_estate_storage(est)] == ["datasets[1].storage_class"]


@given(
    region=st.sampled_from(["us-central1", "europe-west1", "europe-west4", "us-east1"]),
    storage_class=st.sampled_from(["standard", "infrequent", "cold", "archive", "deep_archive"]),
)
def test_check_agrees_with_the_bill(region: str, storage_class: str) -> None:
    est = storage_estate(("d", f"gcp:{region}", storage_class))
    problems = check_estate_storage(est)
    if problems:
        assert len(problems) == 1
        with pytest.raises(PriceBookError, match=rf"^{re.escape(problems[0].path)}: dataset 'd'"):
            exit_bill(est)
    else:
        assert exit_bill(est).loc[0, "size_gb"] == 1_000.0


def test_check_estate_locations_paths() -> None:
    def loc(id_: str, continent: str, jurisdiction: str, kind: str = "cloud") -> NS:
        return NS(id=id_, kind=kind, continent=continent, jurisdiction=jurisdiction)

    est = NS(
        as_of=dt.date(2026, 11, 1),
        locations=[
            loc("aws:mars-1", "europe", "EU"),
            loc("foo:bar", "europe", "EU"),
            loc("aws:us-east-1", "europe", "EU"),
            loc("aws:eu-central-1", "europe", "DE"),  # a member state agrees with EU
            loc("onprem:fra1", "europe", "DE", "onprem"),
            loc("hetzner:fsn1", "europe", "DE", "colo"),  # a site without a book: not checked
        ],
    )
    problems = check_estate_locations(est)
    assert [p.path for p in problems] == [
        "locations[0].id",
        "locations[1].id",
        "locations[2].continent",
        "locations[2].jurisdiction",
    ]
    assert "'mars-1' is not in the aws price book" in problems[0].message
    assert "valid: 'aws:af-south-1'" in problems[0].message  # lists valid ids
    assert "'foo' has no price book" in problems[1].message
    assert "'north_america'" in problems[2].message
    assert "'US'" in problems[3].message
    early = check_estate_locations(est, as_of="2020-01-01")
    assert "No aws price book is in effect on 2020-01-01" in early[0].message
    assert check_estate_locations(sample_estate()) == []
