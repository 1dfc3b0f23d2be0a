"""The bundled sample estate: a fictional mid-size company, for demos, tests and notebooks.

The estate lives in ``data/estates/sample.yaml``; its header says what it represents and why its
numbers have the orders of magnitude they have.

Examples
--------
>>> estate = sample_estate()
>>> estate.name
'Northwind Retail (fictional)'
>>> len(estate.workloads) >= 20
True
"""

from __future__ import annotations

from functools import cache

from exitcost._resources import data_dir
from exitcost.estate.io import read_yaml
from exitcost.estate.model import Estate

__all__ = ["SAMPLE_ESTATE_FILE", "sample_estate"]

SAMPLE_ESTATE_FILE: str = "sample.yaml"
"""File name of the sample estate inside the bundled ``estates`` data folder."""


@cache
def sample_estate() -> Estate:
    """The bundled sample estate (loaded once; the model is immutable, so sharing it is safe).

    Returns
    -------
    Estate
        A fictional retailer on AWS with an Azure foothold, an on-premises data centre, a
        colocation cage and four edge sites, as of 2026-11-01.
    """
    return read_yaml(data_dir("estates") / SAMPLE_ESTATE_FILE)
