"""Every plot renders with Agg, labels its axes with units and draws exactly its frame."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from exitcost.errors import InvalidParameterError
from exitcost.graph import CostGraph
from exitcost.report import plots
from tests.report.conftest import (
    BREAK_EVEN_MONTH,
    COLO_USD,
    EXIT_BILL_USD,
    STAY_USD,
    HandWorkedSimulation,
)


def _renders(fig: Figure) -> None:
    """The figure draws to a PNG with the Agg renderer."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def _line(fig: Figure, label: str) -> np.ndarray:
    (line,) = [ln for ln in fig.axes[0].lines if ln.get_label() == label]
    return np.asarray(line.get_ydata(), dtype=float)


class TestWaterfall:
    def test_bars_float_on_the_running_total_and_end_with_the_total(
        self, sim: HandWorkedSimulation
    ) -> None:
        fig = plots.waterfall(sim.exit_bill("colo"))
        _renders(fig)
        ax = fig.axes[0]
        heights = [p.get_height() for p in ax.patches]
        bottoms = [p.get_y() for p in ax.patches]
        # egress 30,000 from 0; labour 40,000 from 30,000; dual running 5,000 from 70,000;
        # the total 75,000 from 0.
        assert heights == [30_000.0, 40_000.0, 5_000.0, 75_000.0]
        assert bottoms == [0.0, 30_000.0, 70_000.0, 0.0]
        assert [t.get_text() for t in ax.get_xticklabels()] == [*EXIT_BILL_USD, "total"]
        assert ax.get_ylabel() == "Exit cost [USD]"
        assert ax.yaxis.get_major_formatter()(75_000.0, 0) == "$75k"

    def test_a_missing_column_is_named(self) -> None:
        with pytest.raises(InvalidParameterError, match=r"\['usd'\] are missing"):
            plots.waterfall(pd.DataFrame({"category": ["egress"]}))

    def test_a_non_frame_is_refused(self) -> None:
        with pytest.raises(InvalidParameterError, match="must be a pandas DataFrame"):
            plots.waterfall([1, 2])  # type: ignore[arg-type]


class TestCashFlowChart:
    def test_draws_each_plans_cumulative_cost_and_break_even(
        self, sim: HandWorkedSimulation
    ) -> None:
        summary = sim.summary()
        fig = plots.cash_flow_chart(
            sim.monthly_costs(), break_even_months=summary["break_even_month_p50"]
        )
        _renders(fig)
        np.testing.assert_array_equal(_line(fig, "stay"), np.cumsum(STAY_USD))
        np.testing.assert_array_equal(_line(fig, "colo"), np.cumsum(COLO_USD))
        # stay's break-even is NA (it is the reference): only colo's is marked.
        marks = [ln for ln in fig.axes[0].lines if ln.get_label().endswith("breaks even")]
        assert [ln.get_label() for ln in marks] == ["colo breaks even"]
        assert list(marks[0].get_xdata()) == [BREAK_EVEN_MONTH, BREAK_EVEN_MONTH]
        ax = fig.axes[0]
        assert ax.get_ylabel() == "Cumulative cost [USD]"
        assert ax.get_xlabel() == "Month [months from 2026-11]"

    def test_without_break_even_draws_only_the_plans(self, sim: HandWorkedSimulation) -> None:
        fig = plots.cash_flow_chart(sim.monthly_costs())
        assert [ln.get_label() for ln in fig.axes[0].lines] == ["stay", "colo"]


