"""Tests of exitcost.effort.contracts: stranded commitments and natural exit windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.effort.catalog import load_effort_defaults
from exitcost.effort.contracts import (
    exit_windows,
    minimum_spend_shortfall_usd,
    month_position,
    remaining_commitment_months,
    stranded_by_exit_month,
    stranded_commitment_usd,
    stranded_commitments,
)
from exitcost.errors import EstateError, InvalidParameterError
from exitcost.estate import Contract, Estate

Factory = Callable[..., Estate]
D = dt.date


def contract(**fields: Any) -> Contract:
    base: dict[str, Any] = {
        "id": "c",
        "kind": "reserved_capacity",
        "provider": "aws",
        "usd_per_month": 1000.0,
        "start": D(2026, 1, 1),
        "end": D(2028, 12, 31),
    }
    return Contract(**{**base, **fields})


def test_three_year_reservation_worked_example() -> None:
    # 36-month term from Jan 2026; exit 1 Jan 2027 leaves Jan 2027 - Dec 2028 = 24 months.
    out = stranded_commitments([contract()], D(2027, 1, 1))
    row = out.loc[(D(2027, 1, 1), "c")]
    assert row.remaining_months == 24.0
    assert row.stranded_usd == 24_000.0
    assert row.recovered_usd == 0.0  # AWS RIs: nothing recovered by default (data file, R)


def test_mid_month_exit_and_end_are_prorated() -> None:
    # Exit on 16 Nov (30 days): half of November remains. Contract ends 15 Dec (31 days).
    c = contract(start=D(2026, 1, 1), end=D(2026, 12, 15))
    out = stranded_commitments([c], D(2026, 11, 16))
    assert out["remaining_months"].iloc[0] == pytest.approx(0.5 + 15 / 31)


def test_exit_before_start_strands_the_whole_term() -> None:
    c = contract(start=D(2027, 1, 1), end=D(2027, 12, 31))
    assert stranded_commitments([c], D(2026, 6, 1))["stranded_usd"].iloc[0] == 12_000.0


def test_minimum_spend_shortfall() -> None:
    # $350k/month committed, $100k/month keeps flowing after exit: 14 months x $250k shortfall.
    edp = contract(id="edp", kind="minimum_spend", usd_per_month=350_000.0, end=D(2027, 12, 31))
    out = stranded_commitments(
        [edp], 0, as_of=D(2026, 11, 27), remaining_spend_usd_per_month={"edp": 100_000.0}
    )
    assert out["remaining_months"].iloc[0] == 14.0
    assert out["stranded_usd"].iloc[0] == pytest.approx(14 * 250_000.0)
    over = stranded_commitments(
        [edp], 0, as_of=D(2026, 11, 27), remaining_spend_usd_per_month={"edp": 400_000.0}
    )
    assert over["stranded_usd"].iloc[0] == 0.0


def test_cancellable_pays_the_lesser_of_fee_and_remaining() -> None:
    lease = contract(
        kind="colocation_lease", provider="colo", cancellable=True, termination_fee_usd=5_000.0
    )
    assert stranded_commitments([lease], D(2027, 1, 1))["stranded_usd"].iloc[0] == 5_000.0
    # Two months left ($2,000) is cheaper than the fee: wait it out.
    assert stranded_commitments([lease], D(2028, 11, 1))["stranded_usd"].iloc[0] == 2_000.0


def test_azure_reservation_refunds_are_capped_across_contracts() -> None:
    # MicrosoftDocs exchange-and-refund-azure-reservations.md: refunds of the prorated remainder,
    # at most USD 50,000 per rolling 12 months; no early-termination fee today.
    r1 = contract(id="r1", provider="azure", usd_per_month=2_000.0)  # 24 months left: 48,000
    r2 = contract(id="r2", provider="azure", usd_per_month=3_000.0)  # 72,000
    out = stranded_commitments([r1, r2], D(2027, 1, 1))
    assert out["owed_usd"].sum() == pytest.approx(120_000.0)
    assert out["recovered_usd"].sum() == pytest.approx(50_000.0)
    assert out["stranded_usd"].sum() == pytest.approx(70_000.0)
    # Shared pro rata: 48/120 and 72/120 of the cap.
    np.testing.assert_allclose(out["recovered_usd"], [20_000.0, 30_000.0])
    small = stranded_commitments([contract(provider="azure", usd_per_month=100.0)], D(2027, 1, 1))
    assert small["stranded_usd"].iloc[0] == 0.0


def test_azure_refund_with_a_future_termination_fee() -> None:
    defaults = load_effort_defaults()
    rules = tuple(
        r.model_copy(update={"early_termination_fee_fraction": 0.12})
        if (r.provider, r.kind) == ("azure", "reserved_capacity")
        else r
        for r in defaults.commitments.rules
    )
    custom = defaults.model_copy(
        update={"commitments": defaults.commitments.model_copy(update={"rules": rules})}
    )
    c = contract(provider="azure", usd_per_month=1_000.0)
    out = stranded_commitments([c], D(2027, 1, 1), defaults=custom)
    # 24,000 remaining, 12% of the refund withheld.
    assert out["stranded_usd"].iloc[0] == pytest.approx(0.12 * 24_000.0)


def test_non_cancellable_savings_plans_and_cud_are_owed_in_full() -> None:
    # AWS and Azure savings plans and GCP CUDs cannot be cancelled (effort-facts section 5, V).
    items = [
        contract(id="sp", kind="savings_plan"),
        contract(id="az", kind="savings_plan", provider="azure"),
        contract(id="cud", kind="committed_use", provider="gcp"),
    ]
    out = stranded_commitments(items, D(2027, 1, 1))
    np.testing.assert_allclose(out["stranded_usd"], [24_000.0] * 3)


def test_upfront_is_sunk_and_reported_separately() -> None:
    c = contract(upfront_usd=36_000.0)
    row = stranded_commitments([c], D(2027, 1, 1)).iloc[0]
    assert row.unamortised_upfront_usd == pytest.approx(24_000.0)
    assert row.stranded_usd == 24_000.0


def test_several_exits_at_once_and_the_lock_in_clock(make_estate: Factory) -> None:
    estate = make_estate(
        [],
        contracts=[
            {
                "id": "sp",
                "kind": "savings_plan",
                "provider": "aws",
                "usd_per_month": 500,
                "start": "2026-01-01",
                "end": "2027-02-28",
            },
            {
                "id": "ri",
                "kind": "reserved_capacity",
                "provider": "aws",
                "usd_per_month": 100,
                "start": "2026-01-01",
                "end": "2026-12-31",
            },
        ],
        as_of="2026-11-27",
    )
    out = stranded_commitments(estate, [0, 2])
    assert out.index.names == ["exit_date", "contract"]
    assert out.loc[(D(2026, 11, 1), "sp"), "stranded_usd"] == 2_000.0
    assert out.loc[(D(2027, 1, 1), "ri"), "stranded_usd"] == 0.0
    clock = stranded_by_exit_month(estate, range(5))
    assert clock.tolist() == [2_200.0, 1_600.0, 1_000.0, 500.0, 0.0]
    windows = exit_windows(estate)
    assert windows.index.tolist() == ["ri", "sp"]
    assert windows.loc["sp", "natural_exit"] == D(2027, 3, 1)
    assert windows.loc["sp", "months_from_as_of"] == 4.0
    assert windows.loc["ri", "stranded_if_exit_now_usd"] == 200.0


def test_bad_input_is_rejected() -> None:
    with pytest.raises(InvalidParameterError, match="needs a start: pass an estate"):
        stranded_commitments([contract()], 3)
    with pytest.raises(InvalidParameterError, match=r"'exit_month' .* must be a date"):
        stranded_commitments([contract()], "next year", as_of=D(2026, 1, 1))
    with pytest.raises(InvalidParameterError, match="contracts that do not exist: 'nope'"):
        stranded_commitments([contract()], D(2027, 1, 1), remaining_spend_usd_per_month={"nope": 1})
    broken = Contract.model_construct(**{**contract().model_dump(), "end": D(2025, 1, 1)})
    with pytest.raises(InvalidParameterError, match=r"Contract 'c' .* must end on or after it"):
        stranded_commitments([broken], D(2027, 1, 1))
    with pytest.raises(InvalidParameterError, match="must end on or after it starts"):
        remaining_commitment_months([10.0, 10.0], [12.0, 5.0], 0.0)
    with pytest.raises(InvalidParameterError, match=r"'recovery_fraction' .* must be <= 1"):
        stranded_commitment_usd(1.0, 1.0, recovery_fraction=2.0)
    with pytest.raises(InvalidParameterError, match=r"'usd_per_month' .* must be >= 0"):
        stranded_commitment_usd(1.0, -1.0)


def test_month_position() -> None:
    assert month_position(D(2026, 1, 1)) == 2026 * 12
    assert month_position(D(2026, 2, 15)) == pytest.approx(2026 * 12 + 1 + 14 / 28)


# --- invariants ---------------------------------------------------------------------------------

dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
kinds = st.sampled_from(
    [
        "reserved_capacity",
        "savings_plan",
        "committed_use",
        "minimum_spend",
        "license",
        "colocation_lease",
    ]
)


@given(
    start=dates,
    days=st.integers(min_value=1, max_value=2000),
    kind=kinds,
    provider=st.sampled_from(["aws", "azure", "gcp", "colo"]),
    cancellable=st.booleans(),
    after=st.integers(min_value=1, max_value=1000),
    monthly=st.floats(min_value=0, max_value=1e7),
    fee=st.floats(min_value=0, max_value=1e7),
)
def test_stranded_falls_to_zero_at_the_contract_end(
    start: dt.date,
    days: int,
    kind: str,
    provider: str,
    cancellable: bool,
    after: int,
    monthly: float,
    fee: float,
) -> None:
    end = start + dt.timedelta(days=days)
    c = contract(
        kind=kind,
        provider=provider,
        cancellable=cancellable,
        start=start,
        end=end,
        usd_per_month=monthly,
        termination_fee_usd=fee,
    )
    exits = [end + dt.timedelta(days=1), end + dt.timedelta(days=1 + after)]
    out = stranded_commitments([c], exits)
    assert (out["stranded_usd"] == 0.0).all()
    assert (out["remaining_months"] == 0.0).all()


@given(
    start=dates,
    days=st.integers(min_value=1, max_value=2000),
    kind=kinds,
    cancellable=st.booleans(),
    offsets=st.lists(st.integers(min_value=0, max_value=120), min_size=2, max_size=8),
)
def test_stranded_never_grows_as_the_exit_moves_later(
    start: dt.date, days: int, kind: str, cancellable: bool, offsets: list[int]
) -> None:
    c = contract(
        kind=kind,
        cancellable=cancellable,
        start=start,
        end=start + dt.timedelta(days=days),
        termination_fee_usd=5_000.0,
    )
    months = sorted(set(offsets))
    # Offsets count from a month before the start (negative offsets are rejected now), so the
    # exits still cover before, during and after the term.
    clock = stranded_by_exit_month([c], months, as_of=start - dt.timedelta(days=40))
    values = clock.to_numpy()
    assert (np.diff(values) <= 1e-9).all()
    assert (values >= 0).all()


# --- exit dates ----------------------------------------------------------------------------------


def test_exit_month_accepts_iso_strings_and_datetimes(make_estate: Factory) -> None:
    estate = make_estate(
        [],
        contracts=[
            {
                "id": "sp",
                "kind": "savings_plan",
                "provider": "aws",
                "usd_per_month": 500,
                "start": "2026-01-01",
                "end": "2027-12-31",
            }
        ],
    )
    spellings = [
        "2027-06-01",
        "2027-06",
        " 2027-06-01T00:00:00 ",
        dt.datetime(2027, 6, 1, 12, 0),
        pd.Timestamp("2027-06-01"),
        np.datetime64("2027-06-01"),
        D(2027, 6, 1),
        7,  # months after November 2026
    ]
    for when in spellings:
        out = stranded_commitments(estate, when)
        # Jun - Dec 2027: 7 months x $500.
        assert out.index.get_level_values("exit_date").tolist() == [D(2027, 6, 1)]
        assert out["stranded_usd"].iloc[0] == 3_500.0
    assert stranded_commitments(estate, spellings)["stranded_usd"].tolist() == [3_500.0] * 8


def test_exit_month_in_the_past_is_rejected(make_estate: Factory) -> None:
    estate = make_estate([], as_of="2026-11-27")
    with pytest.raises(InvalidParameterError, match=r"must be a month offset >= 0 .* Got -12"):
        stranded_commitments(estate, -12)
    with pytest.raises(InvalidParameterError, match=r"before the start of the as_of month \(2026"):
        stranded_commitments(estate, "2026-10-31")
    with pytest.raises(InvalidParameterError, match=r"before the start of the as_of month"):
        stranded_commitments([contract()], D(2026, 1, 1), as_of=D(2026, 11, 27))
    # The as_of month itself is allowed (the exit takes effect at its start).
    assert stranded_commitments(estate, "2026-11-01").empty
    with pytest.raises(InvalidParameterError, match=r"'exit_months' .* whole month offsets >= 0"):
        stranded_by_exit_month(estate, [0, -1])
    with pytest.raises(InvalidParameterError, match=r"'exit_months' .* Got 1\.5"):
        stranded_by_exit_month(estate, [0, 1.5])
    with pytest.raises(InvalidParameterError, match=r"'exit_month' .* must be a date"):
        stranded_commitments(estate, True)
    with pytest.raises(InvalidParameterError, match=r"'exit_month' .* must be a date"):
        stranded_commitments(estate, pd.NaT)
    assert stranded_by_exit_month(estate, np.array([0.0, 2.0])).index.tolist() == [0, 2]


# --- minimum spend offset -------------------------------------------------------------------------


def test_sample_edp_is_offset_by_the_other_aws_commitments() -> None:
    from exitcost.estate import sample_estate

    estate = sample_estate()  # as_of 2026-11-01
    out = stranded_commitments(estate, 0, provider="aws").droplevel("exit_date")
    # Worked by hand from data/estates/sample.yaml. EDP $350,000 a month to Dec 2027 (14
    # months). Still owed after a November 2026 exit with AWS, per month:
    #   Nov 2026 - Mar 2027 (5): SP 94,900 + RDS RI 14,500 + GPU 48,000 = 157,400
    #   Apr 2027 - Nov 2027 (8): 94,900 + 14,500 = 109,400
    #   Dec 2027 (1): 94,900
    # Shortfall 5 x 192,600 + 8 x 240,600 + 1 x 255,100 = 963,000 + 1,924,800 + 255,100
    # = 3,142,900; met 14 x 350,000 - 3,142,900 = 1,757,100.
    edp = out.loc["aws-edp-2025"]
    assert edp.stranded_usd == pytest.approx(3_142_900.0)
    assert edp.owed_usd == pytest.approx(3_142_900.0)
    assert edp.minimum_met_usd == pytest.approx(1_757_100.0)
    assert out.loc["aws-compute-savings-plan", "stranded_usd"] == pytest.approx(20 * 94_900.0)
    assert out.loc["aws-compute-savings-plan", "minimum_met_usd"] == 0.0
    # The user's report: whole estate 7,542,500 at month 0 without the offset; 629,400 at 14.
    clock = stranded_by_exit_month(estate, [0, 14])
    assert clock.tolist() == pytest.approx([7_542_500.0 - 1_757_100.0, 629_400.0])
    off = stranded_by_exit_month(estate, [0, 14], minimum_spend_offset=False)
    assert off.tolist() == pytest.approx([7_542_500.0, 629_400.0])


def test_offset_is_per_provider_and_only_from_eligible_commitments() -> None:
    edp = contract(id="edp", kind="minimum_spend", usd_per_month=1_000.0, end=D(2027, 12, 31))
    others = [
        contract(id="az", kind="savings_plan", provider="azure", usd_per_month=400.0),
        contract(id="lic", kind="license", usd_per_month=300.0),
        contract(
            id="lease",
            kind="reserved_capacity",
            usd_per_month=200.0,
            cancellable=True,
            termination_fee_usd=50.0,
        ),
        contract(id="ri", kind="reserved_capacity", usd_per_month=100.0, end=D(2027, 6, 30)),
    ]
    out = stranded_commitments([edp, *others], D(2027, 1, 1)).droplevel("exit_date")
    # Only the AWS non-cancellable RI counts (the Azure plan is another provider, licences are
    # not eligible kinds, a cancellable contract is ended by its fee): Jan - Jun 2027 at
    # 1,000 - 100 = 900, Jul - Dec 2027 at 1,000: 5,400 + 6,000 = 11,400.
    assert out.loc["edp", "stranded_usd"] == pytest.approx(11_400.0)
    assert out.loc["edp", "minimum_met_usd"] == pytest.approx(600.0)


def test_offset_prorates_a_contract_that_ends_mid_month() -> None:
    edp = contract(id="edp", kind="minimum_spend", usd_per_month=1_000.0, end=D(2027, 2, 28))
    sp = contract(id="sp", kind="savings_plan", usd_per_month=600.0, end=D(2027, 1, 15))
    out = stranded_commitments([edp, sp], D(2027, 1, 1)).droplevel("exit_date")
    # January (31 days): 15/31 of the month at 400 a month short, 16/31 at 1,000; February 1,000.
    expected = 15 / 31 * 400.0 + 16 / 31 * 1_000.0 + 1_000.0
    assert out.loc["edp", "stranded_usd"] == pytest.approx(expected)


def test_refunded_reservations_do_not_count_toward_the_minimum() -> None:
    # An Azure MACC and a small Azure reservation refunded in full (under the USD 50,000 cap,
    # MicrosoftDocs exchange-and-refund-azure-reservations.md): nothing of it is still paid, so
    # nothing offsets the MACC: 24 months x 1,000.
    macc = contract(id="macc", kind="minimum_spend", provider="azure", usd_per_month=1_000.0)
    ri = contract(id="ri", provider="azure", usd_per_month=100.0)
    out = stranded_commitments([macc, ri], D(2027, 1, 1)).droplevel("exit_date")
    assert out.loc["ri", "stranded_usd"] == 0.0
    assert out.loc["macc", "stranded_usd"] == pytest.approx(24_000.0)


def test_offset_switch_and_a_file_without_the_rule() -> None:
    edp = contract(id="edp", kind="minimum_spend", usd_per_month=1_000.0)
    sp = contract(id="sp", kind="savings_plan", usd_per_month=400.0)
    # 24 months left from Jan 2027: with the offset 24 x 600 + 24 x 400, without 24 x 1,400.
    on = stranded_commitments([edp, sp], D(2027, 1, 1))["stranded_usd"].sum()
    off = stranded_commitments([edp, sp], D(2027, 1, 1), minimum_spend_offset=False)
    assert on == pytest.approx(24_000.0)
    assert off["stranded_usd"].sum() == pytest.approx(33_600.0)
    defaults = load_effort_defaults()
    bare = defaults.model_copy(
        update={
            "commitments": defaults.commitments.model_copy(update={"minimum_spend_offset": None})
        }
    )
    out = stranded_commitments([edp, sp], D(2027, 1, 1), defaults=bare)
    assert out["stranded_usd"].sum() == pytest.approx(33_600.0)


def test_shortfall_kernel_shapes_and_overflow() -> None:
    short, met = minimum_spend_shortfall_usd([0.0], [12.0], [0.0, 6.0, 12.0], [100.0], [], [], 0.0)
    np.testing.assert_allclose(short, [[1_200.0], [600.0], [0.0]])
    np.testing.assert_allclose(met, 0.0)
    with pytest.raises(InvalidParameterError, match="shapes of the inputs"):
        minimum_spend_shortfall_usd([0.0], [12.0], [0.0], [100.0], [0.0], [1.0], np.ones((2, 2, 2)))
    with pytest.raises(InvalidParameterError, match="within float64 range"):
        minimum_spend_shortfall_usd([0.0], [12.0], [0.0], [1e308], [], [], 0.0)


def test_contract_amounts_that_overflow_name_the_contract() -> None:
    with pytest.raises(InvalidParameterError, match=r"'usd_per_month' .* Got 1e\+308 for 14"):
        stranded_commitment_usd(14.0, 1e308)
    with pytest.raises(EstateError, match=r"usd_per_month: must be <= 1000000000000"):
        contract(id="huge", usd_per_month=1e308)  # the estate refuses it before any sum


@given(
    monthly=st.floats(min_value=0, max_value=1e6),
    others=st.lists(
        st.tuples(
            st.sampled_from(["savings_plan", "reserved_capacity", "license"]),
            st.floats(min_value=0, max_value=1e6),
            st.integers(min_value=1, max_value=1500),
        ),
        max_size=4,
    ),
    offsets=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=6),
    remaining=st.floats(min_value=0, max_value=1e6),
)
def test_offset_invariants(
    monthly: float, others: list[tuple[str, float, int]], offsets: list[int], remaining: float
) -> None:
    edp = contract(id="edp", kind="minimum_spend", usd_per_month=monthly, end=D(2027, 12, 31))
    items = [edp] + [
        contract(id=f"c{i}", kind=k, usd_per_month=m, end=D(2026, 1, 1) + dt.timedelta(days=d))
        for i, (k, m, d) in enumerate(others)
    ]
    months = sorted(set(offsets))
    spend = {"edp": remaining}
    kw: dict[str, Any] = {"as_of": D(2026, 1, 1), "remaining_spend_usd_per_month": spend}
    on = stranded_commitments(items, months, **kw)
    off = stranded_commitments(items, months, minimum_spend_offset=False, **kw)
    row_on = on.xs("edp", level="contract")
    row_off = off.xs("edp", level="contract")
    # The offset only lowers the minimum's shortfall, never below 0 nor above the plain one.
    assert (row_on["stranded_usd"] >= 0).all()
    assert (row_on["stranded_usd"] <= row_off["stranded_usd"] + 1e-6).all()
    # Shortfall plus what is met is the whole remaining minimum.
    whole = row_on["remaining_months"] * monthly
    np.testing.assert_allclose(
        row_on["stranded_usd"] + row_on["minimum_met_usd"], whole, rtol=1e-9, atol=1e-6
    )
    # Other contracts are not affected by the offset.
    np.testing.assert_allclose(
        on.drop(index="edp", level="contract")["stranded_usd"],
        off.drop(index="edp", level="contract")["stranded_usd"],
    )
    # Later exits never strand more.
    clock = stranded_by_exit_month(items, months, **kw).to_numpy()
    assert (np.diff(clock) <= 1e-6 * max(1.0, float(clock.max()))).all()
