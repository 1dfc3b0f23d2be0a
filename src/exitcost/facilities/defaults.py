"""Sourced facility defaults: the dated file of power, space, hardware and staff figures.

Each figure carries its unit, source, date and confidence label; :func:`load_facility_defaults`
reads and validates the file in effect on a date (or a user's own).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from exitcost._dated import dated_files, load_cached, newest_on
from exitcost._resources import data_dir
from exitcost._validation import warn_user
from exitcost._yaml import DataFileError, booleans_read_as_numbers, read_data_file
from exitcost.errors import InvalidParameterError, PriceBookError, format_choices

__all__ = [
    "REQUIRED",
    "FacilityValues",
    "FacilityDefaults",
    "FacilityParameter",
    "given_defaults",
    "load_facility_defaults",
]

FloatArray = npt.NDArray[np.float64]


_AS_OF_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class FacilityValues:
    """The values of the parameters the models read, as typed fields.

    Each field is the ``value`` of the parameter of the same name in the defaults file (its unit,
    source and confidence are in ``FacilityDefaults[name]``); a defaults file must define all of
    them. Read them as ``defaults.values.pue_colo_enterprise``.
    """

    pue_colo_enterprise: float
    usd_per_kwh_us_commercial: float
    colo_wholesale_usd_per_kw_month_na: float
    server_life_months: float
    gpu_server_life_months: float
    hw_maintenance_fraction_per_year: float
    gpu_maintenance_fraction_per_year: float
    servers_per_admin: float
    admin_usd_per_fte_year: float
    gpu_server_8xh100_usd: float
    gpu_server_power_avg_kw: float
    gpus_per_server: float
    commitment_discount_1yr: float
    commitment_discount_3yr: float
    discount_rate_per_year: float
    server_2s_usd: float
    flash_usd_per_tb_raw: float
    hdd_system_usd_per_tb_raw: float
    colo_retail_usd_per_kw_month_na: float
    colo_cabinet_kw: float
    cross_connect_usd_per_month_na: float
    ip_transit_usd_per_mbps_month: float
    sizing_servers_per_compute_usd_year: float
    vcpus_per_server: float
    memory_gib_per_server: float
    kw_per_server: float
    server_target_utilisation: float
    tb_raw_per_storage_server: float
    storage_replication_factor: float
    min_servers_per_site: float
    min_cabinets_per_site: float
    cross_connects_per_site: float
    transit_min_commit_mbps: float
    transit_peak_to_average: float
    min_staff_fte_per_site: float
    hardware_lead_time_months: float


REQUIRED: Final[tuple[str, ...]] = tuple(f.name for f in fields(FacilityValues))
"""Parameters a defaults file must define: the fields of :class:`FacilityValues`."""


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
    >>> d.values.admin_usd_per_fte_year
    128000.0
    >>> d.value("admin_usd_per_fte_year")  # by name, for any parameter of the file
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
        """The value of one parameter by name, including those the models do not read.

        The models read :attr:`values` (typed fields); see ``self[name]`` for a parameter's
        unit and source.
        """
        return self[name].value

    @cached_property
    def values(self) -> FacilityValues:
        """The parameters the models read, as typed fields (built once: the model is frozen)."""
        return FacilityValues(**{name: self.parameters[name].value for name in REQUIRED})

    def to_frame(self) -> pd.DataFrame:
        """Every parameter as a row: value, unit, currency, confidence, as_of, source, url."""
        rows = {name: p.model_dump() for name, p in self.parameters.items()}
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = "parameter"
        return frame[["value", "unit", "currency", "confidence", "as_of", "source", "url", "notes"]]


def _facilities_dir() -> Path:
    return data_dir("pricing") / "facilities"


def _load_path(path: Path) -> FacilityDefaults:
    try:
        raw = read_data_file(path, what=f"facility defaults {str(path)!r}")
    except DataFileError as exc:
        raise PriceBookError(str(exc)) from None
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
    coerced = booleans_read_as_numbers(raw, defaults.model_dump())
    if coerced:
        raise PriceBookError(
            f"Facility defaults {path} hold booleans where numbers belong: "
            + "; ".join(f"{where} (got {value!r})" for where, value in coerced)
        )
    missing = [name for name in REQUIRED if name not in defaults.parameters]
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
        return load_cached(Path(path), _load_path)
    folder = _facilities_dir()
    dated = dated_files(folder)
    newest = newest_on(dated, as_of)
    if newest is None:
        raise PriceBookError(
            f"No facility defaults are in effect on {as_of}; bundled files in {folder}: "
            f"{format_choices([d.isoformat() for d, _ in dated]) or 'none'}."
        )
    return load_cached(newest[1], _load_path)


def given_defaults(defaults: FacilityDefaults | None, func: str) -> FacilityDefaults:
    """The defaults a facility model was given; the models (kernels) read no file.

    For one release a model called without ``defaults`` still reads the newest bundled set,
    with a :class:`FutureWarning`: load them once with :func:`load_facility_defaults` and pass
    them to every model (the analyses :func:`~exitcost.facilities.exit_comparison` and
    :func:`~exitcost.facilities.gpu_break_even_utilisation_at` load them for their caller).

    Examples
    --------
    >>> d = load_facility_defaults()
    >>> given_defaults(d, "size_site") is d
    True
    """
    if defaults is not None:
        return defaults
    warn_user(
        f"{func} without 'defaults' reads the facility defaults from disk on every call; "
        "'defaults' will be required in the next release. Load them once with "
        "exitcost.facilities.load_facility_defaults() and pass defaults=... to the models.",
        FutureWarning,
    )
    return load_facility_defaults()
