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
# # Moving part of an estate to another cloud
#
# Not every exit is total. A common question: move the analytics (the data lake and the jobs
# that read it) from AWS to Google Cloud, keep the rest. The data gravity decides the price:
# the lake must be copied out once, and every workload left behind that reads or writes it now
# pays to cross clouds every month. This notebook prices both with the cost graph for the
# sample estate and asks how much cheaper the analytics must run in Google Cloud to pay the
# move back in two years. It runs top to bottom as a plain script and checks what it says.

# %%
import pandas as pd

import exitcost as xc
from exitcost.report import plots

pd.set_option("display.width", 100)
pd.set_option("display.float_format", lambda x: f"{x:,.2f}")

estate = xc.sample_estate()
MOVED_DATASETS = ("data-lake-raw", "data-lake-curated")
MOVED_WORKLOADS = ("lake-analytics",)
SOURCE, TARGET = "aws:us-east-1", "gcp:us-central1"
MOVE_MONTHS = 6  # the copy is spread over six months
PAYBACK_MONTHS = 24

graph = xc.CostGraph.from_estate(estate, extra_locations=[TARGET])

# %% [markdown]
# ## What moves
#
# Two datasets, about 1.8 PB, and the analytics job that reads them.

# %%
moved = pd.DataFrame(
    [
        {
            "dataset": d.id,
            "location": d.location,
            "storage_class": d.storage_class,
            "size_gb": xc.uncertainty.point(d.size_gb),
        }
        for d in estate.datasets
        if d.id in MOVED_DATASETS
    ]
)
total_gb = moved["size_gb"].sum()
print(f"{xc.units.format_size(total_gb)} to move")
moved

# %% [markdown]
# ## The one-off copy
#
# The copy leaves AWS at `total / 6` GB a month for six months. AWS's free egress on exit does
# not apply: its programme requires moving *all* data out of AWS, which a partial move does
# not. The cost graph finds the cheapest path for that monthly volume, and compares it with
# plain internet egress; volumes beyond an option's published tiers are priced at its last rate.

# %%
copy = graph.route(
    SOURCE,
    TARGET,
    total_gb / MOVE_MONTHS,
    recurring_months=MOVE_MONTHS,
    beyond_published="extrapolate",
)
assert copy.direct is not None
one_off_usd = copy.cost_usd
print(f"cheapest copy: {one_off_usd:,.0f} USD; over the internet: {copy.direct.cost_usd:,.0f} USD")
copy.to_frame()[["hop", "src", "dst", "transfer_class", "cost_usd"]]

# %%
assert one_off_usd <= copy.direct.cost_usd
plots.graph_map(graph, route=copy, title="The cheapest path for the data lake's copy")

# %% [markdown]
# ## Every month after: the flows that now cross clouds
#
# A flow moves data from where the dataset is to where the workload runs (a read) or the
# other way (a write). We list every flow of the estate that touches a moved dataset or
# workload, with its endpoints before and after the move, and price each month's volume on the
# cheapest path. Each flow is priced on its own, as if it were its source's only traffic that
# month: tiers are marginal per account and month, so this is an upper bound where flows share
# a source account.


# %%
def where(location: str, moved_here: bool) -> str:
    return TARGET if moved_here else location


rows = []
for w in estate.workloads:
    for direction, flows in (("read", w.reads), ("write", w.writes)):
        for flow in flows:
            dataset = estate.dataset(flow.dataset)
            if flow.dataset not in MOVED_DATASETS and w.id not in MOVED_WORKLOADS:
                continue
            ends = {}
            for when, moved_now in (("before", False), ("after", True)):
                data_at = where(dataset.location, moved_now and dataset.id in MOVED_DATASETS)
                work_at = where(w.location, moved_now and w.id in MOVED_WORKLOADS)
                ends[when] = (data_at, work_at) if direction == "read" else (work_at, data_at)
            gb = xc.uncertainty.point(flow.gb_per_month)
            rows.append(
                {
                    "workload": w.id,
                    "flow": f"{direction} {flow.dataset}",
                    "gb_per_month": gb,
                    "before": " -> ".join(ends["before"]),
                    "after": " -> ".join(ends["after"]),
                    "before_usd_per_month": graph.route(*ends["before"], gb).cost_usd,
                    "after_usd_per_month": graph.route(*ends["after"], gb).cost_usd,
                }
            )
traffic = pd.DataFrame(rows)
traffic[["workload", "flow", "gb_per_month", "before_usd_per_month", "after_usd_per_month"]]

# %%
extra_usd_per_month = traffic["after_usd_per_month"].sum() - traffic["before_usd_per_month"].sum()
print(f"cross-cloud traffic adds {extra_usd_per_month:,.0f} USD a month")
assert extra_usd_per_month > 0  # the jobs left in AWS and Azure now reach across clouds

# %% [markdown]
# ## What the move must save
#
# To pay back within two years, the analytics must run cheaper in Google Cloud by the copy
# spread over 24 months plus the new monthly traffic. Compare this with the job's current
# compute bill in the estate.

# %%
needed_usd_per_month = one_off_usd / PAYBACK_MONTHS + extra_usd_per_month
compute_usd_per_month = sum(
    xc.uncertainty.point(estate.workload(w).compute_usd_per_month) for w in MOVED_WORKLOADS
)
share = needed_usd_per_month / compute_usd_per_month
print(
    f"needs {needed_usd_per_month:,.0f} USD a month of savings: {share:.0%} of the "
    f"{compute_usd_per_month:,.0f} USD the analytics compute costs today"
)
assert needed_usd_per_month > extra_usd_per_month > 0
