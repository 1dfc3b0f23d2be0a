"""Tests of exitcost.effort.schedule: move durations under capacity and dual running."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost.effort.bill import exit_bill_lines
from exitcost.effort.schedule import (
    dual_running_cost,
    plan_schedule,
    sample_programme,
    schedule_moves,
    schedule_summary,
)
from exitcost.errors import EstateError, InvalidParameterError
from exitcost.estate import Estate, Team, sample_estate

Factory = Callable[..., Estate]


def test_single_lane_runs_moves_one_after_another() -> None:
    # Capacity 50 pd/month = cap per move: 100 pd takes 2 months each, back to back.
    s = schedule_moves([100.0, 100.0], [0, 0], [50.0], max_person_days_per_month_per_move=50.0)
    np.testing.assert_allclose(s["start_month"], [0.0, 2.0])
    np.testing.assert_allclose(s["end_month"], [2.0, 4.0])
    assert float(s["programme_months"]) == 4.0


def test_parallel_lanes_share_capacity() -> None:
    # Capacity 100, at most 50 per move: two 100-pd moves run side by side in 2 months.
    s = schedule_moves([100.0, 100.0], [0, 0], [100.0], max_person_days_per_month_per_move=50.0)
    np.testing.assert_allclose(s["end_month"], [2.0, 2.0])
    # Teams are independent: the second team's move starts at once.
    s = schedule_moves([100.0, 30.0], [0, 1], [50.0, 10.0], max_person_days_per_month_per_move=50)
    np.testing.assert_allclose(s["start_month"], [0.0, 0.0])
    np.testing.assert_allclose(s["duration_months"], [2.0, 3.0])


def test_priority_orders_moves_within_a_team() -> None:
    s = schedule_moves(
        [90.0, 10.0], [0, 0], [10.0], max_person_days_per_month_per_move=10.0, priority=[1, 0]
    )
    np.testing.assert_allclose(s["end_month"], [10.0, 1.0])
    np.testing.assert_allclose(s["start_month"], [1.0, 0.0])


def test_scenario_axis_first() -> None:
    effort = np.array([[10.0, 20.0], [40.0, 0.0], [0.0, 0.0]])
    s = schedule_moves(effort, [0, 0], [10.0], max_person_days_per_month_per_move=100.0)
    assert s["end_month"].shape == (3, 2)
    np.testing.assert_allclose(s["programme_months"], [3.0, 4.0, 0.0])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([10.0], [0], [0.0]), "must be > 0 for a team with work. Got 0 for team index 0"),
        (([10.0], [1], [5.0]), "'team_index' .* must index the 1 capacities"),
        (([10.0, 5.0], [0], [5.0]), "'team_index' .* must be 2 integers"),
        (([-1.0], [0], [5.0]), "'effort_person_days' parameter of schedule_moves must be >= 0"),
        (([1.0], [0], [float("inf")]), "'capacity_person_days_per_month' .* must be finite"),
    ],
)
def test_schedule_moves_rejects_bad_input(args: tuple[list[float], ...], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        schedule_moves(*args)


def test_zero_capacity_team_without_work_is_fine() -> None:
    s = schedule_moves([0.0], [0], [0.0])
    assert float(s["programme_months"]) == 0.0


def test_dual_running_worked_example() -> None:
    # (2 months move + 0.5 hypercare) x $1,000 x factor 0.5; no dual running without a move or
    # where the strategy does not dual-run.
    d = dual_running_cost(
        [2.0, 0.0, 3.0], 0.5, 1000.0, cost_factor=0.5, applies=[True, True, False]
    )
    np.testing.assert_allclose(d["dual_running_months"], [2.5, 0.0, 0.0])
    np.testing.assert_allclose(d["dual_running_usd"], [1250.0, 0.0, 0.0])
    with pytest.raises(InvalidParameterError, match="'run_usd_per_month' parameter"):
        dual_running_cost(1.0, 0.5, -1.0)


def test_plan_schedule_for_an_estate(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {
                "id": "db",
                "team": "data",
                "kind": "database",
                "instances": 2,
                "strategy": "replatform",
                "services": ["aws.rds_postgres"],
                "compute_usd_per_month": 1000,
            },
            {
                "id": "web",
                "team": "core",
                "kind": "web",
                "instances": 4,
                "strategy": "rehost",
                "compute_usd_per_month": 2000,
            },
            {
                "id": "old",
                "team": "core",
                "instances": 4,
                "strategy": "retire",
                "compute_usd_per_month": 500,
            },
            {"id": "erp", "team": "core", "strategy": "retain", "compute_usd_per_month": 900},
        ]
    )
    plan = plan_schedule(estate, effort="mode")
    # db: replatform 2 x 2.5 pd per instance (no code) + 1 pd (RDS) = 6 pd at min(114, 40)
    # pd/month; hypercare for databases 1 month (data file).
    assert plan.loc["db", "duration_months"] == pytest.approx(6.0 / 40.0)
    assert plan.loc["db", "dual_running_months"] == pytest.approx(6.0 / 40.0 + 1.0)
    assert plan.loc["db", "dual_running_usd"] == pytest.approx((6.0 / 40.0 + 1.0) * 1000.0)
    # web: 10 pd at min(114, 100); default hypercare 0.69 months.
    assert plan.loc["web", "dual_running_usd"] == pytest.approx((0.1 + 0.69) * 2000.0)
    # Retire takes effort (and time) but does not dual-run; retain does nothing.
    assert plan.loc["old", "duration_months"] > 0
    assert plan.loc["old", "dual_running_usd"] == 0.0
    assert plan.loc[["erp"], ["duration_months", "dual_running_usd"]].to_numpy().sum() == 0.0
    summary = schedule_summary(estate, effort="mode")
    assert summary.loc["all", "programme_months"] == pytest.approx(plan["end_month"].max())
    assert summary.loc["all", "dual_running_usd"] == pytest.approx(plan["dual_running_usd"].sum())
    assert summary.loc["core", "workloads"] == 3
    assert summary.loc["data", "capacity_person_days_per_month"] == 40.0


def test_plan_schedule_workloads_without_team_use_default_capacity(make_estate: Factory) -> None:
    estate = make_estate([{"id": "x", "instances": 100, "strategy": "rehost"}])
    plan = plan_schedule(estate, effort="mode")
    # 250 pd at the default migration team's 114 pd/month (6 people x 19 days, data file).
    assert plan.loc["x", "duration_months"] == pytest.approx(250.0 / 114.0)
    assert plan.loc["x", "team"] == "(no team)"


def test_plan_schedule_rejects_bad_choices(make_estate: Factory) -> None:
    estate = make_estate([{"id": "x", "team": "core", "instances": 1}])
    with pytest.raises(InvalidParameterError, match="'effort' parameter of plan_schedule"):
        plan_schedule(estate, effort="p90")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"'order' parameter .* Got 'random'"):
        plan_schedule(estate, order="random")  # type: ignore[arg-type]


def test_sample_programme_is_reproducible_and_consistent(make_estate: Factory) -> None:
    estate = make_estate(
        [
            {
                "id": "a",
                "team": "core",
                "instances": 8,
                "strategy": "rehost",
                "compute_usd_per_month": 1000,
            },
            {
                "id": "b",
                "team": "data",
                "code_kloc": 2,
                "strategy": "refactor",
                "compute_usd_per_month": 3000,
                "kind": "database",
            },
        ]
    )
    out = sample_programme(estate, 300, np.random.default_rng(3))
    again = sample_programme(estate, 300, np.random.default_rng(3))
    for key, value in out.items():
        np.testing.assert_array_equal(value, again[key])
    assert out["person_days"].shape == (300, 2)
    np.testing.assert_allclose(out["programme_months"], out["end_month"].max(axis=1))
    np.testing.assert_allclose(out["labour_usd"], out["person_days"] * [800.0, 1000.0])
    assert (out["dual_running_months"] >= out["duration_months"]).all()
    assert not np.isnan(out["dual_running_usd"]).any()


efforts = st.lists(st.floats(min_value=0, max_value=1e4), min_size=1, max_size=12)


@given(efforts, st.floats(min_value=1, max_value=500), st.floats(min_value=1, max_value=500))
def test_programme_bounds(effort: list[float], capacity: float, per_move: float) -> None:
    teams = [0] * len(effort)
    s = schedule_moves(effort, teams, [capacity], max_person_days_per_month_per_move=per_move)
    total, rate = sum(effort), min(capacity, per_move)
    programme = float(s["programme_months"])
    # No schedule beats the capacity bound or the longest single move ...
    assert programme >= total / capacity * (1 - 1e-9)
    assert programme >= max(effort) / rate * (1 - 1e-9)
    # ... and this one never needs more than doing all moves one after another.
    assert programme <= total / rate * (1 + 1e-9) + 1e-12
    assert (s["start_month"] >= -1e-9).all()


@given(efforts, st.integers(min_value=0, max_value=11), st.floats(min_value=0, max_value=1e4))
def test_more_effort_never_shortens_the_programme(
    effort: list[float], index: int, extra: float
) -> None:
    bigger = list(effort)
    bigger[index % len(effort)] += extra
    teams = [0] * len(effort)
    a = schedule_moves(effort, teams, [60.0], max_person_days_per_month_per_move=40.0)
    b = schedule_moves(bigger, teams, [60.0], max_person_days_per_month_per_move=40.0)
    assert float(b["programme_months"]) >= float(a["programme_months"]) * (1 - 1e-12)


# --- degenerate and extreme teams ----------------------------------------------------------------


def _with_team_capacity(estate: Estate, capacity: float) -> Estate:
    """The estate with team 'core' at a capacity the estate model would reject (e.g. 0)."""
    core = Team.model_construct(
        id="core", usd_per_person_day=800.0, capacity_person_days_per_month=capacity
    )
    return estate.model_copy(update={"teams": (core, *estate.teams[1:])})


@pytest.mark.parametrize("capacity", [0.0, float("nan"), float("inf"), -5.0])
def test_team_without_capacity_is_named(make_estate: Factory, capacity: float) -> None:
    base = make_estate([{"id": "web", "team": "core", "instances": 4, "strategy": "rehost"}])
    estate = _with_team_capacity(base, capacity)
    match = (
        r"capacity of team 'core' \(teams\[0\]\.capacity_person_days_per_month\) in "
        r"{func} must be a finite number > 0 of person-days to move workload 'web'"
    )
    with pytest.raises(InvalidParameterError, match=match.format(func="plan_schedule")):
        plan_schedule(estate)
    with pytest.raises(InvalidParameterError, match=match.format(func="sample_programme")):
        sample_programme(estate, 8, np.random.default_rng(0))
    with pytest.raises(InvalidParameterError, match=match.format(func="plan_schedule")):
        exit_bill_lines(estate)


def test_tiny_capacity_that_overflows_durations_is_named(make_estate: Factory) -> None:
    base = make_estate([{"id": "web", "team": "core", "instances": 4, "strategy": "rehost"}])
    estate = _with_team_capacity(base, 1e-320)  # subnormal: 10 pd / 1e-320 overflows
    with pytest.raises(InvalidParameterError, match=r"team 'core' .* large enough .* 'web'"):
        plan_schedule(estate)


def test_huge_capacity_and_run_cost_stay_finite(make_estate: Factory) -> None:
    # The largest capacity an estate takes (10**6 person-days a month): the move is limited by
    # the per-move staffing (114 pd a month), so 10 pd mode takes 10 / 114 months.
    base = make_estate(
        [{"id": "web", "team": "core", "instances": 4, "strategy": "rehost"}],
        teams=[{"id": "core", "usd_per_person_day": 800.0, "capacity_person_days_per_month": 1e6}],
    )
    row = plan_schedule(base, effort="mode").loc["web"]
    assert row.duration_months == pytest.approx(10.0 / 114.0)


def test_run_cost_beyond_the_plausible_is_refused(make_estate: Factory) -> None:
    # 1.7e308 USD a month would overflow dual running; the estate refuses it with its path.
    with pytest.raises(EstateError, match=r"compute_usd_per_month: must be <="):
        make_estate(
            [
                {
                    "id": "web",
                    "team": "core",
                    "instances": 40,
                    "strategy": "rehost",
                    "compute_usd_per_month": 1.7e308,
                }
            ]
        )


def test_kernels_reject_overflow_without_runtime_warnings() -> None:
    with pytest.raises(InvalidParameterError, match=r"capacity_person_days_per_month' .* float64"):
        schedule_moves([10.0], [0], [1e-320])
    with pytest.raises(InvalidParameterError, match=r"'run_usd_per_month' .* float64 range"):
        dual_running_cost(2.0, 0.5, 1e308, cost_factor=1.0)
    with pytest.raises(InvalidParameterError, match=r"'priority' parameter .* must not be NaN"):
        schedule_moves([10.0], [0], [10.0], priority=[float("nan")])


@given(
    effort=st.lists(st.floats(min_value=0, max_value=1e300), min_size=1, max_size=5),
    capacity=st.floats(min_value=1e-300, max_value=1e308),
    run=st.floats(min_value=0, max_value=1e308),
)
def test_extremes_give_finite_results_or_a_clear_error(
    effort: list[float], capacity: float, run: float
) -> None:
    # Warnings are errors in this suite, so a RuntimeWarning would fail here too. Expected
    # overflow: the longest end is the team's total effort over its capacity, or one move's
    # effort over min(per-move staffing 114, capacity).
    with np.errstate(all="ignore"):
        total = np.cumsum(effort)[-1] / capacity
        longest = max(effort) / min(114.0, capacity)
    if not (np.isfinite(total) and np.isfinite(longest)):
        with pytest.raises(InvalidParameterError, match="capacity_person_days_per_month"):
            schedule_moves(effort, [0] * len(effort), [capacity])
        return
    s = schedule_moves(effort, [0] * len(effort), [capacity])
    assert np.isfinite(s["end_month"]).all()
    with np.errstate(all="ignore"):
        cost = (s["duration_months"] + 0.5) * run
    if not np.isfinite(cost[s["duration_months"] > 0]).all():
        with pytest.raises(InvalidParameterError, match="run_usd_per_month"):
            dual_running_cost(s["duration_months"], 0.5, run, cost_factor=1.0)
        return
    d = dual_running_cost(s["duration_months"], 0.5, run, cost_factor=1.0)
    assert np.isfinite(d["dual_running_usd"]).all()


# --- team capacity at every instant --------------------------------------------------------------


def test_three_moves_never_exceed_the_team_capacity() -> None:
    # Capacity 100 pd a month, at most 50 per move: two lanes of 50. Three 100-pd moves: two run
    # side by side for 2 months, the third follows in the first lane (months 2-4). Before the
    # fix the third ran in months 1-3, so months 1-2 spent 150 pd a month of a 100 capacity.
    s = schedule_moves(
        [100.0, 100.0, 100.0], [0, 0, 0], [100.0], max_person_days_per_month_per_move=50.0
    )
    np.testing.assert_allclose(s["start_month"], [0.0, 0.0, 2.0])
    np.testing.assert_allclose(s["end_month"], [2.0, 2.0, 4.0])


def test_fractional_lanes_share_the_whole_capacity() -> None:
    # Capacity 160, at most 114 per move (k = 1.40): one lane at 114 ends four 100-pd moves at
    # 400 / 114 = 3.51 months; two lanes at 80 end them at 200 / 80 = 2.5 months: chosen.
    s = schedule_moves([100.0] * 4, [0] * 4, [160.0], max_person_days_per_month_per_move=114.0)
    np.testing.assert_allclose(s["duration_months"], [1.25] * 4)
    assert float(s["programme_months"]) == pytest.approx(2.5)
    # One move alone runs at the full per-move rate (one lane at 114 is sooner).
    one = schedule_moves([114.0], [0], [160.0], max_person_days_per_month_per_move=114.0)
    assert float(one["programme_months"]) == pytest.approx(1.0)


def _peak_load(s: dict[str, np.ndarray], effort: np.ndarray, team: np.ndarray, t: int) -> float:
    """Highest person-days a month team ``t`` spends at any instant of the schedule."""
    mine = (team == t) & (effort > 0)
    start, end = s["start_month"][mine], s["end_month"][mine]
    rate = effort[mine] / s["duration_months"][mine]
    peak = 0.0
    tol = 1e-9 * max(1.0, float(end.max())) if end.size else 0.0  # start = end - duration rounds
    for moment in start:  # the load only rises where a move starts
        active = (start <= moment + tol) & (moment < end - tol)
        peak = max(peak, float(rate[active].sum()))
    return peak


@given(
    effort=st.lists(
        st.floats(min_value=0, max_value=1e4, allow_subnormal=False), min_size=1, max_size=12
    ),
    team=st.lists(st.integers(min_value=0, max_value=2), min_size=12, max_size=12),
    capacity=st.lists(st.floats(min_value=1, max_value=500), min_size=3, max_size=3),
    per_move=st.floats(min_value=1, max_value=500),
    priority=st.lists(st.integers(min_value=0, max_value=5), min_size=12, max_size=12),
)
def test_schedule_respects_team_capacity_at_every_instant(
    effort: list[float],
    team: list[int],
    capacity: list[float],
    per_move: float,
    priority: list[int],
) -> None:
    n = len(effort)
    e, t = np.array(effort), np.array(team[:n])
    s = schedule_moves(
        e, t, capacity, max_person_days_per_month_per_move=per_move, priority=priority[:n]
    )
    busy = e > 0
    # Every move at a constant rate within the per-move limit and its team's capacity ...
    rate = e[busy] / s["duration_months"][busy]
    limit = np.minimum(per_move, np.asarray(capacity)[t[busy]])
    assert (rate <= limit * (1 + 1e-9)).all()
    np.testing.assert_allclose(s["end_month"] - s["start_month"], s["duration_months"], atol=1e-9)
    # ... and no team ever spends more than its capacity at once.
    for k in set(t[busy].tolist()):
        assert _peak_load(s, e, t, k) <= capacity[k] * (1 + 1e-9)


def test_dual_running_applies_must_be_bools() -> None:
    # np.asarray("no", dtype=bool) is True: before the fix "no" silently dual-ran.
    with pytest.raises(InvalidParameterError, match=r"'applies' parameter .* Got 'no'"):
        dual_running_cost(1.0, 1.0, 1.0, applies="no")


@pytest.mark.parametrize(
    ("strategies", "wording"),
    [
        ({"nope": "rehost"}, "names workloads that are not in the estate: 'nope'"),
        ("nope", "must name one of"),
    ],
)
def test_bad_strategies_are_refused_in_the_name_of_plan_schedule(
    strategies: object, wording: str
) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        plan_schedule(sample_estate(), strategies)  # type: ignore[arg-type]
    assert str(caught.value).startswith("The 'strategies' parameter of plan_schedule ")
    assert wording in str(caught.value)
