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
  :func:`gpu_break_even_utilisation`: an owned GPU server against cloud GPU-hours.
* :func:`exit_comparison`: stay in the cloud or move to colocation, as a small table (the demo).

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
from exitcost._validation import as_array, check_scalar
from exitcost.categories import COST_CATEGORIES, CostCategory
from exitcost.errors import InvalidParameterError, PriceBookError, format_choices

__all__ = [
    "HOURS_PER_MONTH",
    "CostStreams",
    "FacilityDefaults",
    "FacilityParameter",
    "cloud_costs",
    "exit_comparison",
    "gpu_break_even_utilisation",
    "gpu_owned_usd_per_month",
    "gpu_usd_per_gpu_hour",
    "hardware_purchase_schedule",
    "load_facility_defaults",
    "site_costs",
]

FloatArray = npt.NDArray[np.float64]

HOURS_PER_MONTH: Final[float] = 365.0 * 24.0 / 12.0
"""Hours in an average month, 8,760 / 12 = 730 (the cloud providers' monthly hour count)."""

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
    "sizing_capex_usd_per_cloud_usd_year",
    "sizing_servers_per_cloud_usd_year",
    "sizing_kw_per_cloud_usd_year",
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
) -> FloatArray:
    """A parameter as a checked array, filled from the defaults where None."""
    if value is None:
        if default_name is None:
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} has no sourced default and must be given."
            )
        value = defaults.value(default_name)
    arr = as_array(value, name=name, func=func, minimum=minimum, maximum=maximum)
    if arr.ndim == 0:
        used[name] = float(arr)
    return arr


def _whole_months(value: Any, *, name: str, func: str, minimum: int = 0) -> int:
    number = check_scalar(value, name=name, func=func, minimum=minimum)
    if number != int(number):
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a whole number of months >= {minimum}. "
            f"Got {value!r} instead."
        )
    return int(number)


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
    n = _whole_months(months, name="months", func=func, minimum=1)
    lead = _whole_months(lead_time_months, name="lead_time_months", func=func)
    t = np.arange(n) - lead
    if refresh_months is None:
        buy = t == 0
    else:
        every = _whole_months(refresh_months, name="refresh_months", func=func, minimum=1)
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
    used: dict[str, float] = {}
    n = _whole_months(months, name="months", func=func, minimum=1)
    lead_time = _whole_months(lead_time_months, name="lead_time_months", func=func)
    if kind not in ("colo", "onprem"):
        raise InvalidParameterError(
            f"The 'kind' parameter of {func} must be one of 'colo', 'onprem'. Got {kind!r}."
        )
    if financing not in ("buy", "lease"):
        raise InvalidParameterError(
            f"The 'financing' parameter of {func} must be one of 'buy', 'lease'. "
            f"Got {financing!r} instead."
        )

    def p(value: Any, default: str | None, name: str, **bounds: Any) -> FloatArray:
        return _param(value, default, d, used, name=name, func=func, **bounds)

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
        _whole_months(refresh_months, name="refresh_months", func=func, minimum=1)
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
            lease_rate_per_year, "discount_rate_per_year", "lease_rate_per_year", minimum=None
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
    ``1 - commitment_discount`` of the list price, and is paid whether used or not (usage that
    falls below it wastes it: the OpEx trap turned round); usage above it is paid on demand.

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
    used: dict[str, float] = {}
    n = _whole_months(months, name="months", func=func, minimum=1)
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

    def p(value: Any, default: str | None, name: str, **bounds: Any) -> FloatArray:
        return _param(value, default, d, used, name=name, func=func, **bounds)

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
    price = base[..., None] * np.exp(np.log1p(drift)[..., None] * t / 12.0)
    covered = share[..., None] * usage_at_renewal
    on_demand = np.maximum(usage - covered, 0.0) * price
    committed = covered * (1.0 - discount[..., None]) * price
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
    used: dict[str, float] = {}

    def p(value: Any, default: str | None, name: str, **bounds: Any) -> FloatArray:
        return _param(value, default, d, used, name=name, func=func, **bounds)

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
        discount_rate_per_year, "discount_rate_per_year", "discount_rate_per_year", minimum=None
    )
    rate_month = np.asarray(finance.rate_per_month_from_annual(rate), dtype=np.float64)
    capital = np.asarray(finance.annuity_payment(price, rate_month, life), dtype=np.float64)
    total = capital + kw * pue_v * HOURS_PER_MONTH * kwh + kw * space + price * maint / 12.0 + ops
    if total.ndim == 0:
        return float(total)
    return total


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
    d = owned.get("defaults") or load_facility_defaults()
    u = as_array(utilisation, name="utilisation", func=func, maximum=1.0, exclusive_minimum=True)
    gpus = _param(
        gpus_per_server, "gpus_per_server", d, {}, name="gpus_per_server", func=func, minimum=1.0
    )
    monthly = np.asarray(gpu_owned_usd_per_month(**owned), dtype=np.float64)
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
    d = owned.get("defaults") or load_facility_defaults()
    price = as_array(
        cloud_usd_per_gpu_hour, name="cloud_usd_per_gpu_hour", func=func, exclusive_minimum=True
    )
    gpus = _param(
        gpus_per_server, "gpus_per_server", d, {}, name="gpus_per_server", func=func, minimum=1.0
    )
    monthly = np.asarray(gpu_owned_usd_per_month(**owned), dtype=np.float64)
    result = monthly / (price * gpus * HOURS_PER_MONTH)
    return float(result) if result.ndim == 0 else result


