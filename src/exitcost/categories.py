"""The closed vocabularies shared by every module: cost categories and transfer classes.

Every cost breakdown exitcost returns uses these names, so that breakdowns from different
modules can be added up and every breakdown sums to its total.

Examples
--------
>>> "egress" in COST_CATEGORIES
True
>>> TRANSFER_CLASSES
('internet', 'inter_region', 'cross_zone', 'intra_region', 'interconnect')
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

__all__ = ["COST_CATEGORIES", "TRANSFER_CLASSES", "CostCategory", "TransferClass"]

CostCategory: TypeAlias = Literal[
    "compute",
    "storage",
    "egress",
    "retrieval",
    "requests",
    "early_deletion",
    "labour",
    "dual_running",
    "commitments",
    "capex",
    "onprem_opex",
]
COST_CATEGORIES: Final[tuple[str, ...]] = CostCategory.__args__  # type: ignore[attr-defined]
"""Cost categories, in the order reports show them."""

TransferClass: TypeAlias = Literal[
    "internet", "inter_region", "cross_zone", "intra_region", "interconnect"
]
TRANSFER_CLASSES: Final[tuple[str, ...]] = TransferClass.__args__  # type: ignore[attr-defined]
"""How a transfer is priced: to the internet (and other providers), between regions of one
provider, between zones of one region, inside one zone, or over a private interconnect."""
