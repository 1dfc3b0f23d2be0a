"""Paths and messages of pydantic validation errors, for the estate and the price books.

Pydantic reports where a value failed as a location tuple (``('workloads', 3, 'reads', 0,
'dataset')``) and says what it wanted in its own words. Both exitcost's estate and its price
books report a field path (``workloads[3].reads[0].dataset``), the model whose fields are valid
where an unknown field was given, and a message with comparisons as signs.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

__all__ = ["format_path", "model_at", "plain_message"]

_COMPARISONS = (
    ("greater than or equal to", ">="),
    ("less than or equal to", "<="),
    ("greater than", ">"),
    ("less than", "<"),
)


def format_path(loc: Iterable[int | str]) -> str:
    """Format a pydantic location tuple as a field path.

    Examples
    --------
    >>> format_path(("workloads", 3, "reads", 0, "dataset"))
    'workloads[3].reads[0].dataset'
    >>> format_path(())
    ''
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def plain_message(message: str) -> str:
    """Pydantic's wording of a constraint in exitcost's: "must be", comparisons as signs.

    Examples
    --------
    >>> plain_message("Input should be greater than or equal to 0")
    'must be >= 0'
    """
    message = message.replace("Input should be", "must be", 1)
    for words, sign in _COMPARISONS:
        message = message.replace(words, sign)
    return message


def _models_in(annotation: Any) -> list[Any]:
    """The pydantic models and containers an annotation can hold (for walking a location)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return [("dict", _models_in(typing.get_args(annotation)[-1]))]
    if origin is not None or isinstance(annotation, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
        return found
    return []


def model_at(root: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model class found at a pydantic error location, or None where it is ambiguous.

    Indexes into lists and tuples are skipped; a key of a mapping leads to the mapping's values.

    Examples
    --------
    >>> from exitcost.estate import Estate
    >>> model_at(Estate, ("workloads", 3, "reads", 0)).__name__
    'Flow'
    >>> model_at(Estate, ("nowhere",)) is None
    True
    """
    current: list[Any] = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        if len(current) != 1:
            return None
        here = current[0]
        if isinstance(here, tuple):  # a mapping: ``part`` is one of its keys
            current = here[1]
            continue
        field_info = here.model_fields.get(part)
        if field_info is None:
            return None
        current = _models_in(field_info.annotation)
    if len(current) == 1 and isinstance(current[0], type):
        found: type[BaseModel] = current[0]
        return found
    return None
