"""Jurisdiction codes: which customers the EU Data Act covers, which locations agree with a book.

A jurisdiction is an ISO 3166-1 alpha-2 country code (``DE``, ``US``), an extra code in common
use that ISO reserves (``UK``), or a group that stands for its member states (``EU``). The
vocabulary is data: ``data/pricing/regulation/jurisdictions.yaml`` (sources and labels there).
Codes are matched case-insensitively; a group's aliases (``EL``, the EU's code for Greece) count
as the member they stand for.

Examples
--------
>>> normalize_jurisdiction(" de ")
'DE'
>>> jurisdiction_within("DE", "EU"), jurisdiction_within("CH", "EU")
(True, False)
>>> normalize_jurisdiction("Mars")
Traceback (most recent call last):
...
exitcost.errors.InvalidParameterError: The 'customer_jurisdiction' parameter of ...
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from exitcost._resources import data_dir
from exitcost.errors import InvalidParameterError
from exitcost.pricing.books import load_model
from exitcost.pricing.schema import JurisdictionsModel

__all__ = [
    "Jurisdictions",
    "jurisdiction_within",
    "jurisdictions_agree",
    "load_jurisdictions",
    "normalize_jurisdiction",
]


@dataclass(frozen=True)
class Jurisdictions:
    """The jurisdiction vocabulary, ready for lookups.

    Attributes
    ----------
    model : JurisdictionsModel
        The validated file (sources, labels, notes).
    codes : frozenset of str
        Every accepted code (countries, extra codes, groups and aliases), upper case.
    members : mapping of str to frozenset of str
        Group code -> member country codes (aliases resolved: ``EL`` is listed as ``GR``).
    aliases : mapping of str to str
        Alias -> the country code it stands for.
    """

    model: JurisdictionsModel
    codes: frozenset[str]
    members: MappingProxyType[str, frozenset[str]]
    aliases: MappingProxyType[str, str]

    def canonical(self, code: str) -> str:
        """The code with an alias resolved (``EL`` -> ``GR``)."""
        return self.aliases.get(code, code)


@lru_cache(maxsize=4)
def _cached(path_str: str, mtime_ns: int) -> Jurisdictions:
    path = Path(path_str)
    model = load_model(path, f"jurisdiction file {path.name!r} ({path})", JurisdictionsModel)
    aliases = {a: t for g in model.groups.values() for a, t in g.aliases.items()}
    codes = {*model.countries.codes, *model.countries.extra, *model.groups, *aliases}
    members = {gid: frozenset(g.members) for gid, g in model.groups.items()}
    return Jurisdictions(
        model, frozenset(codes), MappingProxyType(members), MappingProxyType(aliases)
    )


def load_jurisdictions() -> Jurisdictions:
    """The bundled jurisdiction vocabulary (``data/pricing/regulation/jurisdictions.yaml``).

    Examples
    --------
    >>> sorted(load_jurisdictions().members["EU"])[:3]
    ['AT', 'BE', 'BG']
    """
    p = (data_dir("pricing") / "regulation" / "jurisdictions.yaml").resolve()
    try:
        mtime = p.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0  # _load_yaml reports the missing file
    return _cached(str(p), mtime)


def _valid_forms(vocabulary: Jurisdictions) -> str:
    groups = ", ".join(repr(g) for g in sorted(vocabulary.members))
    return (
        f"a group ({groups}), a member state's or any other ISO 3166-1 alpha-2 country code "
        "such as 'DE', 'FR', 'US', 'CH' or 'JP', or 'UK' (case-insensitive)"
    )


def normalize_jurisdiction(
    code: Any, *, name: str = "customer_jurisdiction", func: str = "data_act_phase"
) -> str:
    """A jurisdiction code in upper case, checked against the vocabulary.

    Raises
    ------
    InvalidParameterError
        ``code`` is not text or not a known code (the message lists the valid forms).
    """
    vocabulary = load_jurisdictions()
    upper = code.strip().upper() if isinstance(code, str) else None
    if upper is None or upper not in vocabulary.codes:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a jurisdiction code: "
            f"{_valid_forms(vocabulary)}. Got {code!r} instead."
        )
    return upper


def jurisdiction_within(code: str, jurisdiction: str) -> bool:
    """Whether ``code`` is ``jurisdiction`` or one of its member states (both normalised).

    Examples
    --------
    >>> jurisdiction_within("el", "EU"), jurisdiction_within("EU", "EU")
    (True, True)
    """
    vocabulary = load_jurisdictions()
    a = vocabulary.canonical(code.strip().upper())
    b = vocabulary.canonical(jurisdiction.strip().upper())
    return a == b or a in vocabulary.members.get(b, frozenset())


def jurisdictions_agree(a: str, b: str) -> bool:
    """Whether two jurisdictions can describe the same place (equal, or member and group).

    Examples
    --------
    >>> jurisdictions_agree("EU", "ie"), jurisdictions_agree("US", "EU")
    (True, False)
    """
    return jurisdiction_within(a, b) or jurisdiction_within(b, a)
