"""The estate model: locations, datasets, workloads, contracts and teams.

An :class:`Estate` describes what a company runs where: the places it runs things
(:class:`Location`, cloud regions and its own sites), the data it holds (:class:`Dataset`), the
workloads that read and write that data and the provider services they use (:class:`Workload`),
the commitments it has signed (:class:`Contract`) and the teams that would do a migration
(:class:`Team`).

Every model is a frozen pydantic model that forbids unknown fields. However an estate is built
(``Estate(...)``, :meth:`Estate.model_validate`, :meth:`Estate.from_yaml`, ...), invalid input
raises one :class:`~exitcost.errors.EstateError` carrying every problem found, each with its field
path (``workloads[3].reads[0].dataset``), the value and what would be valid.

Numbers that are not known exactly are *quantities*: a float, a distribution mapping
(``{dist: pert, low: 10, mode: 20, high: 45}``) or compact text (``"pert(10, 20, 45)"``);
``size_gb`` also accepts size text such as ``"2 PB"`` (converted to billing GB).

Examples
--------
>>> from exitcost.estate import Estate
>>> estate = Estate.from_dict({
...     "name": "tiny", "as_of": "2026-11-01",
...     "locations": [{"id": "aws:eu-west-1", "continent": "europe", "jurisdiction": "EU"}],
...     "datasets": [{"id": "lake", "location": "aws:eu-west-1", "size_gb": "2 TB",
...                   "storage_class": "standard", "growth_rate_per_month": "pert(0, 0.02, 0.05)"}],
... })
>>> estate.dataset("lake").size_gb
2048.0
>>> estate.location("aws:eu-west-1").kind
'cloud'
>>> Estate.from_dict({"name": "bad", "as_of": "2026-11-01", "locations": [],
...                   "datasets": [{"id": "d", "location": "aws:mars-1", "size_gb": -1}]})
Traceback (most recent call last):
...
exitcost.errors.EstateError: 2 problems in estate:
  - datasets[0].size_gb: must be >= 0 (got -1)
  - datasets[0].location: unknown location; valid: none defined (got 'aws:mars-1')
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeAlias, TypeVar

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from exitcost._suggest import unknown
from exitcost._validation import MAX_SIZE_GB, MAX_USD
from exitcost.errors import (
    EstateError,
    InvalidParameterError,
    Problem,
    UnknownLocationError,
    format_choices,
)
from exitcost.estate._problems import problems_from_validation_error, split_path
from exitcost.uncertainty import (
    Distribution,
    Normal,
    Pert,
    Triangular,
    Uniform,
    bounds,
    parse_distribution,
)
from exitcost.units import DATE_MAX, DATE_MIN, HOURS_PER_MONTH, parse_size_gb

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COMMITMENTS",
    "CONTINENTS",
    "CONTRACT_KINDS",
    "DATASET_STORAGE_CLASSES",
    "HOURS_PER_MONTH",
    "LOCATION_KINDS",
    "SITE_KINDS",
    "STRATEGIES",
    "WORKLOAD_KINDS",
    "Capacity",
    "ComputeUse",
    "Contract",
    "Dataset",
    "Estate",
    "Flow",
    "Location",
    "LocationIdParts",
    "default_location_kind",
    "ServiceUse",
    "Team",
    "Workload",
]

LocationKind: TypeAlias = Literal["cloud", "onprem", "colo", "edge"]
Continent: TypeAlias = Literal[
    "north_america", "south_america", "europe", "asia", "oceania", "africa", "middle_east"
]
StorageClass: TypeAlias = Literal["standard", "infrequent", "cold", "archive", "deep_archive"]
WorkloadKind: TypeAlias = Literal[
    "web", "api", "batch", "analytics", "database", "ml_training", "inference", "streaming", "other"
]
Resource: TypeAlias = Literal["vcpu", "memory_gib", "gpu"]
Commitment: TypeAlias = Literal["on_demand", "1yr", "3yr"]
Strategy: TypeAlias = Literal[
    "retire", "retain", "rehost", "relocate", "replatform", "repurchase", "refactor"
]
ContractKind: TypeAlias = Literal[
    "reserved_capacity",
    "savings_plan",
    "committed_use",
    "minimum_spend",
    "license",
    "colocation_lease",
]

LOCATION_KINDS: tuple[str, ...] = LocationKind.__args__  # type: ignore[attr-defined]
"""Kinds of location: a public cloud region or one of the company's own sites."""
SITE_KINDS: tuple[str, ...] = ("onprem", "colo", "edge")
"""Site kinds; a site's id starts with its kind (``onprem:fra1``, ``edge:store-042``)."""
CONTINENTS: tuple[str, ...] = Continent.__args__  # type: ignore[attr-defined]
"""Continents a location can be on."""
DATASET_STORAGE_CLASSES: tuple[str, ...] = StorageClass.__args__  # type: ignore[attr-defined]
"""Storage classes, hottest first."""
WORKLOAD_KINDS: tuple[str, ...] = WorkloadKind.__args__  # type: ignore[attr-defined]
"""Kinds of workload."""
COMMITMENTS: tuple[str, ...] = Commitment.__args__  # type: ignore[attr-defined]
"""Compute purchase options."""
STRATEGIES: tuple[str, ...] = Strategy.__args__  # type: ignore[attr-defined]
"""The 7 Rs of migration."""
CONTRACT_KINDS: tuple[str, ...] = ContractKind.__args__  # type: ignore[attr-defined]
"""Kinds of contract or commitment."""

