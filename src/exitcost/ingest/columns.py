"""The FOCUS columns exitcost reads, per specification version, and how a version is detected.

FOCUS (FinOps Open Cost and Usage Specification) 1.0, 1.1 and 1.2 share one set of 21 mandatory
columns; 1.1 adds conditional columns (``CapacityReservationId``, ``CommitmentDiscountQuantity``,
``ServiceSubcategory``, ``SkuMeter``, ``SkuPriceDetails``), 1.2 adds ``BillingAccountType``,
``InvoiceId``, ``PricingCurrency`` and ``SubAccountType``; 1.3 makes ``ServiceProviderName`` and
``HostProviderName`` mandatory and deprecates ``ProviderName`` and ``PublisherName``.

References
----------
FOCUS specification, ``specification/columns/*.md`` at tags v1.0, v1.1 and v1.2 ("Feature
level", "Data type"), https://github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec (read
2026-12-03); FOCUS 1.3 provider columns as described by the FinOps Foundation's focus_validator
2.1.0 release notes and the FinOps toolkit's 1.3 ingestion (read 2026-12-03).

Examples
--------
>>> detect_version(["BilledCost", "SkuMeter"])
'1.1'
>>> detect_version(["BilledCost", "ServiceProviderName", "InvoiceId"])
'1.3'
>>> len(MANDATORY["1.0"]), len(MANDATORY["1.3"])
(21, 21)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = [
    "CHARGE_CATEGORIES",
    "COST_COLUMNS",
    "DATE_COLUMNS",
    "FOCUS_VERSIONS",
    "ID_COLUMNS",
    "MANDATORY",
    "NUMBER_COLUMNS",
    "READ_COLUMNS",
    "TEXT_COLUMNS",
    "detect_version",
]

FOCUS_VERSIONS: Final[tuple[str, ...]] = ("1.0", "1.1", "1.2", "1.3")
"""The FOCUS versions :func:`exitcost.ingest.read_focus` reads."""

_MANDATORY_1_0: Final[tuple[str, ...]] = (
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
)

MANDATORY: Final[dict[str, tuple[str, ...]]] = {
    "1.0": _MANDATORY_1_0,
    "1.1": _MANDATORY_1_0,
    "1.2": _MANDATORY_1_0,
    "1.3": (
        *(c for c in _MANDATORY_1_0 if c not in ("ProviderName", "PublisherName")),
        "HostProviderName",
        "ServiceProviderName",
    ),
}
"""Mandatory columns per FOCUS version (1.3: the deprecated ProviderName and PublisherName are
accepted but not required)."""

# Columns first introduced in a version (any one of them marks at least that version).
_INTRODUCED: Final[dict[str, frozenset[str]]] = {
    "1.3": frozenset({"ServiceProviderName", "HostProviderName", "ContractApplied"}),
    "1.2": frozenset(
        {
            "BillingAccountType",
            "InvoiceId",
            "PricingCurrency",
            "PricingCurrencyContractedUnitPrice",
            "PricingCurrencyEffectiveCost",
            "PricingCurrencyListUnitPrice",
            "SubAccountType",
        }
    ),
    "1.1": frozenset(
        {
            "CapacityReservationId",
            "CapacityReservationStatus",
            "CommitmentDiscountQuantity",
            "CommitmentDiscountUnit",
            "ServiceSubcategory",
            "SkuMeter",
            "SkuPriceDetails",
        }
    ),
}

COST_COLUMNS: Final[tuple[str, ...]] = ("BilledCost", "EffectiveCost", "ListCost", "ContractedCost")
"""Money columns, in the billing currency."""
NUMBER_COLUMNS: Final[tuple[str, ...]] = (*COST_COLUMNS, "PricingQuantity", "ConsumedQuantity")
"""Decimal columns, read as float64."""
DATE_COLUMNS: Final[tuple[str, ...]] = (
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargePeriodStart",
    "ChargePeriodEnd",
)
"""Date/time columns, read as UTC datetimes without a time zone."""
TEXT_COLUMNS: Final[tuple[str, ...]] = (
    "ProviderName",
    "ServiceProviderName",
    "BillingAccountId",
    "SubAccountId",
    "BillingCurrency",
    "ChargeCategory",
    "ChargeClass",
    "ChargeFrequency",
    "ChargeDescription",
    "ServiceCategory",
    "ServiceSubcategory",
    "ServiceName",
    "RegionId",
    "RegionName",
    "AvailabilityZone",
    "PricingUnit",
    "ConsumedUnit",
    "SkuId",
    "SkuMeter",
    "CommitmentDiscountId",
    "CommitmentDiscountType",
    "CommitmentDiscountCategory",
    "CommitmentDiscountStatus",
)
"""Text columns kept, as categoricals (their values repeat)."""
ID_COLUMNS: Final[tuple[str, ...]] = (
    "BillingAccountId",
    "SubAccountId",
    "SkuId",
    "CommitmentDiscountId",
)
"""Identifier columns, always read as text (leading zeros kept)."""
READ_COLUMNS: Final[tuple[str, ...]] = (*NUMBER_COLUMNS, *DATE_COLUMNS, *TEXT_COLUMNS)
"""Every column read from an export; other columns (tags, resource ids, names) are skipped."""

CHARGE_CATEGORIES: Final[tuple[str, ...]] = ("Usage", "Purchase", "Tax", "Credit", "Adjustment")
"""The values FOCUS 1.0 to 1.3 allow in ChargeCategory."""


def detect_version(columns: Iterable[str]) -> str:
    """The lowest FOCUS version whose columns explain the header ``columns``.

    A column introduced in a version marks an export as at least that version; an export with
    none of them is read as 1.0 (conditional columns may be absent in any version).
    """
    present = set(columns)
    for version in ("1.3", "1.2", "1.1"):
        if present & _INTRODUCED[version]:
            return version
    return "1.0"
