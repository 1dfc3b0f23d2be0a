"""The cost graph built from the bundled price books (CostGraph.from_estate / from_price_books)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from exitcost.errors import (
    ExtrapolationWarning,
    PriceLimitError,
    UnknownLocationError,
    UnknownProviderError,
)
from exitcost.estate import Estate, estate_from_dict, sample_estate
from exitcost.graph import INTERNET, CostGraph
from exitcost.pricing import egress_cost, load_price_book
from exitcost.pricing.books import HOURS_PER_MONTH
from tests.graph.conftest import TODAY, small_estate_dict

VOLUMES_GB = (0.0, 50.0, 5_000.0, 60_000.0, 200_000.0)
EXTRA = "extrapolate"


@pytest.fixture(scope="module")
def all_regions() -> CostGraph:
    return CostGraph.from_price_books(as_of=TODAY)


def test_internet_route_equals_egress_cost_for_every_cloud_location(
    all_regions: CostGraph,
) -> None:
    """The direct egress edge is exactly ``egress_cost``; the cheapest route never costs more.

    Team decision: for every cloud location the direct edge ``src -> internet`` costs exactly
    (``==``, not approximately) what ``egress_cost(v, source=src)`` says. The cheapest route
    may be lower only through a real relay: a backbone hop to another region of the same
    provider, priced from its book, whose own egress more than pays for the hop; with the books
    of late 2026 that happens, e.g., for Azure South Africa North via Switzerland North
    (0.08 + 0.087 < 0.181 USD/GB).
    """
    # Some books publish only their first bands (e.g. Azure zone 2 to 10,335 GB): price beyond
    # them at the last published rate on both sides so every region can be compared.
    clouds = [n for n, d in all_regions.graph.nodes(data=True) if d["kind"] == "cloud"]
    assert len(clouds) > 20
    relays = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)
        for volume in VOLUMES_GB:
            column = all_regions.matrix(volume, beyond_published=EXTRA).loc[clouds, INTERNET]
            for src, cheapest in column.items():
                expected = egress_cost(volume, source=src, as_of=TODAY, beyond_published=EXTRA)
                (edge,) = all_regions.options(src, INTERNET)
                assert edge.cost_usd(volume, beyond_published=EXTRA) == expected
                r = all_regions.route(src, INTERNET, volume, beyond_published=EXTRA)
                assert r.direct is not None
                assert r.direct.path == (src, INTERNET)
                assert r.direct.cost_usd == pytest.approx(expected, rel=1e-12, abs=1e-9)
                assert r.direct.cost_usd == expected
                assert r.cost_usd == pytest.approx(cheapest, rel=1e-12, abs=1e-9)
                if r.path == (src, INTERNET):
                    assert r.cost_usd == pytest.approx(expected, rel=1e-12, abs=1e-9)
                    assert r.cost_usd == expected
                else:
                    relays += 1
                    assert r.cost_usd < expected
                    assert r.savings_usd == pytest.approx(expected - r.cost_usd)
                    # A real relay: backbone hops within the provider, then that region's
                    # own internet egress, every hop priced from the price book.
                    provider = src.split(":")[0]
                    *backbone, out = r.hops
                    assert backbone
                    assert all(h.option.transfer_class == "inter_region" for h in backbone)
                    assert all(h.dst.split(":")[0] == provider for h in backbone)
                    assert (out.dst, out.option.key) == (INTERNET, "internet")
                    assert all(h.option.source.startswith(provider) for h in r.hops)
    assert relays < len(clouds) * len(VOLUMES_GB) // 4  # relaying is the exception


def test_volume_beyond_published_tier_is_an_error(all_regions: CostGraph) -> None:
    with pytest.raises(PriceLimitError, match="beyond the last published tier"):
        all_regions.matrix(10_000_000.0)


def test_bundled_matrix_invariants(all_regions: CostGraph) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExtrapolationWarning)
        m = all_regions.matrix(5_000.0, beyond_published=EXTRA).to_numpy()
        larger = all_regions.matrix(9_000.0, beyond_published=EXTRA).to_numpy()
    assert np.all(np.diag(m) == 0.0)
    assert not np.isnan(m).any()
    via = m[:, :, None] + m[None, :, :]
    assert np.all(m[:, None, :] <= via + 1e-9 * (1 + via))
    assert np.all(larger >= m - 1e-9)


def test_from_estate_nodes_and_edges() -> None:
    estate = sample_estate()
    g = CostGraph.from_estate(estate, as_of=TODAY)
    assert set(g.locations) == {loc.id for loc in estate.locations} | {INTERNET}
    node = g.graph.nodes["aws:eu-west-1"]
    assert (node["continent"], node["jurisdiction"], node["kind"]) == ("europe", "EU", "cloud")
    backbone = g.options("aws:us-east-1", "aws:eu-west-1")
    assert [o.transfer_class for o in backbone] == ["inter_region"]
    assert g.options(INTERNET, "azure:westeurope")[0].cost_usd(1e6) == 0.0


def test_interconnect_options_one_per_port() -> None:
    book = load_price_book("aws", as_of=TODAY)
    assert book.model.interconnect is not None
    g = CostGraph.from_estate(sample_estate(), as_of=TODAY)
    opts = {o.key: o for o in g.options("aws:eu-west-1", "colo:ams1")}
    ports = book.model.interconnect.ports
    assert len(opts) == len(ports)
    one_g = opts["interconnect:1g:dedicated"]
    port = next(p for p in ports if p.speed_gbps == 1.0)
    # The fixed fee is the AWS port plus the colocation's cross-connect to the on-ramp (the colo
    # template book prices it; the port alone left the site side of the link at $0).
    colo = load_price_book("colo", as_of=TODAY).model.interconnect
    assert colo is not None
    cross_connect = min(p.usd_per_hour for p in colo.ports) * HOURS_PER_MONTH
    assert one_g.fixed_usd_per_month == pytest.approx(
        port.usd_per_hour * HOURS_PER_MONTH + cross_connect
    )
    # 1 Gbit/s for 730 hours in billing GB (2**30 bytes).
    assert one_g.capacity_gb_per_month == pytest.approx(1e9 / 8 * 730 * 3600 / 2**30)
    back = {o.key: o for o in g.options("colo:ams1", "aws:eu-west-1")}
    assert back["interconnect:1g:dedicated"].usd_per_gb == (0.0,)
    # Interconnects only join a region to sites on its own continent.
    assert not [o for o in g.options("aws:us-east-1", "colo:ams1") if "interconnect" in o.key]


def test_hand_worked_interconnect_from_the_books() -> None:
    # 100,000 GB a month from AWS eu-west-1 to the colocation, figures read off the books:
    # - internet (aws 2024-09-25 internet_egress, V; pricing-facts.md §1): 100 GB free,
    #   10,140 x 0.09 = 912.60, 40,960 x 0.085 = 3,481.60, 48,800 x 0.07 = 3,416.00
    #   -> 7,810.20;
    # - Direct Connect 1G (aws book interconnect: 0.02/GB, M; port 0.30/h x 730 h = 219.00, S)
    #   plus the colo's fibre cross-connect (colo 2026-10-31: 0.136986/h x 730 h = 99.99978,
    #   about $100 a month, S): 2,000.00 + 219.00 + 99.99978 = 2,318.99978.
    # Break-even in the first band: 0.09 (v - 100) = 0.02 v + 318.99978
    #   -> v = 327.99978 / 0.07 = 4,685.7111 GB a month.
    g = CostGraph.from_estate(sample_estate(), as_of=TODAY)
    r = g.route("aws:eu-west-1", "colo:ams1", 100_000.0)
    assert r.path == ("aws:eu-west-1", "colo:ams1")
    assert r.options[0].key == "interconnect:1g:dedicated"
    assert r.cost_usd == pytest.approx(2318.99978)
    assert r.direct is not None
    assert r.direct.path == ("aws:eu-west-1", INTERNET, "colo:ams1")
    assert r.direct.cost_usd == pytest.approx(7810.20)
    assert r.break_even_gb == pytest.approx((327.99978 / 0.07,))
    below = g.route("aws:eu-west-1", "colo:ams1", 4_000.0)
    assert below.path == ("aws:eu-west-1", INTERNET, "colo:ams1")
    assert below.cost_usd == pytest.approx(3_900 * 0.09)


def test_no_interconnect_to_onprem_without_a_priced_circuit() -> None:
    # The onprem template book prices no carrier circuit to a cloud on-ramp (its header says
    # so), so the graph must not offer a private link to onprem:fra1 priced as if it were free.
    g = CostGraph.from_estate(sample_estate(), as_of=TODAY)
    assert load_price_book("onprem", as_of=TODAY).model.interconnect is None
    for region in ("aws:eu-west-1", "aws:eu-central-1"):
        assert not [o for o in g.options(region, "onprem:fra1") if "interconnect" in o.key]
        assert not [o for o in g.options("onprem:fra1", region) if "interconnect" in o.key]


def test_route_through_interconnect_beats_internet_at_volume() -> None:
    g = CostGraph.from_estate(sample_estate(), as_of=TODAY)
    r = g.route("aws:eu-west-1", "colo:ams1", 100_000.0)
    assert r.direct is not None
    assert r.cost_usd < r.direct.cost_usd
    assert r.options[-1].transfer_class == "interconnect"
    assert r.break_even_gb  # the port fee is recovered at some volume


def test_extra_locations(small_estate: Estate) -> None:
    gcp = load_price_book("gcp", as_of=TODAY)
    region = sorted(gcp.regions)[0]
    g = CostGraph.from_estate(
        small_estate,
        as_of=TODAY,
        extra_locations=[f"gcp:{region}", {"id": "edge:kiosk-9", "continent": "europe"}],
    )
    assert g.graph.nodes[f"gcp:{region}"]["continent"] == gcp.regions[region].continent
    assert g.graph.nodes["edge:kiosk-9"]["kind"] == "edge"
    assert math.isfinite(g.matrix(100.0).loc["aws:us-east-1", f"gcp:{region}"])


def test_unknown_provider_and_region(small_estate: Estate) -> None:
    with pytest.raises(UnknownProviderError, match="'nocloud'"):
        CostGraph.from_estate(small_estate, as_of=TODAY, extra_locations=["nocloud:x-1"])
    with pytest.raises(UnknownLocationError, match=r"'mars-1'.*valid"):
        CostGraph.from_estate(small_estate, as_of=TODAY, extra_locations=["aws:mars-1"])
    data = small_estate_dict()
    data["locations"].append({"id": "nocloud:x-1", "continent": "europe", "jurisdiction": "EU"})
    with pytest.raises(UnknownProviderError, match="'nocloud'"):
        CostGraph.from_estate(estate_from_dict(data), as_of=TODAY)


@pytest.mark.parametrize(
    "location", ["aws:eu-west-1", "azure:westeurope", "onprem:fra1", "colo:ams1", "edge:store-001"]
)
def test_the_direct_path_to_the_internet_costs_what_egress_cost_says(location: str) -> None:
    # One rule for fixed fees: a site's committed transit fee is paid whether or not data moves,
    # so neither the graph nor egress_cost counts it; only the overage above its volume is paid.
    from exitcost.pricing import transfer_price

    estate = sample_estate()
    graph = CostGraph.from_estate(estate)
    direct = graph.graph[location]["internet"]["internet"]["option"]
    for volume in (0.0, 5_000.0, 512_000.0):
        want = egress_cost(volume, source=location, as_of=estate.as_of)
        assert direct.cost_usd(volume) == pytest.approx(want, rel=1e-12)
    assert direct.fixed_usd_per_month == 0.0
    committed = transfer_price(location, "internet", as_of=estate.as_of).fixed_usd_per_month
    if committed > 0:  # the sites: the fee is named where it was left out
        assert "not counted" in direct.source
        assert graph.route(location, "internet", 512_000).cost_usd == pytest.approx(
            egress_cost(512_000, source=location, as_of=estate.as_of)
        )
