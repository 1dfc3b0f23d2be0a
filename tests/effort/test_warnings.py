"""Tests of exitcost.effort._warnings: one concise warning of each kind per public call."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import exitcost.effort as ef
from exitcost.effort._warnings import few, warn_once
from exitcost.errors import DefaultAssumptionWarning
from exitcost.estate import Estate, sample_estate
from exitcost.pricing.policy import StalePriceBookWarning

from .conftest import build_estate


def _caught(call: Callable[[], Any]) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", StalePriceBookWarning)  # the sample's AWS book is old
        call()
    return caught


def _leaving_estate() -> Estate:
    """Seven rehosted workloads that leave managed services behind, two unknown services."""
    rows: list[dict[str, Any]] = [
        {
            "id": f"w{i}",
            "team": "core",
            "instances": 1,
            "strategy": "rehost",
            "compute_usd_per_month": 100,
            "services": ["aws.sqs", "aws.dynamodb"],
        }
        for i in range(7)
    ]
    rows.append({"id": "odd", "team": "core", "services": ["aws.quantum_ledger", "aws.teleport"]})
    return build_estate(rows)


PUBLIC: dict[str, Callable[[Estate], Any]] = {
    "estimate_effort": lambda e: ef.estimate_effort(e),
    "effort_inputs": lambda e: ef.effort_inputs(e),
    "sample_effort": lambda e: ef.sample_effort(e, 3, np.random.default_rng(0)),
    "estate_lock_in": lambda e: ef.estate_lock_in(e),
    "plan_schedule": lambda e: ef.plan_schedule(e),
    "schedule_summary": lambda e: ef.schedule_summary(e),
    "sample_programme": lambda e: ef.sample_programme(e, 3, np.random.default_rng(0)),
    "exit_bill_lines": lambda e: ef.exit_bill_lines(e),
    "programme_end_month": lambda e: ef.programme_end_month(e),
}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_one_call_emits_each_warning_once(name: str) -> None:
    estate = _leaving_estate()
    caught = _caught(lambda: PUBLIC[name](estate))
    texts = [str(w.message) for w in caught]
    # exit_bill_lines runs estimate_effort and three schedules; before, each repeated both.
    assert len(texts) == len(set(texts))
    kept = [t for t in texts if "moved with rehost" in t]
    unknown = [t for t in texts if "not in the service catalog" in t]
    if name != "estate_lock_in":  # lock-in uses no strategy, so it keeps no service effort
        assert len(kept) == 1
    assert len(unknown) == 1
    assert all(w.category is DefaultAssumptionWarning for w in caught)
    # Attributed to the caller's line, not to the decorator inside exitcost.
    assert {w.filename for w in caught} == {__file__}


def test_the_kept_services_warning_is_short_and_points_at_the_details() -> None:
    estate = _leaving_estate()
    caught = _caught(lambda: ef.exit_bill_lines(estate))
    (text,) = [str(w.message) for w in caught if "moved with rehost" in str(w.message)]
    # Five workloads by name, then a count; the services once; where the full list is.
    assert text.startswith(
        "7 workload(s) moved with rehost use managed services that cannot leave the provider "
        "unchanged: 'w0', 'w1', 'w2', 'w3', 'w4' and 2 more, using 'aws.sqs', 'aws.dynamodb'."
    )
    # Catalog: SQS 3 pd per queue, DynamoDB 5 pd per table (mode): 7 x 8 = 56 pd kept.
    assert "(56 person-days mode)" in text
    assert "exit strategy (replatform)" in text
    assert "'defaults_used' column" in text
    assert len(text) < 600
    (unknown,) = [str(w.message) for w in caught if "not in the service catalog" in str(w.message)]
    assert re.search(
        r"'aws\.quantum_ledger', 'aws\.teleport', used by 1 workload\(s\): 'odd'\.", unknown
    )
    # The detail stays in the frame, per workload.
    frames: list[Any] = []
    assert len(_caught(lambda: frames.append(ef.estimate_effort(estate)))) == 2
    used = frames[0]["defaults_used"]
    assert used["w6"] == "service effort kept under rehost: aws.sqs, aws.dynamodb"
    assert used["odd"].startswith(
        "unknown service aws.quantum_ledger; unknown service aws.teleport; strategy refactor"
    )


def test_the_sample_estate_rehosted_warns_once_in_a_few_hundred_characters() -> None:
    # The report behind this fix: 5 identical warnings of ~9,000 characters each.
    estate = sample_estate()
    caught = _caught(lambda: ef.exit_bill_lines(estate, "rehost", provider="aws"))
    assert len(caught) == 1
    assert len(str(caught[0].message)) < 1000
    assert re.search(
        r"^\d+ workload\(s\) moved with rehost .* and \d+ more, using", str(caught[0].message)
    )


def test_separate_calls_warn_again_and_a_block_shares_them() -> None:
    estate = _leaving_estate()
    twice = _caught(lambda: (ef.estimate_effort(estate), ef.plan_schedule(estate)))
    assert len(twice) == 4  # two kinds, each call on its own

    def combined() -> None:
        with ef.warnings_once():
            ef.estimate_effort(estate)
            ef.exit_bill_lines(estate)
            ef.programme_end_month(estate)

    assert len(_caught(combined)) == 2

    @ef.warnings_once()
    def report() -> None:
        warn_once("assumed", DefaultAssumptionWarning)
        warn_once("assumed", DefaultAssumptionWarning)
        warn_once("other", DefaultAssumptionWarning)

    assert [str(w.message) for w in _caught(lambda: (report(), report()))] == [
        "assumed",
        "other",
        "assumed",
        "other",
    ]


def test_warnings_as_errors_still_raise() -> None:
    estate = _leaving_estate()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DefaultAssumptionWarning, match=r"'aws\.quantum_ledger'"):
            ef.exit_bill_lines(estate)
    # The block was left by the error: a new call warns again.
    assert len(_caught(lambda: ef.estimate_effort(estate))) == 2


def test_few_names_a_handful() -> None:
    assert few([]) == ""
    assert few(["a"]) == "'a'"
    assert few([str(i) for i in range(6)]) == "'0', '1', '2', '3', '4' and 1 more"
    assert few([str(i) for i in range(6)], limit=6) == "'0', '1', '2', '3', '4', '5'"


def test_a_caller_combining_effort_functions_can_share_their_warnings() -> None:
    # exit_cost_summary runs estimate_effort, programme_end_month and exit_bill_lines: one
    # warning each on their own, one in all inside warnings_once (the hook for its module).
    from exitcost.summary import exit_cost_summary

    def summary() -> None:
        warnings.filterwarnings("ignore", "exit_cost_summary is deprecated", FutureWarning)
        with ef.warnings_once():
            exit_cost_summary(sample_estate(), "aws", strategies="rehost")

    caught = _caught(summary)
    assert len(caught) == 1
    assert re.match(r"\d+ workload\(s\) moved with rehost", str(caught[0].message))
