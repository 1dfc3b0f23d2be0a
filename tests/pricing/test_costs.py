"""Tests of egress_cost, storage_cost, retrieval_cost and data_exit_cost (AWS references)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from exitcost.errors import (
    InvalidParameterError,
    PriceBookError,
    UnknownLocationError,
    UnknownProviderError,
)
from exitcost.pricing import (
    account_egress_cost,
    data_exit_cost,
    egress_cost,
    load_price_book,
    providers,
    retrieval_cost,
    storage_cost,
    transfer_price,
)
from exitcost.pricing.books import book_dates, read_price_book
from exitcost.pricing.programmes import data_act_factor, data_act_phase

AS_OF = "2025-01-01"
REPO = Path(__file__).resolve().parents[2]


def test_500tb_month_us_east_1() -> None:
    # AWS us-east-1 internet egress (Infracost golden 2024-09-25, V; >150 TB rate S), minus the
    # 100 GB account free allowance (S) at the first band's rate:
    #   10,240 x 0.09 = 921.60
    #   40,960 x 0.085 = 3,481.60
    #  102,400 x 0.07 = 7,168.00
    #  358,400 x 0.05 = 17,920.00   -> 29,491.20
    #  minus 100 x 0.09 = 9.00      -> 29,482.20
    assert egress_cost(512000.0, source="aws:us-east-1", as_of=AS_OF) == pytest.approx(29482.2)


def test_500tb_over_four_months() -> None:
    # 128,000 GB a month, tiers and the 100 GB allowance reset monthly:
    #   (10,240 - 100) x 0.09 + 40,960 x 0.085 + 76,800 x 0.07
    #   = 912.60 + 3,481.60 + 5,376.00 = 9,770.20 per month, 39,080.80 in all.
    months = np.full(4, 128000.0)
    out = egress_cost(months, source="aws:us-east-1", as_of=AS_OF)
    np.testing.assert_allclose(out, 9770.2)
    assert out.sum() == pytest.approx(39080.8)
    series = data_exit_cost(512000.0, source="aws:us-east-1", spread_months=4, as_of=AS_OF)
    assert series["egress"] == pytest.approx(39080.8)


def test_exit_under_waiver_keeps_retrieval() -> None:
    # Deep Archive, bulk retrieval: 512,000 GB x $0.0025 = $1,280; 1,000,000 objects:
    # 1,000 x ($0.025 bulk + $0.0004 GET) = $25.40 (infracost S3 golden 2024-07-01, V; GET M).
    # The AWS exit programme covers internet egress only (S), so egress is 0.
    out = data_exit_cost(
        512000.0,
        source="aws:us-east-1",
        storage_class="deep_archive",
        retrieval="bulk",
        objects=1_000_000,
        as_of=AS_OF,
        exit_waiver=True,
    )
    assert out["egress"] == 0.0
    assert out["retrieval"] == pytest.approx(1280.0)
    assert out["requests"] == pytest.approx(25.4)
    assert out["total"] == pytest.approx(1305.4)
    assert list(out.index) == ["egress", "retrieval", "requests", "early_deletion", "total"]


def test_deep_archive_standard_retrieval_and_early_deletion() -> None:
    # 10,240 GB of Deep Archive in us-east-1, standard retrieval $0.02/GB + $0.10 per 1,000
    # requests + GET $0.0004 per 1,000 (V / M), 50,000 objects, stored 90 of 180 days:
    #   egress    (10,240 - 100) x 0.09                  = 912.60
    #   retrieval 10,240 x 0.02                          = 204.80
    #   requests  50 x (0.10 + 0.0004)                   = 5.02
    #   early     10,240 x 0.00099 x 90 / (365.2425 / 12) = 29.97...
    out = data_exit_cost(
        10240.0,
        source="aws:us-east-1",
        storage_class="deep_archive",
        retrieval="standard",
        objects=50_000,
        stored_days=90,
        as_of=AS_OF,
    )
    assert out["egress"] == pytest.approx(912.6)
    assert out["retrieval"] == pytest.approx(204.8)
    assert out["requests"] == pytest.approx(5.02)
    assert out["early_deletion"] == pytest.approx(10240 * 0.00099 * 90 / (365.2425 / 12))
    assert out["total"] == pytest.approx(out.iloc[:4].sum())


def test_destinations() -> None:
    # inter-region $0.02, us-east-1 <-> us-east-2 $0.01, cross-AZ $0.01 each way, same AZ free
    v = 1000.0
    assert egress_cost(
        v, source="aws:eu-west-1", destination="aws:us-east-1", as_of=AS_OF
    ) == pytest.approx(20.0)
    assert egress_cost(
        v, source="aws:us-east-2", destination="aws:us-east-1", as_of=AS_OF
    ) == pytest.approx(10.0)
    assert egress_cost(v, source="aws:us-east-1", destination="zone", as_of=AS_OF) == pytest.approx(
        20.0
    )
    assert egress_cost(v, source="aws:us-east-1", destination="aws:us-east-1", as_of=AS_OF) == 0.0
    # to another provider or a site: internet pricing
    to_azure = egress_cost(v, source="aws:us-east-1", destination="azure:westeurope", as_of=AS_OF)
    assert to_azure == pytest.approx(egress_cost(v, source="aws:us-east-1", as_of=AS_OF))
    # waiver does not cover inter-region transfer
    inter = egress_cost(
        v, source="aws:eu-west-1", destination="aws:us-east-1", as_of=AS_OF, exit_waiver=True
    )
    assert inter == pytest.approx(20.0)
    price = transfer_price("aws:us-east-1", "onprem:fra1", as_of=AS_OF)
    assert price.transfer_class == "internet"
    assert price.reference == "aws 2024-09-25: internet_egress[0]"


def test_input_kinds() -> None:
    s = pd.Series([100.0, 20000.0], index=pd.Index(["jan", "feb"], name="month"))
    out = egress_cost(s, source="aws:eu-west-1", as_of=AS_OF)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["jan", "feb"]
    assert isinstance(egress_cost(5, source="aws:eu-west-1", as_of=AS_OF), float)
    arr = np.zeros((2, 3))
    assert egress_cost(arr, source="aws:eu-west-1", as_of=AS_OF, exit_waiver=True).shape == (2, 3)


@pytest.mark.parametrize(
    ("volume", "match"),
    [(-5.0, "must be >= 0"), (float("nan"), "must not be NaN"), (float("inf"), "must be finite")],
)
def test_bad_volume(volume: float, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        egress_cost([1.0, volume], source="aws:us-east-1", as_of=AS_OF)


def test_bad_locations() -> None:
    with pytest.raises(UnknownProviderError, match=r"'nimbus'.*valid providers"):
        egress_cost(1.0, source="nimbus:x", as_of=AS_OF)
    with pytest.raises(UnknownLocationError, match=r"'us-east-9'.*valid: 'aws:af-south-1'"):
        egress_cost(1.0, source="aws:us-east-9", as_of=AS_OF)
    with pytest.raises(UnknownLocationError, match=r"'destination'.*'mars-1'"):
        egress_cost(1.0, source="aws:us-east-1", destination="aws:mars-1", as_of=AS_OF)
    with pytest.raises(InvalidParameterError, match="location id 'provider:region'"):
        egress_cost(1.0, source="us-east-1", as_of=AS_OF)
    with pytest.raises(PriceBookError, match="No aws price book is in effect on 2023-01-01"):
        egress_cost(1.0, source="aws:us-east-1", as_of="2023-01-01")


def test_storage_and_retrieval() -> None:
    # S3 Standard us-east-1: 51,200 x 0.023 (V) + 48,800 x 0.022 (S) = 1,177.6 + 1,073.6
    assert storage_cost(100000.0, location="aws:us-east-1", as_of=AS_OF) == pytest.approx(2251.2)
    # Standard-IA retrieval $0.01/GB (V) and GET $0.001 per 1,000 (M)
    got = retrieval_cost(
        np.array([100.0, 200.0]),
        location="aws:us-east-1",
        storage_class="infrequent",
        objects=1000,
        as_of=AS_OF,
    )
    np.testing.assert_allclose(got, [1.001, 2.001])
    with pytest.raises(
        InvalidParameterError, match=r"'retrieval'.*'bulk', 'expedited', 'standard'"
    ):
        retrieval_cost(
            1.0, location="aws:us-east-1", storage_class="archive", retrieval="fast", as_of=AS_OF
        )
    with pytest.raises(
        InvalidParameterError, match=r"'retrieval'.*speed of S3 Standard: 'instant'"
    ):
        retrieval_cost(1.0, location="aws:us-east-1", retrieval="bulk", as_of=AS_OF)


def test_account_allowance_across_regions() -> None:
    # 100 GB free once per account: us-east-1 uses 60, eu-west-1 the other 40 and pays for 20.
    out = account_egress_cost(
        np.array([[60.0, 60.0], [0.0, 0.0]]),
        sources=["aws:us-east-1", "aws:eu-west-1"],
        as_of=AS_OF,
    )
    np.testing.assert_allclose(out, [[0.0, 20 * 0.09], [0.0, 0.0]])
    with pytest.raises(InvalidParameterError, match="one provider"):
        account_egress_cost([[1.0, 1.0]], sources=["aws:us-east-1", "azure:eastus"], as_of=AS_OF)


def test_beyond_published_keyword() -> None:
    with pytest.raises(InvalidParameterError, match="'beyond_published'"):
        egress_cost(1.0, source="aws:us-east-1", as_of=AS_OF, beyond_published="no")  # type: ignore[arg-type]


def _programme_book(tmp_path: Path, announced: str) -> Path:
    data: dict[str, Any] = yaml.safe_load(
        (REPO / "data/pricing/aws/2024-09-25.yaml").read_text(encoding="utf-8")
    )
    data["exit_programme"]["announced"] = announced
    path = tmp_path / "aws-private.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_waiver_before_announcement_is_ignored(tmp_path: Path) -> None:
    from exitcost.pricing.programmes import programme_covers

    book = read_price_book(_programme_book(tmp_path, "2026-01-01"))
    import datetime as dt

    assert not programme_covers(book.exit_programme, dt.date(2025, 6, 1), "internet")
    assert programme_covers(book.exit_programme, dt.date(2026, 1, 1), "internet")


def test_eu_data_act() -> None:
    # Regulation (EU) 2023/2854 Art. 29: at cost from 2024-01-11, none from 2027-01-12.
    assert data_act_phase("2024-01-10", "EU") == "list"
    assert data_act_phase("2024-01-11", "EU") == "at_cost"
    assert data_act_phase("2027-01-11", "EU") == "at_cost"
    assert data_act_phase("2027-01-12", "EU") == "none"
    assert data_act_factor("2027-06-01", "EU", "inter_region") == 1.0
    kwargs: dict[str, Any] = {"source": "aws:eu-central-1", "customer_jurisdiction": "EU"}
    before = data_exit_cost(1000.0, as_of="2026-12-01", **kwargs)
    after = data_exit_cost(1000.0, as_of="2027-02-01", **kwargs)
    assert before["egress"] == pytest.approx(900 * 0.09)
    assert after["egress"] == 0.0
    half = data_exit_cost(1000.0, as_of="2026-12-01", at_cost_fraction=0.5, **kwargs)
    assert half["egress"] == pytest.approx(450 * 0.09)
    us = data_exit_cost(
        1000.0, as_of="2027-02-01", source="aws:us-east-1", customer_jurisdiction="US"
    )
    assert us["egress"] == pytest.approx(900 * 0.09)
    with pytest.raises(InvalidParameterError, match="'at_cost_fraction'"):
        data_act_factor("2026-01-01", "EU", at_cost_fraction=2.0)


def _all_sources() -> list[tuple[str, str]]:
    out = []
    for provider in providers():
        for day in book_dates(provider):
            book = load_price_book(provider, as_of=day)
            for region in book.regions:
                out.append((f"{provider}:{'site-1' if region == '*' else region}", day.isoformat()))
    return out


SOURCES = _all_sources()


@given(
    st.sampled_from(SOURCES),
    st.lists(st.floats(0.0, 1e6, allow_nan=False), min_size=1, max_size=8),
)
def test_properties_every_book_and_region(src: tuple[str, str], vols: list[float]) -> None:
    source, day = src
    price = transfer_price(source, as_of=day)
    limit = price.schedule.limit_gb
    v = np.sort(np.minimum(np.asarray(vols), limit))
    cost = egress_cost(v, source=source, as_of=day)
    waived = egress_cost(v, source=source, as_of=day, exit_waiver=True)
    assert np.all(cost >= 0.0)
    assert np.all(np.diff(cost) >= -1e-9 * np.maximum(cost[1:], 1.0))
    assert np.all(waived <= cost)
    assert egress_cost(0.0, source=source, as_of=day) == 0.0
    scalars = [egress_cost(float(x), source=source, as_of=day) for x in v]
    np.testing.assert_array_equal(cost, scalars)
    step = 1.0
    for edge in price.schedule.edges_gb[1:]:
        if edge + step <= limit:
            jump = egress_cost(edge + step, source=source, as_of=day) - egress_cost(
                max(edge - step, 0.0), source=source, as_of=day
            )
            assert jump <= 2 * step * price.schedule.max_rate_usd_per_gb + 1e-9


def test_waiver_covers_only_the_migration_window() -> None:
    # AWS exit programme: a 60-day window (S). 512,000 GB over 4 months from 2025-01-01 costs
    # 9,770.20 a month at list price (see test_500tb_over_four_months). The window runs to
    # 2025-03-02: January and February are credited in full, 1 of March's 31 days, April not:
    #   9,770.20 x (30 / 31) + 9,770.20 = 9,455.0323 + 9,770.20 = 19,225.2323
    out = data_exit_cost(
        512000.0, source="aws:us-east-1", spread_months=4, as_of=AS_OF, exit_waiver=True
    )
    assert out["egress"] == pytest.approx(9770.2 * 30 / 31 + 9770.2)
    # Two months from 1 January (59 days) lie inside the window: nothing to pay.
    two = data_exit_cost(
        512000.0, source="aws:us-east-1", spread_months=2, as_of=AS_OF, exit_waiver=True
    )
    assert two["egress"] == 0.0


def test_data_act_phase_per_month() -> None:
    # 3,072 GB from eu-central-1 over 3 months from 2026-12-01, EU customer, at cost = 50 %:
    # 1,024 GB a month = (1,024 - 100) x 0.09 = 83.16 at list; December and January (to
    # 2027-01-11) are at cost (x 0.5), February is free (Art. 29: none from 2027-01-12):
    #   83.16 x 0.5 + 83.16 x 0.5 + 0 = 83.16
    out = data_exit_cost(
        3072.0,
        source="aws:eu-central-1",
        spread_months=3,
        as_of="2026-12-01",
        customer_jurisdiction="EU",
        at_cost_fraction=0.5,
    )
    assert out["egress"] == pytest.approx(83.16)


def test_account_allowance_only_where_the_book_grants_it() -> None:
    # AWS's 100 GB excludes GovCloud (S): us-gov-west-1 pays 150 x 0.155 = 23.25 even though
    # us-east-1 sends nothing; us-east-1 keeps its 100 GB.
    out = account_egress_cost(
        np.array([[0.0, 150.0], [150.0, 0.0]]),
        sources=["aws:us-east-1", "aws:us-gov-west-1"],
        as_of=AS_OF,
    )
    np.testing.assert_allclose(out, [[0.0, 23.25], [4.5, 0.0]])
    out = account_egress_cost(
        np.array([[150.0, 0.0]]), sources=["aws:us-gov-west-1", "aws:us-east-1"], as_of=AS_OF
    )
    np.testing.assert_allclose(out, [[23.25, 0.0]])
    with pytest.raises(InvalidParameterError, match="non-empty list"):
        account_egress_cost([[1.0]], sources="aws:us-east-1", as_of=AS_OF)


def test_account_allowance_growing_with_storage() -> None:
    # Backblaze B2 (S): 30 GB a month (R) + 3 x stored free; $0.01/GB beyond. 10,000 GB sent
    # with 1,000 GB stored: 10,000 - 3,030 = 6,970 GB x 0.01 = 69.70; without the stored
    # volume: (10,000 - 30) x 0.01 = 99.70.
    out = account_egress_cost(
        [[10000.0]], sources=["backblaze:eu-central"], stored_gb=1000.0, as_of="2026-11-01"
    )
    np.testing.assert_allclose(out, [[69.7]])
    out = account_egress_cost([[10000.0]], sources=["backblaze:eu-central"], as_of="2026-11-01")
    np.testing.assert_allclose(out, [[99.7]])


def test_unknown_destination_region_of_a_known_provider() -> None:
    with pytest.raises(UnknownLocationError, match=r"'destination'.*'mars-1'.*valid: 'azure:"):
        egress_cost(1.0, source="aws:us-east-1", destination="azure:mars-1", as_of=AS_OF)
    # A provider without a bundled book is an internet destination: (1,000 - 100) x 0.09.
    assert egress_cost(
        1000.0, source="aws:us-east-1", destination="hetzner:fsn1", as_of=AS_OF
    ) == pytest.approx(81.0)


def test_retrieval_shapes_must_broadcast() -> None:
    with pytest.raises(InvalidParameterError, match=r"'objects'.*shape of 'size_gb' \(3,\)"):
        retrieval_cost(np.ones(3), location="aws:us-east-1", objects=np.ones(2), as_of=AS_OF)
    # a scalar size with an array of object counts gives an array: 2 x 0.0004 / 1,000 per GET
    got = retrieval_cost(0.0, location="aws:us-east-1", objects=np.array([0, 2000]), as_of=AS_OF)
    np.testing.assert_allclose(got, [0.0, 0.0008])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"size_gb": -1.0}, "'size_gb'.*>= 0"),
        ({"size_gb": float("nan")}, "'size_gb'.*NaN"),
        ({"size_gb": float("inf")}, "'size_gb'.*finite"),
        ({"objects": -3}, "'objects'.*>= 0"),
        ({"spread_months": 0}, "'spread_months'.*>= 1"),
        ({"spread_months": 2.5}, "'spread_months'.*whole number"),
        ({"stored_days": float("nan")}, "'stored_days'.*NaN"),
        ({"storage_class": "glacial"}, "no 'glacial' storage price"),
        ({"retrieval": "warp"}, "'retrieval'.*'instant'"),
        ({"at_cost_fraction": 1.5}, "'at_cost_fraction'.*<= 1"),
    ],
)
def test_data_exit_cost_bad_input(kwargs: dict[str, Any], match: str) -> None:
    args: dict[str, Any] = {"size_gb": 10.0, "source": "aws:us-east-1", "as_of": AS_OF}
    args.update(kwargs)
    with pytest.raises((InvalidParameterError, PriceBookError), match=match):
        data_exit_cost(**args)


def test_storage_and_retrieval_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match=r"'size_gb'.*>= 0"):
        storage_cost(-1.0, location="aws:us-east-1", as_of=AS_OF)
    with pytest.raises(UnknownLocationError, match=r"'location'.*'mars-1'"):
        storage_cost(1.0, location="aws:mars-1", as_of=AS_OF)
    with pytest.raises(PriceBookError, match="No aws price book is in effect on 2020-01-01"):
        retrieval_cost(1.0, location="aws:us-east-1", as_of="2020-01-01")
    with pytest.raises(UnknownProviderError, match="'nimbus'"):
        retrieval_cost(1.0, location="nimbus:x", as_of=AS_OF)


def test_programme_restricted_to_network_tiers(tmp_path: Path) -> None:
    # Google's exit programme covers Premium Tier traffic only (cloud.google.com/exit-cloud, V).
    import datetime as dt

    from exitcost.pricing.programmes import programme_covers, waiver_fractions

    data: dict[str, Any] = yaml.safe_load(
        next((REPO / "data/pricing/gcp").glob("*.yaml")).read_text(encoding="utf-8")
    )
    data["exit_programme"]["network_tiers"] = ["premium"]
    path = tmp_path / "gcp-private.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    programme = read_price_book(path).exit_programme
    day = dt.date(2026, 11, 1)
    assert programme_covers(programme, day, "internet", "premium")
    assert not programme_covers(programme, day, "internet", "standard")
    assert waiver_fractions(programme, day, 2, "internet", "standard").tolist() == [0.0, 0.0]


@given(
    st.sampled_from(SOURCES),
    st.lists(st.floats(0.0, 1e5, allow_nan=False), min_size=4, max_size=4),
)
def test_properties_input_kinds_every_book_and_region(
    src: tuple[str, str], vols: list[float]
) -> None:
    # Scalar, 2-d ndarray (scenarios x months) and Series give the same numbers, each element
    # priced as its own month.
    source, day = src
    limit = transfer_price(source, as_of=day).schedule.limit_gb
    v = np.minimum(np.asarray(vols), limit)
    grid = egress_cost(v.reshape(2, 2), source=source, as_of=day)
    series = egress_cost(pd.Series(v, index=list("abcd")), source=source, as_of=day)
    scalars = [egress_cost(float(x), source=source, as_of=day) for x in v]
    assert isinstance(grid, np.ndarray)
    assert grid.shape == (2, 2)
    assert isinstance(series, pd.Series)
    assert list(series.index) == list("abcd")
    np.testing.assert_array_equal(grid.ravel(), scalars)
    np.testing.assert_array_equal(series.to_numpy(), scalars)


def _storage_cases() -> list[tuple[str, str, str]]:
    out = []
    for provider, day in {s.split(":")[0]: d for s, d in SOURCES}.items():
        book = load_price_book(provider, as_of=day)
        for sc in book.model.storage:
            regions = list(book.regions) if "*" in sc.regions else list(sc.regions)
            for region in regions:
                if book.unpublished("retrieval", region, sc.storage_class):
                    continue  # an exit needs the restore price the book says is unknown
                if book.unpublished("internet_egress", region):
                    continue  # and the egress price (tested with fallback in test_fallback)
                rid = "site-1" if region == "*" else region
                out.append((f"{provider}:{rid}", sc.storage_class, day))
    return out


STORAGE_CASES = _storage_cases()


@given(
    st.sampled_from(STORAGE_CASES),
    st.floats(0.0, 2e6, allow_nan=False),
    st.floats(0.0, 2e6, allow_nan=False),
    st.floats(0.0, 400.0),
    st.integers(1, 6),
)
def test_properties_exit_every_storage_class(
    case: tuple[str, str, str], a: float, b: float, age: float, months: int
) -> None:
    # For every bundled storage class: storage cost is zero at zero, never negative and
    # non-decreasing; an exit is never dearer with a waiver, its parts are >= 0 and sum to the
    # total.
    location, klass, day = case
    lo, hi = sorted((a, b))
    costs = storage_cost(np.array([0.0, lo, hi]), location=location, storage_class=klass, as_of=day)
    assert costs[0] == 0.0
    assert np.all(costs >= 0.0)
    assert costs[2] >= costs[1] - 1e-9 * max(1.0, costs[2])
    kwargs: dict[str, Any] = {
        "source": location,
        "storage_class": klass,
        "as_of": day,
        "spread_months": months,
        "stored_days": age,
        "objects": 1000,
        "beyond_published": "extrapolate",
    }
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = data_exit_cost(hi, **kwargs)
        waived = data_exit_cost(hi, exit_waiver=True, **kwargs)
    assert waived["total"] <= plain["total"] + 1e-9
    assert (plain >= 0).all()
    assert plain["total"] == pytest.approx(plain.drop("total").sum(), rel=1e-12, abs=1e-12)
    rest = ["retrieval", "requests", "early_deletion"]
    assert (waived[rest] == plain[rest]).all()
