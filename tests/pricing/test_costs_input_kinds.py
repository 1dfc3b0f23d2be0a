"""What the cost functions return for each kind of input, and the confidence label of a band.

Reference rates: the bundled AWS book 2024-09-25 (label V; the free 100 GB and >150 TB band S).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exitcost.errors import InvalidParameterError
from exitcost.pricing import (
    account_egress_cost,
    data_exit_cost,
    retrieval_cost,
)
from tests.pricing.cards import clean_registry

_clean_registry = clean_registry  # every test leaves no book registered


def test_retrieval_series_align_by_label() -> None:
    size = pd.Series([1024.0, 0.0], index=["x", "y"])
    objects = pd.Series([0.0, 1000.0], index=["y", "x"])
    got = retrieval_cost(size, objects=objects, location="aws:us-east-1",
                         storage_class="deep_archive", as_of="2025-01-01")  # fmt: skip
    # x: 1,024 GB x 0.02 + 1,000 objects x (0.10 restore + 0.0004 GET) / 1,000
    assert list(got.index) == ["x", "y"]
    assert got["x"] == pytest.approx(1024 * 0.02 + 0.1004)
    assert got["y"] == 0.0
    with pytest.raises(InvalidParameterError, match=r"same .*index labels"):
        retrieval_cost(size, objects=pd.Series([1.0, 2.0], index=["x", "z"]),
                       location="aws:us-east-1", as_of="2025-01-01")  # fmt: skip


def test_account_egress_cost_returns_the_input_kind() -> None:
    sources = ["aws:us-east-1", "aws:eu-west-1"]
    row = pd.Series([60.0, 60.0], index=["use1", "euw1"])
    got = account_egress_cost(row, sources=sources, as_of="2025-01-01")
    assert isinstance(got, pd.Series)
    assert list(got.index) == ["use1", "euw1"]
    assert got.tolist() == pytest.approx([0.0, 1.8])  # 20 GB over the shared 100 GB x 0.09
    frame = pd.DataFrame([[60.0, 60.0], [0.0, 200.0]], columns=sources, index=["jan", "feb"])
    out = account_egress_cost(frame, sources=sources, as_of="2025-01-01")
    assert isinstance(out, pd.DataFrame)
    assert out.loc["feb"].tolist() == pytest.approx([0.0, 9.0])
    assert isinstance(account_egress_cost([[1.0, 1.0]], sources=sources, as_of="2025-01-01"),
                      np.ndarray)  # fmt: skip


def test_data_exit_cost_takes_one_size() -> None:
    with pytest.raises(InvalidParameterError, match=r"'size_gb'.*single number"):
        data_exit_cost([1.0, 2.0], source="aws:us-east-1", as_of="2025-01-01")
