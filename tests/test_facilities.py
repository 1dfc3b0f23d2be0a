"""Tests for exitcost.facilities: sourced defaults, site, cloud and GPU cost models, the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from exitcost import finance
from exitcost.categories import COST_CATEGORIES
from exitcost.errors import InvalidParameterError, PriceBookError
from exitcost.facilities import (
    HOURS_PER_MONTH,
    CostStreams,
    cloud_costs,
    exit_comparison,
    gpu_break_even_utilisation,
    gpu_owned_usd_per_month,
    gpu_usd_per_gpu_hour,
    hardware_purchase_schedule,
    load_facility_defaults,
    site_costs,
)

DEFAULTS = load_facility_defaults()


class TestDefaults:
    def test_every_parameter_is_sourced_and_labelled(self) -> None:
        for name, p in DEFAULTS.parameters.items():
            assert p.source, name
            assert p.unit, name
            assert p.as_of, name
            assert p.confidence in {"V", "S", "M", "R"}, name
            if p.unit.startswith(("USD/", "EUR/")):
                assert p.currency == p.unit[:3], name

    @pytest.mark.parametrize(
        ("name", "value", "label"),
        [
            # onprem-facts.md, "Suggested defaults" and sections 1-6, with their labels.
            ("pue_colo_enterprise", 1.56, "S"),
            ("pue_hyperscale", 1.10, "V"),
            ("colo_wholesale_usd_per_kw_month_na", 184.06, "V"),
            ("ip_transit_usd_per_mbps_month", 0.25, "M"),
            ("servers_per_admin", 50.0, "M"),
            ("admin_usd_per_fte_year", 128_000.0, "R"),
            ("gpu_server_8xh100_usd", 300_000.0, "S"),
            ("hw_maintenance_fraction_per_year", 0.10, "S"),
            ("discount_rate_per_year", 0.08, "M"),
            # pricing-facts-2.md section 4 (commitment discounts; p5 after the mid-2025 cut).
            ("commitment_discount_3yr", 0.567, "R"),
            ("cloud_h100_usd_per_gpu_hour_aws_on_demand", 6.88, "S"),
        ],
    )
    def test_values_and_labels_carried_from_the_notes(
        self, name: str, value: float, label: str
    ) -> None:
        assert DEFAULTS.value(name) == value
        assert DEFAULTS[name].confidence == label

    def test_v_and_s_figures_appear_in_the_reference_notes(self, shared_dir: Path) -> None:
        text = (shared_dir / "reference" / "onprem-facts.md").read_text(encoding="utf-8")
        text += (shared_dir / "reference" / "pricing-facts-2.md").read_text(encoding="utf-8")
        flat = text.replace(",", "")
        for name, p in DEFAULTS.parameters.items():
            if p.confidence in {"V", "S"} and name != "gpus_per_server":
                shown = f"{p.value:g}"
                assert shown in flat or f"{p.value:.2f}" in flat, name

    def test_table(self) -> None:
        table = DEFAULTS.to_frame()
        assert {"value", "unit", "confidence", "as_of", "source"} <= set(table.columns)
        assert len(table) == len(DEFAULTS.parameters)

    def test_unknown_name_lists_valid(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'pue_colo_enterprise'.*Got 'pue'"):
            DEFAULTS.value("pue")

    def test_no_file_in_effect(self) -> None:
        with pytest.raises(PriceBookError, match=r"No facility defaults are in effect on 2001"):
            load_facility_defaults(dt.date(2001, 1, 1))

    def _write(self, tmp_path: Path, data: object) -> Path:
        path = tmp_path / "facilities.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    def test_user_file_with_bad_label_and_date(self, tmp_path: Path) -> None:
        raw = yaml.safe_load(Path(DEFAULTS.source_path).read_text(encoding="utf-8"))
        raw["parameters"]["pue_colo_enterprise"]["confidence"] = "X"
        raw["parameters"]["pue_hyperscale"]["as_of"] = "last year"
        with pytest.raises(PriceBookError, match=r"(?s)2 problem.*confidence.*\n.*as_of"):
            load_facility_defaults(path=self._write(tmp_path, raw))

    def test_user_file_missing_a_parameter(self, tmp_path: Path) -> None:
        raw = yaml.safe_load(Path(DEFAULTS.source_path).read_text(encoding="utf-8"))
        del raw["parameters"]["servers_per_admin"]
        with pytest.raises(PriceBookError, match=r"lack parameters.*'servers_per_admin'"):
            load_facility_defaults(path=self._write(tmp_path, raw))

    def test_user_file_not_a_mapping(self, tmp_path: Path) -> None:
        with pytest.raises(PriceBookError, match=r"must be a mapping"):
            load_facility_defaults(path=self._write(tmp_path, [1, 2]))

    def test_user_file_with_own_values(self, tmp_path: Path) -> None:
        raw = yaml.safe_load(Path(DEFAULTS.source_path).read_text(encoding="utf-8"))
        raw["parameters"]["pue_colo_enterprise"]["value"] = 1.2
        mine = load_facility_defaults(path=self._write(tmp_path, raw))
        assert mine.value("pue_colo_enterprise") == 1.2


class TestHardwareSchedule:
    def test_lead_time_and_refresh(self) -> None:
        out = hardware_purchase_schedule(10.0, months=10, refresh_months=4, lead_time_months=2)
        np.testing.assert_array_equal(out, [0, 0, 10, 0, 0, 0, 10, 0, 0, 0])

    def test_no_refresh_and_scenarios(self) -> None:
        out = hardware_purchase_schedule([1.0, 2.0], months=3, refresh_months=None)
        np.testing.assert_array_equal(out, [[1, 0, 0], [2, 0, 0]])

    def test_bad_refresh(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'refresh_months'.*whole number"):
            hardware_purchase_schedule(1.0, months=3, refresh_months=1.5)  # type: ignore[arg-type]


class TestSiteCosts:
    def test_by_hand(self) -> None:
        site = site_costs(
            months=6,
            hardware_capex_usd=120_000,
            it_load_kw=10,
            pue=1.5,
            usd_per_kwh=0.1,
            space_usd_per_kw_month=200,
            maintenance_fraction_per_year=0.12,
            staff_fte=0.5,
            usd_per_fte_year=120_000,
            licences_usd_per_month=300,
            transit_usd_per_month=700,
            refresh_months=4,
            lead_time_months=1,
        )
        frame = site.to_frame()
        # Worked by hand: power 10 kW x 1.5 x 730 h x $0.10 = $1,095; space 10 x 200; maintenance
        # 120,000 x 0.12 / 12; staff 0.5 x 120,000 / 12.
        running = 1095 + 2000 + 1200 + 5000 + 300 + 700
        np.testing.assert_allclose(
            frame["total_usd"], [0, 120_000 + running, running, running, running, 120_000 + running]
        )
        assert set(site.categories.values()) <= set(COST_CATEGORIES)
        assert site.categories["hardware_capex_usd"] == "capex"
        assert site.by_category_usd()["capex"].sum() == 240_000

    def test_defaults_used_are_recorded(self) -> None:
        site = site_costs(months=2, hardware_capex_usd=1.0, it_load_kw=1.0, servers=100)
        assert site.assumptions["pue"] == 1.56
        assert site.assumptions["space_usd_per_kw_month"] == 184.06
        assert site.assumptions["refresh_months"] == 60.0
        # 100 servers / 50 per admin x $128,000 / 12.
        assert site.components_usd["staff_usd"][0] == pytest.approx(2 * 128_000 / 12)

    def test_racks_replace_space_per_kw(self) -> None:
        site = site_costs(
            months=1,
            hardware_capex_usd=0,
            it_load_kw=8,
            racks=2,
            space_usd_per_rack_month=1700,
            staff_fte=0,
        )
        assert site.components_usd["space_usd"][0] == 3400

    def test_onprem_needs_a_space_price(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'space_usd_per_kw_month'.*no sourced"):
            site_costs(months=1, hardware_capex_usd=0, it_load_kw=1, kind="onprem")

    @given(st.floats(1e3, 1e7), st.floats(0.0, 0.2), st.integers(6, 72))
    def test_lease_is_worth_the_purchase_at_its_rate(
        self, capex: float, rate_year: float, refresh: int
    ) -> None:
        lease = site_costs(
            months=refresh,
            hardware_capex_usd=capex,
            it_load_kw=0,
            staff_fte=0,
            financing="lease",
            lease_rate_per_year=rate_year,
            refresh_months=refresh,
            maintenance_fraction_per_year=0,
        )
        rate = finance.rate_per_month_from_annual(rate_year)
        assert finance.npv(rate, lease.components_usd["lease_usd"]) == pytest.approx(
            capex, rel=1e-9
        )
        assert lease.categories["lease_usd"] == "onprem_opex"

    def test_scenarios_batched_equal_one_by_one(self) -> None:
        capex = np.array([1e5, 2e5, 3e5])
        kw = np.array([5.0, 10.0, 20.0])
        batched = site_costs(months=24, hardware_capex_usd=capex, it_load_kw=kw, servers=10)
        assert batched.shape == (3, 24)
        for i in range(3):
            one = site_costs(months=24, hardware_capex_usd=capex[i], it_load_kw=kw[i], servers=10)
            np.testing.assert_allclose(batched.total_usd()[i], one.total_usd())
        assert batched.to_frame().index.names == ["scenario", "month"]

    def test_total_is_sum_of_components_and_categories(self) -> None:
        site = site_costs(months=12, hardware_capex_usd=5e4, it_load_kw=3, servers=4)
        total = site.total_usd()
        np.testing.assert_allclose(sum(site.by_category_usd().values()), total)
        np.testing.assert_allclose(site.cash_flow_usd(), -total)

    def test_bad_inputs(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'pue' parameter of site_costs.*>= 1"):
            site_costs(months=1, hardware_capex_usd=0, it_load_kw=1, pue=0.9)
        with pytest.raises(InvalidParameterError, match=r"'financing'.*'buy', 'lease'"):
            site_costs(months=1, hardware_capex_usd=0, it_load_kw=1, financing="rent")  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"must broadcast together"):
            site_costs(months=1, hardware_capex_usd=[1.0, 2.0], it_load_kw=[1.0, 2.0, 3.0])
        with pytest.raises(InvalidParameterError, match=r"'it_load_kw'.*NaN"):
            site_costs(months=1, hardware_capex_usd=0, it_load_kw=np.nan)

    def test_cost_streams_checks_its_parts(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"must be among"):
            CostStreams("x", {"a_usd": np.zeros(2)}, {"a_usd": "snacks"})  # type: ignore[dict-item]
        with pytest.raises(InvalidParameterError, match=r"share one shape"):
            CostStreams(
                "x",
                {"a_usd": np.zeros(2), "b_usd": np.zeros(3)},
                {"a_usd": "capex", "b_usd": "capex"},
            )


class TestCloudCosts:
    def test_by_hand(self) -> None:
        cloud = cloud_costs(
            months=4,
            usd_per_month=1000,
            growth_rate_per_month=0.1,
            committed_fraction=0.5,
            commitment_discount=0.4,
        )
        # Usage 1, 1.1, 1.21, 1.331; 0.5 committed at 60%: 300 + on demand (u - 0.5) x 1000.
        np.testing.assert_allclose(cloud.components_usd["committed_usd"], [300.0] * 4)
        np.testing.assert_allclose(
            cloud.components_usd["on_demand_usd"], [500.0, 600.0, 710.0, 831.0]
        )

    def test_commitment_renews_at_term(self) -> None:
        cloud = cloud_costs(
            months=14,
            usd_per_month=100,
            growth_rate_per_month=0.05,
            committed_fraction=1.0,
            commitment="1yr",
        )
        committed = cloud.components_usd["committed_usd"]
        assert committed[11] == committed[0]
        assert committed[12] == pytest.approx(committed[0] * 1.05**12)
        assert cloud.assumptions["commitment_discount"] == 0.373

    def test_shrinking_usage_still_pays_the_commitment(self) -> None:
        cloud = cloud_costs(
            months=12,
            usd_per_month=100,
            growth_rate_per_month=-0.1,
            committed_fraction=1.0,
            commitment="3yr",
        )
        np.testing.assert_allclose(cloud.components_usd["on_demand_usd"], 0.0)
        np.testing.assert_allclose(cloud.components_usd["committed_usd"], 100 * (1 - 0.567))

    def test_price_drift(self) -> None:
        cloud = cloud_costs(months=13, usd_per_month=100, price_change_per_year=-0.1)
        assert cloud.total_usd()[12] == pytest.approx(90.0)

    @given(st.floats(0, 1), st.floats(0, 1), st.floats(-0.05, 0.05))
    def test_commitments_never_cost_more_than_on_demand_without_shrinkage(
        self, share: float, discount: float, growth: float
    ) -> None:
        plain = cloud_costs(months=24, usd_per_month=1000, growth_rate_per_month=abs(growth))
        committed = cloud_costs(
            months=24,
            usd_per_month=1000,
            growth_rate_per_month=abs(growth),
            committed_fraction=share,
            commitment_discount=discount,
        )
        assert (committed.total_usd() <= plain.total_usd() + 1e-9).all()

    def test_bad_inputs(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'commitment'.*'1yr', '3yr'"):
            cloud_costs(months=1, usd_per_month=1, commitment="5yr")  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"'committed_fraction'.*<= 1"):
            cloud_costs(months=1, usd_per_month=1, committed_fraction=1.5)
        with pytest.raises(InvalidParameterError, match=r"'growth_rate_per_month'.*> -1"):
            cloud_costs(months=1, usd_per_month=1, growth_rate_per_month=-1.0)
        with pytest.raises(InvalidParameterError, match=r"'category'"):
            cloud_costs(months=1, usd_per_month=1, category="lunch")  # type: ignore[arg-type]


class TestGpu:
    def test_owned_by_hand(self) -> None:
        # $300k over 60 months at 0%, 8 kW x 1.56 x 730 h x $0.1238, 8 kW x $184.06 space,
        # 20%/year maintenance: defaults from onprem-facts.md, arithmetic by hand.
        expected = 300_000 / 60 + 8 * 1.56 * 730 * 0.1238 + 8 * 184.06 + 300_000 * 0.2 / 12
        assert gpu_owned_usd_per_month(discount_rate_per_year=0.0) == pytest.approx(expected)

    @given(st.floats(1.0, 20.0), st.floats(0.0, 0.15))
    def test_break_even_utilisation_equalises_cost(self, price: float, rate: float) -> None:
        u = gpu_break_even_utilisation(price, discount_rate_per_year=rate)
        if 0 < u <= 1:
            owned = gpu_usd_per_gpu_hour(u, discount_rate_per_year=rate)
            assert owned == pytest.approx(price, rel=1e-9)

    def test_vectorised_over_utilisation(self) -> None:
        u = np.array([0.25, 0.5, 1.0])
        cost = gpu_usd_per_gpu_hour(u, discount_rate_per_year=0.0)
        np.testing.assert_allclose(cost * u, cost[-1])
        monthly = gpu_owned_usd_per_month(discount_rate_per_year=0.0)
        assert cost[-1] == pytest.approx(monthly / (8 * HOURS_PER_MONTH))

    def test_neocloud_needs_higher_utilisation_than_hyperscaler(self) -> None:
        aws = gpu_break_even_utilisation(
            DEFAULTS.value("cloud_h100_usd_per_gpu_hour_aws_on_demand")
        )
        neo = gpu_break_even_utilisation(DEFAULTS.value("cloud_h100_usd_per_gpu_hour_neocloud"))
        assert 0 < aws < neo

    def test_bad_utilisation(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'utilisation'.*> 0"):
            gpu_usd_per_gpu_hour(0.0)
        with pytest.raises(InvalidParameterError, match=r"'cloud_usd_per_gpu_hour'.*> 0"):
            gpu_break_even_utilisation(0.0)


class TestExitComparison:
    def test_table(self) -> None:
        table = exit_comparison(200_000, months=60)
        assert table.index.tolist() == ["stay_in_cloud", "move_to_colo"]
        stay, move = table.loc["stay_in_cloud"], table.loc["move_to_colo"]
        assert stay["total_cost_usd"] == pytest.approx(200_000 * 60)
        assert move["savings_npv_usd"] == pytest.approx(stay["npv_cost_usd"] - move["npv_cost_usd"])
        assert move["savings_npv_usd"] > 0
        # The cloud keeps running through the 3-month lead time, so break-even comes after it,
        # and discounting never brings it earlier.
        assert 3 <= move["break_even_month"] <= move["payback_month"] < 60

    def test_short_horizon_never_breaks_even(self) -> None:
        table = exit_comparison(50_000, months=4)
        assert np.isnan(table.loc["move_to_colo", "break_even_month"])

    def test_bad_spend(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'cloud_usd_per_month'.*> 0"):
            exit_comparison(0.0)