_PROVIDER = r"[a-z][a-z0-9-]*"
_LOCATION_RE = re.compile(rf"^(?P<provider>{_PROVIDER}):(?P<region>[a-z0-9][a-z0-9._-]*)$")
_PROVIDER_RE = re.compile(rf"^{_PROVIDER}$")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")
_JURISDICTION_RE = re.compile(r"^[A-Z][A-Z0-9-]{1,11}$")
_SERVICE_RE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9_.-]*$")

_DISTRIBUTION: TypeAdapter[Any] = TypeAdapter(Distribution)
_DIST_KINDS = ("normal", "pert", "triangular", "uniform")


# ---------------------------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------------------------


def _check_regex(regex: re.Pattern[str], what: str, example: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not regex.match(value):
            raise ValueError(f"must be {what}, such as {example!r}")
        return value

    return check


def _check_location_id(value: str) -> str:
    if not _LOCATION_RE.match(value):
        if value != value.lower() and _LOCATION_RE.match(value.lower()):
            raise ValueError(f"location ids are lower case: write {value.lower()!r}")
        raise ValueError(
            "must be a location id 'provider:region' in lower case, such as 'aws:us-east-1', "
            "'onprem:fra1' or 'edge:store-042'"
        )
    return value


_MAX_NUMBER_TEXT = 64
"""Longest text read as a percentage or an amount of money (the patterns backtrack on more)."""
_PERCENT_RE = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$")
_MONEY_RE = re.compile(
    r"^(?:US)?[$€£]\s*([+-]?[\d,]*\.?\d+)$|^([+-]?[\d,]*\.?\d+)\s*(?:USD|EUR|GBP)$"
)


def _number_as_written(text: str) -> str | None:
    """The message for a number written as a percentage or with a currency, else None.

    Examples
    --------
    >>> _number_as_written("2%")
    'is a percentage: write 0.02 (a fraction)'
    >>> _number_as_written("$14,000")
    'write 14000 (a plain number of USD, no currency sign or thousands separators)'
    >>> _number_as_written("pert(1, 2, 4)") is None
    True
    """
    if len(text) > _MAX_NUMBER_TEXT:  # no number is written this long; keeps the match linear
        return None
    percent = _PERCENT_RE.match(text)
    if percent:
        fraction = float(percent.group(1)) / 100.0
        return f"is a percentage: write {fraction:.10g} (a fraction)"
    money = _MONEY_RE.match(text)
    if money:
        digits = (money.group(1) or money.group(2)).replace(",", "")
        try:
            amount = float(digits)
        except ValueError:
            return None
        return (
            f"write {amount:.15g} (a plain number of USD, no currency sign or thousands separators)"
        )
    return None


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


Id = Annotated[
    str,
    AfterValidator(_check_regex(_ID_RE, "an id of letters, digits and _ . : / -", "web-frontend")),
]
LocationId = Annotated[str, AfterValidator(_check_location_id)]
ProviderId = Annotated[
    str, AfterValidator(_check_regex(_PROVIDER_RE, "a lower-case provider name", "aws"))
]
Jurisdiction = Annotated[
    str,
    AfterValidator(_check_regex(_JURISDICTION_RE, "an upper-case jurisdiction code", "EU")),
]
NonNegFloat = Annotated[float, BeforeValidator(_no_bool), Field(ge=0)]
Count = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=np.iinfo(np.int64).max)]
"""A whole number >= 0 that fits a 64-bit integer (pandas' Int64 columns, numpy arrays)."""


def _short(exc: Exception) -> str:
    """An error message without pydantic's details block, on one line."""
    text = " ".join(str(exc).split())
    # Plain searches, not a pattern with two lazy wildcards: the text holds user input, and
    # such a pattern takes cubic time on text repeating its markers.
    head, value, tail = "is invalid: ", "Value error, ", " [type="
    start = text.find(head)
    inner = text.find(value, start + len(head)) if start >= 0 else -1
    end = text.find(tail, inner + len(value)) if inner >= 0 else -1
    if end >= 0:
        text = text[:start] + head + text[inner + len(value) : end]
    return text


