"""Parameters of the facility models: checked arrays, filled from the defaults where None."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from exitcost._validation import as_array
from exitcost.errors import InvalidParameterError

__all__ = [
    "Params",
    "full_array",
    "month_axis",
    "param",
]

FloatArray = npt.NDArray[np.float64]


def param(
    value: Any,
    default: float | None,
    used: dict[str, float],
    *,
    name: str,
    func: str,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
) -> FloatArray:
    """A parameter as a checked array, filled with its sourced ``default`` where None."""
    if value is None:
        if default is None:
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} has no sourced default and must be given."
            )
        value = default
    arr = as_array(
        value,
        name=name,
        func=func,
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_minimum,
    )
    if arr.ndim == 0:
        used[name] = float(arr)
    return arr


class Params:
    """:func:`param` bound to one model call's name and record of values used.

    ``used`` collects the scalar values (for :attr:`CostStreams.assumptions`).
    """

    def __init__(self, func: str) -> None:
        self.func = func
        self.used: dict[str, float] = {}

    def __call__(self, value: Any, default: float | None, name: str, **bounds: Any) -> FloatArray:
        return param(value, default, self.used, name=name, func=self.func, **bounds)


def month_axis(*arrays: FloatArray, months: int, func: str) -> tuple[int, ...]:
    try:
        lead = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise InvalidParameterError(
            f"The array parameters of {func} must broadcast together (one value per scenario). "
            f"Got shapes {[a.shape for a in arrays]} instead."
        ) from None
    return (*lead, months)


def full_array(value: Any, shape: tuple[int, ...]) -> FloatArray:
    """``value`` as a writeable float64 array of ``shape``, copied only to broadcast or convert.

    For results the models computed themselves (no caller's array is handed back).
    """
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape == shape and arr.flags.writeable and arr.flags.c_contiguous:
        return arr
    return np.broadcast_to(arr, shape).copy()
