"""Hostile numbers against the public kernels: every outcome is finite and correct, or an error.

Arbitrary numbers, arrays, Series, NaN, infinities, huge and complex values go into egress,
storage, retrieval and data-exit costs, npv, irr, the tier kernel, size parsing and routing.
Each call either returns finite numbers or raises an ``ExitcostError`` (or a ``TypeError``
for a wrong type); never a NaN, an infinity, an OverflowError or a bare ValueError.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost import finance
from exitcost.errors import ExitcostError, PriceBookError
from exitcost.graph import CostGraph
from exitcost.pricing import (
    data_exit_cost,
    egress_cost,
    load_price_book,
    retrieval_cost,
    storage_cost,
    use_price_books,
)
from exitcost.pricing.tiers import tiered_cost
from exitcost.units import parse_size_gb
from tests.hostile.conftest import set_first, write_card

AS_OF = "2025-01-01"

SCALARS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e6),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([1e308, 1e300, 1e200, 2**63, 10**30, -0.0, 5e-324]),
    st.complex_numbers(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(st.one_of(st.floats(), st.integers(-(10**30), 10**30)), max_size=5).map(np.asarray),
    st.lists(st.floats(), max_size=5).map(lambda xs: pd.Series(xs, dtype="float64")),
    st.lists(st.complex_numbers(), min_size=1, max_size=3).map(np.asarray),
)


def _graph() -> CostGraph:
    graph = CostGraph()
    graph.add_location("aws:us-east-1", kind="cloud")
    graph.add_edge("aws:us-east-1", "internet", [(10_240, 0.09), (None, 0.085)])
    return graph


GRAPH = _graph()

KERNELS: dict[str, Callable[[Any], Any]] = {
    "egress": lambda v: egress_cost(v, source="aws:us-east-1", as_of=AS_OF),
    "storage": lambda v: storage_cost(v, location="aws:us-east-1", as_of=AS_OF),
    "retrieval": lambda v: retrieval_cost(
        v, location="aws:us-east-1", storage_class="infrequent", as_of=AS_OF
    ),
    "data exit": lambda v: data_exit_cost(v, source="aws:us-east-1", as_of=AS_OF),
    "npv rate": lambda v: finance.npv(v, [-100.0, 50.0, 60.0]),
    "npv flows": lambda v: finance.npv(0.01, v),
    "irr": finance.irr,
    "tiered cost": lambda v: tiered_cost(v, [0.0, 100.0], [0.1, 0.05]),
    "tier rates": lambda v: tiered_cost(100.0, [0.0, 100.0], [0.1, v]),
    "size parsing": parse_size_gb,
    "routing": lambda v: GRAPH.route("aws:us-east-1", "internet", v).cost_usd,
}


def _finite(result: Any) -> bool:
    values = result.to_numpy() if isinstance(result, pd.Series | pd.DataFrame) else result
    array = np.asarray(values, dtype=np.float64)
    return bool(np.all(np.isfinite(array)))


def _outcome(kernel: str, value: Any) -> Any:
    try:
        return KERNELS[kernel](value)
    except (ExitcostError, TypeError):
        return None


@pytest.mark.parametrize("kernel", [k for k in KERNELS if k != "irr"])
@settings(max_examples=25)
@given(value=VALUES)
def test_kernels_give_finite_results_or_clear_errors(kernel: str, value: Any) -> None:
    result = _outcome(kernel, value)
    if result is not None:
        assert _finite(result), f"{kernel}({value!r}) gave {result!r}"


@settings(max_examples=25)
@given(value=VALUES)
def test_irr_gives_a_rate_nan_for_no_root_or_a_clear_error(value: Any) -> None:
    # irr's documented answer for flows without a sign change is NaN, as numpy-financial's;
    # every rate it gives is a root: npv at it is zero relative to the flows' size.
    result = _outcome("irr", value)
    if result is None:
        return
    flows = np.asarray(value, dtype=np.float64)
    rate = float(result)
    if math.isnan(rate):
        return
    assert rate > -1
    if rate <= 1:
        scale = finance.npv(rate, np.abs(flows))
        assert abs(finance.npv(rate, flows)) <= 1e-6 * scale


@pytest.mark.parametrize(
    ("kernel", "value", "match"),
    [
        ("egress", 10**400, r"beyond the float range"),
        ("egress", complex(100, 1), r"real number"),
        ("egress", np.array([1.0, 2.0 + 1j]), r"real number"),
        ("storage", [1.0, math.inf], r"finite"),
        ("routing", math.nan, r"NaN"),
        ("npv rate", 8, r"looks like a percentage: write 0.08"),
        ("npv flows", [1e308, 1e308], r"overflow float64"),
        ("size parsing", "1e308 EB", r"finite size"),
        ("size parsing", 10**400, r"finite"),
    ],
)
def test_known_hostile_numbers_are_refused(kernel: str, value: Any, match: str) -> None:
    with pytest.raises(ExitcostError, match=match):
        KERNELS[kernel](value)


def test_a_price_of_1e308_per_gb_is_refused_when_the_book_loads(tmp_path: Path) -> None:
    card = write_card(tmp_path, "card.yaml", 1.0, effective_date="2026-11-30")
    set_first(card, "usd_per_gb", "1.0e+308")
    with pytest.raises(PriceBookError, match=r"usd_per_gb: must be at most 1,000 USD per GB"):
        load_price_book(path=card)


def test_a_costly_but_plausible_card_gives_finite_costs(tmp_path: Path) -> None:
    card = write_card(tmp_path, "card.yaml", 2_000.0, effective_date="2026-11-30")
    with use_price_books(card):  # up to $180 a GB: high, within the plausible range
        cost = egress_cost([0.0, 1e3, 1e6], source="aws:us-east-1", as_of="2026-12-01")
    assert np.all(np.isfinite(cost))
    assert cost[0] == 0.0


def test_the_largest_float_volume_gives_a_finite_cost() -> None:
    # 1e308 GB at 0.05 USD/GB stays within float range: a correct (absurd) number, not inf.
    cost = egress_cost(1e308, source="aws:us-east-1", as_of=AS_OF)
    assert math.isfinite(cost)
    assert cost == pytest.approx(1e308 * 0.05, rel=0.01)


def test_series_keep_their_index() -> None:
    volumes = pd.Series([0.0, 10.0], index=["jan", "feb"])
    cost = egress_cost(volumes, source="aws:us-east-1", as_of=AS_OF)
    assert list(cost.index) == ["jan", "feb"]
    assert np.all(np.isfinite(cost))
