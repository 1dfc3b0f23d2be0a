"""What owning costs: on-premises and colocation sites, cloud spend curves and GPU ownership.

The models here turn a few sourced parameters into **monthly cost streams** (positive USD, shape
``(..., n_months)``, scenario axes first) labelled with the cost categories of
:mod:`exitcost.categories`, so they can be discounted and compared with :mod:`exitcost.finance`:

* :func:`site_costs`: an owned site (``kind="colo"`` or ``"onprem"``): hardware CapEx bought at
  the end of the purchase lead time and again at each refresh (or leased instead: level monthly
  payments from :func:`~exitcost.finance.annuity_payment`), power (kW x PUE x 730 h x USD/kWh),
  space (per kW or per rack per month), maintenance (a share of installed CapEx a year), staff
  (FTE x loaded cost / 12), licences and transit.
* :func:`cloud_costs`: on-demand spend growing with usage, price drift per year, and commitments
  (1- or 3-year) covering a share of usage at a discount, renewed at each term.
* :func:`gpu_owned_usd_per_month`, :func:`gpu_usd_per_gpu_hour`,
  :func:`gpu_break_even_utilisation`: an owned GPU server against cloud GPU-hours;
  :func:`gpu_cloud_usd_per_gpu_hour` and :func:`gpu_break_even_utilisation_at` read the cloud
  side from a location's price book.
* :func:`size_site`, :func:`owned_site_costs`: an owned site sized from what the cloud runs
  (vCPUs, memory, GPUs, or compute spend; GB stored; GB sent) in whole servers, cabinets and
  raw TB, with the minimums every site has (two servers, a cabinet, a quarter of an
  administrator, a cross-connect, a transit commitment), buying hardware in steps as the load
  grows.
* :func:`exit_comparison`: stay in the cloud or move to colocation, as a small table (run
  costs only; :func:`exitcost.case.exit_case` adds the one-time exit bill for an estate).

Every default comes from ``data/pricing/facilities/<date>.yaml`` with its unit, source, date
and confidence label; :func:`load_facility_defaults` reads and validates it, and each model
records the values it used in :attr:`CostStreams.assumptions`.

Examples
--------
>>> defaults = load_facility_defaults()
>>> defaults["pue_colo_enterprise"].value, defaults["pue_colo_enterprise"].confidence
(1.56, 'S')
>>> site = site_costs(months=24, hardware_capex_usd=600_000, it_load_kw=32, servers=20)
>>> site.to_frame().columns.tolist()[:3]
['hardware_capex_usd', 'power_usd', 'space_usd']
>>> round(site.total_usd()[0])
619668
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from exitcost import finance
from exitcost._resources import data_dir
from exitcost._validation import as_array, check_scalar, check_whole
from exitcost.categories import COST_CATEGORIES, CostCategory
from exitcost.errors import InvalidParameterError, PriceBookError, format_choices
from exitcost.units import BYTES_PER_GB, HOURS_PER_MONTH

__all__ = [
    "HOURS_PER_MONTH",
    "CostStreams",
    "FacilityDefaults",
    "FacilityParameter",
    "cloud_costs",
    "exit_comparison",
    "gpu_break_even_utilisation",
    "gpu_break_even_utilisation_at",
    "gpu_cloud_usd_per_gpu_hour",
    "gpu_owned_usd_per_month",
    "gpu_usd_per_gpu_hour",
    "hardware_purchase_schedule",
    "load_facility_defaults",
    "owned_site_costs",
    "site_costs",
    "size_site",
]

FloatArray = npt.NDArray[np.float64]


_AS_OF_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Parameters the models read; a defaults file must define all of them.
_REQUIRED: Final[tuple[str, ...]] = (
    "pue_colo_enterprise",
    "usd_per_kwh_us_commercial",
    "colo_wholesale_usd_per_kw_month_na",
    "server_life_months",
    "gpu_server_life_months",
    "hw_maintenance_fraction_per_year",
    "gpu_maintenance_fraction_per_year",
    "servers_per_admin",
    "admin_usd_per_fte_year",
    "gpu_server_8xh100_usd",
    "gpu_server_power_avg_kw",
    "gpus_per_server",
    "commitment_discount_1yr",
    "commitment_discount_3yr",
    "discount_rate_per_year",
    "server_2s_usd",
    "flash_usd_per_tb_raw",
    "hdd_system_usd_per_tb_raw",
    "colo_retail_usd_per_kw_month_na",
    "colo_cabinet_kw",
    "cross_connect_usd_per_month_na",
    "ip_transit_usd_per_mbps_month",
    "sizing_servers_per_compute_usd_year",
    "vcpus_per_server",
    "memory_gib_per_server",
    "kw_per_server",
    "server_target_utilisation",
    "tb_raw_per_storage_server",
    "storage_replication_factor",
    "min_servers_per_site",
    "min_cabinets_per_site",
    "cross_connects_per_site",
    "transit_min_commit_mbps",
    "transit_peak_to_average",
    "min_staff_fte_per_site",
    "hardware_lead_time_months",
)


# --------------------------------------------------------------------------------------------
# Sourced defaults
# --------------------------------------------------------------------------------------------


class FacilityParameter(BaseModel):
    """One sourced default: its value, unit, source, date and confidence."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    value: float
    """The figure, in ``unit``."""
    unit: str = Field(min_length=1)
    """Unit of ``value`` (``USD/kWh``, ``ratio``, ``months``, ...)."""
    currency: Literal["USD", "EUR"] | None = None
    """Currency of a money figure, else None."""
    source: str = Field(min_length=1)
    """Where the figure comes from (publisher, document, table)."""
    url: str | None = None
    """Address of the source, where there is one."""
    as_of: str
    """Date the source states, as precise as it is: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    confidence: Literal["V", "S", "M", "R"]
    """V primary source read, S secondary, M unverified, R reasoning or arithmetic shown."""
    notes: str = ""
    """Method for derived figures, ranges for sensitivity, caveats."""

    @field_validator("as_of", mode="before")
    @classmethod
    def _check_as_of(cls, value: Any) -> str:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if not _AS_OF_RE.match(text):
            raise ValueError("must be a date written YYYY, YYYY-MM or YYYY-MM-DD")
        return text


class FacilityDefaults(BaseModel):
    """A validated set of facility defaults (one ``data/pricing/facilities/<date>.yaml``).

    Examples
    --------
    >>> d = load_facility_defaults()
    >>> d.value("admin_usd_per_fte_year")
    128000.0
    >>> d.value("pue")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'name' parameter of FacilityDefaults.value must be...
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1]
    kind: Literal["facilities"]
    effective_date: dt.date
    currency: Literal["USD"]
    description: str = ""
    parameters: dict[str, FacilityParameter]
    source_path: str = ""
    """File the defaults were read from (filled in by the loader)."""

    def __getitem__(self, name: str) -> FacilityParameter:
        if name not in self.parameters:
            raise InvalidParameterError(
                f"The 'name' parameter of FacilityDefaults.value must be one of "
                f"{format_choices(self.parameters, limit=60)}. Got {name!r} instead."
            )
        return self.parameters[name]

    def value(self, name: str) -> float:
        """The value of one parameter (see ``self[name]`` for its unit and source)."""
        return self[name].value

    def to_frame(self) -> pd.DataFrame:
        """Every parameter as a row: value, unit, currency, confidence, as_of, source, url."""
        rows = {name: p.model_dump() for name, p in self.parameters.items()}
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "parameter"
        return frame[["value", "unit", "currency", "confidence", "as_of", "source", "url", "notes"]]


def _facilities_dir() -> Path:
    return data_dir("pricing") / "facilities"


