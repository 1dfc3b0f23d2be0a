"""Checks of an estate against the data exitcost prices it with (beyond the estate's own rules).

An :class:`~exitcost.estate.Estate` validates on its own: types, ranges, references between its
entities. Some mistakes only show against the bundled data: a cloud region no price book knows,
a service id missing from the catalog (it would be priced with the catalog's default), a
contract whose provider is a near miss of one the estate uses (it would never be stranded by an
exit from that provider). :func:`check_estate` finds them all; ``exitcost validate`` prints them.

A valid estate may still leave a question unanswered: an exit bill for an estate without a cloud,
a stay baseline where a region's internet egress is unpublished, an exit from a provider that
holds only data. :func:`analysis_gaps` lists those questions, so that ``exitcost validate``
says before ``exitcost demo`` which parts it would answer in one line instead.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> check_estate(sample_estate())
[]
>>> analysis_gaps(sample_estate())
[]
"""

from __future__ import annotations

import datetime as dt
import difflib

from exitcost.effort import Catalog, load_catalog
from exitcost.errors import PriceBookError, Problem
from exitcost.estate import Estate
from exitcost.pricing import check_estate_locations, check_estate_storage
from exitcost.pricing.books import as_date, load_price_book
from exitcost.pricing.policy import current_policy

__all__ = ["analysis_gaps", "check_estate"]


def check_estate(
    estate: Estate,
    *,
    as_of: dt.date | str | None = None,
    catalog: Catalog | None = None,
) -> list[Problem]:
    """Every problem of ``estate`` against the price books and the service catalog.

    Parameters
    ----------
    estate : Estate
        A valid estate.
    as_of : date or ISO string, optional
        The price books to check against (default: those in effect on the estate's ``as_of``).
    catalog : Catalog, optional
        The service catalog (default: the bundled one).

    Returns
    -------
    list of Problem
        In the estate's order: locations (:func:`exitcost.pricing.check_estate_locations`),
        then datasets whose storage class the book does not price at their location
        (:func:`exitcost.pricing.check_estate_storage`), then services not in the catalog
        (``workloads[i].services[j].service``, with the closest catalog ids), then contracts
        whose provider is not one of the estate's but closely resembles one
        (``contracts[i].provider``). Empty when all is well.
    """
    problems = list(check_estate_locations(estate, as_of=as_of))
    problems += check_estate_storage(estate, as_of=as_of)
    known = load_catalog() if catalog is None else catalog
    ids = list(known.ids)
    for i, workload in enumerate(estate.workloads):
        for j, use in enumerate(workload.services):
            if use.service not in known:
                close = difflib.get_close_matches(use.service, ids, n=3, cutoff=0.6)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                problems.append(
                    Problem(
                        f"workloads[{i}].services[{j}].service",
                        use.service,
                        "not in the service catalog, so its effort and lock-in would be the "
                        f"catalog's default for unknown services{hint}",
                    )
                )
    providers = sorted({loc.provider for loc in estate.locations})
    for i, contract in enumerate(estate.contracts):
        if contract.provider in providers:
            continue
        close = difflib.get_close_matches(contract.provider, providers, n=1, cutoff=0.75)
        if close:
            problems.append(
                Problem(
                    f"contracts[{i}].provider",
                    contract.provider,
                    f"no location of the estate has this provider, but {close[0]!r} does: an "
                    "exit from that provider would not strand this contract; is it a typo?",
                )
            )
    return problems


def analysis_gaps(estate: Estate, *, as_of: dt.date | str | None = None) -> list[Problem]:
    """Questions the analyses (and ``exitcost demo``) cannot answer for a valid estate.

    Run after :func:`check_estate` finds nothing: each entry names the field, its value and
    which question stays unanswered and why. The analyses answer the other questions.

    Parameters
    ----------
    estate : Estate
        A valid estate whose locations the price books know.
    as_of : date or ISO string, optional
        The price books to check against (default: those in effect on the estate's ``as_of``).

    Returns
    -------
    list of Problem
        ``locations`` when no location is a cloud (nothing to leave: no data exit bill, no
        exit plan); ``locations[i].id`` for a cloud region whose internet egress the book does
        not publish, unless the pricing policy in force borrows it (``fallback="nearest"``):
        the stay baseline, data gravity and the data exit bill need it. (A provider that holds
        data but runs no workload is no gap: leaving it is a data exit.) Empty when every
        question can be answered.

    Examples
    --------
    >>> from exitcost.estate import estate_from_dict
    >>> site_only = estate_from_dict({"schema_version": 1, "name": "own", "as_of": "2026-11-01",
    ...     "locations": [{"id": "onprem:fra1", "kind": "onprem", "continent": "europe",
    ...                    "jurisdiction": "EU"}]})
    >>> [p.path for p in analysis_gaps(site_only)]
    ['locations']
    """
    day = as_date(estate.as_of if as_of is None else as_of, func="analysis_gaps")
    clouds = [(i, loc) for i, loc in enumerate(estate.locations) if loc.kind == "cloud"]
    if not clouds:
        ids = ", ".join(loc.id for loc in estate.locations) or "none"
        return [
            Problem(
                "locations",
                ids,
                "no location is a cloud, so there is no provider to leave: the data exit bill "
                "and the exit plans cannot be answered (the inventory and the run cost can)",
            )
        ]
    problems: list[Problem] = []
    borrow = current_policy().fallback == "nearest"
    for i, loc in clouds:
        provider, region = loc.id.split(":", 1)
        try:
            load_price_book(provider, as_of=day).transfer_price(region, "internet")
        except PriceBookError as exc:
            if borrow and "internet egress" in str(exc):
                continue
            problems.append(
                Problem(
                    f"locations[{i}].id",
                    loc.id,
                    "the price book gives no internet egress price here, so the stay baseline, "
                    "data gravity and the data exit bill cannot be answered; pass "
                    "--fallback nearest (fallback='nearest') to borrow the nearest priced "
                    f"region's price, labelled R ({exc})",
                )
            )
    return problems
