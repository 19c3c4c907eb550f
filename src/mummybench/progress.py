"""A progress line on stderr: rewritten in place on a terminal, a line every few seconds otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True, every_s: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every_s = every_s
        self.start = time.monotonic()
        self._last = 0.0
        self.phase, self.done, self.total, self.cached, self.failed = "", 0, 0, 0, 0
        self._t0 = self.start

    def begin(self, phase: str, total: int, cached: int) -> None:
        self.phase, self.total, self.cached, self.done, self.failed = phase, total, cached, cached, 0
        self._t0 = time.monotonic()
        if cached < total:
            self._show(force=self.tty)

    def step(self, failed: bool) -> None:
        self.done += 1
        self.failed += int(failed)
        self._show(force=self.done == self.total)

    def _show(self, force: bool) -> None:
        if not self.enabled or self.total == 0:
            return
        now = time.monotonic()
        if not (force or self.tty or now - self._last >= self.every_s):
            return
        self._last = now
        elapsed = now - self.start
        ran = self.done - self.cached
        eta = ""
        if 0 < ran < self.total - self.cached:
            rate = (now - self._t0) / ran
            eta = f", ~{rate * (self.total - self.done):.0f}s left in phase"
        text = (f"[{self.phase}] {self.done}/{self.total} trials ({self.cached} from store, "
                f"{self.failed} failed) {elapsed:.0f}s elapsed{eta}")
        if self.tty:
            self.stream.write("\r\033[K" + text + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        if self.enabled:
            self.stream.write(text + "\n")
            self.stream.flush()
