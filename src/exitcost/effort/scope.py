"""Scope of an exit: which workloads move and which contracts are left.

An exit is from a provider (``provider="aws"``) or from a set of locations
(``locations=["aws:us-west-2"]``), not necessarily from the whole estate. The scope holds

* the **locations** being left: every location of a named provider, plus the named locations;
* the **workloads** at those locations (the moves);
* the **contracts** stranded by leaving: those with a named provider, those tied to a location
  being left, and provider-wide contracts (no ``location``) of a provider all of whose locations
  in the estate are being left. A retained on-premises ERP licence or a colocation lease is not
  stranded by leaving AWS.

``provider=None`` and ``locations=None`` keep the whole estate (every workload and contract).

Examples
--------
>>> from exitcost.estate import sample_estate
>>> scope = exit_scope(sample_estate(), provider="aws")
>>> scope.providers, len(scope.workloads), scope.contracts[:2]
(('aws',), 23, ('aws-edp-2025', 'aws-compute-savings-plan'))
>>> exit_scope(sample_estate(), provider="awz")
Traceback (most recent call last):
...
exitcost.errors.InvalidParameterError: The 'provider' parameter of exit_scope must name ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exitcost.errors import InvalidParameterError, format_choices

if TYPE_CHECKING:
    from exitcost.estate import Contract, Estate

__all__ = ["ExitScope", "exit_scope", "scope_contracts", "scoped_estate"]


@dataclass(frozen=True)
class ExitScope:
    """What an exit covers (ids in estate order).

    Attributes
    ----------
    providers : tuple of str
        Providers named (empty when only locations were given, or for the whole estate).
    locations : tuple of str
        Location ids being left.
    workloads : tuple of str
        Workloads at those locations: the moves.
    contracts : tuple of str
        Contracts stranded by the exit.
    whole_estate : bool
        True when neither a provider nor locations were given.
    """

    providers: tuple[str, ...]
    locations: tuple[str, ...]
    workloads: tuple[str, ...]
    contracts: tuple[str, ...]
    whole_estate: bool


def _names(value: Any, name: str, func: str, valid: Sequence[str]) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Sequence) or not all(isinstance(v, str) for v in items):
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be None, a string or a sequence of strings. "
            f"Got {value!r} instead."
        )
    if not items:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must name at least one of "
            f"{format_choices(valid)} (or be None for the whole estate). Got {value!r} instead."
        )
    unknown = [v for v in items if v not in set(valid)]
    if unknown:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must name one of {format_choices(valid)}. "
            f"Got {format_choices(unknown)} instead."
        )
    return tuple(dict.fromkeys(items))


def _contract_in_scope(
    contract: Contract,
    providers: set[str],
    locations: set[str],
    provider_locations: dict[str, set[str]],
) -> bool:
    if contract.provider in providers:
        return True
    if contract.location is not None:
        return contract.location in locations
    own = provider_locations.get(contract.provider, set())
    return bool(own) and own <= locations


def exit_scope(
    estate: Estate,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    *,
    func: str = "exit_scope",
) -> ExitScope:
    """Resolve what an exit from ``provider`` and/or ``locations`` covers.

    Parameters
    ----------
    estate : Estate
        The estate.
    provider : str or sequence of str, optional
        Provider(s) left entirely (the provider part of location ids, e.g. ``"aws"``), or named
        in contracts (e.g. ``"erpvendor"``).
    locations : str or sequence of str, optional
        Location ids left. Combined with ``provider`` as a union.
    func : str
        Name of the public function, for error messages.

    Returns
    -------
    ExitScope

    Raises
    ------
    InvalidParameterError
        An empty selection, a provider that appears in no location or contract, or a location
        that is not in the estate (each message lists the valid names).
    """
    whole = provider is None and locations is None
    known_providers = list(
        dict.fromkeys([*estate.providers, *(c.provider for c in estate.contracts)])
    )
    named = _names(provider, "provider", func, known_providers) or ()
    places = _names(locations, "locations", func, [loc.id for loc in estate.locations]) or ()
    provider_locations: dict[str, set[str]] = {}
    for loc in estate.locations:
        provider_locations.setdefault(loc.provider, set()).add(loc.id)
    if whole:
        left = {loc.id for loc in estate.locations}
    else:
        left = set(places).union(*(provider_locations.get(p, set()) for p in named))
    chosen = set(named)
    return ExitScope(
        providers=named,
        locations=tuple(loc.id for loc in estate.locations if loc.id in left),
        workloads=tuple(w.id for w in estate.workloads if whole or w.location in left),
        contracts=tuple(
            c.id
            for c in estate.contracts
            if whole or _contract_in_scope(c, chosen, left, provider_locations)
        ),
        whole_estate=whole,
    )


def scoped_estate(
    estate: Estate,
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    *,
    func: str = "scoped_estate",
) -> Estate:
    """The estate cut down to an exit's workloads and contracts (the estate itself for None).

    Locations, datasets and teams are kept, so flows and team lookups stay valid.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> sub = scoped_estate(sample_estate(), locations=["colo:ams1"])
    >>> [w.id for w in sub.workloads], [c.id for c in sub.contracts]
    (['backup-vault'], ['colo-ams1-lease'])
    """
    scope = exit_scope(estate, provider, locations, func=func)
    if scope.whole_estate:
        return estate
    data = estate.to_dict()
    keep_w, keep_c = set(scope.workloads), set(scope.contracts)
    data["workloads"] = [w for w in data["workloads"] if w["id"] in keep_w]
    data["contracts"] = [c for c in data["contracts"] if c["id"] in keep_c]
    # plain data of a validated estate: the model's checks (references, ranges) suffice, the
    # checks for raw file input (nesting depth, booleans read as numbers) cannot fail here
    return type(estate).model_validate(data)


def scope_contracts(
    contracts: Sequence[Contract],
    provider: str | Sequence[str] | None = None,
    locations: str | Sequence[str] | None = None,
    *,
    func: str = "stranded_commitments",
) -> list[Contract]:
    """Contracts of a bare list in an exit's scope: a named provider or a named location.

    Without an estate the provider of a location is taken from its id (``aws:us-east-1`` ->
    ``aws``); provider-wide contracts are in scope only through ``provider``.
    """
    if provider is None and locations is None:
        return list(contracts)
    known = list(dict.fromkeys(c.provider for c in contracts))
    named = set(_names(provider, "provider", func, known) or ())
    where = set(locations) if isinstance(locations, Sequence) else set()
    if isinstance(locations, str):
        where = {locations}
    if locations is not None and not where:
        raise InvalidParameterError(
            f"The 'locations' parameter of {func} must name at least one location. "
            f"Got {locations!r} instead."
        )
    return [
        c
        for c in contracts
        if c.provider in named
        or (c.location is not None and (c.location in where or c.location.split(":")[0] in named))
    ]
