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
# # Inference at the edge, near the data
#
# The sample retailer runs shelf and checkout vision models in four stores, next to the
# cameras' video. Should that inference move to cloud GPUs? Two things decide it: what it costs
# to bring the video to the GPUs (transfer and the uplink it needs), and what a GPU-hour costs
# owned against rented at the utilisation the stores reach. This notebook prices both from the
# books and the facilities defaults. It runs top to bottom as a plain script and checks what it
# says.

# %%
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import exitcost as xc
from exitcost.report import plots

pd.set_option("display.width", 100)
estate = xc.sample_estate()
CLOUD = "oci:eu-frankfurt-1"  # an EU region whose book prices H100 GPU-hours
HOURS_PER_MONTH = 730.0

# %% [markdown]
# ## The stores' data
#
# Each store's vision workload writes its video to a local cache and must keep it in the EU
# (the cache's `residency`). The volumes are the estate's expected values.

# %%
stores = pd.DataFrame(
    [
        {
            "workload": w.id,
            "location": w.location,
            "video_gb_per_month": sum(
                xc.uncertainty.point(f.gb_per_month)
                for f in w.writes
                if f.dataset.endswith("-cache")
            ),
            "residency": ",".join(
                estate.dataset(f.dataset).residency[0]
                for f in w.reads
                if f.dataset.endswith("-cache")
            ),
            "gpus": sum(xc.uncertainty.point(c.quantity) for c in w.compute if c.resource == "gpu"),
        }
        for w in estate.workloads
        if w.location.startswith("edge:")
    ]
)
stores

# %% [markdown]
# ## Bringing the video to the GPUs
#
# The cost graph prices each store's monthly video to the cloud region over its cheapest path
# (the stores' internet transit, then free ingress), and `required_bandwidth_gbps` gives the
# uplink the upload needs if it runs all month.

# %%
graph = xc.CostGraph.from_estate(estate, extra_locations=[CLOUD])
stores["upload_usd_per_month"] = [
    graph.route(loc, CLOUD, gb).cost_usd
    for loc, gb in zip(stores["location"], stores["video_gb_per_month"], strict=True)
]
stores["uplink_gbps"] = xc.effort.required_bandwidth_gbps(
    stores["video_gb_per_month"].to_numpy(), window_days=30
)
stores[["workload", "video_gb_per_month", "upload_usd_per_month", "uplink_gbps"]]

# %%
upload_usd_per_month = stores["upload_usd_per_month"].sum()
assert (stores["residency"] == "EU").all()  # Frankfurt keeps the video in the EU
assert (stores["uplink_gbps"] < 1.0).all()  # well within a store's line
print(f"uploading all four stores' video: {upload_usd_per_month:,.0f} USD a month")

# %% [markdown]
# Moving the video costs little: the stores pay for committed transit, and cloud ingress is
# free. The decision rests on the GPUs.
#
# ## Owned against rented GPU-hours
#
# An owned 8-GPU server costs the same every month whether it is busy or not, so the cost of a
# *used* GPU-hour falls as utilisation rises; a rented GPU-hour costs its list price. Above
# the break-even utilisation, owning is cheaper. The facilities defaults give the server's
# price, life, power and upkeep with their sources.

# %%
facility_defaults = xc.facilities.load_facility_defaults()  # read once, passed to each model
cloud_usd_per_gpu_hour = xc.facilities.gpu_cloud_usd_per_gpu_hour(CLOUD, "H100")
break_even = float(
    xc.facilities.gpu_break_even_utilisation(cloud_usd_per_gpu_hour, defaults=facility_defaults)
)
owned_usd_per_month = float(xc.facilities.gpu_owned_usd_per_month(defaults=facility_defaults))
print(f"cloud H100 in {CLOUD}: {cloud_usd_per_gpu_hour:.2f} USD per GPU-hour")
print(f"owned 8-GPU server: {owned_usd_per_month:,.0f} USD a month")
print(f"owning is cheaper above {break_even:.0%} utilisation")

# %%
utilisation = np.linspace(0.05, 1.0, 96)
owned = xc.facilities.gpu_usd_per_gpu_hour(utilisation, defaults=facility_defaults)
fig = Figure(figsize=(8, 4.5), layout="constrained")
ax = fig.add_subplot()
ax.plot(utilisation * 100, owned, label="owned server, per used GPU-hour")
ax.axhline(cloud_usd_per_gpu_hour, color="black", linestyle="--", label=f"rented in {CLOUD}")
ax.axvline(break_even * 100, color="grey", linewidth=0.8)
ax.set_xlabel("Utilisation of the owned GPUs [%]")
ax.set_ylabel("Cost of a used GPU-hour [USD/GPU-hour]")
ax.yaxis.set_major_formatter(lambda value, _pos: plots.usd_label(value))
ax.set_ylim(0, 4 * cloud_usd_per_gpu_hour)
ax.set_title("Owning against renting GPU-hours", loc="left")
ax.legend()
fig

# %% [markdown]
# At the break-even utilisation the two cost the same; above it the owned server's hour is
# cheaper. The upload bill moves the break-even only a little: spread over the eight GPUs of
# one server it is a few dollars a month against thousands.

# %%
at_break_even = float(xc.facilities.gpu_usd_per_gpu_hour(break_even, defaults=facility_defaults))
assert abs(at_break_even - cloud_usd_per_gpu_hour) < 1e-6 * cloud_usd_per_gpu_hour
assert float(xc.facilities.gpu_usd_per_gpu_hour(1.0, defaults=facility_defaults)) < (
    cloud_usd_per_gpu_hour
)
gpus_per_server = facility_defaults.value("gpus_per_server")
rented_at_full_use = gpus_per_server * HOURS_PER_MONTH * cloud_usd_per_gpu_hour
with_upload = (owned_usd_per_month - upload_usd_per_month) / rented_at_full_use
print(f"counting the upload against the cloud, owning pays above {with_upload:.1%}")
assert with_upload <= break_even