@cache
def _load_path(path: Path) -> FacilityDefaults:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PriceBookError(f"Cannot read facility defaults {path}: {exc}") from None
    if not isinstance(raw, dict):
        raise PriceBookError(
            f"Facility defaults {path} must be a mapping with 'parameters'. "
            f"Got {type(raw).__name__}."
        )
    try:
        defaults = FacilityDefaults.model_validate({**raw, "source_path": str(path)})
    except ValidationError as exc:
        problems = "\n".join(
            f"  - {'.'.join(str(p) for p in err['loc'])}: {err['msg']} (got {err.get('input')!r})"
            for err in exc.errors()
        )
        raise PriceBookError(
            f"{exc.error_count()} problem(s) in facility defaults {path}:\n{problems}"
        ) from None
    missing = [name for name in _REQUIRED if name not in defaults.parameters]
    if missing:
        raise PriceBookError(
            f"Facility defaults {path} lack parameters the models need: "
            f"{format_choices(missing, limit=40)}."
        )
    return defaults


def load_facility_defaults(
    as_of: dt.date | None = None, *, path: str | Path | None = None
) -> FacilityDefaults:
    """Load the bundled facility defaults in effect on a date, or a user's own file.

    Parameters
    ----------
    as_of : datetime.date, optional
        Use the newest bundled file whose effective date is on or before this date. Default:
        the newest.
    path : str or Path, optional
        A YAML file in the same format, instead of the bundled ones.

    Returns
    -------
    FacilityDefaults

    Raises
    ------
    PriceBookError
        No file in effect on ``as_of``, or a file that is malformed or lacks a parameter.

    Examples
    --------
    >>> import datetime as dt
    >>> load_facility_defaults().effective_date >= dt.date(2026, 11, 27)
    True
    >>> load_facility_defaults(dt.date(2020, 1, 1))
    Traceback (most recent call last):
    ...
    exitcost.errors.PriceBookError: No facility defaults are in effect on 2020-01-01...
    """
    if path is not None:
        return _load_path(Path(path).resolve())
    folder = _facilities_dir()
    dated: dict[dt.date, Path] = {}
    for file in folder.glob("*.yaml"):
        try:
            dated[dt.date.fromisoformat(file.stem)] = file
        except ValueError:
            continue
    usable = [d for d in dated if as_of is None or d <= as_of]
    if not usable:
        raise PriceBookError(
            f"No facility defaults are in effect on {as_of}; bundled files in {folder}: "
            f"{format_choices([d.isoformat() for d in dated]) or 'none'}."
        )
    return _load_path(dated[max(usable)])


# --------------------------------------------------------------------------------------------
# Cost streams
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostStreams:
    """Monthly cost components of one option, each a positive USD array ``(..., n_months)``.

    Attributes
    ----------
    option : str
        What the streams describe (``"colo"``, ``"cloud"``, ...).
    components_usd : Mapping[str, numpy.ndarray]
        Component name (ending in ``_usd``) to its monthly costs; all the same shape.
    categories : Mapping[str, str]
        Component name to its cost category (:data:`exitcost.categories.COST_CATEGORIES`).
    assumptions : Mapping[str, float]
        Scalar parameter values the model used (defaults included), for the record.
    """

    option: str
    components_usd: Mapping[str, FloatArray]
    categories: Mapping[str, CostCategory]
    assumptions: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        shapes = {np.shape(v) for v in self.components_usd.values()}
        if len(shapes) != 1 or set(self.categories) != set(self.components_usd):
            raise InvalidParameterError(
                f"The components of CostStreams {self.option!r} must share one shape and each "
                f"have a category. Got shapes {sorted(shapes)} and categories for "
                f"{sorted(self.categories)}."
            )
        bad = {k: c for k, c in self.categories.items() if c not in COST_CATEGORIES}
        if bad:
            raise InvalidParameterError(
                f"The categories of CostStreams {self.option!r} must be among "
                f"{format_choices(COST_CATEGORIES)}. Got {bad!r} instead."
            )

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of every component: scenario axes, then months."""
        return tuple(np.shape(next(iter(self.components_usd.values()))))

    @property
    def months(self) -> int:
        """Length of the months axis."""
        return self.shape[-1]

    def total_usd(self) -> FloatArray:
        """Sum of all components per month, shape ``(..., n_months)``. [USD]"""
        return np.asarray(sum(self.components_usd.values()), dtype=np.float64)

    def cash_flow_usd(self) -> FloatArray:
        """The costs as signed cash flows (outflows negative). [USD]"""
        return -self.total_usd()

    def by_category_usd(self) -> dict[str, FloatArray]:
        """Monthly costs summed per cost category, in the order of ``COST_CATEGORIES``."""
        out: dict[str, FloatArray] = {}
        for category in COST_CATEGORIES:
            parts = [v for k, v in self.components_usd.items() if self.categories[k] == category]
            if parts:
                out[category] = np.asarray(sum(parts), dtype=np.float64)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Components and ``total_usd`` as columns, one row per month (and scenario).

        Without scenario axes the index is ``month``; with them it is a MultiIndex
        (``scenario``, ``month``) over the flattened scenarios.
        """
        months = self.months
        lead = self.shape[:-1]
        data = {k: np.reshape(v, -1) for k, v in self.components_usd.items()}
        data["total_usd"] = np.reshape(self.total_usd(), -1)
        if not lead:
            index: pd.Index = pd.RangeIndex(months, name="month")
        else:
            n = int(np.prod(lead))
            index = pd.MultiIndex.from_product(
                [range(n), range(months)], names=["scenario", "month"]
            )
        return pd.DataFrame(data, index=index)


def _param(
    value: Any,
    default_name: str | None,
    defaults: FacilityDefaults,
    used: dict[str, float],
    *,
    name: str,
    func: str,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
) -> FloatArray:
    """A parameter as a checked array, filled from the defaults where None."""
    if value is None:
        if default_name is None:
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} has no sourced default and must be given."
            )
        value = defaults.value(default_name)
    arr = as_array(
        value,
        name=name,
        func=func,
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_minimum,
    )
    if arr.ndim == 0:
        used[name] = float(arr)
    return arr


class _Params:
    """:func:`_param` bound to one model call's defaults, name and record of values used.

    ``used`` collects the scalar values (for :attr:`CostStreams.assumptions`).
    """

    def __init__(self, defaults: FacilityDefaults, func: str) -> None:
        self.defaults = defaults
        self.func = func
        self.used: dict[str, float] = {}

    def __call__(
        self, value: Any, default_name: str | None, name: str, **bounds: Any
    ) -> FloatArray:
        return _param(
            value, default_name, self.defaults, self.used, name=name, func=self.func, **bounds
        )


def _month_axis(*arrays: FloatArray, months: int, func: str) -> tuple[int, ...]:
    try:
        lead = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise InvalidParameterError(
            f"The array parameters of {func} must broadcast together (one value per scenario). "
            f"Got shapes {[a.shape for a in arrays]} instead."
        ) from None
    return (*lead, months)


def hardware_purchase_schedule(
    capex_usd: Any, *, months: int, refresh_months: int | None, lead_time_months: int = 0
) -> FloatArray:
    """Cash view of hardware purchases: ``capex_usd`` at the lead time, then at each refresh.

    Parameters
    ----------
    capex_usd : numeric
        Price of one full set of hardware, >= 0; an array gives one per scenario. [USD]
    months : int
        Horizon, >= 1. [months]
    refresh_months : int or None
        Months between purchases (the useful life), >= 1; None for no refresh.
    lead_time_months : int, default 0
        Months from order (month 0) to delivery and payment. [months]

    Returns
    -------
    numpy.ndarray
        Purchases per month, shape ``capex_usd.shape + (months,)``. [USD]

    Examples
    --------
    >>> hardware_purchase_schedule(100.0, months=8, refresh_months=3, lead_time_months=1)
    array([  0., 100.,   0.,   0., 100.,   0.,   0., 100.])
    """
    func = "hardware_purchase_schedule"
    capex = as_array(capex_usd, name="capex_usd", func=func)
    n = check_whole(months, name="months", func=func, minimum=1, unit="months")
    lead = check_whole(lead_time_months, name="lead_time_months", func=func, unit="months")
    t = np.arange(n) - lead
    if refresh_months is None:
        buy = t == 0
    else:
        every = check_whole(
            refresh_months, name="refresh_months", func=func, minimum=1, unit="months"
        )
        buy = (t >= 0) & (t % every == 0)
    schedule: FloatArray = capex[..., None] * buy
    return schedule


