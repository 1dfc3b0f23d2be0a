"""On-premises, colocation, edge and GPU ownership cost models, by job.

Every public name is importable from ``exitcost.facilities``.
"""

from exitcost.facilities.site import (
    HOURS_PER_MONTH,
    CostStreams,
    FacilityDefaults,
    FacilityParameter,
    cloud_costs,
    exit_comparison,
    gpu_break_even_utilisation,
    gpu_break_even_utilisation_at,
    gpu_cloud_usd_per_gpu_hour,
    gpu_owned_usd_per_month,
    gpu_usd_per_gpu_hour,
    hardware_purchase_schedule,
    load_facility_defaults,
    owned_site_costs,
    site_costs,
    size_site,
)

__all__ = [
    "HOURS_PER_MONTH",
    "CostStreams",
    "FacilityDefaults",
    "FacilityParameter",
    "cloud_costs",
    "exit_comparison",
    "gpu_break_even_utilisation",
    "gpu_break_even_utilisation_at",
    "gpu_cloud_usd_per_gpu_hour",
    "gpu_owned_usd_per_month",
    "gpu_usd_per_gpu_hour",
    "hardware_purchase_schedule",
    "load_facility_defaults",
    "owned_site_costs",
    "site_costs",
    "size_site",
]
