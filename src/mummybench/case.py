"""The case interface: a claim, its axes, data preparation and a pure trial function."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from .claim import Claim
from .plan import Plan
from .space import Axis, Setting, SettingError, validate

PRESENTATION = "present.py"
NOTEBOOK = "notebook.py"  # the case's teaching notebook (jupytext percent format): never part of its code hash


@dataclass
class Outcome:
    """What one trial returns: named metrics and a few concrete, JSON-able examples. `population`, when given,
    names the items the metrics were computed on (test item ids, language varieties): the contract suite checks
    that no axis changes it except those declared `Axis(population=True)` (like for like)."""

    metrics: dict[str, float]
    examples: dict[str, Any] = field(default_factory=dict)
    population: tuple[str, ...] | None = None


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
    # (axis or axes compared across, axes re-swept at each category); several axes: their categories crossed
    compare: ClassVar[tuple[str | tuple[str, ...], tuple[str, ...]] | None] = None
    libraries: ClassVar[tuple[str, ...]] = ()  # distributions whose versions key the store
    plans: ClassVar[dict[str, Plan]] = {}
    # metric -> largest absolute difference `mummybench verify` accepts between a rerun and the store;
    # metrics not named must match exactly. A case that declares one says why in its docstring.
    tolerance: ClassVar[dict[str, float]] = {}
    # threads every trial runs with (BLAS, OpenMP, torch), whatever the executor or core count: a trial's
    # metrics may depend on it, so it is fixed, recorded, and part of the case's code
    threads: ClassVar[int] = 1
    listed: ClassVar[bool] = True  # False: a toy for tests and teaching, left out of `mummybench list`
    # metrics that mark trouble in a trial when above 0 (a library's warning count, a diverged run): the report
    # and summary.json say how many trials raised each, and at which settings
    flags: ClassVar[tuple[str, ...]] = ()

    def prepare(self) -> Any:
        """Load or build what every trial shares; called once per process."""
        return None

    def trial(self, data: Any, setting: Setting, seed: int) -> Outcome:
        raise NotImplementedError

    def check(self, setting: Setting) -> None:
        """Reject combinations of values that cannot run together (raise SettingError)."""

    def normalize(self, setting: Setting) -> Setting:
        """A random draw made valid: reset axes that do nothing for the rest of the setting (e.g. a graph's
        M for an inverted-file index) to their anchor values. Used by the random sample only."""
        return setting

    def active(self, setting: Setting) -> Setting:
        """The part of a setting that does something, for printing: a case whose axes go idle at some settings
        (the synthetic data's knobs on real data) leaves them out. Changes no trial."""
        return setting

    def describe(self, examples: Mapping[str, Any]) -> str:
        """Markdown for a trial's examples, for the report and `mummybench trial`."""
        return ""

    def draw(self, examples: Mapping[str, Any], title: str) -> Any:
        """A matplotlib figure of a trial's examples, or None."""
        return None

    # --- helpers the harness uses -------------------------------------------------
    @property
    def anchor(self) -> Setting:
        """The anchor setting: every axis at its anchor value (the source's where it states one)."""
        return {a.name: a.anchor for a in self.axes}

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
        """Hash of what can change a metric: the case folder's Python code, read as syntax (`trial_code`),
        so that words (docstrings, comments, the claim and its citation, the axes and their reasons, plans)
        rerun nothing and code reruns the trials. `present.py` (tables and drawings of examples) is left out
        unless asked for; the teaching notebook (`notebook.py`) and `solutions/` always are: they call the case,
        they are not part of it."""
        folder = Path(inspect.getfile(cls)).parent
        # the Case classes of this case's lineage: only their bodies hold declarations
        lineage = frozenset(c.__name__ for c in cls.__mro__ if issubclass(c, Case) and c is not Case)
        digest = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*.py") if (presentation or p.name != PRESENTATION)
                           and p.relative_to(folder).as_posix() != NOTEBOOK
                           and "solutions" not in p.relative_to(folder).parts):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(trial_code(path.read_text(encoding="utf-8"), lineage).encode())
        return digest.hexdigest()[:16]


# Class attributes a Case declares for the harness and the reader. None can change what `trial` returns for a
# given (setting, seed): the setting itself is in the store key. Edit them freely in a Case class; nothing reruns.
# (So `trial` must not read them: a trial that used `self.claim.threshold` would change unseen.)
DECLARATIONS = frozenset({"title", "claim", "also", "axes", "map_axes", "compare", "libraries", "plans", "tolerance",
                          "listed", "flags"})


def _declares(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Assign):
        return all(isinstance(t, ast.Name) and t.id in DECLARATIONS for t in statement.targets)
    return isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
        and statement.target.id in DECLARATIONS


def _canonical(node: Any) -> str:
    """The syntax tree as text, the same on every Python version (ast.unparse and ast.dump are not): node names and
    fields, leaving out load/store contexts, positions, and fields that are empty or absent."""
    if isinstance(node, ast.AST):
        fields = [f"{name}={_canonical(value)}" for name, value in ast.iter_fields(node)
                  if name not in ("ctx", "kind", "type_comment") and value is not None and value != []]
        return f"{type(node).__name__}({','.join(fields)})"
    if isinstance(node, list):
        return "[" + ",".join(_canonical(v) for v in node) + "]"
    return repr(node)


@lru_cache(maxsize=256)
def trial_code(source: str, case_classes: frozenset[str] = frozenset()) -> str:
    """A module's code without what cannot change a metric: comments, formatting, docstrings, and the
    DECLARATIONS in the bodies of the Case classes named in `case_classes` (other classes keep theirs: a
    helper's attribute may well change a metric). Source that does not parse is kept whole."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
        if isinstance(node, ast.ClassDef) and node.name in case_classes:
            body = [s for s in body if not _declares(s)]
        node.body = body or ([ast.Pass()] if not isinstance(node, ast.Module) else [])
    return _canonical(tree)


def load_ref(ref: str) -> Case:
    """Instantiate a case from 'module:Class'."""
    module, _, qualname = ref.partition(":")
    cls = getattr(importlib.import_module(module), qualname)
    return cls()
