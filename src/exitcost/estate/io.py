"""Reading and writing estates as YAML and JSON files.

YAML is read with a safe loader only (plain data, never objects or code) that also rejects
duplicate keys, which ``yaml.safe_load`` would silently overwrite. Files are written with plain
types: dates as ISO text, distributions as mappings, so that a written file reads back into an
equal estate.

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
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
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
        return path.read_text(encoding="utf-8")
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

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a valid number here")

    try:
        data = json.loads(text, parse_constant=reject_constant)
    except ValueError as exc:
        raise EstateError(
            [Problem("", str(path), f"not valid JSON: {exc}")], source=str(path)
        ) from None
    return estate_from_dict(data, source=str(path))


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
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def write_yaml(estate: Estate, path: str | Path | None = None) -> str:
    """Write ``estate`` as YAML to ``path`` (if given); return the text."""
    text = yaml.safe_dump(
        estate.to_dict(), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return _write(text, path)


def write_json(estate: Estate, path: str | Path | None = None) -> str:
    """Write ``estate`` as JSON to ``path`` (if given); return the text."""
    text = json.dumps(estate.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return _write(text, path)
