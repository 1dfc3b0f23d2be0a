"""The compiled model: an estate, its prices and its defaults as plain arrays, built once.

:func:`compile` reads a validated :class:`~exitcost.estate.Estate` once and returns a frozen
:class:`Model` of numpy arrays (locations, datasets, workloads, flows, contracts, the effort and
schedule of every workload), the price books it needs (each loaded once, in one function,
:func:`_price_locations`) and the uncertain inputs with their distributions. The engine
(:mod:`exitcost.engine`) and the stay/exit views read only this.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> model = compile(sample_estate())
>>> model.n_workloads, model.n_datasets
(36, 25)
>>> model.location_ids[model.dataset_location[0]]
'aws:us-east-1'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from exitcost._resources import data_dir
from exitcost.errors import InvalidParameterError, PriceBookError, UnknownProviderError
from exitcost.estate import Estate
from exitcost.estate.model import SITE_KINDS
from exitcost.facilities import FacilityDefaults, load_facility_defaults
from exitcost.pricing.books import (
    PriceBook,
    as_date,
    book_provenance,
    load_price_book,
    split_location,
)
from exitcost.pricing.policy import warn_stale_books
from exitcost.pricing.tiers import TierSchedule
from exitcost.uncertainty import bounds, point
from exitcost.units import HOURS_PER_MONTH, month_start, months_between

__all__ = [
    "STORAGE_CLASSES",
    "EngineDefaults",
    "Model",
    "UncertainInput",
    "as_model",
    "compile",
    "load_engine_defaults",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

STORAGE_CLASSES: Final[tuple[str, ...]] = (
    "standard",
    "infrequent",
    "cold",
    "archive",
    "deep_archive",
)
"""The storage classes of the estate model, in the order of the model's class index."""


# ---------------------------------------------------------------- defaults (data file)


