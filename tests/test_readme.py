"""The README's notebook example runs, and the values its comments quote are the ones it gets."""

from __future__ import annotations

import re
import warnings

import pytest

from exitcost.pricing.policy import StalePriceBookWarning
from tests.conftest import REPO_ROOT


def _python_blocks() -> list[str]:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_has_a_python_example() -> None:
    assert len(_python_blocks()) == 1


def test_readme_example_runs_and_matches_its_comments() -> None:
    code = _python_blocks()[0]
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # the sample estate's AWS book is two years older than its as-of date: expected
        warnings.simplefilter("ignore", StalePriceBookWarning)
        exec(compile(code, "README.md", "exec"), namespace)
    xc = namespace["xc"]
    # The figures quoted in the README's comments (worked by hand in tests/pricing).
    egress = xc.egress_cost(512_000, source="aws:us-east-1", as_of="2024-09-25")  # type: ignore[attr-defined]
    assert egress == pytest.approx(29_482.2)
    route = namespace["route"]
    # 51,200 GB over a 1 Gbps Direct Connect port ($0.02/GB + $0.30/h x 730 h) plus the colo's
    # cross-connect ($100/month): 1,024 + 219 + 100 = 1,343; the colo's 1 Gbps transit
    # commitment is paid whether or not data moves, so it is not counted (one rule with
    # egress_cost). Direct is (10,240 - 100) x 0.09 + 40,960 x 0.085; break-even where
    # 319 + 0.02 v = 0.09 (v - 100), v = 328 / 0.07 = 4,685.71 GB.
    assert route.path == ("aws:eu-central-1", "colo:ams1", "internet", "onprem:fra1")  # type: ignore[attr-defined]
    assert route.cost_usd == pytest.approx(1_343.0, abs=0.01)  # type: ignore[attr-defined]
    assert route.direct.cost_usd == pytest.approx(4_394.2)  # type: ignore[attr-defined]
    assert route.break_even_gb[0] == pytest.approx(4_685.71, rel=1e-5)  # type: ignore[attr-defined]
