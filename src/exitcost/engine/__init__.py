"""The engine: plans, the month-by-month kernel over scenarios, and the Simulation result.

See ``docs/engine.md`` for the model month by month.

Examples
--------
>>> from exitcost.engine import Plan, sample_plans, simulate
>>> len(sample_plans())
4
"""

from __future__ import annotations

from exitcost.engine.plans import Move, Plan, resolve, sample_plans
from exitcost.engine.simulation import Simulation, simulate

__all__ = ["Move", "Plan", "Simulation", "resolve", "sample_plans", "simulate"]