def _quantity(
    *,
    minimum: float | None,
    size: bool = False,
    maximum: float | None = None,
    hint: str = "",
    unbounded_tail: bool = False,
) -> Callable[[Any], Any]:
    """Before-validator for a quantity: number, distribution mapping or text (size text too).

    ``unbounded_tail``: ``maximum`` is a plausibility cap, so a normal distribution without a
    'high' bound passes it (its tail is unbounded, its values are not implausible); a finite
    upper bound above ``maximum`` is refused.
    """
    usage = (
        "a number, a distribution mapping such as {'dist': 'pert', 'low': 1, 'mode': 2, "
        "'high': 4} or text such as 'pert(1, 2, 4)'"
    )
    if size:
        usage = "a size in GB, size text such as '2 PB', " + usage[2:]

    def check_number(number: float) -> float:
        if not math.isfinite(number):
            raise ValueError("must be a finite number")
        if minimum is not None and number < minimum:
            raise ValueError(f"must be >= {minimum:g}")
        if maximum is not None and number > maximum:
            raise ValueError(f"must be <= {maximum:g}{hint}")
        return number + 0.0  # -0.0 becomes 0.0

    def coerce(value: Any) -> Any:
        if isinstance(value, bool | np.bool_):
            raise ValueError(f"must be {usage}; not a boolean")
        if isinstance(value, numbers.Real):
            try:
                number = float(value)
            except OverflowError:  # an int beyond the float range
                number = math.inf
            return check_number(number)
        if isinstance(value, str):
            text = value.strip()
            try:
                return check_number(float(text))
            except ValueError as exc:
                if "must be" in str(exc):
                    raise
            written = _number_as_written(text)
            if written is not None:
                raise ValueError(written)
            try:
                if size and not text[:1].isalpha():
                    return check_number(parse_size_gb(text, name="size_gb"))
                dist = parse_distribution(text)
            except InvalidParameterError as exc:
                what = "a number, size text such as '2 PB'" if size else "a number"
                raise ValueError(f"must be {what} or a distribution: {_short(exc)}") from None
        elif isinstance(value, Mapping):
            if value.get("dist") not in _DIST_KINDS:
                raise ValueError(
                    f"a distribution mapping needs 'dist', one of {format_choices(_DIST_KINDS)}"
                )
            try:
                dist = _DISTRIBUTION.validate_python(dict(value))
            except ValidationError as exc:
                details = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'][1:]) or 'distribution'}: "
                    f"{e['msg'].removeprefix('Value error, ')}"
                    for e in exc.errors()
                )
                raise ValueError(f"invalid {value['dist']} distribution: {details}") from None
        elif isinstance(value, Triangular | Pert | Uniform | Normal):
            dist = value
        else:
            raise ValueError(f"must be {usage}")
        low, high = bounds(dist)
        if minimum is not None and low < minimum:
            raise ValueError(
                f"must not go below {minimum:g}; the distribution's lower bound is {low:g}"
                + (" (give a normal distribution a 'low' bound)" if low == -math.inf else "")
            )
        if maximum is not None and high > maximum and not (unbounded_tail and high == math.inf):
            raise ValueError(
                f"must not go above {maximum:g}; the distribution's upper bound is {high:g}"
                + (" (give a normal distribution a 'high' bound)" if high == math.inf else hint)
            )
        return dist

    return coerce


Quantity = Annotated[float | Distribution, BeforeValidator(_quantity(minimum=0.0))]
"""A non-negative quantity: a float or a distribution that stays >= 0."""
SizeQuantity = Annotated[
    float | Distribution,
    BeforeValidator(
        _quantity(
            minimum=0.0,
            size=True,
            maximum=MAX_SIZE_GB,
            hint=" GB (1 EB: no single dataset is larger)",
            unbounded_tail=True,
        )
    ),
]
"""A non-negative size in GB, at most 1 EB: a float, size text (``"2 PB"``) or a
distribution."""
GrowthQuantity = Annotated[
    float | Distribution,
    BeforeValidator(
        _quantity(
            minimum=-1.0,
            maximum=1.0,
            hint=" (a decimal per month: 0.03 is 3 % a month, 1 is 100 %)",
        )
    ),
]
"""A monthly growth rate, a decimal in [-1, 1] (at most doubling each month): a float or a
distribution."""

# Plausible ranges (documented in docs/internals.md): beyond them a value is a typo or a unit
# mistake, and the analyses would leave the float or the calendar range.
MAX_CODE_KLOC = 50_000.0
"""Most code one workload may hold: 50 million lines (a whole operating system is about 30)."""
MAX_INSTANCES = 1_000_000
"""Most VMs or containers of one workload."""
MAX_COMPUTE_UNITS = 10_000_000.0
"""Most vCPUs, GiB or GPUs one workload keeps running."""
MAX_SERVICE_UNITS = 1e9
"""Most units of one service's scaling driver."""
MAX_USD_PER_PERSON_DAY = 100_000.0
"""Highest plausible labour rate. [USD/person-day]"""
MIN_PERSON_DAYS_PER_MONTH = 0.5
"""Least capacity of a team: half a person-day a month (less stretches a plan over centuries)."""
MAX_PERSON_DAYS_PER_MONTH = 1_000_000.0
"""Most capacity of a team (about 50,000 people). [person-days/month]"""


def _capped(maximum: float, hint: str = "") -> BeforeValidator:
    """A non-negative quantity with a plausibility cap (an unbounded normal tail passes it)."""
    return BeforeValidator(_quantity(minimum=0.0, maximum=maximum, hint=hint, unbounded_tail=True))


GbQuantity = Annotated[float | Distribution, _capped(MAX_SIZE_GB, " GB (1 EB, the most plausible)")]
"""A monthly volume in GB, at most 1 EB: a float or a distribution."""
UsdQuantity = Annotated[float | Distribution, _capped(MAX_USD, " USD (the most plausible)")]
"""An amount of money, at most $10**12: a float or a distribution."""
KlocQuantity = Annotated[
    float | Distribution, _capped(MAX_CODE_KLOC, " kloc (50 million lines of code)")
]
"""Thousand lines of code, at most 50,000: a float or a distribution."""
UnitsQuantity = Annotated[float | Distribution, _capped(MAX_COMPUTE_UNITS)]
"""Units running (vCPU, GiB, GPU), at most 10**7: a float or a distribution."""
Usd = Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=MAX_USD)]
"""An amount of money >= 0 and at most $10**12. [USD]"""
SizeGb = Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=MAX_SIZE_GB)]
"""A size >= 0 and at most 1 EB. [GB]"""


def _plausible_date(value: dt.date) -> dt.date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(
            f"must be a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"
        )
    return value


PlausibleDate = Annotated[dt.date, AfterValidator(_plausible_date)]
"""A date between :data:`~exitcost.units.DATE_MIN` and :data:`~exitcost.units.DATE_MAX`."""


