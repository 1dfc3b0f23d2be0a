"""The price-book file format: frozen pydantic v2 models with ``extra="forbid"``.

A price book is one YAML file per provider and effective date
(``data/pricing/<provider>/<YYYY-MM-DD>.yaml``). ``data/pricing/README.md`` documents every
field with an example; this module is the executable form of that page.

Conventions
-----------
- Money is USD; volumes are billing GB (``billing_gb_bytes``, 2**30 bytes for the big three).
- Tiers follow the FOCUS convention: ``min_gb`` is an *exclusive* minimum, ``max_gb`` an
  *inclusive* maximum, ``null`` = unbounded. A tier list starts at 0, is contiguous (each
  ``min_gb`` equals the previous ``max_gb``) and only its last tier may be unbounded. A finite
  ``max_gb`` on the last tier is the *published limit*: the provider publishes no price beyond it
  ("contact sales").
- Every price block names a ``source`` (a key of the book's ``sources`` table) and carries a
  confidence ``label``: ``V`` primary source read, ``S+`` a test fixture or script quoting the
  provider's price API, ``S`` secondary, ``M`` unverified, ``R`` reasoning or arithmetic shown.
  Tiers, retrieval options and ports may override ``source`` and ``label`` for one figure.
- Region selectors (``regions``) are tuples of region ids of the book, or ``["*"]`` for all.

Consistency (tiers contiguous and non-overlapping, every source and region referenced exists,
no two rules pricing the same case, every cloud region priced for internet egress, dates sane)
is checked by :class:`PriceBookModel` itself; :func:`exitcost.pricing.books.read_price_book`
turns any failure into one :class:`~exitcost.errors.PriceBookError` naming the file, each field
path and value.

Examples
--------
>>> tier = Tier(min_gb=0, max_gb=10240, usd_per_gb=0.09)
>>> tier.max_gb
10240.0
>>> Tier(min_gb=0, max_gb=None, usd_per_gb=-1)
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Tier
...
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exitcost.errors import Problem

__all__ = [
    "ALL_REGIONS",
    "CONTINENTS",
    "Commitment",
    "ComputeFamily",
    "ComputeSplit",
    "Continent",
    "CrossZoneRule",
    "DestinationZone",
    "ExitProgramme",
    "FreeAllowance",
    "InterRegionPair",
    "InterRegionRule",
    "Interconnect",
    "InterconnectPort",
    "InterconnectRate",
    "InternetEgressRule",
    "IntraRegionRule",
    "JurisdictionCodes",
    "JurisdictionGroup",
    "JurisdictionsModel",
    "LABEL_ORDER",
    "Label",
    "PriceBookModel",
    "Region",
    "RegulationModel",
    "RegulationPhase",
    "RetrievalOption",
    "STORAGE_CLASSES",
    "Source",
    "StorageClass",
    "StorageClassName",
    "StorageTier",
    "Tier",
    "TransitRule",
    "Unpublished",
    "UnpublishedKind",
    "book_problems",
    "lowest_label",
]

Label: TypeAlias = Literal["V", "S+", "S", "M", "R"]
"""Confidence label of a figure (see the module docstring)."""

LABEL_ORDER: tuple[str, ...] = ("V", "S+", "S", "R", "M")
"""Labels from the most to the least confident: a primary source read, a fixture quoting the
provider's price API, a secondary source, reasoning or arithmetic, unverified (from memory).
Reasoning ranks above memory because its steps are shown and its inputs carry their own labels.
"""


def lowest_label(labels: Iterable[str]) -> str:
    """The least confident of ``labels`` (see :data:`LABEL_ORDER`); ``""`` when there are none.

    Examples
    --------
    >>> lowest_label(["V", "S", "V"])
    'S'
    >>> lowest_label(["V", "R", "S+"]), lowest_label([])
    ('R', '')
    """
    rank = {label: i for i, label in enumerate(LABEL_ORDER)}
    known = [label for label in labels if label in rank]
    return max(known, key=rank.__getitem__) if known else ""


Continent: TypeAlias = Literal[
    "north_america", "south_america", "europe", "asia", "oceania", "africa", "middle_east"
]
CONTINENTS: tuple[str, ...] = Continent.__args__  # type: ignore[attr-defined]
"""The estate's continent vocabulary."""

