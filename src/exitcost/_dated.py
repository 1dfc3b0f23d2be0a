"""Dated data files: the newest file in effect on a day, and the one rule for caching a file.

Bundled data (price books, facility defaults, the service catalog) lives in files named by the
day they take effect: ``<YYYY-MM-DD>.yaml`` or ``<prefix>-<YYYY-MM-DD>.yaml``.
:func:`dated_files` lists a folder's files by date (a name that is not a real date is skipped),
:func:`newest_on` picks the newest in effect on a day, and :func:`load_cached` reads a file
once per version: its cache key is the file's resolved path with its size, modification time
and inode, so an edited or replaced file is read again, and the cache is safe under threads.

Examples
--------
>>> import tempfile, pathlib, datetime as dt
>>> with tempfile.TemporaryDirectory() as tmp:
...     folder = pathlib.Path(tmp)
...     for name in ("2024-01-01.yaml", "2025-06-30.yaml", "2025-02-30.yaml", "notes.md"):
...         _ = (folder / name).write_text("{}", encoding="utf-8")
...     files = dated_files(folder)
...     [d.isoformat() for d, _ in files], newest_on(files, dt.date(2025, 1, 1))[0]
(['2024-01-01', '2025-06-30'], datetime.date(2024, 1, 1))
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["DATED_NAME", "dated_files", "file_stamp", "load_cached", "newest_on"]

DATED_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})\.ya?ml$")
"""A file named by the day it takes effect: ``2026-11-27.yaml``."""

_T = TypeVar("_T")
_CACHE_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_CACHE_SIZE = 128


def file_stamp(path: Path) -> tuple[str, int, int, int]:
    """The version of a file: resolved path, size, modification time (ns) and inode.

    Raises
    ------
    OSError
        The file cannot be examined (FileNotFoundError when it is missing).
    """
    resolved = path.resolve()
    info = resolved.stat()
    return (str(resolved), info.st_size, info.st_mtime_ns, info.st_ino)


def load_cached(path: Path, read: Callable[[Path], _T]) -> _T:
    """``read(path)``, computed once per version of the file (see :func:`file_stamp`).

    A missing file is not cached: ``read`` is called and reports it in its own words.
    """
    try:
        stamp = file_stamp(path)
    except OSError:
        return read(path)
    key = (read, *stamp)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]  # type: ignore[no-any-return]
    value = read(Path(stamp[0]))  # outside the lock: two threads may both read, both agree
    with _CACHE_LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def dated_files(folder: Path, pattern: re.Pattern[str] = DATED_NAME) -> list[tuple[dt.date, Path]]:
    """The regular files of ``folder`` whose names match ``pattern``, oldest first.

    ``pattern`` holds a group ``date`` (ISO); a name whose date does not exist is skipped.
    A missing folder has no files.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found: list[tuple[dt.date, Path]] = []
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not entry.is_file():
            continue
        try:
            found.append((dt.date.fromisoformat(match["date"]), Path(entry.path)))
        except ValueError:
            continue
    return sorted(found)


def newest_on(
    files: list[tuple[dt.date, Path]], day: dt.date | None
) -> tuple[dt.date, Path] | None:
    """The newest of ``files`` (from :func:`dated_files`) in effect on ``day`` (None: newest)."""
    usable = [f for f in files if day is None or f[0] <= day]
    return max(usable) if usable else None
