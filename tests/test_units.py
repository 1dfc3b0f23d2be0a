"""Tests for exitcost.units: the size rule, months and money rounding."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitcost import InvalidParameterError
from exitcost.units import (
    BYTES_PER_GB,
    add_months,
    format_size,
    format_usd,
    months_between,
    parse_date,
    parse_size_gb,
    round_money,
)


class TestParseSize:
    @pytest.mark.parametrize(
        ("text", "expected_gb"),
        [
            # AWS publishes its first internet tier as "first 10 TB" and bills it up to 10,240 GB
            # (AWS Price List EndUsageAmount, as read by infracost data_transfer.go, 2024-05-03).
            ("10 TB", 10_240.0),
            ("500TB", 512_000.0),
            ("2 PiB", 2_097_152.0),
            ("2 PB", 2_097_152.0),
            ("750 GiB", 750.0),
            ("750gb", 750.0),
            ("1.5e6", 1.5e6),
            ("1,024 GB", 1_024.0),
            ("512 MB", 0.5),
            ("1 KiB", 1.0 / 2**20),
            ("0", 0.0),
        ],
    )
    def test_binary_rule(self, text: str, expected_gb: float) -> None:
        assert parse_size_gb(text) == pytest.approx(expected_gb, rel=1e-15)

    def test_numbers_are_gb(self) -> None:
        assert parse_size_gb(42) == 42.0
        assert parse_size_gb(1.5e6) == 1.5e6

    def test_si_reads_decimal_units(self) -> None:
        # 1 TB on a disk label is 10**12 bytes = 10**12 / 2**30 billing GB.
        assert parse_size_gb("1 TB", si=True) == pytest.approx(1e12 / 2**30)
        # IEC units stay binary whatever si says.
        assert parse_size_gb("1 TiB", si=True) == 1024.0

    def test_bytes_exact(self) -> None:
        assert parse_size_gb(f"{BYTES_PER_GB} B") == 1.0

    @pytest.mark.parametrize(
        ("value", "match"),
        [
            ("3 furlongs", "unit 'furlongs' is not one of"),
            ("-5 GB", "non-negative"),
            ("lots", "must be a size such as"),
            (float("nan"), "finite, non-negative"),
            (float("inf"), "finite, non-negative"),
            (-1, "finite, non-negative"),
            (True, "must be a size in GB"),
            ([1], "of type list"),
        ],
    )
    def test_bad_input(self, value: object, match: str) -> None:
        with pytest.raises(InvalidParameterError, match=match):
            parse_size_gb(value, name="datasets[0].size_gb")

    @pytest.mark.parametrize(
        ("text", "expected_gb"),
        [
            ("  2 TB  ", 2_048.0),
            ("\t2TB\n", 2_048.0),
            ("1e3TB", 1_024_000.0),
            ("1.5 PiB", 1_572_864.0),
            ("5. TB", 5_120.0),
            (".5 TB", 512.0),
            ("1,000,000", 1e6),
            ("1_000 GB", 1_000.0),
            (np.int64(3), 3.0),
            (np.float32(2.5), 2.5),
        ],
    )
    def test_edge_cases(self, text: object, expected_gb: float) -> None:
        assert parse_size_gb(text) == expected_gb

    @pytest.mark.parametrize("value", ["-0", "-0 GB", "-0.0 TB", -0.0])
    def test_negative_zero_is_zero(self, value: object) -> None:
        assert math.copysign(1.0, parse_size_gb(value)) == 1.0

    @pytest.mark.parametrize(
        ("value", "match"),
        [
            # A decimal comma must not be read as a thousands separator (10x too large).
            ("1,5 TB", r"a comma only separates thousands"),
            ("12,34 GB", r"a comma only separates thousands"),
            ("1,0,0 GB", r"must be a size such as"),
            ("1.0.0 GB", r"must be a size such as"),
            ("1e308 EB", r"must be a finite size"),
            (10**400, r"finite, non-negative size\. Got 1000"),
        ],
    )
    def test_rejects_ambiguous_or_overflowing(self, value: object, match: str) -> None:
        with pytest.raises(InvalidParameterError, match=match):
            parse_size_gb(value)

    @given(st.integers(min_value=0, max_value=10**15))
    def test_thousands_separators(self, number: int) -> None:
        assert parse_size_gb(f"{number:,} GB") == float(number)
        assert parse_size_gb(f"{number:_} GB") == float(number)

    def test_error_names_the_field(self) -> None:
        with pytest.raises(ValueError, match=r"'datasets\[0\].size_gb'"):
            parse_size_gb("x", name="datasets[0].size_gb")

    @given(st.floats(min_value=0, max_value=1e12, allow_nan=False), st.sampled_from(["GB", "TB"]))
    def test_round_trip_through_format(self, number: float, unit: str) -> None:
        gb = parse_size_gb(f"{number!r} {unit}")
        assert gb == pytest.approx(number * (1024.0 if unit == "TB" else 1.0))

    @given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
    def test_monotone_in_unit(self, number: float) -> None:
        values = [parse_size_gb(f"{number!r} {u}") for u in ("MB", "GB", "TB", "PB")]
        assert values == sorted(values)


class TestFormat:
    def test_format_size(self) -> None:
        assert format_size(512_000) == "500.0 TB"
        assert format_size(2_097_152, precision=0) == "2 PB"
        assert format_size(0) == "0 B"

    def test_format_size_rejects_nan(self) -> None:
        with pytest.raises(InvalidParameterError, match="finite"):
            format_size(math.nan)

    @pytest.mark.parametrize(
        ("amount", "expected"),
        [(2.675, 2.68), (2.665, 2.67), (-0.125, -0.13), (0.005, 0.01), (1e9 + 0.004, 1e9)],
    )
    def test_round_money_half_up(self, amount: float, expected: float) -> None:
        # float 2.675 is 2.67499999... in binary; display rounding follows the decimal text.
        assert round_money(amount) == expected

    def test_round_money_rejects_nan(self) -> None:
        with pytest.raises(InvalidParameterError, match="finite"):
            round_money(math.nan)

    def test_format_usd(self) -> None:
        assert format_usd(41_277.444) == "$41,277.44"
        assert format_usd(-0.5) == "-$0.50"

    @given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
    def test_round_money_within_half_cent(self, amount: float) -> None:
        assert abs(round_money(amount) - amount) <= 0.005 + 1e-6 * max(1.0, abs(amount))


class TestMonths:
    def test_add_months_clamps(self) -> None:
        assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
        assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
        assert add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 15)

    @given(
        st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
        st.integers(min_value=-600, max_value=600),
    )
    def test_add_then_count(self, day: dt.date, months: int) -> None:
        assert months_between(day, add_months(day, months)) == months


class TestParseDate:
    @pytest.mark.parametrize(
        ("text", "day"),
        [
            ("2024-09", dt.date(2024, 9, 1)),
            ("2024-09-25", dt.date(2024, 9, 25)),
            (" 2024-09-25 ", dt.date(2024, 9, 25)),
            ("2024-09-25T23:59:59+05:00", dt.date(2024, 9, 25)),
            (np.datetime64("2024-09-25"), dt.date(2024, 9, 25)),
            (pd.Timestamp("2024-09-25 10:00"), dt.date(2024, 9, 25)),
            (dt.datetime(2024, 9, 25, 10), dt.date(2024, 9, 25)),
        ],
    )
    def test_one_date_reading_everywhere(self, text: Any, day: dt.date) -> None:
        assert parse_date(text) == day

    def test_a_month_is_its_first_day_wherever_a_date_is_read(self) -> None:
        # the price books' as_of and the exit month read "2024-09" the same way
        from exitcost.pricing.books import as_date

        assert as_date("2024-09") == parse_date("2024-09") == dt.date(2024, 9, 1)

    def test_none_is_today(self) -> None:
        assert parse_date(None) == dt.date.today()


def test_round_money_of_huge_amounts() -> None:
    # Decimal's default 28 digits cannot hold 5e39 to the cent; the context grows with it.
    assert round_money(5e39) == 5e39
    assert round_money(-1.7e308) == -1.7e308
    assert format_usd(1e30).startswith("$1,000,000,000,000,000,019,884,624,838,656")
