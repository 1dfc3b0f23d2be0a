"""The service catalog and the effort defaults: schema-validated, dated data files.

Two YAML files in ``data/catalog/`` drive the effort model, each named by its as-of date:

``services-<YYYY-MM-DD>.yaml``
    Proprietary services of AWS, Azure and Google Cloud mapped to portable equivalents, with the
    person-days to move one unit of use (the service's scaling *driver*: a table, a function, a
    bucket...), a lock-in weight and the source or reasoning behind each figure.
``strategies-<YYYY-MM-DD>.yaml``
    Base effort of the seven migration strategies (per instance, plus COCOMO II reuse-model
    effort of the code they adapt), the range factors, the default labour rate,
    schedule and dual-running parameters, the rules for commitments on exit and the transfer
    defaults.

:func:`load_catalog` and :func:`load_effort_defaults` load the newest bundled file (or a file of
your own) and validate it, raising :class:`~exitcost.errors.CatalogError` with the path and value of
every problem.

Examples
--------
>>> catalog = load_catalog()
>>> entry = catalog.entry("aws.dynamodb")
>>> entry.driver, entry.exit_strategy, entry.person_days_per_unit.mode
('table', 'replatform', 5.0)
>>> catalog.entry("aws.dynamo")
Traceback (most recent call last):
...
exitcost.errors.UnknownServiceError: Service 'aws.dynamo' is not in the service catalog ...
>>> defaults = load_effort_defaults()
>>> defaults.strategies["rehost"].person_days_per_instance
2.5
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from exitcost._dated import dated_files, load_cached, newest_on
from exitcost._resources import data_dir
from exitcost._yaml import DataFileError, booleans_read_as_numbers, read_data_file
from exitcost.effort.adaptation import adaptation_adjustment
from exitcost.errors import CatalogError, Problem, UnknownServiceError, format_choices
from exitcost.estate.model import STRATEGIES, Strategy
from exitcost.uncertainty import check_three_point_order, three_point_mean

__all__ = [
    "EXIT_STRATEGIES",
    "SERVICE_CATEGORIES",
    "STRATEGIES",
    "Catalog",
    "CocomoDefaults",
    "CodeAdaptation",
    "CommitmentRule",
    "DefaultStrategy",
    "EffortDefaults",
    "ExitStrategy",
    "LockIn",
    "MinimumSpendOffset",
    "ServiceEntry",
    "StrategyDefaults",
    "ServiceCategory",
    "Strategy",
    "ThreePoint",
    "load_catalog",
    "load_effort_defaults",
]

ExitStrategy: TypeAlias = Literal["rehost", "relocate", "replatform", "refactor"]
"""What leaving the provider needs for a service: the strategies that move a workload out."""

EXIT_STRATEGIES: tuple[str, ...] = ExitStrategy.__args__  # type: ignore[attr-defined]
"""The strategies a catalog entry's ``exit_strategy`` can name."""

Confidence: TypeAlias = Literal["V", "S", "M", "R"]

ServiceCategory: TypeAlias = Literal[
    "analytics",
    "cache",
    "compute",
    "container_platform",
    "database",
    "identity",
    "ml_platform",
    "networking",
    "other",
    "queue",
    "search",
    "serverless",
    "storage",
    "streaming",
    "workflow",
]
"""What kind of service a catalog entry is (a closed vocabulary; ``other`` for the rest)."""

SERVICE_CATEGORIES: tuple[str, ...] = ServiceCategory.__args__  # type: ignore[attr-defined]
"""The service categories, alphabetical."""

_SERVICE_ID = r"^(?:unknown|[a-z][a-z0-9-]*\.[a-z0-9_]+)$"
_FILE_PATTERNS = {
    kind: re.compile(rf"^{kind}-(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\.ya?ml$")
    for kind in ("services", "strategies")
}


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, use_attribute_docstrings=True
    )


class _Reasoned(_Model):
    """A block of figures with its confidence label and the reasoning or sources behind it."""

    confidence: Confidence
    """Label (V primary source, S secondary, M unverified, R reasoning)."""
    reasoning: str = Field(min_length=1)
    """Source and derivation."""


class _Measured(_Reasoned):
    """A :class:`_Reasoned` block whose figures share a unit."""

    unit: str
    """Unit of the figures."""


