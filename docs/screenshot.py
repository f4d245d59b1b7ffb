"""Regenerate docs/report.png: the top of the HTML report of the five seeds in headless chromium.

    .venv/bin/python docs/screenshot.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import browser  # noqa: E402

from drift import compare, read_articles  # noqa: E402

SEEDS = sorted(Path("examples", "seeds").glob("*.txt"))  # relative: the page shows these paths


def main() -> None:
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(compare(read_articles(SEEDS)).render("html"), encoding="utf-8")
        driver = browser.start(Path(tmp) / "profile", width=1100, height=1400)
        try:
            driver.get(page.as_uri())
            driver.save_screenshot(str(ROOT / "docs" / "report.png"))
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