class TestFanChart:
    def test_band_and_median_per_plan(self, sim: HandWorkedSimulation) -> None:
        fan = sim.fan()
        fig = plots.fan_chart(fan)
        _renders(fig)
        ax = fig.axes[0]
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert [b.get_label() for b in bands] == ["stay P5-P95", "colo P5-P95"]
        colo = fan[fan["plan"] == "colo"]
        np.testing.assert_array_equal(_line(fig, "colo median"), colo["p50_usd"])
        # The band's outline passes through every P5 and P95 point.
        vertices = bands[1].get_paths()[0].vertices
        for column in ("p5_usd", "p95_usd"):
            for month, value in zip(colo["month"], colo[column], strict=True):
                assert np.any(np.isclose(vertices[:, 0], month) & np.isclose(vertices[:, 1], value))
        assert ax.get_ylabel() == "Cost [USD]"
        assert "months" in ax.get_xlabel()

    def test_rows_out_of_order_are_drawn_in_month_order(self, sim: HandWorkedSimulation) -> None:
        fan = sim.fan().sample(frac=1.0, random_state=1)
        fig = plots.fan_chart(fan)
        np.testing.assert_array_equal(_line(fig, "stay median"), np.cumsum(STAY_USD))


class TestTornadoChart:
    def test_bars_run_from_the_base_to_each_npv(self, sim: HandWorkedSimulation) -> None:
        tornado = sim.tornado()
        fig = plots.tornado_chart(tornado, base_usd=7_000.0)
        _renders(fig)
        ax = fig.axes[0]
        ends = sorted((p.get_x() + p.get_width(), p.get_y()) for p in ax.patches)
        starts = {p.get_x() for p in ax.patches}
        assert starts == {7_000.0}
        assert sorted(e for e, _ in ends) == sorted(
            [*tornado["npv_low_usd"], *tornado["npv_high_usd"]]
        )
        ticks = dict(
            zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True)
        )
        # The largest swing is drawn at the top.
        assert ticks[max(ticks)] == "egress_usd_per_gb\n(0.05 to 0.09)"
        assert ax.get_xlabel() == "Savings NPV [USD]"

    def test_without_a_base_bars_meet_in_the_middle(self, sim: HandWorkedSimulation) -> None:
        fig = plots.tornado_chart(sim.tornado())
        # egress: (13,000 + 4,000) / 2 = 8,500; labour: (10,000 + 4,000) / 2 = 7,000.
        assert sorted({p.get_x() for p in fig.axes[0].patches}) == [7_000.0, 8_500.0]


class TestLockInChart:
    def test_median_and_expected_lines(self, sim: HandWorkedSimulation) -> None:
        clock = sim.lock_in_clock([0, 6, 12])
        fig = plots.lock_in_chart(clock)
        _renders(fig)
        np.testing.assert_array_equal(_line(fig, "median"), [75_000.0, 87_000.0, 99_000.0])
        np.testing.assert_array_equal(_line(fig, "expected"), clock["exit_cost_expected_usd"])
        ax = fig.axes[0]
        assert ax.get_ylabel() == "Exit cost [USD]"
        assert ax.get_xlabel() == "Month of leaving [months from 2026-11]"


class TestProbabilityChart:
    def test_one_bar_per_plan_after_the_reference_in_percent(
        self, sim: HandWorkedSimulation
    ) -> None:
        fig = plots.probability_chart(sim.summary())
        _renders(fig)
        ax = fig.axes[0]
        assert [p.get_width() for p in ax.patches] == [62.0]
        assert ax.get_xlim() == (0.0, 100.0)
        assert [t.get_text() for t in ax.get_yticklabels()] == ["colo"]
        assert ax.get_title(loc="left") == "Probability of beating stay"
        assert ax.get_xlabel().endswith("[%]")

    def test_needs_two_plans(self, sim: HandWorkedSimulation) -> None:
        with pytest.raises(InvalidParameterError, match="at least two plans"):
            plots.probability_chart(sim.summary().iloc[:1])


def _small_graph() -> CostGraph:
    graph = CostGraph()
    graph.add_location("aws:us-east-1", kind="cloud", continent="north_america")
    graph.add_location("aws:eu-west-1", kind="cloud", continent="europe")
    graph.add_site("colo:ams1", kind="colo", continent="europe")
    graph.add_edge("aws:us-east-1", "internet", [(None, 0.09)], transfer_class="internet")
    graph.add_edge("aws:us-east-1", "aws:eu-west-1", [(None, 0.02)], transfer_class="inter_region")
    graph.add_edge("aws:eu-west-1", "internet", [(None, 0.09)], transfer_class="internet")
    graph.add_edge("internet", "colo:ams1", [(None, 0.0)], transfer_class="internet")
    return graph


