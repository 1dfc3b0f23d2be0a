"""The package's names load when first used; start-up imports no heavy dependency."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import exitcost
from exitcost._lazy import type_checking_imports

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
