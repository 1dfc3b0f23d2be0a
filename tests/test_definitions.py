"""Each shared constant and vocabulary of the package is defined once (others import it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import exitcost

SRC = Path(exitcost.__file__).resolve().parent

ONCE = ("HOURS_PER_MONTH", "LOCATION_KINDS", "SITE_KINDS", "STRATEGIES", "BeyondPublished")


def _assignments(name: str) -> list[str]:
    """Module-level assignments to ``name`` anywhere under src/exitcost, as ``path:line``."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign):
                targets = [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


@pytest.mark.parametrize("name", ONCE)
def test_defined_once(name: str) -> None:
    assert len(_assignments(name)) == 1, _assignments(name)


def test_the_imported_names_are_the_definitions() -> None:
    from exitcost import facilities, units
    from exitcost.effort import catalog
    from exitcost.estate import model
    from exitcost.graph import _build, costgraph
    from exitcost.pricing import books

    assert facilities.HOURS_PER_MONTH is units.HOURS_PER_MONTH is books.HOURS_PER_MONTH
    assert units.HOURS_PER_MONTH == 730.0  # 8,760 h / 12 months
    assert costgraph.LOCATION_KINDS is model.LOCATION_KINDS
    assert _build.SITE_KINDS is model.SITE_KINDS
    assert catalog.STRATEGIES is model.STRATEGIES


def test_one_pert_mean_serves_the_distribution_the_effort_model_and_the_catalog() -> None:
    from exitcost.effort.catalog import ThreePoint
    from exitcost.effort.model import pert_mean
    from exitcost.uncertainty import Pert, three_point_mean

    low, mode, high = 14.0, 20.0, 60.0
    want = (14.0 + 4 * 20.0 + 60.0) / 6  # 154 / 6, by hand
    assert three_point_mean(low, mode, high) == want
    assert Pert(low=low, mode=mode, high=high).mean() == want
    assert float(pert_mean(low, mode, high)) == want
    assert ThreePoint(low=low, mode=mode, high=high).pert_mean() == want


def test_one_pert_shape_serves_the_distribution_and_the_effort_sampler() -> None:
    import numpy as np

    from exitcost.effort import sample_pert
    from exitcost.uncertainty import Pert

    one = Pert(low=1.0, mode=2.0, high=6.0).draw(50, np.random.default_rng(3))
    many = sample_pert([1.0], [2.0], [6.0], 50, np.random.default_rng(3))[:, 0]
    np.testing.assert_array_equal(one, many)
