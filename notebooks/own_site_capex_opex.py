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
# # Leaving a cloud for an own site: the CapEx and OpEx view
#
# A finance team reads a repatriation as a change of cost structure: cloud OpEx every month
# against hardware bought up front (CapEx), then the site's own OpEx (power, space,
# maintenance, staff, transit), with one-off costs of the move in between. This notebook leaves
# AWS for a colocation site with the sample estate and shows the years side by side, how much
# is capital, when the money goes out, and how the answer moves with the discount rate. It runs
# top to bottom as a plain script and checks what the text says.

# %%
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import exitcost as xc
from exitcost.report import plots

pd.set_option("display.width", 100)
pd.set_option("display.float_format", lambda x: f"{x:,.0f}")
estate = xc.sample_estate()
case = xc.exit_case(estate, "aws", exit_waiver=True)

# %% [markdown]
# ## Cost structure by year
#
# Each month of the leave side is split by cost category; we group the categories the way a
# finance team does: **capex** (hardware, including refreshes), **site opex** (running the
# site), **cloud** (what AWS is still paid until cut-over: compute, storage, egress,
# commitments) and **one-off** (labour, dual running, retrieval, requests, early deletion).

# %%
GROUPS = {
    "capex": ["capex"],
    "site opex": ["onprem_opex"],
    "cloud": ["compute", "storage", "egress", "commitments"],
    "one-off": ["labour", "dual_running", "retrieval", "requests", "early_deletion"],
}
flows = case.monthly_costs
year = flows.index // 12 + 1
by_year = (
    pd.DataFrame(
        {
            group: sum(
                (flows[f"leave_{c}_usd"] for c in cats if f"leave_{c}_usd" in flows),
                start=pd.Series(0.0, index=flows.index),
            )
            for group, cats in GROUPS.items()
        }
    )
    .groupby(year.rename("year"))
    .sum()
)
by_year["leave total"] = by_year.sum(axis=1)
by_year["stay (cloud)"] = flows["stay_usd"].groupby(year).sum().to_numpy()
by_year

# %% [markdown]
# The groups cover every category the leave side has, so each year's groups add up to what
# leaving costs that year.

# %%
assert np.allclose(
    by_year["leave total"].to_numpy(), flows["leave_usd"].groupby(year).sum().to_numpy()
)

# %%
fig = Figure(figsize=(8, 4.5), layout="constrained")
ax = fig.add_subplot()
bottom = np.zeros(len(by_year))
for group in GROUPS:
    ax.bar(by_year.index, by_year[group], bottom=bottom, label=group)
    bottom += by_year[group].to_numpy()
ax.plot(by_year.index, by_year["stay (cloud)"], color="black", marker="o", label="stay")
ax.set_xlabel("Year of the plan [years from the as-of month]")
ax.set_ylabel("Cost per year [USD]")
ax.yaxis.set_major_formatter(lambda value, _pos: plots.usd_label(value))
ax.set_title("Leaving AWS for a colocation site: cost structure by year", loc="left")
ax.legend()
fig

# %% [markdown]
# ## How much is capital, and when it is spent
#
# Hardware is bought when the site is ordered and again as it grows with the workloads moved
# in; in the first year CapEx and the move's one-off costs come on top of the cloud bill still
# running, which is why leaving costs more than staying at first.

# %%
capex = flows["leave_capex_usd"]
share_capex = capex.sum() / flows["leave_usd"].sum()
first_year = by_year.loc[1]
print(f"CapEx is {share_capex:.0%} of what leaving costs over {len(flows)} months")
print(
    f"year 1: leave {first_year['leave total']:,.0f} USD vs stay {first_year['stay (cloud)']:,.0f}"
)
assert 0 < share_capex < 1
assert first_year["leave total"] > first_year["stay (cloud)"]
assert by_year["leave total"].iloc[-1] < by_year["stay (cloud)"].iloc[-1]

# %% [markdown]
# ## The discount rate
#
# Money spent up front weighs more at a higher discount rate, so the savings' net present
# value falls as the rate rises: the case for an own site is stronger for a company whose
# money is cheap.

# %%
rates = [0.04, 0.08, 0.12]
savings = pd.Series(
    [
        xc.exit_case(estate, "aws", exit_waiver=True, discount_rate_per_year=rate).summary.loc[
            "leave", "savings_npv_usd"
        ]
        for rate in rates
    ],
    index=pd.Index(rates, name="discount_rate_per_year"),
    name="savings_npv_usd",
)
savings

# %%
assert savings.is_monotonic_decreasing
assert savings.loc[0.08] == case.summary.loc["leave", "savings_npv_usd"]
