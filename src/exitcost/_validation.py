"""Shared input checks for the array kernels (private).

Kernels follow the ufunc contract: they accept a scalar, a numpy array or a pandas Series, and
return the same kind (a float for a scalar, an array of the same shape for an array, a Series
with the same index for a Series). :func:`as_array` checks the values once, at the edge, so the
kernel body never sees NaN, infinity or a negative volume; :func:`wrap_like` gives the result the
caller's type back.
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt

from exitcost.errors import InvalidParameterError, format_choices, short_repr

__all__ = [
    "MAX_RATE",
    "MAX_SIZE_GB",
    "MAX_USD",
    "MAX_USD_PER_GB",
    "as_array",
    "as_rate",
    "check_bool",
    "check_known_ids",
    "check_scalar",
    "check_whole",
    "first_bad",
    "match_labels",
    "renamed_parameters",
    "warn_user",
    "wrap_like",
]

FloatArray = npt.NDArray[np.float64]
_P = ParamSpec("_P")
_R = TypeVar("_R")

# Plausible ranges at the edge. Beyond them an input is a typo or a unit mistake (a percentage
# for a decimal, bytes for GB), and arithmetic on it would leave float range.
MAX_SIZE_GB = float(2**30)
"""Largest plausible single size or monthly volume: 1 EB (2**30 billing GB). [GB]"""
MAX_USD_PER_GB = 1_000.0
"""Highest plausible price per GB (transfer, storage or retrieval). [USD/GB]"""
MAX_USD = 1e12
"""Largest plausible single amount of money (a monthly spend, a fee, a contract). [USD]"""
MAX_RATE = 1.0
"""Highest rate accepted as a decimal (1 = 100 %); a larger one is most likely a percentage."""

_PACKAGE_DIR = str(Path(__file__).resolve().parent)


def _pandas() -> Any:
    """pandas if it is imported, else None: a value cannot be a pandas object before then.

    The estate model imports this module, and importing pandas for it would double the start-up
    time of ``exitcost --version`` and of reading an estate.
    """
    return sys.modules.get("pandas")


def first_bad(mask: npt.NDArray[np.bool_]) -> tuple[tuple[int, ...], str]:
    """Index of the first True of ``mask``, and `` at index (i, ...)`` to name it in a message.

    The text is empty for a 0-d mask (a scalar input has no index to name).

    Examples
    --------
    >>> first_bad(np.array([[False, False], [False, True]]))
    ((1, 1), ' at index (1, 1)')
    >>> first_bad(np.array(True))
    ((), '')
    """
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index, f" at index {index}" if mask.ndim else ""


def check_known_ids(
    keys: Iterable[str], ids: Sequence[str], *, name: str, func: str, entity: str, missing: str
) -> None:
    """Refuse keys of a mapping argument that are not among the ``entity`` ``ids``, listing these.

    Examples
    --------
    >>> ids = ["web", "db"]
    >>> check_known_ids({"web": 1}, ids, name="rates", func="f", entity="workload", missing="")
    >>> check_known_ids({"wbe": 1}, ids, name="rates", func="f", entity="workload",
    ...                 missing="that are not in the estate")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'rates' parameter of f names workloads that are ...
    """
    known = set(ids)
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} names {entity}s {missing}: "
            f"{format_choices(unknown)}. Valid {entity} ids: {format_choices(ids)}."
        )


def match_labels(value: Any, template: Any, *, name: str, template_name: str, func: str) -> Any:
    """``value`` (a Series or DataFrame) reindexed to the index labels of ``template``.

    Labelled inputs are matched by label, not by position, as pandas users expect; labels that
    do not match one to one are an error rather than a silent misalignment.

    Examples
    --------
    >>> import pandas as pd
    >>> rates = pd.Series([0.1, 0.2], index=["b", "a"])
    >>> match_labels(rates, pd.Series([1.0, 2.0], index=["a", "b"]), name="rates",
    ...              template_name="sizes", func="f").tolist()
    [0.2, 0.1]
    """
    if value.index.equals(template.index):
        return value
    labels, wanted = value.index, template.index
    if not (labels.is_unique and wanted.is_unique) or set(labels) != set(wanted):
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must have the same (unique) index labels as the "
            f"rows of {template_name!r}, to be matched label by label. Got labels "
            f"{short_repr(list(labels))} for {template_name!r} labels "
            f"{short_repr(list(wanted))} instead."
        )
    return value.reindex(wanted)


def _describe_bad(values: FloatArray, mask: npt.NDArray[np.bool_]) -> str:
    index, where = first_bad(mask)
    return f"{float(values[index])!r}{where}"


def as_array(
    value: Any,
    *,
    name: str,
    func: str,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
    allow_nan: bool = False,
) -> FloatArray:
    """Convert ``value`` to a float64 array and check its domain.

    Parameters
    ----------
    value : numeric
        Scalar, array-like or pandas Series.
    name, func : str
        Parameter and function names, used in the error message.
    minimum, maximum : float or None
        Inclusive bounds (``None`` for none). Infinity is always rejected.
    exclusive_minimum : bool
        Make ``minimum`` exclusive.
    allow_nan : bool
        Let NaN through (for kernels that document a NaN meaning).

    Returns
    -------
    numpy.ndarray
        A float64 array (0-d for a scalar).

    Raises
    ------
    InvalidParameterError
        Non-numeric input, NaN, infinity, or a value outside the bounds.

    Examples
    --------
    >>> as_array([1, 2.5], name="volume_gb", func="egress_cost")
    array([1. , 2.5])
    >>> as_array(-1, name="volume_gb", func="egress_cost")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'volume_gb' parameter of egress_cost must be >= 0...
    """
    pd = _pandas()
    if pd is not None and isinstance(value, pd.DataFrame | pd.Series):
        raw: Any = value.to_numpy()
    else:
        raw = value
    if isinstance(raw, np.ma.MaskedArray):
        if np.ma.getmaskarray(raw).any():
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must not have masked values; fill or drop "
                f"them first. Got {short_repr(value)} instead."
            )
        raw = raw.data
    try:
        kind = np.asarray(raw).dtype.kind
        not_numbers = kind in "bUSMmcV" or raw is None
        if kind == "O":
            not_numbers = any(
                v is None or isinstance(v, str | bytes | bool | np.bool_ | complex)
                for v in np.asarray(raw).ravel()
            )
        if not not_numbers:
            arr = np.asarray(raw, dtype=np.float64)
    except OverflowError:  # an integer beyond the float range
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be finite; it holds a number beyond the "
            f"float range ({sys.float_info.max:g}). Got {short_repr(value)} instead."
        ) from None
    except (TypeError, ValueError):
        not_numbers = True
    if not_numbers:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be numeric (a real number, an array or a "
            f"pandas Series of real numbers). Got {short_repr(value)} instead."
        )
    if arr.size == 0:
        return arr
    nan = np.isnan(arr)
    if not allow_nan and nan.any():
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must not be NaN. Got {_describe_bad(arr, nan)} "
            "instead; fill or drop missing values first."
        )
    inf = np.isinf(arr)
    if inf.any():
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be finite. "
            f"Got {_describe_bad(arr, inf)} instead."
        )
    if minimum is not None:
        low = (arr <= minimum) if exclusive_minimum else (arr < minimum)
        if low.any():
            op = ">" if exclusive_minimum else ">="
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must be {op} {minimum:g}. "
                f"Got {_describe_bad(arr, low)} instead."
            )
    if maximum is not None:
        high = arr > maximum
        if high.any():
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must be <= {maximum:g}. "
                f"Got {_describe_bad(arr, high)} instead."
            )
    return arr


def as_rate(value: Any, *, name: str, func: str) -> FloatArray:
    """Check a rate given as a decimal: > -1 and at most :data:`MAX_RATE` (100 %).

    A rate above 1 (8 for 8 %) is refused with the decimal to write instead.

    Examples
    --------
    >>> as_rate(0.08, name="rate_per_period", func="npv")
    array(0.08)
    >>> as_rate(8, name="rate_per_period", func="npv")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'rate_per_period' parameter of npv must be a ...
    """
    arr = as_array(value, name=name, func=func, minimum=-1.0, exclusive_minimum=True)
    high = arr > MAX_RATE
    if high.any():
        worst = float(arr[high].flat[0])
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a decimal > -1 and <= {MAX_RATE:g}; "
            f"{worst:g} looks like a percentage: write {worst / 100:g} for {worst:g} %. "
            f"Got {_describe_bad(arr, high)} instead."
        )
    return arr


def check_scalar(
    value: Any,
    *,
    name: str,
    func: str,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
) -> float:
    """Check one number and return it as a float (same rules as :func:`as_array`).

    Examples
    --------
    >>> check_scalar(3, name="months", func="f")
    3.0
    """
    arr = as_array(
        value,
        name=name,
        func=func,
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_minimum,
    )
    if arr.ndim != 0:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a single number. Got {value!r} instead."
        )
    return float(arr)


def check_whole(value: Any, *, name: str, func: str, minimum: float = 0.0, unit: str = "") -> int:
    """Check a whole number >= ``minimum`` (a count of months, periods, ...) and return it.

    Examples
    --------
    >>> check_whole(3.0, name="months", func="f", minimum=1)
    3
    >>> check_whole(2.5, name="months", func="f", minimum=1, unit="months")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'months' parameter of f must be a whole number ...
    """
    number = check_scalar(value, name=name, func=func, minimum=minimum)
    if number != int(number):
        what = f"a whole number of {unit}" if unit else "a whole number"
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be {what} >= {minimum:g}. "
            f"Got {value!r} instead."
        )
    return int(number)


def check_bool(value: Any, *, name: str, func: str) -> bool:
    """Check a flag: only ``True`` or ``False`` (numpy booleans too), never a truthy string.

    Examples
    --------
    >>> check_bool(True, name="exit_waiver", func="exit_bill")
    True
    >>> check_bool("no", name="exit_waiver", func="exit_bill")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'exit_waiver' parameter of exit_bill must be True...
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise InvalidParameterError(
        f"The {name!r} parameter of {func} must be True or False... {short_repr(value)} instead."
    )


