"""Sizing an owned site from what the cloud runs, in whole servers, cabinets and raw TB.

Raw storage is counted in **SI terabytes** (10**12 bytes), as disk and array vendors count and
price it (the defaults' ``flash_usd_per_tb_raw``, ``hdd_system_usd_per_tb_raw`` and
``tb_raw_per_storage_server`` are per SI TB), not in the package's billing TB of 1,024 GB: hence
``raw_storage_si_tb``.
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from exitcost._validation import as_array, check_bool, warn_user
from exitcost.errors import InvalidParameterError, format_choices
from exitcost.facilities._inputs import (
    Params,
    full_array,
)
from exitcost.facilities.defaults import (
    FacilityDefaults,
    FacilityValues,
    given_defaults,
)
from exitcost.units import BYTES_PER_GB, HOURS_PER_MONTH

__all__ = [
    "size_site",
    "STORAGE_MEDIA",
    "raw_tb_usd",
    "ceil_servers",
    "SizedSite",
]

FloatArray = npt.NDArray[np.float64]


# --------------------------------------------------------------------------------------------
# Sizing an owned site from what the cloud runs, with its minimums
# --------------------------------------------------------------------------------------------

STORAGE_MEDIA: Final[tuple[str, ...]] = ("flash", "hdd")
"""Storage media a site can be sized with (all-flash arrays or HDD storage servers)."""


def raw_tb_usd(values: FacilityValues, storage_media: str) -> float:
    """Price of one raw SI TB (10**12 bytes) of ``storage_media`` from the defaults. [USD/TB]"""
    return {"flash": values.flash_usd_per_tb_raw, "hdd": values.hdd_system_usd_per_tb_raw}[
        storage_media
    ]


_SI_TB_PER_GB: Final[float] = BYTES_PER_GB / 1e12
# Ceil that ignores float dust (10.000000000001 servers is 10 servers).
_CEIL_SLACK: Final[float] = 1e-9


def ceil_servers(x: FloatArray) -> FloatArray:
    return np.ceil(np.maximum(x - _CEIL_SLACK, 0.0))


class SizedSite(dict[str, FloatArray]):
    """What :func:`size_site` returns: a plain dict of arrays, by quantity.

    For one release the old key ``raw_storage_tb`` still reads ``raw_storage_si_tb``, with a
    :class:`FutureWarning` (the TB there were always SI terabytes, not the package's 1,024 GB).
    """

    def __missing__(self, key: str) -> FloatArray:
        if key == "raw_storage_tb":
            warn_user(
                "size_site's 'raw_storage_tb' is now 'raw_storage_si_tb' (SI terabytes, "
                "10**12 bytes, as vendors price disks; not the package's TB of 1,024 GB); "
                "'raw_storage_tb' will be removed in the next release.",
                FutureWarning,
            )
            return self["raw_storage_si_tb"]
        raise KeyError(key)


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
    broadcast: bool = True,
) -> SizedSite:
    """Whole servers, disks, cabinets, staff and transit an owned site needs for a cloud load.

    Element-wise over any shape (scenarios, months): every input broadcasts.

    * **Compute servers**: ``max(vcpus / vcpus_per_server, memory_gib / memory_gib_per_server)
      / target_utilisation`` for the load given in units, plus ``compute_usd_per_month x 12 x
      sizing_servers_per_compute_usd_year`` (37signals: 20 servers for $2.3M a year of non-S3
      spend, R) for the load given only as spend; rounded up to whole servers and at least
      ``min_servers_per_site x sites`` (N+1, R). Pass compute spend only: storage and egress
      spend are sized separately.
    * **GPU servers**: ``gpus / (gpus_per_server x target_utilisation)``, whole 8-GPU servers.
    * **Storage**: ``storage_gb`` (billing GB of 2**30 bytes) in SI TB (10**12 bytes, as vendors
      count disks) x ``replication_factor`` (2: a copy in each of two sites, as 37signals; 3 is
      Ceph's single-site default) = raw SI TB, priced per raw TB of a whole system (flash
      $70/TB, R; HDD pods $36/TB, S); storage nodes of ``tb_raw_per_storage_server`` (240 TB,
      S), at least the server minimum when any data is stored, count for power, space and
      staff.
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
    defaults : FacilityDefaults
        Default values (:func:`load_facility_defaults`, loaded once by the caller). Omitted,
        the newest bundled set is read from disk with a FutureWarning; required from the next
        release.
    broadcast : bool, default True
        False keeps each result at the shape of the inputs it depends on (the server count of a
        month-only load stays a month path beside a per-scenario storage path), for callers
        that broadcast later.

    Returns
    -------
    SizedSite
        A dict of arrays: ``compute_servers``, ``gpu_servers``, ``storage_servers``,
        ``raw_storage_si_tb`` [SI TB, 10**12 bytes; ``raw_storage_tb`` is its old name, read
        with a FutureWarning for one release],
        ``it_load_kw`` [kW], ``cabinets``, ``staff_fte`` [FTE], ``transit_mbps`` [Mbps] and
        ``hardware_usd`` (price of the whole installed set) [USD], all the broadcast shape
        (with ``broadcast=False``, each its own).

    Examples
    --------
    >>> from exitcost.facilities import load_facility_defaults
    >>> d = load_facility_defaults()                         # once; every model takes them
    >>> small = size_site(compute_usd_per_month=1_000.0, defaults=d)   # $12k a year: < 1 server
    >>> float(small["compute_servers"]), float(small["cabinets"]), float(small["staff_fte"])
    (2.0, 1.0, 0.25)
    >>> big = size_site(vcpus=4_000.0, memory_gib=7_680.0, storage_gb=1024.0**2, defaults=d)
    >>> float(big["compute_servers"]), float(big["storage_servers"]), float(big["it_load_kw"])
    (30.0, 10.0, 64.0)
    """
    func = "size_site"
    d = given_defaults(defaults, func)
    if storage_media not in STORAGE_MEDIA:
        raise InvalidParameterError(
            f"The 'storage_media' parameter of {func} must be one of "
            f"{format_choices(STORAGE_MEDIA)}. Got {storage_media!r} instead."
        )
    p = Params(func)
    vcpu = p(vcpus, None, "vcpus")
    mem = p(memory_gib, None, "memory_gib")
    gpu = p(gpus, None, "gpus")
    spend = p(compute_usd_per_month, None, "compute_usd_per_month")
    stored = p(storage_gb, None, "storage_gb")
    egress = p(internet_egress_gb_per_month, None, "internet_egress_gb_per_month")
    n_sites = p(sites, None, "sites", minimum=1.0)
    copies = p(
        replication_factor, d.values.storage_replication_factor, "replication_factor", minimum=1.0
    )
    util = as_array(
        d.values.server_target_utilisation if target_utilisation is None else target_utilisation,
        name="target_utilisation",
        func=func,
        maximum=1.0,
        exclusive_minimum=True,
    )
    minimum_servers = d.values.min_servers_per_site * n_sites
    by_units = np.maximum(vcpu / d.values.vcpus_per_server, mem / d.values.memory_gib_per_server)
    by_spend = spend * 12.0 * d.values.sizing_servers_per_compute_usd_year
    compute = np.maximum(ceil_servers(by_units / util + by_spend), minimum_servers)
    gpu_servers = ceil_servers(gpu / (d.values.gpus_per_server * util))
    raw_tb = stored * _SI_TB_PER_GB * copies
    storage = np.where(
        raw_tb > 0,
        np.maximum(ceil_servers(raw_tb / d.values.tb_raw_per_storage_server), minimum_servers),
        0.0,
    )
    kw = (
        compute + storage
    ) * d.values.kw_per_server + gpu_servers * d.values.gpu_server_power_avg_kw
    cabinets = np.maximum(
        ceil_servers(kw / d.values.colo_cabinet_kw), d.values.min_cabinets_per_site * n_sites
    )
    staff = np.maximum(
        (compute + gpu_servers + storage) / d.values.servers_per_admin,
        d.values.min_staff_fte_per_site * n_sites,
    )
    mean_mbps = egress * BYTES_PER_GB * 8.0 / (HOURS_PER_MONTH * 3600.0) / 1e6
    transit = np.maximum(
        mean_mbps * d.values.transit_peak_to_average,
        d.values.transit_min_commit_mbps * n_sites,
    )
    hardware = (
        compute * d.values.server_2s_usd
        + gpu_servers * d.values.gpu_server_8xh100_usd
        + raw_tb * raw_tb_usd(d.values, storage_media)
    )
    out = {
        "compute_servers": compute,
        "gpu_servers": gpu_servers,
        "storage_servers": storage,
        "raw_storage_si_tb": raw_tb,
        "it_load_kw": kw,
        "cabinets": cabinets,
        "staff_fte": staff,
        "transit_mbps": transit,
        "hardware_usd": hardware,
    }
    if not check_bool(broadcast, name="broadcast", func=func):
        return SizedSite((k, np.asarray(v, dtype=np.float64)) for k, v in out.items())
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return SizedSite((k, full_array(v, shape)) for k, v in out.items())
