"""exitcost: what it costs to leave a cloud provider, to stay, or to split an estate.

Import it once in a notebook::

    import exitcost as xc

The public names are listed, grouped, in ``__all__``. They are imported when first used (see
:mod:`exitcost._lazy`), so ``import exitcost`` is quick and a script pays only for what it uses;
submodules (``exitcost.pricing``, ``exitcost.finance``, ...) are reached the same way.
"""

from typing import TYPE_CHECKING

from exitcost._lazy import attach
from exitcost._version import __version__

if TYPE_CHECKING:
    from exitcost.baseline import baseline_by_provider, baseline_cost, baseline_summary
    from exitcost.case import ExitCase, exit_case
    from exitcost.checks import check_estate
    from exitcost.effort import (
        Catalog,
        ExitScope,
        estate_lock_in,
        estimate_effort,
        exit_bill_lines,
        exit_scope,
        exit_windows,
        fits_window,
        load_catalog,
        minimum_spend_shortfall_usd,
        plan_schedule,
        programme_end_month,
        required_bandwidth_gbps,
        sample_effort,
        sample_programme,
        schedule_summary,
        stranded_by_exit_month,
        stranded_commitments,
        transfer_days,
    )
    from exitcost.engine import Plan, Simulation, sample_plans, simulate
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
    from exitcost.graph import (
        CompiledGraph,
        CostGraph,
        Gravity,
        Route,
        TransferOption,
        break_even_volumes,
        gravity,
        top_gravity_pulls,
    )
    from exitcost.model import Model, compile
    from exitcost.pricing import (
        ComputeUnitPrices,
        PriceBook,
        TierSchedule,
        TransferPrice,
        WaiverAvailability,
        account_egress_cost,
        book_dates,
        book_provenance,
        check_estate_locations,
        check_estate_storage,
        data_act_phase,
        data_exit_cost,
        egress_cost,
        exit_bill,
        exit_bill_by_provider,
        exit_programme,
        load_price_book,
        providers,
        register_price_book,
        registered_price_books,
        retrieval_cost,
        storage_cost,
        tiered_cost,
        transfer_price,
        unregister_price_book,
        use_price_books,
        waiver_applies,
        waiver_availability,
    )
    from exitcost.summary import exit_cost_summary
    from exitcost.uncertainty import (
        Normal,
        Pert,
        Triangular,
        Uniform,
        bounds,
        parse_distribution,
        point,
        sample,
    )
    from exitcost.units import format_size, format_usd, parse_size_gb, round_money

__all__ = (
    # Version
    "__version__",
    # The compiled model and the engine
    "Model",
    "Plan",
    "Simulation",
    "compile",
    "sample_plans",
    "simulate",
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
    "bounds",
    "point",
    "sample",
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
    # Price books and the egress kernel
    "ComputeUnitPrices",
    "PriceBook",
    "TierSchedule",
    "TransferPrice",
    "book_dates",
    "load_price_book",
    "providers",
    "register_price_book",
    "registered_price_books",
    "unregister_price_book",
    "use_price_books",
    "check_estate_locations",
    "check_estate_storage",
    "check_estate",
    "book_provenance",
    "tiered_cost",
    "transfer_price",
    "account_egress_cost",
    "data_exit_cost",
    "egress_cost",
    "retrieval_cost",
    "storage_cost",
    "exit_bill",
    "exit_bill_by_provider",
    # Exit programmes and regulation
    "data_act_phase",
    "exit_programme",
    "WaiverAvailability",
    "waiver_applies",
    "waiver_availability",
    # The cost graph, routing, data gravity and the baseline ("stay") cost
    "CompiledGraph",
    "CostGraph",
    "Route",
    "TransferOption",
    "break_even_volumes",
    "Gravity",
    "gravity",
    "top_gravity_pulls",
    "baseline_by_provider",
    "baseline_cost",
    "baseline_summary",
    # Re-platforming effort, lock-in, schedule, commitments and transfer time
    "Catalog",
    "ExitScope",
    "estate_lock_in",
    "estimate_effort",
    "exit_bill_lines",
    "exit_scope",
    "load_catalog",
    "sample_effort",
    "plan_schedule",
    "programme_end_month",
    "sample_programme",
    "schedule_summary",
    "exit_windows",
    "minimum_spend_shortfall_usd",
    "stranded_by_exit_month",
    "stranded_commitments",
    "fits_window",
    "required_bandwidth_gbps",
    "transfer_days",
    # The whole one-time exit bill of leaving a provider
    "exit_cost_summary",
    # Stay or leave over time: the exit case
    "ExitCase",
    "exit_case",
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
    "gpu_break_even_utilisation_at",
    "gpu_cloud_usd_per_gpu_hour",
    "gpu_owned_usd_per_month",
    "gpu_usd_per_gpu_hour",
    "hardware_purchase_schedule",
    "load_facility_defaults",
    "owned_site_costs",
    "site_costs",
    "size_site",
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

_SUBMODULES = (
    "baseline", "case", "categories", "checks", "effort", "engine", "errors", "estate",
    "facilities", "finance", "graph", "ingest", "model", "pricing", "report", "summary",
    "uncertainty", "units",
)  # fmt: skip
"""Submodules reachable as attributes of the package before they are imported."""

if not TYPE_CHECKING:  # type checkers read the imports above
    __getattr__, __dir__ = attach(__name__, __file__, _SUBMODULES)
