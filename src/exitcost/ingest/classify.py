"""The data-driven classifier: transfer class and cost category of every FOCUS row.

The rules live in a YAML file (``data/focus/classifier-<date>.yaml``, see docs/focus.md); users
extend it by copying it and loading their copy with :func:`load_classifier`. Rows are classified
once per distinct combination of their text columns (a few thousand even in an export of
millions of rows) and the answers are spread back to the rows by index.

Examples
--------
>>> classifier = load_classifier()
>>> classifier.provider_id("Amazon Web Services")
'aws'
>>> classifier.match("aws", "$0.02 per GB - US West (Oregon) data transfer to EU (Ireland)")
('inter_region', 'to another region', 'EU (Ireland)')
>>> classifier.match("aws", "$0.045 per GB Data Processed by NAT Gateways")
('not_transfer', 'NAT gateway processing', '')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from exitcost._dated import dated_files, load_cached, newest_on
from exitcost._resources import data_dir
from exitcost._yaml import DataFileError, read_data_file
from exitcost.ingest.read import FocusError

__all__ = [
    "FOCUS_COST_CATEGORIES",
    "FOCUS_TRANSFER_CLASSES",
    "Classifier",
    "classify_rows",
    "column_or_empty",
    "load_classifier",
]

FOCUS_TRANSFER_CLASSES: Final[tuple[str, ...]] = ("internet", "inter_region", "cross_zone", "in")
"""Transfer classes found in bills: out to the internet (and other providers), between regions
of one provider, between zones of one region, and into a region (from anywhere)."""

FOCUS_COST_CATEGORIES: Final[tuple[str, ...]] = (
    "compute",
    "storage",
    "egress",
    "commitments",
    "support",
    "other",
)
"""Cost categories of billed spend; ``egress`` holds every transfer row, split by class."""

_NOT_TRANSFER = "not_transfer"
_FILE_RE = re.compile(r"^classifier-(?P<date>\d{4}-\d{2}-\d{2})\.ya?ml$")
_TEXT_COLUMNS = ("ChargeDescription", "SkuMeter", "ServiceSubcategory")
_KEY_COLUMNS = (
    "ProviderName",
    *_TEXT_COLUMNS,
    "PricingUnit",
    "ServiceCategory",
    "ServiceName",
    "ChargeCategory",
)


def _regex(value: Any) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise ValueError("must be a regular expression written as text")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class _Rule(_Model):
    transfer_class: Literal["internet", "inter_region", "cross_zone", "in", "not_transfer"] = Field(
        alias="class"
    )
    pattern: Annotated[re.Pattern[str], BeforeValidator(_regex)]
    label: str = ""


class _Provider(_Model):
    names: tuple[str, ...]
    region_names: dict[str, str] = {}
    rules: tuple[_Rule, ...]


class _Source(_Model):
    title: str
    url: str
    as_of: dt.date
    note: str = ""


class _File(_Model):
    schema_version: Literal[1]
    effective_date: dt.date
    sources: dict[str, _Source]
    candidate: Annotated[re.Pattern[str], BeforeValidator(_regex)]
    volume_units: dict[str, Annotated[float, Field(gt=0)]]
    storage_units: dict[str, Annotated[float, Field(gt=0)]]
    charge_categories: dict[str, Literal["compute", "storage", "commitments", "support", "other"]]
    service_name_patterns: dict[Literal["compute", "storage", "support", "other"], str]
    service_categories: dict[str, Literal["compute", "storage", "support", "other"]]
    providers: dict[str, _Provider]

    @field_validator("service_name_patterns")
    @classmethod
    def _check_patterns(cls, value: dict[str, str]) -> dict[str, str]:
        for pattern in value.values():
            _regex(pattern)
        return value


@dataclass(frozen=True)
class Classifier:
    """Transfer and cost-category rules read from a classifier file.

    Attributes
    ----------
    path : str
        The file read.
    effective_date : datetime.date
        The file's date.
    rules : dict
        Provider id -> ordered ``(transfer_class, pattern, label)`` rules; ``any`` applies to
        every provider after its own rules.
    """

    path: str
    effective_date: dt.date
    candidate: Annotated[re.Pattern[str], BeforeValidator(_regex)]
    volume_units: dict[str, float]
    storage_units: dict[str, float]
    charge_categories: dict[str, str]
    service_name_patterns: dict[str, re.Pattern[str]]
    service_categories: dict[str, str]
    names: dict[str, str]
    region_names: dict[str, dict[str, str]]
    rules: dict[str, tuple[tuple[str, re.Pattern[str], str], ...]] = field(repr=False)

    def provider_id(self, name: str) -> str:
        """The provider id (``aws``, ``azure``, ...) of a FOCUS ProviderName; unknown names
        give their lower-case slug."""
        key = str(name).strip().lower()
        found = self.names.get(key)
        if found is not None:
            return found
        slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-")
        return slug if slug and slug[0].isalpha() else f"p-{slug or 'unknown'}"

    def match(self, provider: str, text: str) -> tuple[str, str, str]:
        """First rule of ``provider`` (then of ``any``) matching ``text``:
        ``(transfer_class, label, peer)``, or ``("", "", "")``."""
        for transfer_class, pattern, label in (
            *self.rules.get(provider, ()),
            *self.rules.get("any", ()),
        ):
            found = pattern.search(text)
            if found:
                peer = found.groupdict().get("peer") or ""
                return transfer_class, label, peer.strip()
        return "", "", ""


def _newest_bundled() -> Path:
    folder = data_dir("focus")
    newest = newest_on(dated_files(folder, _FILE_RE), None)
    if newest is None:
        raise FocusError(f"{folder}: no bundled classifier-<YYYY-MM-DD>.yaml; reinstall exitcost.")
    return newest[1]


def _load(path: Path) -> Classifier:
    try:
        raw = read_data_file(path, what=f"classifier file {path}")  # the one bounded safe reader
    except DataFileError as exc:
        raise FocusError(str(exc)) from None
    try:
        model = _File.model_validate(raw)
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']} "
            f"(got {str(e.get('input'))[:60]!r})"
            for e in exc.errors()
        ]
        raise FocusError(
            f"{len(lines)} problem{'s' if len(lines) != 1 else ''} in classifier file {path}:\n"
            + "\n".join(f"  - {line}" for line in lines)
        ) from None
    names: dict[str, str] = {}
    for provider, rules in model.providers.items():
        names[provider.lower()] = provider
        for name in rules.names:
            names[name.strip().lower()] = provider
    return Classifier(
        path=str(path),
        effective_date=model.effective_date,
        candidate=model.candidate,
        volume_units=dict(model.volume_units),
        storage_units=dict(model.storage_units),
        charge_categories=dict(model.charge_categories),
        service_name_patterns={k: _regex(v) for k, v in model.service_name_patterns.items()},
        service_categories=dict(model.service_categories),
        names=names,
        region_names={
            p: {k.lower(): v for k, v in r.region_names.items()} for p, r in model.providers.items()
        },
        rules={
            p: tuple((r.transfer_class, r.pattern, r.label) for r in rules.rules)
            for p, rules in model.providers.items()
        },
    )


def load_classifier(path: str | Path | None = None) -> Classifier:
    """Read a classifier file: the newest bundled one by default, or the user's own ``path``.

    Raises
    ------
    FocusError
        The file is missing, not valid YAML, or breaks the format (each problem with its path).
    """
    file = Path(path) if path is not None else _newest_bundled()
    if not file.exists():
        raise FocusError(f"{file}: no such classifier file.")
    return load_cached(file, _load)  # once per version of the file


def _factor(units: pd.Series, table: dict[str, float]) -> np.ndarray:
    """Per row: the unit's factor in ``table`` (0 where the unit is not in it)."""
    lookup = {k.lower(): v for k, v in table.items()}
    categories = units.cat.categories
    factors = np.array([lookup.get(str(c).strip().lower(), 0.0) for c in categories] + [0.0])
    return np.asarray(factors[units.cat.codes.to_numpy()], dtype="float64")


