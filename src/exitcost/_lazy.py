"""Lazy attributes for packages and lazy callables for modules that must start fast.

A package lists its public names once, as ordinary imports under ``if TYPE_CHECKING:`` (what
type checkers and readers see), and calls :func:`attach` to import each name's module the first
time the name is used. ``import exitcost`` then costs only the package's own file; pandas,
networkx, scipy and the bundled data load when a name that needs them is first touched.

Examples
--------
>>> import exitcost
>>> "exit_case" in dir(exitcost)
True
>>> exitcost.units.format_size(2048.0)
'2.0 TB'
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["attach", "lazy_callable", "lazy_module", "type_checking_imports"]


def type_checking_imports(source: str) -> dict[str, tuple[str, str]]:
    """Names imported under ``if TYPE_CHECKING:`` in ``source``: ``{name: (module, attribute)}``.

    Examples
    --------
    >>> type_checking_imports(
    ...     "if TYPE_CHECKING:\\n    from exitcost.units import format_size as fs\\n"
    ... )
    {'fs': ('exitcost.units', 'format_size')}
    """
    found: dict[str, tuple[str, str]] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
                for alias in stmt.names:
                    found[alias.asname or alias.name] = (stmt.module, alias.name)
    return found


def attach(
    package: str,
    file: str,
    submodules: tuple[str, ...] = (),
    moved: Mapping[str, str] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose names are imported under TYPE_CHECKING.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    file : str
        The package's ``__file__`` (its ``TYPE_CHECKING`` imports are read from it once, on the
        first lazy look-up).
    submodules : tuple of str
        Submodules reachable as attributes (``exitcost.pricing``) without importing them first.
    moved : mapping of str to str, optional
        Names that have left the package for a submodule, ``{name: module}``: each still
        resolves, with a :class:`FutureWarning` naming its new place, and is never cached, so
        every use warns; ``dir()`` leaves them out.

    Returns
    -------
    (getattr, dir)
        Functions to assign to the package's ``__getattr__`` and ``__dir__``.

    Examples
    --------
    A moved name warns and still gives the same object:

    >>> import warnings
    >>> import exitcost
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     npv = exitcost.npv
    >>> npv is exitcost.finance.npv
    True
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    exitcost.npv has moved: use exitcost.finance.npv (the top-level name goes in the next release)
    """
    moved = dict(moved or {})
    table: dict[str, tuple[str, str]] = {}

    def names() -> dict[str, tuple[str, str]]:
        if not table:
            table.update(type_checking_imports(Path(file).read_text(encoding="utf-8")))
        return table

    def __getattr__(name: str) -> Any:
        module = importlib.import_module(package)
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        if name in moved:
            warnings.warn(
                f"{package}.{name} has moved: use {moved[name]}.{name}"
                " (the top-level name goes in the next release)",
                FutureWarning,
                stacklevel=2,
            )
            return getattr(importlib.import_module(moved[name]), name)
        where = names().get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[0]), where[1])
        setattr(module, name, value)  # the next look-up is an ordinary attribute
        return value

    def __dir__() -> list[str]:
        module = importlib.import_module(package)
        return sorted({*vars(module), *names(), *submodules})

    class _Package(ModuleType):
        """Keeps a lazy name from being replaced by the submodule of the same name.

        Importing ``exitcost.estate.inventory`` sets the package attribute ``inventory`` to the
        module; the package means the function ``inventory`` that module defines.
        """

        def __setattr__(self, name: str, value: Any) -> None:
            where = names().get(name) if isinstance(value, ModuleType) else None
            if where is not None and value.__name__ == where[0]:
                value = getattr(value, where[1])
            super().__setattr__(name, value)

    sys.modules[package].__class__ = _Package
    return __getattr__, __dir__


def lazy_callable(module: str, name: str) -> Callable[..., Any]:
    """A function that imports ``module`` on its first call and calls its ``name``.

    For command-line start-up: ``exitcost --version`` must not pay for pandas and the price
    books that the commands use.

    Examples
    --------
    >>> size = lazy_callable("exitcost.units", "format_size")
    >>> size(1024.0)
    '1.0 TB'
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"Lazily imported :func:`{module}.{name}`."
    return call


def lazy_module(name: str) -> ModuleType:
    """``name``, imported on the first use of one of its attributes.

    Examples
    --------
    >>> json = lazy_module("json")
    >>> json.dumps([1])
    '[1]'
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