StorageClassName: TypeAlias = Literal["standard", "infrequent", "cold", "archive", "deep_archive"]
"""exitcost's storage-class vocabulary (each book maps it to the provider's class name)."""
STORAGE_CLASSES: tuple[str, ...] = StorageClassName.__args__  # type: ignore[attr-defined]
"""The storage classes in order, warmest first."""

TransferClassName: TypeAlias = Literal[
    "internet", "inter_region", "cross_zone", "intra_region", "interconnect"
]

ALL_REGIONS = "*"
"""Selector entry meaning every region of the book."""

RetrievalSpeed: TypeAlias = Literal["instant", "expedited", "standard", "bulk"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class _Sourced(_Model):
    source: str = Field(min_length=1, description="Key of the book's `sources` table.")
    label: Label
    field_labels: dict[str, Label] = Field(default_factory=dict)
    """Labels for single fields of the block that are less (or more) certain than the block."""
    field_sources: dict[str, str] = Field(default_factory=dict)
    """Sources for single fields of the block that come from elsewhere."""

    @model_validator(mode="after")
    def _field_keys(self) -> _Sourced:
        names = set(type(self).model_fields) - {"source", "label", "field_labels", "field_sources"}
        for key in (*self.field_labels, *self.field_sources):
            if key not in names:
                raise ValueError(
                    f"field_labels/field_sources key {key!r} is not a field of this block "
                    f"(valid: {', '.join(sorted(names))})"
                )
        return self


class Source(_Model):
    """One entry of a book's ``sources`` table: where figures come from and how sure we are."""

    title: str = Field(min_length=1)
    url: str | None = None
    document: str | None = None
    as_of: dt.date
    label: Label
    note: str = ""

    @model_validator(mode="after")
    def _url_or_document(self) -> Source:
        if not (self.url or self.document):
            raise ValueError("a source needs a 'url' or a 'document'")
        return self


class Region(_Model):
    """A region (or site) of the provider.

    ``zone`` is the provider's pricing zone or group (e.g. Azure "zone1"); ``continent`` and
    ``jurisdiction`` use the estate's vocabulary (``EU``, ``UK``, ``US``, ``CH``, ...).
    ``partition`` names an isolated part of the provider's network (AWS GovCloud, AWS China):
    regions in different partitions share no backbone, so data between them travels as
    internet egress. ``None`` is the provider's main partition.
    """

    name: str = Field(min_length=1)
    continent: Continent | None = None
    jurisdiction: str | None = None
    zone: str | None = None
    partition: str | None = None


class DestinationZone(_Model):
    """A destination geography the provider prices internet egress by (e.g. GCP "china").

    A destination location matches the zone when its continent is in ``continents`` or its
    jurisdiction is in ``jurisdictions``.
    """

    name: str = Field(min_length=1)
    continents: tuple[Continent, ...] = ()
    jurisdictions: tuple[str, ...] = ()


class Tier(_Model):
    """One volume band of a transfer price, FOCUS bounds (exclusive min, inclusive max)."""

    min_gb: float = Field(ge=0, allow_inf_nan=False)
    max_gb: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    source: str | None = None
    label: Label | None = None


class StorageTier(_Model):
    """One band of a storage price, per GB-month of stored volume (FOCUS bounds)."""

    min_gb: float = Field(ge=0, allow_inf_nan=False)
    max_gb: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    usd_per_gb_month: float = Field(ge=0, allow_inf_nan=False)
    source: str | None = None
    label: Label | None = None


class InternetEgressRule(_Sourced):
    """Internet egress tiers for a set of source regions (and a destination zone if priced so).

    ``destination_zone`` null = any destination; ``network_tier`` null = the book's default
    network tier (e.g. Google's ``premium`` vs ``standard``).
    """

    regions: tuple[str, ...] = Field(min_length=1)
    destination_zone: str | None = None
    network_tier: str | None = None
    tiers: tuple[Tier, ...] = Field(min_length=1)
    note: str = ""


class FreeAllowance(_Sourced):
    """GB per month that are free, and how they aggregate.

    ``scope``: ``account`` = once per billing account across all the listed regions (applied in
    the order the caller gives the sources); ``region`` = separately for each source region.
    The free GB come off the start of the tier schedule (the first band). ``gb_per_stored_gb``
    adds free GB in proportion to the volume stored (e.g. "egress free up to 3x storage").
    """

    gb_per_month: float = Field(ge=0, allow_inf_nan=False)
    gb_per_stored_gb: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    scope: Literal["account", "region"]
    classes: tuple[TransferClassName, ...] = ("internet",)
    regions: tuple[str, ...] = (ALL_REGIONS,)
    network_tier: str | None = None
    note: str = ""


class InterRegionRule(_Sourced):
    """Flat per-GB prices from the listed source regions to other regions of the provider.

    ``destination_continents`` restricts the rule to destinations on those continents (used
    for surcharges such as "to or from Oceania"); a restricted rule wins over an open one.
    """

    regions: tuple[str, ...] = Field(min_length=1)
    same_continent_usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    cross_continent_usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    destination_continents: tuple[Continent, ...] = ()
    note: str = ""


class InterRegionPair(_Sourced):
    """An explicit price from one region to another; wins over every rule."""

    from_region: str
    to_region: str
    usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    both_directions: bool = True
    note: str = ""


class CrossZoneRule(_Sourced):
    """Transfer between zones (AZs) of one region.

    ``each_direction``: the provider charges the rate on both the sending and the receiving
    side, so one GB moved costs twice ``usd_per_gb``.
    """

    regions: tuple[str, ...] = (ALL_REGIONS,)
    usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    each_direction: bool = False
    note: str = ""


class IntraRegionRule(_Sourced):
    """Transfer inside one zone of one region (usually free)."""

    regions: tuple[str, ...] = (ALL_REGIONS,)
    usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    note: str = ""


class InterconnectRate(_Sourced):
    """Per-GB price of egress over the private interconnect from the listed regions."""

    regions: tuple[str, ...] = Field(min_length=1)
    location_group: str | None = None
    usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    note: str = ""


class InterconnectPort(_Sourced):
    """Port (circuit) fee of the interconnect by speed, USD per hour."""

    speed_gbps: float = Field(gt=0, allow_inf_nan=False)
    usd_per_hour: float = Field(ge=0, allow_inf_nan=False)
    kind: Literal["dedicated", "hosted", "partner"] = "dedicated"
    note: str = ""


class Interconnect(_Model):
    """The provider's private interconnect (Direct Connect, Cloud Interconnect, ExpressRoute)."""

    name: str = Field(min_length=1)
    rates: tuple[InterconnectRate, ...] = ()
    ports: tuple[InterconnectPort, ...] = ()


class TransitRule(_Sourced):
    """Internet transit of a site billed per committed Mbps at a percentile (not per GB).

    A month's volume is turned into a percentile rate as ``volume_gb * billing_gb_bytes * 8 /
    (hours_per_month * 3600) / 1e6 * peak_to_average`` Mbps. The commitment is a fixed monthly
    fee (``commit_mbps * usd_per_mbps_month``); traffic above it costs
    ``overage_usd_per_mbps_month`` per Mbps, which makes a per-GB price above the commitment.
    """

    regions: tuple[str, ...] = (ALL_REGIONS,)
    commit_mbps: float = Field(ge=0, allow_inf_nan=False)
    usd_per_mbps_month: float = Field(ge=0, allow_inf_nan=False)
    overage_usd_per_mbps_month: float = Field(ge=0, allow_inf_nan=False)
    percentile: float = Field(default=95.0, gt=0, le=100)
    peak_to_average: float = Field(ge=1, allow_inf_nan=False)
    hours_per_month: float = Field(default=730.0, gt=0, allow_inf_nan=False)
    note: str = ""


class RetrievalOption(_Model):
    """Reading data back out of a storage class at one speed."""

    speed: RetrievalSpeed
    usd_per_gb: float = Field(ge=0, allow_inf_nan=False)
    usd_per_1000_requests: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    hours: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    source: str | None = None
    label: Label | None = None
    note: str = ""


class StorageClass(_Sourced):
    """A storage class: price per GB-month by tier, minimum duration, retrieval options.

    ``storage_class`` is exitcost's vocabulary, ``provider_class`` the provider's name.
    ``get_usd_per_1000_requests`` is the read (GET) request price; ``minimum_days`` the
    minimum storage duration (deleting earlier is charged pro rata for the remaining days);
    ``minimum_billable_gb`` a minimum monthly charge expressed in GB; ``free_gb_month`` GB-months
    free each month.
    """

    storage_class: StorageClassName
    provider_class: str = Field(min_length=1)
    regions: tuple[str, ...] = Field(min_length=1)
    tiers: tuple[StorageTier, ...] = Field(min_length=1)
    minimum_days: int = Field(default=0, ge=0)
    minimum_billable_gb: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    free_gb_month: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    get_usd_per_1000_requests: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    put_usd_per_1000_requests: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    retrieval: tuple[RetrievalOption, ...] = ()
    note: str = ""


class Commitment(_Sourced):
    """A commitment discount off the on-demand price (a fraction, 0.37 = 37 % off)."""

    term: Literal["1yr", "3yr"]
    discount_fraction: float = Field(ge=0, lt=1)
    note: str = ""


class ComputeSplit(_Sourced):
    """How a general-purpose instance's hourly price splits between vCPUs and memory.

    ``vcpu_share`` of the price is attributed to the vCPUs, the rest to the GiB of memory.
    """

    vcpu_share: float = Field(gt=0, le=1)
    note: str = ""


class ComputeFamily(_Sourced):
    """A representative instance, from which unit prices are derived.

    ``kind="general_purpose"``: USD per vCPU-hour = ``usd_per_hour * split.vcpu_share / vcpus``
    and USD per GiB-hour = ``usd_per_hour * (1 - split.vcpu_share) / memory_gib``.
    ``kind="gpu"``: USD per GPU-hour = ``usd_per_hour / gpus`` (the host comes with the GPUs).
    ``stands_in_for`` names GPU models of other providers that this provider does not sell and
    that this family replaces (same memory and host shape): their GPU-hours are priced at this
    family's price, labelled R.
    """

    family: str = Field(min_length=1)
    kind: Literal["general_purpose", "gpu"]
    instance: str = Field(min_length=1)
    regions: tuple[str, ...] = Field(min_length=1)
    vcpus: int = Field(gt=0)
    memory_gib: float = Field(gt=0, allow_inf_nan=False)
    gpus: int = Field(default=0, ge=0)
    gpu_model: str | None = None
    stands_in_for: tuple[str, ...] = ()
    usd_per_hour: float = Field(gt=0, allow_inf_nan=False)
    split: ComputeSplit | None = None
    commitments: tuple[Commitment, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _kind_fields(self) -> ComputeFamily:
        if self.kind == "gpu" and (self.gpus < 1 or not self.gpu_model):
            raise ValueError("a 'gpu' family needs gpus >= 1 and a gpu_model")
        if self.stands_in_for and self.kind != "gpu":
            raise ValueError("only a 'gpu' family can stand in for other GPU models")
        if self.kind == "general_purpose" and self.split is None:
            raise ValueError("a 'general_purpose' family needs a 'split' (vcpu_share)")
        return self


class ExitProgramme(_Sourced):
    """A provider's free-egress-on-exit programme.

    ``covers`` lists the transfer classes the waiver zeroes (e.g. ``internet``); ``excludes``
    the cost categories that remain (retrieval, requests, early_deletion, ...). Before
    ``announced`` the programme does not exist and a waiver has no effect. ``window_days`` is
    the migration window from the start of the move (None = no limit): egress after it is not
    credited. ``network_tiers`` restricts the programme to those network tiers (e.g. Google's
    ``premium``); empty = every tier.
    """

    name: str = Field(min_length=1)
    announced: dt.date
    approval_required: bool
    window_days: int | None = Field(default=None, gt=0)
    covers: tuple[TransferClassName, ...] = Field(min_length=1)
    network_tiers: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    note: str = ""


UnpublishedKind: TypeAlias = Literal["storage", "retrieval", "internet_egress"]
"""What an :class:`Unpublished` entry says no source gives."""


class Unpublished(_Model):
    """A price the provider sells but no source read gives: said so, not guessed.

    ``kind`` ``storage`` (the class's storage price in those regions; no ``storage_class``
    means every class), ``retrieval`` (its
    retrieval prices) or ``internet_egress`` (the region's internet egress schedule, wholly or
    ``beyond_gb`` the last band the book has). ``searched`` names what was searched, ``as_of``
    when. Cost functions raise for these prices unless the caller asks for a fallback
    (:class:`exitcost.pricing.policy.PricingPolicy`).
    """

    kind: UnpublishedKind
    storage_class: StorageClassName | None = None
    regions: tuple[str, ...] = Field(min_length=1)
    beyond_gb: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    reason: str = Field(min_length=1)
    searched: tuple[str, ...] = Field(min_length=1)
    as_of: dt.date

    @model_validator(mode="after")
    def _class_given(self) -> Unpublished:
        if self.kind == "internet_egress" and self.storage_class is not None:
            raise ValueError("storage_class is not allowed for kind 'internet_egress'")
        if self.kind == "retrieval" and self.storage_class is None:
            raise ValueError("storage_class is required for kind 'retrieval'")
        if self.beyond_gb is not None and self.kind != "internet_egress":
            raise ValueError("beyond_gb is only allowed for kind 'internet_egress'")
        return self


class PriceBookModel(_Model):
    """A whole price book file (see ``data/pricing/README.md``)."""

    schema_version: Literal[1] = 1
    provider: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    display_name: str = Field(min_length=1)
    kind: Literal["cloud", "site_template"] = "cloud"
    currency: Literal["USD"] = "USD"
    effective_date: dt.date
    billing_gb_bytes: int = Field(default=2**30, gt=0)
    default_network_tier: str | None = None
    note: str = ""
    sources: dict[str, Source] = Field(min_length=1)
    regions: dict[str, Region] = Field(min_length=1)
    destination_zones: dict[str, DestinationZone] = Field(default_factory=dict)
    internet_egress: tuple[InternetEgressRule, ...] = ()
    free_allowances: tuple[FreeAllowance, ...] = ()
    inter_region: tuple[InterRegionRule, ...] = ()
    inter_region_pairs: tuple[InterRegionPair, ...] = ()
    cross_zone: tuple[CrossZoneRule, ...] = ()
    intra_region: tuple[IntraRegionRule, ...] = ()
    interconnect: Interconnect | None = None
    transit: tuple[TransitRule, ...] = ()
    storage: tuple[StorageClass, ...] = ()
    compute: tuple[ComputeFamily, ...] = ()
    exit_programme: ExitProgramme | None = None
    unpublished: tuple[Unpublished, ...] = ()

    @field_validator("regions")
    @classmethod
    def _region_ids(cls, value: dict[str, Region]) -> dict[str, Region]:
        for key in value:
            if key != ALL_REGIONS and (not key or any(c.isspace() or c == ":" for c in key)):
                raise ValueError(f"region id {key!r} must be non-empty, without spaces or ':'")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> PriceBookModel:
        problems = book_problems(self)
        if problems:
            raise ValueError("\n".join(str(p) for p in problems))
        return self


class RegulationPhase(_Model):
    """One period of a regulation regime: what switching charges may be, from ``start``.

    ``switching_charges``: ``list`` (no constraint), ``at_cost`` (capped at the provider's cost
    directly linked to switching) or ``none`` (no charge may be levied).
    """

    start: dt.date
    end: dt.date | None = None
    switching_charges: Literal["list", "at_cost", "none"]
    source: str
    label: Label
    note: str = ""


class RegulationModel(_Model):
    """A dated regulation regime (``data/pricing/regulation/<id>.yaml``)."""

    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    customer_jurisdictions: tuple[str, ...] = Field(min_length=1)
    covers: tuple[TransferClassName, ...] = Field(min_length=1)
    phases: tuple[RegulationPhase, ...] = Field(min_length=1)
    sources: dict[str, Source] = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _phases(self) -> RegulationModel:
        problems: list[Problem] = []
        for i, phase in enumerate(self.phases):
            if phase.source not in self.sources:
                problems.append(
                    Problem(
                        f"phases[{i}].source",
                        phase.source,
                        f"is not in sources ({', '.join(sorted(self.sources))})",
                    )
                )
            if phase.end is not None and phase.end < phase.start:
                problems.append(Problem(f"phases[{i}].end", str(phase.end), "is before start"))
            if i and self.phases[i - 1].start >= phase.start:
                problems.append(
                    Problem(f"phases[{i}].start", str(phase.start), "phases must be in date order")
                )
            elif i:
                previous_end = self.phases[i - 1].end
                if previous_end is None or previous_end >= phase.start:
                    problems.append(
                        Problem(
                            f"phases[{i}].start",
                            str(phase.start),
                            f"overlaps phases[{i - 1}], which ends on "
                            f"{previous_end or 'no date (open-ended)'}",
                        )
                    )
        if problems:
            raise ValueError("\n".join(str(p) for p in problems))
        return self


_CODE = r"^[A-Z][A-Z0-9]$"


class JurisdictionCodes(_Sourced):
    """The country codes accepted as jurisdictions: ISO 3166-1 alpha-2 plus ``extra`` codes.

    ``extra`` maps a code in common use that ISO reserves rather than assigns (``UK``) to its
    name.
    """

    codes: tuple[Annotated[str, Field(pattern=_CODE)], ...] = Field(min_length=1)
    extra: dict[Annotated[str, Field(pattern=_CODE)], str] = Field(default_factory=dict)
    note: str = ""


class JurisdictionGroup(_Sourced):
    """A jurisdiction made of member states (``EU``): a member's code counts as the group.

    ``aliases`` maps another code for a member to its ISO code (``EL`` -> ``GR``).
    """

    name: str = Field(min_length=1)
    members: tuple[Annotated[str, Field(pattern=_CODE)], ...] = Field(min_length=1)
    aliases: dict[Annotated[str, Field(pattern=_CODE)], str] = Field(default_factory=dict)
    note: str = ""


class JurisdictionsModel(_Model):
    """The jurisdiction vocabulary (``data/pricing/regulation/jurisdictions.yaml``)."""

    schema_version: Literal[1] = 1
    id: Literal["jurisdictions"] = "jurisdictions"
    note: str = ""
    sources: dict[str, Source] = Field(min_length=1)
    countries: JurisdictionCodes
    groups: dict[Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9-]{1,11}$")], JurisdictionGroup] = (
        Field(default_factory=dict)
    )

    @model_validator(mode="after")
    def _consistent(self) -> JurisdictionsModel:
        problems: list[Problem] = []
        known = set(self.countries.codes) | set(self.countries.extra)
        blocks: list[tuple[str, _Sourced]] = [("countries", self.countries)]
        blocks += [(f"groups.{gid}", group) for gid, group in self.groups.items()]
        for path, block in blocks:
            for where, source in [("source", block.source), *block.field_sources.items()]:
                if source not in self.sources:
                    problems.append(
                        Problem(
                            f"{path}.{where}", source, f"is not in sources ({_short(self.sources)})"
                        )
                    )
        for gid, group in self.groups.items():
            if gid in known:
                problems.append(Problem(f"groups.{gid}", gid, "is also a country code"))
            for i, member in enumerate(group.members):
                if member not in known:
                    problems.append(
                        Problem(f"groups.{gid}.members[{i}]", member, "is not a country code")
                    )
            for alias, target in group.aliases.items():
                if target not in group.members:
                    problems.append(
                        Problem(f"groups.{gid}.aliases.{alias}", target, "is not a member")
                    )
        if problems:
            raise ValueError("\n".join(str(p) for p in problems))
        return self


# --------------------------------------------------------------------------- consistency


def _check_tiers(
    path: str,
    tiers: Sequence[Tier | StorageTier],
    problems: list[Problem],
) -> None:
    previous_max: float | None = 0.0
    for i, tier in enumerate(tiers):
        if previous_max is None:
            problems.append(
                Problem(
                    f"{path}[{i}].min_gb",
                    tier.min_gb,
                    "follows an unbounded tier (only the last tier may have max_gb: null)",
                )
            )
            return
        if not math.isclose(tier.min_gb, previous_max, rel_tol=0.0, abs_tol=1e-9):
            what = "overlaps the previous tier" if tier.min_gb < previous_max else "leaves a gap"
            problems.append(
                Problem(
                    f"{path}[{i}].min_gb",
                    tier.min_gb,
                    f"{what}: tiers must be contiguous, each min_gb equal to the previous "
                    f"max_gb ({previous_max:g}; the first tier starts at 0)",
                )
            )
        if tier.max_gb is not None and tier.max_gb <= tier.min_gb:
            problems.append(
                Problem(f"{path}[{i}].max_gb", tier.max_gb, f"must be > min_gb ({tier.min_gb:g})")
            )
        previous_max = tier.max_gb


def _check_regions(
    path: str, selector: Iterable[str], regions: dict[str, Region], problems: list[Problem]
) -> None:
    for j, region in enumerate(selector):
        if region != ALL_REGIONS and region not in regions:
            problems.append(
                Problem(
                    f"{path}[{j}]",
                    region,
                    f"is not a region of this book (valid: {_short(regions)} or '*')",
                )
            )


def _short(items: Iterable[str], limit: int = 8) -> str:
    names = sorted(items)
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


def _check_source(path: str, source: str | None, book: PriceBookModel, out: list[Problem]) -> None:
    if source is not None and source not in book.sources:
        out.append(Problem(path, source, f"is not a key of 'sources' ({_short(book.sources)})"))


def book_problems(book: PriceBookModel) -> list[Problem]:
    """Every cross-field problem of a price book (empty when it is consistent).

    Checked: each ``source`` is a key of ``sources``; each region selector names regions of the
    book; tiers start at 0, are contiguous, non-overlapping and only the last is unbounded; no
    two rules price the same (region, destination zone, network tier) or storage (class,
    region); a cloud book prices internet egress from every region and gives each region a
    continent; destination zones exist; dates lie between 2000-01-01 and 2100-01-01.
    """
    problems: list[Problem] = []
    regions = book.regions
    lowest, highest = dt.date(2000, 1, 1), dt.date(2100, 1, 1)

    def date_ok(path: str, value: dt.date) -> None:
        if not lowest <= value <= highest:
            problems.append(Problem(path, str(value), "must lie between 2000-01-01 and 2100-01-01"))

    date_ok("effective_date", book.effective_date)
    for source_id, entry in book.sources.items():
        date_ok(f"sources.{source_id}.as_of", entry.as_of)
    if ALL_REGIONS in regions and book.kind != "site_template":
        problems.append(
            Problem("regions", ALL_REGIONS, "the '*' region is only allowed in site_template books")
        )
    if book.kind == "cloud":
        for rid, meta in regions.items():
            if meta.continent is None:
                problems.append(
                    Problem(f"regions.{rid}.continent", None, "is required in a cloud book")
                )

    seen_egress: dict[tuple[str, str | None, str | None], int] = {}
    for i, rule in enumerate(book.internet_egress):
        path = f"internet_egress[{i}]"
        _check_source(f"{path}.source", rule.source, book, problems)
        _check_regions(f"{path}.regions", rule.regions, regions, problems)
        _check_tiers(f"{path}.tiers", rule.tiers, problems)
        for k, tier in enumerate(rule.tiers):
            _check_source(f"{path}.tiers[{k}].source", tier.source, book, problems)
        if (
            rule.destination_zone is not None
            and rule.destination_zone not in book.destination_zones
        ):
            problems.append(
                Problem(
                    f"{path}.destination_zone",
                    rule.destination_zone,
                    f"is not a key of 'destination_zones' ({_short(book.destination_zones)})",
                )
            )
        # A '*' rule is a default that explicit regions override, so '*' is its own key.
        covered = [ALL_REGIONS] if ALL_REGIONS in rule.regions else list(rule.regions)
        for region in covered:
            egress_key = (region, rule.destination_zone, rule.network_tier)
            if egress_key in seen_egress:
                problems.append(
                    Problem(
                        f"{path}.regions",
                        region,
                        f"is already priced by internet_egress[{seen_egress[egress_key]}] for "
                        "the same destination zone and network tier",
                    )
                )
            else:
                seen_egress[egress_key] = i
    no_egress = {
        r
        for u in book.unpublished
        if u.kind == "internet_egress" and u.beyond_gb is None
        for r in u.regions
    }
    if book.kind == "cloud" and book.internet_egress:
        priced = {k[0] for k in seen_egress if k[1] is None}
        for rid in regions:
            if rid not in priced and ALL_REGIONS not in priced and rid not in no_egress:
                problems.append(
                    Problem(
                        "internet_egress",
                        rid,
                        "region has no internet egress rule for any destination "
                        "(destination_zone: null)",
                    )
                )
    elif book.kind == "cloud":
        problems.append(Problem("internet_egress", [], "a cloud book needs internet egress rules"))

    for i, allowance in enumerate(book.free_allowances):
        path = f"free_allowances[{i}]"
        _check_source(f"{path}.source", allowance.source, book, problems)
        _check_regions(f"{path}.regions", allowance.regions, regions, problems)
    for i, ir in enumerate(book.inter_region):
        path = f"inter_region[{i}]"
        _check_source(f"{path}.source", ir.source, book, problems)
        _check_regions(f"{path}.regions", ir.regions, regions, problems)
    for i, pair in enumerate(book.inter_region_pairs):
        path = f"inter_region_pairs[{i}]"
        _check_source(f"{path}.source", pair.source, book, problems)
        _check_regions(f"{path}.from_region", [pair.from_region], regions, problems)
        _check_regions(f"{path}.to_region", [pair.to_region], regions, problems)
    zone_rules: tuple[tuple[str, tuple[CrossZoneRule | IntraRegionRule, ...]], ...] = (
        ("cross_zone", book.cross_zone),
        ("intra_region", book.intra_region),
    )
    for name, rules in zone_rules:
        for i, cz in enumerate(rules):
            _check_source(f"{name}[{i}].source", cz.source, book, problems)
            _check_regions(f"{name}[{i}].regions", cz.regions, regions, problems)
    if book.interconnect is not None:
        for i, rate in enumerate(book.interconnect.rates):
            path = f"interconnect.rates[{i}]"
            _check_source(f"{path}.source", rate.source, book, problems)
            _check_regions(f"{path}.regions", rate.regions, regions, problems)
        for i, port in enumerate(book.interconnect.ports):
            _check_source(f"interconnect.ports[{i}].source", port.source, book, problems)
    for i, transit in enumerate(book.transit):
        _check_source(f"transit[{i}].source", transit.source, book, problems)
        _check_regions(f"transit[{i}].regions", transit.regions, regions, problems)

    seen_storage: dict[tuple[str, str], int] = {}
    for i, sc in enumerate(book.storage):
        path = f"storage[{i}]"
        _check_source(f"{path}.source", sc.source, book, problems)
        _check_regions(f"{path}.regions", sc.regions, regions, problems)
        _check_tiers(f"{path}.tiers", sc.tiers, problems)
        for k, st in enumerate(sc.tiers):
            _check_source(f"{path}.tiers[{k}].source", st.source, book, problems)
        speeds = [opt.speed for opt in sc.retrieval]
        for k, opt in enumerate(sc.retrieval):
            _check_source(f"{path}.retrieval[{k}].source", opt.source, book, problems)
            if speeds.count(opt.speed) > 1 and speeds.index(opt.speed) != k:
                problems.append(
                    Problem(f"{path}.retrieval[{k}].speed", opt.speed, "is listed twice")
                )
        for region in sc.regions:
            storage_key = (sc.storage_class, region)
            if storage_key in seen_storage:
                problems.append(
                    Problem(
                        f"{path}.regions",
                        region,
                        f"class {sc.storage_class!r} is already priced here by "
                        f"storage[{seen_storage[storage_key]}]",
                    )
                )
            else:
                seen_storage[storage_key] = i

    for i, gap in enumerate(book.unpublished):
        path = f"unpublished[{i}]"
        _check_regions(f"{path}.regions", gap.regions, regions, problems)
        date_ok(f"{path}.as_of", gap.as_of)
        if gap.kind == "storage":
            for j, region in enumerate(gap.regions):
                hits = [
                    k for k in seen_storage if k[1] == region and gap.storage_class in (None, k[0])
                ]
                if hits:
                    problems.append(
                        Problem(
                            f"{path}.regions[{j}]",
                            region,
                            f"class {hits[0][0]!r} is priced here by "
                            f"storage[{seen_storage[hits[0]]}], so it is not unpublished",
                        )
                    )

    for i, fam in enumerate(book.compute):
        path = f"compute[{i}]"
        _check_source(f"{path}.source", fam.source, book, problems)
        _check_regions(f"{path}.regions", fam.regions, regions, problems)
        if fam.split is not None:
            _check_source(f"{path}.split.source", fam.split.source, book, problems)
        for k, com in enumerate(fam.commitments):
            _check_source(f"{path}.commitments[{k}].source", com.source, book, problems)

    if book.exit_programme is not None:
        _check_source("exit_programme.source", book.exit_programme.source, book, problems)
        date_ok("exit_programme.announced", book.exit_programme.announced)
    for path, block in _sourced_blocks(book, ""):
        for field_name, field_source in block.field_sources.items():
            _check_source(f"{path}.field_sources.{field_name}", field_source, book, problems)
    return problems


def _sourced_blocks(model: BaseModel, path: str) -> Iterable[tuple[str, _Sourced]]:
    """Every price block (a model with ``source`` and ``label``) inside ``model``, with paths."""
    if isinstance(model, _Sourced):
        yield path, model
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            yield from _sourced_blocks(value, here)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _sourced_blocks(item, f"{here}[{i}]")