def site_costs(
    *,
    months: int,
    hardware_capex_usd: Any,
    it_load_kw: Any,
    kind: Literal["colo", "onprem"] = "colo",
    servers: Any = 0.0,
    pue: Any = None,
    usd_per_kwh: Any = None,
    space_usd_per_kw_month: Any = None,
    racks: Any = None,
    space_usd_per_rack_month: Any = None,
    maintenance_fraction_per_year: Any = None,
    staff_fte: Any = None,
    usd_per_fte_year: Any = None,
    licences_usd_per_month: Any = 0.0,
    transit_usd_per_month: Any = 0.0,
    refresh_months: int | None = None,
    lead_time_months: int = 0,
    financing: Literal["buy", "lease"] = "buy",
    lease_rate_per_year: Any = None,
    defaults: FacilityDefaults | None = None,
) -> CostStreams:
    """Monthly costs of an owned site: colocation or on-premises.

    Running costs start when the hardware is in service, at ``lead_time_months``; the hardware
    is paid then (``financing="buy"``, category ``capex``) and again every ``refresh_months``,
    or leased (``financing="lease"``): level payments in advance over each refresh cycle at
    ``lease_rate_per_year``, category ``onprem_opex``.

    Parameters
    ----------
    months : int
        Horizon, >= 1. [months]
    hardware_capex_usd : numeric
        Price of the site's hardware (servers, storage, network, GPUs), >= 0. [USD]
    it_load_kw : numeric
        Average IT power draw, >= 0; space per kW is charged on it too. [kW]
    kind : {"colo", "onprem"}
        Colocation takes its space price from the defaults (CBRE North America wholesale); an
        own data centre has no sourced space default and needs ``space_usd_per_kw_month`` or
        the rack pair.
    servers : numeric, default 0
        Server count, used only to size staff when ``staff_fte`` is None.
    pue : numeric, optional
        Power usage effectiveness, >= 1. Default: the enterprise average (Uptime 2024).
    usd_per_kwh : numeric, optional
        Electricity price. Default: US commercial average (EIA 2022). [USD/kWh]
    space_usd_per_kw_month : numeric, optional
        Space (and power capacity) per kW of ``it_load_kw``. [USD/kW-month]
    racks, space_usd_per_rack_month : numeric, optional
        Space priced per rack instead (both needed; then per-kW space is not charged).
    maintenance_fraction_per_year : numeric, optional
        Support contracts as a share of installed CapEx a year. Default 10%. [1/year]
    staff_fte : numeric, optional
        Operations staff. Default: ``servers / servers_per_admin`` (50, label M). [FTE]
    usd_per_fte_year : numeric, optional
        Loaded cost per FTE. Default $128k (BLS 2022 x 1.42). [USD/year]
    licences_usd_per_month, transit_usd_per_month : numeric, default 0
        Software licences and IP transit / cross-connects. [USD/month]
    refresh_months : int, optional
        Months between hardware purchases. Default: the server life (60 months).
    lead_time_months : int, default 0
        Months from order to service. [months]
    financing : {"buy", "lease"}
        Pay the hardware up front or lease it.
    lease_rate_per_year : numeric, optional
        Lease interest rate. Default: the discount rate (8%, label M). [1/year]
    defaults : FacilityDefaults, optional
        Default values; the newest bundled set where None.

    Returns
    -------
    CostStreams
        Components ``hardware_capex_usd`` (or ``lease_usd``), ``power_usd``, ``space_usd``,
        ``maintenance_usd``, ``staff_usd``, ``licences_usd``, ``transit_usd``.

    Examples
    --------
    >>> site = site_costs(months=3, hardware_capex_usd=120_000, it_load_kw=10,
    ...                   usd_per_kwh=0.10, pue=1.5, staff_fte=0)
    >>> site.to_frame()[["hardware_capex_usd", "power_usd", "maintenance_usd"]]
           hardware_capex_usd  power_usd  maintenance_usd
    month
    0                120000.0     1095.0           1000.0
    1                     0.0     1095.0           1000.0
    2                     0.0     1095.0           1000.0
    """
    func = "site_costs"
    d = defaults if defaults is not None else load_facility_defaults()
    p = _Params(d, func)
    used = p.used
    n = check_whole(months, name="months", func=func, minimum=1, unit="months")
    lead_time = check_whole(lead_time_months, name="lead_time_months", func=func, unit="months")
    if kind not in ("colo", "onprem"):
        raise InvalidParameterError(
            f"The 'kind' parameter of {func} must be one of 'colo', 'onprem'. Got {kind!r}."
        )
    if financing not in ("buy", "lease"):
        raise InvalidParameterError(
            f"The 'financing' parameter of {func} must be one of 'buy', 'lease'. "
            f"Got {financing!r} instead."
        )

    capex = p(hardware_capex_usd, None, "hardware_capex_usd")
    kw = p(it_load_kw, None, "it_load_kw")
    pue_v = p(pue, "pue_colo_enterprise", "pue", minimum=1.0)
    price_kwh = p(usd_per_kwh, "usd_per_kwh_us_commercial", "usd_per_kwh")
    if racks is not None or space_usd_per_rack_month is not None:
        space_per_month = p(racks, None, "racks") * p(
            space_usd_per_rack_month, None, "space_usd_per_rack_month"
        )
    else:
        space_default = "colo_wholesale_usd_per_kw_month_na" if kind == "colo" else None
        space_per_month = kw * p(space_usd_per_kw_month, space_default, "space_usd_per_kw_month")
    maint = p(
        maintenance_fraction_per_year,
        "hw_maintenance_fraction_per_year",
        "maintenance_fraction_per_year",
    )
    if staff_fte is None:
        fte = p(servers, None, "servers") / d.value("servers_per_admin")
        used["servers_per_admin"] = d.value("servers_per_admin")
    else:
        fte = p(staff_fte, None, "staff_fte")
    fte_cost = p(usd_per_fte_year, "admin_usd_per_fte_year", "usd_per_fte_year")
    licences = p(licences_usd_per_month, None, "licences_usd_per_month")
    transit = p(transit_usd_per_month, None, "transit_usd_per_month")
    refresh = (
        check_whole(refresh_months, name="refresh_months", func=func, minimum=1, unit="months")
        if refresh_months is not None
        else int(d.value("server_life_months"))
    )
    used["refresh_months"] = float(refresh)
    used["lead_time_months"] = float(lead_time)

    shape = _month_axis(
        capex,
        kw,
        pue_v,
        price_kwh,
        space_per_month,
        maint,
        fte,
        fte_cost,
        licences,
        transit,
        months=n,
        func=func,
    )
    in_service = (np.arange(n) >= lead_time).astype(np.float64)

    def monthly(per_month: FloatArray) -> FloatArray:
        return np.broadcast_to(per_month[..., None] * in_service, shape).copy()

    components: dict[str, FloatArray] = {}
    categories: dict[str, CostCategory] = {}
    if financing == "buy":
        purchases = hardware_purchase_schedule(
            capex, months=n, refresh_months=refresh, lead_time_months=lead_time
        )
        components["hardware_capex_usd"] = np.broadcast_to(purchases, shape).copy()
        categories["hardware_capex_usd"] = "capex"
    else:
        rate_year = p(
            lease_rate_per_year,
            "discount_rate_per_year",
            "lease_rate_per_year",
            minimum=-1.0,
            exclusive_minimum=True,
        )
        rate_month = finance.rate_per_month_from_annual(rate_year)
        payment = finance.annuity_payment(capex, rate_month, refresh, when="begin")
        components["lease_usd"] = monthly(np.asarray(payment, dtype=np.float64))
        categories["lease_usd"] = "onprem_opex"
    opex = {
        "power_usd": kw * pue_v * HOURS_PER_MONTH * price_kwh,
        "space_usd": space_per_month,
        "maintenance_usd": capex * maint / 12.0,
        "staff_usd": fte * fte_cost / 12.0,
        "licences_usd": licences,
        "transit_usd": transit,
    }
    for name, per_month in opex.items():
        components[name] = monthly(np.asarray(per_month, dtype=np.float64))
        categories[name] = "onprem_opex"
    return CostStreams(
        option=kind, components_usd=components, categories=categories, assumptions=used
    )


