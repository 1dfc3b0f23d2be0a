"""Renamed keywords keep working for one release: the old name gives the same answer and a
FutureWarning naming the new one; both names at once are refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from exitcost import finance
from exitcost.case import exit_case
from exitcost.effort import stranded_by_exit_month
from exitcost.errors import InvalidParameterError
from exitcost.estate import sample_estate
from exitcost.facilities import (
    cloud_costs,
    exit_comparison,
    hardware_purchase_schedule,
    load_facility_defaults,
    site_costs,
)
from exitcost.graph import INTERNET, CostGraph
from exitcost.graph.routing import route
from exitcost.pricing import data_exit_cost, exit_bill
from exitcost.summary import exit_cost_summary

pytestmark = pytest.mark.filterwarnings("ignore:exit_cost_summary is deprecated:FutureWarning")

DEFAULTS = load_facility_defaults()
ESTATE = sample_estate()


def _graph() -> CostGraph:
    graph = CostGraph()
    graph.add_site("edge:store-001", kind="edge")
    graph.add_edge("edge:store-001", INTERNET, 0.05, transfer_class="internet")
    return graph


def _option_cost(**kw: Any) -> Any:
    option = _graph().options("edge:store-001", INTERNET)[0]
    return option.cost_usd(100.0, **kw)


# name: (call taking keyword arguments, old keyword, new keyword, value)
RENAMED: dict[str, tuple[Callable[..., Any], str, str, Any]] = {
    "exit_case": (
        lambda **kw: exit_case(ESTATE, "azure", n_scenarios=0, **kw).summary,
        "months",
        "horizon_months",
        24,
    ),
    "site_costs": (
        lambda **kw: site_costs(
            hardware_capex_usd=1e5, it_load_kw=10.0, defaults=DEFAULTS, **kw
        ).total_usd(),
        "months",
        "horizon_months",
        6,
    ),
    "cloud_costs": (
        lambda **kw: cloud_costs(usd_per_month=1e3, defaults=DEFAULTS, **kw).total_usd(),
        "months",
        "horizon_months",
        6,
    ),
    "hardware_purchase_schedule": (
        lambda **kw: hardware_purchase_schedule(100.0, refresh_months=3, **kw),
        "months",
        "horizon_months",
        8,
    ),
    "exit_comparison": (
        lambda **kw: exit_comparison(1e5, defaults=DEFAULTS, **kw),
        "months",
        "horizon_months",
        24,
    ),
    "tco": (
        lambda **kw: finance.tco([100.0, 100.0, 100.0], rate_per_period=0.1, **kw),
        "months",
        "horizon_months",
        2,
    ),
    "data_exit_cost": (
        lambda **kw: data_exit_cost(50_000.0, source="aws:us-east-1", as_of="2026-11-01", **kw),
        "months",
        "spread_months",
        3,
    ),
    "exit_bill (months)": (
        lambda **kw: exit_bill(ESTATE, provider="aws", **kw)[["total_usd"]],
        "months",
        "spread_months",
        2,
    ),
    "exit_bill (providers)": (
        lambda **kw: exit_bill(ESTATE, **kw)[["total_usd"]],
        "providers",
        "provider",
        "aws",
    ),
    "exit_cost_summary": (
        lambda **kw: exit_cost_summary(ESTATE, "aws", **kw)[["expected_usd"]],
        "months",
        "spread_months",
        2,
    ),
    "stranded_by_exit_month": (
        lambda **kw: stranded_by_exit_month(ESTATE, **kw),
        "months",
        "exit_months",
        [0, 6, 12],
    ),
    "CostGraph.matrix": (
        lambda **kw: _graph().matrix(100.0, **kw),
        "months",
        "recurring_months",
        12,
    ),
    "CostGraph.route": (
        lambda **kw: _graph().route("edge:store-001", INTERNET, 100.0, **kw).cost_usd,
        "months",
        "recurring_months",
        12,
    ),
    "route": (
        lambda **kw: route(_graph(), "edge:store-001", INTERNET, 100.0, **kw).cost_usd,
        "months",
        "recurring_months",
        12,
    ),
    "TransferOption.cost_usd": (_option_cost, "months", "recurring_months", 12),
    "CostGraph.from_price_books": (
        lambda **kw: sorted(CostGraph.from_price_books(as_of="2026-11-01", **kw).locations),
        "providers",
        "provider",
        ["aws"],
    ),
}


def _same(a: Any, b: Any) -> None:
    if isinstance(a, pd.DataFrame | pd.Series):
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))
    else:
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_the_old_keyword_gives_the_same_answer_with_a_future_warning(name: str) -> None:
    call, old, new, value = RENAMED[name]
    expected = call(**{new: value})
    with pytest.warns(FutureWarning, match=rf"'{old}' parameter of .* is now '{new}'"):
        got = call(**{old: value})
    _same(got, expected)


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_both_names_at_once_are_refused(name: str) -> None:
    call, old, new, value = RENAMED[name]
    with pytest.raises(InvalidParameterError, match=rf"'{old}' parameter .* old name of '{new}'"):
        call(**{old: value, new: value})