# ---------------------------------------------------------------------------------------------
# Base model
# ---------------------------------------------------------------------------------------------

_M = TypeVar("_M", bound="_EstateModel")


class _EstateModel(BaseModel):
    """Frozen, strict base: invalid input raises EstateError with field paths."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        use_attribute_docstrings=True,
        validate_default=False,
        defer_build=True,  # the validation schema is built on first use (fast CLI start-up)
    )

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise EstateError(_problems(exc, type(self), data)) from None

    # Keep pydantic validating nested models with its own initialiser (this one only wraps
    # errors for direct construction).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(
        cls: type[_M],
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> _M:
        """Validate a mapping (or model) into this model; raises EstateError on invalid input."""
        try:
            return super().model_validate(
                obj,
                strict=strict,
                extra=extra,
                from_attributes=from_attributes,
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except ValidationError as exc:
            raise EstateError(_problems(exc, cls, obj)) from None

    @classmethod
    def model_validate_json(
        cls: type[_M],
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> _M:
        """Validate JSON text into this model; raises EstateError on invalid input."""
        try:
            return super().model_validate_json(
                json_data,
                strict=strict,
                extra=extra,
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except ValidationError as exc:
            raise EstateError(_problems(exc, cls, None)) from None


def _problems(exc: ValidationError, cls: type[BaseModel], raw: Any) -> list[Problem]:
    problems = problems_from_validation_error(exc, cls)
    if cls is Estate and isinstance(raw, Mapping):
        # Field errors stop pydantic before the cross-field rules; check those on the raw input
        # too so that one run reports everything.
        seen = {p.path for p in problems}
        problems += [p for p in _cross_field_problems(raw) if p.path not in seen]
    return problems


# ---------------------------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------------------------


class Capacity(_EstateModel):
    """What a location can hold (all optional): compute, memory, GPUs, storage, power, racks."""

    vcpus: NonNegFloat | None = None
    """Virtual CPUs (or physical cores x threads) available. [vCPU]"""
    memory_gib: NonNegFloat | None = None
    """Memory available. [GiB]"""
    gpus: NonNegFloat | None = None
    """GPUs available. [GPU]"""
    storage_gb: SizeGb | None = None
    """Usable storage. [GB]"""
    power_kw: NonNegFloat | None = None
    """IT power available. [kW]"""
    racks: NonNegFloat | None = None
    """Racks available. [rack]"""

    def is_empty(self) -> bool:
        """True when no capacity figure is given."""
        return all(getattr(self, name) is None for name in type(self).model_fields)


def _book_geography(location_id: str) -> tuple[str, str] | None:
    """Continent and jurisdiction of a region from the newest bundled book that lists it."""
    from exitcost.errors import ExitcostError
    from exitcost.pricing.books import book_dates, load_price_book, providers

    provider, _, region = location_id.partition(":")
    if provider not in providers():
        return None
    for day in sorted(book_dates(provider), reverse=True):
        try:
            meta = load_price_book(provider, as_of=day).regions.get(region)
        except ExitcostError:
            continue
        if meta is not None and meta.continent and meta.jurisdiction:
            return str(meta.continent), str(meta.jurisdiction)
    return None


def default_location_kind(location: str) -> str:
    """Kind of a location given by id alone: its provider part if that is a site kind.

    Examples
    --------
    >>> default_location_kind("colo:ams1"), default_location_kind("aws:us-east-1")
    ('colo', 'cloud')
    """
    provider = location.split(":", 1)[0]
    return provider if provider in SITE_KINDS else "cloud"


class LocationIdParts:
    """The ``provider`` and ``region`` parts of a location's ``id`` (``provider:region``).

    Mixed into every class that carries a location id: the estate's :class:`Location` and the
    cost graph's location specs.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Site(LocationIdParts):
    ...     id: str
    >>> Site("colo:ams1").provider, Site("colo:ams1").region
    ('colo', 'ams1')
    """

    id: str

    @property
    def provider(self) -> str:
        """The provider part of the id (``aws``, ``azure``, ``onprem``, ...)."""
        return self.id.split(":", 1)[0]

    @property
    def region(self) -> str:
        """The region (or site) part of the id."""
        return self.id.split(":", 1)[1]


class Location(LocationIdParts, _EstateModel):
    """A place where data and workloads live: a cloud region or one of the company's sites.

    Examples
    --------
    >>> loc = Location(id="onprem:fra1", continent="europe", jurisdiction="EU")
    >>> loc.provider, loc.region, loc.kind, loc.billing_account
    ('onprem', 'fra1', 'onprem', 'onprem')

    ``continent`` and ``jurisdiction`` may be left out for a region the bundled price books
    know; they are then taken from the newest book that lists it:

    >>> loc = Location(id="gcp:europe-west4")
    >>> loc.continent, loc.jurisdiction
    ('europe', 'EU')
    """

    id: LocationId
    """Location id ``provider:region`` (``aws:us-east-1``, ``onprem:fra1``, ``edge:store-042``)."""
    kind: LocationKind
    """``cloud`` for a provider's region, else the site kind (the id's provider part)."""
    continent: Continent
    """Continent the location is on (default for a region the price books know: theirs)."""
    jurisdiction: Jurisdiction
    """Legal jurisdiction of the data held there (``EU``, ``UK``, ``US``, ``CH``, ...; default
    for a region the price books know: theirs)."""
    name: str = ""
    """Human-readable name."""
    account: str | None = None
    """Billing account; volume tiers aggregate per account (default: one per provider)."""
    capacity: Capacity | None = None
    """What the location can hold, where limited (sites); None for unlimited."""

    @model_validator(mode="before")
    @classmethod
    def _default_kind(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and data.get("kind") is None and "id" in data:
            match = _LOCATION_RE.match(str(data["id"]))
            if match:
                data = {**data, "kind": default_location_kind(match["provider"])}
        return data

    @model_validator(mode="before")
    @classmethod
    def _geography_from_books(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or "id" not in data:
            return data
        if data.get("continent") is not None and data.get("jurisdiction") is not None:
            return data
        if not _LOCATION_RE.match(str(data["id"])):
            return data
        known = _book_geography(str(data["id"]))
        if known is None:
            return data
        continent, jurisdiction = known
        filled = dict(data)
        if filled.get("continent") is None:
            filled["continent"] = continent
        if filled.get("jurisdiction") is None:
            filled["jurisdiction"] = jurisdiction
        return filled

    @field_validator("capacity", mode="after")
    @classmethod
    def _drop_empty_capacity(cls, value: Capacity | None) -> Capacity | None:
        return None if value is not None and value.is_empty() else value

    @model_validator(mode="after")
    def _kind_matches_provider(self) -> Location:
        expected = self.provider if self.provider in SITE_KINDS else "cloud"
        if self.kind != expected:
            if expected == "cloud":
                hint = f"a {self.kind} site's id must start with '{self.kind}:'"
            else:
                hint = f"ids starting with '{self.provider}:' are {self.provider} sites"
            raise EstateError(
                [
                    Problem(
                        "kind", self.kind, f"must be {expected!r} for location {self.id!r}; {hint}"
                    )
                ]
            )
        return self

    @property
    def billing_account(self) -> str:
        """The account whose volume tiers this location's usage counts toward."""
        return self.account if self.account is not None else self.provider


