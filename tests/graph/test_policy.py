"""The cost graph prices through the pricing policy: strict by default, borrowing when asked."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from exitcost.errors import InvalidParameterError, PriceBookError
from exitcost.estate import Estate, estate_from_dict
from exitcost.graph import CostGraph, gravity
from exitcost.pricing.policy import PricingPolicy, pricing_policy, recording

# The gcp book of 2026-12-01 lists asia-northeast1's Premium Tier internet egress as
# unpublished (its catalog bands do not fall with volume); asia-southeast1 is priced.
UNPUBLISHED = "gcp:asia-northeast1"
PRICED = "gcp:asia-southeast1"


def tokyo_estate() -> Estate:
    data: dict[str, Any] = {
        "schema_version": 1,
        "name": "tokyo",
        "as_of": "2026-12-02",
        "locations": [
            {"id": UNPUBLISHED, "continent": "asia", "jurisdiction": "JP"},
            {"id": PRICED, "continent": "asia", "jurisdiction": "SG"},
        ],
        "datasets": [{"id": "lake", "location": UNPUBLISHED, "size_gb": 1024}],
        "workloads": [
            {
                "id": "app",
                "location": PRICED,
                "compute_usd_per_month": 100,
                "reads": [{"dataset": "lake", "gb_per_month": 200}],
            }
        ],
    }
    return estate_from_dict(data)


def test_gravity_refuses_an_unpublished_egress_price_by_default() -> None:
    with pytest.raises(PriceBookError, match=r"asia-northeast1.*unpublished.*fallback='nearest'"):
        gravity(tokyo_estate())


def test_gravity_borrows_the_nearest_price_when_asked() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = gravity(tokyo_estate(), fallback="nearest")
    assert np.isfinite(result.locations["data_mass_gb"]).all()
    assert result.locations.set_index("location").loc[UNPUBLISHED, "data_mass_gb"] == 1024


def test_a_policy_block_reaches_the_graph_and_records_the_borrowed_price() -> None:
    with pricing_policy(fallback="nearest"), recording() as adjustments:
        graph = CostGraph.from_estate(tokyo_estate())
    assert UNPUBLISHED in graph.graph
    borrowed = [a for a in adjustments if a.location == UNPUBLISHED]
    assert borrowed, "the borrowed egress price is recorded on every build, cached or not"
    assert borrowed[0].label == "R"


def test_the_policy_is_part_of_the_graph_cache_key() -> None:
    # Built once with the fallback, the same locations and date must still fail strictly.
    estate = tokyo_estate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pricing_policy(PricingPolicy(fallback="nearest")):
            CostGraph.from_estate(estate)
    with pytest.raises(PriceBookError):
        CostGraph.from_estate(estate)


def test_gravity_refuses_an_unknown_fallback() -> None:
    with pytest.raises(InvalidParameterError, match="fallback"):
        gravity(tokyo_estate(), fallback="farthest")
