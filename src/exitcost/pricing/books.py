"""Loading price books: discovery, ``as_of`` selection, caching, user files and lookups.

Bundled books live in ``data/pricing/<provider>/<YYYY-MM-DD>.yaml`` (inside the wheel under
``exitcost/_data/pricing``). :func:`load_price_book` returns the newest book whose effective
date is on or before ``as_of`` (today by default); ``load_price_book(path=...)`` reads a user's
own book (a negotiated rate card) with the same validation. Only folders holding dated books
count as providers: ``facilities/`` and ``regulation/`` are ignored.

A :class:`PriceBook` answers the questions the cost functions and the cost graph ask: the
:class:`TransferPrice` from a source region to a destination, the storage class of a region,
compute unit prices. Lookups name what was asked and list what is valid when it fails.

Location ids are ``provider:region`` (``aws:us-east-1``). Destinations of a transfer:

- ``"internet"``: internet egress (the book's rule for any destination);
- ``"zone"``: another zone (AZ) of the source region (``cross_zone``);
- the source location itself: inside one zone (``intra_region``);
- another region of the same provider: ``inter_region`` (explicit pairs win over rules);
- a location of another provider or a site (``onprem:*``, ``colo:*``, ``edge:*``): internet
  egress priced for the destination's zone where the book prices by destination, or the
  private interconnect with ``via="interconnect"``.

Examples
--------
>>> import exitcost as xc
>>> book = load_price_book("aws", as_of="2025-01-01")
>>> book.effective_date
datetime.date(2024, 9, 25)
>>> book.transfer_price("us-east-1", "aws:us-east-2").schedule.rates_usd_per_gb.tolist()
[0.01]
>>> book.transfer_price("us-east-1", "internet").schedule.edges_gb.tolist()
[0.0, 100.0, 10240.0, 51200.0, 153600.0]
"""

from __future__ import annotations

import contextvars
import datetime as dt
import itertools
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError

from exitcost._dated import DATED_NAME, dated_files, load_cached
from exitcost._fields import format_path, model_at, plain_message
from exitcost._resources import data_dir
from exitcost._validation import MAX_USD, MAX_USD_PER_GB, warn_user
from exitcost._yaml import DataFileError, booleans_read_as_numbers, read_data_file
from exitcost.errors import (
    ExitcostWarning,
    InvalidParameterError,
    PriceBookError,
    UnknownLocationError,
    UnknownProviderError,
    format_choices,
    short_repr,
)
from exitcost.pricing.schema import (
    ALL_REGIONS,
    STORAGE_CLASSES,
    ExitProgramme,
    FreeAllowance,
    InternetEgressRule,
    PriceBookModel,
    Region,
    RegulationModel,
    Source,
    StorageClass,
    Tier,
    Unpublished,
)
from exitcost.pricing.tiers import TierSchedule
from exitcost.units import HOURS_PER_MONTH, add_months, parse_date

__all__ = [
    "ComputeUnitPrices",
    "PriceBook",
    "TransferPrice",
    "VIA_CHOICES",
    "as_date",
    "book_dates",
    "book_provenance",
    "check_via",
    "load_model",
    "load_price_book",
    "load_regulation",
    "providers",
    "read_price_book",
    "register_price_book",
    "registered_price_books",
    "split_location",
    "unregister_price_book",
    "use_price_books",
]

_NOT_PROVIDERS = frozenset({"facilities", "regulation"})
_NOT_REGIMES = frozenset({"jurisdictions"})  # files of regulation/ that are not regimes
VIA_CHOICES: tuple[str, ...] = ("internet", "interconnect")
"""Valid ``via`` values of the transfer functions (None = the default path)."""
_LOCATION = re.compile(r"^(?P<provider>[a-z][a-z0-9-]*):(?P<region>[^\s:]+)$")
_FUTURE_YEARS = 5  # a book taking effect further ahead than this is probably a typo: warn


def as_date(value: Any, *, name: str = "as_of", func: str = "load_price_book") -> dt.date:
    """A date from a ``date``, ``datetime``, ISO string, month or ``None`` (today).

    The same reading as :func:`exitcost.units.parse_date`, with ``func`` named in errors.

    Examples
    --------
    >>> as_date("2024-09-25")
    datetime.date(2024, 9, 25)
    """
    return parse_date(value, name=name, func=func)


def check_via(via: Any, func: str) -> None:
    """Refuse a ``via`` that is not None, ``"internet"`` or ``"interconnect"``.

    Examples
    --------
    >>> check_via("vpn", "egress_cost")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'via' parameter of egress_cost must be None, ...
    """
    if via is not None and via not in VIA_CHOICES:
        raise InvalidParameterError(
            f"The 'via' parameter of {func} must be None, {format_choices(VIA_CHOICES)}. "
            f"Got {via!r} instead."
        )


def split_location(
    location: str, *, name: str = "source", func: str = "egress_cost"
) -> tuple[str, str]:
    """Split a location id ``provider:region`` into its parts.

    Examples
    --------
    >>> split_location("aws:us-east-1")
    ('aws', 'us-east-1')
    """
    match = _LOCATION.match(location) if isinstance(location, str) else None
    if match is None:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a location id 'provider:region' such as "
            f"'aws:us-east-1'. Got {short_repr(location)} instead."
        )
    return match["provider"], match["region"]


# ----------------------------------------------------------------------------- discovery


def _book_files(root: Path) -> dict[str, list[tuple[dt.date, Path]]]:
    """Book files (``<YYYY-MM-DD>.yaml``) by provider folder, oldest first.

    Cost functions call :func:`load_price_book` in loops, so the scan is cached; the key
    holds the modification times of ``root`` and of each provider folder, so a book added or
    removed while the program runs is still seen.
    """
    if not root.is_dir():
        return {}
    stamp = tuple(
        (entry.name, entry.stat().st_mtime_ns) for entry in root.iterdir() if entry.is_dir()
    )
    return _scan_book_files(root, (root.stat().st_mtime_ns, *sorted(stamp)))