class ThreePoint(_Model):
    """A low / most likely / high estimate (all >= 0, ordered)."""

    low: float = Field(ge=0)
    """Lowest plausible value."""
    mode: float = Field(ge=0)
    """Most likely value."""
    high: float = Field(ge=0)
    """Highest plausible value."""

    @model_validator(mode="after")
    def _ordered(self) -> ThreePoint:
        check_three_point_order(self.low, self.mode, self.high)
        return self

    def pert_mean(self) -> float:
        """PERT mean ``(low + 4 mode + high) / 6``."""
        return float(three_point_mean(self.low, self.mode, self.high))


class LockIn(_Model):
    """How strongly a service binds a workload to its provider."""

    weight: float = Field(ge=0, le=1)
    """0 (fully portable) to 1 (must be re-architected to leave)."""
    reason: str = Field(min_length=1)
    """Why the service binds (or does not)."""


class ServiceEntry(_Model):
    """One catalog entry: a provider service, its portable equivalents and the effort to move it."""

    id: str = Field(pattern=_SERVICE_ID)
    """Service id, ``provider.service`` (e.g. ``aws.dynamodb``), or ``unknown`` for the default."""
    provider: str
    """Provider part of the id."""
    name: str
    """Product name."""
    category: ServiceCategory
    """One of :data:`SERVICE_CATEGORIES` (database, queue, serverless, ml_platform, ...)."""
    portable: tuple[str, ...]
    """Portable equivalents it moves to."""
    exit_strategy: ExitStrategy
    """What leaving needs for this service: ``rehost`` (plain IaaS: moves with its instances),
    ``relocate`` (managed Kubernetes: moves at the container level), ``replatform`` (a portable
    equivalent exists; the per-unit effort covers the swap) or ``refactor`` (no portable
    equivalent: the code built on it must be re-architected)."""
    driver: str = Field(min_length=1)
    """What one unit of use is (table, function, bucket, ...)."""
    driver_description: str
    """The unit in words."""
    effort_class: str
    """Relative difficulty class (see the catalog's ``effort_classes``)."""
    person_days_per_unit: ThreePoint
    """Effort to move one unit, low / mode / high. [person-days per unit]"""
    lock_in: LockIn
    """Lock-in weight and reason."""
    confidence: Confidence
    """V primary source, S secondary, M unverified, R reasoning."""
    reasoning: str = ""
    """The derivation of the figures."""
    sources: tuple[str, ...] = ()
    """Documents the figures come from."""

    @model_validator(mode="after")
    def _sourced(self) -> ServiceEntry:
        if not self.reasoning.strip() and not self.sources:
            raise ValueError("needs a source or a stated reasoning")
        if self.exit_strategy in ("relocate", "replatform") and not self.portable:
            raise ValueError(
                f"exit_strategy {self.exit_strategy!r} needs a portable equivalent; list it in "
                "'portable' or use exit_strategy 'refactor'"
            )
        if self.id != "unknown" and self.provider != self.id.split(".", 1)[0]:
            raise ValueError(
                f"provider {self.provider!r} does not match the id's provider part "
                f"{self.id.split('.', 1)[0]!r}"
            )
        return self


class EffortClass(_Model):
    """A relative difficulty class (Red Hat MTA story points)."""

    points: float = Field(ge=0)
    """MTA story points."""
    person_days_mode: float = Field(ge=0)
    """Most likely person-days per unit for entries of this class."""


