"""What to do where a price book has no answer: the pricing policy and its record.

By default every analysis is strict: a volume beyond a book's last published band raises
:class:`~exitcost.errors.PriceLimitError`, and a price no source gives (a storage class a region's
book does not price, or lists as ``unpublished``) raises :class:`~exitcost.errors.PriceBookError`.
A :class:`PricingPolicy` answers anyway, only when asked (as an analysis's argument, or for
every analysis inside a :func:`pricing_policy` block):

- ``beyond_published="extrapolate"`` prices the excess at the last published rate;
- ``fallback="nearest"`` borrows the price of the same provider's nearest priced region on the
  same continent (:func:`exitcost.pricing.fallback.nearest_region`), labelled ``R``.

Every figure answered that way is an :class:`Adjustment`. Inside :func:`recording` (which the
estate-level analyses open) adjustments are collected for the result's ``attrs``; outside it,
a borrowed price warns with :class:`BorrowedPriceWarning`.

Books grow stale: :func:`warn_stale_books` warns once per analysis for each book whose effective
date is more than :data:`STALE_AFTER_MONTHS` months before the analysis's as-of date.

Examples
--------
>>> policy = as_policy(beyond_published="extrapolate", fallback="nearest")
>>> policy
PricingPolicy(beyond_published='extrapolate', fallback='nearest')
>>> as_policy() == STRICT
True
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from typing import Any, Literal, TypeAlias

import pandas as pd

from exitcost._text import TEXT_WIDTH
from exitcost._validation import warn_user
from exitcost.errors import ExitcostWarning, InvalidParameterError
from exitcost.units import months_between

__all__ = [
    "ADJUSTMENT_COLUMNS",
    "FALLBACK_CHOICES",
    "STALE_AFTER_MONTHS",
    "STRICT",
    "Adjustment",
    "BorrowedPriceWarning",
    "Fallback",
    "PricingPolicy",
    "StalePriceBookWarning",
    "adjustment_note",
    "adjustments_frame",
    "as_policy",
    "current_policy",
    "pricing_policy",
    "record",
    "recording",
    "stale_books",
    "warn_stale_books",
]

Fallback: TypeAlias = Literal["nearest"] | None
FALLBACK_CHOICES: tuple[str | None, ...] = (None, "nearest")
"""Valid ``fallback`` values."""
STALE_AFTER_MONTHS = 12
"""A book whose effective date is more than this many months before the as-of date is stale."""
ADJUSTMENT_COLUMNS: tuple[str, ...] = ("kind", "location", "item", "book", "detail", "label")
"""Columns of :func:`adjustments_frame`."""


class BorrowedPriceWarning(ExitcostWarning):
    """A price was borrowed from another region (``fallback="nearest"``)."""


class StalePriceBookWarning(ExitcostWarning):
    """An analysis uses a price book more than a year older than its as-of date."""


@dataclass(frozen=True)
class PricingPolicy:
    """How an analysis answers where the books do not.

    Attributes
    ----------
    beyond_published : {"error", "extrapolate"}
        Volumes beyond a book's last published band: raise, or price the excess at the last
        published rate.
    fallback : {None, "nearest"}
        A price a region's book does not give: raise, or borrow the nearest priced region's
        price of the same provider on the same continent (label ``R``).
    """

    beyond_published: Literal["error", "extrapolate"] = "error"
    fallback: Fallback = None

    def __post_init__(self) -> None:
        if self.beyond_published not in ("error", "extrapolate"):
            raise InvalidParameterError(
                "The 'beyond_published' parameter of PricingPolicy must be 'error' or "
                f"'extrapolate'. Got {self.beyond_published!r} instead."
            )
        if self.fallback not in FALLBACK_CHOICES:
            raise InvalidParameterError(
                "The 'fallback' parameter of PricingPolicy must be None or 'nearest'. "
                f"Got {self.fallback!r} instead."
            )

    @property
    def strict(self) -> bool:
        """True when nothing is extrapolated or borrowed."""
        return self.beyond_published == "error" and self.fallback is None


STRICT = PricingPolicy()
"""The default policy: every missing price is an error."""

_DEFAULT: ContextVar[PricingPolicy] = ContextVar("exitcost_pricing_policy", default=STRICT)


def current_policy() -> PricingPolicy:
    """The policy in force: the innermost :func:`pricing_policy` block's, else :data:`STRICT`."""
    return _DEFAULT.get()


