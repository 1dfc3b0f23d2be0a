"""One warning of each kind per call: the effort functions share their warnings within a call.

A public effort function often runs others (:func:`~exitcost.effort.exit_bill_lines` runs
:func:`~exitcost.effort.estimate_effort` and three schedules), each of which would otherwise
repeat the same :class:`~exitcost.errors.DefaultAssumptionWarning`. Inside
:class:`warnings_once` a warning whose category and text were already emitted is dropped; every
public effort function runs inside one, and a caller that combines several of them (an exit-bill
summary) can run inside one too.

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     with warnings_once():
...         for _ in range(3):
...             warn_once("same text", UserWarning)
>>> len(caught)
1
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from contextvars import ContextVar, Token
from typing import ParamSpec, TypeVar

from exitcost._validation import warn_user

__all__ = ["few", "once_per_call", "warn_once", "warnings_once"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

_SEEN: ContextVar[set[tuple[type[Warning], str]] | None] = ContextVar(
    "exitcost_effort_warnings_seen", default=None
)


class warnings_once:  # lower case: used like contextlib's context managers
    """Within a block or a decorated call, emit each distinct effort warning once.

    Use it as ``with warnings_once(): ...`` or as a decorator, ``@warnings_once()``. Nested uses
    share the outermost one; the next outermost use starts afresh. Every public function of
    :mod:`exitcost.effort` runs inside one, so a function that combines several of them (a
    summary of the exit bill) repeats none of their warnings when it does too.

    Examples
    --------
    >>> import warnings
    >>> from exitcost.errors import DefaultAssumptionWarning
    >>> @warnings_once()
    ... def report():
    ...     warn_once("assumed 1 instance", DefaultAssumptionWarning)
    ...     warn_once("assumed 1 instance", DefaultAssumptionWarning)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     report()
    ...     report()
    >>> len(caught)
    2
    """

    def __init__(self) -> None:
        self._tokens: list[Token[set[tuple[type[Warning], str]] | None]] = []

    def __enter__(self) -> None:
        seen = _SEEN.get()
        self._tokens.append(_SEEN.set(set() if seen is None else seen))

    def __exit__(self, *exc: object) -> None:
        _SEEN.reset(self._tokens.pop())

    def __call__(self, func: Callable[_P, _R]) -> Callable[_P, _R]:
        """Run ``func`` inside its own ``warnings_once`` block on every call."""

        @functools.wraps(func)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            with warnings_once():
                return func(*args, **kwargs)

        return wrapper


def warn_once(message: str, category: type[Warning]) -> None:
    """:func:`exitcost._validation.warn_user`, unless the same warning was emitted in this block."""
    seen = _SEEN.get()
    if seen is not None:
        key = (category, message)
        if key in seen:
            return
        seen.add(key)
    warn_user(message, category)


once_per_call = warnings_once()
"""Decorator of the public effort functions: one call emits each distinct warning once."""


def few(names: Sequence[str], limit: int = 5) -> str:
    """Up to ``limit`` names in the given order, then how many more: for short messages.

    Examples
    --------
    >>> few(["b", "a"])
    "'b', 'a'"
    >>> few([f"w{i}" for i in range(8)], limit=3)
    "'w0', 'w1', 'w2' and 5 more"
    """
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