class Catalog(_Model):
    """The service catalog: entries by id plus the explicit default for unknown services."""

    schema_version: Literal[1]
    """Format version."""
    as_of: dt.date
    """Date the figures were last checked."""
    description: str = ""
    """What the file is."""
    effort_unit: str
    """Unit of ``person_days_per_unit``."""
    effort_classes: dict[str, EffortClass]
    """Relative difficulty classes."""
    effort_class_derivation: str = Field(min_length=1)
    """How the classes turn into person-days and lock-in weights."""
    services: tuple[ServiceEntry, ...]
    """The entries."""
    unknown: ServiceEntry
    """Entry used for a service missing from the catalog (reported as a default)."""
    source: str = ""
    """File the catalog was read from."""
    _by_id: dict[str, ServiceEntry] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        seen: set[str] = set()
        for i, entry in enumerate((*self.services, self.unknown)):
            where = f"services[{i}]" if i < len(self.services) else "unknown"
            if entry.id in seen:
                raise ValueError(f"{where}: duplicate service id {entry.id!r}")
            seen.add(entry.id)
            if entry.effort_class not in self.effort_classes:
                raise ValueError(
                    f"{where}: effort_class {entry.effort_class!r} is not one of "
                    f"{format_choices(self.effort_classes)}"
                )
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        """Service ids in the catalog, in file order."""
        return tuple(e.id for e in self.services)

    def __contains__(self, service: object) -> bool:
        return isinstance(service, str) and service in self._index()

    def model_post_init(self, context: Any, /) -> None:
        self._by_id.update({e.id: e for e in self.services})

    def _index(self) -> dict[str, ServiceEntry]:
        return self._by_id

    def entry(self, service: str) -> ServiceEntry:
        """The entry of one service id.

        Raises
        ------
        UnknownServiceError
            The id is not in the catalog; the message lists close matches.
        """
        index = self._index()
        if service in index:
            return index[service]
        close = difflib.get_close_matches(str(service), list(index), n=5, cutoff=0.6)
        hint = f"close matches: {format_choices(close)}" if close else "no close match"
        raise UnknownServiceError(
            f"Service {service!r} is not in the service catalog ({self.source or 'in memory'}, "
            f"as of {self.as_of}); {hint}. Valid ids: {format_choices(index)}. Add it to the "
            "catalog, fix the id, or pass on_unknown='default' to use the documented default."
        )

    def to_frame(self) -> Any:
        """The catalog as a DataFrame, one row per service (for display and review)."""
        import pandas as pd

        rows = [
            {
                "service": e.id,
                "provider": e.provider,
                "category": e.category,
                "portable": ", ".join(e.portable),
                "exit_strategy": e.exit_strategy,
                "driver": e.driver,
                "person_days_low": e.person_days_per_unit.low,
                "person_days_mode": e.person_days_per_unit.mode,
                "person_days_high": e.person_days_per_unit.high,
                "lock_in_weight": e.lock_in.weight,
                "confidence": e.confidence,
            }
            for e in self.services
        ]
        return pd.DataFrame(rows).set_index("service")


class CodeAdaptation(_Model):
    """COCOMO II reuse-model ratings of the code a strategy adapts (fractions, not percent).

    The adaptation adjustment multiplier turns adapted code into equivalent new code
    (see :func:`exitcost.effort.adaptation_adjustment`).
    """

    design_modified: float = Field(ge=0, le=1)
    """DM: share of the design changed."""
    code_modified: float = Field(ge=0, le=1)
    """CM: share of the code changed."""
    integration_modified: float = Field(ge=0, le=1)
    """IM: integration and test effort, as a share of that for new code of the same size."""
    assessment_assimilation: float = Field(ge=0, le=0.08)
    """AA: 0 to 0.08 (COCOMO's 0-8 % increments)."""
    software_understanding: float = Field(ge=0.1, le=0.5)
    """SU: 0.1 (very high understanding) to 0.5 (very low); nominal 0.3."""
    unfamiliarity: float = Field(ge=0, le=1)
    """UNFM: 0 (completely familiar) to 1 (completely unfamiliar)."""


class StrategyDefaults(_Reasoned):
    """Base effort of one migration strategy.

    ``mode = fixed_person_days + person_days_per_instance * instances + code term``, where the
    code term is COCOMO II effort of the equivalent size ``code_kloc * AAM`` (zero without
    ``code_adaptation``).
    """

    description: str
    """What the strategy does."""
    fixed_person_days: float = Field(ge=0)
    """Effort per workload independent of size. [person-days]"""
    person_days_per_instance: float = Field(ge=0)
    """Effort per instance (VM or container) moved or rebuilt. [person-days per instance]"""
    code_adaptation: CodeAdaptation | None = None
    """COCOMO II reuse ratings of the code the strategy adapts (``None``: code untouched)."""
    service_effort_factor: float = Field(ge=0)
    """Weight of the catalog's per-service effort under this strategy (0 = services untouched)."""
    dual_running: bool
    """Whether old and new run side by side during the move."""
    reasoning: str = Field(min_length=1)
    """Source and derivation."""


class CocomoDefaults(_Reasoned):
    """COCOMO II post-architecture calibration used for the code term."""

    a_person_months: float = Field(gt=0)
    """Effort coefficient A: person-months per equivalent KSLOC ** exponent."""
    exponent: float = Field(gt=0)
    """Scale exponent E = B + 0.01 x sum of scale factors."""
    reasoning: str = Field(min_length=1)
    """Source and derivation."""


