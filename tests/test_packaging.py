"""The built wheel carries every price book and loads them from outside the source tree."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import json, sys
    sys.path[:] = [p for p in sys.path if not p.startswith({src!r})]
    sys.path.insert(0, {target!r})
    import exitcost
    from exitcost._resources import data_dir
    from exitcost.pricing import book_dates, egress_cost, load_price_book, providers
    loaded = []
    for provider in providers():
        for day in book_dates(provider):
            book = load_price_book(provider, as_of=day)
            loaded.append([provider, day.isoformat(), len(book.regions)])
    print(json.dumps({{
        "module": exitcost.__file__,
        "data": str(data_dir("pricing")),
        "books": loaded,
        "egress": egress_cost(512000.0, source="aws:us-east-1", as_of="2025-01-01"),
    }}))
    """
)


def test_wheel_ships_price_books(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0 and "hatchling" in build.stderr and "No matching" in build.stderr:
        pytest.skip("the build backend (hatchling) cannot be installed here")
    assert build.returncode == 0, build.stderr
    wheels = list(wheel_dir.glob("exitcost-*.whl"))
    assert len(wheels) == 1
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheels[0]),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    script = SCRIPT.format(src=str(REPO / "src"), target=str(target))
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["module"].startswith(str(target))
    assert result["data"].startswith(str(target))
    source_books = sorted(
        p.parent.name + "/" + p.stem
        for p in (REPO / "data" / "pricing").glob("*/*.yaml")
        if p.parent.name not in {"facilities", "regulation"}
    )
    assert sorted(f"{p}/{d}" for p, d, _ in result["books"]) == source_books
    assert all(n > 0 for _, _, n in result["books"])
    assert result["egress"] == pytest.approx(29482.2)  # see tests/pricing/test_costs.py
