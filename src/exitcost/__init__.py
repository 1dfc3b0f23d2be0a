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
