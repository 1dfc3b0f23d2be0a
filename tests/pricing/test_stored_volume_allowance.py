"""Free egress that grows with the stored volume (Backblaze B2's three times the data stored)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost.pricing import data_exit_cost, egress_cost

AS_OF = "2026-10-01"


def test_egress_cost_applies_b2_allowance_from_the_stored_volume() -> None:
    # Backblaze book (S): $0.01/GB; free about 30 GB a month (1 GB/day) plus 3x the stored
    # volume. 5,000 GB out with 1,000 GB stored: (5,000 - 30 - 3,000) x 0.01 = $19.70; without
    # the stored volume only the 30 GB are free: $49.70.
    with_stored = egress_cost(5000.0, source="backblaze:us-west", stored_gb=1000.0, as_of=AS_OF)
    assert with_stored == pytest.approx(19.70)
    assert egress_cost(5000.0, source="backblaze:us-west", as_of=AS_OF) == pytest.approx(49.70)


def test_egress_cost_agrees_with_data_exit_cost_for_b2() -> None:
    exit_egress = data_exit_cost(5000.0, source="backblaze:us-west", as_of=AS_OF)["egress"]
    direct = egress_cost(5000.0, source="backblaze:us-west", stored_gb=5000.0, as_of=AS_OF)
    assert exit_egress == pytest.approx(direct) == 0.0


@given(
    st.floats(0.0, 1e6, allow_nan=False),
    st.floats(0.0, 1e6, allow_nan=False),
    st.floats(0.0, 1e6, allow_nan=False),
)
@settings(max_examples=40)
def test_more_stored_data_never_costs_more_egress(volume: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    cheap = egress_cost(volume, source="backblaze:eu-central", stored_gb=high, as_of=AS_OF)
    dear = egress_cost(volume, source="backblaze:eu-central", stored_gb=low, as_of=AS_OF)
    assert 0.0 <= cheap <= dear + 1e-9


def test_stored_gb_must_be_a_number() -> None:
    with pytest.raises(ValueError, match="'stored_gb' parameter of egress_cost"):
        egress_cost(1.0, source="backblaze:us-west", stored_gb=-1.0, as_of=AS_OF)
