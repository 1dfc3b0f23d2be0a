"""The estate file writer against hostile targets: devices, FIFOs, read-only files, long names."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from exitcost.errors import EstateError
from exitcost.estate import Estate, sample_estate


@pytest.fixture(scope="module")
def estate() -> Estate:
    return sample_estate()


def test_a_fifo_is_not_replaced(tmp_path: Path, estate: Estate) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(EstateError, match=r"FIFO .*only a regular file or a new path"):
        estate.to_yaml(pipe)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_link_to_a_device_is_not_followed_into_it(tmp_path: Path, estate: Estate) -> None:
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    with pytest.raises(EstateError, match=r"device; only a regular file or a new path"):
        estate.to_json(link)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_directory_is_refused(tmp_path: Path, estate: Estate) -> None:
    folder = tmp_path / "estate.yaml"
    folder.mkdir()
    with pytest.raises(EstateError, match=r"directory"):
        estate.to_yaml(folder)


def test_a_read_only_file_is_not_overwritten(tmp_path: Path, estate: Estate) -> None:
    target = tmp_path / "frozen.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    target.chmod(stat.S_IRUSR)
    with pytest.raises(EstateError, match=r"read-only"):
        estate.to_yaml(target)
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_a_250_character_name_is_written(tmp_path: Path, estate: Estate) -> None:
    target = tmp_path / ("e" * 245 + ".yaml")  # 250 characters: the longest usual name is 255
    estate.to_yaml(target)
    assert Estate.from_yaml(target) == estate
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_a_multibyte_name_of_255_bytes_is_written(tmp_path: Path, estate: Estate) -> None:
    target = tmp_path / ("é" * 125 + ".json")  # 250 + 5 = 255 bytes in UTF-8
    estate.to_json(target)
    assert Estate.from_json(target) == estate


def test_a_new_path_and_a_regular_file_are_written(tmp_path: Path, estate: Estate) -> None:
    target = tmp_path / "estate.yaml"
    estate.to_yaml(target)
    target.chmod(0o640)
    estate.to_yaml(target)  # replaced, keeping its permissions
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert Estate.from_yaml(target) == estate
