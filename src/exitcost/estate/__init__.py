"""The estate: what a company runs where, validated, with YAML/JSON/DataFrame I/O.

The names below are imported when first used, so ``exitcost.estate.model`` loads without pandas.

Examples
--------
>>> from exitcost.estate import sample_estate, inventory
>>> estate = sample_estate()
>>> estate.providers
('aws', 'azure', 'colo', 'edge', 'onprem')
>>> int(inventory(estate)["datasets"].sum()) == len(estate.datasets)
True
"""

from typing import TYPE_CHECKING

from exitcost._lazy import attach

if TYPE_CHECKING:
    from exitcost.estate.frames import TABLE_COLUMNS, estate_from_frames, estate_to_frames
    from exitcost.estate.inventory import by_provider, inventory
    from exitcost.estate.io import estate_from_dict, read_estate
    from exitcost.estate.model import (
        COMMITMENTS,
        CONTINENTS,
        CONTRACT_KINDS,
        DATASET_STORAGE_CLASSES,
        HOURS_PER_MONTH,
        LOCATION_KINDS,
        SITE_KINDS,
        STRATEGIES,
        WORKLOAD_KINDS,
        Capacity,
        ComputeUse,
        Contract,
        Dataset,
        Estate,
        Flow,
        Location,
        ServiceUse,
        Team,
        Workload,
    )
    from exitcost.estate.sample import sample_estate

__all__ = [
    # Models
    "Estate",
    "Location",
    "Capacity",
    "Dataset",
    "Workload",
    "Flow",
    "ServiceUse",
    "ComputeUse",
    "Contract",
    "Team",
    # I/O
    "estate_from_dict",
    "estate_from_frames",
    "estate_to_frames",
    "read_estate",
    "TABLE_COLUMNS",
    # Sample and views
    "sample_estate",
    "inventory",
    "by_provider",
    # Vocabularies and conventions
    "COMMITMENTS",
    "CONTINENTS",
    "CONTRACT_KINDS",
    "DATASET_STORAGE_CLASSES",
    "HOURS_PER_MONTH",
    "LOCATION_KINDS",
    "SITE_KINDS",
    "STRATEGIES",
    "WORKLOAD_KINDS",
]

if not TYPE_CHECKING:  # type checkers read the imports above
    __getattr__, __dir__ = attach(__name__, __file__)
