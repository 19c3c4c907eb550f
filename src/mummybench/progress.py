"""Progress on stderr with tqdm: a loading line, then one bar per round of trials with its ETA, and a running
total over the whole run. On a terminal the bar redraws in place; elsewhere (CI logs) tqdm prints a line now and
then. Only this module and the CLI write to the terminal."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

# what each phase of the search is doing, for people
PHASES = {
    "reproduce": "reproduce at the anchor setting",
    "sweep": "one axis at a time: the grid",
    "bisect": "refine the brackets by bisection",
    "map": "2-D fragility map",
    "random": "random settings (share of the space)",
    "compare": "each compared category at the anchor",
}


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.start = time.monotonic()
        self.ran = self.cached = self.failed = 0
        self._bar: Any = None

    def loading(self, what: str) -> None:
        """Say what happens before the first trial (workers starting, data and models loading)."""
        self.note(f"{what} ...")

    def begin(self, phase: str, total: int, cached: int) -> None:
        """A round of `total` trials of a phase, `cached` of them already in the store."""
        self.close()
        self.cached += cached
        if not self.enabled or cached >= total:
            return
        from tqdm import tqdm

        head, _, rest = phase.partition(", ")
        label = PHASES.get(head, head) + (f" ({rest})" if rest else "")
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._bar = tqdm(total=total, initial=cached, desc=label, file=self.stream, unit="trial", leave=True,
                         mininterval=1.0 if tty else 10.0, dynamic_ncols=True,
                         bar_format="{desc}: {n}/{total} [{elapsed}<{remaining}] {postfix}")
        self._postfix()

    def step(self, failed: bool) -> None:
        self.ran += 1
        self.failed += int(failed)
        if self._bar is not None:
            self._postfix()
            self._bar.update(1)

    def _postfix(self) -> None:
        elapsed = time.monotonic() - self.start
        self._bar.set_postfix_str(f"run so far: {self.ran} trials run, {self.cached} from the store, "
                                  f"{self.failed} failed, {elapsed:.0f} s", refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def note(self, text: str) -> None:
        if self.enabled:
            self.close()
            self.stream.write(text + "\n")
            self.stream.flush()
