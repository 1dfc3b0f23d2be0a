"""Tests for exitcost.facilities: sourced defaults, site, cloud and GPU cost models, and the
stay-or-move comparison over them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from exitcost import finance
from exitcost.categories import COST_CATEGORIES
from exitcost.errors import (
    InvalidParameterError,
    PriceBookError,
    UnknownLocationError,
    UnknownProviderError,
)
from exitcost.facilities import (
    HOURS_PER_MONTH,
    CostStreams,
    cloud_costs,
    exit_comparison,
    gpu_break_even_utilisation,
    gpu_break_even_utilisation_at,
    gpu_cloud_usd_per_gpu_hour,
    gpu_owned_usd_per_month,
    gpu_usd_per_gpu_hour,
    hardware_purchase_schedule,
    load_facility_defaults,
    owned_site_costs,
    site_costs,
    size_site,
)
from exitcost.pricing import load_price_book

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
        out = hardware_purchase_schedule(
            10.0, horizon_months=10, refresh_months=4, lead_time_months=2
        )
        np.testing.assert_array_equal(out, [0, 0, 10, 0, 0, 0, 10, 0, 0, 0])

    def test_no_refresh_and_scenarios(self) -> None:
        out = hardware_purchase_schedule([1.0, 2.0], horizon_months=3, refresh_months=None)
        np.testing.assert_array_equal(out, [[1, 0, 0], [2, 0, 0]])

    def test_bad_refresh(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'refresh_months'.*whole number"):
            hardware_purchase_schedule(1.0, horizon_months=3, refresh_months=1.5)  # type: ignore[arg-type]


class TestSiteCosts:
    def test_by_hand(self) -> None:
        site = site_costs(
            horizon_months=6,
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
            defaults=DEFAULTS,
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
        site = site_costs(
            horizon_months=2, hardware_capex_usd=1.0, it_load_kw=1.0, servers=100, defaults=DEFAULTS
        )
        assert site.assumptions["pue"] == 1.56
        assert site.assumptions["space_usd_per_kw_month"] == 184.06
        assert site.assumptions["refresh_months"] == 60.0
        # 100 servers / 50 per admin x $128,000 / 12.
        assert site.components_usd["staff_usd"][0] == pytest.approx(2 * 128_000 / 12)

    def test_racks_replace_space_per_kw(self) -> None:
        site = site_costs(
            horizon_months=1,
            hardware_capex_usd=0,
            it_load_kw=8,
            racks=2,
            space_usd_per_rack_month=1700,
            staff_fte=0,
            defaults=DEFAULTS,
        )
        assert site.components_usd["space_usd"][0] == 3400

    def test_onprem_needs_a_space_price(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'space_usd_per_kw_month'.*no sourced"):
            site_costs(
                horizon_months=1,
                hardware_capex_usd=0,
                it_load_kw=1,
                kind="onprem",
                defaults=DEFAULTS,
            )

    @given(st.floats(1e3, 1e7), st.floats(0.0, 0.2), st.integers(6, 72))
    def test_lease_is_worth_the_purchase_at_its_rate(
        self, capex: float, rate_year: float, refresh: int
    ) -> None:
        lease = site_costs(
            horizon_months=refresh,
            hardware_capex_usd=capex,
            it_load_kw=0,
            staff_fte=0,
            financing="lease",
            lease_rate_per_year=rate_year,
            refresh_months=refresh,
            maintenance_fraction_per_year=0,
            defaults=DEFAULTS,
        )
        rate = finance.rate_per_month_from_annual(rate_year)
        assert finance.npv(rate, lease.components_usd["lease_usd"]) == pytest.approx(
            capex, rel=1e-9
        )
        assert lease.categories["lease_usd"] == "onprem_opex"

    def test_scenarios_batched_equal_one_by_one(self) -> None:
        capex = np.array([1e5, 2e5, 3e5])
        kw = np.array([5.0, 10.0, 20.0])
        batched = site_costs(
            horizon_months=24,
            hardware_capex_usd=capex,
            it_load_kw=kw,
            servers=10,
            defaults=DEFAULTS,
        )
        assert batched.shape == (3, 24)
        for i in range(3):
            one = site_costs(
                horizon_months=24,
                hardware_capex_usd=capex[i],
                it_load_kw=kw[i],
                servers=10,
                defaults=DEFAULTS,
            )
            np.testing.assert_allclose(batched.total_usd()[i], one.total_usd())
        assert batched.to_frame().index.names == ["scenario", "month"]

    def test_total_is_sum_of_components_and_categories(self) -> None:
        site = site_costs(
            horizon_months=12, hardware_capex_usd=5e4, it_load_kw=3, servers=4, defaults=DEFAULTS
        )
        total = site.total_usd()
        np.testing.assert_allclose(sum(site.by_category_usd().values()), total)
        np.testing.assert_allclose(site.cash_flow_usd(), -total)

    def test_bad_inputs(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'pue' parameter of site_costs.*>= 1"):
            site_costs(
                horizon_months=1, hardware_capex_usd=0, it_load_kw=1, pue=0.9, defaults=DEFAULTS
            )
        with pytest.raises(InvalidParameterError, match=r"'financing'.*'buy', 'lease'"):
            site_costs(
                horizon_months=1,
                hardware_capex_usd=0,
                it_load_kw=1,
                financing="rent",
                defaults=DEFAULTS,
            )  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"must broadcast together"):
            site_costs(
                horizon_months=1,
                hardware_capex_usd=[1.0, 2.0],
                it_load_kw=[1.0, 2.0, 3.0],
                defaults=DEFAULTS,
            )
        with pytest.raises(InvalidParameterError, match=r"'it_load_kw'.*NaN"):
            site_costs(horizon_months=1, hardware_capex_usd=0, it_load_kw=np.nan, defaults=DEFAULTS)

    def test_cost_streams_checks_its_parts(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"must be among"):
            CostStreams("x", {"a_usd": np.zeros(2)}, {"a_usd": "snacks"})  # type: ignore[dict-item]
        with pytest.raises(InvalidParameterError, match=r"share one shape"):
            CostStreams(
                "x",
                {"a_usd": np.zeros(2), "b_usd": np.zeros(3)},
                {"a_usd": "capex", "b_usd": "capex"},
            )

    def test_lease_rate_error_names_the_parameter_and_function(self) -> None:
        with pytest.raises(
            InvalidParameterError, match=r"'lease_rate_per_year' parameter of site_costs.*> -1"
        ):
            site_costs(
                horizon_months=3,
                hardware_capex_usd=1.0,
                it_load_kw=1.0,
                financing="lease",
                lease_rate_per_year=-1.5,
                defaults=DEFAULTS,
            )


class TestCloudCosts:
    def test_by_hand(self) -> None:
        cloud = cloud_costs(
            horizon_months=4,
            usd_per_month=1000,
            growth_rate_per_month=0.1,
            committed_fraction=0.5,
            commitment_discount=0.4,
            defaults=DEFAULTS,
        )
        # Usage 1, 1.1, 1.21, 1.331; 0.5 committed at 60%: 300 + on demand (u - 0.5) x 1000.
        np.testing.assert_allclose(cloud.components_usd["committed_usd"], [300.0] * 4)
        np.testing.assert_allclose(
            cloud.components_usd["on_demand_usd"], [500.0, 600.0, 710.0, 831.0]
        )

    def test_commitment_renews_at_term(self) -> None:
        cloud = cloud_costs(
            horizon_months=14,
            usd_per_month=100,
            growth_rate_per_month=0.05,
            committed_fraction=1.0,
            commitment="1yr",
            defaults=DEFAULTS,
        )
        committed = cloud.components_usd["committed_usd"]
        assert committed[11] == committed[0]
        assert committed[12] == pytest.approx(committed[0] * 1.05**12)
        assert cloud.assumptions["commitment_discount"] == 0.373

    def test_shrinking_usage_still_pays_the_commitment(self) -> None:
        cloud = cloud_costs(
            horizon_months=12,
            usd_per_month=100,
            growth_rate_per_month=-0.1,
            committed_fraction=1.0,
            commitment="3yr",
            defaults=DEFAULTS,
        )
        np.testing.assert_allclose(cloud.components_usd["on_demand_usd"], 0.0)
        np.testing.assert_allclose(cloud.components_usd["committed_usd"], 100 * (1 - 0.567))

    def test_price_drift(self) -> None:
        cloud = cloud_costs(
            horizon_months=13, usd_per_month=100, price_change_per_year=-0.1, defaults=DEFAULTS
        )
        assert cloud.total_usd()[12] == pytest.approx(90.0)

    @given(st.floats(0, 1), st.floats(0, 1), st.floats(-0.05, 0.05))
    def test_commitments_never_cost_more_than_on_demand_without_shrinkage(
        self, share: float, discount: float, growth: float
    ) -> None:
        plain = cloud_costs(
            horizon_months=24,
            usd_per_month=1000,
            growth_rate_per_month=abs(growth),
            defaults=DEFAULTS,
        )
        committed = cloud_costs(
            horizon_months=24,
            usd_per_month=1000,
            growth_rate_per_month=abs(growth),
            committed_fraction=share,
            commitment_discount=discount,
            defaults=DEFAULTS,
        )
        assert (committed.total_usd() <= plain.total_usd() + 1e-9).all()

    def test_bad_inputs(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'commitment'.*'1yr', '3yr'"):
            cloud_costs(horizon_months=1, usd_per_month=1, commitment="5yr", defaults=DEFAULTS)  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"'committed_fraction'.*<= 1"):
            cloud_costs(
                horizon_months=1, usd_per_month=1, committed_fraction=1.5, defaults=DEFAULTS
            )
        with pytest.raises(InvalidParameterError, match=r"'growth_rate_per_month'.*> -1"):
            cloud_costs(
                horizon_months=1, usd_per_month=1, growth_rate_per_month=-1.0, defaults=DEFAULTS
            )
        with pytest.raises(InvalidParameterError, match=r"'category'"):
            cloud_costs(horizon_months=1, usd_per_month=1, category="lunch", defaults=DEFAULTS)  # type: ignore[arg-type]

    def test_commitment_rate_is_fixed_for_its_term(self) -> None:
        # A 1-year commitment bought at month 0 pays month 0's list price less the discount for
        # 12 months, whatever the list price does; the renewal at month 12 takes the new price.
        cloud = cloud_costs(
            horizon_months=24,
            usd_per_month=1000.0,
            price_change_per_year=-0.2,
            committed_fraction=1.0,
            commitment_discount=0.4,
            defaults=DEFAULTS,
        )
        committed = cloud.components_usd["committed_usd"]
        np.testing.assert_allclose(committed[:12], 600.0)  # 1,000 x (1 - 0.4), by hand
        np.testing.assert_allclose(committed[12:], 480.0)  # 1,000 x 0.8 x 0.6 at renewal
        np.testing.assert_allclose(cloud.components_usd["on_demand_usd"], 0.0)


class TestGpu:
    def test_owned_by_hand(self) -> None:
        # $300k over 60 months at 0%, 8 kW x 1.56 x 730 h x $0.1238, 8 kW x $184.06 space,
        # 20%/year maintenance: defaults from onprem-facts.md, arithmetic by hand.
        expected = 300_000 / 60 + 8 * 1.56 * 730 * 0.1238 + 8 * 184.06 + 300_000 * 0.2 / 12
        assert gpu_owned_usd_per_month(
            discount_rate_per_year=0.0, defaults=DEFAULTS
        ) == pytest.approx(expected)

    @given(st.floats(1.0, 20.0), st.floats(0.0, 0.15))
    def test_break_even_utilisation_equalises_cost(self, price: float, rate: float) -> None:
        u = gpu_break_even_utilisation(price, discount_rate_per_year=rate, defaults=DEFAULTS)
        if 0 < u <= 1:
            owned = gpu_usd_per_gpu_hour(u, discount_rate_per_year=rate, defaults=DEFAULTS)
            assert owned == pytest.approx(price, rel=1e-9)

    def test_vectorised_over_utilisation(self) -> None:
        u = np.array([0.25, 0.5, 1.0])
        cost = gpu_usd_per_gpu_hour(u, discount_rate_per_year=0.0, defaults=DEFAULTS)
        np.testing.assert_allclose(cost * u, cost[-1])
        monthly = gpu_owned_usd_per_month(discount_rate_per_year=0.0, defaults=DEFAULTS)
        assert cost[-1] == pytest.approx(monthly / (8 * HOURS_PER_MONTH))

    def test_neocloud_needs_higher_utilisation_than_hyperscaler(self) -> None:
        aws = gpu_break_even_utilisation(
            DEFAULTS.value("cloud_h100_usd_per_gpu_hour_aws_on_demand"), defaults=DEFAULTS
        )
        neo = gpu_break_even_utilisation(
            DEFAULTS.value("cloud_h100_usd_per_gpu_hour_neocloud"), defaults=DEFAULTS
        )
        assert 0 < aws < neo

    def test_bad_utilisation(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'utilisation'.*> 0"):
            gpu_usd_per_gpu_hour(0.0, defaults=DEFAULTS)
        with pytest.raises(InvalidParameterError, match=r"'cloud_usd_per_gpu_hour'.*> 0"):
            gpu_break_even_utilisation(0.0, defaults=DEFAULTS)

    def test_gpu_discount_rate_error_names_the_function(self) -> None:
        with pytest.raises(
            InvalidParameterError,
            match=r"'discount_rate_per_year' parameter of gpu_owned_usd_per_month.*> -1",
        ):
            gpu_owned_usd_per_month(discount_rate_per_year=-1.0, defaults=DEFAULTS)


class TestSizingDefaults:
    def test_derived_minimums_are_labelled_reasoning(self) -> None:
        # The minimums and per-server figures derived from one case are reasoning (R), never V.
        for name in (
            "min_servers_per_site",
            "min_cabinets_per_site",
            "min_staff_fte_per_site",
            "transit_min_commit_mbps",
            "sizing_servers_per_compute_usd_year",
            "kw_per_server",
            "server_target_utilisation",
        ):
            assert DEFAULTS[name].confidence == "R", name
        assert DEFAULTS["ip_transit_usd_per_mbps_month"].confidence == "M"


class TestSizeSite:
    def test_minimums_of_a_tiny_site(self) -> None:
        # $1k a month of compute is 0.1 of a server by the 37signals ratio; the site still needs
        # 2 servers, a cabinet, 0.25 FTE and a 1 Gbps commitment (minimums, R, in the data file).
        small = size_site(compute_usd_per_month=1_000.0, defaults=DEFAULTS)
        assert float(small["compute_servers"]) == DEFAULTS.value("min_servers_per_site") == 2.0
        assert float(small["cabinets"]) == 1.0
        assert float(small["staff_fte"]) == DEFAULTS.value("min_staff_fte_per_site")
        assert float(small["transit_mbps"]) == DEFAULTS.value("transit_min_commit_mbps")
        assert float(small["hardware_usd"]) == 2 * DEFAULTS.value("server_2s_usd")

    def test_37signals_spend_gives_their_20_servers(self) -> None:
        # 37signals: 20 R7625 servers replaced about $2.3M a year of non-S3 spend (V); the ratio
        # 8.7e-6 x 2.3M = 20.01 rounds up to 21 whole servers.
        sized = size_site(compute_usd_per_month=2_300_000.0 / 12.0, defaults=DEFAULTS)
        assert float(sized["compute_servers"]) == 21.0

    def test_units_sizing_hand_worked(self) -> None:
        # 4,000 vCPU / 192 per server / 0.7 = 29.8 -> 30; 7,680 GiB / 384 / 0.7 = 28.6.
        # 1 PB (1,048,576 GB) = 1,125.9 SI TB x 2 copies = 2,251.8 TB raw / 240 = 9.4 -> 10 nodes.
        sized = size_site(
            vcpus=4_000.0, memory_gib=7_680.0, storage_gb=1024.0**2, defaults=DEFAULTS
        )
        assert float(sized["compute_servers"]) == 30.0
        assert float(sized["raw_storage_si_tb"]) == pytest.approx(1024.0**2 * 2**30 / 1e12 * 2)
        assert float(sized["storage_servers"]) == 10.0
        assert float(sized["it_load_kw"]) == pytest.approx(40 * 1.6)
        assert float(sized["cabinets"]) == 16.0
        expected_hw = 30 * 30_000.0 + float(sized["raw_storage_si_tb"]) * 70.0
        assert float(sized["hardware_usd"]) == pytest.approx(expected_hw)

    def test_raw_storage_is_in_si_terabytes_and_the_old_key_still_reads_it(self) -> None:
        sized = size_site(storage_gb=1000.0, replication_factor=1.0, defaults=DEFAULTS)
        # 1,000 billing GB of 2**30 bytes = 1.0737 SI TB of 10**12 bytes (not 1000/1024 TB)
        assert float(sized["raw_storage_si_tb"]) == pytest.approx(1000.0 * 2**30 / 1e12)
        with pytest.warns(FutureWarning, match=r"'raw_storage_tb' is now 'raw_storage_si_tb'"):
            old = sized["raw_storage_tb"]
        assert old is sized["raw_storage_si_tb"]
        assert "raw_storage_tb" not in sized
        with pytest.raises(KeyError, match="raw_storage_gb"):
            sized["raw_storage_gb"]

    def test_gpus_in_whole_servers(self) -> None:
        sized = size_site(gpus=9.0, defaults=DEFAULTS)  # 9 / (8 x 0.7) = 1.6 -> 2 servers of 8
        assert float(sized["gpu_servers"]) == 2.0
        assert float(sized["it_load_kw"]) == pytest.approx(2 * 1.6 + 2 * 8.0)

    def test_sites_multiply_minimums(self) -> None:
        two = size_site(compute_usd_per_month=1_000.0, sites=2, defaults=DEFAULTS)
        assert float(two["compute_servers"]) == 4.0
        assert float(two["staff_fte"]) == 0.5

    def test_storage_media_and_replication(self) -> None:
        flash = size_site(storage_gb=1e6, defaults=DEFAULTS)
        hdd = size_site(
            storage_gb=1e6, storage_media="hdd", replication_factor=3, defaults=DEFAULTS
        )
        assert float(hdd["raw_storage_si_tb"]) == pytest.approx(
            1.5 * float(flash["raw_storage_si_tb"])
        )
        with pytest.raises(InvalidParameterError, match=r"'storage_media'.*'flash', 'hdd'"):
            size_site(storage_media="tape", defaults=DEFAULTS)  # type: ignore[arg-type]

    def test_bad_input(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'vcpus'.*>= 0"):
            size_site(vcpus=-1.0, defaults=DEFAULTS)
        with pytest.raises(InvalidParameterError, match=r"'target_utilisation'.*> 0"):
            size_site(target_utilisation=0.0, defaults=DEFAULTS)
        with pytest.raises(InvalidParameterError, match=r"'sites'.*>= 1"):
            size_site(sites=0.5, defaults=DEFAULTS)

    @given(
        st.floats(0, 1e7),
        st.floats(0, 1e7),
        st.floats(0, 1e5),
        st.floats(0, 1e8),
    )
    def test_monotone_whole_and_at_least_minimum(
        self, spend: float, extra: float, vcpus: float, storage: float
    ) -> None:
        low = size_site(
            compute_usd_per_month=spend, vcpus=vcpus, storage_gb=storage, defaults=DEFAULTS
        )
        high = size_site(
            compute_usd_per_month=spend + extra,
            vcpus=vcpus,
            storage_gb=storage * 2,
            defaults=DEFAULTS,
        )
        for key in ("compute_servers", "storage_servers", "cabinets", "hardware_usd"):
            assert float(high[key]) >= float(low[key])
        for key in ("compute_servers", "storage_servers", "cabinets", "gpu_servers"):
            assert float(low[key]) == np.floor(float(low[key]))
        assert float(low["compute_servers"]) >= 2.0
        assert float(low["staff_fte"]) >= 0.25


class TestOwnedSiteCosts:
    def test_constant_load_buys_once_then_refreshes(self) -> None:
        site = owned_site_costs(
            horizon_months=70, vcpus=1_000.0, in_service_month=2, defaults=DEFAULTS
        )
        capex = site.components_usd["hardware_capex_usd"]
        servers = float(size_site(vcpus=1_000.0, defaults=DEFAULTS)["compute_servers"])
        assert np.flatnonzero(capex).tolist() == [2, 62]  # in service, then the 60-month refresh
        assert capex[2] == pytest.approx(servers * 30_000.0)
        assert site.total_usd()[:2].sum() == 0.0
        assert set(site.categories.values()) <= set(COST_CATEGORIES)
        assert site.categories["transit_usd"] == "egress"

    def test_growth_buys_in_steps_and_raises_running_costs(self) -> None:
        months = 36
        growing = 2_000.0 * 1.05 ** np.arange(months)
        site = owned_site_costs(
            horizon_months=months, vcpus=growing, in_service_month=0, defaults=DEFAULTS
        )
        flat = owned_site_costs(
            horizon_months=months, vcpus=2_000.0, in_service_month=0, defaults=DEFAULTS
        )
        capex = site.components_usd["hardware_capex_usd"]
        assert (capex > 0).sum() > 5
        need = size_site(vcpus=growing[-1], defaults=DEFAULTS)["compute_servers"]
        assert capex.sum() == pytest.approx(float(need) * 30_000.0)
        for name in ("power_usd", "space_usd", "maintenance_usd", "staff_usd"):
            series = site.components_usd[name]
            assert (np.diff(series) >= -1e-9).all(), name
            assert series[-1] > flat.components_usd[name][-1], name

    def test_installed_never_shrinks(self) -> None:
        shrinking = 5_000.0 * 0.9 ** np.arange(24)
        site = owned_site_costs(
            horizon_months=24, vcpus=shrinking, in_service_month=0, defaults=DEFAULTS
        )
        power = site.components_usd["power_usd"]
        assert np.allclose(power, power[0])

    def test_scenarios(self) -> None:
        site = owned_site_costs(
            horizon_months=12, compute_usd_per_month=np.array([[1e4], [1e6]]), defaults=DEFAULTS
        )
        assert site.shape == (2, 12)
        totals = site.total_usd().sum(axis=-1)
        assert totals[1] > totals[0]

    def test_bad_path_length(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'vcpus'.*12 months.*\(5,\)"):
            owned_site_costs(horizon_months=12, vcpus=np.ones(5), defaults=DEFAULTS)


class TestExitComparison:
    def test_table(self) -> None:
        table = exit_comparison(200_000, horizon_months=60)
        assert table.index.tolist() == ["stay_in_cloud", "move_to_colo"]
        stay, move = table.loc["stay_in_cloud"], table.loc["move_to_colo"]
        assert stay["total_cost_usd"] == pytest.approx(200_000 * 60)
        assert move["savings_npv_usd"] == pytest.approx(stay["npv_cost_usd"] - move["npv_cost_usd"])
        assert move["savings_npv_usd"] > 0
        # The cloud keeps running through the 2-month lead time, so break-even comes after it,
        # and discounting never brings it earlier.
        assert 2 <= move["break_even_month"] <= move["payback_month"] < 60

    def test_stay_row_has_no_payback(self) -> None:
        table = exit_comparison(200_000)
        assert table.loc["stay_in_cloud", "payback_month"] is pd.NA  # <NA>, never NaN
        assert table.loc["stay_in_cloud", "break_even_month"] is pd.NA
        assert str(table["payback_month"].dtype) == str(table["break_even_month"].dtype) == "Int64"

    def test_small_spend_does_not_pay(self) -> None:
        # $1k a month of cloud cannot be replaced by a site with 2 servers, a cabinet and a
        # quarter of an administrator: a site's cost does not scale down linearly.
        table = exit_comparison(1_000.0)
        move = table.loc["move_to_colo"]
        assert move["savings_npv_usd"] < 0
        assert move["break_even_month"] is pd.NA
        site_monthly = (move["total_cost_usd"] - 2 * 1_000.0) / 58
        assert site_monthly > 4 * 1_000.0

    def test_growth_applies_to_both(self) -> None:
        flat = exit_comparison(1e5)
        grown = exit_comparison(1e5, growth_rate_per_month=0.05)
        for option in ("stay_in_cloud", "move_to_colo"):
            ratio = grown.loc[option, "total_cost_usd"] / flat.loc[option, "total_cost_usd"]
            assert ratio > 3, option  # 5%/month for 60 months: usage 18.7x at the end

    def test_storage_and_egress_sized_separately(self) -> None:
        compute_only = exit_comparison(1e5)
        with_data = exit_comparison(
            1e5,
            storage_gb=1e6,
            storage_usd_per_month=23_000.0,
            egress_usd_per_month=5_000.0,
            internet_egress_gb_per_month=60_000.0,
        )
        stay_delta = (
            with_data.loc["stay_in_cloud", "total_cost_usd"]
            - compute_only.loc["stay_in_cloud", "total_cost_usd"]
        )
        assert stay_delta == pytest.approx(28_000.0 * 60)
        assert (
            with_data.loc["move_to_colo", "total_cost_usd"]
            > compute_only.loc["move_to_colo", "total_cost_usd"]
        )

    def test_short_horizon_never_breaks_even(self) -> None:
        table = exit_comparison(50_000, horizon_months=3)
        assert table.loc["move_to_colo", "break_even_month"] is pd.NA

    def test_bad_spend(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"'compute_usd_per_month'.*> 0"):
            exit_comparison(0.0)
        with pytest.raises(InvalidParameterError, match=r"'storage_gb'.*>= 0"):
            exit_comparison(1e4, storage_gb=-1.0)

    @given(st.floats(1e3, 1e7), st.floats(0.0, 0.05))
    def test_more_spend_never_saves_less(self, spend: float, growth: float) -> None:
        low = exit_comparison(spend, growth_rate_per_month=growth, horizon_months=24)
        high = exit_comparison(spend * 2, growth_rate_per_month=growth, horizon_months=24)
        assert (
            high.loc["move_to_colo", "savings_npv_usd"]
            >= low.loc["move_to_colo", "savings_npv_usd"] - 1e-6
        )

    @pytest.mark.parametrize(("months", "lead"), [(2, None), (3, 3), (1, 1)])
    def test_exit_comparison_horizon_must_outlast_the_lead_time(
        self, months: int, lead: int | None
    ) -> None:
        # A site that never runs has no break-even (not month 0): the horizon is refused.
        with pytest.raises(
            InvalidParameterError, match=r"'horizon_months'.*longer than the lead time"
        ):
            exit_comparison(50_000.0, horizon_months=months, lead_time_months=lead)


class TestGpuFromPriceBooks:
    def test_price_is_the_books_figure(self) -> None:
        # data/pricing/aws/2024-09-25.yaml: p5.48xlarge us-east-1 $98.32/h for 8 H100
        # (SkyPilot catalog v7, V), so $12.29 per GPU-hour.
        book = load_price_book("aws", as_of="2025-01-01")
        p5 = next(f for f in book.model.compute if f.family == "p5")
        expected = p5.usd_per_hour / p5.gpus
        assert expected == pytest.approx(98.32 / 8)
        got = gpu_cloud_usd_per_gpu_hour("aws:us-east-1", "H100", as_of="2025-01-01")
        assert got == pytest.approx(expected, rel=1e-15)

    def test_commitment_discount_from_the_book(self) -> None:
        # Same book: p4d.24xlarge $32.7726/h for 8 A100-40G, 1-year discount 0.366 (S).
        got = gpu_cloud_usd_per_gpu_hour(
            "aws:us-east-1", "A100-40G", commitment="1yr", as_of="2025-01-01"
        )
        assert got == pytest.approx(32.7726 / 8 * (1 - 0.366))

    def test_break_even_at_a_location(self) -> None:
        price = gpu_cloud_usd_per_gpu_hour("aws:us-east-1", "H100", as_of="2025-01-01")
        got = gpu_break_even_utilisation_at("aws:us-east-1", "H100", as_of="2025-01-01")
        assert got == pytest.approx(gpu_break_even_utilisation(price, defaults=DEFAULTS))
        # The owned-server keywords pass through.
        cheap = gpu_break_even_utilisation_at(
            "aws:us-east-1", as_of="2025-01-01", server_usd=150_000.0, discount_rate_per_year=0.0
        )
        assert cheap == pytest.approx(
            gpu_owned_usd_per_month(
                server_usd=150_000.0, discount_rate_per_year=0.0, defaults=DEFAULTS
            )
            / (price * 8 * HOURS_PER_MONTH)
        )
        # At the break-even utilisation an owned GPU-hour costs what the book charges.
        assert gpu_usd_per_gpu_hour(got, defaults=DEFAULTS) == pytest.approx(price, rel=1e-12)

    def test_template_region_of_a_book(self) -> None:
        # data/pricing/oci/2026-09-20.yaml: BM.GPU.H100 in every region ('*'), $80/h for 8.
        assert gpu_cloud_usd_per_gpu_hour("oci:us-ashburn-1", "H100") == pytest.approx(10.0)

    def test_errors(self) -> None:
        with pytest.raises(PriceBookError, match=r"'gpu_model'.*'A100-40G', 'H100'.*'B200'"):
            gpu_cloud_usd_per_gpu_hour("aws:us-east-1", "B200", as_of="2025-01-01")
        with pytest.raises(PriceBookError, match=r"'commitment'.*H100.*'on_demand'.*'3yr'"):
            gpu_cloud_usd_per_gpu_hour(
                "aws:us-east-1", "H100", commitment="3yr", as_of="2025-01-01"
            )
        with pytest.raises(InvalidParameterError, match=r"'commitment'.*'on_demand'.*'5yr'"):
            gpu_cloud_usd_per_gpu_hour("aws:us-east-1", commitment="5yr")  # type: ignore[arg-type]
        with pytest.raises(InvalidParameterError, match=r"'location'.*provider:region"):
            gpu_cloud_usd_per_gpu_hour("us-east-1")
        with pytest.raises(UnknownLocationError, match=r"mars-1"):
            gpu_cloud_usd_per_gpu_hour("aws:mars-1")
        with pytest.raises(UnknownProviderError, match=r"nimbus"):
            gpu_cloud_usd_per_gpu_hour("nimbus:r1")
        with pytest.raises(PriceBookError, match=r"'gpu_model'.*eu-west-1.*none"):
            gpu_cloud_usd_per_gpu_hour("aws:eu-west-1", as_of="2025-01-01")


def test_the_models_read_typed_defaults_one_field_per_required_parameter() -> None:
    from dataclasses import fields

    from exitcost.facilities.defaults import REQUIRED, FacilityValues

    values = DEFAULTS.values
    assert isinstance(values, FacilityValues)
    assert tuple(f.name for f in fields(FacilityValues)) == REQUIRED
    for name in REQUIRED:
        assert getattr(values, name) == DEFAULTS.value(name)


_KERNELS = {
    "size_site": lambda d: size_site(vcpus=100.0, storage_gb=1024.0, defaults=d),
    "site_costs": lambda d: site_costs(
        horizon_months=3, hardware_capex_usd=1.0, it_load_kw=1.0, defaults=d
    ),
    "cloud_costs": lambda d: cloud_costs(horizon_months=3, usd_per_month=1.0, defaults=d),
    "owned_site_costs": lambda d: owned_site_costs(horizon_months=3, vcpus=100.0, defaults=d),
    "gpu_owned_usd_per_month": lambda d: gpu_owned_usd_per_month(defaults=d),
    "gpu_usd_per_gpu_hour": lambda d: gpu_usd_per_gpu_hour(0.5, defaults=d),
    "gpu_break_even_utilisation": lambda d: gpu_break_even_utilisation(2.0, defaults=d),
}


def _no_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every read of the facility defaults from disk fail."""
    from exitcost.facilities import defaults as module

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a facility model read its defaults from disk")

    monkeypatch.setattr(module, "dated_files", refuse)
    monkeypatch.setattr(module, "load_cached", refuse)


