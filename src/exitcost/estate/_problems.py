"""Translate pydantic validation errors into exitcost problems (private).

Pydantic reports a location as a tuple (``('workloads', 3, 'reads', 0, 'dataset')``); exitcost
reports it as a path (``workloads[3].reads[0].dataset``) with the offending value and a message
that says what would be valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from exitcost._fields import format_path, model_at, plain_message
from exitcost._suggest import did_you_mean, unknown
from exitcost.errors import EstateError, Problem, format_choices

__all__ = ["format_path", "problems_from_validation_error", "remap_problems", "split_path"]

_PATH_TOKEN = re.compile(r"\.?([^.\[\]]+)|\[([^\]]*)\]")


def split_path(path: str, *, strict: bool = False) -> list[int | str]:
    """Split a field path into its parts; ``[3]`` gives an int, ``[name]`` a string.

    With ``strict``, a path that is not made only of ``name``, ``.name`` and ``[index]`` parts
    (starting with a name) gives an empty list instead of a best guess.

    Examples
    --------
    >>> split_path("workloads[3].reads[0].dataset")
    ['workloads', 3, 'reads', 0, 'dataset']
    >>> split_path("datasets[lake].size_gb")
    ['datasets', 'lake', 'size_gb']
    >>> split_path("datasets[lake]]size_gb", strict=True)
    []
    """
    matches = list(_PATH_TOKEN.finditer(path))
    if strict and (
        "".join(m[0] for m in matches) != path
        or not matches
        or matches[0][0].startswith(("[", "."))
        or any(m[2] is not None and not m[2].strip() for m in matches)
    ):
        return []
    parts: list[int | str] = []
    for match in matches:
        name, index = match.groups()
        if name is not None:
            parts.append(name)
        else:
            parts.append(int(index) if index.lstrip("-").isdigit() else index)
    return parts


def _message(error: Mapping[str, Any], root: type[BaseModel]) -> str:
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        model = model_at(root, loc[:-1])
        if model is None:
            return f"unknown field {loc[-1]!r}"
        fields = model.model_fields
        shown = format_choices(fields)
        return unknown(f"unknown field {loc[-1]!r}", loc[-1], fields, shown, "valid fields")
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    msg = plain_message(msg)
    if kind.startswith("model_") or kind == "dict_type":
        msg += " (a mapping of field names to values)"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str((error.get("ctx") or {}).get("expected", "")))
        near = did_you_mean(error.get("input"), choices)
        msg += f"; {near}" if near else ""
    return msg


def problems_from_validation_error(
    exc: ValidationError, root: type[BaseModel], prefix: Sequence[int | str] = ()
) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into a list of :class:`Problem`.

    A cross-field check that raised :class:`EstateError` inside validation contributes its own
    problems (with their paths below ``prefix`` and the error's location).
    """
    problems: list[Problem] = []
    for error in exc.errors():
        loc = (*prefix, *error["loc"])
        inner = (error.get("ctx") or {}).get("error")
        if isinstance(inner, EstateError):
            base = format_path(loc)
            for problem in inner.problems:
                path = _join(base, problem.path)
                problems.append(Problem(path, problem.value, problem.message))
            continue
        value = None if error["type"] == "missing" else error.get("input")
        problems.append(Problem(format_path(loc), value, _message(error, root)))
    return problems


def _join(base: str, path: str) -> str:
    if not base:
        return path
    if not path:
        return base
    return base + path if path.startswith("[") else f"{base}.{path}"


def remap_problems(problems: Iterable[Problem], mapping: Mapping[str, str]) -> list[Problem]:
    """Rewrite each problem's path by its longest prefix found in ``mapping``.

    Examples
    --------
    >>> p = Problem("workloads[2].reads[0].dataset", "x", "unknown dataset")
    >>> remap_problems([p], {"workloads[2]": "workloads[row 2]",
    ...                      "workloads[2].reads[0]": "flows[row 7]"})[0].path
    'flows[row 7].dataset'
    """
    out: list[Problem] = []
    for problem in problems:
        path = problem.path
        cuts = [i for i, ch in enumerate(path) if ch in ".["] + [len(path)]
        for cut in reversed(cuts):
            head = path[:cut]
            if head in mapping:
                path = mapping[head] + path[cut:]
                break
        out.append(Problem(path, problem.value, problem.message))
    return out