class TestGraphMap:
    def test_one_line_per_connected_pair_and_a_marker_per_location(self) -> None:
        graph = _small_graph()
        fig = plots.graph_map(graph)
        _renders(fig)
        ax = fig.axes[0]
        drawn = sorted(ln.get_gid() for ln in ax.lines if ln.get_gid())
        assert drawn == sorted(
            [
                "aws:us-east-1->internet",
                "aws:us-east-1->aws:eu-west-1",
                "aws:eu-west-1->internet",
                "internet->colo:ams1",
            ]
        )
        (markers,) = ax.collections
        assert len(markers.get_offsets()) == 4  # three locations and the internet
        assert ax.get_xlabel().endswith("[degrees]")
        assert ax.get_ylabel().endswith("[degrees]")

    def test_a_route_is_drawn_with_its_hop_costs(self) -> None:
        graph = _small_graph()
        route = graph.route("aws:us-east-1", "colo:ams1", 1_000.0)
        fig = plots.graph_map(graph, route=route)
        texts = {t.get_text() for t in fig.axes[0].texts}
        # 1,000 GB at 0.09 USD/GB out of us-east-1 (cheaper than 0.02 + 0.09 via eu-west-1).
        assert "$90" in texts

    def test_sample_estate_graph_renders(self) -> None:
        from exitcost.estate import sample_estate

        graph = CostGraph.from_estate(sample_estate())
        fig = plots.graph_map(graph)
        assert len([ln for ln in fig.axes[0].lines if ln.get_gid()]) > 0


_SUFFIX = {"": 1.0, "k": 1e3, "M": 1e6, "B": 1e9}


@given(st.floats(min_value=-1e13, max_value=1e13, allow_nan=False))
def test_usd_label_is_the_amount_to_its_last_digit(amount: float) -> None:
    label = plots.usd_label(amount)
    negative = label.startswith("-")
    body = label.removeprefix("-").removeprefix("$").replace(",", "")
    suffix = body[-1] if body[-1] in "kMB" else ""
    number = body.removesuffix(suffix)
    decimals = len(number.split(".")[1]) if "." in number else 0
    shown = float(number) * _SUFFIX[suffix]
    assert negative == (amount < 0)
    assert abs(shown - abs(amount)) <= 0.5 * 10.0**-decimals * _SUFFIX[suffix] * (1 + 1e-9)


@pytest.mark.parametrize(
    ("value", "label"),
    [(0, "$0"), (999, "$999"), (1_000, "$1k"), (2_500_000, "$2.5M"), (1e9, "$1.0B")],
)
def test_usd_label_steps(value: float, label: str) -> None:
    assert plots.usd_label(value) == label


def test_plot_function_names_every_kind() -> None:
    assert {k: plots.plot_function(k).__name__ for k in plots.PLOTS} == dict(plots.PLOTS)
    with pytest.raises(InvalidParameterError, match="'cash_flow', 'fan'"):
        plots.plot_function("pie")


def test_figures_do_not_use_pyplot(sim: HandWorkedSimulation) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    plots.fan_chart(sim.fan())
    assert plt.get_fignums() == before


@settings(max_examples=10, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1e9), min_size=1, max_size=6))
def test_waterfall_bars_stack_to_the_total(amounts: list[float]) -> None:
    bill = pd.DataFrame({"category": [f"c{i}" for i in range(len(amounts))], "usd": amounts})
    patches = plots.waterfall(bill).axes[0].patches
    tops = [p.get_y() + p.get_height() for p in patches[:-1]]
    np.testing.assert_allclose(tops, np.cumsum(amounts), rtol=1e-12)
    assert patches[-1].get_y() == 0.0
    assert patches[-1].get_height() == pytest.approx(sum(amounts), rel=1e-12)
