"""Checking an estate's locations against the price books.

An estate can be valid on its own (ids well formed, references resolved) and still name a
region no book prices (``aws:mars-1``), a provider without a book (``foo:bar``), or put a
region on another continent or in another jurisdiction than its book does. The cost functions
would fail later, one location at a time; :func:`check_estate_locations` finds every such
problem at once, with field paths like those of :class:`~exitcost.errors.EstateError`.
:func:`check_estate_storage` does the same for datasets whose storage class their location's
book does not price (a ``cold`` dataset in a region without it, any dataset on OCI, whose book
prices no storage).

Examples
--------
>>> from exitcost.estate import sample_estate
>>> check_estate_locations(sample_estate())
[]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from exitcost._suggest import unknown
from exitcost.errors import (
    PriceBookError,
    Problem,
    UnknownLocationError,
    UnknownProviderError,
    format_choices,
)
from exitcost.pricing.books import as_date, load_price_book, providers
from exitcost.pricing.jurisdictions import jurisdictions_agree
from exitcost.pricing.schema import ALL_REGIONS

__all__ = ["check_estate_locations", "check_estate_storage"]


def check_estate_locations(estate: Any, as_of: dt.date | str | None = None) -> list[Problem]:
    """Every disagreement between the estate's locations and the price books in effect.

    Parameters
    ----------
    estate : Estate
        The estate (read by duck typing: ``locations`` with ``id``, ``kind``, ``continent``,
        ``jurisdiction``; ``as_of``).
    as_of : date or ISO string, optional
        The books in effect on that day (default: the estate's ``as_of``).

    Returns
    -------
    list of Problem
        Empty when every location can be priced and agrees with its book. Paths are
        ``locations[i].id`` (a cloud provider without a book, none in effect on the day, or a
        region the book does not have), ``locations[i].continent`` and
        ``locations[i].jurisdiction`` (the book places the region elsewhere; a member state
        agrees with its group, ``DE`` with ``EU``). Sites (onprem, colo, edge) are checked
        only where their template book exists and names its sites.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> mars = NS(id="aws:mars-1", kind="cloud", continent="europe", jurisdiction="EU")
    >>> [p.path for p in check_estate_locations(NS(as_of="2025-01-01", locations=[mars]))]
    ['locations[0].id']
    """
    day = as_date(estate.as_of if as_of is None else as_of, func="check_estate_locations")
    known = providers()
    problems: list[Problem] = []
    for i, loc in enumerate(estate.locations):
        path = f"locations[{i}]"
        provider, _, region = str(loc.id).partition(":")
        cloud = loc.kind == "cloud"
        if provider not in known:
            if cloud:
                problems.append(
                    Problem(
                        f"{path}.id",
                        loc.id,
                        f"cloud provider {provider!r} has no price book; providers with books: "
                        f"{format_choices(known)} (register a book of your own with "
                        "exitcost.pricing.register_price_book)",
                    )
                )
            continue
        try:
            book = load_price_book(provider, as_of=day)
        except PriceBookError as exc:
            if cloud:
                problems.append(Problem(f"{path}.id", loc.id, str(exc)))
            continue
        except UnknownProviderError:  # pragma: no cover - known providers have books
            continue
        try:
            meta = book.region(region, name="locations", func="check_estate_locations")
        except UnknownLocationError:
            ids = [f"{provider}:{r}" for r in book.regions]
            problems.append(
                Problem(
                    f"{path}.id",
                    loc.id,
                    unknown(
                        f"region {region!r} is not in the {provider} price book in effect on "
                        f"{day.isoformat()} ({book.effective_date.isoformat()})",
                        loc.id,
                        ids,
                        format_choices(ids, limit=len(ids)),
                    ),
                )
            )
            continue
        if region not in book.regions:
            continue  # a site matched by a template's '*': no geography to compare
        if meta.continent is not None and loc.continent != meta.continent:
            problems.append(
                Problem(
                    f"{path}.continent",
                    loc.continent,
                    f"the {provider} price book ({book.effective_date.isoformat()}) places "
                    f"{loc.id!r} in {meta.continent!r}",
                )
            )
        if meta.jurisdiction is not None and not jurisdictions_agree(
            str(loc.jurisdiction), meta.jurisdiction
        ):
            problems.append(
                Problem(
                    f"{path}.jurisdiction",
                    loc.jurisdiction,
                    f"the {provider} price book ({book.effective_date.isoformat()}) places "
                    f"{loc.id!r} in jurisdiction {meta.jurisdiction!r}",
                )
            )
    return problems


def _classes_priced(book: Any, region: str) -> list[str]:
    return sorted(
        {
            s.storage_class
            for s in book.model.storage
            if region in s.regions or ALL_REGIONS in s.regions
        }
    )


def check_estate_storage(estate: Any, as_of: dt.date | str | None = None) -> list[Problem]:
    """Every dataset whose storage class its location's price book does not price there.

    The exit bill and the baseline price each dataset's storage class at its location and
    fail on the first one the book does not price; this lists them all at once.

    Parameters
    ----------
    estate : Estate
        The estate (read by duck typing: ``locations`` with ``id`` and ``kind``, ``datasets``
        with ``id``, ``location`` and ``storage_class``, ``as_of``).
    as_of : date or ISO string, optional
        The books in effect on that day (default: the estate's ``as_of``).

    Returns
    -------
    list of Problem
        One per dataset, path ``datasets[i].storage_class``, in the estate's order; the
        message names the dataset, the book and the classes it prices at the location. Cloud
        datasets only, plus site datasets where the site's template book prices some storage
        (the others are not priced by storage class). Datasets at a location that
        :func:`check_estate_locations` rejects (no book, unknown region) are left to it.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> est = NS(
    ...     as_of="2026-11-01",
    ...     locations=[NS(id="azure:polandcentral", kind="cloud")],
    ...     datasets=[NS(id="old", location="azure:polandcentral", storage_class="archive")],
    ... )
    >>> [(p.path, p.value) for p in check_estate_storage(est)]
    [('datasets[0].storage_class', 'archive')]
    >>> from exitcost.estate import sample_estate
    >>> check_estate_storage(sample_estate())
    []
    """
    day = as_date(estate.as_of if as_of is None else as_of, func="check_estate_storage")
    kinds = {str(loc.id): loc.kind for loc in estate.locations}
    known = providers()
    books: dict[str, Any] = {}
    problems: list[Problem] = []
    for i, d in enumerate(estate.datasets):
        location = str(d.location)
        provider, _, region = location.partition(":")
        if provider not in known:
            continue
        if provider not in books:
            try:
                books[provider] = load_price_book(provider, as_of=day)
            except PriceBookError:
                books[provider] = None
        book = books[provider]
        if book is None or not (region in book.regions or ALL_REGIONS in book.regions):
            continue  # check_estate_locations reports it
        here = _classes_priced(book, region)
        if d.storage_class in here or (kinds.get(location) != "cloud" and not here):
            continue
        problems.append(
            Problem(
                f"datasets[{i}].storage_class",
                d.storage_class,
                f"dataset {d.id!r}: the {provider} price book ({book.effective_date.isoformat()}) "
                f"has no {d.storage_class!r} storage price in region {region!r}; classes priced "
                f"there: {format_choices(here) or 'none'}",
            )
        )
    return problems