class DefaultStrategy(_Reasoned):
    """How a workload's strategy is chosen when neither the estate nor the caller names one.

    The default is the most demanding, in ``order``, of ``plain_instances`` (when the workload
    has instances, or does not say how many) and the catalog ``exit_strategy`` of each service
    it uses; ``without_services`` when it has neither. Adding a service can only keep or raise
    the default, so effort never falls as services are added (:class:`EffortDefaults` checks
    that the strategies' figures grow along ``order``).
    """

    order: tuple[Strategy, ...]
    """All seven strategies, from least to most demanding (each exactly once)."""
    plain_instances: ExitStrategy
    """Strategy a workload's own instances (VMs or containers) need to leave the provider."""
    without_services: Strategy
    """Strategy of a workload with no instances and no services."""
    reasoning: str = Field(min_length=1)
    """Why."""

    @model_validator(mode="after")
    def _all_seven(self) -> DefaultStrategy:
        if sorted(self.order) != sorted(STRATEGIES):
            missing = [s for s in STRATEGIES if s not in self.order]
            repeated = sorted({s for s in self.order if self.order.count(s) > 1})
            raise ValueError(
                "order must list each of the seven strategies exactly once; "
                + "; ".join(
                    [
                        *([f"missing {format_choices(missing)}"] if missing else []),
                        *([f"repeated {format_choices(repeated)}"] if repeated else []),
                    ]
                )
            )
        return self

    def most_demanding(self, strategies: Iterable[str]) -> str:
        """The strategy that comes last in :attr:`order` (all must be strategy names)."""
        return max(strategies, key=self.order.index)


class MissingInstances(_Measured):
    """Instances assumed for a workload that does not give its ``instances``."""

    default_instances: float = Field(ge=0)
    """Assumed count. [instances]"""
    reasoning: str = Field(min_length=1)
    """Why."""


class RangeDefaults(_Measured):
    """Low and high of a three-point range as multiples of the mode."""

    low_factor: float = Field(ge=0, le=1)
    """Low = low_factor x mode."""
    high_factor: float = Field(ge=1)
    """High = high_factor x mode."""
    reasoning: str = Field(min_length=1)
    """Derivation."""


class LabourDefaults(_Measured):
    """Default labour rate for a workload without a team."""

    default_usd_per_person_day: float = Field(gt=0)
    """Fully loaded day rate. [USD per person-day]"""
    reasoning: str = Field(min_length=1)
    """Derivation."""


class ScheduleDefaults(_Measured):
    """Staffing limits of the schedule."""

    person_days_per_person_month: float = Field(gt=0)
    """Working days in one person-month."""
    max_staff_per_move: float = Field(gt=0)
    """Most people one move can absorb."""
    default_team_capacity_person_days_per_month: float = Field(gt=0)
    """Capacity of the team that moves workloads without a team. [person-days per month]"""

    @property
    def max_person_days_per_month_per_move(self) -> float:
        """Most person-days per month one move can absorb."""
        return self.max_staff_per_move * self.person_days_per_person_month


class Hypercare(_Measured):
    """Months the old side keeps running after cut-over, by workload kind."""

    default: ThreePoint
    """For any kind not listed."""
    database: ThreePoint
    """For database workloads."""

    def for_kind(self, kind: str | None) -> ThreePoint:
        """The hypercare range of a workload kind."""
        return self.database if kind == "database" else self.default


class DualRunningDefaults(_Measured):
    """Cost of running old and new side by side."""

    cost_factor: float = Field(ge=0)
    """Share of the monthly run cost paid again while both run."""
    hypercare_months: Hypercare
    """Post-cut-over overlap."""


class CommitmentRule(_Model):
    """What is recovered of a non-cancellable commitment left early."""

    provider: str | None = None
    """Provider the rule applies to (``None`` in the default rule)."""
    kind: str | None = None
    """Contract kind the rule applies to."""
    recovery_fraction: float = Field(ge=0, le=1)
    """Share of the remaining payments refunded or resold."""
    early_termination_fee_fraction: float = Field(ge=0, le=1)
    """Share of the recovered amount withheld as a fee."""
    recovery_cap_usd_per_12_months: float | None = Field(default=None, ge=0)
    """Cap on the amount recovered, across the rule's contracts. [USD]"""
    confidence: Confidence
    """Label."""
    source: str = Field(min_length=1)
    """Source."""


ContractKindName: TypeAlias = Literal[
    "reserved_capacity", "savings_plan", "committed_use", "license", "colocation_lease"
]
"""Contract kinds whose payments can count toward a minimum-spend commitment."""


