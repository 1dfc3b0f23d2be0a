"""The HTML report renders in headless Chromium without console errors, and is screenshotted.

Skips, saying why, where no Chromium is installed (``.ci/run`` installs Debian's ``chromium``
where it can).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium logs each message a page writes to its console as "...:CONSOLE(<line>)] ..." or
# "...:CONSOLE:<line>] ...": the report has no script, so any such line is a fault.
_CONSOLE = re.compile(r":CONSOLE[(:]")
_PNG = b"\x89PNG\r\n\x1a\n"


def _browser() -> str:
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no Chromium on this machine (looked for " + ", ".join(_BROWSERS) + "); install "
        "Debian's package with 'apt-get install -y chromium' to run the browser test"
    )


def _screenshot(page: Path, shot: Path, profile: Path) -> list[str]:
    """Load ``page`` in headless Chromium, save a screenshot; return its console lines."""
    done = subprocess.run(
        [
            _browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,1600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [line for line in done.stderr.splitlines() if _CONSOLE.search(line)]


def test_report_renders_without_console_errors(hand_worked_page: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(hand_worked_page, encoding="utf-8")
    shot = tmp_path / "report.png"
    console = _screenshot(page, shot, tmp_path / "profile")
    assert console == []
    data = shot.read_bytes()
    assert data[:8] == _PNG
    assert len(data) > 20_000  # a blank 1200 x 1600 page compresses to a few kB


def test_a_console_error_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "faulty.html"
    page.write_text(
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    console = _screenshot(page, tmp_path / "faulty.png", tmp_path / "profile")
    assert len(console) == 1
    assert '"boom"' in console[0]
