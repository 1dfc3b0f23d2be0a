"""The billed baseline of a FOCUS export: monthly spend by provider, service, region and cost
category, and data-transfer volumes by class and source region.

Examples
--------
>>> import pandas as pd
>>> from exitcost.ingest.read import read_focus
>>> rows = pd.DataFrame({
...     "BilledCost": [9.0, 3.0, 1.0], "EffectiveCost": [9.0, 3.0, 1.0],
...     "ListCost": 0.0, "ContractedCost": 0.0, "PricingQuantity": [100.0, 30.0, 10.0],
...     "BillingAccountId": "1", "BillingAccountName": "acme", "BillingCurrency": "USD",
...     "BillingPeriodStart": "2026-01-01", "BillingPeriodEnd": "2026-02-01",
...     "ChargePeriodStart": "2026-01-03", "ChargePeriodEnd": "2026-01-04",
...     "ChargeCategory": "Usage", "ChargeClass": None,
...     "ChargeDescription": ["$0.09 per GB - first 10 TB / month data transfer out",
...                           "$0.10 per GB-month of storage", "Widget hours"],
...     "InvoiceIssuerName": "AWS", "PricingUnit": ["GB", "GB-Months", "Hours"],
...     "ProviderName": "AWS", "PublisherName": "AWS", "RegionId": "us-east-1",
...     "ServiceCategory": ["Compute", "Storage", "Compute"], "ServiceName": "Amazon EC2",
... })
>>> base = focus_baseline(read_focus(rows))
>>> base.spend.groupby("cost_category", observed=True)["billed_cost"].sum().to_dict()
{'compute': 1.0, 'egress': 9.0, 'storage': 3.0}
>>> base.transfers[["provider", "region", "transfer_class", "volume_gb"]]
  provider     region transfer_class  volume_gb
0      aws  us-east-1       internet      100.0
>>> base.transfer_rows, base.classed_rows
(1, 1)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from exitcost.ingest.classify import Classifier, classify_rows, column_or_empty, load_classifier
from exitcost.ingest.read import FILE_COLUMN, ROW_COLUMN

__all__ = ["FocusBaseline", "baseline_from_classes", "focus_baseline", "is_value", "region_of"]


@dataclass(frozen=True)
class FocusBaseline:
    """What a FOCUS export says was spent and moved, per month.

    Attributes
    ----------
    spend : pandas.DataFrame
        ``month`` (first day), ``provider``, ``service``, ``region`` (``RegionId``, else
        ``RegionName``, else empty), ``cost_category``, ``transfer_class`` (egress rows),
        ``charge_category`` (FOCUS ChargeCategory: credits and adjustments stay visible),
        ``billed_cost`` and ``amortised_cost`` (EffectiveCost where given, else BilledCost),
        in ``currency``, and ``rows``.
    transfers : pandas.DataFrame
        ``month``, ``provider``, ``region`` (the billed, source region), ``service`` (the
        FOCUS ServiceName that billed it), ``transfer_class``,
        ``peer_region_name`` (the other end where the text names it), ``volume_gb``,
        ``billed_cost``, ``amortised_cost``, ``rows``.
    storage : pandas.DataFrame
        ``month``, ``provider``, ``region``, ``service``, ``gb_months``, ``billed_cost``,
        ``amortised_cost``: stored data per month.
    unclassified : pandas.DataFrame
        Transfer candidates no rule placed, one per row: ``x_SourceFile``, ``x_SourceRow``,
        ``provider``, ``service``, ``description``, ``unit``, ``volume_gb``, ``billed_cost``.
    transfer_rows, classed_rows : int
        Rows that look like data transfer, and how many of them have a transfer class.
    months : int
        Months of usage the export covers (distinct charge months, corrections of earlier
        months aside): monthly averages divide by it.
    currency : str
        The billing currency.
    classifier : str
        The classifier file used.
    """

    spend: pd.DataFrame
    transfers: pd.DataFrame
    storage: pd.DataFrame
    unclassified: pd.DataFrame
    transfer_rows: int
    classed_rows: int
    months: int
    currency: str
    classifier: str

    @property
    def classed_share(self) -> float:
        """Share of transfer rows that have a transfer class (1.0 when there are none)."""
        return self.classed_rows / self.transfer_rows if self.transfer_rows else 1.0

    def by_category(self, cost: str = "amortised") -> pd.DataFrame:
        """Monthly-average spend by provider x category (egress split by class).

        ``cost`` is ``"amortised"`` (EffectiveCost) or ``"billed"`` (BilledCost). Columns are
        the categories present plus ``total``; one row per provider plus ``total``.
        """
        if cost not in ("amortised", "billed"):
            raise ValueError(
                f"The 'cost' parameter of FocusBaseline.by_category must be one of "
                f"'amortised', 'billed'. Got {cost!r} instead."
            )
        months = self.months
        data = self.spend.assign(
            column=np.where(
                self.spend["transfer_class"].astype(str) != "",
                "egress:" + self.spend["transfer_class"].astype(str),
                self.spend["cost_category"].astype(str),
            )
        )
        table = data.pivot_table(
            index="provider",
            columns="column",
            values=f"{cost}_cost",
            aggfunc="sum",
            fill_value=0.0,
            observed=True,
        ) / float(months)
        table["total"] = table.sum(axis=1)
        table.loc["total"] = table.sum(axis=0)
        table.columns.name = None
        return table


def region_of(frame: pd.DataFrame) -> pd.Series:
    """The region of each row: RegionId, else RegionName, else empty text (global charges).

    Works on the categorical codes, so it costs a few array look-ups per row.
    """
    parts = [column_or_empty(frame, c) for c in ("RegionId", "RegionName")]
    categories = pd.Index(
        [*(str(c) for p in parts for c in p.cat.categories), ""], dtype="str"
    ).unique()
    codes = np.full(len(frame), categories.get_loc(""), dtype=np.int64)
    for part in reversed(parts):  # RegionId, applied last, wins over RegionName
        own = part.cat.codes.to_numpy()
        lookup = categories.get_indexer(part.cat.categories.astype("str"))
        present = own >= 0
        codes[present] = lookup[own[present]]
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=categories), index=frame.index, name="region"
    )


def is_value(values: pd.Series, predicate: Callable[[str], bool]) -> np.ndarray:
    """Per row of a categorical: whether its value (text, missing as "") satisfies
    ``predicate``; evaluated once per category."""
    table = np.array([bool(predicate(str(c))) for c in values.cat.categories] + [predicate("")])
    return np.asarray(table[values.cat.codes.to_numpy()], dtype=bool)


_SUMS = {"billed_cost": ("billed_cost", "sum"), "amortised_cost": ("amortised_cost", "sum")}


def focus_baseline(frame: pd.DataFrame, classifier: Classifier | None = None) -> FocusBaseline:
    """Monthly billed spend and transfer volumes of a :func:`~exitcost.ingest.read_focus` frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The checked export.
    classifier : Classifier, optional
        Transfer and category rules (default: the newest bundled classifier file).

    Returns
    -------
    FocusBaseline
        Spend, transfers, storage and the transfer rows no rule could place.

    Notes
    -----
    Transfer rows are recognised from their text (ChargeDescription, SkuMeter,
    ServiceSubcategory) and pricing unit by the classifier file's rules, not from
    ServiceCategory; volumes are ConsumedQuantity (or PricingQuantity) in the file's volume units,
    converted to billing GB.
    """
    classifier = classifier or load_classifier()
    return baseline_from_classes(frame, classify_rows(frame, classifier), classifier.path)


def baseline_from_classes(
    frame: pd.DataFrame, classes: pd.DataFrame, classifier_path: str
) -> FocusBaseline:
    """:func:`focus_baseline` from rows already classified by
    :func:`~exitcost.ingest.classify.classify_rows` (so callers classify once)."""
    billed = frame["BilledCost"].to_numpy(dtype="float64")
    effective = frame["EffectiveCost"].to_numpy(dtype="float64")
    amortised = np.where(np.isnan(effective), billed, effective)
    month = pd.Series(
        frame["ChargePeriodStart"].to_numpy().astype("datetime64[M]").astype("datetime64[ns]"),
        index=frame.index,
    )
    data = pd.DataFrame(
        {
            "month": month,
            "provider": classes["provider"],
            "service": frame["ServiceName"],
            "region": region_of(frame),
            "cost_category": classes["cost_category"],
            "transfer_class": classes["transfer_class"],
            "peer_region_name": classes["peer_region_name"],
            "charge_category": frame["ChargeCategory"],
            "billed_cost": np.nan_to_num(billed),
            "amortised_cost": np.nan_to_num(amortised),
            "volume_gb": classes["volume_gb"],
            "gb_months": classes["gb_months"],
        }
    )
    keys = [
        "month",
        "provider",
        "service",
        "region",
        "cost_category",
        "transfer_class",
        "charge_category",
    ]
    spend = (
        data.groupby(keys, observed=True, sort=True)
        .agg(**_SUMS, rows=("billed_cost", "size"))
        .reset_index()
    )
    has_class = is_value(classes["transfer_class"], bool)
    moved = data[has_class]
    transfers = (
        moved.groupby(
            ["month", "provider", "region", "service", "transfer_class", "peer_region_name"],
            observed=True,
            sort=True,
        )
        .agg(volume_gb=("volume_gb", "sum"), **_SUMS, rows=("volume_gb", "size"))
        .reset_index()
    )
    stored = data[data["gb_months"].to_numpy() > 0]
    storage = (
        stored.groupby(["month", "provider", "region", "service"], observed=True, sort=True)
        .agg(gb_months=("gb_months", "sum"), **_SUMS)
        .reset_index()
    )
    candidate = classes["transfer_candidate"].to_numpy(dtype=bool)
    unplaced = candidate & ~has_class
    picked = frame.loc[unplaced]
    unclassified = pd.DataFrame(
        {
            FILE_COLUMN: picked[FILE_COLUMN].astype("str").to_numpy(),
            ROW_COLUMN: picked[ROW_COLUMN].to_numpy(),
            "provider": classes["provider"][unplaced].astype("str").to_numpy(),
            "service": picked["ServiceName"].astype("str").to_numpy(),
            "description": picked["ChargeDescription"].astype("str").to_numpy(),
            "unit": picked["PricingUnit"].astype("str").to_numpy(),
            "volume_gb": classes["volume_gb"].to_numpy()[unplaced],
            "billed_cost": billed[unplaced],
        }
    )
    if "ChargeClass" in frame.columns:
        correction = is_value(frame["ChargeClass"], lambda v: v.lower() == "correction")
    else:
        correction = np.zeros(len(frame), dtype=bool)
    covered = month[~correction] if not correction.all() else month
    return FocusBaseline(
        spend=spend,
        transfers=transfers,
        storage=storage,
        unclassified=unclassified,
        transfer_rows=int(candidate.sum()),
        classed_rows=int((candidate & ~unplaced).sum()),
        months=max(int(covered.nunique()), 1),
        currency=str(frame.attrs.get("billing_currency", "")),
        classifier=classifier_path,
    )
