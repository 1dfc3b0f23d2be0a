"""Tests for exitcost.engine.distributed: the Dask backend gives the numpy backend's result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exitcost.engine import Plan, simulate
from exitcost.model import compile
from tests.engine.conftest import generated_estate

distributed = pytest.importorskip("dask.distributed")


def test_a_local_cluster_of_worker_processes_gives_identical_results() -> None:
    model = compile(generated_estate(3))
    plans = [Plan.stay(), Plan.leave("aws", to="colo:new", bandwidth_gbps=1.0)]
    local = simulate(model, plans, n_scenarios=24, horizon_months=12, seed=5, chunk_size=24)
    with (
        distributed.LocalCluster(
            processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = simulate(
            model,
            plans,
            n_scenarios=24,
            horizon_months=12,
            seed=5,
            chunk_size=5,
            backend="dask",
            client=client,
        )
    pd.testing.assert_frame_equal(local.scenarios, remote.scenarios)
    np.testing.assert_array_equal(local.kept_costs, remote.kept_costs)
