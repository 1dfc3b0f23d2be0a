"""The result type of the facility models: labelled monthly cost streams."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from exitcost.categories import COST_CATEGORIES, CostCategory
from exitcost.errors import InvalidParameterError, format_choices

__all__ = [
    "CostStreams",
]

FloatArray = npt.NDArray[np.float64]


# --------------------------------------------------------------------------------------------
# Cost streams
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostStreams:
    """Monthly cost components of one option, each a positive USD array ``(..., n_months)``.

    Attributes
    ----------
    option : str
        What the streams describe (``"colo"``, ``"cloud"``, ...).
    components_usd : Mapping[str, numpy.ndarray]
        Component name (ending in ``_usd``) to its monthly costs; all the same shape.
    categories : Mapping[str, str]
        Component name to its cost category (:data:`exitcost.categories.COST_CATEGORIES`).
    assumptions : Mapping[str, float]
        Scalar parameter values the model used (defaults included), for the record.
    """

    option: str
    components_usd: Mapping[str, FloatArray]
    categories: Mapping[str, CostCategory]
    assumptions: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        shapes = {np.shape(v) for v in self.components_usd.values()}
        if len(shapes) != 1 or set(self.categories) != set(self.components_usd):
            raise InvalidParameterError(
                f"The components of CostStreams {self.option!r} must share one shape and each "
                f"have a category. Got shapes {sorted(shapes)} and categories for "
                f"{sorted(self.categories)}."
            )
        bad = {k: c for k, c in self.categories.items() if c not in COST_CATEGORIES}
        if bad:
            raise InvalidParameterError(
                f"The categories of CostStreams {self.option!r} must be among "
                f"{format_choices(COST_CATEGORIES)}. Got {bad!r} instead."
            )

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of every component: scenario axes, then months."""
        return tuple(np.shape(next(iter(self.components_usd.values()))))

    @property
    def months(self) -> int:
        """Length of the months axis."""
        return self.shape[-1]

    def total_usd(self) -> FloatArray:
        """Sum of all components per month, shape ``(..., n_months)``. [USD]"""
        return np.asarray(sum(self.components_usd.values()), dtype=np.float64)

    def cash_flow_usd(self) -> FloatArray:
        """The costs as signed cash flows (outflows negative). [USD]"""
        return -self.total_usd()

    def by_category_usd(self) -> dict[str, FloatArray]:
        """Monthly costs summed per cost category, in the order of ``COST_CATEGORIES``."""
        out: dict[str, FloatArray] = {}
        for category in COST_CATEGORIES:
            parts = [v for k, v in self.components_usd.items() if self.categories[k] == category]
            if parts:
                out[category] = np.asarray(sum(parts), dtype=np.float64)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Components and ``total_usd`` as columns, one row per month (and scenario).

        Without scenario axes the index is ``month``; with them it is a MultiIndex
        (``scenario``, ``month``) over the flattened scenarios.
        """
        months = self.months
        lead = self.shape[:-1]
        data = {k: np.reshape(v, -1) for k, v in self.components_usd.items()}
        data["total_usd"] = np.reshape(self.total_usd(), -1)
        if not lead:
            index: pd.Index = pd.RangeIndex(months, name="month")
        else:
            n = int(np.prod(lead))
            index = pd.MultiIndex.from_product(
                [range(n), range(months)], names=["scenario", "month"]
            )
        return pd.DataFrame(data, index=index)