class Dataset(_EstateModel):
    """Data held at one location."""

    id: Id
    """Dataset id, unique in the estate."""
    location: LocationId
    """Where the data is stored (a location id)."""
    size_gb: SizeQuantity
    """Size today. [GB] (billing GB, 2**30 bytes; size text such as ``"2 PB"`` is converted)"""
    storage_class: StorageClass = "standard"
    """Storage class (standard, infrequent, cold, archive, deep_archive)."""
    growth_rate_per_month: GrowthQuantity = 0.0
    """Compound growth of the size per month, a decimal (0.02 = 2 %/month). [1/month]"""
    object_count: Count | None = None
    """Number of objects (drives per-request and per-object fees), if known. [objects]"""
    residency: tuple[Jurisdiction, ...] = ()
    """Jurisdictions the data must stay in (empty: no constraint)."""
    owner: Id | None = None
    """Owning team id."""
    description: str = ""
    """What the data is."""


class Flow(_EstateModel):
    """Data a workload reads from or writes to a dataset each month."""

    dataset: Id
    """The dataset id."""
    gb_per_month: GbQuantity
    """Volume moved per month. [GB/month]"""


class ServiceUse(_EstateModel):
    """A provider service a workload uses; a bare string such as ``"aws.lambda"`` means 1 unit.

    Examples
    --------
    >>> ServiceUse.model_validate("aws.lambda")
    ServiceUse(service='aws.lambda', units=1.0)
    """

    service: Annotated[
        str,
        AfterValidator(
            _check_regex(_SERVICE_RE, "a lower-case service id 'provider.name'", "aws.dynamodb")
        ),
    ]
    """Service id ``provider.name`` (``aws.dynamodb``); the service catalog defines them."""
    units: Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=MAX_SERVICE_UNITS)] = 1.0
    """How much is used, in the catalog's scaling driver for the service. [units]"""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"service": data} if isinstance(data, str) else data


class ComputeUse(_EstateModel):
    """Average compute a workload keeps running: vCPUs, memory or GPUs."""

    resource: Resource
    """What is counted: ``vcpu``, ``memory_gib`` or ``gpu``."""
    quantity: UnitsQuantity
    """Average units running. [vCPU, GiB or GPU]"""
    hours_per_month: Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=744)] = (
        HOURS_PER_MONTH
    )
    """Hours per month the units run (730 = always on). [h/month]"""
    gpu_model: str | None = None
    """GPU model (``H100``, ``A100``, ``L4``) when ``resource`` is ``gpu``."""
    commitment: Commitment = "on_demand"
    """Purchase option: ``on_demand``, ``1yr`` or ``3yr`` commitment."""

    @model_validator(mode="after")
    def _gpu_model_for_gpu(self) -> ComputeUse:
        if self.gpu_model is not None and self.resource != "gpu":
            raise EstateError(
                [
                    Problem(
                        "gpu_model",
                        self.gpu_model,
                        f"is only valid with resource 'gpu', not {self.resource!r}",
                    )
                ]
            )
        return self