class MinimumSpendOffset(_Reasoned):
    """Which commitments' payments count toward a minimum-spend commitment of their provider."""

    eligible_kinds: tuple[ContractKindName, ...]
    """Kinds of (non-cancellable) contract with the same provider whose payments count."""
    reasoning: str = Field(min_length=1)
    """Derivation and sources."""


class CommitmentDefaults(_Model):
    """Rules for commitments on exit."""

    rules: tuple[CommitmentRule, ...]
    """Provider- and kind-specific rules."""
    default_rule: CommitmentRule
    """Rule for everything else."""
    minimum_spend_offset: MinimumSpendOffset | None = None
    """Payments that count toward a minimum spend (``None``: none count, no offset)."""

    def rule(self, provider: str, kind: str) -> CommitmentRule:
        """The rule for a provider and contract kind."""
        for rule in self.rules:
            if rule.provider == provider and rule.kind == kind:
                return rule
        return self.default_rule


class Sourced(_Model):
    """A single sourced figure."""

    value: float = Field(gt=0)
    """The figure."""
    unit: str
    """Its unit."""
    confidence: Confidence
    """Label."""
    source: str = ""
    """Source."""
    reasoning: str = ""
    """Derivation."""

    @model_validator(mode="after")
    def _sourced(self) -> Sourced:
        if not self.source.strip() and not self.reasoning.strip():
            raise ValueError("needs a source or a stated reasoning")
        return self


class TransferDefaults(_Model):
    """Defaults of the transfer-time functions."""

    utilisation: Sourced
    """Share of line rate available to the copy."""
    waiver_window_days: Sourced
    """Days an exit-egress waiver gives. [days]"""


class EffortDefaults(_Model):
    """Every default of the effort model (the ``strategies-*.yaml`` file)."""

    schema_version: Literal[3]
    """Format version (2: per-instance and COCOMO II reuse terms; 3: the default strategy's
    ``order`` ranks all seven strategies and ``plain_instances`` names what instances need)."""
    as_of: dt.date
    """Date the figures were last checked."""
    currency: Literal["USD"]
    """Currency of money figures."""
    strategies: dict[Strategy, StrategyDefaults]
    """Base effort per strategy."""
    cocomo: CocomoDefaults
    """COCOMO II calibration of the code term."""
    default_strategy: DefaultStrategy
    """Strategy when none is named."""
    missing_instances: MissingInstances
    """Instances assumed where the estate gives none."""
    range: RangeDefaults
    """Range factors."""
    labour: LabourDefaults
    """Default day rate."""
    schedule: ScheduleDefaults
    """Staffing limits."""
    dual_running: DualRunningDefaults
    """Dual running."""
    commitments: CommitmentDefaults
    """Commitments on exit."""
    transfer: TransferDefaults
    """Transfer defaults."""
    source: str = ""
    """File the defaults were read from."""

    @model_validator(mode="after")
    def _complete(self) -> EffortDefaults:
        missing = [s for s in STRATEGIES if s not in self.strategies]
        if missing:
            raise ValueError(f"strategies: missing {format_choices(missing)}")
        problems = self._demand_problems()
        if problems:
            raise ValueError(
                "default_strategy.order must list the strategies a default can pick by growing "
                "effort, or adding a service could lower a workload's effort: "
                + "; ".join(problems)
            )
        return self

    def _demand_problems(self) -> list[str]:
        """Where a default strategy later in the order has a smaller effort term than one before.

        A default is ``plain_instances`` or a service ``exit_strategy`` (the exit strategies, in
        ``order``), or ``without_services`` for a workload with no instances and no services.
        """

        def terms(name: str) -> dict[str, float]:
            entry = self.strategies[name]  # type: ignore[index]
            a = entry.code_adaptation
            aam = 0.0
            if a is not None:
                aam = float(
                    adaptation_adjustment(
                        a.design_modified,
                        a.code_modified,
                        a.integration_modified,
                        assessment_assimilation=a.assessment_assimilation,
                        software_understanding=a.software_understanding,
                        unfamiliarity=a.unfamiliarity,
                    )
                )
            return {
                "fixed_person_days": entry.fixed_person_days,
                "person_days_per_instance": entry.person_days_per_instance,
                "code adaptation multiplier (AAM)": aam,
                "service_effort_factor": entry.service_effort_factor,
            }

        order = self.default_strategy.order
        chain = [s for s in order if s in EXIT_STRATEGIES]
        pairs = [(a, b, False) for a, b in itertools.pairwise(chain)]
        bare = self.default_strategy.without_services
        pairs += [(bare, s, True) for s in chain if s != bare]
        problems = []
        for before, after, bare_only in pairs:
            low, high = terms(before), terms(after)
            for field, value in high.items():
                if bare_only and field in ("person_days_per_instance", "service_effort_factor"):
                    continue  # without_services has no instances and no services to weigh
                if value < low[field]:
                    problems.append(
                        f"{after!r} (after {before!r}"
                        + (", the without_services default" if bare_only else "")
                        + f") has the smaller {field}: {value:g} < {low[field]:g}"
                    )
        return problems


