"""On-premises, colocation, edge and GPU ownership cost models, split by job.

* :mod:`~exitcost.facilities.defaults`: the sourced defaults and their loader;
* :mod:`~exitcost.facilities.streams`: :class:`CostStreams`, the models' result;
* :mod:`~exitcost.facilities.site`: owned sites and cloud spend over time, and the stay-or-move
  comparison;
* :mod:`~exitcost.facilities.sizing`: an owned site sized from what the cloud runs;
* :mod:`~exitcost.facilities.gpu`: GPU ownership against cloud GPU-hours.

Every public name is importable from ``exitcost.facilities``.
"""

from exitcost.facilities.defaults import FacilityDefaults, FacilityParameter, load_facility_defaults
from exitcost.facilities.gpu import (
    gpu_break_even_utilisation,
    gpu_break_even_utilisation_at,
    gpu_cloud_usd_per_gpu_hour,
    gpu_owned_usd_per_month,
    gpu_usd_per_gpu_hour,
)
from exitcost.facilities.site import (
    cloud_costs,
    exit_comparison,
    hardware_purchase_schedule,
    owned_site_costs,
    site_costs,
)
from exitcost.facilities.sizing import size_site
from exitcost.facilities.streams import CostStreams
from exitcost.units import HOURS_PER_MONTH

__all__ = [
    "HOURS_PER_MONTH",
    # Sourced defaults
    "FacilityDefaults",
    "FacilityParameter",
    "load_facility_defaults",
    # The result
    "CostStreams",
    # Sites and cloud spend
    "cloud_costs",
    "exit_comparison",
    "hardware_purchase_schedule",
    "owned_site_costs",
    "site_costs",
    # Sizing
    "size_site",
    # GPUs
    "gpu_break_even_utilisation",
    "gpu_break_even_utilisation_at",
    "gpu_cloud_usd_per_gpu_hour",
    "gpu_owned_usd_per_month",
    "gpu_usd_per_gpu_hour",
]
