"""The Dask backend: the same chunks as the numpy backend, run on a cluster's workers.

Each chunk draws its scenarios from the same per-block streams as in process, so the result
is identical. Dask is an optional extra (``pip install 'exitcost[dask]'``), imported here only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from exitcost.errors import InvalidParameterError
from exitcost.model import Model

__all__ = ["run_on_dask"]


def run_on_dask(
    model: Model,
    prepared: Any,
    seed: int,
    bounds: Sequence[tuple[int, int]],
    rate: float,
    keep: npt.NDArray[np.int64],
    client: Any,
    progress: Callable[[int, int], None] | None,
) -> list[Any]:
    """Run every chunk on ``client`` (a Client, an address, or None for a local cluster)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InvalidParameterError(
            "backend='dask' needs the optional dependency dask[distributed]: "
            "pip install 'exitcost[dask]'."
        ) from exc
    from exitcost.engine.simulation import run_chunk

    own: list[Any] = []
    if client is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            processes=False, n_workers=1, threads_per_worker=2
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
        own = [client, cluster]
    elif isinstance(client, str):
        client = Client(client)  # type: ignore[no-untyped-call]
        own = [client]
    try:
        shared = client.scatter(model, broadcast=True)
        plans = client.scatter(prepared, broadcast=True)
        futures = [
            client.submit(run_chunk, shared, plans, seed, a, b, rate, keep, pure=False)
            for a, b in bounds
        ]
        total = bounds[-1][1] if bounds else 0
        finished = as_completed(futures)  # type: ignore[no-untyped-call]
        for done, _ in enumerate(finished, start=1):  # progress as the chunks finish
            if progress is not None:
                progress(min(done * (bounds[0][1] - bounds[0][0]), total), total)
        results = client.gather(futures)
    finally:
        for thing in own:
            thing.close()
    return sorted(results, key=lambda c: c.first)
