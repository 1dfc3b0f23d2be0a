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
and confidence label; :func:`load_facility_defaults` reads and validates it, the caller passes
it to each model as ``defaults`` (the models read no file; :func:`exit_comparison`, an
analysis, loads it when not given), and each model records the values it used in
:attr:`CostStreams.assumptions`.

Examples
--------
>>> defaults = load_facility_defaults()
>>> defaults["pue_colo_enterprise"].value, defaults["pue_colo_enterprise"].confidence
(1.56, 'S')
>>> site = site_costs(
...     horizon_months=24, hardware_capex_usd=600_000, it_load_kw=32, servers=20, defaults=defaults
... )
>>> site.to_frame().columns.tolist()[:3]
['hardware_capex_usd', 'power_usd', 'space_usd']
>>> round(site.total_usd()[0])
619668
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost import finance
from exitcost._validation import as_array, check_scalar, check_whole, renamed_parameters
from exitcost.categories import COST_CATEGORIES, CostCategory
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.facilities._inputs import (
    Params,
    full_array,
    month_axis,
)
from exitcost.facilities.defaults import (
    FacilityDefaults,
    given_defaults,
    load_facility_defaults,
)
from exitcost.facilities.sizing import (
    raw_tb_usd,
    size_site,
)
from exitcost.facilities.streams import (
    CostStreams,
)
from exitcost.units import HOURS_PER_MONTH, whole_month_or_none

__all__ = [
    "COMMITMENT_TERMS",
    "cloud_costs",
    "exit_comparison",
    "hardware_purchase_schedule",
    "owned_site_costs",
    "site_costs",
]

FloatArray = npt.NDArray[np.float64]


@renamed_parameters(months="horizon_months")
def hardware_purchase_schedule(
    capex_usd: Any, *, horizon_months: int, refresh_months: int | None, lead_time_months: int = 0
) -> FloatArray:
    """Cash view of hardware purchases: ``capex_usd`` at the lead time, then at each refresh.

    Parameters
    ----------
    capex_usd : numeric
        Price of one full set of hardware, >= 0; an array gives one per scenario. [USD]
    horizon_months : int
        Horizon, >= 1. [months]
    refresh_months : int or None
        Months between purchases (the useful life), >= 1; None for no refresh.
    lead_time_months : int, default 0
        Months from order (month 0) to delivery and payment. [months]

    Returns
    -------
    numpy.ndarray
        Purchases per month, shape ``capex_usd.shape + (horizon_months,)``. [USD]

    Examples
    --------
    >>> hardware_purchase_schedule(100.0, horizon_months=8, refresh_months=3, lead_time_months=1)
    array([  0., 100.,   0.,   0., 100.,   0.,   0., 100.])
    """
    func = "hardware_purchase_schedule"
    capex = as_array(capex_usd, name="capex_usd", func=func)
    n = check_whole(horizon_months, name="horizon_months", func=func, minimum=1, unit="months")
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


