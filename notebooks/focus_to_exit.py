# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # From a FOCUS billing export to a first exit answer
#
# Every large provider exports billing data in FOCUS, the FinOps Foundation's open format.
# This notebook starts where a user starts, from such an export, and ends with a first answer
# to "what would leaving AWS cost us, and would it pay?":
#
# 1. read and check the export (`exitcost.ingest.read_focus`);
# 2. the billed baseline: monthly spend by provider and category, and the data-transfer rows
#    found from their text (`focus_baseline`);
# 3. an estate skeleton with the fields the bill cannot give listed (`estate_skeleton`), and
#    the library's own baseline of it next to the bill (`reconcile_focus`, `baseline_cost`);
# 4. the data part of the exit bill (`exitcost.pricing.exit_bill`) and stay-or-leave over five
#    years with the whole exit bill, from the engine (`exit_case`).
#
# The export below is a **fictional** company's two months of FOCUS 1.2 rows (October and
# November 2026: AWS in us-east-1 and eu-west-1, Azure in West Europe), written out as a CSV
# file so that the notebook reads a file as a user would. Your own export goes in the same
# place: `read_focus("path/to/export.csv")`, a folder of monthly files, or Parquet. It runs top to
# bottom as a plain script (`python notebooks/focus_to_exit.py`) and checks what the text says.

# %%
import tempfile
from pathlib import Path

import pandas as pd

from exitcost import exit_case
from exitcost.graph import baseline_cost
from exitcost.ingest import (
    estate_skeleton,
    focus_baseline,
    focus_cost_notes,
    read_focus,
    reconcile_focus,
    write_skeleton,
)
from exitcost.pricing import exit_bill

pd.set_option("display.width", 120)
pd.set_option("display.float_format", lambda x: f"{x:,.2f}")

COLUMNS = (
    "BilledCost,EffectiveCost,ListCost,ContractedCost,BillingAccountId,BillingAccountName,"
    "BillingAccountType,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,"
    "ChargePeriodEnd,ChargeCategory,ChargeClass,ChargeDescription,ConsumedQuantity,ConsumedUnit,"
    "PricingQuantity,PricingUnit,InvoiceId,InvoiceIssuerName,ProviderName,PublisherName,RegionId,"
    "ServiceCategory,ServiceName"
)
# (cost, description, quantity, unit, provider, region, service category, service)
MONTHLY = [
    (
        38_000.0,
        "EC2 instance hours (mixed types)",
        310_000,
        "Hours",
        "AWS",
        "us-east-1",
        "Compute",
        "Amazon Elastic Compute Cloud",
    ),
    (
        11_776.0,
        "$0.023 per GB - first 50 TB / month of storage used",
        512_000,
        "GB-Mo",
        "AWS",
        "us-east-1",
        "Storage",
        "Amazon Simple Storage Service",
    ),
    (
        6_570.0,
        "$0.05 per GB - next 100 TB / month data transfer out",
        131_400,
        "GB",
        "AWS",
        "us-east-1",
        "Compute",
        "Amazon Elastic Compute Cloud",
    ),
    (
        400.0,
        "$0.02 per GB - US East (Northern Virginia) data transfer to EU (Ireland)",
        20_000,
        "GB",
        "AWS",
        "us-east-1",
        "Compute",
        "Amazon Elastic Compute Cloud",
    ),
    (
        300.0,
        "$0.01 per GB - regional data transfer - in/out/between EC2 AZs"
        " or using elastic IPs or ELB",
        30_000,
        "GB",
        "AWS",
        "us-east-1",
        "Compute",
        "Amazon Elastic Compute Cloud",
    ),
    (
        0.0,
        "$0.00 per GB - data transfer in per month",
        90_000,
        "GB",
        "AWS",
        "us-east-1",
        "Compute",
        "Amazon Elastic Compute Cloud",
    ),
    (
        9_000.0,
        "EC2 instance hours (mixed types)",
        70_000,
        "Hours",
        "AWS",
        "eu-west-1",
        "Compute",
        "Amazon Elastic Compute Cloud",
    ),
    (
        2_300.0,
        "$0.023 per GB - first 50 TB / month of storage used",
        100_000,
        "GB-Mo",
        "AWS",
        "eu-west-1",
        "Storage",
        "Amazon Simple Storage Service",
    ),
    (
        4_200.0,
        "Virtual Machines D4s v5 - West Europe",
        21_900,
        "Hours",
        "Microsoft",
        "westeurope",
        "Compute",
        "Virtual Machines",
    ),
    (
        870.0,
        "Rtn Preference: MGN - Standard Data Transfer Out",
        10_000,
        "GB",
        "Microsoft",
        "westeurope",
        "Networking",
        "Bandwidth",
    ),
]


def export_rows(month: str, next_month: str) -> list[str]:
    rows = []
    for cost, text, quantity, unit, provider, region, category, service in MONTHLY:
        account = "111111111111" if provider == "AWS" else "contoso-ea"
        rows.append(
            f"{cost},{cost},{cost},{cost},{account},Acme,Billing Account,USD,{month},"
            f'{next_month},{month},{next_month},Usage,,"{text}",{quantity},{unit},{quantity},'
            f"{unit},INV-{month[:7]},{provider},{provider},{provider},{region},{category},"
            f"{service}"
        )
    return rows


