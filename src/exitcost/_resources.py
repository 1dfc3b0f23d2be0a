"""Where the bundled data lives (private).

In an installed wheel the repository's ``data/`` folders are packaged as ``exitcost/_data/``; in
a source checkout (an editable install) they are read from the repository's top-level ``data/``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["data_dir"]


@cache
def data_dir(kind: str) -> Path:
    """Folder of bundled data of one kind (``"pricing"``, ``"catalog"``, ``"estates"``).

    Raises
    ------
    FileNotFoundError
        Neither the packaged folder nor the source checkout's folder exists.
    """
    packaged = Path(str(resources.files("exitcost"))) / "_data" / kind
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[2] / "data" / kind
    if source.is_dir():
        return source
    raise FileNotFoundError(
        f"exitcost's bundled {kind!r} data is missing (looked in {packaged} and {source}); "
        "reinstall the package."
    )
