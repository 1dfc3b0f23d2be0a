"""Tests of exitcost.effort.model: 7 Rs effort, labour, lock-in, PERT kernels and sampling."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from exitcost.effort.catalog import STRATEGIES, load_catalog
from exitcost.effort.model import (
    adaptation_adjustment,
    base_effort_person_days,
    estate_lock_in,
    estimate_effort,
    pert_mean,
    sample_effort,
    sample_pert,
)
from exitcost.errors import (
    DefaultAssumptionWarning,
    EstateError,
    InvalidParameterError,
    UnknownServiceError,
)
from exitcost.estate import Estate

from .conftest import build_estate

Factory = Callable[..., Estate]


# --- kernels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kloc", "person_days"),
    # effort-facts.md section 2 table (COCOMO II all-nominal, 19 pd/PM): 56 / 328 / 1,506 pd.
    [(1.0, 56.0), (5.0, 328.0), (20.0, 1506.0)],
)
def test_refactor_base_matches_cocomo_table(kloc: float, person_days: float) -> None:
    got = base_effort_person_days(
        kloc, anchor_person_days=2.94 * 19, anchor_size=1.0, exponent=1.0997
    )
    assert got == pytest.approx(person_days, rel=0.005)


@pytest.mark.parametrize(
    ("instances", "person_days"),
    # effort-facts.md section 6 table, replatform mode: 20 / 92 / 322 pd at 2 / 8 / 25 units.
    [(2.0, 20.0), (8.0, 92.0), (25.0, 322.0)],
)
def test_replatform_base_matches_size_classes(instances: float, person_days: float) -> None:
    got = base_effort_person_days(instances, anchor_person_days=20, anchor_size=2, exponent=1.0997)
    assert got == pytest.approx(person_days, rel=0.005)


def test_base_effort_keeps_series_and_rejects_bad_input() -> None:
    sizes = pd.Series([1.0, 4.0], index=["a", "b"])
    out = base_effort_person_days(sizes, anchor_person_days=2.5, anchor_size=1.0, exponent=1.0)
    assert isinstance(out, pd.Series)
    assert out.tolist() == [2.5, 10.0]
    with pytest.raises(InvalidParameterError, match="'size' parameter of base_effort"):
        base_effort_person_days(-1.0, anchor_person_days=1.0, anchor_size=1.0, exponent=1.0)
    with pytest.raises(InvalidParameterError, match=r"'anchor_size' .* must be > 0"):
        base_effort_person_days(1.0, anchor_person_days=1.0, anchor_size=0.0, exponent=1.0)


def test_adaptation_adjustment_matches_the_reuse_model() -> None:
    # COCOMO II reuse model (Model Definition Manual v2.1 section 2.4, as several tools implement
    # it): AAF = 0.4 DM + 0.3 CM + 0.3 IM (percent). Refactor ratings of the data file:
    # DM 10, CM 20, IM 30 -> AAF 19; AAM = [AA 4 + 19 (1 + 0.02 x SU 30 x UNFM 0.4)] / 100
    # = (4 + 23.56) / 100 = 0.2756. Above AAF 50 (all 100): [AA 0 + 100 + 30 x 0.4] / 100 = 1.12.
    got = adaptation_adjustment(
        [0.1, 1.0],
        [0.2, 1.0],
        [0.3, 1.0],
        assessment_assimilation=[0.04, 0.0],
        software_understanding=0.3,
        unfamiliarity=0.4,
    )
    np.testing.assert_allclose(got, [0.2756, 1.12])
    # Nothing adapted, nothing assessed: no equivalent new code.
    zero = adaptation_adjustment(
        0.0, 0.0, 0.0, assessment_assimilation=0.0, software_understanding=0.3, unfamiliarity=1.0
    )
    assert zero == 0.0
    with pytest.raises(InvalidParameterError, match=r"'code_modified' parameter .* <= 1"):
        adaptation_adjustment(
            0.0, 2.0, 0.0, assessment_assimilation=0.0, software_understanding=0.3, unfamiliarity=0
        )
    with pytest.raises(InvalidParameterError, match="'assessment_assimilation' parameter"):
        adaptation_adjustment(
            0.0, 0.0, 0.0, assessment_assimilation=4, software_understanding=0.3, unfamiliarity=0
        )


fractions = st.floats(min_value=0, max_value=1)


@given(
    base=st.tuples(fractions, fractions, fractions, fractions, fractions),
    which=st.integers(min_value=0, max_value=4),
    extra=fractions,
)
def test_adaptation_adjustment_is_continuous_and_non_decreasing(
    base: tuple[float, ...], which: int, extra: float
) -> None:
    dm, cm, im, aa_share, unfm = base
    args = [dm, cm, im, 0.08 * aa_share, unfm]
    bigger = list(args)
    limit = 0.08 if which == 3 else 1.0
    bigger[which] = min(limit, bigger[which] + extra * limit)

    def aam(v: list[float]) -> float:
        return float(
            adaptation_adjustment(
                v[0],
                v[1],
                v[2],
                assessment_assimilation=v[3],
                software_understanding=0.3,
                unfamiliarity=v[4],
            )
        )

    assert aam(bigger) >= aam(args) - 1e-12
    assert 0.0 <= aam(args) <= 0.08 + 1.0 + 0.5


def test_pert_mean_worked_example_and_errors() -> None:
    # (0.7 + 4 + 3) / 6 = 1.2833: the 28% mean overrun of effort-facts section 6.
    assert pert_mean(0.7, 1.0, 3.0) == pytest.approx(7.7 / 6)
    with pytest.raises(InvalidParameterError, match=r"low <= mode <= high. Got low=5.0"):
        pert_mean(5.0, 1.0, 6.0)
    with pytest.raises(InvalidParameterError, match=r"at index \(1,\)"):
        pert_mean([1.0, 1.0], [2.0, 3.0], [3.0, 2.0])
    with pytest.raises(InvalidParameterError, match="'low' parameter of pert_mean must be >= 0"):
        pert_mean(-1.0, 1.0, 2.0)


def test_sample_pert_shape_bounds_mean_and_seed() -> None:
    low, mode, high = np.array([7.0, 0.0, 5.0]), np.array([10.0, 0.0, 5.0]), np.array([30, 0, 9.0])
    draws = sample_pert(low, mode, high, 20_000, np.random.default_rng(42))
    assert draws.shape == (20_000, 3)
    assert (draws >= low).all()
    assert (draws <= high).all()
    assert (draws[:, 1] == 0).all()
    # The beta-PERT mean is (low + 4 mode + high) / 6; 20,000 draws land within 1%.
    assert draws.mean(axis=0)[0] == pytest.approx(pert_mean(7.0, 10.0, 30.0), rel=0.01)
    again = sample_pert(low, mode, high, 20_000, np.random.default_rng(42))
    np.testing.assert_array_equal(draws, again)


def test_sample_pert_comonotonic_moves_together() -> None:
    draws = sample_pert(
        [1.0, 10.0],
        [2.0, 20.0],
        [6.0, 90.0],
        500,
        np.random.default_rng(0),
        correlation="comonotonic",
    )
    order0, order1 = np.argsort(draws[:, 0]), np.argsort(draws[:, 1])
    np.testing.assert_array_equal(order0, order1)


def test_sample_pert_rejects_bad_arguments() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(InvalidParameterError, match="'n' parameter of sample_pert"):
        sample_pert(1.0, 2.0, 3.0, -1, rng)
    with pytest.raises(InvalidParameterError, match=r"'correlation' parameter .* 'comonotonic'"):
        sample_pert(1.0, 2.0, 3.0, 5, rng, correlation="copula")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="low <= mode <= high"):
        sample_pert(3.0, 2.0, 1.0, 5, rng)


# --- estimate_effort -----------------------------------------------------------------------------


def test_worked_example_per_strategy(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {"id": "retain", "team": "core", "instances": 8, "strategy": "retain"},
            {"id": "retire", "team": "core", "instances": 8, "strategy": "retire"},
            {
                "id": "rehost",
                "team": "core",
                "instances": 8,
                "strategy": "rehost",
                "services": [{"service": "aws.dynamodb", "units": 3}],
            },
            {"id": "relocate", "team": "core", "instances": 8, "strategy": "relocate"},
            {
                "id": "replatform",
                "team": "core",
                "instances": 2,
                "strategy": "replatform",
                "services": [
                    {"service": "aws.rds_postgres", "units": 1},
                    {"service": "aws.sqs", "units": 2},
                ],
            },
            {
                "id": "repurchase",
                "team": "core",
                "instances": 2,
                "strategy": "repurchase",
                "services": [{"service": "aws.sqs", "units": 2}],
            },
            {
                "id": "refactor",
                "team": "data",
                "instances": 2,
                "code_kloc": 5,
                "strategy": "refactor",
                "services": [{"service": "aws.dynamodb", "units": 3}],
            },
        ]
    )
    # A rehost cannot take DynamoDB tables along (catalog exit strategy replatform): the exit
    # still has to replace them, so their catalog effort is kept, with a warning.
    with pytest.warns(
        DefaultAssumptionWarning, match=r"moved with rehost .*: 'rehost', using 'aws\.dynamodb'"
    ):
        out = estimate_effort(estate)
    mode = out["person_days_mode"]
    # Data file: retire 1 + 0.5/instance; rehost 2.5/instance + kept DynamoDB effort; relocate
    # 2/3 of rehost; replatform 2.5/instance, no code here, + catalog 1 x 1 pd (RDS) + 2 x 3 pd
    # (SQS) = 5 + 7 = 12; repurchase 15 fixed + 2.5/instance = 20, no service effort; refactor
    # 2 x 2.5 pd per instance + COCOMO II on 5 KLOC x AAM 0.2756 (DM 0.1, CM 0.2, IM 0.3,
    # AA 0.04, SU 0.3, UNFM 0.4: 0.04 + 0.19 x 1.24) = 1.378 equivalent KSLOC ->
    # 55.86 x 1.378 ** 1.0997 = 55.86 x 1.4228 = 79.48 pd, + 3 x 5 pd (DynamoDB tables):
    # 5 + 79.48 + 15 = 99.48. Rehost: 8 x 2.5 = 20 + 3 tables x 5 pd (catalog DynamoDB, class
    # Redesign, 3.5 / 5 / 15 per table) = 35.
    assert mode["retain"] == 0.0
    assert mode["retire"] == pytest.approx(5.0)
    assert mode["rehost"] == pytest.approx(35.0)
    assert mode["relocate"] == pytest.approx(8 * 1.6667)
    assert mode["replatform"] == pytest.approx(12.0)
    assert mode["repurchase"] == pytest.approx(20.0)
    assert mode["refactor"] == pytest.approx(99.48, rel=1e-4)
    assert out.loc["refactor", "equivalent_kloc"] == pytest.approx(5 * 0.2756)
    # Base range 0.7 / 1 / 3 x mode; service range from the catalog (0.7 / 1 / 3 as well here).
    # Rehost: 0.7 x 20 + 3 x 3.5 = 24.5 and 3 x 20 + 3 x 15 = 105.
    assert out.loc["rehost", "person_days_low"] == pytest.approx(24.5)
    assert out.loc["rehost", "person_days_high"] == pytest.approx(105.0)
    row = out.loc["replatform"]
    assert row.person_days_mean == pytest.approx(
        (row.person_days_low + 4 * 12.0 + row.person_days_high) / 6
    )
    # Labour = person-days x team rate (core 800, data 1,000).
    assert row.labour_mode_usd == pytest.approx(12.0 * 800)
    assert out.loc["refactor", "labour_mean_usd"] == pytest.approx(
        out.loc["refactor", "person_days_mean"] * 1000
    )
    assert out.loc["replatform", "service_person_days"] == pytest.approx(7.0)
    assert out.loc["rehost", "service_person_days"] == pytest.approx(15.0)
    assert list(out["strategy_source"].unique()) == ["estate"]
    assert out.loc["rehost", "defaults_used"] == "service effort kept under rehost: aws.dynamodb"
    assert (out["defaults_used"].drop("rehost") == "").all()


def test_strategies_argument_overrides_the_estate(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {"id": "a", "team": "core", "instances": 4, "strategy": "rehost"},
            {"id": "b", "team": "core", "instances": 4, "strategy": "rehost"},
        ]
    )
    all_retire = estimate_effort(estate, "retire")
    assert all_retire["strategy"].tolist() == ["retire", "retire"]
    assert all_retire["strategy_source"].tolist() == ["argument", "argument"]
    one = estimate_effort(estate, {"b": "relocate"})
    assert one["strategy"].tolist() == ["rehost", "relocate"]
    assert one["strategy_source"].tolist() == ["estate", "argument"]


@pytest.mark.parametrize(
    ("strategies", "match"),
    [
        ("lift-and-pray", r"must name one of 'refactor', .* Got 'lift-and-pray'"),
        ({"a": "rewrite"}, "Got 'rewrite' for workload 'a'"),
        ({"zzz": "rehost"}, "names workloads that are not in the estate: 'zzz'"),
        (42, "must be None, a strategy name or a mapping"),
    ],
)
def test_bad_strategies_are_rejected(make_estate: Factory, strategies: Any, match: str) -> None:
    estate = make_estate([{"id": "a", "team": "core", "instances": 1}])
    with pytest.raises(InvalidParameterError, match=match):
        estimate_effort(estate, strategies)


def test_default_strategy_is_the_least_demanding_exit(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {"id": "plain", "team": "core", "instances": 2},
            {"id": "vms", "team": "core", "instances": 2, "services": ["aws.ec2", "aws.ebs"]},
            {"id": "k8s", "team": "core", "instances": 2, "services": ["aws.eks", "aws.ec2"]},
            {"id": "pods", "team": "core", "instances": 0, "services": ["aws.eks"]},
            {"id": "unsized", "team": "core", "services": ["aws.eks"]},
            {"id": "nothing", "team": "core", "instances": 0},
            {"id": "db", "team": "core", "instances": 2, "services": ["aws.rds_postgres"]},
            {
                "id": "mixed",
                "team": "core",
                "instances": 2,
                "code_kloc": 3,
                "services": ["aws.rds_postgres", "aws.dynamodb", "aws.eks"],
            },
            {"id": "flow", "team": "core", "services": ["aws.sqs", "aws.step_functions"]},
            {"id": "odd", "team": "core", "services": ["aws.quantum_ledger"]},
        ]
    )
    with pytest.warns(DefaultAssumptionWarning, match="aws.quantum_ledger"):
        out = estimate_effort(estate)
    # Catalog exit_strategy: EC2/EBS rehost, EKS relocate, RDS and DynamoDB replatform (portable
    # equivalents), Step Functions refactor (Rearchitecture), unknown services refactor. A
    # workload's own instances need rehost (default_strategy.plain_instances) unless it has 0;
    # the default is the last of these in default_strategy.order (retain, retire, relocate,
    # rehost, repurchase, replatform, refactor), so managed Kubernetes with instances (given or
    # not) stays rehost and only an instance-less EKS workload relocates.
    assert out["strategy"].to_dict() == {
        "plain": "rehost",
        "vms": "rehost",
        "k8s": "rehost",
        "pods": "relocate",
        "unsized": "rehost",
        "nothing": "rehost",
        "db": "replatform",
        "mixed": "replatform",
        "flow": "refactor",
        "odd": "refactor",
    }
    assert out["strategy_source"].tolist() == ["default"] * 10
    # k8s: 2 instances x 2.5 pd (rehost; relocate gave 2 x 1.6667 = 3.33 before issue #5's fix);
    # unsized: the assumed 1 instance x 2.5 pd; pods and nothing: 0 pd.
    assert out.loc["k8s", "person_days_mode"] == pytest.approx(5.0)
    assert out.loc["unsized", "person_days_mode"] == pytest.approx(2.5)
    assert out.loc["pods", "person_days_mode"] == 0.0
    assert out.loc["nothing", "person_days_mode"] == 0.0
    assert out.loc["mixed", "defaults_used"] == "strategy replatform"
    assert out.loc["unsized", "defaults_used"] == "strategy rehost; instances"
    assert out.loc["flow", "defaults_used"] == "strategy refactor; instances"


def test_missing_team_and_instances_use_reported_defaults(make_estate: Factory) -> None:
    estate = make_estate([{"id": "x", "strategy": "rehost"}])
    row = estimate_effort(estate).loc["x"]
    # Data file: 1 instance assumed (R), default rate $830/pd (BLS-derived, R).
    assert row.person_days_mode == pytest.approx(2.5)
    assert row.usd_per_person_day == 830.0
    assert row.defaults_used == "instances; labour rate"
    assert row.team is None


def test_unknown_service_default_warns_and_reports(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {
                "id": "x",
                "team": "core",
                "instances": 2,
                "strategy": "refactor",
                "code_kloc": 0,
                "services": [{"service": "aws.quantum_ledger", "units": 2}],
            }
        ]
    )
    with pytest.warns(DefaultAssumptionWarning, match="'aws.quantum_ledger'"):
        out = estimate_effort(estate)
    unknown = load_catalog().unknown
    # 2 instances x 2.5 pd (refactor rebuilds them; no code) + 2 units x the unknown entry's mode.
    assert out.loc["x", "person_days_mode"] == pytest.approx(
        2 * 2.5 + 2 * unknown.person_days_per_unit.mode
    )
    assert out.loc["x", "lock_in_score"] == pytest.approx(unknown.lock_in.weight)
    assert out.loc["x", "defaults_used"] == "unknown service aws.quantum_ledger"


def test_unknown_service_can_raise(make_estate: Factory) -> None:
    estate = make_estate([{"id": "x", "team": "core", "services": ["aws.dynamodbb"]}])
    with pytest.raises(UnknownServiceError, match=r"'aws.dynamodbb'.*close matches.*aws.dynamodb"):
        estimate_effort(estate, on_unknown="raise")
    with pytest.raises(InvalidParameterError, match=r"'on_unknown' parameter .* Got 'ignore'"):
        estimate_effort(estate, on_unknown="ignore")  # type: ignore[arg-type]


def test_lock_in_is_effort_weighted_and_explained(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {
                "id": "w",
                "team": "core",
                "compute_usd_per_month": 3000,
                "services": [
                    {"service": "aws.dynamodb", "units": 3},
                    {"service": "aws.rds_postgres", "units": 1},
                ],
            },
            {"id": "v", "team": "core", "compute_usd_per_month": 1000, "services": ["aws.ec2"]},
            {"id": "none", "team": "core"},
        ]
    )
    out = estimate_effort(estate)
    # DynamoDB 3 x 5 pd, weight 0.71; RDS 1 x 1 pd, weight 0.14 -> (15 x .71 + 1 x .14) / 16.
    expected = (15 * 0.71 + 1 * 0.14) / 16
    assert out.loc["w", "lock_in_score"] == pytest.approx(expected)
    assert out.loc["w", "lock_in_drivers"] == (
        f"aws.dynamodb {15 * 0.71 / 16:.2f}, aws.rds_postgres {0.14 / 16:.2f}"
    )
    assert out.loc["v", "lock_in_score"] == 0.0
    assert out.loc["none", "lock_in_drivers"] == ""
    summary = estate_lock_in(estate)
    # Run-cost weights 3000 : 1000 : 0.
    assert summary.score == pytest.approx(0.75 * expected)
    assert summary.weighting == "compute_usd_per_month"
    assert summary.drivers.index[0] == "aws.dynamodb"
    assert summary.drivers["contribution"].sum() == pytest.approx(summary.score)


def test_estate_lock_in_falls_back_to_effort_then_equal_weights(make_estate: Factory) -> None:
    estate = make_estate(
        [{"id": "a", "team": "core", "instances": 1, "strategy": "rehost", "services": ["aws.sqs"]}]
    )
    with pytest.warns(DefaultAssumptionWarning, match=r"'a', using 'aws\.sqs'"):
        summary = estate_lock_in(estate)
    assert summary.weighting == "person_days_mode"
    assert summary.score == pytest.approx(0.43)
    empty = make_estate([{"id": "a", "team": "core", "strategy": "retain"}])
    assert estate_lock_in(empty).weighting == "equal"
    assert estate_lock_in(empty).score == 0.0


def test_empty_estate_gives_empty_frames(make_estate: Factory) -> None:
    estate = make_estate([])
    assert estimate_effort(estate).empty
    assert sample_effort(estate, 4, np.random.default_rng(0)).shape == (4, 0)
    assert estate_lock_in(estate).score == 0.0


def test_sample_effort_matches_the_ranges(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {"id": "a", "team": "core", "instances": 8, "strategy": "rehost"},
            {"id": "b", "team": "core", "instances": 2, "strategy": "retain"},
        ]
    )
    draws = sample_effort(estate, 2000, np.random.default_rng(7))
    assert draws.shape == (2000, 2)
    assert draws[:, 0].min() >= 14.0
    assert draws[:, 0].max() <= 60.0
    assert (draws[:, 1] == 0).all()
    np.testing.assert_array_equal(draws, sample_effort(estate, 2000, np.random.default_rng(7)))


# --- invariants ---------------------------------------------------------------------------------

SERVICE_IDS = list(load_catalog().ids)


@given(
    strategy=st.sampled_from(STRATEGIES),
    instances=st.integers(min_value=0, max_value=500),
    extra_instances=st.integers(min_value=0, max_value=500),
    kloc=st.floats(min_value=0, max_value=500),
    extra_kloc=st.floats(min_value=0, max_value=500),
)
def test_effort_and_cost_non_decreasing_in_size(
    strategy: str, instances: int, extra_instances: int, kloc: float, extra_kloc: float
) -> None:
    small = {
        "id": "w",
        "team": "core",
        "strategy": strategy,
        "instances": instances,
        "code_kloc": kloc,
    }
    big = {**small, "instances": instances + extra_instances, "code_kloc": kloc + extra_kloc}
    a = estimate_effort(build_estate([small])).iloc[0]
    b = estimate_effort(build_estate([big])).iloc[0]
    for column in ("person_days_low", "person_days_mode", "person_days_high", "labour_mean_usd"):
        assert b[column] >= a[column] - 1e-9 * max(1.0, abs(a[column]))


@given(
    strategy=st.sampled_from(STRATEGIES),
    base=st.lists(
        st.tuples(st.sampled_from(SERVICE_IDS), st.floats(min_value=0, max_value=100)),
        max_size=4,
    ),
    added=st.tuples(st.sampled_from(SERVICE_IDS), st.floats(min_value=0, max_value=100)),
)
def test_effort_and_cost_non_decreasing_in_services_used(
    strategy: str, base: list[tuple[str, float]], added: tuple[str, float]
) -> None:
    def row(uses: list[tuple[str, float]]) -> pd.Series:
        workload = {
            "id": "w",
            "team": "core",
            "strategy": strategy,
            "instances": 3,
            "code_kloc": 2.0,
            "services": [{"service": s, "units": u} for s, u in uses],
        }
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # every service is catalogued
            warnings.filterwarnings(
                "ignore", r"\d+ workload\(s\) moved with re", DefaultAssumptionWarning
            )
            return estimate_effort(build_estate([workload])).iloc[0]

    a, b = row(base), row([*base, added])
    for column in ("person_days_low", "person_days_mode", "person_days_high", "labour_mean_usd"):
        assert b[column] >= a[column] - 1e-9 * max(1.0, abs(a[column]))
    assert 0.0 <= b["lock_in_score"] <= 1.0


# Services drawn by their catalog exit strategy first, so that the few plain-IaaS and managed
# Kubernetes entries come up as often as the many replatform ones.
_BY_EXIT = {
    e: sorted(x.id for x in load_catalog().services if x.exit_strategy == e)
    for e in ("rehost", "relocate", "replatform", "refactor")
}
_SERVICE_USE = st.tuples(
    st.sampled_from(sorted(_BY_EXIT)).flatmap(lambda e: st.sampled_from(_BY_EXIT[e])),
    st.floats(min_value=0, max_value=20),
)


@given(
    instances=st.one_of(st.none(), st.integers(min_value=0, max_value=50)),
    kloc=st.floats(min_value=0, max_value=200),
    base=st.lists(_SERVICE_USE, max_size=4),
    added=_SERVICE_USE,
)
@example(instances=2, kloc=0.0, base=[], added=("aws.eks", 1.0))  # the case in issue #5
def test_default_strategy_effort_non_decreasing_in_services_used(
    instances: int | None, kloc: float, base: list[tuple[str, float]], added: tuple[str, float]
) -> None:
    # Issue #5: with NO strategy named, adding a service never lowers effort or labour (before
    # the fix, 2 instances with aws.eks added went from rehost, 5 pd, to relocate, 3.33 pd).
    def workload(wid: str, uses: list[tuple[str, float]]) -> dict[str, Any]:
        return {
            "id": wid,
            "team": "core",
            "code_kloc": kloc,
            "services": [{"service": s, "units": u} for s, u in uses],
            **({} if instances is None else {"instances": instances}),
        }

    estate = build_estate([workload("before", base), workload("after", [*base, added])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # catalogued services; a default leaves none behind
        out = estimate_effort(estate)
    assert (out["strategy_source"] == "default").all()
    a, b = out.loc["before"], out.loc["after"]
    for column in (
        "person_days_low",
        "person_days_mode",
        "person_days_high",
        "labour_low_usd",
        "labour_mode_usd",
        "labour_high_usd",
        "labour_mean_usd",
    ):
        assert b[column] >= a[column] - 1e-9 * max(1.0, abs(a[column])), column


@given(
    low=st.floats(min_value=0, max_value=1e6),
    d1=st.floats(min_value=0, max_value=1e6),
    d2=st.floats(min_value=0, max_value=1e6),
)
def test_pert_mean_lies_within_the_range(low: float, d1: float, d2: float) -> None:
    mean = pert_mean(low, low + d1, low + d1 + d2)
    assert low - 1e-6 <= mean <= low + d1 + d2 + 1e-6


# --- strategies that leave services behind -------------------------------------------------------


def test_relocate_keeps_the_effort_of_services_that_cannot_move() -> None:
    estate = build_estate(
        [
            {
                "id": "ml",
                "team": "core",
                "kind": "ml_training",
                "instances": 2,
                "strategy": "relocate",
                "services": ["aws.sagemaker", "aws.ec2"],
                "code_kloc": 10,
            }
        ]
    )
    match = (
        r"1 workload\(s\) moved with relocate use managed services that cannot leave the "
        r"provider unchanged: 'ml', using 'aws\.sagemaker'\. Their catalog service effort is "
        r"kept \(7 person-days mode\).* name the services' exit strategy \(refactor\)"
    )
    with pytest.warns(DefaultAssumptionWarning, match=match):
        row = estimate_effort(estate).loc["ml"]
    # Relocate 2 x 1.6667 = 3.3334 pd (no code term) + SageMaker 1 model x 4.9 / 7 / 21 pd
    # (catalog, class Rearchitecture); EC2 has no per-unit effort. Before the fix: 3.3334 pd.
    assert row.service_person_days == pytest.approx(7.0)
    assert row.person_days_mode == pytest.approx(3.3334 + 7.0)
    assert row.person_days_low == pytest.approx(0.7 * 3.3334 + 4.9)
    assert row.person_days_high == pytest.approx(3 * 3.3334 + 21.0)
    assert row.defaults_used == "service effort kept under relocate: aws.sagemaker"
    # The same through the 'strategies' argument, for rehost.
    with pytest.warns(DefaultAssumptionWarning, match=r"moved with rehost .*'ml'"):
        rehosted = estimate_effort(estate, "rehost").loc["ml"]
    assert rehosted.person_days_mode == pytest.approx(2 * 2.5 + 7.0)


def test_moves_that_take_their_services_along_do_not_warn() -> None:
    # Managed Kubernetes (catalog exit strategy relocate) moves with a rehost or relocate;
    # replatform and refactor already carry the service effort; the default strategy is the
    # catalog's, so it never leaves a service behind; retain, retire and repurchase do not move
    # the services (kept in place, switched off, replaced by the product).
    rows = [
        {
            "id": "k8s",
            "team": "core",
            "instances": 4,
            "strategy": "rehost",
            "services": ["aws.eks"],
        },
        {
            "id": "rp",
            "team": "core",
            "instances": 1,
            "strategy": "replatform",
            "services": ["aws.sqs"],
        },
        {"id": "df", "team": "core", "instances": 1, "services": ["aws.sagemaker"]},
        {"id": "rt", "team": "core", "strategy": "retain", "services": ["aws.sagemaker"]},
        {"id": "rr", "team": "core", "strategy": "repurchase", "services": ["aws.sqs"]},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = estimate_effort(build_estate(rows))
    assert out.loc["k8s", "service_person_days"] == 0.0
    assert out.loc["rt", "person_days_mode"] == 0.0
    assert out.loc["rr", "service_person_days"] == 0.0
    assert out.loc["df", "strategy"] == "refactor"


@given(
    strategy=st.sampled_from(["rehost", "relocate"]),
    uses=st.lists(
        st.tuples(st.sampled_from(SERVICE_IDS), st.floats(min_value=0.5, max_value=50)),
        min_size=1,
        max_size=4,
    ),
)
def test_an_unchanged_move_keeps_every_service_that_needs_a_replacement(
    strategy: str, uses: list[tuple[str, float]]
) -> None:
    catalog = load_catalog()
    workload = {
        "id": "w",
        "team": "core",
        "strategy": strategy,
        "instances": 2,
        "services": [{"service": s, "units": u} for s, u in uses],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DefaultAssumptionWarning)
        row = estimate_effort(build_estate([workload])).iloc[0]
    needs = {"replatform", "refactor"}
    expected = sum(
        u * catalog.entry(s).person_days_per_unit.mode
        for s, u in uses
        if catalog.entry(s).exit_strategy in needs
    )
    assert row.service_person_days == pytest.approx(expected)
    kept = {s for s, _ in uses if catalog.entry(s).exit_strategy in needs}
    assert (row.defaults_used != "") == bool(kept)


# --- extreme estates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"code_kloc": 1e308, "strategy": "refactor"}, r"workloads\[0\]\.code_kloc: must be <="),
        (
            {"services": [{"service": "aws.dynamodb", "units": 1e308}]},
            r"workloads\[0\]\.services\[0\]\.units: must be <=",
        ),
        ({"instances": 10**7}, r"workloads\[0\]\.instances: must be <="),
    ],
)
def test_effort_inputs_beyond_the_plausible_are_refused(fields: dict[str, Any], match: str) -> None:
    # The estate bounds what would make the effort overflow, naming the field.
    workload = {"id": "w", "team": "core", "strategy": "replatform", "instances": 1, **fields}
    with pytest.raises(EstateError, match=match):
        build_estate([workload])


def test_day_rate_beyond_the_plausible_is_refused() -> None:
    teams = [{"id": "core", "usd_per_person_day": 1e308, "capacity_person_days_per_month": 100}]
    with pytest.raises(EstateError, match=r"teams\[0\]\.usd_per_person_day: must be <="):
        build_estate(
            [{"id": "w", "team": "core", "strategy": "rehost", "instances": 4}], teams=teams
        )


def test_base_effort_kernel_overflow_is_an_error() -> None:
    with pytest.raises(InvalidParameterError, match=r"'size' parameter .* float64 range"):
        base_effort_person_days(1e308, anchor_person_days=55.86, anchor_size=1.0, exponent=1.0997)


def test_pert_mean_near_the_top_of_float64() -> None:
    # (1 + 4 x 1.5 + 1.7) / 6 x 1e308 = 1.45e308: the sum overflows, the mean does not.
    assert pert_mean(1e308, 1.5e308, 1.7e308) == pytest.approx(1.45e308)


@pytest.mark.parametrize("rng", [42, None, np.random.RandomState(0)])
def test_sampling_needs_a_generator(rng: Any) -> None:
    # Before the fix an int seed gave a raw AttributeError ("'int' object has no attribute 'beta'").
    with pytest.raises(InvalidParameterError, match=r"'rng' parameter of sample_pert must be a"):
        sample_pert([1.0], [2.0], [3.0], 4, rng)
    estate = build_estate([{"id": "a", "team": "core", "instances": 2, "strategy": "rehost"}])
    with pytest.raises(InvalidParameterError, match=r"'rng' parameter .* numpy.random.Generator"):
        sample_effort(estate, 4, rng)
