"""Estate locations checked against the price books (exitcost.pricing.locations)."""

from __future__ import annotations

from exitcost.estate import Estate, sample_estate
from exitcost.pricing import check_estate_locations


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
