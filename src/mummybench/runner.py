"""Evaluates settings: finds each trial in the store or runs it, then decides a verdict
with sequential seeding (more seeds only while the interval straddles the threshold)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .case import Case
from .execute import Task
from .plan import Plan
from .progress import Progress
from .space import Setting
from .stats import mean_interval
from .store import Store, library_versions, trial_key


class StoreIncomplete(RuntimeError):
    """Replaying a search from the store alone found a trial that was never run."""


def setting_id(setting: Setting) -> str:
    return json.dumps(setting, sort_keys=True, default=str)


@dataclass
class Evaluation:
    """A setting's verdict from the seeds run on it."""

    setting: Setting
    seeds: list[int]
    values: list[float]
    failed: list[dict[str, Any]] = field(default_factory=list)
    mean: float = float("nan")
    low: float = float("nan")
    high: float = float("nan")
    verdict: str = "inconclusive"

    def as_dict(self) -> dict[str, Any]:
        return {"setting": self.setting, "verdict": self.verdict, "mean": self.mean, "ci": [self.low, self.high],
                "n_seeds": len(self.values), "n_failed": len(self.failed), "values": self.values}


class Runner:
    """Bridges the search and the executor; only this object appends to the store."""

    def __init__(self, case: Case, store: Store, plan: Plan, executor: Any | None = None,
                 progress: Progress | None = None, generation: tuple[str, dict[str, str]] | None = None,
                 retry_failed: bool = False) -> None:
        self.case, self.store, self.plan, self.executor = case, store, plan, executor
        self.progress = progress or Progress(enabled=False)
        # (code hash, library versions) the trials are looked up under: the current ones, unless a
        # report is re-rendered from an older generation of the store (a stale report)
        self.code, self.versions = generation or (case.code_hash(), library_versions(case.libraries))
        self._memo: dict[str, Evaluation] = {}
        self.ran = 0
        self.used: dict[str, dict[str, Any]] = {}  # every record this search relied on
        self.compute_s = 0.0
        self.retry_failed = retry_failed  # stored failures count as missing (once per run)
        self._retried: set[str] = set()

    def key(self, setting: Setting, seed: int) -> str:
        return trial_key(self.case.name, self.code, setting, seed, self.versions)

    def _ensure(self, tasks: list[Task], phase: str) -> None:
        missing = [t for t in tasks if t.key not in self.store or self._retry(t.key)]
        if missing and self.executor is None:
            raise StoreIncomplete(f"the store lacks {len(missing)} trial(s) this plan needs "
                                  f"(first: {missing[0].setting}, seed {missing[0].seed})")
        self.progress.begin(phase, len(tasks), len(tasks) - len(missing))
        if not missing:
            return
        for task, result in self.executor.map(missing):
            record = {"key": task.key, "case": self.case.name, "code": self.code, "versions": self.versions,
                      "setting": task.setting, "seed": task.seed, "finished_at": time.time(), **result}
            self.store.append(record)
            self.ran += 1
            self.compute_s += float(result.get("wall_s") or 0.0)
            self.progress.step(failed=bool(result.get("error")))

    def _retry(self, key: str) -> bool:
        record = self.store.get(key)
        if self.retry_failed and self.executor is not None and record and record.get("error") and key not in self._retried:
            self._retried.add(key)
            return True
        return False

    def evaluate(self, settings: Sequence[Setting], phase: str, seeds_min: int | None = None) -> list[Evaluation]:
        """Verdicts for many settings, run as parallel batches, one batch per seeding round.
        `seeds_min` overrides the plan's first round (the reproduction may start with more seeds)."""
        todo: dict[str, Setting] = {}
        for s in settings:
            sid = setting_id(s)
            if sid not in self._memo:
                todo[sid] = s
        seeds = {sid: list(range(seeds_min or self.plan.seeds_min)) for sid in todo}
        while todo:
            tasks = [Task(self.key(todo[sid], seed), todo[sid], seed) for sid in todo for seed in seeds[sid]]
            tasks = list({t.key: t for t in tasks}.values())
            self._ensure(tasks, phase)
            open_: dict[str, Setting] = {}
            for sid, setting in todo.items():
                ev = self._judge(setting, seeds[sid])
                self._memo[sid] = ev
                top = max(self.plan.seeds_max, seeds_min or 0)
                if ev.verdict == "inconclusive" and len(seeds[sid]) < top:
                    n = len(seeds[sid])
                    seeds[sid] = list(range(min(n + self.plan.seeds_step, top)))
                    open_[sid] = setting
            todo = open_
        return [self._memo[setting_id(s)] for s in settings]

    def _judge(self, setting: Setting, seeds: list[int]) -> Evaluation:
        ev = Evaluation(setting=setting, seeds=list(seeds), values=[])
        for seed in seeds:
            record = self.store.get(self.key(setting, seed))
            self.used[record["key"]] = record
            if record.get("error"):
                ev.failed.append({"seed": seed, "error": record["error"], "setting": setting})
                continue
            try:
                ev.values.append(self.case.claim.value(record["metrics"]))
            except (KeyError, TypeError):
                ev.failed.append({"seed": seed, "error": f"metric '{self.case.claim.metric}' missing", "setting": setting})
        ev.mean, ev.low, ev.high = mean_interval(ev.values)
        if len(ev.values) >= 2:
            ev.verdict = self.case.claim.verdict(ev.low, ev.high)
        return ev

    def record(self, setting: Setting, seed: int = 0) -> dict[str, Any] | None:
        return self.store.get(self.key(setting, seed))
