"""Reading and writing estates as YAML and JSON files.

Files are read through exitcost's one safe reader (:mod:`exitcost._yaml`): regular files
only, bounded in size, nesting and alias expansion, plain data only, duplicate keys rejected
(a key that overrides one merged in with ``<<: *anchor`` is not a duplicate), in JSON too.
Both may start with a UTF-8 byte-order mark. A boolean where the estate needs a number is an
error, not 1 or 0. Files are written with plain types: dates as ISO text,
distributions as mappings, so that a written file reads back into an equal estate. A file is
written to a temporary file next to it and then renamed over it, so that an error or a crash
never leaves a half-written estate behind.

Examples
--------
>>> import tempfile, pathlib
>>> from exitcost.estate import sample_estate
>>> estate = sample_estate()
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / "estate.json"
...     _ = estate.to_json(path)
...     read_json(path) == estate
True
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from exitcost._text import TEXT_WIDTH
from exitcost._yaml import (
    DataFileError,
    booleans_read_as_numbers,
    check_depth,
    file_kind,
    parse_json,
    parse_yaml,
    read_text,
)
from exitcost.errors import EstateError, Problem, format_choices, short_repr
from exitcost.estate.model import Estate

__all__ = [
    "YAML_SUFFIXES",
    "JSON_SUFFIXES",
    "estate_from_dict",
    "read_estate",
    "read_json",
    "read_yaml",
    "write_json",
    "write_text",
    "write_yaml",
]

YAML_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")
"""File extensions read as YAML."""
JSON_SUFFIXES: tuple[str, ...] = (".json",)
"""File extensions read as JSON."""


def estate_from_dict(data: Any, *, source: str | None = None) -> Estate:
    """Validate a mapping into an :class:`Estate`; ``source`` names it in error messages.

    Examples
    --------
    >>> estate_from_dict(["not", "a", "mapping"], source="x.yaml")
    Traceback (most recent call last):
    ...
    exitcost.errors.EstateError: 1 problem in estate x.yaml:
      - <root>: an estate must be a mapping of fields (name, as_of, locations, ...) (got [...])
    """
    if not isinstance(data, Mapping):
        raise EstateError(
            [
                Problem(
                    "", data, "an estate must be a mapping of fields (name, as_of, locations, ...)"
                )
            ],
            source=source,
        )
    try:
        check_depth(data, what=f"estate {source}" if source else "the estate")
        estate = Estate.model_validate(data)
    except DataFileError as exc:
        raise EstateError([Problem("", short_repr(data), str(exc))], source=source) from None
    except EstateError as exc:
        if source is None:
            raise
        raise EstateError(exc.problems, source=source) from None
    coerced = booleans_read_as_numbers(data, estate.model_dump())
    if coerced:
        raise EstateError(
            [Problem(path, value, "must be a number, not a boolean") for path, value in coerced],
            source=source,
        )
    return estate


def _read(path: Path, parse: Callable[..., Any]) -> Any:
    """Plain data from ``path`` through the one safe reader (exitcost._yaml)."""
    try:
        return parse(read_text(path, what="the file"), what="the file")
    except DataFileError as exc:
        raise EstateError([Problem("", str(path), str(exc))], source=str(path)) from None


def read_yaml(path: str | Path) -> Estate:
    """Read an estate from a YAML file (safe YAML, duplicate keys rejected)."""
    path = Path(path)
    return estate_from_dict(_read(path, parse_yaml), source=str(path))


def read_json(path: str | Path) -> Estate:
    """Read an estate from a JSON file (duplicate keys rejected; NaN and Infinity refused)."""
    path = Path(path)
    return estate_from_dict(_read(path, parse_json), source=str(path))


def read_estate(path: str | Path) -> Estate:
    """Read a YAML (``.yaml``, ``.yml``) or JSON (``.json``) estate file by its extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return read_yaml(path)
    if suffix in JSON_SUFFIXES:
        return read_json(path)
    raise EstateError(
        [
            Problem(
                "",
                str(path),
                f"unknown file type {suffix or '(none)'!r}; valid: "
                f"{format_choices(YAML_SUFFIXES + JSON_SUFFIXES)}",
            )
        ],
        source=str(path),
    )


_NAME_MAX_BYTES = 255  # the longest file name most file systems take (ext4, APFS, NTFS)


def _temp_name(target: Path) -> Path:
    """A fresh hidden name beside ``target``, within :data:`_NAME_MAX_BYTES` bytes."""
    token = secrets.token_hex(6)
    room = _NAME_MAX_BYTES - len(f"..{token}.tmp")
    stem = os.fsencode(target.name)[:room].decode("utf-8", errors="ignore")
    return target.with_name(f".{stem}.{token}.tmp")


def write_text(text: str, path: str | Path | None) -> str:
    """Write ``text`` to ``path`` through a temporary file renamed over it; return the text.

    The temporary file sits next to the target (same file system, so the rename is atomic) and
    is removed if anything fails; an existing file keeps its permissions; a symbolic link is
    followed, so the file it points to is replaced, not the link. Only a regular file or a new
    path is written: a device, a FIFO, a directory or a read-only file is refused.
    """
    if path is None:
        return text

    def refuse(reason: str) -> EstateError:
        return EstateError([Problem("", str(path), f"cannot write the file: {reason}")], str(path))

    target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise refuse(exc.strerror or str(exc)) from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            kind = file_kind(info.st_mode)
            raise refuse(f"it is {kind}; only a regular file or a new path is written")
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise refuse("it is read-only; make it writable or choose another path")
    temp = _temp_name(target)
    mode = info.st_mode & 0o7777 if info is not None else 0o666
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with open(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if info is not None:
                os.chmod(temp, mode)  # os.open applied the umask
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise refuse(exc.strerror or str(exc)) from None
    return text


class _SafeDumper(yaml.SafeDumper):
    """yaml.SafeDumper that double-quotes text holding characters YAML reads as line breaks.

    PyYAML writes NEL (U+0085), LS (U+2028) and PS (U+2029) raw inside single-quoted or plain
    text, where a reader folds them into spaces; in double quotes they are escaped (\\N, \\L,
    \\P) and read back unchanged.
    """


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if any(ch in data for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_SafeDumper.add_representer(str, _represent_str)


def write_yaml(estate: Estate, path: str | Path | None = None) -> str:
    """Write ``estate`` as YAML to ``path`` (if given); return the text."""
    text = yaml.dump(
        estate.to_dict(),
        Dumper=_SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=TEXT_WIDTH,
    )
    return write_text(text, path)


def write_json(estate: Estate, path: str | Path | None = None) -> str:
    """Write ``estate`` as JSON to ``path`` (if given); return the text."""
    text = json.dumps(estate.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return write_text(text, path)