def wrap_like(template: Any, result: FloatArray, *, allow_inf: bool = False) -> Any:
    """Return ``result`` as the same kind of object as ``template``, after checking it is finite.

    A scalar template gives a Python float, a Series gives a Series with the same index and name,
    a DataFrame a DataFrame with the same labels, anything else a numpy array. A result that
    is NaN or infinite (inputs so large that the arithmetic left float range) is an error,
    never a number; ``allow_inf=True`` lets infinity through for a kernel that documents it
    (a route's cost beyond a link's capacity).

    Raises
    ------
    InvalidParameterError
        ``result`` holds NaN or infinity.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> wrap_like(2.0, np.asarray(4.0))
    4.0
    >>> wrap_like(pd.Series([1.0], index=["a"], name="gb"), np.array([2.0]))
    a    2.0
    Name: gb, dtype: float64
    """
    result = np.asarray(result, dtype=np.float64)
    bad = np.isnan(result) if allow_inf else ~np.isfinite(result)
    if bad.any():
        raise InvalidParameterError(
            "The inputs are too large to give a finite result (the arithmetic leaves the float "
            f"range, {sys.float_info.max:g}); check their units. Got "
            f"{_describe_bad(result, bad)} as a result for the input {short_repr(template)}."
        )
    pd = _pandas()
    if pd is not None and isinstance(template, pd.Series):
        return pd.Series(result, index=template.index, name=template.name)
    if pd is not None and isinstance(template, pd.DataFrame):
        return pd.DataFrame(result, index=template.index, columns=template.columns)
    if np.ndim(template) == 0 and not isinstance(template, np.ndarray):
        return float(result)
    return result


