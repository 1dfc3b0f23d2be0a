"""Benchmark of reading and classifying a FOCUS export of 5 million rows.

Writes a synthetic FOCUS 1.2 CSV export of 5,000,000 rows (AWS, Azure and Google rows of
compute, storage and each transfer class, hourly charge periods over one month, a credit
now and then) to a temporary folder, then, each in a fresh process so that peak memory is its
own:

- ``read_focus`` of the whole file (chunked, categoricals, column selection);
- ``read_focus`` then ``focus_baseline`` (classification of every row, monthly spend and
  transfer volumes);
- a plain ``pandas.read_csv`` of the first 500,000 rows with default types, the baseline the
  rates are compared to (all 5 million rows as Python strings would need several GiB).

Prints rows per second, seconds and peak resident memory (VmHWM, Linux) of each, and the
ratios of the library's rates to the plain read. Target: reading and classifying 5 million
rows in under 60 s and under 2 GiB.

Run: ``.venv/bin/python benchmarks/bench_focus.py [ROWS]``
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 5_000_000
BLOCK = 100_000
BASELINE_ROWS = 500_000

# (provider, service, service category, description, pricing unit, region)
_KINDS = [
    (
        "AWS",
        "Amazon Elastic Compute Cloud",
        "Compute",
        "$0.096 per On Demand Linux m5.large Instance Hour",
        "Hours",
        "us-east-1",
    ),
    (
        "AWS",
        "Amazon Elastic Compute Cloud",
        "Compute",
        "$0.09 per GB - first 10 TB / month data transfer out",
        "GB",
        "us-east-1",
    ),
    (
        "AWS",
        "Amazon Elastic Compute Cloud",
        "Compute",
        "$0.02 per GB - US East (Northern Virginia) data transfer to EU (Ireland)",
        "GB",
        "us-east-1",
    ),
    (
        "AWS",
        "Amazon Elastic Compute Cloud",
        "Compute",
        "$0.01 per GB - regional data transfer - in/out/between EC2 AZs"
        " or using elastic IPs or ELB",
        "GB",
        "eu-west-1",
    ),
    (
        "AWS",
        "Amazon Simple Storage Service",
        "Storage",
        "$0.023 per GB - first 50 TB / month of storage used",
        "GB-Mo",
        "eu-west-1",
    ),
    (
        "AWS",
        "Amazon Simple Storage Service",
        "Storage",
        "$0.000 per GB - data transfer in per month",
        "GB",
        "eu-west-1",
    ),
    (
        "Microsoft",
        "Virtual Machines",
        "Compute",
        "Virtual Machines D2s v5 - West Europe",
        "Hours",
        "westeurope",
    ),
    (
        "Microsoft",
        "Bandwidth",
        "Networking",
        "Rtn Preference: MGN - Standard Data Transfer Out",
        "GB",
        "westeurope",
    ),
    (
        "Google Cloud",
        "Compute Engine",
        "Networking",
        "Network Internet Egress from EMEA to Americas",
        "GiB",
        "europe-west4",
    ),
    (
        "Google Cloud",
        "Cloud Storage",
        "Storage",
        "Standard Storage Netherlands",
        "GiB-Months",
        "europe-west4",
    ),
]


def _frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    kind = rng.integers(0, len(_KINDS), n)
    hour = rng.integers(0, 30 * 24, n)
    start = pd.Timestamp("2026-06-01") + pd.to_timedelta(hour, unit="h")
    stamps = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    ends = (start + pd.Timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    quantity = np.round(rng.gamma(1.5, 20.0, n), 6)
    cost = np.round(quantity * rng.uniform(0.001, 0.1, n), 10)
    credit = rng.random(n) < 0.001
    cost = np.where(credit, -cost, cost)
    table = np.array(_KINDS, dtype=object)[kind]
    frame = pd.DataFrame(
        {
            "BilledCost": cost,
            "BillingAccountId": np.where(table[:, 0] == "AWS", "111111111111", "acme-other"),
            "BillingAccountName": "Acme",
            "BillingAccountType": "Billing Account",
            "BillingCurrency": "USD",
            "BillingPeriodEnd": "2026-07-01T00:00:00Z",
            "BillingPeriodStart": "2026-06-01T00:00:00Z",
            "ChargeCategory": np.where(credit, "Credit", "Usage"),
            "ChargeClass": "",
            "ChargeDescription": table[:, 3],
            "ChargePeriodEnd": ends,
            "ChargePeriodStart": stamps,
            "ConsumedQuantity": quantity,
            "ConsumedUnit": table[:, 4],
            "ContractedCost": cost,
            "EffectiveCost": cost,
            "InvoiceId": "INV-2026-06",
            "InvoiceIssuerName": table[:, 0],
            "ListCost": cost,
            "PricingQuantity": quantity,
            "PricingUnit": table[:, 4],
            "ProviderName": table[:, 0],
            "PublisherName": table[:, 0],
            "RegionId": table[:, 5],
            "ResourceId": np.char.add("res-", rng.integers(0, 50_000, n).astype(str)),
            "ServiceCategory": table[:, 2],
            "ServiceName": table[:, 1],
            "SubAccountId": "sub-1",
            "Tags": '{"team": "web"}',
        }
    )
    return frame


def write_export(path: Path, rows: int) -> None:
    rng = np.random.default_rng(12)
    frames = [_frame(rng, BLOCK) for _ in range(4)]
    header = ",".join(frames[0].columns) + "\n"
    blocks = [f.to_csv(index=False, header=False) for f in frames]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        written = 0
        while written < rows:
            n = min(BLOCK, rows - written)
            text = blocks[(written // BLOCK) % len(blocks)]
            if n < BLOCK:
                text = "".join(text.splitlines(keepends=True)[:n])
            handle.write(text)
            written += n


_CHILD = r"""
import json, sys, time
import pandas as pd
path, what, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = time.perf_counter()
if what == "plain":
    frame = pd.read_csv(path, nrows=rows)
    count = len(frame)