class TestModelsReadNoFile:
    @pytest.mark.parametrize("kernel", sorted(_KERNELS))
    def test_a_model_given_its_defaults_does_not_touch_the_disk(
        self, kernel: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        expected = _KERNELS[kernel](DEFAULTS)
        _no_disk(monkeypatch)
        got = _KERNELS[kernel](DEFAULTS)
        if isinstance(got, CostStreams):
            np.testing.assert_array_equal(got.total_usd(), expected.total_usd())
        elif isinstance(got, dict):
            assert got.keys() == expected.keys()
        else:
            assert got == expected

    @pytest.mark.parametrize("kernel", sorted(_KERNELS))
    def test_a_model_without_defaults_warns_before_reading_them(
        self, kernel: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        with pytest.warns(FutureWarning, match=rf"{kernel} without 'defaults' reads"):
            _KERNELS[kernel](None)
        _no_disk(monkeypatch)  # the read is the one the warning announces
        with (
            pytest.warns(FutureWarning, match="will be required"),
            pytest.raises(AssertionError, match="read its defaults from disk"),
        ):
            _KERNELS[kernel](None)

    def test_the_analyses_load_the_defaults_for_their_caller(self) -> None:
        table = exit_comparison(100_000)  # no FutureWarning: an analysis may read them
        assert table.loc["move_to_colo", "savings_npv_usd"] == pytest.approx(
            exit_comparison(100_000, defaults=DEFAULTS).loc["move_to_colo", "savings_npv_usd"]
        )
        at = gpu_break_even_utilisation_at("aws:us-east-1", as_of="2025-01-01")
        assert at == gpu_break_even_utilisation_at(
            "aws:us-east-1", as_of="2025-01-01", defaults=DEFAULTS
        )


def test_size_site_can_keep_each_need_at_its_own_shape() -> None:
    vcpus = np.arange(1.0, 4.0) * 500.0  # a month path
    storage = np.array([[1e5, 2e5, 3e5], [4e5, 5e5, 6e5]])  # per scenario and month
    own = size_site(vcpus=vcpus, storage_gb=storage, defaults=DEFAULTS, broadcast=False)
    full = size_site(vcpus=vcpus, storage_gb=storage, defaults=DEFAULTS)
    assert own["compute_servers"].shape == (3,)
    assert own["raw_storage_si_tb"].shape == (2, 3)
    for name, values in full.items():
        np.testing.assert_array_equal(np.broadcast_to(own[name], values.shape), values)
    with pytest.raises(InvalidParameterError, match="'broadcast' parameter of size_site"):
        size_site(vcpus=vcpus, defaults=DEFAULTS, broadcast="no")  # type: ignore[arg-type]