@lru_cache(maxsize=8)
def _scan_book_files(root: Path, stamp: tuple[Any, ...]) -> dict[str, list[tuple[dt.date, Path]]]:
    found: dict[str, list[tuple[dt.date, Path]]] = {}
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name in _NOT_PROVIDERS or folder.name.startswith("."):
            continue
        files = dated_files(folder)
        if files:
            found[folder.name] = files
    return found


def _catalogue() -> dict[str, list[tuple[dt.date, Path]]]:
    return _book_files(data_dir("pricing"))


def providers() -> tuple[str, ...]:
    """Provider ids with at least one bundled or registered price book, sorted.

    Examples
    --------
    >>> "aws" in providers()
    True
    """
    return tuple(sorted(set(_catalogue()) | {b.provider for b in registered_price_books()}))


def book_dates(provider: str) -> tuple[dt.date, ...]:
    """Effective dates of a provider's bundled and registered books, oldest first.

    Examples
    --------
    >>> book_dates("aws")[0]
    datetime.date(2024, 9, 25)
    """
    bundled = {d for d, _ in _catalogue().get(provider, [])}
    registered = {b.effective_date for b in registered_price_books() if b.provider == provider}
    if not bundled and not registered:
        raise UnknownProviderError(
            f"No price book exists for provider {provider!r}; valid providers: "
            f"{format_choices(providers())}."
        )
    return tuple(sorted(bundled | registered))


# ----------------------------------------------------------------------------- reading


def _validation_problems(err: ValidationError, root: type[BaseModel]) -> list[str]:
    errors = err.errors()
    locs = [tuple(e["loc"]) for e in errors]
    lines: list[str] = []
    for e, loc in zip(errors, locs, strict=True):
        if e["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in locs
        ):
            continue  # every item failed, which pydantic also reports as "too short": noise
        path = format_path(loc)
        message = str(e["msg"]).removeprefix("Value error, ")
        if not path and ": " in message:
            lines.extend(message.splitlines())  # cross-field problems carry their own paths
            continue
        if e["type"] == "extra_forbidden":
            model = model_at(root, loc[:-1])
            valid = f"; valid fields: {format_choices(model.model_fields)}" if model else ""
            message = f"unknown field {loc[-1]!r}{valid}"
        else:
            message = plain_message(message)
        shown = repr(e.get("input"))
        if len(shown) > 80:
            shown = shown[:77] + "..."
        lines.append(f"{path or '<root>'}: {message} (got {shown})")
    return lines


def _raise_problems(what: str, lines: list[str]) -> NoReturn:
    n = len(lines)
    head = f"{n} problem{'s' if n != 1 else ''} in {what}:"
    raise PriceBookError("\n".join([head, *(f"  - {line}" for line in lines)]))


def _load_yaml(path: Path, what: str) -> Any:
    """Plain data from a price-book file through the one safe reader (exitcost._yaml)."""
    try:
        return read_data_file(path, what=what)
    except DataFileError as exc:
        raise PriceBookError(str(exc)) from None


_ModelT = TypeVar("_ModelT", bound=BaseModel)


def _validated(data: Any, what: str, model: type[_ModelT]) -> _ModelT:
    """``data`` validated as ``model``; one PriceBookError lists every problem.

    A boolean where the schema expects a number (``usd_per_gb: true``) is a problem too:
    pydantic would read it as 1 or 0.
    """
    try:
        validated = model.model_validate(data)
    except ValidationError as err:
        _raise_problems(what, _validation_problems(err, model))
    coerced = booleans_read_as_numbers(data, validated.model_dump())
    if coerced:
        _raise_problems(
            what,
            [f"{path}: must be a number, not a boolean (got {value!r})" for path, value in coerced],
        )
    return validated


def load_model(path: Path, what: str, model: type[_ModelT]) -> _ModelT:
    """Read a YAML file and validate it as ``model``; one PriceBookError lists every problem."""
    return _validated(_load_yaml(path, what), what, model)


def _read_book(path: Path, bundled: bool) -> PriceBook:
    what = f"price book {path.name!r} ({path})"
    data = _load_yaml(path, what)
    if not isinstance(data, dict):
        raise PriceBookError(
            f"{what} must hold a mapping of fields (provider, effective_date, sources, ...). "
            f"Got {type(data).__name__} instead."
        )
    model = _validated(data, what, PriceBookModel)
    problems = _implausible_prices(model.model_dump())
    if bundled:
        match = DATED_NAME.match(path.name)
        if match and match[1] != model.effective_date.isoformat():
            problems.append(
                f"effective_date: must equal the file name's date {match[1]} "
                f"(got '{model.effective_date.isoformat()}')"
            )
        if path.parent.name != model.provider:
            problems.append(
                f"provider: must equal the folder name {path.parent.name!r} "
                f"(got {model.provider!r})"
            )
    if problems:
        _raise_problems(what, problems)
    horizon = add_months(dt.date.today(), 12 * _FUTURE_YEARS)
    if model.effective_date > horizon:
        warn_user(
            f"The {model.provider} {what} takes effect on {model.effective_date.isoformat()}, "
            f"more than {_FUTURE_YEARS} years from today: it is used only for as_of dates on "
            "or after it. Check effective_date if it is meant to apply now.",
            ExitcostWarning,
        )
    return PriceBook(model, path)


def _implausible_prices(dumped: Any) -> list[str]:
    """Prices of a dumped book beyond the plausible: per GB above MAX_USD_PER_GB, else MAX_USD.

    Every price field names its unit (``usd_per_gb``, ``usd_per_gb_month``, ``usd_per_hour``,
    ``usd_per_mbps_month``, ...), so the walk finds them by name.
    """
    found: list[str] = []
    pending: list[tuple[str, Any]] = [("", dumped)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            pending.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
        elif isinstance(value, list | tuple):
            pending.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, float | int) and not isinstance(value, bool):
            leaf = path.rsplit(".", 1)[-1].split("[", 1)[0]
            if "usd" not in leaf:
                continue
            per_gb = "usd_per_gb" in leaf
            limit = MAX_USD_PER_GB if per_gb else MAX_USD
            if value > limit:
                unit = "USD per GB" if per_gb else "USD"
                found.append(
                    f"{path}: must be at most {limit:,.0f} {unit}, the most plausible "
                    f"(got {value!r})"
                )
    return sorted(found)


