"""Hypothesis strategies that generate valid estates (references consistent), for reuse.

``estates()`` draws locations first, then datasets, workloads, contracts and teams that refer
only to what exists, so every drawn mapping validates. Quantities are plain floats or
distributions (as mappings or compact text); sizes are sometimes size text. Text fields draw
from all of Unicode (control characters and line separators included); ids use every character
the schema allows; every optional field is sometimes left out, sometimes empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

__all__ = ["estate_dicts", "estates", "quantities"]

CLOUDS = {
    "aws": [("us-east-1", "north_america", "US"), ("eu-west-1", "europe", "EU")],
    "azure": [("westeurope", "europe", "EU"), ("eastus", "north_america", "US")],
    "gcp": [("europe-west4", "europe", "EU")],
}
SITES = ["onprem", "colo", "edge"]
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
# Entity ids: every character the schema allows; a "-<index>" suffix keeps them unique.
ENTITY_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,8}", fullmatch=True)
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(["", "null", "yes", "~", "1e3", "2026-11-01", "a\x85b", "x\u2028y", " pad "]),
)
SERVICES = ["aws.ec2", "aws.s3", "aws.lambda", "azure.vm", "gcp.gcs", "aws.rds_postgres"]
JURISDICTIONS = ["EU", "UK", "US", "CH", "JP"]
WORKLOAD_KINDS = [
    "web",
    "api",
    "batch",
    "analytics",
    "database",
    "ml_training",
    "inference",
    "streaming",
    "other",
]
STRATEGIES = ["retire", "retain", "rehost", "relocate", "replatform", "repurchase", "refactor"]
CONTRACT_KINDS = [
    "reserved_capacity",
    "savings_plan",
    "committed_use",
    "minimum_spend",
    "license",
    "colocation_lease",
]
CAPACITY_FIELDS = ["vcpus", "memory_gib", "gpus", "storage_gb", "power_kw", "racks"]


def _finite(min_value: float, max_value: float) -> st.SearchStrategy[float]:
    return st.floats(
        min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False
    )


@st.composite
def _three_point(draw: st.DrawFn, low: float, high: float) -> tuple[float, float, float]:
    a, b, c = sorted(draw(st.lists(_finite(low, high), min_size=3, max_size=3)))
    return a, b, c


@st.composite
def quantities(
    draw: st.DrawFn, minimum: float = 0.0, maximum: float = 1e7, capped: bool = False
) -> Any:
    """A valid quantity >= ``minimum``: float, int, distribution mapping or compact text.

    ``capped``: ``maximum`` is a validity bound too (a growth rate <= 1), so a normal
    distribution always gets a finite ``high``.
    """
    kind = draw(st.sampled_from(["float", "int", "pert", "triangular", "uniform", "normal"]))
    if kind == "float":
        return draw(st.one_of(_finite(minimum, maximum), st.sampled_from([minimum, 0.0, 1e-300])))
    if kind == "int":
        return draw(st.integers(min_value=int(minimum) + 1, max_value=int(maximum)))
    low, mode, high = draw(_three_point(minimum, maximum))
    if kind in ("pert", "triangular"):
        if draw(st.booleans()):
            return {"dist": kind, "low": low, "mode": mode, "high": high}
        return f"{kind}({low!r}, {mode!r}, {high!r})"
    if kind == "uniform":
        return {"dist": "uniform", "low": low, "high": high}
    # sd 0 (a constant) or not tiny against the bounds: scipy's truncnorm overflows for bounds
    # ~1e200 standard deviations away, which is no realistic input.
    sd = draw(st.one_of(st.just(0.0), _finite(max(high - low, 1.0) / 100, maximum)))
    if capped and not high > low:
        return mode  # a bounded normal needs low < high: a constant instead
    upper = draw(st.one_of(st.none(), st.just(high))) if high > low else None
    if capped:
        upper = high
    return {"dist": "normal", "mu": mode, "sd": sd, "low": low, "high": upper}


@st.composite
def _location(draw: st.DrawFn, index: int) -> dict[str, Any]:
    provider = draw(st.sampled_from([*CLOUDS, *SITES]))
    if provider in CLOUDS:
        region, continent, jurisdiction = draw(st.sampled_from(CLOUDS[provider]))
        region = f"{region}-{index}" if draw(st.booleans()) else region
        kind = "cloud"
    else:
        region = f"site-{index}"
        continent = draw(st.sampled_from(["europe", "asia", "oceania"]))
        jurisdiction = draw(st.sampled_from(["EU", "UK", "CH", "JP", "US"]))
        kind = provider
    loc: dict[str, Any] = {
        "id": f"{provider}:{region}",
        "kind": kind,
        "continent": continent,
        "jurisdiction": jurisdiction,
        "name": draw(TEXT),
        "account": draw(st.one_of(st.none(), st.just(""), IDS)),
    }
    if draw(st.booleans()):
        loc["capacity"] = {
            name: draw(st.one_of(st.none(), st.just(0.0), _finite(0, 1e7)))
            for name in draw(st.lists(st.sampled_from(CAPACITY_FIELDS), unique=True, min_size=1))
        }
    return loc


@st.composite
def estate_dicts(draw: st.DrawFn, max_items: int = 4) -> dict[str, Any]:
    """A mapping that validates into an Estate."""
    n_loc = draw(st.integers(1, max_items))
    locations: dict[str, dict[str, Any]] = {}
    for i in range(n_loc):
        loc = draw(_location(i))
        locations.setdefault(loc["id"], loc)
    loc_ids = list(locations)
    teams = [
        {
            "id": f"{draw(ENTITY_IDS)}-{i}",
            "usd_per_person_day": draw(_finite(1, 3000)),
            "capacity_person_days_per_month": draw(_finite(0.5, 500)),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    team_ids = [t["id"] for t in teams]
    maybe_team = st.one_of(st.none(), st.sampled_from(team_ids)) if team_ids else st.none()
    datasets = []
    for i in range(draw(st.integers(0, max_items))):
        where = draw(st.sampled_from(loc_ids))
        size = draw(
            st.one_of(
                quantities(),
                st.sampled_from(["2 PB", "500TB", "750 GiB", "1.5e3", "12 GB"]),
            )
        )
        home = locations[where]["jurisdiction"]
        others = draw(st.lists(st.sampled_from(JURISDICTIONS), unique=True, max_size=2))
        datasets.append(
            {
                "id": f"{draw(ENTITY_IDS)}-{i}",
                "location": where,
                "size_gb": size,
                "storage_class": draw(
                    st.sampled_from(["standard", "infrequent", "cold", "archive", "deep_archive"])
                ),
                "growth_rate_per_month": draw(quantities(minimum=-1.0, maximum=1.0, capped=True)),
                "object_count": draw(st.one_of(st.none(), st.integers(0, 2**63 - 1))),
                "residency": (
                    [home, *(j for j in others if j != home)] if draw(st.booleans()) else []
                ),
                "owner": draw(maybe_team),
                "description": draw(TEXT),
            }
        )
    ds_ids = [d["id"] for d in datasets]
    flows = (
        st.lists(
            st.fixed_dictionaries(
                {"dataset": st.sampled_from(ds_ids), "gb_per_month": quantities()}
            ),
            max_size=3,
        )
        if ds_ids
        else st.just([])
    )
    workloads = []
    for i in range(draw(st.integers(0, max_items))):
        workloads.append(
            {
                "id": f"{draw(ENTITY_IDS)}-{i}",
                "location": draw(st.sampled_from(loc_ids)),
                "kind": draw(st.sampled_from(WORKLOAD_KINDS)),
                "team": draw(maybe_team),
                "compute_usd_per_month": draw(quantities()),
                "compute": draw(
                    st.lists(
                        st.one_of(
                            st.fixed_dictionaries(
                                {
                                    "resource": st.sampled_from(["vcpu", "memory_gib"]),
                                    "quantity": quantities(maximum=1e4),
                                    "hours_per_month": _finite(0, 744),
                                    "commitment": st.sampled_from(["on_demand", "1yr", "3yr"]),
                                }
                            ),
                            st.fixed_dictionaries(
                                {
                                    "resource": st.just("gpu"),
                                    "quantity": quantities(maximum=100),
                                    "hours_per_month": _finite(0, 744),
                                    "gpu_model": st.one_of(st.none(), st.just("H100"), TEXT),
                                }
                            ),
                        ),
                        max_size=2,
                    )
                ),
                "reads": draw(flows),
                "writes": draw(flows),
                "internet_egress_gb_per_month": draw(quantities()),
                "internet_ingress_gb_per_month": draw(quantities()),
                "services": draw(
                    st.lists(
                        st.one_of(
                            st.sampled_from(SERVICES),
                            st.fixed_dictionaries(
                                {"service": st.sampled_from(SERVICES), "units": _finite(0, 1e3)}
                            ),
                        ),
                        max_size=3,
                    )
                ),
                "code_kloc": draw(quantities(maximum=1e4)),
                "instances": draw(st.one_of(st.none(), st.integers(0, 10**4))),
                "strategy": draw(st.one_of(st.none(), st.sampled_from(STRATEGIES))),
                "description": draw(TEXT),
            }
        )
    contracts = []
    for i in range(draw(st.integers(0, 2))):
        start = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
        end = start + dt.timedelta(days=draw(st.integers(1, 3000)))
        where = draw(st.one_of(st.none(), st.sampled_from(loc_ids)))
        contracts.append(
            {
                "id": f"{draw(ENTITY_IDS)}-{i}",
                "kind": draw(st.sampled_from(CONTRACT_KINDS)),
                "provider": where.split(":")[0] if where else draw(st.sampled_from(["aws", "erp"])),
                "location": where,
                "usd_per_month": draw(_finite(0, 1e7)),
                "upfront_usd": draw(_finite(0, 1e7)),
                "discount_fraction": draw(st.one_of(st.none(), _finite(0, 0.99))),
                "start": start,
                "end": end,
                "termination_fee_usd": draw(_finite(0, 1e6)),
                "cancellable": draw(st.booleans()),
            }
        )
    return {
        "name": draw(st.one_of(IDS, TEXT.filter(bool))),
        "description": draw(TEXT),
        "as_of": draw(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31))),
        "locations": list(locations.values()),
        "datasets": datasets,
        "workloads": workloads,
        "contracts": contracts,
        "teams": teams,
    }


def estates(max_items: int = 4) -> st.SearchStrategy[Any]:
    """Valid :class:`exitcost.estate.Estate` objects."""
    from exitcost.estate import Estate

    return estate_dicts(max_items).map(Estate.from_dict)