def column_or_empty(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column ``name`` of a bill, or an all-missing categorical one where the bill lacks it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(
        pd.Categorical.from_codes(
            np.full(len(frame), -1, dtype=np.int8), categories=pd.Index([], dtype="str")
        ),
        index=frame.index,
    )


def _classify_keys(keys: pd.DataFrame, classifier: Classifier) -> pd.DataFrame:
    """Classify each distinct key row (plain text columns); loops over distinct keys only."""
    providers = [classifier.provider_id(p) for p in keys["ProviderName"]]
    texts = [
        " | ".join(str(v) for v in values if isinstance(v, str) and v)
        for values in zip(*(keys[c] for c in _TEXT_COLUMNS), strict=True)
    ]
    volume = {k.lower() for k in classifier.volume_units}
    matches = [classifier.match(p, t) for p, t in zip(providers, texts, strict=True)]
    units = [str(u or "").strip().lower() for u in keys["PricingUnit"]]
    service_categories = list(keys["ServiceCategory"])
    out_class, out_label, out_peer, out_category, out_candidate = [], [], [], [], []
    for i, (transfer_class, label, peer) in enumerate(matches):
        unit = units[i]
        service_category = service_categories[i] or ""
        candidate = bool(classifier.candidate.search(texts[i])) or (
            unit in volume and service_category == "Networking"
        )
        if transfer_class == _NOT_TRANSFER:
            candidate = False
            transfer_class = ""
        elif transfer_class:
            candidate = True
        out_class.append(transfer_class)
        out_label.append(label)
        out_peer.append(peer)
        out_candidate.append(candidate)
        out_category.append(_category(keys.iloc[i], transfer_class, classifier))
    return pd.DataFrame(
        {
            "provider": providers,
            "transfer_class": out_class,
            "rule": out_label,
            "peer_region_name": out_peer,
            "transfer_candidate": out_candidate,
            "cost_category": out_category,
        }
    )


def _category(key: pd.Series, transfer_class: str, classifier: Classifier) -> str:
    if transfer_class:
        return "egress"
    charge = classifier.charge_categories.get(str(key["ChargeCategory"] or ""))
    if charge:
        return charge
    service = str(key["ServiceName"] or "")
    for category, pattern in classifier.service_name_patterns.items():
        if pattern.search(service):
            return category
    unit = str(key["PricingUnit"] or "").strip().lower()
    if unit in {k.lower() for k in classifier.storage_units}:
        return "storage"
    return classifier.service_categories.get(str(key["ServiceCategory"] or ""), "other")


def classify_rows(frame: pd.DataFrame, classifier: Classifier | None = None) -> pd.DataFrame:
    """Transfer class, cost category and volumes of every row of a :func:`read_focus` frame.

    Returns
    -------
    pandas.DataFrame
        Same index as ``frame``; columns ``provider`` (id such as ``aws``), ``transfer_class``
        (one of :data:`FOCUS_TRANSFER_CLASSES`, empty for other rows), ``rule`` (the matching
        rule's label), ``peer_region_name`` (the other end of a transfer, where the text names
        it), ``transfer_candidate`` (the row looks like data transfer: it must be classed),
        ``cost_category`` (one of :data:`FOCUS_COST_CATEGORIES`), ``volume_gb`` (data
        volume of the row in billing GB, 0 where the unit is not a volume) and ``gb_months``
        (stored GB-months, 0 where the unit is not one).
    """
    classifier = classifier or load_classifier()
    columns = {c: column_or_empty(frame, c) for c in _KEY_COLUMNS}
    codes = pd.DataFrame({c: s.cat.codes.to_numpy() for c, s in columns.items()})
    group = codes.groupby(list(_KEY_COLUMNS), sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]
    keys = pd.DataFrame(
        {
            c: [
                None if code < 0 else str(s.cat.categories[code])
                for code in codes[c].to_numpy()[first]
            ]
            for c, s in columns.items()
        }
    )
    table = _classify_keys(keys, classifier)
    out = {}
    for c in ("provider", "transfer_class", "rule", "peer_region_name", "cost_category"):
        # Spread each distinct key's answer to its rows by codes (no per-row strings).
        small, uniques = pd.factorize(table[c].astype(str), sort=True)
        out[c] = pd.Categorical.from_codes(small[group], categories=pd.Index(uniques, dtype="str"))
    candidate = table["transfer_candidate"].to_numpy(dtype=bool)[group]
    volume_gb = _quantity(frame, classifier.volume_units)
    gb_months = _quantity(frame, classifier.storage_units)
    result = pd.DataFrame(out, index=frame.index)
    result["transfer_candidate"] = candidate
    result["volume_gb"] = volume_gb
    result["gb_months"] = gb_months
    return result


def _quantity(frame: pd.DataFrame, units: dict[str, float]) -> np.ndarray:
    """ConsumedQuantity where ConsumedUnit is in ``units``, else PricingQuantity where
    PricingUnit is, times the unit's factor; 0 elsewhere and where the quantity is missing."""
    pricing = _factor(column_or_empty(frame, "PricingUnit"), units)
    consumed = _factor(column_or_empty(frame, "ConsumedUnit"), units)
    pricing_qty = frame["PricingQuantity"].to_numpy(dtype="float64")
    consumed_qty = (
        frame["ConsumedQuantity"].to_numpy(dtype="float64")
        if "ConsumedQuantity" in frame.columns
        else np.full(len(frame), np.nan)
    )
    use_consumed = (consumed > 0) & ~np.isnan(consumed_qty)
    quantity = np.where(use_consumed, consumed_qty * consumed, pricing_qty * pricing)
    return np.asarray(np.nan_to_num(quantity, nan=0.0), dtype="float64")
