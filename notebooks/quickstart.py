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
# # Quickstart: from an estate to a report
#
# exitcost needs one import. This notebook takes the bundled sample estate (a fictional
# retailer on AWS, Azure, an own data centre, a colocation site and four stores), asks what
# staying costs, what leaving AWS would cost once, whether leaving pays back, and the cheapest
# way to move its data; then it draws the answers and writes a report a board can read and
# an Excel workbook finance can audit. It runs top to bottom as a plain script
# (`python notebooks/quickstart.py`) and checks what the text says as it goes.

# %%
import tempfile
from pathlib import Path

import pandas as pd

import exitcost as xc
from exitcost.report import case_report, plots, write_report
from exitcost.report.build import case_frames

pd.set_option("display.width", 100)
estate = xc.sample_estate()  # or xc.Estate.from_yaml("my-estate.yaml")
print(estate.name, "as of", estate.as_of)

# %% [markdown]
# ## What is where
#
# The inventory gives each location's data and compute (expected values of uncertain inputs).

# %%
inventory = xc.inventory(estate)
inventory[["provider", "kind", "size_gb", "compute_usd_per_month"]]

# %% [markdown]
# ## What staying costs
#
# The baseline is today's monthly run cost by provider and cost category, priced with the
# books in effect on the estate's as-of date.

# %%
baseline = xc.baseline.baseline_by_provider(estate)
baseline

# %%
stay_usd_per_month = float(baseline.to_numpy().sum())
assert stay_usd_per_month > 0

# %% [markdown]
# ## Leaving AWS: the one-time bill and the years after
#
# `exit_case` puts staying and leaving on one monthly time line: the colocation site ordered
# in month 0, each workload moving when its turn comes, the data moved over its path's bandwidth
# (the exit waiver covers what moves inside its 60-day window), labour, dual running and
# commitments when they fall due. It is a view of the engine: its exit bill is the one exit bill.

# %%
case = xc.exit_case(estate, "aws", exit_waiver=True)
case.summary

# %%
flows, bill = case_frames(case)
plots.waterfall(bill, title="Leaving AWS: one-time exit bill")

# %%
leave = case.summary.loc["leave"]
plots.cash_flow_chart(flows, break_even_months={"leave": leave["break_even_month"]})

# %% [markdown]
# The waterfall's total is the exit bill's expected total, and the leave line crosses the stay
# line in the break-even month the summary gives.

# %%
assert abs(bill["usd"].sum() - case.exit_bill.loc["total", "expected_usd"]) < 1e-6
cumulative = flows.pivot_table(index="month", columns="plan", values="cumulative_cost_usd")
if pd.notna(leave["break_even_month"]):
    month = int(leave["break_even_month"])
    assert cumulative.loc[month, "leave"] <= cumulative.loc[month, "stay"]
    assert (cumulative.loc[month:, "leave"] <= cumulative.loc[month:, "stay"]).all()

# %% [markdown]
# ## The cheapest way to move the data
#
# The cost graph joins the estate's locations by every priced option: internet egress,
# provider backbones, interconnects, site transit. Routing 500 TB a month from AWS us-east-1
# to the colocation site in Amsterdam finds whether an interconnect beats public egress.

# %%
graph = xc.CostGraph.from_estate(estate)
route = graph.route("aws:us-east-1", "colo:ams1", xc.parse_size_gb("500 TB"))
route.to_frame()

# %%
assert route.direct is not None
assert route.cost_usd <= route.direct.cost_usd
print(f"cheapest: {route.cost_usd:,.0f} USD, public egress: {route.direct.cost_usd:,.0f} USD")
plots.graph_map(graph, route=route)

# %% [markdown]
# ## A report to forward
#
# `case_report` gathers the decision with its range, the plots, the tables, every assumption
# and the price books with their dates and labels; `write_report` writes a self-contained HTML
# page and an Excel workbook (each written whole or not at all).

# %%
report = case_report(case, as_of=estate.as_of)
folder = Path(tempfile.mkdtemp())
paths = write_report(report, folder)
print(report.headline.decision)
sorted(p.name for p in folder.iterdir())

# %%
assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.xlsx"]
assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