@renamed_parameters(months="horizon_months")
def site_costs(
    *,
    horizon_months: int,
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
    horizon_months : int
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
    defaults : FacilityDefaults
        Default values (:func:`load_facility_defaults`, loaded once by the caller). Omitted,
        the newest bundled set is read from disk with a FutureWarning; required from the next
        release.

    Returns
    -------
    CostStreams
        Components ``hardware_capex_usd`` (or ``lease_usd``), ``power_usd``, ``space_usd``,
        ``maintenance_usd``, ``staff_usd``, ``licences_usd``, ``transit_usd``.

    Examples
    --------
    >>> site = site_costs(horizon_months=3, hardware_capex_usd=120_000, it_load_kw=10,
    ...                   usd_per_kwh=0.10, pue=1.5, staff_fte=0,
    ...                   defaults=load_facility_defaults())
    >>> site.to_frame()[["hardware_capex_usd", "power_usd", "maintenance_usd"]]
           hardware_capex_usd  power_usd  maintenance_usd
    month
    0                120000.0     1095.0           1000.0
    1                     0.0     1095.0           1000.0
    2                     0.0     1095.0           1000.0
    """
    func = "site_costs"
    d = given_defaults(defaults, func)
    p = Params(func)
    used = p.used
    n = check_whole(horizon_months, name="horizon_months", func=func, minimum=1, unit="months")
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
    pue_v = p(pue, d.values.pue_colo_enterprise, "pue", minimum=1.0)
    price_kwh = p(usd_per_kwh, d.values.usd_per_kwh_us_commercial, "usd_per_kwh")
    if racks is not None or space_usd_per_rack_month is not None:
        space_per_month = p(racks, None, "racks") * p(
            space_usd_per_rack_month, None, "space_usd_per_rack_month"
        )
    else:
        space_default = d.values.colo_wholesale_usd_per_kw_month_na if kind == "colo" else None
        space_per_month = kw * p(space_usd_per_kw_month, space_default, "space_usd_per_kw_month")
    maint = p(
        maintenance_fraction_per_year,
        d.values.hw_maintenance_fraction_per_year,
        "maintenance_fraction_per_year",
    )
    if staff_fte is None:
        fte = p(servers, None, "servers") / d.values.servers_per_admin
        used["servers_per_admin"] = d.values.servers_per_admin
    else:
        fte = p(staff_fte, None, "staff_fte")
    fte_cost = p(usd_per_fte_year, d.values.admin_usd_per_fte_year, "usd_per_fte_year")
    licences = p(licences_usd_per_month, None, "licences_usd_per_month")
    transit = p(transit_usd_per_month, None, "transit_usd_per_month")
    refresh = (
        check_whole(refresh_months, name="refresh_months", func=func, minimum=1, unit="months")
        if refresh_months is not None
        else int(d.values.server_life_months)
    )
    used["refresh_months"] = float(refresh)
    used["lead_time_months"] = float(lead_time)

    shape = month_axis(
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
            capex, horizon_months=n, refresh_months=refresh, lead_time_months=lead_time
        )
        components["hardware_capex_usd"] = np.broadcast_to(purchases, shape).copy()
        categories["hardware_capex_usd"] = "capex"
    else:
        rate_year = p(
            lease_rate_per_year,
            d.values.discount_rate_per_year,
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


COMMITMENT_TERMS: Final[dict[str, int]] = {"1yr": 12, "3yr": 36}
"""Term of each commitment. [months]"""


@renamed_parameters(months="horizon_months")
def cloud_costs(
    *,
    horizon_months: int,
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
    horizon_months : int
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
    defaults : FacilityDefaults
        Default values (:func:`load_facility_defaults`, loaded once by the caller). Omitted,
        the newest bundled set is read from disk with a FutureWarning; required from the next
        release.

    Returns
    -------
    CostStreams
        Components ``on_demand_usd`` and ``committed_usd``.

    Examples
    --------
    >>> cloud = cloud_costs(horizon_months=4, usd_per_month=1000, growth_rate_per_month=0.1,
    ...                     committed_fraction=0.5, commitment_discount=0.4,
    ...                     defaults=load_facility_defaults())
    >>> cloud.total_usd().round(2)
    array([ 800., 900., 1010., 1131.])
    """
    func = "cloud_costs"
    d = given_defaults(defaults, func)
    p = Params(func)
    used = p.used
    n = check_whole(horizon_months, name="horizon_months", func=func, minimum=1, unit="months")
    if commitment not in COMMITMENT_TERMS:
        raise InvalidParameterError(
            f"The 'commitment' parameter of {func} must be one of "
            f"{format_choices(COMMITMENT_TERMS)}. Got {commitment!r} instead."
        )
    if category not in COST_CATEGORIES:
        raise InvalidParameterError(
            f"The 'category' parameter of {func} must be one of {format_choices(COST_CATEGORIES)}. "
            f"Got {category!r} instead."
        )
    term = COMMITMENT_TERMS[commitment]
    discount_default = {
        "1yr": d.values.commitment_discount_1yr,
        "3yr": d.values.commitment_discount_3yr,
    }[commitment]

    base = p(usd_per_month, None, "usd_per_month")
    growth = p(growth_rate_per_month, None, "growth_rate_per_month", minimum=-1.0)
    drift = p(price_change_per_year, None, "price_change_per_year", minimum=-1.0)
    share = p(committed_fraction, None, "committed_fraction", maximum=1.0)
    discount = p(commitment_discount, discount_default, "commitment_discount", maximum=1.0)
    for name, arr in (("growth_rate_per_month", growth), ("price_change_per_year", drift)):
        if (arr <= -1.0).any():
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must be > -1. Got {float(arr.min())!r} instead."
            )
    shape = month_axis(base, growth, drift, share, discount, months=n, func=func)
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