def _read_user_book(path: Path) -> PriceBook:
    return _read_book(path, False)


def _read_bundled_book(path: Path) -> PriceBook:
    return _read_book(path, True)


def read_price_book(path: str | os.PathLike[str]) -> PriceBook:
    """Read and validate one price book file (a user's own rate card or a bundled book).

    Raises
    ------
    PriceBookError
        The file is missing, not YAML, or invalid; every problem is listed with its field path.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise PriceBookError(f"The price book file {str(path)!r} does not exist.")
    return load_cached(p, _read_user_book)


def load_price_book(
    provider: str | None = None,
    as_of: dt.date | str | None = None,
    *,
    path: str | os.PathLike[str] | None = None,
) -> PriceBook:
    """The price book of ``provider`` in effect on ``as_of``, or a user's book file.

    Parameters
    ----------
    provider : str
        Provider id (``aws``, ``azure``, ``gcp``, ...); see :func:`providers`.
    as_of : date or ISO string, optional
        The day the prices must be in effect (today when omitted). The newest book whose
        effective date is on or before it is returned.
    path : path-like, optional
        Read this file instead (a private rate card); ``provider`` and ``as_of`` are ignored.

    Raises
    ------
    UnknownProviderError
        No bundled book for ``provider`` (the message lists the valid providers).
    PriceBookError
        ``as_of`` is before the provider's first book, or the book is invalid.

    Examples
    --------
    >>> load_price_book("aws", as_of="2024-09-25").provider
    'aws'
    >>> load_price_book("aws", as_of="2020-01-01")
    Traceback (most recent call last):
    ...
    exitcost.errors.PriceBookError: No aws price book is in effect on 2020-01-01; ...
    """
    if path is not None:
        return read_price_book(path)
    if not isinstance(provider, str):
        raise InvalidParameterError(
            "load_price_book needs a provider id (e.g. 'aws') or path=... to a book file. "
            f"Got {provider!r} instead."
        )
    day = as_date(as_of)
    bundled = _catalogue().get(provider, [])
    registered = [b for b in registered_price_books() if b.provider == provider]
    if not bundled and not registered:
        raise UnknownProviderError(
            f"No price book exists for provider {provider!r}; valid providers: "
            f"{format_choices(providers())}."
        )
    # (date, 1 for a registered book so that it wins over a bundled one of the same date, order)
    entries: list[tuple[dt.date, int, int, Path | PriceBook]] = [
        (d, 0, i, f) for i, (d, f) in enumerate(bundled)
    ]
    entries += [(b.effective_date, 1, i, b) for i, b in enumerate(registered)]
    in_effect = [e for e in entries if e[0] <= day]
    if not in_effect:
        first = min(e[0] for e in entries)
        raise PriceBookError(
            f"No {provider} price book is in effect on {day.isoformat()}; the first one takes "
            f"effect on {first.isoformat()}. Pass as_of on or after that date."
        )
    best = max(in_effect, key=lambda e: e[:3])
    chosen = best[3]
    if isinstance(chosen, PriceBook):
        return chosen
    overridden = [e[3] for e in in_effect if e[1] == 1 and e[0] < best[0]]
    for card in overridden:
        assert isinstance(card, PriceBook)
        _warn_overridden(card, best[0], day)
    return load_cached(chosen, _read_bundled_book)


_WARNED_LOCK = threading.Lock()
_WARNED: set[tuple[str, dt.date, str, dt.date]] = set()  # (provider, card date, card, bundled)


def _card_name(book: PriceBook) -> str:
    return str(book.path) if book.path is not None else book.display_name


def _warn_overridden(card: PriceBook, bundled: dt.date, day: dt.date) -> None:
    """Warn (once per card and bundled book) that a newer bundled book hides a registered one."""
    key = (card.provider, card.effective_date, _card_name(card), bundled)
    with _WARNED_LOCK:
        if key in _WARNED:
            return
        _WARNED.add(key)
    warn_user(
        f"The registered {card.provider} price book {_card_name(card)!r} (effective "
        f"{card.effective_date.isoformat()}) is not used on {day.isoformat()}: the bundled "
        f"{card.provider} book of {bundled.isoformat()} is newer and the newest book in effect "
        f"wins. To make the card win, give it an effective_date on or after "
        f"{bundled.isoformat()}.",
        ExitcostWarning,
    )


def book_provenance(book: PriceBook) -> str:
    """How a result names the book that priced it: its effective date, and the card if registered.

    A bundled book gives its ISO effective date (``"2026-10-31"``); a registered book
    (a negotiated rate card) adds its file, or its display name when it was built in memory
    (``"2026-11-01 (registered: /path/deal.yaml)"``). The date always comes first.

    Examples
    --------
    >>> book = load_price_book("aws", as_of="2025-01-01")
    >>> book_provenance(book)
    '2024-09-25'
    >>> with use_price_books(book):
    ...     book_provenance(load_price_book("aws", as_of="2025-01-01"))
    '2024-09-25 (registered: .../aws/2024-09-25.yaml)'
    """
    day = book.effective_date.isoformat()
    registered = any(b is book for b in registered_price_books())
    return f"{day} (registered: {_card_name(book)})" if registered else day


# ----------------------------------------------------------------------------- registry

# Two layers of registered books. ``_REGISTRY`` is process-wide (register_price_book); the books
# of use_price_books blocks live in ``_SCOPED``, a context variable, so that a block is seen only
# by the code running inside it: its own thread, its own asyncio task, and nothing after it.
_REGISTRY_LOCK = threading.RLock()
_REGISTRY: list[PriceBook] = []  # process-wide registered books, in registration order
_SCOPED: contextvars.ContextVar[tuple[tuple[PriceBook, ...], int]] = contextvars.ContextVar(
    "exitcost_scoped_price_books", default=((), 0)
)
_GENERATIONS = itertools.count(1)  # one source of generation numbers, never reused
_REGISTRY_GENERATION = 0  # generation of the process-wide registry
_KEYS: OrderedDict[tuple[int, int], int] = OrderedDict()  # (process, scope) -> generation
_KEYS_KEPT = 1024


def _registry_changed() -> None:
    """Count a change of the process-wide registered books (see :func:`registry_generation`)."""
    global _REGISTRY_GENERATION
    with _REGISTRY_LOCK:
        _REGISTRY_GENERATION = next(_GENERATIONS)


def registry_generation() -> int:
    """A number that identifies the set of registered books seen by the calling context.

    It changes whenever a price book is registered or unregistered, and differs between two
    :func:`use_price_books` blocks running at the same time (threads, asyncio tasks). Caches of
    results built from the books in effect (such as the cost graph's transfer options) put it
    in their key, so that they never serve prices from another set of books. Numbers are never
    reused.

    Examples
    --------
    >>> outside = registry_generation()
    >>> book = load_price_book("aws", as_of="2025-01-01")
    >>> with use_price_books(book):
    ...     registry_generation() != outside
    True
    >>> registry_generation() == outside
    True
    """
    _books, scope = _SCOPED.get()
    with _REGISTRY_LOCK:
        if scope == 0:
            return _REGISTRY_GENERATION
        key = (_REGISTRY_GENERATION, scope)
        found = _KEYS.get(key)
        if found is None:
            found = _KEYS[key] = next(_GENERATIONS)
            while len(_KEYS) > _KEYS_KEPT:  # a forgotten key only costs a cache miss
                _KEYS.popitem(last=False)
        return found


def _merged(
    base: list[PriceBook] | tuple[PriceBook, ...], added: tuple[PriceBook, ...]
) -> tuple[PriceBook, ...]:
    """``base`` then ``added``; a book replaces an earlier one of the same provider and date."""
    out: list[PriceBook] = list(base)
    for book in added:
        key = (book.provider, book.effective_date)
        out = [b for b in out if (b.provider, b.effective_date) != key]
        out.append(book)
    return tuple(out)


def registered_price_books() -> tuple[PriceBook, ...]:
    """The registered price books (negotiated rate cards) seen here, in registration order.

    These are the process-wide books of :func:`register_price_book` followed by the books of
    the :func:`use_price_books` blocks the caller is inside (a book of a block replaces a
    process-wide one of the same provider and date).

    Examples
    --------
    >>> registered_price_books()
    ()
    """
    scoped, _scope = _SCOPED.get()
    with _REGISTRY_LOCK:
        base = list(_REGISTRY)
    return _merged(base, scoped) if scoped else tuple(base)


def _as_book(book: Any, func: str) -> PriceBook:
    if isinstance(book, PriceBook):
        return book
    if isinstance(book, (str, os.PathLike)):
        return read_price_book(book)
    raise InvalidParameterError(
        f"The 'book' parameter of {func} must be a PriceBook (from load_price_book(path=...)) "
        f"or the path of a price book file. Got {book!r} instead."
    )


def register_price_book(book: PriceBook | str | os.PathLike[str]) -> PriceBook:
    """Make a price book (a negotiated rate card) one that the cost functions can select.

    From then on :func:`load_price_book` (and so every cost function, the exit bill, the
    baseline and the cost graph) chooses among the bundled and the registered books of the
    provider by effective date; a registered book wins over a bundled one of the same date.
    The newest book in effect always wins, so a card dated before a bundled book is not used
    once that bundled book is in effect: an :class:`~exitcost.errors.ExitcostWarning` says so
    (once per card), and giving the card an ``effective_date`` on or after the bundled book's
    makes it win. A card replaces the provider's whole book while it is in effect. A
    book registered again for the same provider and date replaces the earlier one. The
    registration is process-wide (every thread, task and notebook cell sees it, until
    :func:`unregister_price_book`); to use a card for one computation only, and safely in a
    server that runs many at once, use :func:`use_price_books`.

    Parameters
    ----------
    book : PriceBook or path-like
        A book from ``load_price_book(path=...)``, or the path of its file.

    Returns
    -------
    PriceBook
        The registered book.

    Raises
    ------
    PriceBookError
        The file is missing or invalid.
    InvalidParameterError
        ``book`` is neither a PriceBook nor a path.
    """
    loaded = _as_book(book, "register_price_book")
    with _REGISTRY_LOCK:
        _REGISTRY[:] = _merged(_REGISTRY, (loaded,))
        _registry_changed()
    return loaded


def unregister_price_book(
    book: PriceBook | str, effective_date: dt.date | str | None = None
) -> tuple[PriceBook, ...]:
    """Remove process-wide registered books: this book, or a provider's (of one date if given).

    Books of a :func:`use_price_books` block are not affected: they leave with the block.

    Returns
    -------
    tuple of PriceBook
        The books removed.

    Raises
    ------
    InvalidParameterError
        Nothing registered matches (the message lists what is registered).
    """
    func = "unregister_price_book"
    day = (
        None
        if effective_date is None
        else as_date(effective_date, name="effective_date", func=func)
    )
    with _REGISTRY_LOCK:
        if isinstance(book, PriceBook):
            removed = [b for b in _REGISTRY if b is book]
        elif isinstance(book, str):
            removed = [
                b
                for b in _REGISTRY
                if b.provider == book and (day is None or b.effective_date == day)
            ]
        else:
            raise InvalidParameterError(
                f"The 'book' parameter of {func} must be a registered PriceBook or a provider "
                f"id. Got {book!r} instead."
            )
        if not removed:
            shown = format_choices(f"{b.provider} {b.effective_date}" for b in _REGISTRY)
            raise InvalidParameterError(
                f"No registered price book matches {book!r}"
                f"{'' if day is None else f' on {day}'}; registered: {shown or 'none'}."
            )
        _REGISTRY[:] = [b for b in _REGISTRY if all(b is not r for r in removed)]
        _registry_changed()
    return tuple(removed)


@contextmanager
def use_price_books(*books: PriceBook | str | os.PathLike[str]) -> Iterator[tuple[PriceBook, ...]]:
    """Use price books inside a ``with`` block only: in this thread or task, and nowhere after.

    Parameters
    ----------
    *books : PriceBook or path-like
        Books (or their files) to use, as with :func:`register_price_book`.

    Yields
    ------
    tuple of PriceBook
        The books, in the order given.

    Notes
    -----
    The books are held in a context variable (:mod:`contextvars`): code running inside the
    block sees them, including functions it calls and asyncio tasks it starts; other threads
    and tasks running at the same time do not, and leaving the block removes them, whatever
    the others did meanwhile. Blocks nest; an inner book replaces an outer one of the same
    provider and date. Books registered process-wide with :func:`register_price_book` are
    seen too.

    Examples
    --------
    >>> list_price = load_price_book("aws", as_of="2025-01-01")
    >>> with use_price_books(list_price) as (book,):
    ...     load_price_book("aws", as_of="2025-01-01") is book
    True
    >>> registered_price_books()
    ()
    """
    loaded = tuple(_as_book(b, "use_price_books") for b in books)
    before = _SCOPED.get()
    token = _SCOPED.set((_merged(before[0], loaded), next(_GENERATIONS)))
    try:
        yield loaded
    finally:
        try:
            _SCOPED.reset(token)
        except ValueError:  # left in another context than the one entered (a moved generator)
            _SCOPED.set(before)


def _read_regulation(path: Path) -> RegulationModel:
    return load_model(path, f"regulation file {path.name!r} ({path})", RegulationModel)


def load_regulation(regime: str = "eu_data_act") -> RegulationModel:
    """A bundled regulation regime (``data/pricing/regulation/<regime>.yaml``).

    Examples
    --------
    >>> load_regulation("eu_data_act").phases[-1].start
    datetime.date(2027, 1, 12)
    """
    folder = data_dir("pricing") / "regulation"
    known = (
        sorted(p.stem for p in folder.glob("*.yaml") if p.stem not in _NOT_REGIMES)
        if folder.is_dir()
        else []
    )
    if regime not in known:
        raise PriceBookError(f"No regulation regime {regime!r}; valid: {format_choices(known)}.")
    return load_cached(folder / f"{regime}.yaml", _read_regulation)


# ----------------------------------------------------------------------------- lookups


@dataclass(frozen=True, eq=False)
class TransferPrice:
    """The price of moving data from one location to another, per billing month.

    Attributes
    ----------
    schedule : TierSchedule
        Per-GB price of the month's volume (free allowance included). [USD/GB]
    transfer_class : str
        One of :data:`exitcost.categories.TRANSFER_CLASSES`.
    fixed_usd_per_month : float
        A fee that does not depend on volume (interconnect port, committed transit). [USD]
    source : str
        Source id in the book's ``sources`` table; ``label`` its confidence.
    reference : str
        Where the price sits: ``"<provider> <effective date>: <field path>"``.
    """

    schedule: TierSchedule
    transfer_class: Literal[
        "internet", "inter_region", "cross_zone", "intra_region", "interconnect"
    ]
    fixed_usd_per_month: float
    source: str
    label: str
    reference: str

    def cost(self, volume_gb: Any, **kwargs: Any) -> Any:
        """Variable cost of each month's volume (the fixed fee is not included). [USD]"""
        return self.schedule.cost(volume_gb, **kwargs)


@dataclass(frozen=True)
class ComputeUnitPrices:
    """On-demand unit prices of compute in one region, with commitment discounts.

    ``usd_per_gpu_hour`` maps GPU model to price; ``discount_fraction`` maps ``1yr``/``3yr``
    to the fraction off on-demand (general-purpose family); ``gpu_discount_fraction`` maps
    ``(gpu_model, term)`` to the GPU family's discount where the book gives one.
    """

    region: str
    usd_per_vcpu_hour: float | None
    usd_per_gib_hour: float | None
    usd_per_gpu_hour: Mapping[str, float] = field(default_factory=dict)
    discount_fraction: Mapping[str, float] = field(default_factory=dict)
    gpu_discount_fraction: Mapping[tuple[str, str], float] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)