def warn_user(message: str, category: type[Warning]) -> None:
    """Emit a warning attributed to the first caller frame outside exitcost."""
    frame = sys._getframe(1)
    level = 2
    while frame.f_back is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(
        _PACKAGE_DIR
    ):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def renamed_parameters(**new_by_old: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Keep a renamed keyword working for one release, with a :class:`FutureWarning`.

    ``@renamed_parameters(months="horizon_months")`` lets callers still write ``months=``: the
    value is passed on as ``horizon_months`` and the warning names both. Giving both names is
    an error.

    Examples
    --------
    >>> @renamed_parameters(months="horizon_months")
    ... def f(*, horizon_months: int) -> int:
    ...     return horizon_months
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     f(months=3), str(caught[0].message)
    (3, "The 'months' parameter of f is now 'horizon_months'; 'months' will be removed ...")
    >>> f(months=3, horizon_months=4)
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: The 'months' parameter of f is the old name of ...
    """

    def rename(func: Callable[_P, _R]) -> Callable[_P, _R]:
        name = func.__qualname__

        @functools.wraps(func)
        def renamed(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            for old, new in new_by_old.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise InvalidParameterError(
                        f"The {old!r} parameter of {name} is the old name of {new!r}: give "
                        f"only {new!r}. Got both."
                    )
                warn_user(
                    f"The {old!r} parameter of {name} is now {new!r}; {old!r} will be removed "
                    "in the next release.",
                    FutureWarning,
                )
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return renamed

    return rename