def _fmt_loc(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"function-after", "function-before"} or "[" in str(part):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _problems(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        msg = str(err["msg"]).removeprefix("Value error, ")
        problems.append(Problem(_fmt_loc(err["loc"]), err.get("input"), msg))
    return problems


def _raise(what: str, problems: list[Problem]) -> None:
    n = len(problems)
    head = f"{n} problem{'s' if n != 1 else ''} in {what}:"
    raise CatalogError("\n".join([head, *(f"  - {p}" for p in problems)]))


def _newest(kind: str, as_of: dt.date | None) -> Path:
    folder = data_dir("catalog")
    dated = dated_files(folder, _FILE_PATTERNS[kind])
    newest = newest_on(dated, as_of)
    if newest is None:
        have = format_choices(str(d) for d, _ in dated) if dated else "none"
        raise CatalogError(
            f"No bundled {kind} file in {folder} is dated on or before as_of={as_of}; "
            f"bundled dates: {have}."
        )
    return newest[1]


def _read(path: Path) -> Any:
    try:
        return read_data_file(path, what=f"Catalog file {str(path)!r}")
    except DataFileError as exc:
        raise CatalogError(str(exc)) from None


def _validate(model: type[_Model], raw: Any, source: str) -> Any:
    if not isinstance(raw, Mapping):
        raise CatalogError(
            f"Catalog file {source!r} must hold a mapping at the top level. "
            f"Got {raw!r:.80} instead."
        )
    try:
        validated = model.model_validate({**raw, "source": source})
    except ValidationError as exc:
        _raise(f"catalog file {source}", _problems(exc))
        raise AssertionError("unreachable") from None  # pragma: no cover
    coerced = booleans_read_as_numbers(dict(raw), validated.model_dump())
    if coerced:
        _raise(
            f"catalog file {source}",
            [Problem(where, value, "must be a number, not a boolean") for where, value in coerced],
        )
    return validated


def _load_services(path: Path) -> Any:
    return _validate(Catalog, _read(path), str(path))


def _load_strategies(path: Path) -> Any:
    return _validate(EffortDefaults, _read(path), str(path))


def _load(kind: str, path: Path) -> Any:
    return load_cached(path, _load_services if kind == "services" else _load_strategies)


def load_catalog(path: str | Path | None = None, *, as_of: dt.date | None = None) -> Catalog:
    """Load and validate the service catalog.

    Parameters
    ----------
    path : str or Path, optional
        A catalog file of your own. By default the newest bundled ``services-*.yaml``.
    as_of : datetime.date, optional
        Use the newest bundled file dated on or before this day.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        The file is missing, not YAML, or breaks the schema (every problem listed with its path).

    Examples
    --------
    >>> load_catalog().as_of
    datetime.date(2026, 11, 27)
    """
    chosen = Path(path) if path is not None else _newest("services", as_of)
    result: Catalog = _load("services", chosen)
    return result


def load_effort_defaults(
    path: str | Path | None = None, *, as_of: dt.date | None = None
) -> EffortDefaults:
    """Load and validate the effort defaults (strategies, ranges, schedule, commitments, transfer).

    Parameters
    ----------
    path : str or Path, optional
        A defaults file of your own. By default the newest bundled ``strategies-*.yaml``.
    as_of : datetime.date, optional
        Use the newest bundled file dated on or before this day.

    Returns
    -------
    EffortDefaults

    Raises
    ------
    CatalogError
        The file is missing, not YAML, or breaks the schema.

    Examples
    --------
    >>> load_effort_defaults().range.high_factor
    3.0
    """
    chosen = Path(path) if path is not None else _newest("strategies", as_of)
    result: EffortDefaults = _load("strategies", chosen)
    return result
