"""The house reads in one direction: base and config below kernels below analyses below the CLI.

The module import graph is read with ``ast`` from ``src/exitcost`` (imports at module level,
including inside ``try``/``if``, but not those under ``if TYPE_CHECKING:``, which never run, nor
those inside functions, which run when first used). Every module has a layer; a module may
import only modules of its own layer or below, and the graph has no cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import exitcost

SRC = Path(exitcost.__file__).resolve().parent

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Base: errors, units, vocabularies, distributions, and leaf kernels that need nothing else.
    (
        "base",
        (
            "exitcost._version", "exitcost._lazy", "exitcost._resources", "exitcost._validation",
            "exitcost._yaml", "exitcost._dated", "exitcost._text",
            "exitcost._fields",
            "exitcost.errors", "exitcost.units", "exitcost.categories", "exitcost.uncertainty",
            "exitcost._suggest", "exitcost.finance", "exitcost.pricing.tiers",
            "exitcost.effort.adaptation",
            "exitcost.effort._warnings",
        ),
    ),
    # Config: the validated estate, price books, catalogs and defaults, and their loaders.
    (
        "config",
        (
            "exitcost.estate", "exitcost.pricing.schema", "exitcost.pricing.books",
            "exitcost.pricing.jurisdictions", "exitcost.effort.catalog",
        ),
    ),
    # Kernels and the models over them: prices, effort, schedules, sites, the cost graph.
    (
        "kernels",
        (
            "exitcost.pricing", "exitcost.effort", "exitcost.facilities", "exitcost.graph",
            "exitcost.model", "exitcost.engine",
        ),
    ),
    # Analyses of an estate: the bills, the baseline, the exit case, the checks.
    (
        "analyses",
        (
            "exitcost.pricing.bill", "exitcost.effort.bill", "exitcost.baseline",
            "exitcost.summary", "exitcost.case", "exitcost.checks", "exitcost.ingest",
            "exitcost.optimize",
        ),
    ),
    # What users touch: the package's top level, the command line, the reports.
    ("interface", ("exitcost", "exitcost.cli", "exitcost._cli", "exitcost.report")),
)  # fmt: skip


PACKAGES_ABOVE_THEIR_MODULES = {"exitcost.pricing": "analyses", "exitcost.effort": "analyses"}
"""Packages whose ``__init__`` re-exports an analysis of theirs (the exit bills): importing the
package runs the analysis module, so the package itself sits with the analyses."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    """Layer of ``module``: the longest listed prefix decides (a package's modules inherit it)."""
    if module in PACKAGES_ABOVE_THEIR_MODULES:
        return [name for name, _ in LAYERS].index(PACKAGES_ABOVE_THEIR_MODULES[module])
    best, rank = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            inherits = prefix != "exitcost" and module.startswith(prefix + ".")  # not the root
            if (module == prefix or inherits) and len(prefix) > best:
                best, rank = len(prefix), i
    return rank


def _runtime_imports(tree: ast.Module, modules: set[str]) -> set[str]:
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
                visit(node.orelse)
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(node.orelse)
                if isinstance(node, ast.Try):
                    for handler in node.handlers:
                        visit(handler.body)
                    visit(node.finalbody)

    visit(tree.body)
    return {m for m in found if m in modules}


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in SRC.rglob("*.py")}
    modules = set(paths)
    return {
        name: _runtime_imports(ast.parse(path.read_text(encoding="utf-8")), modules) - {name}
        for name, path in paths.items()
    }


GRAPH = _graph()


def test_every_module_has_a_layer() -> None:
    assert [m for m in GRAPH if _layer(m) < 0] == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down(module: str) -> None:
    rank = _layer(module)
    upward = sorted(
        f"{target} ({LAYERS[_layer(target)][0]})"
        for target in GRAPH[module]
        if _layer(target) > rank
    )
    assert upward == [], f"{module} ({LAYERS[rank][0]}) imports {upward}"


def test_no_import_cycles() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_the_check_sees_an_upward_import() -> None:
    tree = ast.parse("from exitcost.case import exit_case\nimport exitcost.units\n")
    assert _runtime_imports(tree, set(GRAPH)) == {"exitcost.case", "exitcost.units"}
    assert _layer("exitcost.case") > _layer("exitcost.estate.model")


def _private_names_imported(tree: ast.Module) -> list[str]:
    """``module.name`` for each ``_name`` imported from an exitcost module (anywhere in it)."""
    return [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("exitcost")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_another_modules_private_names(module: str) -> None:
    path = next(p for p in SRC.rglob("*.py") if _module_name(p) == module)
    assert _private_names_imported(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_check_sees_a_private_import() -> None:
    tree = ast.parse(
        "from exitcost.units import _private, public\n"
        "def f():\n    from exitcost.effort.contracts import _exit_date\n"
        "from exitcost._validation import as_array\n"
    )
    assert _private_names_imported(tree) == [
        "exitcost.units._private",
        "exitcost.effort.contracts._exit_date",
    ]
