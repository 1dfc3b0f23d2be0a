"""Tests of exitcost.effort.bill and of the effort model on the bundled sample estate."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest

import exitcost.effort as ef
from exitcost.estate import Estate, sample_estate

Factory = Callable[..., Estate]


def test_exit_bill_lines_add_up_their_parts(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {
                "id": "web",
                "team": "core",
                "kind": "web",
                "instances": 4,
                "strategy": "rehost",
                "compute_usd_per_month": 2000,
            },
            {
                "id": "db",
                "team": "data",
                "kind": "database",
                "instances": 2,
                "strategy": "replatform",
                "services": ["aws.rds_postgres"],
                "compute_usd_per_month": 1000,
            },
        ],
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
    bill = ef.exit_bill_lines(estate)
    assert bill.index.tolist() == ["labour", "dual_running", "commitments"]
    effort = ef.estimate_effort(estate)
    assert bill.loc["labour", "expected_usd"] == pytest.approx(effort["labour_mean_usd"].sum())
    assert bill.loc["labour", "high_usd"] == pytest.approx(effort["labour_high_usd"].sum())
    dual = ef.plan_schedule(estate)["dual_running_usd"].sum()
    assert bill.loc["dual_running", "expected_usd"] == pytest.approx(dual)
    # 14 months (Nov 2026 - Dec 2027) x $500.
    assert bill.loc["commitments", "expected_usd"] == pytest.approx(7_000.0)
    numbers = bill[["low_usd", "expected_usd", "high_usd"]]
    assert (numbers["low_usd"] <= numbers["expected_usd"]).all()
    assert (numbers["expected_usd"] <= numbers["high_usd"]).all()
    later = ef.exit_bill_lines(estate, exit_month=14)
    assert later.loc["commitments", "expected_usd"] == 0.0


def test_bill_without_contracts(make_estate: Factory) -> None:
    estate = make_estate([{"id": "a", "team": "core", "instances": 1, "strategy": "rehost"}])
    assert ef.exit_bill_lines(estate).loc["commitments", "high_usd"] == 0.0


def test_sample_estate_runs_clean() -> None:
    estate = sample_estate()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every sample service is catalogued
        effort = ef.estimate_effort(estate)
        summary = ef.schedule_summary(estate)
        stranded = ef.stranded_commitments(estate)
        bill = ef.exit_bill_lines(estate)
        lock_in = ef.estate_lock_in(estate)
    assert len(effort) == len(estate.workloads)
    numeric = effort.select_dtypes("number")
    assert not numeric.isna().any().any()
    assert (numeric >= 0).all().all()
    assert ((effort["lock_in_score"] >= 0) & (effort["lock_in_score"] <= 1)).all()
    assert not summary.isna().any().any()
    assert (stranded["stranded_usd"] >= 0).all()
    assert not bill[["low_usd", "expected_usd", "high_usd"]].isna().any().any()
    assert 0.0 < lock_in.score <= 1.0
    draws = ef.sample_programme(estate, 64, np.random.default_rng(0))
    assert draws["person_days"].shape == (64, len(estate.workloads))
    assert np.isfinite(draws["dual_running_usd"]).all()