def _running_max(values: FloatArray) -> FloatArray:
    """Running maximum over the months (last axis); a path that never falls is its own.

    (The check is a few times cheaper than numpy's accumulate along a short last axis, and
    loads that only grow are the usual case.)
    """
    if values.shape[-1] < 2 or bool((values[..., 1:] >= values[..., :-1]).all()):
        return values
    out: FloatArray = np.maximum.accumulate(values, axis=-1)
    return out


@renamed_parameters(months="horizon_months")
def owned_site_costs(
    *,
    horizon_months: int,
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
    **buys hardware in steps** (whole servers, raw SI TB of storage) when usage outgrows it, and
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
    horizon_months : int
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
    defaults : FacilityDefaults
        Default values (:func:`load_facility_defaults`, loaded once by the caller). Omitted,
        the newest bundled set is read from disk with a FutureWarning; required from the next
        release.

    Returns
    -------
    CostStreams
        ``option="colo"``; the sized quantities per month are in ``assumptions`` only for the
        first in-service month (scalars); call :func:`size_site` for the paths.

    Examples
    --------
    >>> growing = 1_000.0 * 1.05 ** np.arange(24)      # vCPUs growing 5% a month
    >>> d = load_facility_defaults()
    >>> site = owned_site_costs(horizon_months=24, vcpus=growing, in_service_month=0, defaults=d)
    >>> bought = site.components_usd["hardware_capex_usd"]
    >>> int((bought > 0).sum()) > 1                     # bought in steps, not once
    True
    >>> bool(site.components_usd["power_usd"][-1] > site.components_usd["power_usd"][0])
    True
    """
    func = "owned_site_costs"
    d = given_defaults(defaults, func)
    p = Params(func)
    used = p.used
    n = check_whole(horizon_months, name="horizon_months", func=func, minimum=1, unit="months")
    start = (
        int(d.values.hardware_lead_time_months)
        if in_service_month is None
        else check_whole(in_service_month, name="in_service_month", func=func, unit="months")
    )
    life = (
        int(d.values.server_life_months)
        if refresh_months is None
        else check_whole(refresh_months, name="refresh_months", func=func, minimum=1, unit="months")
    )

    pue_v = p(pue, d.values.pue_colo_enterprise, "pue", minimum=1.0)
    kwh = p(usd_per_kwh, d.values.usd_per_kwh_us_commercial, "usd_per_kwh")
    space = p(
        space_usd_per_kw_month, d.values.colo_retail_usd_per_kw_month_na, "space_usd_per_kw_month"
    )
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
        broadcast=False,  # each need at its own shape until the components are summed
    )
    shape = month_axis(
        *(np.asarray(v)[..., 0] for v in need.values()), pue_v, kwh, space, months=n, func=func
    )
    in_service = np.arange(n) >= start
    # What is installed: the running maximum of what is needed, from the in-service month
    # (for what is paid for; in the in-service month itself it is what is needed then).
    paid_for = (
        "compute_servers",
        "gpu_servers",
        "raw_storage_si_tb",
        "it_load_kw",
        "cabinets",
        "staff_fte",
        "transit_mbps",
    )
    installed = {k: _running_max(need[k] * in_service) for k in paid_for}
    unit_price = {
        "compute_servers": d.values.server_2s_usd,
        "gpu_servers": d.values.gpu_server_8xh100_usd,
        "raw_storage_si_tb": raw_tb_usd(d.values, storage_media),
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
        + installed["raw_storage_si_tb"] * unit_price["raw_storage_si_tb"]
    )
    on = in_service.astype(np.float64)
    components: dict[str, FloatArray] = {
        "hardware_capex_usd": sum(bought.values(), np.zeros(shape)),
        "power_usd": installed["it_load_kw"] * (pue_v * HOURS_PER_MONTH * kwh)[..., None],
        "space_usd": installed["cabinets"] * d.values.colo_cabinet_kw * space[..., None],
        "maintenance_usd": (
            other_value * d.values.hw_maintenance_fraction_per_year
            + gpu_value * d.values.gpu_maintenance_fraction_per_year
        )
        / 12.0,
        "staff_usd": installed["staff_fte"] * d.values.admin_usd_per_fte_year / 12.0,
        "cross_connects_usd": np.broadcast_to(
            (d.values.cross_connects_per_site * d.values.cross_connect_usd_per_month_na)
            * (n_sites[..., None] if n_sites.ndim else n_sites)
            * on,
            shape,
        ).copy(),
        "transit_usd": installed["transit_mbps"] * d.values.ip_transit_usd_per_mbps_month,
    }
    categories: dict[str, CostCategory] = dict.fromkeys(components, "onprem_opex")
    categories["hardware_capex_usd"] = "capex"
    categories["transit_usd"] = "egress"
    first = {
        k: np.broadcast_to(v, shape).reshape(-1, n)[0, start] if start < n else 0.0
        for k, v in need.items()
    }
    used.update({f"{k}_at_start": float(v) for k, v in first.items()})
    used.update({"in_service_month": float(start), "refresh_months": float(life)})
    return CostStreams(
        option="colo",
        components_usd={k: full_array(v, shape) for k, v in components.items()},
        categories=categories,
        assumptions=used,
    )


# --------------------------------------------------------------------------------------------
# Stay or move to colocation: an analysis over the models above
# --------------------------------------------------------------------------------------------


@renamed_parameters(months="horizon_months")
def exit_comparison(
    compute_usd_per_month: float,
    *,
    storage_gb: float = 0.0,
    storage_usd_per_month: float = 0.0,
    internet_egress_gb_per_month: float = 0.0,
    egress_usd_per_month: float = 0.0,
    horizon_months: int = 60,
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
    horizon_months : int, default 60
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
        Default values, loaded once here and passed to every model; the newest bundled set
        where None.

    Returns
    -------
    pandas.DataFrame
        Rows ``stay_in_cloud`` and ``move_to_colo``; columns ``total_cost_usd``,
        ``npv_cost_usd`` (present value of the costs), ``savings_npv_usd`` (against staying),
        ``payback_month`` (of the move's savings, discounted), ``break_even_month``
        (undiscounted). Both months are pandas nullable ``Int64`` columns, never NaN: ``<NA>``
        where the move never catches up within the horizon, and always for the
        ``stay_in_cloud`` row (staying is the baseline and has no payback of its own).

    Examples
    --------
    >>> table = exit_comparison(100_000)
    >>> table.columns.tolist()
    ['total_cost_usd', 'npv_cost_usd', 'savings_npv_usd', 'payback_month', 'break_even_month']
    >>> int(table.loc["move_to_colo", "break_even_month"])
    5
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
    n = check_whole(horizon_months, name="horizon_months", func=func, minimum=1, unit="months")
    lead = (
        int(d.values.hardware_lead_time_months)
        if lead_time_months is None
        else check_whole(lead_time_months, name="lead_time_months", func=func, unit="months")
    )
    if lead >= n:
        raise InvalidParameterError(
            f"The 'horizon_months' parameter of {func} must be longer than the lead time "
            f"({lead} months, when the site goes into service) so the site runs at least one "
            f"month. Got {horizon_months!r} instead."
        )
    rate_year = (
        d.values.discount_rate_per_year
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
        horizon_months=n, usd_per_month=cloud_usd, growth_rate_per_month=growth, defaults=d
    ).total_usd()
    site = owned_site_costs(
        horizon_months=n,
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
            # the stay row has no payback of its own, and the move may never catch up: <NA>
            "payback_month": pd.array([pd.NA, whole_month_or_none(payback)], dtype="Int64"),
            "break_even_month": pd.array([pd.NA, whole_month_or_none(break_even)], dtype="Int64"),
        },
        index=pd.Index(["stay_in_cloud", "move_to_colo"], name="option"),
    )