class Workload(_EstateModel):
    """Something the company runs at one location, with its data flows and services."""

    id: Id
    """Workload id, unique in the estate."""
    location: LocationId
    """Where it runs (a location id)."""
    kind: WorkloadKind = "other"
    """What it is (web, api, batch, analytics, database, ml_training, inference, ...)."""
    team: Id | None = None
    """Owning team id."""
    compute_usd_per_month: UsdQuantity = 0.0
    """Monthly compute spend at today's prices. [USD/month]"""
    compute: tuple[ComputeUse, ...] = ()
    """Compute in units (vCPU, memory, GPU), where known."""
    reads: tuple[Flow, ...] = ()
    """Data read from datasets each month."""
    writes: tuple[Flow, ...] = ()
    """Data written to datasets each month."""
    internet_egress_gb_per_month: GbQuantity = 0.0
    """Data sent to the internet each month. [GB/month]"""
    internet_ingress_gb_per_month: GbQuantity = 0.0
    """Data received from the internet each month. [GB/month]"""
    services: tuple[ServiceUse, ...] = ()
    """Provider services used (``aws.dynamodb``; a bare string means 1 unit)."""
    code_kloc: KlocQuantity = 0.0
    """Code that would need adapting to move it. [thousand lines]"""
    instances: Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=MAX_INSTANCES)] | None = (
        None
    )
    """Number of VMs or containers, where known."""
    strategy: Strategy | None = None
    """Planned migration strategy (one of the 7 Rs), or None if undecided."""
    description: str = ""
    """What the workload does."""


class Contract(_EstateModel):
    """A commitment: reserved capacity, savings plan, minimum spend, licence or lease."""

    id: Id
    """Contract id, unique in the estate."""
    kind: ContractKind
    """reserved_capacity, savings_plan, committed_use, minimum_spend, license, colocation_lease."""
    provider: ProviderId
    """Who it is with (``aws``, ``azure``, ``colo``, a vendor)."""
    location: LocationId | None = None
    """Location it is tied to, if any."""
    usd_per_month: Usd
    """Monthly amount committed. [USD/month]"""
    upfront_usd: Usd = 0.0
    """Amount paid up front. [USD]"""
    discount_fraction: Annotated[float | None, Field(ge=0, lt=1)] = None
    """Discount against on-demand prices, a decimal (0.3 = 30 %), if known."""
    start: PlausibleDate
    """First day covered."""
    end: PlausibleDate
    """Last day covered (after ``start``)."""
    termination_fee_usd: Usd = 0.0
    """Fee due on early termination, beyond the remaining commitment. [USD]"""
    cancellable: bool = False
    """Whether the contract can be ended early."""


class Team(_EstateModel):
    """A team that owns workloads and would do migration work."""

    id: Id
    """Team id, unique in the estate."""
    usd_per_person_day: Annotated[
        float, BeforeValidator(_no_bool), Field(gt=0, le=MAX_USD_PER_PERSON_DAY)
    ]
    """Fully loaded labour cost. [USD/person-day]"""
    capacity_person_days_per_month: Annotated[
        float,
        BeforeValidator(_no_bool),
        Field(ge=MIN_PERSON_DAYS_PER_MONTH, le=MAX_PERSON_DAYS_PER_MONTH),
    ]
    """Person-days per month the team can give to migration work, > 0. [person-days/month]"""


# ---------------------------------------------------------------------------------------------
# Cross-field rules (on plain data, so they also run on input that failed field validation)
# ---------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