@contextmanager
def pricing_policy(
    policy: PricingPolicy | None = None,
    *,
    beyond_published: str | None = None,
    fallback: str | None = None,
) -> Iterator[PricingPolicy]:
    """Make a policy the default of every analysis called inside the block.

    The default is context-local (threads and asyncio tasks each see their own), so an
    analysis that calls others (an exit case calls the baseline and the exit bill) passes it
    on without an argument of its own. An explicit ``policy`` or switch given to an analysis
    still wins.

    Examples
    --------
    >>> with pricing_policy(beyond_published="extrapolate") as chosen:
    ...     current_policy() is chosen
    True
    >>> current_policy() == STRICT
    True
    """
    chosen = as_policy(policy, beyond_published=beyond_published, fallback=fallback)
    token = _DEFAULT.set(chosen)
    try:
        yield chosen
    finally:
        _DEFAULT.reset(token)


def as_policy(
    policy: PricingPolicy | None = None,
    *,
    beyond_published: str | None = None,
    fallback: str | None = None,
    func: str = "as_policy",
) -> PricingPolicy:
    """One :class:`PricingPolicy` from a policy object or the two switches.

    A switch given beside a policy object overrides that field of the object; without a
    policy object the switches override :func:`current_policy` (strict unless a
    :func:`pricing_policy` block says otherwise).

    Raises
    ------
    InvalidParameterError
        ``policy`` is not a PricingPolicy, or a switch has an invalid value.

    Examples
    --------
    >>> as_policy(PricingPolicy(fallback="nearest"), beyond_published="extrapolate")
    PricingPolicy(beyond_published='extrapolate', fallback='nearest')
    """
    if policy is not None and not isinstance(policy, PricingPolicy):
        raise InvalidParameterError(
            f"The 'policy' parameter of {func} must be a PricingPolicy or None. "
            f"Got {policy!r} instead."
        )
    base = policy or current_policy()
    beyond = base.beyond_published if beyond_published is None else beyond_published
    chosen = base.fallback if fallback is None else fallback
    try:
        return PricingPolicy(beyond, chosen)  # type: ignore[arg-type]
    except InvalidParameterError as exc:
        raise InvalidParameterError(str(exc).replace("of PricingPolicy", f"of {func}")) from None


@dataclass(frozen=True)
class Adjustment:
    """One figure that was not read from the book as asked.

    Attributes
    ----------
    kind : {"extrapolated", "borrowed"}
    location : str
        The location priced (``provider:region``).
    item : str
        What was priced: ``storage:<class>``, ``retrieval:<class>`` or ``internet_egress``.
    book : str
        The book that lacked the price (``<provider> <effective date>``).
    detail : str
        Where the figure came from (``borrowed from azure:westeurope``) or how far beyond the
        published band it went.
    label : str
        Confidence label of the figure used (``R``).
    """

    kind: Literal["extrapolated", "borrowed"]
    location: str
    item: str
    book: str
    detail: str
    label: str = "R"


_RECORDER: ContextVar[list[Adjustment] | None] = ContextVar("exitcost_adjustments", default=None)


@contextmanager
def recording() -> Iterator[list[Adjustment]]:
    """Collect the :class:`Adjustment` records of the cost functions called inside.

    Examples
    --------
    >>> with recording() as notes:
    ...     record(Adjustment("borrowed", "gcp:x", "storage:cold", "gcp 2026-10-31", "from y"))
    >>> [n.location for n in notes]
    ['gcp:x']
    """
    notes: list[Adjustment] = []
    token = _RECORDER.set(notes)
    try:
        yield notes
    finally:
        _RECORDER.reset(token)