else:
    from exitcost.ingest import focus_baseline, read_focus
    frame = read_focus(path)
    count = len(frame)
    if what == "classify":
        base = focus_baseline(frame)
        assert base.classed_rows == base.transfer_rows, (base.classed_rows, base.transfer_rows)
seconds = time.perf_counter() - start
# VmHWM: this process's own peak resident memory (ru_maxrss would carry the parent's peak
# over the fork).
with open("/proc/self/status") as status:
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"rows": count, "seconds": seconds, "peak_mib": peak_kib / 1024}))
"""


def measure(path: Path, what: str, rows: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), what, str(rows)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "focus_export.csv"
        start = time.perf_counter()
        write_export(path, rows)
        size_mib = path.stat().st_size / 2**20
        print(
            f"synthetic FOCUS 1.2 export: {rows:,} rows, {size_mib:,.0f} MiB, "
            f"written in {time.perf_counter() - start:.1f} s"
        )
        plain = measure(path, "plain", min(BASELINE_ROWS, rows))
        read = measure(path, "read", rows)
        classify = measure(path, "classify", rows)
    plain_rate = plain["rows"] / plain["seconds"]
    print(f"{'step':<34}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'peak MiB':>10}{'vs plain':>10}")
    for label, result in (
        (f"plain pandas.read_csv (first {plain['rows']:,.0f})", plain),
        ("read_focus", read),
        ("read_focus + focus_baseline", classify),
    ):
        rate = result["rows"] / result["seconds"]
        print(
            f"{label:<34}{result['rows']:>12,.0f}{result['seconds']:>10.1f}{rate:>12,.0f}"
            f"{result['peak_mib']:>10,.0f}{rate / plain_rate:>9.2f}x"
        )
    verdict = classify["seconds"] < 60 and classify["peak_mib"] < 2048
    print(
        f"target (read and classify {rows:,} rows in < 60 s and < 2 GiB): "
        f"{'met' if verdict else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