def _rows(data: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
    items = data.get(key)
    if not isinstance(items, list | tuple):
        return []
    rows = []
    for i, item in enumerate(items):
        item = _plain(item)
        if isinstance(item, Mapping):
            rows.append((i, item))
    return rows


def _ids(rows: list[tuple[int, Mapping[str, Any]]], entity: str) -> tuple[set[Any], list[Problem]]:
    first: dict[Any, int] = {}
    problems = []
    for i, row in rows:
        key = row.get("id")
        if not isinstance(key, str):
            continue
        if key in first:
            problems.append(
                Problem(
                    f"{entity}[{i}].id",
                    key,
                    f"duplicate {entity[:-1]} id; first used by {entity}[{first[key]}]",
                )
            )
        else:
            first[key] = i
    # An id that is itself malformed (reported at its own path) is no valid choice to offer.
    pattern = _LOCATION_RE if entity == "locations" else _ID_RE
    return {key for key in first if pattern.match(key)}, problems


def _ref(
    problems: list[Problem], path: str, value: Any, valid: set[Any], what: str, optional: bool
) -> None:
    if value is None and optional:
        return
    if isinstance(value, str) and value not in valid:
        shown = format_choices(valid) if valid else "none defined"
        problems.append(Problem(path, value, unknown(f"unknown {what}", value, valid, shown)))


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _cross_field_problems(data: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    locations = _rows(data, "locations")
    datasets = _rows(data, "datasets")
    workloads = _rows(data, "workloads")
    contracts = _rows(data, "contracts")
    teams = _rows(data, "teams")
    location_ids, dup = _ids(locations, "locations")
    problems += dup
    dataset_ids, dup = _ids(datasets, "datasets")
    problems += dup
    _workload_ids, dup = _ids(workloads, "workloads")
    problems += dup
    _contract_ids, dup = _ids(contracts, "contracts")
    problems += dup
    team_ids, dup = _ids(teams, "teams")
    problems += dup
    jurisdiction = {
        row.get("id"): row.get("jurisdiction")
        for _, row in locations
        if isinstance(row.get("id"), str)
    }

    for i, row in datasets:
        where = row.get("location")
        _ref(problems, f"datasets[{i}].location", where, location_ids, "location", False)
        _ref(problems, f"datasets[{i}].owner", row.get("owner"), team_ids, "team", True)
        residency = row.get("residency")
        if (
            isinstance(residency, list | tuple)
            and residency
            and where in jurisdiction
            and isinstance(jurisdiction[where], str)
            and jurisdiction[where] not in residency
        ):
            problems.append(
                Problem(
                    f"datasets[{i}].location",
                    where,
                    f"is in jurisdiction {jurisdiction[where]!r}, but the dataset must stay in "
                    f"{format_choices(residency)} (its residency)",
                )
            )
    for i, row in workloads:
        _ref(
            problems,
            f"workloads[{i}].location",
            row.get("location"),
            location_ids,
            "location",
            False,
        )
        _ref(problems, f"workloads[{i}].team", row.get("team"), team_ids, "team", True)
        for direction in ("reads", "writes"):
            for j, flow in _rows(row, direction):
                path = f"workloads[{i}].{direction}[{j}].dataset"
                _ref(problems, path, flow.get("dataset"), dataset_ids, "dataset", False)
    for i, row in contracts:
        where = row.get("location")
        _ref(problems, f"contracts[{i}].location", where, location_ids, "location", True)
        provider = row.get("provider")
        if (
            isinstance(where, str)
            and where in location_ids
            and isinstance(provider, str)
            and where.split(":", 1)[0] != provider
        ):
            problems.append(
                Problem(
                    f"contracts[{i}].location",
                    where,
                    f"belongs to provider {where.split(':', 1)[0]!r}, not the contract's "
                    f"provider {provider!r}",
                )
            )
        start, end = _as_date(row.get("start")), _as_date(row.get("end"))
        if start is not None and end is not None and end <= start:
            problems.append(
                Problem(
                    f"contracts[{i}].end",
                    end.isoformat(),
                    f"must be after start ({start.isoformat()}); end is the last day covered",
                )
            )
    return problems


# ---------------------------------------------------------------------------------------------
# Estate
# ---------------------------------------------------------------------------------------------


class Estate(_EstateModel):
    """What a company runs where: locations, datasets, workloads, contracts and teams.

    Build one from a mapping (:meth:`from_dict`), a YAML or JSON file (:meth:`from_yaml`,
    :meth:`from_json`, :meth:`from_file`) or pandas tables (:meth:`from_frames`). Invalid input
    raises :class:`~exitcost.errors.EstateError` listing every problem with its path.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> estate = sample_estate()
    >>> estate.providers
    ('aws', 'azure', 'colo', 'edge', 'onprem')
    >>> estate.location("aws:us-east-1").jurisdiction
    'US'
    >>> estate.location("aws:mars-1")
    Traceback (most recent call last):
    ...
    exitcost.errors.UnknownLocationError: location 'aws:mars-1' is not in estate ...; valid: ...
    """

    schema_version: Literal[1] = 1
    """Version of the estate schema (1)."""
    name: Annotated[str, Field(min_length=1)]
    """Name of the estate."""
    description: str = ""
    """What the estate represents."""
    as_of: PlausibleDate
    """Date the figures describe."""
    currency: Literal["USD"] = "USD"
    """Currency of every amount (USD)."""
    locations: tuple[Location, ...] = ()
    """Cloud regions and sites."""
    datasets: tuple[Dataset, ...] = ()
    """Data held."""
    workloads: tuple[Workload, ...] = ()
    """What runs."""
    contracts: tuple[Contract, ...] = ()
    """Commitments."""
    teams: tuple[Team, ...] = ()
    """Teams."""

    _ENTITIES: ClassVar[tuple[str, ...]] = (
        "locations",
        "datasets",
        "workloads",
        "contracts",
        "teams",
    )

    @model_validator(mode="after")
    def _cross_field(self) -> Estate:
        problems = _cross_field_problems(
            {key: [item.model_dump() for item in getattr(self, key)] for key in self._ENTITIES}
        )
        if problems:
            raise EstateError(problems)
        return self

    # -- lookups -----------------------------------------------------------------------------

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        return {key: {item.id: item for item in getattr(self, key)} for key in self._ENTITIES}

    def _lookup(self, entity: str, key: str) -> Any:
        table = self._index[entity]
        if key not in table:
            valid = format_choices(table) if table else "none defined"
            message = f"{entity[:-1]} {key!r} is not in estate {self.name!r}; valid: {valid}"
            if entity == "locations":
                raise UnknownLocationError(message)
            raise EstateError([Problem(entity, key, message)])
        return table[key]

    def location(self, location_id: str) -> Location:
        """The location with this id; raises UnknownLocationError listing valid ids."""
        result: Location = self._lookup("locations", location_id)
        return result

    def dataset(self, dataset_id: str) -> Dataset:
        """The dataset with this id; raises EstateError listing valid ids."""
        result: Dataset = self._lookup("datasets", dataset_id)
        return result

    def workload(self, workload_id: str) -> Workload:
        """The workload with this id; raises EstateError listing valid ids."""
        result: Workload = self._lookup("workloads", workload_id)
        return result

    def team(self, team_id: str) -> Team:
        """The team with this id; raises EstateError listing valid ids."""
        result: Team = self._lookup("teams", team_id)
        return result

    def contract(self, contract_id: str) -> Contract:
        """The contract with this id; raises EstateError listing valid ids."""
        result: Contract = self._lookup("contracts", contract_id)
        return result

    def __repr__(self) -> str:
        """A one-line summary; the full content is in :meth:`to_dict` and :meth:`to_frames`."""
        return (
            f"Estate({self.name!r}, as_of={self.as_of.isoformat()}: "
            f"{len(self.locations)} locations, {len(self.datasets)} datasets, "
            f"{len(self.workloads)} workloads, {len(self.contracts)} contracts, "
            f"{len(self.teams)} teams)"
        )

    __str__ = __repr__

    @property
    def providers(self) -> tuple[str, ...]:
        """Distinct provider parts of the location ids, sorted."""
        return tuple(sorted({loc.provider for loc in self.locations}))

    def iter_flows(self) -> Iterator[tuple[Workload, str, Flow]]:
        """Every flow as ``(workload, direction, flow)``, direction ``"read"`` or ``"write"``."""
        for workload in self.workloads:
            for flow in workload.reads:
                yield workload, "read", flow
            for flow in workload.writes:
                yield workload, "write", flow

    # -- copies ------------------------------------------------------------------------------

    def update(self, changes: Mapping[str, Any]) -> Estate:
        """Return a validated copy with fields changed.

        Keys are field paths as in error messages; an index in brackets may be a position or an
        id: ``"name"``, ``"datasets[0].size_gb"``, ``"workloads[web].reads[0].gb_per_month"``.

        Examples
        --------
        >>> from exitcost.estate import sample_estate
        >>> bigger = sample_estate().update({"datasets[data-lake-raw].size_gb": "3 PB"})
        >>> bigger.dataset("data-lake-raw").size_gb
        3145728.0
        """
        if not isinstance(changes, Mapping):
            raise EstateError(
                [
                    Problem(
                        "",
                        changes,
                        "update needs a mapping of field paths to new values, such as "
                        "{'datasets[lake].size_gb': '3 PB'}",
                    )
                ]
            )
        data: dict[str, Any] = self.model_dump(mode="json")
        for key, value in changes.items():
            _set_path(data, key, value)
        return type(self).from_dict(data)

    # -- I/O ---------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Any, *, source: str | None = None) -> Estate:
        """Validate a mapping (as loaded from YAML or JSON) into an Estate."""
        from exitcost.estate.io import estate_from_dict

        return estate_from_dict(data, source=source)

    def to_dict(self) -> dict[str, Any]:
        """Plain types only (dates as ISO text, distributions as mappings), for YAML or JSON."""
        return self.model_dump(mode="json")

    @classmethod
    def from_yaml(cls, path: str | Path) -> Estate:
        """Read an estate from a YAML file (safe YAML only)."""
        from exitcost.estate.io import read_yaml

        return read_yaml(path)

    def to_yaml(self, path: str | Path | None = None) -> str:
        """Write the estate as YAML to ``path`` (if given) and return the text."""
        from exitcost.estate.io import write_yaml

        return write_yaml(self, path)

    @classmethod
    def from_json(cls, path: str | Path) -> Estate:
        """Read an estate from a JSON file."""
        from exitcost.estate.io import read_json

        return read_json(path)

    def to_json(self, path: str | Path | None = None) -> str:
        """Write the estate as JSON to ``path`` (if given) and return the text."""
        from exitcost.estate.io import write_json

        return write_json(self, path)

    @classmethod
    def from_file(cls, path: str | Path) -> Estate:
        """Read a ``.yaml``/``.yml`` or ``.json`` estate file, chosen by its extension."""
        from exitcost.estate.io import read_estate

        return read_estate(path)

    @classmethod
    def from_focus(
        cls,
        frame: Any,
        *,
        as_of: dt.date | str | None = None,
        usd_per_unit: float | None = None,
    ) -> Estate:
        """An estate skeleton from FOCUS billing data (a ``read_focus`` frame or its files).

        Thin wrapper over :func:`exitcost.ingest.estate_skeleton`, which also returns the
        fields it had to guess and what it could not place.
        """
        from exitcost.ingest.skeleton import estate_skeleton

        return estate_skeleton(frame, as_of=as_of, usd_per_unit=usd_per_unit).estate

    @classmethod
    def from_frames(
        cls, frames: Mapping[str, pd.DataFrame] | None = None, /, **tables: pd.DataFrame
    ) -> Estate:
        """Build an estate from pandas tables, one per entity (see :meth:`to_frames`)."""
        from exitcost.estate.frames import estate_from_frames

        return estate_from_frames(frames, **tables)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The estate as pandas tables: ``estate``, ``locations``, ``datasets``, ``workloads``,
        ``flows``, ``services``, ``compute``, ``contracts`` and ``teams``."""
        from exitcost.estate.frames import estate_to_frames

        return estate_to_frames(self)


def _set_path(data: dict[str, Any], key: Any, value: Any) -> None:
    parts = split_path(key, strict=True) if isinstance(key, str) else None
    if not parts:
        raise EstateError(
            [
                Problem(
                    str(key),
                    value,
                    "is not a field path; write paths as in error messages, such as 'name', "
                    "'datasets[0].size_gb' or 'workloads[web].reads[0].gb_per_month'",
                )
            ]
        )
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, dict) and isinstance(part, str):
            if not last and part not in node:
                raise EstateError([Problem(key, value, f"has no field {part!r} to update")])
            if last:
                node[part] = value
            else:
                node = node[part]
        elif isinstance(node, list):
            ids = [item.get("id") if isinstance(item, dict) else None for item in node]
            if isinstance(part, int) and -len(node) <= part < len(node):
                index = part
            elif str(part) in ids:  # an id, also one made of digits beyond the positions
                index = ids.index(str(part))
            else:
                valid = format_choices([i for i in ids if i is not None] or range(len(node)))
                raise EstateError([Problem(key, value, f"has no item {part!r}; valid: {valid}")])
            if last:
                node[index] = value
            else:
                node = node[index]
        else:
            raise EstateError([Problem(key, value, f"cannot follow {part!r} in the path")])
