"""Tests for exitcost.ingest.skeleton: an estate from a bill, with its guessed fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitcost import Estate, check_estate
from exitcost.ingest import FocusError, estate_skeleton, write_skeleton
from tests.ingest.conftest import VERSIONS, fixture_path, read_fixture, read_rows, write_rows


def test_sample_skeleton_validates_and_reports_its_guesses(sample_path: Path) -> None:
    skeleton = estate_skeleton(sample_path, cost="billed")
    estate = skeleton.estate
    # 26 provider regions billed and priced by a book (the sample's one "global" row and the
    # Oracle rows without RegionId are placed through RegionName or reported as skipped).
    assert len(estate.locations) == 26
    assert set(estate.providers) == {"aws", "azure", "oci"}
    assert len(estate.datasets) > 0
    assert len(estate.workloads) > 0
    assert Estate.model_validate(estate.to_dict()) == estate
    assert not skeleton.guesses.empty
    assert skeleton.guesses["path"].str.match(r"^(locations|datasets|workloads|contracts)\[").all()
    assert "global charge" in set(skeleton.skipped["reason"])


def test_estate_from_focus_is_the_skeleton_estate() -> None:
    assert Estate.from_focus(fixture_path("1_0")) == estate_skeleton(fixture_path("1_0")).estate


@pytest.mark.parametrize("version", ["1_0", "1_1", "1_3"])
def test_fixture_skeletons_pass_the_estate_checks_once_books_are_in_effect(version: str) -> None:
    # The bundled Azure and Google books take effect on 2026-10-31, after the fixtures' bills.
    on_bill_date = check_estate(estate_skeleton(fixture_path(version)).estate)
    assert any("price book is in effect" in p.message for p in on_bill_date)
    later = estate_skeleton(fixture_path(version), as_of="2026-11-01").estate
    assert check_estate(later) == []


def test_workloads_datasets_and_flows_come_from_the_bill() -> None:
    skeleton = estate_skeleton(fixture_path("1_0"))
    estate = skeleton.estate
    ec2 = estate.workload("amazon-elastic-compute-cloud-us-east-1")
    # focus_1_0.csv: 120.00 of EC2 hours and 500 GB out to the internet in one month.
    assert (ec2.compute_usd_per_month, ec2.internet_egress_gb_per_month) == (120.0, 500.0)
    assert estate.dataset("amazon-simple-storage-service-us-east-1").size_gb == 1000.0
    # 200 GB "data transfer to EU (Ireland)": a reader in eu-west-1 of the us-east-1 data.
    reader = estate.workload("network-eu-west-1")
    assert reader.location == "aws:eu-west-1"
    assert [(f.dataset, f.gb_per_month) for f in reader.reads] == [
        ("amazon-simple-storage-service-us-east-1", 200.0)
    ]
    assert "locations[2].id" in set(skeleton.guesses["path"])


def test_commitment_purchases_become_contracts() -> None:
    skeleton = estate_skeleton(fixture_path("1_1"))
    (contract,) = skeleton.estate.contracts
    # focus_1_1.csv: a 365.00 recurring "Savings Plan" purchase billed in February 2026.
    assert (contract.kind, contract.provider, contract.usd_per_month) == (
        "savings_plan",
        "aws",
        365.0,
    )
    assert contract.start.isoformat() == "2026-02-01"
    assert "contracts[0].end" in set(skeleton.guesses["path"])


def test_a_bill_in_another_currency_needs_a_rate() -> None:
    with pytest.raises(FocusError, match=r"The bill is in EUR.*usd_per_unit"):
        estate_skeleton(fixture_path("1_2"))
    estate = estate_skeleton(fixture_path("1_2"), usd_per_unit=1.1).estate
    # 40.00 EUR of virtual machines less a 5.00 EUR correction, at 1.1 USD per EUR.
    assert estate.workload("virtual-machines-westeurope").compute_usd_per_month == pytest.approx(
        38.5
    )


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ({"usd_per_unit": -1.0}, r"'usd_per_unit' parameter of estate_skeleton must be a positive"),
        ({"cost": "list"}, r"'cost' parameter of estate_skeleton must be one of"),
    ],
)
def test_bad_arguments_are_refused(argument: dict[str, object], message: str) -> None:
    with pytest.raises(FocusError, match=message):
        estate_skeleton(fixture_path("1_0"), **argument)  # type: ignore[arg-type]


def test_the_yaml_lists_the_guesses_and_reads_back(tmp_path: Path) -> None:
    skeleton = estate_skeleton(fixture_path("1_0"))
    path = tmp_path / "estate.yaml"
    text = write_skeleton(skeleton, path)
    assert path.read_text(encoding="utf-8") == text
    assert "#   workloads[0].kind = other: FOCUS does not say what a service runs" in text
    assert "# Not placed in the estate:" in text
    assert Estate.from_yaml(path) == skeleton.estate


@pytest.mark.parametrize("version", VERSIONS)
def test_as_of_defaults_to_the_end_of_the_last_charge_period(version: str) -> None:
    frame = read_fixture(version)
    rate = 1.1 if version == "1_2" else None
    estate = estate_skeleton(frame, usd_per_unit=rate).estate
    assert estate.as_of == frame["ChargePeriodEnd"].max().date()


@settings(max_examples=4)
@given(rate=st.floats(min_value=0.5, max_value=2.0))
def test_money_scales_with_the_exchange_rate(rate: float) -> None:
    frame = read_fixture("1_2")
    one = estate_skeleton(frame, usd_per_unit=1.0).estate
    scaled = estate_skeleton(frame, usd_per_unit=rate).estate
    for a, b in zip(one.workloads, scaled.workloads, strict=True):
        assert b.compute_usd_per_month == pytest.approx(float(a.compute_usd_per_month) * rate)
        assert b.internet_egress_gb_per_month == a.internet_egress_gb_per_month


def test_one_time_purchases_are_paid_up_front(tmp_path: Path) -> None:
    header, rows = read_rows(fixture_path("1_1"))
    rows[4][header.index("ChargeFrequency")] = "One-Time"  # the savings-plan purchase row
    (contract,) = estate_skeleton(
        write_rows(tmp_path / "upfront.csv", header, rows)
    ).estate.contracts
    assert (contract.upfront_usd, contract.usd_per_month) == (365.0, 0.0)


def test_refunds_larger_than_purchases_are_not_contracts(tmp_path: Path) -> None:
    header, rows = read_rows(fixture_path("1_1"))
    rows[4][header.index("BilledCost")] = "-365.00"
    skeleton = estate_skeleton(write_rows(tmp_path / "refund.csv", header, rows))
    assert skeleton.estate.contracts == ()
    assert "refunded more than bought" in set(skeleton.skipped["reason"])
