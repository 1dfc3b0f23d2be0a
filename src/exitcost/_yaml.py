"""The one bounded, safe way exitcost reads a data file (estates, price books, defaults, catalogs).

A file is read only if it is a regular file (a FIFO, a device or a directory is refused before
any byte is read, so nothing blocks), of at most :data:`MAX_FILE_BYTES`, and valid UTF-8 (a
byte-order mark is dropped); every error names the file. YAML is parsed by PyYAML's C parser
where it is installed (the pure-Python one otherwise) and built into plain data here, from the
parser's events, without recursion:

- only plain data: mappings, lists, text, numbers, booleans and null (safe tags only);
- a key repeated in one mapping is refused (keys merged in with ``<<: *anchor`` are defaults
  that an explicit key overrides, as YAML merge keys are);
- dates stay text, so that the schema validates them with the field's path;
- nesting is at most :data:`MAX_DEPTH` deep, and aliases may add at most
  :data:`MAX_ALIAS_NODES` values in all (an alias bomb of a few hundred bytes is refused at
  once instead of expanding to gigabytes); an alias of its own anchor is refused;
- one document per file.

Examples
--------
>>> parse_yaml("a: 1\\nb: [x, 2024-09-25]", what="example")
{'a': 1, 'b': ['x', '2024-09-25']}
>>> parse_yaml("a: 1\\na: 2", what="example")
Traceback (most recent call last):
...
exitcost._yaml.DataFileError: example has the duplicate key 'a' at line 2, column 1; each key ...
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "DataFileError",
    "booleans_read_as_numbers",
    "check_depth",
    "file_kind",
    "parse_json",
    "parse_yaml",
    "read_data_file",
    "read_text",
]

MAX_FILE_BYTES = 64 * 2**20
"""Largest data file read: 64 MiB (a 10,000-workload estate is about 5 MiB)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (the deepest schema needs fewer than 10 levels)."""
MAX_ALIAS_NODES = 100_000
"""Most values that aliases (``*anchor``) may add to a file, counted as expanded."""

_PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer


class DataFileError(Exception):
    """A data file cannot be read safely; each loader turns it into its own exitcost error."""


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message (from its ``st_mode``)."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_text(path: str | os.PathLike[str], *, what: str) -> str:
    """The text of a regular file of at most :data:`MAX_FILE_BYTES`, decoded as UTF-8.

    Raises
    ------
    DataFileError
        The file is missing, unreadable, not a regular file, too large, binary or not UTF-8.
    FileNotFoundError
        Never: a missing file is a DataFileError saying so.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        raise DataFileError(f"{what} does not exist (file not found).") from None
    except OSError as exc:
        raise DataFileError(f"{what} cannot be read: {exc.strerror or exc}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataFileError(
                f"{what} is {file_kind(info.st_mode)}; only regular files are read."
            )
        if info.st_size > MAX_FILE_BYTES:
            raise DataFileError(
                f"{what} holds {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}."
            )
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise DataFileError(f"{what} cannot be read: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise DataFileError(f"{what} holds more than {MAX_FILE_BYTES:,} bytes (the limit).")
    data = b"".join(chunks)
    if b"\x00" in data:
        raise DataFileError(f"{what} is a binary file (it holds NUL bytes), not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            f"{what} is not UTF-8 text: byte {data[exc.start : exc.start + 1]!r} at line "
            f"{line} (byte offset {exc.start}) cannot be decoded. Save the file as UTF-8."
        ) from None


def _at(mark: Any) -> str:
    return "" if mark is None else f" at line {mark.line + 1}, column {mark.column + 1}"


class _Frame:
    """A mapping or list being built: its value, expanded size, depth, height and anchor."""

    __slots__ = (
        "anchor",
        "depth",
        "height",
        "is_map",
        "key",
        "key_mark",
        "merged",
        "size",
        "value",
    )

    def __init__(self, is_map: bool, anchor: str | None, depth: int) -> None:
        self.is_map = is_map
        self.anchor = anchor
        self.depth = depth
        self.value: Any = {} if is_map else []
        self.size = 1
        self.height = 1  # levels of lists and mappings in this value, itself included
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.merged: list[dict[Any, Any]] = []


_NO_KEY = object()
_MERGE_KEY = object()


def parse_yaml(text: str, *, what: str) -> Any:
    """Plain data from YAML text, bounded and safe (see the module notes).

    Parameters
    ----------
    text : str
        The YAML text.
    what : str
        How messages name the input (``"price book 'x.yaml' (/path/x.yaml)"``).

    Raises
    ------
    DataFileError
        Invalid YAML, an unsafe tag, a duplicate key, too deep or an alias bomb.
    """
    try:
        return _build(_PARSER(text), what)
    except yaml.MarkedYAMLError as exc:
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise DataFileError(
            f"{what} is not valid YAML: {problem}{_at(exc.problem_mark)}."
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{what} is not valid YAML: {' '.join(str(exc).split())}") from None


def _scalar(loader: Any, event: ScalarEvent, what: str) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(ScalarNode, event.value, event.implicit)
    if tag == _TIMESTAMP:  # dates stay text: the schema reports a bad one with its path
        return event.value
    if tag == _MERGE:
        return _MERGE_KEY
    node = ScalarNode(tag, event.value, style=event.style)
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise DataFileError(
            f"{what} uses the tag {tag!r}{_at(event.start_mark)}; only plain data (text, "
            "numbers, booleans, null, lists and mappings) is read."
        ) from None
    except ValueError as exc:  # an explicit !!int or !!float that is not one
        raise DataFileError(
            f"{what} holds an invalid {tag.rsplit(':', 1)[-1]}{_at(event.start_mark)}: {exc}."
        ) from None


def _build(loader: Any, what: str) -> Any:
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int, int]] = {}  # anchor -> (value, size, depth)
    open_anchors: set[str] = set()
    alias_nodes = 0
    documents = 0
    result: Any = None
    try:
        while True:
            event = loader.get_event()
            if isinstance(event, StreamStartEvent | DocumentEndEvent):
                continue
            if isinstance(event, StreamEndEvent):
                return result
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise DataFileError(
                        f"{what} holds more than one YAML document{_at(event.start_mark)}; "
                        "write one document per file."
                    )
                continue
            done: tuple[Any, int, int, Any]  # (value, size, depth, mark)
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                is_map = isinstance(event, MappingStartEvent)
                if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                    raise DataFileError(
                        f"{what} uses the tag {event.tag!r}{_at(event.start_mark)}; only plain "
                        "data (text, numbers, booleans, null, lists and mappings) is read."
                    )
                depth = len(stack) + 1
                if depth > MAX_DEPTH:
                    raise DataFileError(
                        f"{what} nests lists and mappings more than {MAX_DEPTH} deep"
                        f"{_at(event.start_mark)}."
                    )
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                stack.append(_Frame(is_map, event.anchor, depth))
                continue
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                frame = stack.pop()
                value = frame.value
                if frame.merged:
                    merged: dict[Any, Any] = {}
                    for defaults in reversed(frame.merged):  # earlier merges win
                        merged.update(defaults)
                    merged.update(value)
                    value = merged
                if frame.anchor is not None:
                    open_anchors.discard(frame.anchor)
                    anchors[frame.anchor] = (value, frame.size, frame.height)
                done = (value, frame.size, frame.height, event.start_mark)
            elif isinstance(event, AliasEvent):
                if event.anchor in open_anchors:
                    raise DataFileError(
                        f"{what} has an alias *{event.anchor} inside its own anchor"
                        f"{_at(event.start_mark)}; a value cannot contain itself."
                    )
                if event.anchor not in anchors:
                    raise DataFileError(
                        f"{what} uses the undefined alias *{event.anchor}{_at(event.start_mark)}."
                    )
                value, size, depth = anchors[event.anchor]
                alias_nodes += size
                if alias_nodes > MAX_ALIAS_NODES:
                    raise DataFileError(
                        f"{what} expands aliases (*anchor) to more than {MAX_ALIAS_NODES:,} "
                        f"values{_at(event.start_mark)}; write the data out instead."
                    )
                if len(stack) + depth > MAX_DEPTH:
                    raise DataFileError(
                        f"{what} nests lists and mappings more than {MAX_DEPTH} deep through "
                        f"the alias *{event.anchor}{_at(event.start_mark)}."
                    )
                done = (value, size, depth, event.start_mark)
            elif isinstance(event, ScalarEvent):
                value = _scalar(loader, event, what)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1, 0)
                done = (value, 1, 0, event.start_mark)
            else:  # pragma: no cover - PyYAML has no other event kinds
                raise DataFileError(f"{what} holds an unexpected YAML event {event!r}.")
            value, size, depth, mark = done
            if not stack:
                result = value
                continue
            parent = stack[-1]
            parent.size += size
            parent.height = max(parent.height, depth + 1)
            if not parent.is_map:
                parent.value.append(value)
            elif parent.key is _NO_KEY:
                if value is not _MERGE_KEY and not isinstance(value, Hashable):
                    raise DataFileError(
                        f"{what} uses a {type(value).__name__} as a key{_at(mark)}; keys are "
                        "text or numbers."
                    )
                if value is not _MERGE_KEY and value in parent.value:
                    raise DataFileError(
                        f"{what} has the duplicate key {value!r}{_at(mark)}; each key may appear "
                        "once in a mapping."
                    )
                parent.key, parent.key_mark = value, mark
            else:
                if parent.key is _MERGE_KEY:
                    _merge(parent, value, what, mark)
                else:
                    parent.value[parent.key] = value
                parent.key = _NO_KEY
    finally:
        loader.dispose()


