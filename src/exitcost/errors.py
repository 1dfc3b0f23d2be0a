"""Exceptions and warnings raised by exitcost.

Every error exitcost raises on purpose is an :class:`ExitcostError`. Each subclass is also a
built-in ``ValueError`` or ``KeyError``, so code that already catches those keeps working, and
code that wants to catch only exitcost's own errors can catch :class:`ExitcostError`.

Messages name the parameter or field path, show the value received and say what would be valid.

Examples
--------
>>> from exitcost.errors import ExitcostError, UnknownLocationError
>>> err = UnknownLocationError("location 'aws:mars-1' is unknown; valid: 'aws:us-east-1'")
>>> isinstance(err, KeyError), isinstance(err, ExitcostError)
(True, True)
>>> print(err)
location 'aws:mars-1' is unknown; valid: 'aws:us-east-1'
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CatalogError",
    "DefaultAssumptionWarning",
    "EstateError",
    "ExitcostError",
    "ExitcostWarning",
    "ExtrapolationWarning",
    "HorizonWarning",
    "InvalidParameterError",
    "NoRouteError",
    "NoSolutionError",
    "PriceBookError",
    "PriceLimitError",
    "Problem",
    "UnknownLocationError",
    "UnknownProviderError",
    "UnknownServiceError",
    "format_choices",
    "short_repr",
]


def format_choices(choices: Iterable[Any], limit: int = 12) -> str:
    """Format valid choices for an error message, shortening long lists.

    Examples
    --------
    >>> format_choices(["b", "a"])
    "'a', 'b'"
    >>> format_choices(range(20), limit=3)
    '0, 1, 2, ... (20 in all)'
    """
    items = list(choices)
    try:
        items.sort()
    except TypeError:
        items.sort(key=str)
    shown = ", ".join(repr(c) for c in items[:limit])
    if len(items) > limit:
        shown += f", ... ({len(items)} in all)"
    return shown


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxdict = _REPR.maxlist = _REPR.maxtuple = _REPR.maxset = 6
_REPR.maxstring = _REPR.maxother = 60


def short_repr(value: Any, limit: int = 80) -> str:
    """A bounded ``repr`` for messages: never builds the full text of a huge or deep value.

    YAML aliases can make a 400-byte file expand into a value whose full ``repr`` would take
    minutes to build; this stops at a few levels and items.

    Examples
    --------
    >>> short_repr(list(range(100)))
    '[0, 1, 2, 3, 4, 5, ...]'
    >>> nested = [[[[[1]]]]]
    >>> short_repr(nested)
    '[[[[...]]]]'
    """
    shown = _REPR.repr(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


class ExitcostError(Exception):
    """Base class of every error exitcost raises on purpose."""

    def __str__(self) -> str:
        # KeyError would otherwise wrap the message in quotes.
        if len(self.args) == 1:
            return str(self.args[0])
        return super().__str__()


class InvalidParameterError(ExitcostError, ValueError):
    """A function argument is out of its valid domain (negative, NaN, wrong shape, ...)."""


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is, what was found and what is wrong.

    Attributes
    ----------
    path : str
        Field path in the input, e.g. ``workloads[3].reads[0].dataset``.
    value : Any
        The offending value (``None`` where the field is missing).
    message : str
        What is wrong and what would be valid.
    """

    path: str
    value: Any
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.message} (got {short_repr(self.value)})"


class _ProblemsMixin:
    """Carries a list of :class:`Problem` and renders them one per line."""

    problems: tuple[Problem, ...]

    def _init_problems(self, what: str, problems: Sequence[Problem]) -> str:
        self.problems = tuple(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {what}:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class EstateError(_ProblemsMixin, ExitcostError, ValueError):
    """An estate description is invalid.

    Parameters
    ----------
    problems : sequence of Problem
        Every problem found, each with its field path and value.
    source : str, optional
        Where the estate came from (a file name), for the message.
    """

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        what = f"estate {source}" if source else "estate"
        super().__init__(self._init_problems(what, problems))


class PriceBookError(ExitcostError, ValueError):
    """A price book is missing, malformed or inconsistent, or cannot price a request."""


class PriceLimitError(PriceBookError):
    """A volume lies beyond the last tier the provider publishes a price for ("contact sales").

    Pass ``beyond_published="extrapolate"`` to price it at the last published rate with an
    :class:`ExtrapolationWarning` instead.
    """


class CatalogError(ExitcostError, ValueError):
    """The service catalog is malformed, or an entry cannot be used as asked."""


class UnknownLocationError(ExitcostError, KeyError):
    """A location id (``provider:region``) is not known to the estate, graph or price book."""


class UnknownProviderError(ExitcostError, KeyError):
    """No price book exists for a provider name."""


class UnknownServiceError(ExitcostError, KeyError):
    """A provider service id (e.g. ``aws.dynamodb``) is not in the service catalog."""


class NoRouteError(ExitcostError, ValueError):
    """No transfer path joins two locations of a cost graph."""


class NoSolutionError(ExitcostError, ValueError):
    """An element-wise quantity has no solution (no IRR, never paid back) and raising was asked."""


class ExitcostWarning(UserWarning):
    """Base class of the warnings exitcost emits."""


class ExtrapolationWarning(ExitcostWarning):
    """A price was extrapolated beyond the last published tier."""


class HorizonWarning(ExitcostWarning):
    """A plan's programme (labour, dual running, the data move) runs past the horizon."""


class DefaultAssumptionWarning(ExitcostWarning):
    """A documented default was used because the input did not say (e.g. an unknown service)."""
