"""Checks of an estate against the data exitcost prices it with (beyond the estate's own rules).

An :class:`~exitcost.estate.Estate` validates on its own: types, ranges, references between its
entities. Some mistakes only show against the bundled data: a cloud region no price book knows,
a service id missing from the catalog (it would be priced with the catalog's default), a
contract whose provider is a near miss of one the estate uses (it would never be stranded by an
exit from that provider). :func:`check_estate` finds them all; ``exitcost validate`` prints them.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> check_estate(sample_estate())
[]
"""

from __future__ import annotations

import datetime as dt
import difflib

from exitcost.effort import Catalog, load_catalog
from exitcost.errors import Problem
from exitcost.estate import Estate
from exitcost.pricing import check_estate_locations, check_estate_storage

__all__ = ["check_estate"]


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
