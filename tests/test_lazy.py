"""The package's names load when first used; start-up imports no heavy dependency."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import exitcost
from exitcost._lazy import type_checking_imports
from tests.conftest import REPO_ROOT

HEAVY = ("pandas", "networkx", "scipy", "exitcost.effort.catalog", "exitcost.pricing.books")


def _modules_after(statement: str) -> set[str]:
    """Modules executed by ``statement`` in a fresh interpreter (unused lazy ones left out)."""
    code = (
        f"import sys\n{statement}\n"
        "print('\\n'.join(n for n, m in sys.modules.items() if type(m).__name__ != '_LazyModule'))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


@pytest.mark.parametrize(
    "statement",
    ["import exitcost", "import exitcost.cli", "from exitcost.estate.model import Estate"],
)
def test_start_up_imports_no_heavy_dependency(statement: str) -> None:
    loaded = _modules_after(statement)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_every_public_name_resolves_to_its_module_object() -> None:
    table = type_checking_imports(Path(exitcost.__file__).read_text(encoding="utf-8"))
    assert set(table) == set(exitcost.__all__) - {"__version__"}
    for name, (module, attribute) in table.items():
        assert getattr(exitcost, name) is getattr(importlib.import_module(module), attribute)


def test_dir_lists_every_public_name_and_submodule() -> None:
    listed = dir(exitcost)
    assert set(exitcost.__all__) <= set(listed)
    assert {"pricing", "finance", "graph"} <= set(listed)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        exitcost.no_such_name  # noqa: B018


def test_a_submodule_import_does_not_hide_the_function_of_the_same_name() -> None:
    import exitcost.estate
    import exitcost.estate.inventory  # sets the package attribute 'inventory' to the module
    from exitcost.estate.inventory import inventory

    assert exitcost.estate.inventory is inventory


def test_the_top_level_keeps_about_forty_names() -> None:
    assert len(exitcost.__all__) == len(set(exitcost.__all__))
    assert 30 <= len(exitcost.__all__) <= 45, len(exitcost.__all__)


_CODE_BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)


def _documented_code() -> str:
    pages = [*sorted((REPO_ROOT / "docs").glob("*.md")), REPO_ROOT / "README.md"]
    return "\n".join(
        block for page in pages for block in _CODE_BLOCK.findall(page.read_text(encoding="utf-8"))
    )


def _used_in(code: str, name: str) -> bool:
    attribute = re.search(rf"\bxc\.{re.escape(name)}\b", code)
    imported = re.search(rf"^from exitcost import [^\n]*\b{re.escape(name)}\b", code, re.M)
    return bool(attribute or imported)


def test_every_top_level_name_has_an_example_in_the_docs() -> None:
    code = _documented_code()
    missing = [name for name in exitcost.__all__ if not _used_in(code, name)]
    assert not missing, missing


def test_the_docs_use_no_moved_top_level_name() -> None:
    code = _documented_code()
    assert not [name for name in exitcost._MOVED if _used_in(code, name)]


def test_a_moved_name_warns_where_it_lives_now_and_still_works() -> None:
    from exitcost.finance import npv

    with pytest.warns(FutureWarning, match=r"exitcost\.npv has moved: use exitcost\.finance\.npv"):
        moved = exitcost.npv  # type: ignore[attr-defined]
    assert moved is npv
    with pytest.warns(FutureWarning, match=r"use exitcost\.summary\.exit_cost_summary"):
        from exitcost import exit_cost_summary  # type: ignore[attr-defined]  # noqa: F401


def test_a_moved_name_warns_on_every_use() -> None:
    for _ in range(2):
        with pytest.warns(FutureWarning, match=r"use exitcost\.pricing\.storage_cost"):
            exitcost.storage_cost  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("name", sorted(exitcost._MOVED))
def test_every_moved_name_is_exported_by_its_submodule_and_hidden_at_the_top(name: str) -> None:
    module = importlib.import_module(exitcost._MOVED[name])
    assert name in module.__all__
    assert name not in exitcost.__all__
    assert name not in dir(exitcost)
    with pytest.warns(FutureWarning):
        assert getattr(exitcost, name) is getattr(module, name)
