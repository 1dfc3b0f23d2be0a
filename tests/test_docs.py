"""The user guide's examples run, and the values they quote are the ones they get.

Every ```python block of every ``docs/*.md`` page runs top to bottom, page by page, in a fresh
namespace with warnings as errors. A top-level expression whose line ends in a comment
``# -> <literal>`` is a check: the expression's value must equal the literal, numbers to the
precision the literal is written with (``# -> 29482.2`` accepts 29482.15 to 29482.25), so the
figures the guide quotes cannot drift from what the library returns.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from exitcost.pricing.policy import StalePriceBookWarning
from tests.conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs"
GUIDE_PAGES = ("index", "estate", "pricing", "exit-bill", "finance", "glossary")
_BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)
_CHECK = re.compile(r"#\s*->\s*(?P<expected>.+?)\s*$")


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _blocks(page: Path) -> list[tuple[int, str]]:
    """The page's python blocks, each with the line number of its first line in the page."""
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _BLOCK.finditer(text)]


def _decimals(literal: float) -> int:
    text = repr(literal)
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(digits - int(exponent), 0)
    return len(text.split(".")[1]) if "." in text else 0


def _plain(value: Any) -> Any:
    """Numpy and pandas values as plain Python ones, for comparison with a literal."""
    if isinstance(value, pd.Index | pd.Series | np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _matches(value: Any, expected: Any) -> bool:
    """Whether ``value`` is ``expected``, numbers to the precision ``expected`` is written with."""
    value = _plain(value)
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return type(value) is type(expected) and value == expected
    if isinstance(expected, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if isinstance(expected, int) and isinstance(value, int):
            return value == expected
        tolerance = (
            0.5 * 10.0 ** -_decimals(float(expected)) if isinstance(expected, float) else 0.5
        )
        return math.isfinite(value) and abs(value - expected) <= tolerance * (1 + 1e-9)
    if isinstance(expected, tuple | list):
        if not isinstance(value, tuple | list) or len(value) != len(expected):
            return False
        return all(_matches(v, e) for v, e in zip(value, expected, strict=True))
    if isinstance(expected, dict):
        if not isinstance(value, Mapping) or set(value) != set(expected):
            return False
        return all(_matches(value[k], expected[k]) for k in expected)
    raise AssertionError(f"unsupported literal in a docs check: {expected!r}")


def _run_page(page: Path) -> int:
    """Run every python block of ``page`` in one fresh namespace; return the checks made."""
    namespace: dict[str, Any] = {"__name__": f"docs.{page.stem}"}
    checks = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # the sample estate's AWS book is two years older than its as-of date: expected
        warnings.simplefilter("ignore", StalePriceBookWarning)
        for first_line, code in _blocks(page):
            tree = ast.parse(code, filename=str(page))
            ast.increment_lineno(tree, first_line - 1)
            lines = code.splitlines()
            for stmt in tree.body:
                module = ast.Module(body=[stmt], type_ignores=[])
                end = stmt.end_lineno if stmt.end_lineno is not None else stmt.lineno
                check = _CHECK.search(lines[end - first_line])
                if check is None or not isinstance(stmt, ast.Expr):
                    exec(compile(module, str(page), "exec"), namespace)
                    continue
                value = eval(compile(ast.Expression(stmt.value), str(page), "eval"), namespace)
                expected = ast.literal_eval(check["expected"])
                assert _matches(value, expected), (
                    f"{page.name}, line {end}: {ast.unparse(stmt)} gives {_plain(value)!r}, "
                    f"the page says {check['expected']}"
                )
                checks += 1
    return checks


def test_the_guide_pages_exist() -> None:
    names = {page.stem for page in _pages()}
    assert set(GUIDE_PAGES) <= names, sorted(set(GUIDE_PAGES) - names)


@pytest.mark.parametrize("page", _pages(), ids=lambda page: page.name)
def test_page_examples_run_and_match_their_checks(page: Path) -> None:
    checks = _run_page(page)
    written = sum(
        1 for _, code in _blocks(page) for line in code.splitlines() if _CHECK.search(line)
    )
    # Every "# ->" comment is on a top-level expression, so none is silently skipped.
    assert checks == written, f"{page.name}: {written - checks} '# ->' comments are not checks"
    if page.stem in GUIDE_PAGES and page.stem != "index":
        assert checks > 0, f"{page.name} quotes no checked value"


@pytest.mark.parametrize("page", _pages(), ids=lambda page: page.name)
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_readme_links_every_guide_page() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `docs/` |"))
    for name in GUIDE_PAGES:
        assert f"(docs/{name}.md)" in row, f"README's docs/ row does not link {name}.md"


@pytest.mark.parametrize(
    ("value", "expected", "ok"),
    [
        (29482.2, 29482.2, True),
        (29482.24, 29482.2, True),
        (29482.26, 29482.2, False),
        (np.float64(8257.142857), 8257.14, True),
        (np.array([1.0, 2.5]), [1.0, 2.5], True),
        (np.array([1.0, 2.5]), [1.0, 2.6], False),
        (("a", 3), ("a", 3), True),
        (("a", 3), ("a", 3, 4), False),
        (3, 3.0, True),
        (3.4, 3, True),
        (3.6, 3, False),
        (float("nan"), 0.0, False),
        (True, True, True),
        (1, True, False),
        ("aws", "azure", False),
        ({"aws": "2024-09-25"}, {"aws": "2024-09-25"}, True),
        ({"aws": "2024-09-25"}, {"gcp": "2024-09-25"}, False),
        (1e-5, 1e-05, True),
        (2e-5, 1e-05, False),
    ],
)
def test_checks_compare_at_the_quoted_precision(value: Any, expected: Any, ok: bool) -> None:
    assert _matches(value, expected) is ok


def test_a_wrong_quoted_value_fails_the_page(tmp_path: Path) -> None:
    page = tmp_path / "wrong.md"
    page.write_text("```python\nx = 2\nx * 3  # -> 7\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"wrong\.md, line 3: x \* 3 gives 6"):
        _run_page(page)


def test_a_warning_fails_the_page(tmp_path: Path) -> None:
    page = tmp_path / "warns.md"
    page.write_text("```python\nimport warnings\nwarnings.warn('x')\n```\n", encoding="utf-8")
    with pytest.raises(UserWarning, match="x"):
        _run_page(page)