def _selects(selector: tuple[str, ...], region: str) -> bool:
    return region in selector or ALL_REGIONS in selector


class PriceBook:
    """A validated price book (see ``data/pricing/README.md`` for the file format).

    Attributes
    ----------
    provider, display_name, kind, currency : str
    effective_date : datetime.date
    billing_gb_bytes : int
    regions : Mapping[str, Region]
        Region id -> name, continent, jurisdiction, pricing zone (read-only).
    sources : Mapping[str, Source]
    model : PriceBookModel
        The full validated file.
    path : pathlib.Path or None
    """

    def __init__(self, model: PriceBookModel, path: Path | None = None) -> None:
        self.model = model
        self.path = path
        self.provider = model.provider
        self.display_name = model.display_name
        self.kind = model.kind
        self.currency = model.currency
        self.effective_date = model.effective_date
        self.billing_gb_bytes = model.billing_gb_bytes
        self.regions: Mapping[str, Region] = MappingProxyType(dict(model.regions))
        self.sources: Mapping[str, Source] = MappingProxyType(dict(model.sources))

    def __repr__(self) -> str:
        return (
            f"PriceBook(provider={self.provider!r}, effective_date={self.effective_date}, "
            f"regions={len(self.regions)})"
        )

    @property
    def exit_programme(self) -> ExitProgramme | None:
        """The provider's free-egress-on-exit programme, if any."""
        return self.model.exit_programme

    def _ref(self, field_path: str) -> str:
        return f"{self.provider} {self.effective_date.isoformat()}: {field_path}"

    def region(self, region: str, *, name: str = "source", func: str = "egress_cost") -> Region:
        """Metadata of a region; site templates accept any id.

        Raises
        ------
        UnknownLocationError
            The region is not in the book (the message lists the valid ones).
        """
        if region in self.regions:
            return self.regions[region]
        if ALL_REGIONS in self.regions:
            template = self.regions[ALL_REGIONS]
            return template.model_copy(update={"name": f"{template.name} ({region})"})
        raise UnknownLocationError(
            f"The {name!r} parameter of {func} names region {region!r}, which the "
            f"{self.provider} price book ({self.effective_date}) does not have; valid: "
            f"{format_choices(f'{self.provider}:{r}' for r in self.regions)}."
        )

    def _tier_of(self, network_tier: str | None) -> str | None:
        return network_tier if network_tier is not None else self.model.default_network_tier

    def _matches_tier(self, rule_tier: str | None, wanted: str | None) -> bool:
        return self._tier_of(rule_tier) == self._tier_of(wanted)

    def free_allowance_gb(
        self,
        region: str,
        transfer_class: str = "internet",
        *,
        network_tier: str | None = None,
        stored_gb: float = 0.0,
        scope: Literal["all", "account", "region"] = "all",
    ) -> float:
        """Free GB per month for one source region and transfer class (summed over allowances).

        ``scope="account"`` or ``"region"`` counts only the allowances of that scope.
        """
        return float(
            sum(
                a.gb_per_month + a.gb_per_stored_gb * stored_gb
                for a in self._allowances(region, transfer_class, network_tier)
                if scope == "all" or a.scope == scope
            )
        )

    def _allowances(
        self, region: str, transfer_class: str, network_tier: str | None
    ) -> list[FreeAllowance]:
        return [
            a
            for a in self.model.free_allowances
            if transfer_class in a.classes
            and _selects(a.regions, region)
            and self._matches_tier(a.network_tier, network_tier)
        ]

    def _egress_rule(
        self, region: str, destination_zone: str | None, network_tier: str | None
    ) -> tuple[int, InternetEgressRule]:
        def find(zone: str | None, explicit: bool) -> tuple[int, InternetEgressRule] | None:
            for i, rule in enumerate(self.model.internet_egress):
                hit = region in rule.regions if explicit else ALL_REGIONS in rule.regions
                if (
                    hit
                    and rule.destination_zone == zone
                    and self._matches_tier(rule.network_tier, network_tier)
                ):
                    return i, rule
            return None

        for zone in (destination_zone, None) if destination_zone else (None,):
            for explicit in (True, False):
                found = find(zone, explicit)
                if found is not None:
                    return found
        tiers = sorted({str(self._tier_of(r.network_tier)) for r in self.model.internet_egress})
        gap = self.unpublished("internet_egress", region)
        if gap is not None and gap.beyond_gb is None:
            raise PriceBookError(
                f"The {self.provider} price book ({self.effective_date}) has no internet egress "
                f"price from region {region!r} for network tier {self._tier_of(network_tier)!r}: "
                f"it lists it as unpublished: {gap.reason.strip()} Pass fallback='nearest' to "
                "borrow the nearest priced region's price on the same continent (label R)."
            )
        raise PriceBookError(
            f"The {self.provider} price book ({self.effective_date}) has no internet egress "
            f"price from region {region!r} for network tier {self._tier_of(network_tier)!r}; "
            f"network tiers in the book: {format_choices(tiers)}."
        )

    def _schedule(
        self, tiers: tuple[Tier, ...], block_source: str, block_label: str, free_gb: float
    ) -> TierSchedule:
        return TierSchedule.from_bounds(
            [(t.min_gb, t.max_gb, t.usd_per_gb) for t in tiers],
            free_gb=free_gb,
            labels=[t.label or block_label for t in tiers],
            sources=[t.source or block_source for t in tiers],
        )

    def destination_zone_of(self, continent: str | None, jurisdiction: str | None) -> str | None:
        """The book's destination zone containing a destination, or None (priced as 'any')."""
        for zone_id, zone in self.model.destination_zones.items():
            if (jurisdiction is not None and jurisdiction in zone.jurisdictions) or (
                continent is not None and continent in zone.continents
            ):
                return zone_id
        return None

    def internet_price(
        self,
        region: str,
        *,
        destination_zone: str | None = None,
        network_tier: str | None = None,
        stored_gb: float = 0.0,
        free_allowance: bool = True,
    ) -> TransferPrice:
        """Internet egress price from ``region`` (free allowance folded in unless disabled)."""
        self.region(region)
        transit = [(i, t) for i, t in enumerate(self.model.transit) if _selects(t.regions, region)]
        if transit and not self.model.internet_egress:
            return self._transit_price(region, *transit[0])
        index, rule = self._egress_rule(region, destination_zone, network_tier)
        free = (
            self.free_allowance_gb(
                region, "internet", network_tier=network_tier, stored_gb=stored_gb
            )
            if free_allowance
            else 0.0
        )
        return TransferPrice(
            self._schedule(rule.tiers, rule.source, rule.label, free),
            "internet",
            0.0,
            rule.source,
            rule.label,
            self._ref(f"internet_egress[{index}]"),
        )

    def _transit_price(self, region: str, index: int, rule: Any) -> TransferPrice:
        # Mbps at the percentile produced by 1 GB per month
        mbps_per_gb = (
            self.billing_gb_bytes * 8.0 / (rule.hours_per_month * 3600.0) / 1e6
        ) * rule.peak_to_average
        commit_gb = rule.commit_mbps / mbps_per_gb
        rate = rule.overage_usd_per_mbps_month * mbps_per_gb
        tiers = (
            [(0.0, commit_gb, 0.0), (commit_gb, None, rate)]
            if commit_gb > 0
            else [(0.0, None, rate)]
        )
        return TransferPrice(
            TierSchedule.from_bounds(
                tiers, labels=[rule.label] * len(tiers), sources=[rule.source] * len(tiers)
            ),
            "internet",
            rule.commit_mbps * rule.usd_per_mbps_month,
            rule.source,
            rule.label,
            self._ref(f"transit[{index}]"),
        )

    def _flat(
        self,
        rate: float,
        klass: Any,
        source: str,
        label: str,
        ref: str,
        region: str,
        fixed: float = 0.0,
    ) -> TransferPrice:
        free = self.free_allowance_gb(region, klass)
        schedule = TierSchedule.flat(rate, label=label, source=source)
        if free > 0:
            schedule = TierSchedule.from_bounds(
                [(0.0, None, rate)], free_gb=free, labels=[label], sources=[source]
            )
        return TransferPrice(schedule, klass, fixed, source, label, self._ref(ref))

    def inter_region_price(self, region: str, to_region: str) -> TransferPrice:
        """Price from ``region`` to another region of this provider."""
        src = self.region(region)
        dst = self.region(to_region, name="destination")
        if src.partition != dst.partition:
            raise PriceBookError(
                f"The {self.provider} price book ({self.effective_date}) has no backbone between "
                f"{region!r} (partition {src.partition or 'main'}) and {to_region!r} (partition "
                f"{dst.partition or 'main'}): such transfers are internet egress."
            )
        for i, pair in enumerate(self.model.inter_region_pairs):
            if (pair.from_region, pair.to_region) == (region, to_region) or (
                pair.both_directions and (pair.to_region, pair.from_region) == (region, to_region)
            ):
                return self._flat(
                    pair.usd_per_gb,
                    "inter_region",
                    pair.source,
                    pair.label,
                    f"inter_region_pairs[{i}]",
                    region,
                )
        candidates = [
            (i, r) for i, r in enumerate(self.model.inter_region) if _selects(r.regions, region)
        ]
        restricted = [(i, r) for i, r in candidates if r.destination_continents]
        chosen = [(i, r) for i, r in restricted if dst.continent in r.destination_continents]
        if not chosen:
            open_rules = [(i, r) for i, r in candidates if not r.destination_continents]
            explicit = [(i, r) for i, r in open_rules if region in r.regions]
            chosen = explicit or open_rules
        if not chosen:
            raise PriceBookError(
                f"The {self.provider} price book ({self.effective_date}) has no inter-region "
                f"price from {region!r} to {to_region!r}."
            )
        i, rule = chosen[0]
        same = src.continent is not None and src.continent == dst.continent
        rate = rule.same_continent_usd_per_gb if same else rule.cross_continent_usd_per_gb
        return self._flat(
            rate, "inter_region", rule.source, rule.label, f"inter_region[{i}]", region
        )

    def _zone_rule(self, rules: tuple[Any, ...], region: str, what: str) -> tuple[int, Any]:
        explicit = [(i, r) for i, r in enumerate(rules) if region in r.regions]
        wildcard = [(i, r) for i, r in enumerate(rules) if ALL_REGIONS in r.regions]
        found = explicit or wildcard
        if not found:
            raise PriceBookError(
                f"The {self.provider} price book ({self.effective_date}) has no {what} price "
                f"for region {region!r}."
            )
        return found[0]

    def transfer_price(
        self,
        region: str,
        destination: str,
        *,
        via: Literal["internet", "interconnect"] | None = None,
        network_tier: str | None = None,
        destination_continent: str | None = None,
        destination_jurisdiction: str | None = None,
        port_gbps: float | None = None,
        stored_gb: float = 0.0,
    ) -> TransferPrice:
        """The :class:`TransferPrice` from ``region`` to ``destination`` (see module docstring).

        ``destination_continent`` / ``destination_jurisdiction`` override what the
        destination's own book says (used to pick a destination zone). ``port_gbps`` adds
        the interconnect's port fee as ``fixed_usd_per_month`` (730 hours).

        Raises
        ------
        InvalidParameterError
            ``via`` is not None, ``"internet"`` or ``"interconnect"``.
        """
        check_via(via, "transfer_price")
        self.region(region)
        if destination == "zone":
            i, rule = self._zone_rule(self.model.cross_zone, region, "cross-zone")
            rate = rule.usd_per_gb * (2.0 if rule.each_direction else 1.0)
            return self._flat(
                rate, "cross_zone", rule.source, rule.label, f"cross_zone[{i}]", region
            )
        if destination == "internet":
            if via == "interconnect":
                return self._interconnect_price(region, port_gbps)
            return self.internet_price(region, network_tier=network_tier, stored_gb=stored_gb)
        dst_provider, dst_region = split_location(destination, name="destination")
        if dst_provider == self.provider and (
            self.region(region).partition == self.region(dst_region, name="destination").partition
        ):
            if dst_region == region:
                i, rule = self._zone_rule(self.model.intra_region, region, "intra-region")
                return self._flat(
                    rule.usd_per_gb,
                    "intra_region",
                    rule.source,
                    rule.label,
                    f"intra_region[{i}]",
                    region,
                )
            return self.inter_region_price(region, dst_region)
        if via == "interconnect":
            return self._interconnect_price(region, port_gbps)
        geo = _location_geo(dst_provider, dst_region, self.effective_date)  # checks the region
        continent, jurisdiction = destination_continent, destination_jurisdiction
        if continent is None and jurisdiction is None:
            continent, jurisdiction = geo
        zone = self.destination_zone_of(continent, jurisdiction)
        return self.internet_price(
            region, destination_zone=zone, network_tier=network_tier, stored_gb=stored_gb
        )

    def _interconnect_price(self, region: str, port_gbps: float | None) -> TransferPrice:
        ic = self.model.interconnect
        rates = (
            []
            if ic is None
            else [(i, r) for i, r in enumerate(ic.rates) if _selects(r.regions, region)]
        )
        if ic is None or not rates:
            raise PriceBookError(
                f"The {self.provider} price book ({self.effective_date}) has no private "
                f"interconnect price for region {region!r}; use via='internet' or add an "
                "interconnect rate to a private book."
            )
        i, rate = rates[0]
        fixed = 0.0
        if port_gbps is not None:
            ports = {p.speed_gbps: p for p in ic.ports}
            if port_gbps not in ports:
                raise InvalidParameterError(
                    f"The 'port_gbps' parameter must be a port speed of {ic.name}: "
                    f"{format_choices(ports)}. Got {port_gbps!r} instead."
                )
            fixed = ports[port_gbps].usd_per_hour * HOURS_PER_MONTH
        return self._flat(
            rate.usd_per_gb,
            "interconnect",
            rate.source,
            rate.label,
            f"interconnect.rates[{i}]",
            region,
            fixed,
        )

    def unpublished(
        self, kind: str, region: str, storage_class: str | None = None
    ) -> Unpublished | None:
        """The book's ``unpublished`` entry for a price, or None when none says so.

        ``kind`` is ``storage``, ``retrieval`` or ``internet_egress``; a storage entry without a
        class covers every class.
        """
        for gap in self.model.unpublished:
            if (
                gap.kind == kind
                and _selects(gap.regions, region)
                and (gap.storage_class is None or gap.storage_class == storage_class)
            ):
                return gap
        return None

    def storage_classes(self) -> tuple[str, ...]:
        """The storage classes this provider sells: priced somewhere, or listed as unpublished."""
        sold = {s.storage_class for s in self.model.storage}
        sold |= {
            g.storage_class
            for g in self.model.unpublished
            if g.kind in ("storage", "retrieval") and g.storage_class is not None
        }
        return tuple(c for c in STORAGE_CLASSES if c in sold)

    def prices_storage(self, region: str, storage_class: str) -> bool:
        """True when a storage block of the book prices ``storage_class`` in ``region``."""
        return any(
            s.storage_class == storage_class and _selects(s.regions, region)
            for s in self.model.storage
        )

    def storage_class(self, region: str, storage_class: str) -> StorageClass:
        """The storage-class block pricing ``storage_class`` in ``region``.

        Raises
        ------
        PriceBookError
            The class is not priced in the region: the message lists the classes priced there
            and the regions pricing the class, gives the book's reason where it lists the price
            as unpublished, and names ``fallback='nearest'``, the switch that answers anyway.
        """
        self.region(region)
        explicit = [
            s
            for s in self.model.storage
            if s.storage_class == storage_class and region in s.regions
        ]
        wildcard = [
            s
            for s in self.model.storage
            if s.storage_class == storage_class and ALL_REGIONS in s.regions
        ]
        found = explicit or wildcard
        if not found:
            here = sorted(
                {s.storage_class for s in self.model.storage if _selects(s.regions, region)}
            )
            where = sorted(
                {
                    r
                    for s in self.model.storage
                    if s.storage_class == storage_class
                    for r in s.regions
                }
            )
            gap = self.unpublished("storage", region, storage_class)
            why = f" The book lists it as unpublished: {gap.reason.strip()}" if gap else ""
            raise PriceBookError(
                f"The {self.provider} price book ({self.effective_date}) has no "
                f"{storage_class!r} storage price in region {region!r}. Classes priced there: "
                f"{format_choices(here) or 'none'}; regions pricing {storage_class!r}: "
                f"{format_choices(where) or 'none'}.{why} Pass fallback='nearest' to borrow "
                "the price of the nearest priced region on the same continent (label R)."
            )
        return found[0]

    def storage_schedule(self, region: str, storage_class: str) -> TierSchedule:
        """USD per GB-month tiers of a class in a region (free GB-months folded in)."""
        sc = self.storage_class(region, storage_class)
        return TierSchedule.from_bounds(
            [(t.min_gb, t.max_gb, t.usd_per_gb_month) for t in sc.tiers],
            free_gb=sc.free_gb_month,
            labels=[t.label or sc.label for t in sc.tiers],
            sources=[t.source or sc.source for t in sc.tiers],
        )

    def compute_unit_prices(self, region: str) -> ComputeUnitPrices:
        """Unit prices of compute in ``region`` (the first general-purpose family listed).

        Raises
        ------
        PriceBookError
            The book prices no compute in the region (lists the regions it does price).
        """
        self.region(region, name="region", func="compute_unit_prices")
        families = [f for f in self.model.compute if _selects(f.regions, region)]
        if not families:
            where = sorted({r for f in self.model.compute for r in f.regions})
            raise PriceBookError(
                f"The {self.provider} price book ({self.effective_date}) has no compute unit "
                f"prices for region {region!r}; regions with prices: {format_choices(where)}."
            )
        vcpu = gib = None
        discounts: dict[str, float] = {}
        gpu: dict[str, float] = {}
        gpu_disc: dict[tuple[str, str], float] = {}
        labels: dict[str, str] = {}
        for fam in families:
            if fam.kind == "general_purpose" and vcpu is None and fam.split is not None:
                share = fam.split.vcpu_share
                vcpu = fam.usd_per_hour * share / fam.vcpus
                gib = fam.usd_per_hour * (1.0 - share) / fam.memory_gib
                discounts = {c.term: c.discount_fraction for c in fam.commitments}
                labels["vcpu"] = labels["memory_gib"] = f"{fam.label}/{fam.split.label}"
            elif fam.kind == "gpu" and fam.gpu_model:
                # The family's own model at its label; models it stands in for at label R.
                stand_ins = [(m, "R") for m in fam.stands_in_for]
                for model, label in [(fam.gpu_model, fam.label), *stand_ins]:
                    if model in gpu:
                        continue
                    gpu[model] = fam.usd_per_hour / fam.gpus
                    labels[f"gpu:{model}"] = label
                    for c in fam.commitments:
                        gpu_disc[(model, c.term)] = c.discount_fraction
        return ComputeUnitPrices(
            region,
            vcpu,
            gib,
            MappingProxyType(gpu),
            MappingProxyType(discounts),
            MappingProxyType(gpu_disc),
            MappingProxyType(labels),
        )


def _location_geo(provider: str, region: str, as_of: dt.date) -> tuple[str | None, str | None]:
    """Continent and jurisdiction of another provider's location, when a book knows it.

    A provider without a bundled book (e.g. ``hetzner``) is taken as an internet destination
    of unknown geography; a region missing from a bundled provider's book is an error.
    """
    if provider not in providers():
        return None, None
    book = load_price_book(provider, as_of=max(as_of, _first_date(provider)))
    meta = book.region(region, name="destination", func="transfer_price")
    return meta.continent, meta.jurisdiction


def _first_date(provider: str) -> dt.date:
    return book_dates(provider)[0]
