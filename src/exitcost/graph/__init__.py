"""The cost graph: locations joined by priced transfer paths, routing, matrices, data gravity.

Examples
--------
>>> from exitcost.graph import CostGraph
>>> g = CostGraph()
>>> g.add_location("aws:us-east-1")
>>> g.add_edge("aws:us-east-1", "internet", 0.09, transfer_class="internet")
>>> float(g.matrix(100.0).loc["aws:us-east-1", "internet"])
9.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exitcost._lazy import attach
from exitcost.graph._schedule import PaddedTiers, TransferOption
from exitcost.graph.costgraph import INTERNET, LOCATION_KINDS, CompiledGraph, CostGraph
from exitcost.graph.gravity import Gravity, gravity, pull_matrix, top_gravity_pulls, top_pulls
from exitcost.graph.routing import Hop, Route, TierCharge, break_even_volumes, route

if TYPE_CHECKING:  # moved to exitcost.baseline (it uses no graph); importable here for now
    from exitcost.baseline import (
        BASELINE_COLUMNS,
        baseline_by_provider,
        baseline_cost,
        baseline_summary,
    )

__all__ = [
    # Graph
    "INTERNET",
    "LOCATION_KINDS",
    "CompiledGraph",
    "CostGraph",
    "PaddedTiers",
    "TransferOption",
    # Routing
    "Hop",
    "Route",
    "TierCharge",
    "break_even_volumes",
    "route",
    # Data gravity
    "Gravity",
    "gravity",
    "pull_matrix",
    "top_gravity_pulls",
    "top_pulls",
    # Baseline run cost (exitcost.baseline)
    "BASELINE_COLUMNS",
    "baseline_by_provider",
    "baseline_cost",
    "baseline_summary",
]

if not TYPE_CHECKING:  # type checkers read the imports above
    __getattr__, __dir__ = attach(__name__, __file__)