def _merge(frame: _Frame, value: Any, what: str, mark: Any) -> None:
    """Record the defaults of a merge key ``<<:`` (a mapping or a list of mappings)."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        raise DataFileError(
            f"{what} merges (<<:) something other than a mapping{_at(mark)}; merge an anchored "
            "mapping or a list of them."
        )
    frame.merged.extend(items)


def check_depth(data: Any, *, what: str) -> Any:
    """``data`` unchanged if its lists and mappings nest at most :data:`MAX_DEPTH` deep.

    Examples
    --------
    >>> check_depth({"a": [1, [2]]}, what="example")
    {'a': [1, [2]]}
    """
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth + 1 > MAX_DEPTH:
                raise DataFileError(f"{what} nests lists and mappings more than {MAX_DEPTH} deep.")
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return data


def booleans_read_as_numbers(raw: Any, validated: Any) -> list[tuple[str, Any]]:
    """Field paths where ``raw`` data holds a boolean that validation turned into a number.

    Pydantic reads ``true`` as 1 for a number field; a file meaning a price or a size never
    writes a boolean, so each loader refuses these paths. ``validated`` is the validated
    model dumped to plain data (``model.model_dump()``), walked alongside ``raw``.

    Examples
    --------
    >>> booleans_read_as_numbers({"a": [True, 2], "b": True}, {"a": [1.0, 2.0], "b": True})
    [('a[0]', True)]
    """
    found: list[tuple[str, Any]] = []
    pending: list[tuple[str, Any, Any]] = [("", raw, validated)]
    while pending:
        path, got, kept = pending.pop()
        if isinstance(got, bool):
            if isinstance(kept, int | float) and not isinstance(kept, bool):
                found.append((path, got))
        elif isinstance(got, dict) and isinstance(kept, dict):
            pending.extend(
                (f"{path}.{key}" if path else str(key), value, kept[key])
                for key, value in got.items()
                if key in kept
            )
        elif isinstance(got, list) and isinstance(kept, list | tuple) and len(got) == len(kept):
            pending.extend(
                (f"{path}[{i}]", a, b) for i, (a, b) in enumerate(zip(got, kept, strict=True))
            )
    return sorted(found)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {key!r}; each key may appear once in an object")
        data[key] = value
    return data


def parse_json(text: str, *, what: str) -> Any:
    """Plain data from JSON text: duplicate keys refused, nesting bounded.

    ``NaN`` and ``Infinity`` (not JSON, but written by some tools) are read as floats, so
    that the schema refuses them with the field's path like any other non-finite number.
    """
    try:
        data = json.loads(text, parse_constant=float, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise DataFileError(
            f"{what} nests lists and mappings more than {MAX_DEPTH} deep."
        ) from None
    except ValueError as exc:
        raise DataFileError(f"{what} is not valid JSON: {exc}.") from None
    return check_depth(data, what=what)


def read_data_file(path: str | os.PathLike[str], *, what: str) -> Any:
    """Plain data from a YAML or JSON file (by its extension; YAML otherwise), read safely.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "a.yaml"
    ...     _ = path.write_text("size_gb: 10\\n", encoding="utf-8")
    ...     read_data_file(path, what="example")
    {'size_gb': 10}
    """
    text = read_text(path, what=what)
    if Path(path).suffix.lower() == ".json":
        return parse_json(text, what=what)
    return parse_yaml(text, what=what)
