"""exitcost: what it costs to leave a cloud provider, to stay, or to split an estate.

Import it once in a notebook::

    import exitcost as xc

The top level holds the nouns a notebook needs, grouped in ``__all__``: the compiled model and
the engine, the estate, price books, the cost graph, FOCUS billing exports, a few headline
functions, and the main errors. Everything else (the kernels, finance, facilities, effort,
uncertainty) is reached by submodule: ``xc.pricing.storage_cost``, ``xc.finance.npv``,
``xc.effort.estimate_effort``, ``xc.facilities.owned_site_costs``.

Names are imported when first used (see :mod:`exitcost._lazy`), so ``import exitcost`` is quick
and a script pays only for what it uses. A name that has moved to a submodule still works for one
release, with a :class:`FutureWarning` saying where it lives now.

Examples
--------
>>> import exitcost as xc
>>> len(xc.__all__) <= 45
True
>>> xc.format_usd(1234.5)
'$1,234.50'
"""

from typing import TYPE_CHECKING

from exitcost._lazy import attach
from exitcost._version import __version__

if TYPE_CHECKING:
    from exitcost.baseline import baseline_cost
    from exitcost.case import ExitCase, exit_case
    from exitcost.checks import check_estate
    from exitcost.engine import Plan, Simulation, sample_plans, simulate
    from exitcost.errors import (
        EstateError,
        ExitcostError,
        ExitcostWarning,
        InvalidParameterError,
        PriceBookError,
        PriceLimitError,
        UnknownLocationError,
    )
    from exitcost.estate import (
        Contract,
        Dataset,
        Estate,
        Location,
        Team,
        Workload,
        inventory,
        sample_estate,
    )
    from exitcost.graph import CostGraph, Route, gravity
    from exitcost.ingest import focus_baseline, read_focus
    from exitcost.model import Model, compile
    from exitcost.pricing import (
        PriceBook,
        PricingPolicy,
        data_exit_cost,
        egress_cost,
        load_price_book,
        pricing_policy,
        providers,
        register_price_book,
        use_price_books,
    )
    from exitcost.units import format_usd, parse_size_gb

__all__ = (
    # Version
    "__version__",
    # The compiled model and the engine: plans simulated month by month over many futures
    "compile",
    "Model",
    "Plan",
    "sample_plans",
    "simulate",
    "Simulation",
    # The estate: what runs where, what data sits where, what flows between them
    "Estate",
    "Location",
    "Dataset",
    "Workload",
    "Contract",
    "Team",
    "sample_estate",
    "check_estate",
    "inventory",
    # Price books and the pricing policy
    "PriceBook",
    "load_price_book",
    "providers",
    "register_price_book",
    "use_price_books",
    "PricingPolicy",
    "pricing_policy",
    # The cost graph and data gravity
    "CostGraph",
    "Route",
    "gravity",
    # FOCUS billing exports
    "read_focus",
    "focus_baseline",
    # Headline answers: the exit case (a view of the engine), the stay cost, egress, units
    "exit_case",
    "ExitCase",
    "baseline_cost",
    "egress_cost",
    "data_exit_cost",
    "parse_size_gb",
    "format_usd",
    # Errors and warnings
    "ExitcostError",
    "ExitcostWarning",
    "InvalidParameterError",
    "EstateError",
    "PriceBookError",
    "PriceLimitError",
    "UnknownLocationError",
)

_SUBMODULES = (
    "baseline", "case", "categories", "checks", "effort", "engine", "errors", "estate",
    "facilities", "finance", "graph", "ingest", "model", "pricing", "report", "summary",
    "uncertainty", "units",
)  # fmt: skip
"""Submodules reachable as attributes of the package before they are imported."""

_MOVED: dict[str, str] = {
    name: module
    for module, names in {
        "exitcost.baseline": "baseline_by_provider baseline_summary",
        "exitcost.effort": (
            "Catalog estate_lock_in estimate_effort exit_bill_lines exit_scope exit_windows "
            "ExitScope fits_window load_catalog minimum_spend_shortfall_usd plan_schedule "
            "programme_end_month required_bandwidth_gbps sample_effort sample_programme "
            "schedule_summary stranded_by_exit_month stranded_commitments transfer_days"
        ),
        "exitcost.errors": (
            "CatalogError DefaultAssumptionWarning ExtrapolationWarning NoRouteError "
            "NoSolutionError Problem UnknownProviderError UnknownServiceError"
        ),
        "exitcost.estate": "by_provider Capacity ComputeUse Flow ServiceUse",
        "exitcost.facilities": (
            "cloud_costs CostStreams exit_comparison FacilityDefaults "
            "gpu_break_even_utilisation gpu_break_even_utilisation_at "
            "gpu_cloud_usd_per_gpu_hour gpu_owned_usd_per_month gpu_usd_per_gpu_hour "
            "hardware_purchase_schedule load_facility_defaults owned_site_costs site_costs "
            "size_site"
        ),
        "exitcost.finance": (
            "annuity_payment break_even_month declining_balance_depreciation discount_factors "
            "discounted_payback_month irr npv payback_month rate_per_month_from_annual "
            "rate_per_year_from_monthly straight_line_depreciation tco"
        ),
        "exitcost.graph": (
            "break_even_volumes CompiledGraph Gravity top_gravity_pulls TransferOption"
        ),
        "exitcost.pricing": (
            "account_egress_cost book_dates book_provenance check_estate_locations "
            "check_estate_storage ComputeUnitPrices data_act_phase exit_bill "
            "exit_bill_by_provider exit_programme registered_price_books retrieval_cost "
            "storage_cost tiered_cost TierSchedule transfer_price TransferPrice "
            "unregister_price_book waiver_applies waiver_availability WaiverAvailability"
        ),
        "exitcost.summary": "exit_cost_summary",
        "exitcost.uncertainty": (
            "bounds Normal parse_distribution Pert point sample Triangular Uniform"
        ),
        "exitcost.units": "format_size round_money",
    }.items()
    for name in names.split()
}
"""Names that left the top level, and the submodule each lives in now (kept for one release)."""

if not TYPE_CHECKING:  # type checkers read the imports above
    __getattr__, __dir__ = attach(__name__, __file__, _SUBMODULES, _MOVED)