class _Sourced(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source: str = Field(min_length=1)
    label: Literal["V", "S", "M", "R"]


class Overrun(_Sourced):
    """Reference-class cost overrun of a migration programme, as a two-part mixture.

    With probability ``black_swan_probability`` the programme draws from ``black_swan``
    (a PERT of the cost as a multiple of the estimate), otherwise from ``regular``. The
    engine divides by the mixture's mean so that the expected cost stays the effort model's
    expectation (which already carries the reference class's mean overrun) and only the
    spread, with its fat tail, is added.
    """

    regular: tuple[float, float, float]
    black_swan: tuple[float, float, float]
    black_swan_probability: float = Field(gt=0, lt=1)


class PriceDrift(_Sourced):
    """Yearly change of list prices per cost category, a uniform range per provider kind."""

    compute: tuple[float, float]
    storage: tuple[float, float]
    egress: tuple[float, float]


class EngineDefaults(BaseModel):
    """Defaults for what an estate rarely states, from ``data/assumptions/<date>.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    effective_date: dt.date
    overrun: Overrun
    price_drift_per_year: PriceDrift
    data_move_bandwidth_gbps: float = Field(gt=0)
    data_move_bandwidth_source: str = Field(min_length=1)


def load_engine_defaults(path: str | Path | None = None) -> EngineDefaults:
    """The newest bundled engine defaults, or the file at ``path`` (safe YAML).

    Examples
    --------
    >>> d = load_engine_defaults()
    >>> d.overrun.black_swan_probability
    0.1667
    """
    if path is None:
        files = sorted(data_dir("assumptions").glob("*.yaml"))
        path = files[-1]
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    try:
        return EngineDefaults.model_validate(raw)
    except ValidationError as exc:  # say which file, and every field that is wrong
        raise InvalidParameterError(
            f"The engine defaults file {str(path)!r} is not valid: {exc}"
        ) from exc


# ---------------------------------------------------------------- uncertain inputs


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input of the model: where it goes, its distribution and its range.

    ``target`` names the model array it replaces (``dataset_size_gb``, ...) and ``index`` the
    element; ``distribution`` is an :mod:`exitcost.uncertainty` distribution or None for an
    engine default drawn by the engine itself (``overrun``, ``price_drift``).
    """

    name: str
    target: str
    index: int
    mean: float
    low: float
    high: float
    unit: str
    source: str
    distribution: Any = None


# ---------------------------------------------------------------- location prices


@dataclass(frozen=True, eq=False)
class LocationPrices:
    """Prices of a set of locations, as arrays (the one place prices enter the model).

    Per location ``l``: ``storage_edges_gb[l, c, k]`` / ``storage_rates_usd_per_gb_month``
    (padded tiers per storage class ``c``; NaN rates where the book has no price),
    ``egress_schedules[l]`` (internet egress without allowances; None for none),
    ``egress_own_free_gb``, ``egress_account_free_gb``, ``egress_fixed_usd_per_month``,
    ``vcpu_usd_per_hour``, ``gib_usd_per_hour`` (NaN where none), ``gpu_usd_per_hour``
    (model -> price), ``discount_fraction`` (term -> fraction), retrieval per GB and per
    1,000 requests per class, and the inter-region rate between locations of one provider.
    """

    location_ids: tuple[str, ...]
    storage_edges_gb: FloatArray
    storage_rates_usd_per_gb_month: FloatArray
    storage_priced: BoolArray
    egress_schedules: tuple[TierSchedule | None, ...]
    egress_own_free_gb: FloatArray
    egress_account_free_gb: FloatArray
    egress_fixed_usd_per_month: FloatArray
    vcpu_usd_per_hour: FloatArray
    gib_usd_per_hour: FloatArray
    gpu_usd_per_hour: tuple[Mapping[str, float], ...]
    discount_fraction: tuple[Mapping[str, float], ...]
    retrieval_usd_per_gb: FloatArray
    requests_usd_per_1000: FloatArray
    inter_region_usd_per_gb: FloatArray
    exit_window_days: FloatArray
    provenance: Mapping[str, str]
    beyond_published: Literal["error", "extrapolate"] = "error"


def _retrieval_rates(book: PriceBook, region: str, klass: str) -> tuple[float, float]:
    """Per-GB and per-1,000-request cost of reading a class back (instant, else standard)."""
    sc = book.storage_class(region, klass)
    options = {o.speed: o for o in sc.retrieval}
    option = options.get("instant", options.get("standard"))
    per_gb = option.usd_per_gb if option is not None else 0.0
    per_req = (option.usd_per_1000_requests if option is not None else 0.0) + (
        sc.get_usd_per_1000_requests
    )
    return per_gb, per_req


def _price_locations(
    location_ids: Sequence[str],
    kinds: Sequence[str],
    day: dt.date,
    books: dict[str, PriceBook],
    *,
    beyond_published: Literal["error", "extrapolate"] = "error",
) -> LocationPrices:
    """Every price look-up of the model: load each provider's book once, read its prices.

    ``books`` is the cache of books already loaded (filled here); ``beyond_published`` is the
    pricing policy for volumes beyond the last published tier, checked when costs are priced.
    """
    n = len(location_ids)
    n_classes = len(STORAGE_CLASSES)
    schedules: list[TierSchedule] = []
    priced = np.zeros((n, n_classes), dtype=bool)
    egress: list[TierSchedule | None] = []
    own = np.zeros(n)
    account = np.zeros(n)
    fixed = np.zeros(n)
    vcpu = np.full(n, np.nan)
    gib = np.full(n, np.nan)
    gpu: list[Mapping[str, float]] = []
    discounts: list[Mapping[str, float]] = []
    retrieval = np.zeros((n, n_classes))
    requests = np.zeros((n, n_classes))
    window = np.zeros(n)
    provenance: dict[str, str] = {}
    for i, (loc, kind) in enumerate(zip(location_ids, kinds, strict=True)):  # once per location
        provider, region = split_location(loc, func="compile")
        book = books.get(provider)
        if book is None:
            try:
                book = load_price_book(provider, as_of=day)
            except (PriceBookError, UnknownProviderError):
                if kind == "cloud":
                    raise
                book = None
            if book is not None:
                books[provider] = book
        gpu_prices: dict[str, float] = {}
        terms: dict[str, float] = {}
        for c, klass in enumerate(STORAGE_CLASSES):
            schedule = TierSchedule.flat(0.0)
            if book is not None and (kind == "cloud" or book.model.storage):
                try:
                    schedule = book.storage_schedule(region, klass)
                    priced[i, c] = True
                    retrieval[i, c], requests[i, c] = _retrieval_rates(book, region, klass)
                except PriceBookError:
                    priced[i, c] = kind != "cloud"
            else:
                priced[i, c] = True  # a site's disks are part of its facility cost
            schedules.append(schedule)
        if book is None:
            egress.append(None)
            gpu.append(MappingProxyType(gpu_prices))
            discounts.append(MappingProxyType(terms))
            continue
        provenance[provider] = book_provenance(book)
        try:
            if kind == "cloud":
                price = book.internet_price(region, free_allowance=False)
                own[i] = book.free_allowance_gb(region, scope="region")
                account[i] = book.free_allowance_gb(region, scope="account")
            else:
                price = book.transfer_price(region, "internet")
            egress.append(price.schedule)
            fixed[i] = price.fixed_usd_per_month
        except PriceBookError:
            egress.append(None)
        if kind == "cloud":
            try:
                units = book.compute_unit_prices(region)
                vcpu[i] = np.nan if units.usd_per_vcpu_hour is None else units.usd_per_vcpu_hour
                gib[i] = np.nan if units.usd_per_gib_hour is None else units.usd_per_gib_hour
                gpu_prices.update(units.usd_per_gpu_hour)
                terms.update(units.discount_fraction)
                terms.update({f"{m}:{t}": v for (m, t), v in units.gpu_discount_fraction.items()})
            except PriceBookError:
                pass
            programme = book.exit_programme
            if programme is not None:
                window[i] = math.inf if programme.window_days is None else programme.window_days
        gpu.append(MappingProxyType(gpu_prices))
        discounts.append(MappingProxyType(terms))
    edges, rates = _padded(schedules)
    n_tiers = edges.shape[-1]
    edges = edges.reshape(n, n_classes, n_tiers)
    rates = rates.reshape(n, n_classes, n_tiers)
    inter = np.zeros((n, n))
    providers = [split_location(loc, func="compile") for loc in location_ids]
    for i, (p, region) in enumerate(providers):  # pairs of one provider's clouds, a few
        if kinds[i] != "cloud":
            continue
        for j, (q, _) in enumerate(providers):
            if i != j and q == p and kinds[j] == "cloud" and location_ids[i] != location_ids[j]:
                price = books[p].transfer_price(region, location_ids[j])
                inter[i, j] = float(price.schedule.rates_usd_per_gb[-1])
    return LocationPrices(
        location_ids=tuple(location_ids),
        storage_edges_gb=edges,
        storage_rates_usd_per_gb_month=rates,
        storage_priced=priced,
        egress_schedules=tuple(egress),
        egress_own_free_gb=own,
        egress_account_free_gb=account,
        egress_fixed_usd_per_month=fixed,
        vcpu_usd_per_hour=vcpu,
        gib_usd_per_hour=gib,
        gpu_usd_per_hour=tuple(gpu),
        discount_fraction=tuple(discounts),
        retrieval_usd_per_gb=retrieval,
        requests_usd_per_1000=requests,
        inter_region_usd_per_gb=inter,
        exit_window_days=window,
        provenance=MappingProxyType(provenance),
        beyond_published=beyond_published,
    )


# ---------------------------------------------------------------- the model


@dataclass(frozen=True, eq=False)
class Model:
    """An estate compiled to plain arrays (see the module docstring and ``docs/engine.md``).

    Locations ``L``, datasets ``D``, workloads ``W``, flows ``F``, contracts ``C``. Index
    arrays point into ``location_ids``; money is USD per month at expected values; the
    uncertain inputs are listed in ``inputs``.
    """

    name: str
    as_of: dt.date
    estate: Estate
    location_ids: tuple[str, ...]
    location_kind: tuple[str, ...]
    location_provider: tuple[str, ...]
    location_account: tuple[str, ...]
    location_jurisdiction: tuple[str, ...]
    dataset_ids: tuple[str, ...]
    dataset_location: IntArray
    dataset_size_gb: FloatArray
    dataset_growth_rate_per_month: FloatArray
    dataset_storage_class: IntArray
    dataset_objects: FloatArray
    workload_ids: tuple[str, ...]
    workload_location: IntArray
    workload_kind: tuple[str, ...]
    workload_compute_usd_per_month: FloatArray
    workload_spend_only: BoolArray
    workload_vcpus: FloatArray
    workload_memory_gib: FloatArray
    workload_gpus: FloatArray
    workload_gpu_model: tuple[str, ...]
    workload_discount_fraction: FloatArray
    workload_internet_egress_gb_per_month: FloatArray
    workload_strategy: tuple[str, ...]
    workload_labour_usd: FloatArray
    workload_person_days: FloatArray
    workload_start_month: FloatArray
    workload_duration_months: FloatArray
    workload_hypercare_months: FloatArray
    workload_dual_running_usd: FloatArray
    flow_workload: IntArray
    flow_dataset: IntArray
    flow_gb_per_month: FloatArray
    flow_read: BoolArray
    contract_ids: tuple[str, ...]
    contract_provider: tuple[str, ...]
    contract_kind: tuple[str, ...]
    contract_usd_per_month: FloatArray
    contract_start_month: IntArray
    contract_end_month: IntArray
    contract_termination_fee_usd: FloatArray
    contract_cancellable: BoolArray
    facility: FacilityDefaults
    defaults: EngineDefaults
    prices: LocationPrices
    books: Mapping[str, PriceBook]
    inputs: tuple[UncertainInput, ...] = field(default_factory=tuple)

    @property
    def n_workloads(self) -> int:
        """Number of workloads."""
        return len(self.workload_ids)

    @property
    def n_datasets(self) -> int:
        """Number of datasets."""
        return len(self.dataset_ids)

    @property
    def n_locations(self) -> int:
        """Number of locations (the estate's, then any a plan added)."""
        return len(self.location_ids)

    def location_index(self, location: str) -> int:
        """Index of a location id; a clear error listing the known ids when absent."""
        try:
            return self.location_ids.index(location)
        except ValueError:
            raise InvalidParameterError(
                f"Unknown location {location!r}; the model has "
                f"{', '.join(repr(x) for x in self.location_ids)}."
            ) from None

    def with_locations(self, locations: Iterable[str]) -> Model:
        """The model with more (target) locations priced, kinds from their provider part.

        Examples
        --------
        >>> from exitcost.estate import sample_estate
        >>> m = compile(sample_estate()).with_locations(["gcp:europe-west4"])
        >>> m.location_ids[-1], m.location_kind[-1]
        ('gcp:europe-west4', 'cloud')
        """
        new = [loc for loc in dict.fromkeys(locations) if loc not in self.location_ids]
        if not new:
            return self
        kinds = []
        provs = []
        juris = []
        for loc in new:
            provider, _ = split_location(loc, name="to", func="Plan")
            kinds.append(provider if provider in SITE_KINDS else "cloud")
            provs.append(provider)
        books = dict(self.books)
        for loc, kind in zip(new, kinds, strict=True):  # an unknown region names the plan's `to`
            if kind == "cloud":
                provider, region = split_location(loc, func="Plan")
                if provider not in books:
                    books[provider] = load_price_book(provider, as_of=self.as_of)
                books[provider].region(region, name="to", func="Plan")
        ids = (*self.location_ids, *new)
        all_kinds = (*self.location_kind, *kinds)
        prices = _price_locations(ids, all_kinds, self.as_of, books)
        for loc, kind in zip(new, kinds, strict=True):
            juris_code: str | None = None
            if kind == "cloud":
                provider, region = split_location(loc, func="Plan")
                juris_code = books[provider].region(region, name="to", func="Plan").jurisdiction
            juris.append(juris_code or "")
        return replace(
            self,
            location_ids=ids,
            location_kind=all_kinds,
            location_provider=(*self.location_provider, *provs),
            location_account=(*self.location_account, *provs),
            location_jurisdiction=(*self.location_jurisdiction, *juris),
            prices=prices,
            books=MappingProxyType(books),
        )

    def compute_usd_per_month_at(self, location: IntArray) -> FloatArray:
        """Each workload's monthly compute if it ran at ``location[w]`` (a cloud). [USD]

        Units at the target's on-demand unit prices (commitments are not carried over); a
        workload stated only as a monthly spend is translated by the ratio of the vCPU-hour
        prices of the target and its origin (an assumption the engine lists).
        """
        p = self.prices
        w = np.arange(self.n_workloads)
        gpu_rate = np.array(
            [
                p.gpu_usd_per_hour[int(loc)].get(model, np.nan) if gpus > 0 else 0.0
                for loc, model, gpus in zip(
                    location, self.workload_gpu_model, self.workload_gpus, strict=True
                )
            ],
            dtype=np.float64,
        )
        vcpu = np.nan_to_num(p.vcpu_usd_per_hour[location]) * self.workload_vcpus
        gib = np.nan_to_num(p.gib_usd_per_hour[location]) * self.workload_memory_gib
        units = (vcpu + gib + gpu_rate * self.workload_gpus) * HOURS_PER_MONTH
        origin_rate = p.vcpu_usd_per_hour[self.workload_location]
        ratio = np.divide(
            p.vcpu_usd_per_hour[location],
            origin_rate,
            out=np.ones(self.n_workloads),
            where=np.isfinite(origin_rate) & np.isfinite(p.vcpu_usd_per_hour[location]),
        )
        same = location == self.workload_location
        moved: FloatArray = np.where(
            self.workload_spend_only, self.workload_compute_usd_per_month * ratio, units
        )
        return np.where(same[w], self.workload_compute_usd_per_month, moved)

    @property
    def provenance(self) -> Mapping[str, str]:
        """Provider -> the price book used (effective date and any registered rate card)."""
        return self.prices.provenance


def as_model(estate_or_model: Estate | Model, *, func: str = "simulate") -> Model:
    """The model itself, or the estate compiled; anything else is refused clearly."""
    if isinstance(estate_or_model, Model):
        return estate_or_model
    if isinstance(estate_or_model, Estate):
        return compile(estate_or_model)
    raise InvalidParameterError(
        f"The 'estate' parameter of {func} must be an exitcost Estate or a compiled Model. "
        f"Got {type(estate_or_model).__name__} instead."
    )


def _quantity_input(
    inputs: list[UncertainInput], value: Any, name: str, target: str, index: int, unit: str
) -> None:
    if isinstance(value, float | int):
        return
    low, high = bounds(value)
    if not math.isfinite(low) or not math.isfinite(high):
        drawn = value.draw(4000, np.random.default_rng(0))  # an unbounded normal: P5 and P95
        low, high = (float(q) for q in np.quantile(drawn, [0.05, 0.95]))
    inputs.append(
        UncertainInput(
            name=name,
            target=target,
            index=index,
            mean=point(value),
            low=low,
            high=high,
            unit=unit,
            source="estate",
            distribution=value,
        )
    )


def _padded(schedules: Sequence[TierSchedule]) -> tuple[FloatArray, FloatArray]:
    """Band edges and rates of ``schedules`` as ``(n_schedules, n_bands)`` arrays; the padding
    bands start at ``inf`` with rate 0, so they are never reached."""
    n = max((s.edges_gb.size for s in schedules), default=1)
    edges = np.full((len(schedules), n), np.inf)
    rates = np.zeros((len(schedules), n))
    for i, s in enumerate(schedules):  # once per compile, a few schedules per location
        edges[i, : s.edges_gb.size] = s.edges_gb
        rates[i, : s.rates_usd_per_gb.size] = s.rates_usd_per_gb
    return edges, rates


def compile(
    estate: Estate,
    *,
    as_of: Any = None,
    defaults: EngineDefaults | str | Path | None = None,
    facility_defaults: FacilityDefaults | None = None,
) -> Model:
    """Compile an estate to a :class:`Model` of plain arrays, in one pass.

    Parameters
    ----------
    estate : Estate
        The validated estate.
    as_of : date or ISO string, optional
        Month 0 of the model and the day whose price books apply (default: the estate's).
    defaults : EngineDefaults, path or None
        Engine defaults (overrun, price drift, data-move bandwidth); the bundled file when
        None.
    facility_defaults : FacilityDefaults, optional
        Own-site cost defaults; the newest bundled set when None.

    Returns
    -------
    Model

    Raises
    ------
    InvalidParameterError
        Something that is not an estate.
    UnknownProviderError, PriceBookError
        A cloud location whose provider has no book in effect.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> m = compile(sample_estate())
    >>> m.dataset_size_gb.shape, m.flow_gb_per_month.shape == m.flow_workload.shape
    ((25,), True)
    """
    from exitcost.effort import estimate_effort, plan_schedule

    if not isinstance(estate, Estate):
        raise InvalidParameterError(
            f"The 'estate' parameter of compile must be an exitcost Estate. "
            f"Got {type(estate).__name__} instead."
        )
    day = estate.as_of if as_of is None else as_date(as_of, func="compile")
    engine_defaults = (
        defaults if isinstance(defaults, EngineDefaults) else load_engine_defaults(defaults)
    )
    facility = facility_defaults if facility_defaults is not None else load_facility_defaults()
    locs = estate.locations
    loc_ids = tuple(loc.id for loc in locs)
    loc_index = {loc: i for i, loc in enumerate(loc_ids)}
    kinds = tuple(loc.kind for loc in locs)
    books: dict[str, PriceBook] = {}
    prices = _price_locations(loc_ids, kinds, day, books)
    warn_stale_books(books.values(), day)  # once per book and compile, naming the book
    inputs: list[UncertainInput] = []

    ds = estate.datasets
    ds_index = {d.id: i for i, d in enumerate(ds)}
    for i, d in enumerate(ds):
        _quantity_input(inputs, d.size_gb, f"datasets[{d.id}].size_gb", "dataset_size_gb", i, "GB")
        _quantity_input(
            inputs,
            d.growth_rate_per_month,
            f"datasets[{d.id}].growth_rate_per_month",
            "dataset_growth_rate_per_month",
            i,
            "1/month",
        )

    wl = estate.workloads
    n_w = len(wl)
    vcpus = np.zeros(n_w)
    memory = np.zeros(n_w)
    gpus = np.zeros(n_w)
    gpu_model = ["" for _ in wl]
    discount = np.zeros(n_w)
    compute = np.zeros(n_w)
    spend_only = np.zeros(n_w, dtype=bool)
    for i, w in enumerate(wl):  # one pass over the workloads and their few compute uses
        loc = loc_index[w.location]
        on_demand = 0.0
        paid = 0.0
        for use in w.compute:
            hours = point(use.quantity) * use.hours_per_month / HOURS_PER_MONTH
            if use.resource == "vcpu":
                vcpus[i] += hours
                rate = prices.vcpu_usd_per_hour[loc]
                off = prices.discount_fraction[loc].get(use.commitment, 0.0)
            elif use.resource == "memory_gib":
                memory[i] += hours
                rate = prices.gib_usd_per_hour[loc]
                off = prices.discount_fraction[loc].get(use.commitment, 0.0)
            else:
                gpus[i] += hours
                gpu_model[i] = use.gpu_model or ""
                rate = prices.gpu_usd_per_hour[loc].get(use.gpu_model or "", np.nan)
                off = prices.discount_fraction[loc].get(f"{use.gpu_model}:{use.commitment}", 0.0)
            rate = 0.0 if not np.isfinite(rate) else float(rate)
            on_demand += hours * HOURS_PER_MONTH * rate
            paid += hours * HOURS_PER_MONTH * rate * (1.0 - off)
        stated = point(w.compute_usd_per_month)
        spend_only[i] = not w.compute
        compute[i] = stated if stated > 0 or not w.compute else paid
        discount[i] = 1.0 - paid / on_demand if on_demand > 0 else 0.0
        _quantity_input(
            inputs,
            w.compute_usd_per_month,
            f"workloads[{w.id}].compute_usd_per_month",
            "workload_compute_usd_per_month",
            i,
            "USD/month",
        )
        _quantity_input(
            inputs,
            w.internet_egress_gb_per_month,
            f"workloads[{w.id}].internet_egress_gb_per_month",
            "workload_internet_egress_gb_per_month",
            i,
            "GB/month",
        )

    flow_w: list[int] = []
    flow_d: list[int] = []
    flow_gb: list[float] = []
    flow_read: list[bool] = []
    for i, w in enumerate(wl):
        for direction, flows in (("read", w.reads), ("write", w.writes)):
            for flow in flows:
                _quantity_input(
                    inputs,
                    flow.gb_per_month,
                    f"workloads[{w.id}].{direction}s[{flow.dataset}].gb_per_month",
                    "flow_gb_per_month",
                    len(flow_gb),
                    "GB/month",
                )
                flow_w.append(i)
                flow_d.append(ds_index[flow.dataset])
                flow_gb.append(point(flow.gb_per_month))
                flow_read.append(direction == "read")

    # Effort and schedule of every workload, each cloud provider's programme planned once.
    strategy = ["retain"] * n_w
    labour = np.zeros(n_w)
    person_days = np.zeros(n_w)
    start = np.zeros(n_w)
    duration = np.zeros(n_w)
    hypercare = np.zeros(n_w)
    dual = np.zeros(n_w)
    w_index = {w.id: i for i, w in enumerate(wl)}
    kind_of = dict(zip(loc_ids, kinds, strict=True))
    providers = sorted(
        {locs[loc_index[w.location]].provider for w in wl if kind_of[w.location] == "cloud"}
    )
    if n_w:
        effort = estimate_effort(estate)
        rows = [w_index[str(x)] for x in effort.index]
        for i, name in zip(rows, effort["strategy"].astype(str), strict=True):
            strategy[i] = name
        labour[rows] = effort["labour_mean_usd"].to_numpy(dtype=np.float64)
        person_days[rows] = effort["person_days_mean"].to_numpy(dtype=np.float64)
        for provider in providers:
            plan = plan_schedule(estate, provider=provider)
            rows = [w_index[str(x)] for x in plan.index]
            start[rows] = plan["start_month"].to_numpy(dtype=np.float64)
            duration[rows] = plan["duration_months"].to_numpy(dtype=np.float64)
            hypercare[rows] = plan["hypercare_months"].to_numpy(dtype=np.float64)
            dual[rows] = plan["dual_running_usd"].to_numpy(dtype=np.float64)

    contracts = estate.contracts
    return Model(
        name=estate.name,
        as_of=month_start(day),
        estate=estate,
        location_ids=loc_ids,
        location_kind=kinds,
        location_provider=tuple(loc.provider for loc in locs),
        location_account=tuple(f"{loc.provider}/{loc.billing_account}" for loc in locs),
        location_jurisdiction=tuple(loc.jurisdiction or "" for loc in locs),
        dataset_ids=tuple(d.id for d in ds),
        dataset_location=np.array([loc_index[d.location] for d in ds], dtype=np.int64),
        dataset_size_gb=np.array([point(d.size_gb) for d in ds], dtype=np.float64),
        dataset_growth_rate_per_month=np.array(
            [point(d.growth_rate_per_month) for d in ds], dtype=np.float64
        ),
        dataset_storage_class=np.array(
            [STORAGE_CLASSES.index(d.storage_class) for d in ds], dtype=np.int64
        ),
        dataset_objects=np.array([float(d.object_count or 0) for d in ds], dtype=np.float64),
        workload_ids=tuple(w.id for w in wl),
        workload_location=np.array([loc_index[w.location] for w in wl], dtype=np.int64),
        workload_kind=tuple(w.kind for w in wl),
        workload_compute_usd_per_month=compute,
        workload_spend_only=spend_only,
        workload_vcpus=vcpus,
        workload_memory_gib=memory,
        workload_gpus=gpus,
        workload_gpu_model=tuple(gpu_model),
        workload_discount_fraction=discount,
        workload_internet_egress_gb_per_month=np.array(
            [point(w.internet_egress_gb_per_month) for w in wl], dtype=np.float64
        ),
        workload_strategy=tuple(strategy),
        workload_labour_usd=labour,
        workload_person_days=person_days,
        workload_start_month=start,
        workload_duration_months=duration,
        workload_hypercare_months=hypercare,
        workload_dual_running_usd=dual,
        flow_workload=np.array(flow_w, dtype=np.int64),
        flow_dataset=np.array(flow_d, dtype=np.int64),
        flow_gb_per_month=np.array(flow_gb, dtype=np.float64),
        flow_read=np.array(flow_read, dtype=bool),
        contract_ids=tuple(c.id for c in contracts),
        contract_provider=tuple(c.provider for c in contracts),
        contract_kind=tuple(c.kind for c in contracts),
        contract_usd_per_month=np.array([c.usd_per_month for c in contracts], dtype=np.float64),
        contract_start_month=np.array(
            [months_between(day, c.start) for c in contracts], dtype=np.int64
        ),
        contract_end_month=np.array(
            [months_between(day, c.end) for c in contracts], dtype=np.int64
        ),
        contract_termination_fee_usd=np.array(
            [c.termination_fee_usd for c in contracts], dtype=np.float64
        ),
        contract_cancellable=np.array([bool(c.cancellable) for c in contracts], dtype=bool),
        facility=facility,
        defaults=engine_defaults,
        prices=prices,
        books=MappingProxyType(books),
        inputs=tuple(inputs),
    )
