"""A location's continent and jurisdiction: taken from the price books when left out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.checks import check_estate
from exitcost.errors import EstateError
from exitcost.estate import estate_from_dict
from exitcost.estate.model import Location
from exitcost.pricing.books import load_price_book

GCP = load_price_book("gcp", as_of=dt.date(2026, 12, 2))


def estate_with(location: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "name": "geo", "as_of": "2026-11-01", "locations": [location]}


@settings(max_examples=15)
@given(region=st.sampled_from(sorted(GCP.regions)))
def test_a_known_region_takes_its_books_geography(region: str) -> None:
    loc = Location(id=f"gcp:{region}")  # type: ignore[call-arg]
    meta = GCP.regions[region]
    assert (loc.continent, loc.jurisdiction) == (meta.continent, meta.jurisdiction)


def test_one_given_field_is_kept_and_the_other_filled() -> None:
    loc = Location(id="aws:eu-central-1", jurisdiction="DE")  # type: ignore[call-arg]
    assert (loc.continent, loc.jurisdiction) == ("europe", "DE")


def test_an_estate_file_may_leave_both_out() -> None:
    estate = estate_from_dict(estate_with({"id": "azure:westeurope"}))
    (loc,) = estate.locations
    assert (loc.continent, loc.jurisdiction) == ("europe", "EU")
    assert check_estate(estate) == []


def test_a_given_field_is_still_checked_against_the_book() -> None:
    estate = estate_from_dict(estate_with({"id": "gcp:europe-west4", "continent": "asia"}))
    (problem,) = check_estate(estate)
    assert problem.path == "locations[0].continent"
    assert problem.value == "asia"


@pytest.mark.parametrize("location_id", ["onprem:fra1", "aws:mars-1"])
def test_a_location_the_books_do_not_know_must_state_both(location_id: str) -> None:
    with pytest.raises(EstateError, match=r"continent: required field is missing"):
        estate_from_dict(estate_with({"id": location_id}))


def test_a_given_field_is_still_validated() -> None:
    with pytest.raises(EstateError, match=r"jurisdiction"):
        estate_from_dict(estate_with({"id": "gcp:europe-west4", "jurisdiction": "eu"}))
