"""GPU economics: an owned GPU server against cloud GPU-hours, at a utilisation."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from exitcost import finance
from exitcost._validation import as_array
from exitcost.errors import InvalidParameterError, PriceBookError, format_choices
from exitcost.facilities._inputs import (
    Params,
    param,
)
from exitcost.facilities.defaults import (
    FacilityDefaults,
    given_defaults,
    load_facility_defaults,
)
from exitcost.units import HOURS_PER_MONTH

__all__ = [
    "gpu_break_even_utilisation",
    "gpu_break_even_utilisation_at",
    "gpu_cloud_usd_per_gpu_hour",
    "gpu_owned_usd_per_month",
    "gpu_usd_per_gpu_hour",
]

FloatArray = npt.NDArray[np.float64]


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
    defaults : FacilityDefaults
        Default values (:func:`load_facility_defaults`, loaded once by the caller). Omitted,
        the newest bundled set is read from disk with a FutureWarning; required from the next
        release.

    Returns
    -------
    float or numpy.ndarray
        Cost per server-month. [USD]

    Examples
    --------
    >>> d = load_facility_defaults()
    >>> round(gpu_owned_usd_per_month(discount_rate_per_year=0.0, defaults=d))
    12600
    """
    func = "gpu_owned_usd_per_month"
    d = given_defaults(defaults, func)
    p = Params(func)
    price = p(server_usd, d.values.gpu_server_8xh100_usd, "server_usd")
    life = p(life_months, d.values.gpu_server_life_months, "life_months", minimum=1.0)
    kw = p(power_kw, d.values.gpu_server_power_avg_kw, "power_kw")
    pue_v = p(pue, d.values.pue_colo_enterprise, "pue", minimum=1.0)
    kwh = p(usd_per_kwh, d.values.usd_per_kwh_us_commercial, "usd_per_kwh")
    space = p(
        space_usd_per_kw_month,
        d.values.colo_wholesale_usd_per_kw_month_na,
        "space_usd_per_kw_month",
    )
    maint = p(
        maintenance_fraction_per_year,
        d.values.gpu_maintenance_fraction_per_year,
        "maintenance_fraction_per_year",
    )
    ops = p(ops_usd_per_month, None, "ops_usd_per_month")
    rate = p(
        discount_rate_per_year,
        d.values.discount_rate_per_year,
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
    d = given_defaults(owned.get("defaults"), func)
    owned = {**owned, "defaults": d}
    gpus = param(
        gpus_per_server,
        d.values.gpus_per_server,
        {},
        name="gpus_per_server",
        func=func,
        minimum=1.0,
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
    >>> d = load_facility_defaults()
    >>> round(gpu_usd_per_gpu_hour(0.5, discount_rate_per_year=0.0, defaults=d), 2)
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
    >>> round(gpu_break_even_utilisation(aws, defaults=d), 3)
    0.34
    >>> neocloud = d.value("cloud_h100_usd_per_gpu_hour_neocloud")
    >>> round(gpu_break_even_utilisation(neocloud, defaults=d), 3)
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
        Keyword arguments of :func:`gpu_owned_usd_per_month` (server price, power, rate, ...);
        without ``defaults`` the newest bundled set is loaded (this analysis may read it).

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
    if owned.get("defaults") is None:  # an analysis loads the defaults; the models do not
        owned = {**owned, "defaults": load_facility_defaults()}
    return gpu_break_even_utilisation(price, gpus_per_server=gpus_per_server, **owned)