_COMMITMENT_TERMS: Final[dict[str, tuple[int, str]]] = {
    "1yr": (12, "commitment_discount_1yr"),
    "3yr": (36, "commitment_discount_3yr"),
}


def cloud_costs(
    *,
    months: int,
    usd_per_month: Any,
    growth_rate_per_month: Any = 0.0,
    price_change_per_year: Any = 0.0,
    committed_fraction: Any = 0.0,
    commitment: Literal["1yr", "3yr"] = "1yr",
    commitment_discount: Any = None,
    category: CostCategory = "compute",
    defaults: FacilityDefaults | None = None,
) -> CostStreams:
    """Monthly cloud spend: usage growth, price drift and commitment discounts.

    Usage in month t is ``(1 + growth_rate_per_month) ** t`` times month 0's; list prices move
    by ``(1 + price_change_per_year) ** (t / 12)``. A commitment bought at the start of each
    term (12 or 36 months) covers ``committed_fraction`` of the usage at that moment, at
    ``1 - commitment_discount`` of the list price **of that moment**, fixed for the term (as
    reserved instances and savings plans fix their hourly rate: price drift reaches committed
    spend only at renewal), and is paid whether used or not (usage that falls below it wastes
    it: the OpEx trap turned round); usage above it is paid on demand at the current price.

    Parameters
    ----------
    months : int
        Horizon, >= 1. [months]
    usd_per_month : numeric
        On-demand spend in month 0 at list prices, >= 0; an array gives one per scenario. [USD]
    growth_rate_per_month : numeric, default 0
        Usage growth per month as a decimal, > -1. [1/month]
    price_change_per_year : numeric, default 0
        List-price drift per year as a decimal, > -1 (negative for price cuts). [1/year]
    committed_fraction : numeric, default 0
        Share of usage covered by commitments at each renewal, 0..1.
    commitment : {"1yr", "3yr"}
        Commitment term.
    commitment_discount : numeric, optional
        Discount on committed usage, 0..1. Default: AWS standard RI no-upfront, 37.3% (1 yr) or
        56.7% (3 yr), infracost 2024-07-01.
    category : str, default "compute"
        Cost category of the spend.
    defaults : FacilityDefaults, optional
        Default values; the newest bundled set where None.

    Returns
    -------
    CostStreams
        Components ``on_demand_usd`` and ``committed_usd``.

    Examples
    --------
    >>> cloud = cloud_costs(months=4, usd_per_month=1000, growth_rate_per_month=0.1,
    ...                     committed_fraction=0.5, commitment_discount=0.4)
    >>> cloud.total_usd().round(2)
    array([ 800., 900., 1010., 1131.])
    """
    func = "cloud_costs"
    d = defaults if defaults is not None else load_facility_defaults()
    p = _Params(d, func)
    used = p.used
    n = check_whole(months, name="months", func=func, minimum=1, unit="months")
    if commitment not in _COMMITMENT_TERMS:
        raise InvalidParameterError(
            f"The 'commitment' parameter of {func} must be one of "
            f"{format_choices(_COMMITMENT_TERMS)}. Got {commitment!r} instead."
        )
    if category not in COST_CATEGORIES:
        raise InvalidParameterError(
            f"The 'category' parameter of {func} must be one of {format_choices(COST_CATEGORIES)}. "
            f"Got {category!r} instead."
        )
    term, discount_name = _COMMITMENT_TERMS[commitment]

    base = p(usd_per_month, None, "usd_per_month")
    growth = p(growth_rate_per_month, None, "growth_rate_per_month", minimum=-1.0)
    drift = p(price_change_per_year, None, "price_change_per_year", minimum=-1.0)
    share = p(committed_fraction, None, "committed_fraction", maximum=1.0)
    discount = p(commitment_discount, discount_name, "commitment_discount", maximum=1.0)
    for name, arr in (("growth_rate_per_month", growth), ("price_change_per_year", drift)):
        if (arr <= -1.0).any():
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must be > -1. Got {float(arr.min())!r} instead."
            )
    shape = _month_axis(base, growth, drift, share, discount, months=n, func=func)
    t = np.arange(n, dtype=np.float64)
    renewal = (np.arange(n) // term) * term
    log_growth = np.log1p(growth)[..., None]
    usage = np.exp(log_growth * t)
    usage_at_renewal = np.exp(log_growth * renewal)
    log_drift = np.log1p(drift)[..., None]
    price = base[..., None] * np.exp(log_drift * t / 12.0)
    # A commitment fixes its rate for its term: the list price of the month it was bought.
    price_at_renewal = base[..., None] * np.exp(log_drift * renewal / 12.0)
    covered = share[..., None] * usage_at_renewal
    on_demand = np.maximum(usage - covered, 0.0) * price
    committed = covered * (1.0 - discount[..., None]) * price_at_renewal
    components = {
        "on_demand_usd": np.broadcast_to(on_demand, shape).copy(),
        "committed_usd": np.broadcast_to(committed, shape).copy(),
    }
    used["commitment_term_months"] = float(term)
    return CostStreams(
        option="cloud",
        components_usd=components,
        categories={"on_demand_usd": category, "committed_usd": category},
        assumptions=used,
    )


# --------------------------------------------------------------------------------------------
# GPUs
# --------------------------------------------------------------------------------------------


def gpu_owned_usd_per_month(
    *,
    server_usd: Any = None,
    life_months: Any = None,
    power_kw: Any = None,
    pue: Any = None,
    usd_per_kwh: Any = None,
    space_usd_per_kw_month: Any = None,
    maintenance_fraction_per_year: Any = None,
    ops_usd_per_month: Any = 0.0,
    discount_rate_per_year: Any = None,
    defaults: FacilityDefaults | None = None,
) -> Any:
    """Monthly cost of owning one GPU server, running all month, at a core or edge site.

    The purchase is spread over its life as a level monthly capital charge
    (:func:`~exitcost.finance.annuity_payment` in arrears at the monthly equivalent of
    ``discount_rate_per_year``: straight-line at a zero rate), plus power
    (kW x PUE x 730 h x USD/kWh), space per kW, maintenance and operations. For an edge site
    pass its own power and space prices.

    Parameters
    ----------
    server_usd : numeric, optional
        Server price. Default: 8x H100 at $300k (2023-24 quotes, S). [USD]
    life_months : numeric, optional
        Useful life. Default 60. [months]
    power_kw : numeric, optional
        Average draw. Default 8.0 kW (DGX H100 typical, S). [kW]
    pue, usd_per_kwh, space_usd_per_kw_month : numeric, optional
        Site figures, defaults as for :func:`site_costs` (colocation, North America).
    maintenance_fraction_per_year : numeric, optional
        Support as a share of the price a year. Default 20% (DGX support, S). [1/year]
    ops_usd_per_month : numeric, default 0
        Staff and other operations per server. [USD/month]
    discount_rate_per_year : numeric, optional
        Cost of capital. Default 8% (label M). [1/year]
    defaults : FacilityDefaults, optional
        Default values; the newest bundled set where None.

    Returns
    -------
    float or numpy.ndarray
        Cost per server-month. [USD]

    Examples
    --------
    >>> round(gpu_owned_usd_per_month(discount_rate_per_year=0.0))
    12600
    """
    func = "gpu_owned_usd_per_month"
    d = defaults if defaults is not None else load_facility_defaults()
    p = _Params(d, func)
    price = p(server_usd, "gpu_server_8xh100_usd", "server_usd")
    life = p(life_months, "gpu_server_life_months", "life_months", minimum=1.0)
    kw = p(power_kw, "gpu_server_power_avg_kw", "power_kw")
    pue_v = p(pue, "pue_colo_enterprise", "pue", minimum=1.0)
    kwh = p(usd_per_kwh, "usd_per_kwh_us_commercial", "usd_per_kwh")
    space = p(
        space_usd_per_kw_month, "colo_wholesale_usd_per_kw_month_na", "space_usd_per_kw_month"
    )
    maint = p(
        maintenance_fraction_per_year,
        "gpu_maintenance_fraction_per_year",
        "maintenance_fraction_per_year",
    )
    ops = p(ops_usd_per_month, None, "ops_usd_per_month")
    rate = p(
        discount_rate_per_year,
        "discount_rate_per_year",
        "discount_rate_per_year",
        minimum=-1.0,
        exclusive_minimum=True,
    )
    rate_month = np.asarray(finance.rate_per_month_from_annual(rate), dtype=np.float64)
    capital = np.asarray(finance.annuity_payment(price, rate_month, life), dtype=np.float64)
    total = capital + kw * pue_v * HOURS_PER_MONTH * kwh + kw * space + price * maint / 12.0 + ops
    if total.ndim == 0:
        return float(total)
    return total


def _gpus_and_owned_month(
    gpus_per_server: Any, owned: dict[str, Any], func: str
) -> tuple[FloatArray, FloatArray]:
    """GPUs per server (checked, default from the defaults) and the owned server's monthly cost."""
    d = owned.get("defaults") or load_facility_defaults()
    gpus = _param(
        gpus_per_server, "gpus_per_server", d, {}, name="gpus_per_server", func=func, minimum=1.0
    )
    return gpus, np.asarray(gpu_owned_usd_per_month(**owned), dtype=np.float64)


def gpu_usd_per_gpu_hour(utilisation: Any, *, gpus_per_server: Any = None, **owned: Any) -> Any:
    """Cost of one *used* GPU-hour on an owned server at a given utilisation.

    ``gpu_owned_usd_per_month(**owned) / (gpus_per_server x 730 h x utilisation)``.

    Parameters
    ----------
    utilisation : numeric
        Share of GPU-hours doing paid work, in (0, 1].
    gpus_per_server : numeric, optional
        GPUs per server. Default 8.
    **owned
        Keyword arguments of :func:`gpu_owned_usd_per_month`.

    Returns
    -------
    float or numpy.ndarray
        [USD/GPU-hour]

    Examples
    --------
    >>> round(gpu_usd_per_gpu_hour(0.5, discount_rate_per_year=0.0), 2)
    4.32
    """
    func = "gpu_usd_per_gpu_hour"
    u = as_array(utilisation, name="utilisation", func=func, maximum=1.0, exclusive_minimum=True)
    gpus, monthly = _gpus_and_owned_month(gpus_per_server, owned, func)
    result = monthly / (gpus * HOURS_PER_MONTH * u)
    return float(result) if result.ndim == 0 else result


def gpu_break_even_utilisation(
    cloud_usd_per_gpu_hour: Any, *, gpus_per_server: Any = None, **owned: Any
) -> Any:
    """Utilisation above which an owned GPU server is cheaper than renting the same GPU-hours.

    ``gpu_owned_usd_per_month(**owned) / (cloud_usd_per_gpu_hour x gpus_per_server x 730 h)``:
    owning costs the same every month, renting only for the hours used. A value above 1 means
    renting is cheaper even at full use.

    Parameters
    ----------
    cloud_usd_per_gpu_hour : numeric
        Cloud price of one GPU-hour, > 0 (the bundled defaults hold AWS on-demand, AWS 3-year
        and a neocloud price for H100s). [USD/GPU-hour]
    gpus_per_server : numeric, optional
        GPUs per server. Default 8.
    **owned
        Keyword arguments of :func:`gpu_owned_usd_per_month`.

    Returns
    -------
    float or numpy.ndarray
        Break-even utilisation (share of hours).

    Examples
    --------
    >>> d = load_facility_defaults()
    >>> aws = d.value("cloud_h100_usd_per_gpu_hour_aws_on_demand")
    >>> round(gpu_break_even_utilisation(aws), 3)
    0.34
    >>> round(gpu_break_even_utilisation(d.value("cloud_h100_usd_per_gpu_hour_neocloud")), 3)
    0.8
    """
    func = "gpu_break_even_utilisation"
    price = as_array(
        cloud_usd_per_gpu_hour, name="cloud_usd_per_gpu_hour", func=func, exclusive_minimum=True
    )
    gpus, monthly = _gpus_and_owned_month(gpus_per_server, owned, func)
    result = monthly / (price * gpus * HOURS_PER_MONTH)
    return float(result) if result.ndim == 0 else result


_GPU_COMMITMENTS: Final[tuple[str, ...]] = ("on_demand", "1yr", "3yr")


def gpu_cloud_usd_per_gpu_hour(
    location: str,
    gpu_model: str = "H100",
    *,
    commitment: Literal["on_demand", "1yr", "3yr"] = "on_demand",
    as_of: dt.date | str | None = None,
) -> float:
    """Cloud price of one GPU-hour, read from the provider's price book.

    ``load_price_book(provider, as_of).compute_unit_prices(region)``: the GPU family's hourly
    price divided by its GPUs, less the book's commitment discount for that family and term.

    Parameters
    ----------
    location : str
        Cloud location id ``provider:region`` (``"aws:us-east-1"``).
    gpu_model : str, default "H100"
        GPU model as the book names it (``H100``, ``A100-40G``, ...).
    commitment : {"on_demand", "1yr", "3yr"}
        Price on demand, or with the book's discount for that commitment term.
    as_of : date or ISO string, optional
        The book in effect on that day (today when omitted).

    Returns
    -------
    float
        [USD/GPU-hour]

    Raises
    ------
    InvalidParameterError
        A malformed location id or an unknown commitment term.
    UnknownProviderError, UnknownLocationError
        No book for the provider, or a region the book does not have.
    PriceBookError
        The book prices no compute in the region, not that GPU model there (the message lists
        the models it prices), or gives no discount for that model and term.

    Examples
    --------
    >>> gpu_cloud_usd_per_gpu_hour("aws:us-east-1", "H100", as_of="2025-01-01")  # 98.32 / 8
    12.29
    """
    from exitcost.pricing.books import load_price_book, split_location

    func = "gpu_cloud_usd_per_gpu_hour"
    if commitment not in _GPU_COMMITMENTS:
        raise InvalidParameterError(
            f"The 'commitment' parameter of {func} must be one of "
            f"{format_choices(_GPU_COMMITMENTS)}. Got {commitment!r} instead."
        )
    provider, region = split_location(location, name="location", func=func)
    book = load_price_book(provider, as_of=as_of)
    prices = book.compute_unit_prices(region)
    where = f"the {book.provider} price book ({book.effective_date}) for {location!r}"
    if gpu_model not in prices.usd_per_gpu_hour:
        raise PriceBookError(
            f"The 'gpu_model' parameter of {func} must be a GPU model {where} prices: "
            f"{format_choices(prices.usd_per_gpu_hour) or 'none'}. Got {gpu_model!r} instead."
        )
    usd = float(prices.usd_per_gpu_hour[gpu_model])
    if commitment == "on_demand":
        return usd
    discount = prices.gpu_discount_fraction.get((gpu_model, commitment))
    if discount is None:
        terms = sorted(t for m, t in prices.gpu_discount_fraction if m == gpu_model)
        raise PriceBookError(
            f"The 'commitment' parameter of {func} must be a term {where} gives a {gpu_model} "
            f"discount for: {format_choices(['on_demand', *terms])}. Got {commitment!r} instead."
        )
    return usd * (1.0 - float(discount))


def gpu_break_even_utilisation_at(
    location: str,
    gpu_model: str = "H100",
    *,
    commitment: Literal["on_demand", "1yr", "3yr"] = "on_demand",
    as_of: dt.date | str | None = None,
    gpus_per_server: Any = None,
    **owned: Any,
) -> Any:
    """Break-even utilisation of an owned GPU server against a cloud location's GPU-hours.

    :func:`gpu_break_even_utilisation` at the price :func:`gpu_cloud_usd_per_gpu_hour` reads
    from the location's price book, so the cloud side carries the book's source and date.

    Parameters
    ----------
    location : str
        Cloud location id ``provider:region``.
    gpu_model : str, default "H100"
        GPU model as the book names it.
    commitment : {"on_demand", "1yr", "3yr"}
        Cloud price on demand or with the book's commitment discount.
    as_of : date or ISO string, optional
        The price book in effect on that day (today when omitted).
    gpus_per_server : numeric, optional
        GPUs per owned server. Default 8.
    **owned
        Keyword arguments of :func:`gpu_owned_usd_per_month` (server price, power, rate, ...).

    Returns
    -------
    float or numpy.ndarray
        Break-even utilisation (share of hours); above 1, renting is cheaper even at full use.

    Examples
    --------
    >>> round(gpu_break_even_utilisation_at("aws:us-east-1", "H100", as_of="2025-01-01"), 3)
    0.19
    """
    price = gpu_cloud_usd_per_gpu_hour(location, gpu_model, commitment=commitment, as_of=as_of)
    return gpu_break_even_utilisation(price, gpus_per_server=gpus_per_server, **owned)


# --------------------------------------------------------------------------------------------
# Sizing an owned site from what the cloud runs, with its minimums
# --------------------------------------------------------------------------------------------

_STORAGE_PRICES: Final[dict[str, str]] = {
    "flash": "flash_usd_per_tb_raw",
    "hdd": "hdd_system_usd_per_tb_raw",
}
_SI_TB_PER_GB: Final[float] = BYTES_PER_GB / 1e12
# Ceil that ignores float dust (10.000000000001 servers is 10 servers).
_CEIL_SLACK: Final[float] = 1e-9


def _ceil(x: FloatArray) -> FloatArray:
    return np.ceil(np.maximum(x - _CEIL_SLACK, 0.0))


def size_site(
    *,
    vcpus: Any = 0.0,
    memory_gib: Any = 0.0,
    gpus: Any = 0.0,
    compute_usd_per_month: Any = 0.0,
    storage_gb: Any = 0.0,
    internet_egress_gb_per_month: Any = 0.0,
    sites: Any = 1.0,
    storage_media: Literal["flash", "hdd"] = "flash",
    replication_factor: Any = None,
    target_utilisation: Any = None,
    defaults: FacilityDefaults | None = None,
) -> dict[str, FloatArray]:
    """Whole servers, disks, cabinets, staff and transit an owned site needs for a cloud load.

    Element-wise over any shape (scenarios, months): every input broadcasts.

    * **Compute servers**: ``max(vcpus / vcpus_per_server, memory_gib / memory_gib_per_server)
      / target_utilisation`` for the load given in units, plus ``compute_usd_per_month x 12 x
      sizing_servers_per_compute_usd_year`` (37signals: 20 servers for $2.3M a year of non-S3
      spend, R) for the load given only as spend; rounded up to whole servers and at least
      ``min_servers_per_site x sites`` (N+1, R). Pass compute spend only: storage and egress
      spend are sized separately.
    * **GPU servers**: ``gpus / (gpus_per_server x target_utilisation)``, whole 8-GPU servers.
    * **Storage**: ``storage_gb`` (billing GB) in SI TB x ``replication_factor`` (2: a copy in
      each of two sites, as 37signals; 3 is Ceph's single-site default) = raw TB, priced per raw
      TB of a whole system (flash $70/TB, R; HDD pods $36/TB, S); storage nodes of
      ``tb_raw_per_storage_server`` (240 TB, S), at least the server minimum when any data is
      stored, count for power, space and staff.
    * **Power** 1.6 kW per compute or storage server (R), 8 kW per GPU server (S); **cabinets** of
      4 kW, at least ``min_cabinets_per_site`` per site; **staff** ``servers /
      servers_per_admin``, at least ``min_staff_fte_per_site`` per site (0.25 FTE, R);
      **transit** the 95th-percentile rate of the internet egress (mean rate x 1.5, R), at least
      a 1 Gbps commitment per site (R).

    Parameters
    ----------
    vcpus, memory_gib, gpus : numeric
        Average units the cloud runs (the estate's ``ComputeUse`` quantities), >= 0.
    compute_usd_per_month : numeric
        Compute spend of the load not given in units, >= 0. [USD/month]
    storage_gb : numeric
        Data stored, >= 0. [GB]
    internet_egress_gb_per_month : numeric
        Traffic the site sends to the internet, >= 0. [GB/month]
    sites : numeric, default 1
        Number of sites, >= 1; multiplies the per-site minimums.
    storage_media : {"flash", "hdd"}
        Which whole-system price per raw TB to use.
    replication_factor, target_utilisation : numeric, optional
        Defaults 2 and 0.7 (both R).
    defaults : FacilityDefaults, optional
        Default values; the newest bundled set where None.

    Returns
    -------
    dict of numpy.ndarray
        ``compute_servers``, ``gpu_servers``, ``storage_servers``, ``raw_storage_tb`` [TB],
        ``it_load_kw`` [kW], ``cabinets``, ``staff_fte`` [FTE], ``transit_mbps`` [Mbps] and
        ``hardware_usd`` (price of the whole installed set) [USD], all the broadcast shape.

    Examples
    --------
    >>> small = size_site(compute_usd_per_month=1_000.0)     # $12k a year: far below 1 server
    >>> float(small["compute_servers"]), float(small["cabinets"]), float(small["staff_fte"])
    (2.0, 1.0, 0.25)
    >>> big = size_site(vcpus=4_000.0, memory_gib=7_680.0, storage_gb=1024.0**2)   # 1 PB
    >>> float(big["compute_servers"]), float(big["storage_servers"]), float(big["it_load_kw"])
    (30.0, 10.0, 64.0)
    """
    func = "size_site"
    d = defaults if defaults is not None else load_facility_defaults()
    if storage_media not in _STORAGE_PRICES:
        raise InvalidParameterError(
            f"The 'storage_media' parameter of {func} must be one of "
            f"{format_choices(_STORAGE_PRICES)}. Got {storage_media!r} instead."
        )
    p = _Params(d, func)
    vcpu = p(vcpus, None, "vcpus")
    mem = p(memory_gib, None, "memory_gib")
    gpu = p(gpus, None, "gpus")
    spend = p(compute_usd_per_month, None, "compute_usd_per_month")
    stored = p(storage_gb, None, "storage_gb")
    egress = p(internet_egress_gb_per_month, None, "internet_egress_gb_per_month")
    n_sites = p(sites, None, "sites", minimum=1.0)
    copies = p(replication_factor, "storage_replication_factor", "replication_factor", minimum=1.0)
    util = as_array(
        d.value("server_target_utilisation") if target_utilisation is None else target_utilisation,
        name="target_utilisation",
        func=func,
        maximum=1.0,
        exclusive_minimum=True,
    )
    minimum_servers = d.value("min_servers_per_site") * n_sites
    by_units = np.maximum(
        vcpu / d.value("vcpus_per_server"), mem / d.value("memory_gib_per_server")
    )
    by_spend = spend * 12.0 * d.value("sizing_servers_per_compute_usd_year")
    compute = np.maximum(_ceil(by_units / util + by_spend), minimum_servers)
    gpu_servers = _ceil(gpu / (d.value("gpus_per_server") * util))
    raw_tb = stored * _SI_TB_PER_GB * copies
    storage = np.where(
        raw_tb > 0,
        np.maximum(_ceil(raw_tb / d.value("tb_raw_per_storage_server")), minimum_servers),
        0.0,
    )
    kw = (compute + storage) * d.value("kw_per_server") + gpu_servers * d.value(
        "gpu_server_power_avg_kw"
    )
    cabinets = np.maximum(
        _ceil(kw / d.value("colo_cabinet_kw")), d.value("min_cabinets_per_site") * n_sites
    )
    staff = np.maximum(
        (compute + gpu_servers + storage) / d.value("servers_per_admin"),
        d.value("min_staff_fte_per_site") * n_sites,
    )
    mean_mbps = egress * BYTES_PER_GB * 8.0 / (HOURS_PER_MONTH * 3600.0) / 1e6
    transit = np.maximum(
        mean_mbps * d.value("transit_peak_to_average"),
        d.value("transit_min_commit_mbps") * n_sites,
    )
    hardware = (
        compute * d.value("server_2s_usd")
        + gpu_servers * d.value("gpu_server_8xh100_usd")
        + raw_tb * d.value(_STORAGE_PRICES[storage_media])
    )
    out = {
        "compute_servers": compute,
        "gpu_servers": gpu_servers,
        "storage_servers": storage,
        "raw_storage_tb": raw_tb,
        "it_load_kw": kw,
        "cabinets": cabinets,
        "staff_fte": staff,
        "transit_mbps": transit,
        "hardware_usd": hardware,
    }
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return {
        k: np.broadcast_to(np.asarray(v, dtype=np.float64), shape).copy() for k, v in out.items()
    }


def owned_site_costs(
    *,
    months: int,
    vcpus: Any = 0.0,
    memory_gib: Any = 0.0,
    gpus: Any = 0.0,
    compute_usd_per_month: Any = 0.0,
    storage_gb: Any = 0.0,
    internet_egress_gb_per_month: Any = 0.0,
    in_service_month: int | None = None,
    sites: Any = 1.0,
    storage_media: Literal["flash", "hdd"] = "flash",
    replication_factor: Any = None,
    target_utilisation: Any = None,
    pue: Any = None,
    usd_per_kwh: Any = None,
    space_usd_per_kw_month: Any = None,
    refresh_months: int | None = None,
    defaults: FacilityDefaults | None = None,
) -> CostStreams:
    """Monthly costs of a colocation site sized month by month from the load it takes over.

    Each demand may be a constant or a path over the months (months on the last axis, scenario
    axes before it; give a per-scenario constant a trailing axis of 1). In every month from
    ``in_service_month`` the site needs what :func:`size_site` says for that month's load;
    what is installed never shrinks (hardware is not sold back), so as the load grows the site
    **buys hardware in steps** (whole servers, raw TB of storage) when usage outgrows it, and
    power, cabinets, maintenance, staff and transit rise with the installed set. Each purchase
    is bought again after ``refresh_months`` (the server life, 60 months).

    Components: ``hardware_capex_usd`` (capex: purchases and refreshes, paid in the month the
    hardware goes into service), ``power_usd`` (installed kW x PUE x 730 h x USD/kWh),
    ``space_usd`` (whole cabinets x 4 kW x USD/kW-month: the retail median, as sites this size
    rent cabinets), ``maintenance_usd`` (10% a year of installed compute and storage hardware,
    20% of GPU servers), ``staff_usd``, ``cross_connects_usd`` (one per site, North American
    median), all ``onprem_opex``, and ``transit_usd`` (95th-percentile Mbps x USD/Mbps-month,
    at least the commitment; category ``egress``, the site's counterpart of cloud egress).

    Parameters
    ----------
    months : int
        Horizon, >= 1. [months]
    vcpus, memory_gib, gpus, compute_usd_per_month, storage_gb, internet_egress_gb_per_month
        The load, as for :func:`size_site`; constants or month paths.
    in_service_month : int, optional
        First month the site runs (and its first hardware is paid). Default: the hardware lead
        time (2 months, R).
    sites, storage_media, replication_factor, target_utilisation
        As for :func:`size_site`.
    pue, usd_per_kwh : numeric, optional
        As for :func:`site_costs`.
    space_usd_per_kw_month : numeric, optional
        Default: North American retail median, $275 per kW-month (TeleGeography 2017, V).
    refresh_months : int, optional
        Default: the server life (60 months).
    defaults : FacilityDefaults, optional
        Default values; the newest bundled set where None.

    Returns
    -------
    CostStreams
        ``option="colo"``; the sized quantities per month are in ``assumptions`` only for the
        first in-service month (scalars); call :func:`size_site` for the paths.

    Examples
    --------
    >>> growing = 1_000.0 * 1.05 ** np.arange(24)      # vCPUs growing 5% a month
    >>> site = owned_site_costs(months=24, vcpus=growing, in_service_month=0)
    >>> bought = site.components_usd["hardware_capex_usd"]
    >>> int((bought > 0).sum()) > 1                     # bought in steps, not once
    True
    >>> bool(site.components_usd["power_usd"][-1] > site.components_usd["power_usd"][0])
    True
    """
    func = "owned_site_costs"
    d = defaults if defaults is not None else load_facility_defaults()
    p = _Params(d, func)
    used = p.used
    n = check_whole(months, name="months", func=func, minimum=1, unit="months")
    start = (
        int(d.value("hardware_lead_time_months"))
        if in_service_month is None
        else check_whole(in_service_month, name="in_service_month", func=func, unit="months")
    )
    life = (
        int(d.value("server_life_months"))
        if refresh_months is None
        else check_whole(refresh_months, name="refresh_months", func=func, minimum=1, unit="months")
    )

    pue_v = p(pue, "pue_colo_enterprise", "pue", minimum=1.0)
    kwh = p(usd_per_kwh, "usd_per_kwh_us_commercial", "usd_per_kwh")
    space = p(space_usd_per_kw_month, "colo_retail_usd_per_kw_month_na", "space_usd_per_kw_month")
    n_sites = p(sites, None, "sites", minimum=1.0)
    demand = {
        "vcpus": vcpus,
        "memory_gib": memory_gib,
        "gpus": gpus,
        "compute_usd_per_month": compute_usd_per_month,
        "storage_gb": storage_gb,
        "internet_egress_gb_per_month": internet_egress_gb_per_month,
    }
    arrays = {k: as_array(v, name=k, func=func) for k, v in demand.items()}
    for name, arr in arrays.items():
        if arr.ndim and arr.shape[-1] not in (1, n):
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must be a constant or a path over the "
                f"{n} months (months on the last axis). Got shape {arr.shape} instead."
            )
    need = size_site(
        **{k: a if a.ndim else a[..., None] for k, a in arrays.items()},
        sites=n_sites[..., None] if n_sites.ndim else n_sites,
        storage_media=storage_media,
        replication_factor=replication_factor,
        target_utilisation=target_utilisation,
        defaults=d,
    )
    shape = _month_axis(
        *(np.asarray(v)[..., 0] for v in need.values()), pue_v, kwh, space, months=n, func=func
    )
    in_service = np.arange(n) >= start
    # What is installed: the running maximum of what is needed, from the in-service month.
    installed = {
        k: np.maximum.accumulate(np.broadcast_to(v, shape) * in_service, axis=-1)
        for k, v in need.items()
    }
    unit_price = {
        "compute_servers": d.value("server_2s_usd"),
        "gpu_servers": d.value("gpu_server_8xh100_usd"),
        "raw_storage_tb": d.value(_STORAGE_PRICES[storage_media]),
    }
    added = {
        k: np.diff(installed[k], axis=-1, prepend=0.0) * price for k, price in unit_price.items()
    }
    # Each purchase is bought again every `life` months (a handful of cycles in any horizon).
    bought = {}
    for k, initial in added.items():
        total = initial.copy()
        for cycle in range(1, (n - 1) // life + 1):
            total[..., cycle * life :] += initial[..., : n - cycle * life]
        bought[k] = total
    gpu_value = installed["gpu_servers"] * unit_price["gpu_servers"]
    other_value = (
        installed["compute_servers"] * unit_price["compute_servers"]
        + installed["raw_storage_tb"] * unit_price["raw_storage_tb"]
    )
    on = in_service.astype(np.float64)
    components: dict[str, FloatArray] = {
        "hardware_capex_usd": sum(bought.values(), np.zeros(shape)),
        "power_usd": installed["it_load_kw"] * (pue_v * HOURS_PER_MONTH * kwh)[..., None],
        "space_usd": installed["cabinets"] * d.value("colo_cabinet_kw") * space[..., None],
        "maintenance_usd": (
            other_value * d.value("hw_maintenance_fraction_per_year")
            + gpu_value * d.value("gpu_maintenance_fraction_per_year")
        )
        / 12.0,
        "staff_usd": installed["staff_fte"] * d.value("admin_usd_per_fte_year") / 12.0,
        "cross_connects_usd": np.broadcast_to(
            (d.value("cross_connects_per_site") * d.value("cross_connect_usd_per_month_na"))
            * (n_sites[..., None] if n_sites.ndim else n_sites)
            * on,
            shape,
        ).copy(),
        "transit_usd": installed["transit_mbps"] * d.value("ip_transit_usd_per_mbps_month"),
    }
    categories: dict[str, CostCategory] = dict.fromkeys(components, "onprem_opex")
    categories["hardware_capex_usd"] = "capex"
    categories["transit_usd"] = "egress"
    first = {k: v.reshape(-1, n)[0, start] if start < n else 0.0 for k, v in installed.items()}
    used.update({f"{k}_at_start": float(v) for k, v in first.items()})
    used.update({"in_service_month": float(start), "refresh_months": float(life)})
    return CostStreams(
        option="colo",
        components_usd={
            k: np.broadcast_to(v, shape).astype(np.float64) for k, v in components.items()
        },
        categories=categories,
        assumptions=used,
    )


# --------------------------------------------------------------------------------------------
# Demo: stay or move to colocation
# --------------------------------------------------------------------------------------------


def exit_comparison(
    compute_usd_per_month: float,
    *,
    storage_gb: float = 0.0,
    storage_usd_per_month: float = 0.0,
    internet_egress_gb_per_month: float = 0.0,
    egress_usd_per_month: float = 0.0,
    months: int = 60,
    discount_rate_per_year: float | None = None,
    growth_rate_per_month: float = 0.0,
    lead_time_months: int | None = None,
    sites: float = 1.0,
    defaults: FacilityDefaults | None = None,
) -> pd.DataFrame:
    """Stay in the cloud or move to colocation: run cost, NPV, payback and break-even.

    **Stay**: the cloud bill (compute, storage and egress spend) with usage growing by
    ``growth_rate_per_month`` (:func:`cloud_costs`, no commitments, no price drift).
    **Move**: the cloud bill until the hardware is in service after ``lead_time_months``, then a
    colocation site from :func:`owned_site_costs`, sized month by month for the *same grown*
    load: compute servers from the compute spend (37signals' servers per dollar of non-S3
    spend, R), storage from ``storage_gb`` (raw TB x replication at a whole-system price per TB),
    transit from the egress volume; growth buys hardware in steps and raises power, space,
    maintenance and staff with it. The site's minimums (2 servers, a cabinet, a quarter FTE,
    a cross-connect and a 1 Gbps transit commitment per site, all R) make small exits cost more
    than the cloud. The one-time exit bill (migration labour, data egress, dual running,
    stranded commitments) is **not** included: :func:`exitcost.case.exit_case` adds it for an
    estate.

    Parameters
    ----------
    compute_usd_per_month : float
        Today's cloud **compute** spend to be replaced, > 0 (not storage or egress, which the
        sizing ratio does not cover). [USD/month]
    storage_gb : float, default 0
        Data stored in the cloud today, moved to the site's own storage. [GB]
    storage_usd_per_month : float, default 0
        What that storage costs in the cloud today. [USD/month]
    internet_egress_gb_per_month : float, default 0
        Internet traffic, carried by the site's transit after the move. [GB/month]
    egress_usd_per_month : float, default 0
        What that traffic costs in the cloud today. [USD/month]
    months : int, default 60
        Horizon, longer than the lead time (the site must run at least one month). [months]
    discount_rate_per_year : float, optional
        Default 8% (label M). [1/year]
    growth_rate_per_month : float, default 0
        Usage growth, applied to every cloud stream and every site demand. [1/month]
    lead_time_months : int, optional
        Months from order to cut-over. Default: the hardware lead time (2 months, R).
    sites : float, default 1
        Sites (multiplies the per-site minimums).
    defaults : FacilityDefaults, optional
        Default values; the newest bundled set where None.

    Returns
    -------
    pandas.DataFrame
        Rows ``stay_in_cloud`` and ``move_to_colo``; columns ``total_cost_usd``,
        ``npv_cost_usd`` (present value of the costs), ``savings_npv_usd`` (against staying),
        ``payback_month`` (of the move's savings, discounted), ``break_even_month``
        (undiscounted). Both months are NaN where the move never catches up within the horizon,
        and always NaN for the ``stay_in_cloud`` row: staying is the baseline and has no
        payback of its own.

    Examples
    --------
    >>> table = exit_comparison(100_000)
    >>> table.columns.tolist()
    ['total_cost_usd', 'npv_cost_usd', 'savings_npv_usd', 'payback_month', 'break_even_month']
    >>> float(table.loc["move_to_colo", "break_even_month"])
    5.0
    >>> bool(exit_comparison(1_000).loc["move_to_colo", "savings_npv_usd"] < 0)  # the minimums
    True
    """
    func = "exit_comparison"
    d = defaults if defaults is not None else load_facility_defaults()
    compute = check_scalar(
        compute_usd_per_month, name="compute_usd_per_month", func=func, exclusive_minimum=True
    )
    extra = {
        "storage_gb": storage_gb,
        "storage_usd_per_month": storage_usd_per_month,
        "internet_egress_gb_per_month": internet_egress_gb_per_month,
        "egress_usd_per_month": egress_usd_per_month,
    }
    checked = {k: check_scalar(v, name=k, func=func) for k, v in extra.items()}
    n = check_whole(months, name="months", func=func, minimum=1, unit="months")
    lead = (
        int(d.value("hardware_lead_time_months"))
        if lead_time_months is None
        else check_whole(lead_time_months, name="lead_time_months", func=func, unit="months")
    )
    if lead >= n:
        raise InvalidParameterError(
            f"The 'months' parameter of {func} must be longer than the lead time ({lead} months, "
            f"when the site goes into service) so the site runs at least one month. Got "
            f"{months!r} instead."
        )
    rate_year = (
        d.value("discount_rate_per_year")
        if discount_rate_per_year is None
        else check_scalar(
            discount_rate_per_year,
            name="discount_rate_per_year",
            func=func,
            minimum=-1.0,
            exclusive_minimum=True,
        )
    )
    growth = check_scalar(
        growth_rate_per_month,
        name="growth_rate_per_month",
        func=func,
        minimum=-1.0,
        exclusive_minimum=True,
    )
    usage = (1.0 + growth) ** np.arange(n, dtype=np.float64)
    cloud_usd = compute + checked["storage_usd_per_month"] + checked["egress_usd_per_month"]
    stay = cloud_costs(
        months=n, usd_per_month=cloud_usd, growth_rate_per_month=growth, defaults=d
    ).total_usd()
    site = owned_site_costs(
        months=n,
        compute_usd_per_month=compute * usage,
        storage_gb=checked["storage_gb"] * usage,
        internet_egress_gb_per_month=checked["internet_egress_gb_per_month"] * usage,
        in_service_month=lead,
        sites=sites,
        defaults=d,
    )
    move = site.total_usd() + np.where(np.arange(n) < lead, stay, 0.0)
    rate = finance.rate_per_month_from_annual(rate_year)
    npv_stay = finance.tco(stay, rate_per_period=rate)
    npv_move = finance.tco(move, rate_per_period=rate)
    payback = finance.break_even_month(stay, move, rate_per_period=rate)
    break_even = finance.break_even_month(stay, move)
    return pd.DataFrame(
        {
            "total_cost_usd": [float(stay.sum()), float(move.sum())],
            "npv_cost_usd": [npv_stay, npv_move],
            "savings_npv_usd": [0.0, npv_stay - npv_move],
            "payback_month": [np.nan, payback],
            "break_even_month": [np.nan, break_even],
        },
        index=pd.Index(["stay_in_cloud", "move_to_colo"], name="option"),
    )
