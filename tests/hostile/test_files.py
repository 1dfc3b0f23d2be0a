"""Hostile data files against every loader: each is refused with a clear exitcost error, fast.

Every loader (estates, price books, facility defaults, the service catalog and the effort
defaults) reads through the one safe reader, so each attack is tried on each of them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exitcost._yaml import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES
from exitcost.effort.catalog import load_catalog, load_effort_defaults
from exitcost.errors import ExitcostError, PriceBookError
from exitcost.estate import read_estate
from exitcost.facilities import load_facility_defaults
from exitcost.pricing import load_price_book
from tests.hostile.conftest import REPO, set_first, write_card

LOADERS: dict[str, Callable[[Path], Any]] = {
    "estate": read_estate,
    "price book": lambda path: load_price_book(path=path),
    "facility defaults": lambda path: load_facility_defaults(path=path),
    "catalog": load_catalog,
    "effort defaults": load_effort_defaults,
}

# Nine anchors, each a list of nine aliases of the previous one: 9**9 values once expanded.
ALIAS_BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]\n" for k in range(1, 10)
)

ATTACKS: dict[str, tuple[bytes, str]] = {
    "alias bomb": (ALIAS_BOMB.encode(), rf"expands aliases .* more than {MAX_ALIAS_NODES:,}"),
    "lists 500 deep": (b"a: " + b"[" * 500 + b"]" * 500, rf"more than {MAX_DEPTH} deep"),
    "mappings 500 deep": (
        b"a: " + b"{b: " * 500 + b"1" + b"}" * 500,
        rf"more than {MAX_DEPTH} deep",
    ),
    "block nesting 500 deep": (
        "".join(f"{'  ' * k}k{k}:\n" for k in range(500)).encode() + b"  " * 500 + b"v\n",
        rf"more than {MAX_DEPTH} deep",
    ),
    "duplicate key": (b"name: a\nname: b\n", r"duplicate key 'name' at line 2"),
    "binary": (bytes(range(256)) * 4, r"binary file"),
    "latin-1 text": ("name: café\n".encode("latin-1"), r"not UTF-8 text: .* at line 1"),
    "python object tag": (
        b"name: !!python/object/apply:os.system ['echo owned']\n",
        r"python/object/apply.* only plain data",
    ),
    "self-referencing alias": (b"a: &a [1, *a]\n", r"alias \*a inside its own anchor"),
    "two documents": (b"a: 1\n---\na: 2\n", r"more than one YAML document"),
    "control character": (b"a: \x07\n", r"not valid YAML"),
}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("attack", ATTACKS)
def test_each_loader_refuses_each_hostile_file(tmp_path: Path, loader: str, attack: str) -> None:
    content, match = ATTACKS[attack]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    with pytest.raises(ExitcostError, match=match) as info:
        LOADERS[loader](path)
    assert "hostile.yaml" in str(info.value)  # the message names the file
    assert len(str(info.value)) < 600  # never the expanded input


@pytest.mark.parametrize("loader", LOADERS)
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, loader: str) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)  # nobody writes: reading it would wait for ever
    with pytest.raises(ExitcostError, match=r"FIFO .*only regular files"):
        LOADERS[loader](path)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
@pytest.mark.parametrize("loader", LOADERS)
def test_a_device_is_refused(tmp_path: Path, loader: str, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is absent here")
    link = tmp_path / "device.yaml"  # a link with a data file's name, to an endless device
    link.symlink_to(device)
    with pytest.raises(ExitcostError, match=r"device; only regular files"):
        LOADERS[loader](link)


@pytest.mark.parametrize("loader", LOADERS)
def test_a_directory_is_refused(tmp_path: Path, loader: str) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(ExitcostError, match=r"directory"):
        LOADERS[loader](folder)


@pytest.mark.parametrize("loader", LOADERS)
def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path, loader: str) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: no disk used
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ExitcostError, match=r"the limit is"):
        LOADERS[loader](path)


@pytest.mark.parametrize("loader", LOADERS)
def test_an_unreadable_file_names_the_file(tmp_path: Path, loader: str) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(ExitcostError, match=r"secret\.yaml.*cannot be read"):
            LOADERS[loader](path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_boolean_price_is_refused(tmp_path: Path) -> None:
    card = write_card(tmp_path, "card.yaml", 1.0)
    set_first(card, "usd_per_gb", "true")
    with pytest.raises(PriceBookError, match=r"usd_per_gb: must be a number, not a boolean"):
        load_price_book(path=card)


def test_a_boolean_facility_default_is_refused(tmp_path: Path) -> None:
    bundled = REPO / "data" / "pricing" / "facilities" / "2026-11-27.yaml"
    path = tmp_path / "defaults.yaml"
    path.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    set_first(path, "value", "true")
    with pytest.raises(PriceBookError, match=r"booleans where numbers belong: parameters\."):
        load_facility_defaults(path=path)


def test_a_boolean_size_in_an_estate_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    path.write_text(
        "name: x\nas_of: 2026-11-01\nlocations:\n"
        "  - {id: 'aws:us-east-1', kind: cloud, continent: north_america, jurisdiction: US}\n"
        "datasets:\n  - {id: d, location: 'aws:us-east-1', size_gb: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(ExitcostError, match=r"datasets\[0\]\.size_gb: .*boolean"):
        read_estate(path)


def test_a_duplicate_effective_date_in_a_price_book_is_refused(tmp_path: Path) -> None:
    card = write_card(tmp_path, "card.yaml", 1.0)
    card.write_text(
        card.read_text(encoding="utf-8") + "effective_date: '2030-01-01'\n", encoding="utf-8"
    )
    with pytest.raises(PriceBookError, match=r"duplicate key 'effective_date'"):
        load_price_book(path=card)


def test_a_book_dated_far_ahead_loads_with_a_warning(tmp_path: Path) -> None:
    card = write_card(tmp_path, "card.yaml", 1.0, effective_date="2100-01-01")
    with pytest.warns(UserWarning, match=r"takes effect on 2100-01-01, more than 5 years"):
        book = load_price_book(path=card)
    assert book.effective_date.year == 2100


def test_a_book_dated_beyond_the_plausible_range_is_refused(tmp_path: Path) -> None:
    card = write_card(tmp_path, "card.yaml", 1.0, effective_date="2999-01-01")
    with pytest.raises(PriceBookError, match=r"effective_date: must lie between"):
        load_price_book(path=card)


def test_json_estates_are_bounded_too(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(ExitcostError, match=rf"more than {MAX_DEPTH} deep"):
        read_estate(path)
    path.write_text('{"name": ' + "[" * 500 + "]" * 500 + "}", encoding="utf-8")
    with pytest.raises(ExitcostError, match=rf"more than {MAX_DEPTH} deep"):
        read_estate(path)
