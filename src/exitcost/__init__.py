"""exitcost: what it costs to leave a cloud provider, to stay, or to split an estate.

Import it once in a notebook::

    import exitcost as xc

The public names are listed, grouped, in ``__all__``.
"""

from exitcost._version import __version__
from exitcost.errors import (
    CatalogError,
    DefaultAssumptionWarning,
    EstateError,
    ExitcostError,
    ExitcostWarning,
    ExtrapolationWarning,
    InvalidParameterError,
    NoRouteError,
    NoSolutionError,
    PriceBookError,
    PriceLimitError,
    Problem,
    UnknownLocationError,
    UnknownProviderError,
    UnknownServiceError,
)
from exitcost.estate import (
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
    by_provider,
    inventory,
    sample_estate,
)
from exitcost.facilities import (
    CostStreams,
    FacilityDefaults,
    cloud_costs,
    exit_comparison,
    gpu_break_even_utilisation,
    gpu_owned_usd_per_month,
    gpu_usd_per_gpu_hour,
    hardware_purchase_schedule,
    load_facility_defaults,
    site_costs,
)
from exitcost.finance import (
    annuity_payment,
    break_even_month,
    declining_balance_depreciation,
    discount_factors,
    discounted_payback_month,
    irr,
    npv,
    payback_month,
    rate_per_month_from_annual,
    rate_per_year_from_monthly,
    straight_line_depreciation,
    tco,
)
from exitcost.uncertainty import Normal, Pert, Triangular, Uniform, parse_distribution
from exitcost.units import format_size, format_usd, parse_size_gb, round_money

__all__ = (
    # Version
    "__version__",
    # Units and uncertainty
    "format_size",
    "format_usd",
    "parse_size_gb",
    "round_money",
    "Normal",
    "Pert",
    "Triangular",
    "Uniform",
    "parse_distribution",
    # The estate: what runs where, what data sits where, what flows between them
    "Estate",
    "Capacity",
    "ComputeUse",
    "Contract",
    "Dataset",
    "Flow",
    "Location",
    "ServiceUse",
    "Team",
    "Workload",
    "by_provider",
    "inventory",
    "sample_estate",
    # Finance: discounting, returns, payback, depreciation
    "annuity_payment",
    "break_even_month",
    "declining_balance_depreciation",
    "discount_factors",
    "discounted_payback_month",
    "irr",
    "npv",
    "payback_month",
    "rate_per_month_from_annual",
    "rate_per_year_from_monthly",
    "straight_line_depreciation",
    "tco",
    # CapEx and OpEx: on-premises, colocation, cloud and GPU cost models
    "CostStreams",
    "FacilityDefaults",
    "cloud_costs",
    "exit_comparison",
    "gpu_break_even_utilisation",
    "gpu_owned_usd_per_month",
    "gpu_usd_per_gpu_hour",
    "hardware_purchase_schedule",
    "load_facility_defaults",
    "site_costs",
    # Exceptions and warnings
    "CatalogError",
    "DefaultAssumptionWarning",
    "EstateError",
    "ExitcostError",
    "ExitcostWarning",
    "ExtrapolationWarning",
    "InvalidParameterError",
    "NoRouteError",
    "NoSolutionError",
    "PriceBookError",
    "PriceLimitError",
    "Problem",
    "UnknownLocationError",
    "UnknownProviderError",
    "UnknownServiceError",
)
