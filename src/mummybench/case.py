"""The case interface: a claim, its axes, data preparation and a pure trial function."""

from __future__ import annotations

import hashlib
import importlib
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .claim import Claim
from .plan import Plan
from .space import Axis, Setting, SettingError, validate

PRESENTATION = "present.py"


@dataclass
class Outcome:
    """What one trial returns: named metrics and a few concrete, JSON-able examples."""

    metrics: dict[str, float]
    examples: dict[str, Any] = field(default_factory=dict)


class Case:
    """Subclass per case. `trial` must be a pure function of (data, setting, seed)."""

    name: ClassVar[str]
    title: ClassVar[str] = ""
    claim: ClassVar[Claim]
    # further claims judged on the same trials (no search of their own): e.g. an absolute accuracy
    # beside the comparative headline
    also: ClassVar[tuple[Claim, ...]] = ()
    axes: ClassVar[tuple[Axis, ...]]
    map_axes: ClassVar[tuple[str, str] | None] = None
    # (categorical axis, axes to sweep again for each of its values): e.g. the breaking text length
    # of every implementation side by side. None: no comparison.
    compare: ClassVar[tuple[str, tuple[str, ...]] | None] = None
    libraries: ClassVar[tuple[str, ...]] = ()  # distributions whose versions key the store
    plans: ClassVar[dict[str, Plan]] = {}
    # metric -> largest absolute difference `mummybench verify` accepts between a rerun and the store;
    # metrics not named must match exactly. A case that declares one says why in its docstring.
    tolerance: ClassVar[dict[str, float]] = {}

    def prepare(self) -> Any:
        """Load or build what every trial shares; called once per process."""
        return None

    def trial(self, data: Any, setting: Setting, seed: int) -> Outcome:
        raise NotImplementedError

    def check(self, setting: Setting) -> None:
        """Reject combinations of values that cannot run together (raise SettingError)."""

    def normalize(self, setting: Setting) -> Setting:
        """A random draw made valid: reset axes that do nothing for the rest of the setting (e.g. a graph's
        M for an inverted-file index) to their paper values. Used by the random sample only."""
        return setting

    def describe(self, examples: Mapping[str, Any]) -> str:
        """Markdown for a trial's examples, for the report and `mummybench trial`."""
        return ""

    def draw(self, examples: Mapping[str, Any], title: str) -> Any:
        """A matplotlib figure of a trial's examples, or None."""
        return None

    # --- helpers the harness uses -------------------------------------------------
    @property
    def paper(self) -> Setting:
        return {a.name: a.paper for a in self.axes}

    def axis(self, name: str) -> Axis:
        for a in self.axes:
            if a.name == name:
                return a
        raise SettingError(f"unknown axis '{name}'; axes are: {', '.join(a.name for a in self.axes)}")

    def setting(self, values: Mapping[str, Any]) -> Setting:
        setting = validate(self.axes, values)
        self.check(setting)
        return setting

    def plan(self, name: str) -> Plan:
        if name not in self.plans:
            raise SettingError(f"unknown plan '{name}'; plans are: {', '.join(self.plans)}")
        return self.plans[name]

    @classmethod
    def ref(cls) -> str:
        """Import path a worker process uses to load this case."""
        return f"{cls.__module__}:{cls.__qualname__}"

    @classmethod
    def code_hash(cls, presentation: bool = False) -> str:
        """Hash of the case folder's Python files: edits re-run its trials. `present.py` (tables
        and drawings of examples, which cannot change a metric) is left out unless asked for."""
        folder = Path(inspect.getfile(cls)).parent
        digest = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*.py") if presentation or p.name != PRESENTATION):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def load_ref(ref: str) -> Case:
    """Instantiate a case from 'module:Class'."""
    module, _, qualname = ref.partition(":")
    cls = getattr(importlib.import_module(module), qualname)
    return cls()
