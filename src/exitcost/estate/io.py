"""Reading and writing estates as YAML and JSON files.

YAML is read with a safe loader only (plain data, never objects or code) that also rejects
duplicate keys, which ``yaml.safe_load`` would silently overwrite (a key that overrides one
merged in with ``<<: *anchor`` is not a duplicate); JSON rejects duplicate keys too. Both may
start with a UTF-8 byte-order mark. Files are written with plain types: dates as ISO text,
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
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import yaml

from exitcost.errors import EstateError, Problem, format_choices
from exitcost.estate.model import Estate

__all__ = [
    "YAML_SUFFIXES",
    "JSON_SUFFIXES",
    "estate_from_dict",
    "read_estate",
    "read_json",
    "read_yaml",
    "write_json",
    "write_yaml",
]

YAML_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")
"""File extensions read as YAML."""
JSON_SUFFIXES: tuple[str, ...] = (".json",)
"""File extensions read as JSON."""


class _UniqueKeySafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader that rejects a key repeated in one mapping and keeps dates as text.

    Dates stay strings so that the model validates them with the field's path: PyYAML's own
    timestamp constructor raises a bare ``ValueError`` for an impossible date such as
    ``2027-02-30``, with no hint of where it is.
    """


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    # Only the keys written in this mapping can clash: keys merged in with "<<: *anchor" are
    # defaults that an explicit key overrides (YAML merge-key semantics).
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found a key that is not text or a number ({type(key).__name__})",
                key_node.start_mark,
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    loader.flatten_mapping(node)
    return loader.construct_mapping(node)


_UniqueKeySafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_UniqueKeySafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


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
        return Estate.model_validate(data)
    except EstateError as exc:
        if source is None:
            raise
        raise EstateError(exc.problems, source=source) from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # a byte-order mark is dropped
    except FileNotFoundError:
        raise EstateError([Problem("", str(path), "file not found")], source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EstateError(
            [Problem("", str(path), f"cannot read the file: {exc}")], source=str(path)
        ) from None


def read_yaml(path: str | Path) -> Estate:
    """Read an estate from a YAML file (safe YAML, duplicate keys rejected)."""
    path = Path(path)
    text = _read_text(path)
    try:
        data = yaml.load(text, Loader=_UniqueKeySafeLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise EstateError(
            [Problem("", str(path), f"not valid YAML: {' '.join(str(exc).split())}")],
            source=str(path),
        ) from None
    return estate_from_dict(data, source=str(path))


def read_json(path: str | Path) -> Estate:
    """Read an estate from a JSON file (NaN and Infinity literals are rejected)."""
    path = Path(path)
    text = _read_text(path)

    try:
        # NaN and Infinity (not JSON, but written by some tools) are read as floats so that the
        # model rejects them with the field's path, like any other non-finite number.
        data = json.loads(text, parse_constant=float, object_pairs_hook=_unique_keys)
    except ValueError as exc:
        raise EstateError(
            [Problem("", str(path), f"not valid JSON: {exc}")], source=str(path)
        ) from None
    return estate_from_dict(data, source=str(path))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {key!r} in an object")
        data[key] = value
    return data


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


def _write(text: str, path: str | Path | None) -> str:
    """Write ``text`` to ``path`` through a temporary file renamed over it; return the text.

    The temporary file sits next to the target (same file system, so the rename is atomic) and
    is removed if anything fails; an existing file keeps its permissions; a symbolic link is
    followed, so the file it points to is replaced, not the link.
    """
    if path is None:
        return text
    target = Path(os.path.realpath(path))
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        mode = target.stat().st_mode & 0o7777 if target.is_file() else 0o666
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with open(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if target.is_file():
                os.chmod(temp, mode)  # os.open applied the umask
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise EstateError(
            [Problem("", str(path), f"cannot write the file: {exc.strerror or exc}")],
            source=str(path),
        ) from None
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
        width=100,
    )
    return _write(text, path)


def write_json(estate: Estate, path: str | Path | None = None) -> str:
    """Write ``estate`` as JSON to ``path`` (if given); return the text."""
    text = json.dumps(estate.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return _write(text, path)