def record(adjustment: Adjustment) -> None:
    """Note an adjustment: collected inside :func:`recording`, else a warning if borrowed.

    Extrapolations outside :func:`recording` are not warned here: the tier kernel already
    warns with :class:`~exitcost.errors.ExtrapolationWarning`.
    """
    notes = _RECORDER.get()
    if notes is not None:
        if adjustment not in notes:
            notes.append(adjustment)
    elif adjustment.kind == "borrowed":
        warn_user(
            f"{adjustment.item} at {adjustment.location!r} is not priced by the "
            f"{adjustment.book} book; {adjustment.detail} (label {adjustment.label}).",
            BorrowedPriceWarning,
        )


def adjustments_frame(adjustments: Iterable[Adjustment]) -> pd.DataFrame:
    """The adjustments as a DataFrame with columns :data:`ADJUSTMENT_COLUMNS`.

    Examples
    --------
    >>> adjustments_frame([]).columns.tolist()
    ['kind', 'location', 'item', 'book', 'detail', 'label']
    """
    rows = [asdict(a) for a in adjustments]
    return pd.DataFrame(rows, columns=list(ADJUSTMENT_COLUMNS))


def adjustment_note(
    adjustments: Iterable[Adjustment | dict[str, Any]], width: int = TEXT_WIDTH
) -> str:
    """A short printable paragraph naming the figures extrapolated or borrowed ("" if none).

    Adjustments of the same item, detail and book are listed together, their locations wrapped
    to ``width`` columns.

    Examples
    --------
    >>> print(adjustment_note([Adjustment("borrowed", "aws:x", "storage:cold", "aws 2024-09-25",
    ...                                   "borrowed from aws:y")]))
    Figures not read from the books as asked (label R):
      storage:cold borrowed from aws:y (aws 2024-09-25):
        aws:x
    >>> adjustment_note([])
    ''
    """
    groups: dict[str, list[str]] = {}
    for a in adjustments:
        row = a if isinstance(a, dict) else asdict(a)
        key = f"  {row['item']} {row['detail']} ({row['book']}):"
        groups.setdefault(key, []).append(str(row["location"]))
    if not groups:
        return ""
    lines = ["Figures not read from the books as asked (label R):"]
    for key, where in groups.items():
        lines.append(key)
        lines += textwrap.wrap(
            ", ".join(dict.fromkeys(where)),
            width=width,
            initial_indent="    ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def _months_between(early: dt.date, late: dt.date) -> float:
    """Calendar months from ``early`` to ``late``, with the days as 31sts of a month."""
    return months_between(early, late) + (late.day - early.day) / 31


def stale_books(books: Iterable[Any], as_of: dt.date) -> list[Any]:
    """The books (anything with ``provider`` and ``effective_date``) stale on ``as_of``.

    A book is stale when its effective date is more than :data:`STALE_AFTER_MONTHS` months
    before ``as_of``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> old = NS(provider="aws", effective_date=dt.date(2024, 9, 25))
    >>> [b.provider for b in stale_books([old], dt.date(2025, 9, 25))]
    []
    >>> [b.provider for b in stale_books([old], dt.date(2025, 9, 26))]
    ['aws']
    """
    return [b for b in books if _months_between(b.effective_date, as_of) > STALE_AFTER_MONTHS]


def warn_stale_books(books: Iterable[Any], as_of: dt.date) -> None:
    """Warn once per stale book (see :func:`stale_books`), naming the book and its date.

    The message names the book, not the function, and the warning points at the caller's
    line outside exitcost, so an analysis that runs others (an exit case runs the baseline and
    the exit bill) shows it once under Python's default warning filter.
    """
    seen: set[tuple[str, dt.date]] = set()
    for book in stale_books(books, as_of):
        key = (book.provider, book.effective_date)
        if key in seen:
            continue
        seen.add(key)
        warn_user(
            f"The {book.provider} price book in effect on {as_of.isoformat()} is dated "
            f"{book.effective_date.isoformat()}, more than {STALE_AFTER_MONTHS} months earlier; "
            "its prices may be stale (refresh it with `exitcost prices import`, or register a "
            "newer book).",
            StalePriceBookWarning,
        )
