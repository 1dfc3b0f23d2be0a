"""The README's notebook example runs, and the values its comments quote are the ones it gets."""

from __future__ import annotations

import re
import warnings

import pytest

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
        exec(compile(code, "README.md", "exec"), namespace)
    xc = namespace["xc"]
    # The figures quoted in the README's comments (worked by hand in tests/pricing).
    egress = xc.egress_cost(512_000, source="aws:us-east-1", as_of="2024-09-25")  # type: ignore[attr-defined]
    assert egress == pytest.approx(29_482.2)
    route = namespace["route"]
    assert route.cost_usd == pytest.approx(1_243.0)  # type: ignore[attr-defined]
    assert route.direct.cost_usd == pytest.approx(4_394.2)  # type: ignore[attr-defined]
    assert route.break_even_gb[0] == pytest.approx(3_257.142857, rel=1e-6)  # type: ignore[attr-defined]