lines = [
    COLUMNS,
    *export_rows("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"),
    *export_rows("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
    # A credit in November: kept with its charge category, reported, never dropped.
    "-500.0,-500.0,-500.0,-500.0,111111111111,Acme,Billing Account,USD,2026-11-01T00:00:00Z,"
    "2026-12-01T00:00:00Z,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,Credit,,Service credit,,,0,"
    "Units,INV-2026-11,AWS,AWS,AWS,,Other,AWS Credits",
]
folder = Path(tempfile.mkdtemp())
export_path = folder / "focus-2026-10-to-11.csv"
export_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

# %% [markdown]
# ## 1. Read and check the export
#
# `read_focus` detects the FOCUS version from the header, checks the mandatory columns, the
# types, one billing currency, the dates and the periods, and names the file, the column and
# a row when something is wrong. Only the columns exitcost uses are read; text becomes
# categoricals.

# %%
frame = read_focus(export_path)
print(frame.attrs["focus_version"], frame.attrs["billing_currency"], len(frame), "rows")
billed_total = frame["BilledCost"].sum()
print(f"BilledCost total: {billed_total:,.2f} USD")
assert frame.attrs["focus_version"] == "1.2"
assert round(billed_total, 2) == round(2 * sum(row[0] for row in MONTHLY) - 500.0, 2)
focus_cost_notes(frame)

# %% [markdown]
# ## 2. The billed baseline
#
# FOCUS has no destination column, and most AWS transfer rows say `ServiceCategory =
# Compute`; the classifier (a data file, `data/focus/classifier-<date>.yaml`, that users can
# extend) finds transfer rows from their description, SKU meter and unit instead. Every row that
# looks like a transfer but no rule places is counted and listed.

# %%
base = focus_baseline(frame)
print(f"transfer rows: {base.classed_rows} of {base.transfer_rows} classed")
assert base.classed_rows == base.transfer_rows == 10  # 5 transfer lines a month, two months
base.by_category()

# %%
base.transfers.groupby(["provider", "region", "transfer_class"], observed=True)[
    "volume_gb"
].sum() / base.months

# %% [markdown]
# ## 3. An estate skeleton, and the library's baseline next to the bill
#
# The bill shows where money went and how much data moved, not how the estate is built. The
# skeleton takes the regions, stored GB-months, compute spend per service, transfer volumes and
# commitment purchases, fills the rest with plain defaults, and lists each of them. The estate
# date is the end of the last charge period, 2026-12-01, so every bundled book is in effect.

# %%
skeleton = estate_skeleton(frame)
estate = skeleton.estate
print(
    f"{len(estate.locations)} locations, {len(estate.datasets)} datasets, "
    f"{len(estate.workloads)} workloads; {len(skeleton.guesses)} guessed fields"
)
skeleton.guesses

# %%
yaml_text = write_skeleton(skeleton, folder / "estate.yaml")
print("\n".join(yaml_text.splitlines()[:8]))

# %% [markdown]
# The reconciliation prices the skeleton from the library's own books (`baseline_cost`) and
# puts it next to the bill, per provider and category. Compute matches by construction (the
# workloads carry the billed compute). Storage and egress are list prices of the billed
# volumes: here the S3 bill is list price exactly, while AWS internet egress is billed at the
# 0.05 USD/GB band for all 131,400 GB, where the book charges the first tiers (free allowance,
# 0.09 and 0.085 USD/GB) first: the list price is *higher* than this fictional bill, a sign of
# a negotiated rate. Cross-zone and inbound transfer are billed but not modelled.

# %%
recon = reconcile_focus(skeleton)
recon.drop(columns="note")

# %%
aws = recon[recon["provider"] == "aws"].set_index(["category", "transfer_class"])
assert aws.loc[("compute", ""), "difference_usd_per_month"] == 0.0
assert (
    aws.loc[("egress", "internet"), "modelled_usd_per_month"]
    > aws.loc[("egress", "internet"), "billed_usd_per_month"]
)
library = baseline_cost(estate)
assert (
    abs(library["usd_per_month"].sum() - recon["modelled_usd_per_month"].sum())
    < 1e-6 * library["usd_per_month"].sum()
)

# %% [markdown]
# ## 4. A first exit answer
#
# The data part of the exit bill on its own, dataset by dataset (`exitcost.pricing.exit_bill`:
# egress at the books' tiers, the move as the only egress of its month), then stay-or-leave for
# AWS over five years with a colocation site as the destination, simulated by the engine: its
# `exit_cost_usd` is the exit bill (data move in the month's tiers with the recurring traffic,
# labour, dual running, commitments). The guesses above matter here: `kind: other` workloads
# and no code size mean the re-platforming effort is the catalog's default, and datasets are
# `standard` storage. Complete the skeleton's guessed fields before trusting the figure.

# %%
bill = exit_bill(estate)
bill[["dataset", "provider", "size_gb", "egress_usd", "total_usd"]]

# %%
case = exit_case(estate, "aws")
summary = case.summary
summary

# %%
stay, leave = summary.loc["stay"], summary.loc["leave"]
print(
    f"Leaving AWS: one-time exit cost {leave['exit_cost_usd']:,.0f} USD; five-year NPV "
    f"{leave['npv_cost_usd']:,.0f} USD against {stay['npv_cost_usd']:,.0f} USD to stay."
)
assert leave["exit_cost_usd"] > 0
assert bill["egress_usd"].sum() > 0