# --------------------------------------------------------------------------------------------
# Demo: stay or move to colocation
# --------------------------------------------------------------------------------------------


def exit_comparison(
    cloud_usd_per_month: float,
    *,
    months: int = 60,
    discount_rate_per_year: float | None = None,
    growth_rate_per_month: float = 0.0,
    lead_time_months: int = 3,
    defaults: FacilityDefaults | None = None,
) -> pd.DataFrame:
    """Stay in the cloud or move to colocation: cost, NPV, payback and break-even.

    The colocation site is sized from the monthly cloud spend with the ratios of one published
    case (37signals: about $700k of hardware, 20 servers and 8 cabinets replaced about $2.3M a
    year; label R, a rough demo sizing, not a design). The cloud keeps running, and is paid,
    until the hardware is in service after ``lead_time_months``; migration labour and
    egress are not included (see the effort and pricing modules).

    Parameters
    ----------
    cloud_usd_per_month : float
        Today's cloud spend to be replaced, > 0. [USD/month]
    months : int, default 60
        Horizon. [months]
    discount_rate_per_year : float, optional
        Default 8% (label M). [1/year]
    growth_rate_per_month : float, default 0
        Usage growth, applied to both options. [1/month]
    lead_time_months : int, default 3
        Months from order to cut-over. [months]
    defaults : FacilityDefaults, optional
        Default values; the newest bundled set where None.

    Returns
    -------
    pandas.DataFrame
        Rows ``stay_in_cloud`` and ``move_to_colo``; columns ``total_cost_usd``,
        ``npv_cost_usd`` (present value of the costs), ``savings_npv_usd`` (against staying),
        ``payback_month`` (of the move's savings, discounted; NaN if never),
        ``break_even_month`` (undiscounted; NaN if never).

    Examples
    --------
    >>> table = exit_comparison(100_000)
    >>> table.columns.tolist()
    ['total_cost_usd', 'npv_cost_usd', 'savings_npv_usd', 'payback_month', 'break_even_month']
    >>> float(table.loc["move_to_colo", "break_even_month"])
    7.0
    """
    func = "exit_comparison"
    d = defaults if defaults is not None else load_facility_defaults()
    spend = check_scalar(
        cloud_usd_per_month, name="cloud_usd_per_month", func=func, exclusive_minimum=True
    )
    n = _whole_months(months, name="months", func=func, minimum=1)
    lead = _whole_months(lead_time_months, name="lead_time_months", func=func)
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
    per_year = spend * 12.0
    cloud = cloud_costs(months=n, usd_per_month=spend, growth_rate_per_month=growth, defaults=d)
    site = site_costs(
        months=n,
        hardware_capex_usd=per_year * d.value("sizing_capex_usd_per_cloud_usd_year"),
        it_load_kw=per_year * d.value("sizing_kw_per_cloud_usd_year"),
        servers=per_year * d.value("sizing_servers_per_cloud_usd_year"),
        lead_time_months=lead,
        defaults=d,
    )
    stay = cloud.total_usd()
    # The cloud bill runs until cut-over; growth after it is served by the site's headroom.
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
            "payback_month": [0.0, payback],
            "break_even_month": [0.0, break_even],
        },
        index=pd.Index(["stay_in_cloud", "move_to_colo"], name="option"),
    )
