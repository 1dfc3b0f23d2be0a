"""Uncertain numbers: distributions that become arrays of samples.

Any number in an estate or a model input that is not known exactly can be given as a
distribution instead of a float. A :data:`Quantity` is either a plain float or one of the
distributions below; :func:`point` gives its expected value and :func:`sample` draws a vector of
samples (the scenario axis), reproducibly from a seeded ``numpy.random.Generator``.

In YAML, JSON or a spreadsheet cell a distribution can be written as a mapping
(``{dist: pert, low: 10, mode: 20, high: 45}``) or as compact text (``"pert(10, 20, 45)"``).

Examples
--------
>>> import numpy as np
>>> d = parse_distribution("triangular(1, 2, 6)")
>>> d
Triangular(low=1.0, mode=2.0, high=6.0, dist='triangular')
>>> point(d)
3.0
>>> str(d)
'triangular(1, 2, 6)'
>>> sample(d, 4, np.random.default_rng(0)).shape
(4,)
>>> point(2.5), sample(2.5, 3, np.random.default_rng(0))
(2.5, array([2.5, 2.5, 2.5]))
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from exitcost.errors import InvalidParameterError

__all__ = [
    "Distribution",
    "Normal",
    "Pert",
    "Quantity",
    "Triangular",
    "Uniform",
    "bounds",
    "check_three_point_order",
    "parse_distribution",
    "pert_beta_shape",
    "point",
    "sample",
    "three_point_mean",
]

FloatArray = npt.NDArray[np.float64]


def _fmt(x: float) -> str:
    """Shortest text that parses back to exactly ``x``."""
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _check_span(low: float, high: float) -> None:
    """Reject bounds so far apart that ``high - low`` overflows (sampling would give infinity)."""
    if not math.isfinite(high - low):
        raise ValueError(f"needs high - low to be a finite number; got low={low:g}, high={high:g}")


def check_three_point_order(low: float, mode: float, high: float) -> None:
    """Raise ``ValueError`` (for a pydantic validator) unless ``low <= mode <= high``.

    Examples
    --------
    >>> check_three_point_order(1.0, 2.0, 4.0)
    >>> check_three_point_order(3.0, 2.0, 4.0)
    Traceback (most recent call last):
    ...
    ValueError: needs low <= mode <= high; got low=3, mode=2, high=4
    """
    if not low <= mode <= high:
        raise ValueError(
            f"needs low <= mode <= high; got low={low:g}, mode={mode:g}, high={high:g}"
        )


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    def mean(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def support(self) -> tuple[float, float]:  # pragma: no cover - overridden
        raise NotImplementedError

    def draw(self, n: int, rng: np.random.Generator) -> FloatArray:  # pragma: no cover
        raise NotImplementedError


class _ThreePoint(_Dist):
    low: float
    """Lowest plausible value."""
    mode: float
    """Most likely value."""
    high: float
    """Highest plausible value."""

    @model_validator(mode="after")
    def _ordered(self) -> _ThreePoint:
        check_three_point_order(self.low, self.mode, self.high)
        _check_span(self.low, self.high)
        return self

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def __str__(self) -> str:
        dist = getattr(self, "dist", type(self).__name__.lower())
        return f"{dist}({_fmt(self.low)}, {_fmt(self.mode)}, {_fmt(self.high)})"


class Triangular(_ThreePoint):
    """Triangular distribution on [low, high] with its peak at ``mode``."""

    dist: Literal["triangular"] = "triangular"

    def mean(self) -> float:
        # Each term divided first, so that bounds near the float limit cannot overflow.
        return self.low / 3.0 + self.mode / 3.0 + self.high / 3.0

    def draw(self, n: int, rng: np.random.Generator) -> FloatArray:
        if self.low == self.high:
            return np.full(n, self.low)
        return rng.triangular(self.low, self.mode, self.high, size=n)


def three_point_mean(low: Any, mode: Any, high: Any, lamb: float = 4.0) -> Any:
    """The PERT mean of three-point estimates, ``(low + lamb mode + high) / (lamb + 2)``.

    With the classic ``lamb = 4``: ``(low + 4 mode + high) / 6``. The one definition of the PERT
    mean in the package (the distributions, the effort model, the schedule and the catalog use
    it). No range checks: callers check their inputs. Near the top of float64, where the sum
    overflows while the mean does not, each term is divided first.

    Examples
    --------
    >>> three_point_mean(14.0, 20.0, 60.0)
    25.666666666666668
    >>> three_point_mean(np.array([1.0, 1e308]), np.array([2.0, 1e308]), np.array([6.0, 1e308]))
    array([2.5e+000, 1.0e+308])
    """
    weight = lamb + 2.0
    with np.errstate(over="ignore", invalid="ignore"):
        mean = (low + lamb * np.asarray(mode) + high) / weight
        scaled = np.asarray(low) / weight + np.asarray(mode) * (lamb / weight) + high / weight
    result = np.where(np.isfinite(mean), mean, scaled)
    return float(result) if result.ndim == 0 else result


def pert_beta_shape(low: Any, mode: Any, high: Any, lamb: float = 4.0) -> tuple[Any, Any]:
    """The beta distribution's shapes ``(alpha, beta)`` of PERT estimates on ``[low, high]``.

    ``alpha = 1 + lamb (mode - low) / (high - low)``, ``beta = 1 + lamb (high - mode) /
    (high - low)``; a PERT draw is ``low + (high - low) * Beta(alpha, beta)``. The one
    definition of that mapping (:class:`Pert` and :func:`exitcost.effort.sample_pert` draw
    through it). A zero-width range gets the shapes of a unit one (its draws are its value).

    Examples
    --------
    >>> pert_beta_shape(0.0, 1.0, 4.0)
    (2.0, 4.0)
    """
    span = np.asarray(high) - np.asarray(low)
    safe = np.where(span > 0, span, 1.0)
    alpha = 1.0 + lamb * (np.asarray(mode) - low) / safe
    beta = 1.0 + lamb * (high - np.asarray(mode)) / safe
    if np.ndim(alpha) == 0:
        return float(alpha), float(beta)
    return alpha, beta


class Pert(_ThreePoint):
    """PERT (beta) distribution: three-point estimate, mean (low + 4 mode + high) / 6.

    The shape weight ``lamb`` is 4 in the classic PERT; larger values concentrate the
    distribution around the mode.
    """

    dist: Literal["pert"] = "pert"
    lamb: float = Field(default=4.0, gt=0)
    """Shape weight of the mode (4 for classic PERT)."""

    def mean(self) -> float:
        return float(three_point_mean(self.low, self.mode, self.high, self.lamb))

    def draw(self, n: int, rng: np.random.Generator) -> FloatArray:
        span = self.high - self.low
        if span == 0:
            return np.full(n, self.low)
        alpha, beta = pert_beta_shape(self.low, self.mode, self.high, self.lamb)
        out: FloatArray = self.low + span * rng.beta(alpha, beta, size=n)
        return out

    def __str__(self) -> str:
        base = super().__str__()
        return base if self.lamb == 4.0 else f"{base[:-1]}, lamb={_fmt(self.lamb)})"


class Uniform(_Dist):
    """Uniform distribution on [low, high]."""

    dist: Literal["uniform"] = "uniform"
    low: float
    """Lower bound."""
    high: float
    """Upper bound."""

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"needs low <= high; got low={self.low:g}, high={self.high:g}")
        _check_span(self.low, self.high)
        return self

    def mean(self) -> float:
        return self.low / 2.0 + self.high / 2.0

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def draw(self, n: int, rng: np.random.Generator) -> FloatArray:
        return rng.uniform(self.low, self.high, size=n)

    def __str__(self) -> str:
        return f"uniform({_fmt(self.low)}, {_fmt(self.high)})"


class Normal(_Dist):
    """Normal distribution with mean ``mu`` and standard deviation ``sd``, optionally truncated."""

    dist: Literal["normal"] = "normal"
    mu: float
    """Mean before truncation."""
    sd: float = Field(ge=0)
    """Standard deviation before truncation."""
    low: float | None = None
    """Optional lower truncation bound."""
    high: float | None = None
    """Optional upper truncation bound."""

    @model_validator(mode="after")
    def _ordered(self) -> Normal:
        if self.low is not None and self.high is not None and self.low >= self.high:
            raise ValueError(f"needs low < high; got low={self.low:g}, high={self.high:g}")
        return self

    def support(self) -> tuple[float, float]:
        return (
            -math.inf if self.low is None else self.low,
            math.inf if self.high is None else self.high,
        )

    def _truncated(self) -> Any:
        """The scipy distribution, or None where it has no spread (``sd`` of 0).

        A side without a bound is an infinite standard bound, which scipy's ``truncnorm``
        handles (both sides unbounded is the plain normal).
        """
        from scipy import stats

        if self.sd == 0:
            return None
        lo, hi = self.support()
        with np.errstate(all="ignore"):
            a = (np.float64(lo) - self.mu) / np.float64(self.sd)
            b = (np.float64(hi) - self.mu) / np.float64(self.sd)
        return stats.truncnorm(a, b, self.mu, self.sd)

    def _degenerate_value(self) -> float:
        lo, hi = self.support()
        return min(max(self.mu, lo), hi)

    def mean(self) -> float:
        dist = self._truncated()
        if dist is None:
            return self._degenerate_value()
        with np.errstate(all="ignore"):
            value = float(dist.mean())
        # A spread negligible next to the bounds (or a window far in a tail) can defeat scipy's
        # arithmetic; the distribution is then a point at the nearest admissible value.
        return value if math.isfinite(value) else self._degenerate_value()

    def draw(self, n: int, rng: np.random.Generator) -> FloatArray:
        dist = self._truncated()
        if dist is None:
            return np.full(n, self._degenerate_value())
        with np.errstate(all="ignore"):
            draws = np.asarray(dist.rvs(size=n, random_state=rng), dtype=np.float64)
        if not np.isfinite(draws).all():
            return np.full(n, self._degenerate_value())
        lo, hi = self.support()
        return np.clip(draws, lo, hi)

    def __str__(self) -> str:
        extra = "".join(
            f", {k}={_fmt(v)}" for k, v in (("low", self.low), ("high", self.high)) if v is not None
        )
        return f"normal({_fmt(self.mu)}, {_fmt(self.sd)}{extra})"


_KINDS: dict[str, type[_Dist]] = {
    "triangular": Triangular,
    "pert": Pert,
    "uniform": Uniform,
    "normal": Normal,
}
_POSITIONAL = {
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "normal": ("mu", "sd"),
}
_CALL_RE = re.compile(r"^\s*(?P<kind>[a-z]+)\s*\((?P<args>[^()]*)\)\s*$")
_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_ARG_RE = re.compile(rf"^\s*(?:(?P<key>[a-z]+)\s*=\s*)?(?P<num>{_NUM})\s*$")


def parse_distribution(text: str) -> Distribution:
    """Parse compact text such as ``"pert(10, 20, 45)"`` into a distribution (no code runs).

    Raises
    ------
    InvalidParameterError
        Unknown kind, wrong number of arguments, non-numbers or unordered bounds.

    Examples
    --------
    >>> parse_distribution("normal(0.02, 0.01, low=0)")
    Normal(dist='normal', mu=0.02, sd=0.01, low=0.0, high=None)
    >>> parse_distribution("beta(1, 2)")
    Traceback (most recent call last):
    ...
    exitcost.errors.InvalidParameterError: Distribution 'beta(1, 2)': kind 'beta' is not one of ...
    """
    if not isinstance(text, str):
        raise InvalidParameterError(
            f"Distribution text must be a string such as 'pert(10, 20, 45)'. Got {text!r} of "
            f"type {type(text).__name__} instead."
        )
    match = _CALL_RE.match(text)
    if match is None:
        raise InvalidParameterError(
            f"Distribution {text!r} must look like 'pert(low, mode, high)', "
            "'triangular(low, mode, high)', 'uniform(low, high)' or 'normal(mu, sd)'."
        )
    kind = match["kind"]
    if kind not in _KINDS:
        raise InvalidParameterError(
            f"Distribution {text!r}: kind {kind!r} is not one of "
            f"{', '.join(repr(k) for k in sorted(_KINDS))}."
        )
    names = _POSITIONAL[kind]
    fields: dict[str, Any] = {"dist": kind}
    parts = [p for p in match["args"].split(",") if p.strip()]
    for i, part in enumerate(parts):
        arg = _ARG_RE.match(part)
        if arg is None:
            raise InvalidParameterError(f"Distribution {text!r}: {part.strip()!r} is not a number.")
        key = arg["key"] or (names[i] if i < len(names) else None)
        if key is None:
            raise InvalidParameterError(
                f"Distribution {text!r} takes {len(names)} positional values ({', '.join(names)})."
            )
        if key in fields:
            raise InvalidParameterError(
                f"Distribution {text!r} gives {key!r} twice; give each value once."
            )
        fields[key] = float(arg["num"])
    try:
        return _KINDS[kind].model_validate(fields)  # type: ignore[return-value]
    except ValidationError as exc:
        details = "; ".join(
            (f"{'.'.join(str(p) for p in e['loc'])}: " if e["loc"] else "")
            + str(e["msg"]).removeprefix("Value error, ")
            for e in exc.errors()
        )
        raise InvalidParameterError(f"Distribution {text!r} is invalid: {details}") from None


def _coerce(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return parse_distribution(value)
    return value


Distribution: TypeAlias = Annotated[
    Triangular | Pert | Uniform | Normal, Field(discriminator="dist")
]
"""A distribution model, chosen by its ``dist`` tag."""

Quantity: TypeAlias = Annotated[float | Distribution, BeforeValidator(_coerce)]
"""A float or a :data:`Distribution` (also parsed from compact text)."""


def point(value: float | _Dist) -> float:
    """Expected value of a quantity (the float itself for a plain number)."""
    if isinstance(value, _Dist):
        return value.mean()
    return float(value)


def bounds(value: float | _Dist) -> tuple[float, float]:
    """Smallest and largest value a quantity can take.

    Examples
    --------
    >>> bounds(parse_distribution("uniform(1, 3)"))
    (1.0, 3.0)
    """
    if isinstance(value, _Dist):
        return value.support()
    return (float(value), float(value))


def sample(value: float | _Dist, n: int, rng: np.random.Generator) -> FloatArray:
    """Draw ``n`` samples of a quantity (a constant vector for a plain number).

    Parameters
    ----------
    value : float or Distribution
        The quantity.
    n : int
        Number of scenarios (the length of the leading axis).
    rng : numpy.random.Generator
        Seeded generator; the same seed gives the same samples.
    """
    if isinstance(n, bool | np.bool_) or not isinstance(n, int | np.integer) or n < 0:
        raise InvalidParameterError(
            f"The 'n' parameter of sample must be a whole number >= 0. Got {n!r} instead."
        )
    n = int(n)
    if isinstance(value, _Dist):
        return value.draw(n, rng)
    return np.full(n, float(value))
