"""What an estate holds where: one row per location, or per provider.

Distributions are summarised by their expected value (:func:`exitcost.uncertainty.point`).

Flows are counted at the dataset's location: ``read_gb_per_month`` is what workloads read from
the data held there, ``written_gb_per_month`` what they write into it.
``cross_location_gb_per_month`` is the part of the flows that crosses between locations, counted
at the location the data leaves (a remote workload's reads leave the dataset's location; writes
to a remote dataset leave the workload's); it is the traffic a provider bills as egress or
inter-region transfer. ``internet_egress_gb_per_month`` is counted at the sending workload's
location.

Examples
--------
>>> from exitcost.estate import sample_estate
>>> inv = inventory(sample_estate())
>>> list(inv.columns)  # doctest: +NORMALIZE_WHITESPACE
['provider', 'kind', 'continent', 'jurisdiction', 'datasets', 'size_gb', 'workloads',
 'compute_usd_per_month', 'read_gb_per_month', 'written_gb_per_month',
 'cross_location_gb_per_month', 'internet_egress_gb_per_month']
>>> int(by_provider(inv).loc["aws", "locations"])
4
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from exitcost.estate.model import Estate
from exitcost.uncertainty import point

__all__ = ["INVENTORY_SUMS", "by_provider", "inventory"]

INVENTORY_SUMS: tuple[str, ...] = (
    "datasets",
    "size_gb",
    "workloads",
    "compute_usd_per_month",
    "read_gb_per_month",
    "written_gb_per_month",
    "cross_location_gb_per_month",
    "internet_egress_gb_per_month",
)
"""Inventory columns that add up across locations."""


def inventory(estate: Estate) -> pd.DataFrame:
    """One row per location: what it holds, what runs there and the data it moves.

    Parameters
    ----------
    estate : Estate
        The estate.

    Returns
    -------
    pandas.DataFrame
        Indexed by location id (``location``), in the estate's order, with columns
        ``provider``, ``kind``, ``continent``, ``jurisdiction``, ``datasets`` (count),
        ``size_gb`` [GB], ``workloads`` (count), ``compute_usd_per_month`` [USD/month],
        ``read_gb_per_month``, ``written_gb_per_month``, ``cross_location_gb_per_month`` and
        ``internet_egress_gb_per_month`` [GB/month]; expected values of any distributions.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> inv = inventory(sample_estate())
    >>> bool(inv["size_gb"].sum() > 1_000_000)
    True
    """
    ids = [loc.id for loc in estate.locations]
    index = pd.Index(ids, name="location", dtype=object)
    frame = pd.DataFrame(
        {
            "provider": [loc.provider for loc in estate.locations],
            "kind": [loc.kind for loc in estate.locations],
            "continent": [loc.continent for loc in estate.locations],
            "jurisdiction": [loc.jurisdiction for loc in estate.locations],
        },
        index=index,
        dtype=object,
    )
    where = {ds.id: ds.location for ds in estate.datasets}

    def total(keys: list[str], values: list[float]) -> pd.Series:
        series = pd.Series(np.asarray(values, dtype=np.float64), index=pd.Index(keys, dtype=object))
        return series.groupby(level=0).sum().reindex(index, fill_value=0.0).astype(np.float64)

    ds_loc = [ds.location for ds in estate.datasets]
    wl_loc = [wl.location for wl in estate.workloads]
    frame["datasets"] = total(ds_loc, [1.0] * len(ds_loc)).astype(np.int64)
    frame["size_gb"] = total(ds_loc, [point(ds.size_gb) for ds in estate.datasets])
    frame["workloads"] = total(wl_loc, [1.0] * len(wl_loc)).astype(np.int64)
    frame["compute_usd_per_month"] = total(
        wl_loc, [point(wl.compute_usd_per_month) for wl in estate.workloads]
    )
    flows = [
        (wl.location, where[f.dataset], d, point(f.gb_per_month))
        for wl, d, f in estate.iter_flows()
    ]
    reads = [f for f in flows if f[2] == "read"]
    writes = [f for f in flows if f[2] == "write"]
    frame["read_gb_per_month"] = total([f[1] for f in reads], [f[3] for f in reads])
    frame["written_gb_per_month"] = total([f[1] for f in writes], [f[3] for f in writes])
    crossing = [f for f in flows if f[0] != f[1]]
    frame["cross_location_gb_per_month"] = total(
        [f[1] if f[2] == "read" else f[0] for f in crossing], [f[3] for f in crossing]
    )
    frame["internet_egress_gb_per_month"] = total(
        wl_loc, [point(wl.internet_egress_gb_per_month) for wl in estate.workloads]
    )
    return frame


def by_provider(inventory_frame: pd.DataFrame) -> pd.DataFrame:
    """Sum an :func:`inventory` table by provider, with a ``locations`` count.

    Examples
    --------
    >>> from exitcost.estate import sample_estate
    >>> table = by_provider(inventory(sample_estate()))
    >>> list(table.index)
    ['aws', 'azure', 'colo', 'edge', 'onprem']
    """
    grouped = inventory_frame.groupby("provider", sort=True)
    table = grouped[list(INVENTORY_SUMS)].sum()
    table.insert(0, "locations", grouped.size().astype(np.int64))
    return table
