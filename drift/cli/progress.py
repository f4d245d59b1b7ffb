"""Progress on stderr for steps that report none of their own, such as loading the model.

A bar that sits at 0% while the model loads reads as a hang; a phase label with the
seconds so far does not. Shown only when the caller says stderr is a terminal.
"""
from __future__ import annotations

import sys
import threading
from typing import Any


class Phase:
    """``with Phase("loading model", enabled):`` shows ``loading model: 00:03`` on stderr until the block ends."""

    #: Seconds between redraws of the elapsed time.
    TICK = 0.25

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self._bar: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Phase:
        if self.enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=None, desc=self.label, bar_format="{desc}: {elapsed}", file=sys.stderr,
                             leave=False)
            self._bar.refresh()
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(self.TICK):
            self._bar.refresh()

    def __exit__(self, *exc: object) -> None:
        if self._bar is None:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._bar.close()
