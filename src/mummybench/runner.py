"""Evaluates settings: finds each trial in the store or runs it, then decides a verdict
with sequential seeding (more seeds only while the interval straddles the threshold), at the
per-look level that keeps the stated error rate over the plan's looks (see `stats`)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .case import Case
from .claim import Claim
from .execute import Task
from .plan import Plan
from .progress import Progress
from .space import Setting
from .stats import LEVEL, looks, mean_interval, per_look_level
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
    level: float = LEVEL  # nominal level of the interval at this look (the per-look level of the schedule)
    schedule: tuple[int, ...] = ()  # the looks this setting's seeds were drawn under

    @property
    def all_failed(self) -> bool:
        return bool(self.failed) and not self.values

    def as_dict(self) -> dict[str, Any]:
        return {"setting": self.setting, "verdict": self.verdict, "mean": self.mean, "ci": [self.low, self.high],
                "n_seeds": len(self.values), "n_failed": len(self.failed), "values": self.values,
                "per_look_level": self.level}


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
        self._ran_keys: set[str] = set()  # trials this runner ran (the rest it found in the store)
        self.ran = 0
        self.used: dict[str, dict[str, Any]] = {}  # every record this search relied on
        self.compute_s = 0.0
        self.retry_failed = retry_failed  # stored failures count as missing (once per run)
        self.unjudgeable: dict[str, str] = {}  # trial key -> why the headline claim cannot judge it
        self._retried: set[str] = set()

    def key(self, setting: Setting, seed: int) -> str:
        return trial_key(self.case.name, self.code, setting, seed, self.versions)

    def _ensure(self, tasks: list[Task], phase: str) -> None:
        missing = [t for t in tasks if t.key not in self.store or self._retry(t.key)]
        if missing and self.executor is None:
            raise StoreIncomplete(f"the store lacks {len(missing)} trial(s) this plan needs "
                                  f"(first: {missing[0].setting}, seed {missing[0].seed})")
        stored = sum(1 for t in tasks if t.key not in self._ran_keys) - len(missing)  # from an earlier run
        self.progress.begin(phase, len(missing) + stored, stored)
        if not missing:
            return
        for task, result in self.executor.map(missing):
            record = {"key": task.key, "case": self.case.name, "code": self.code, "versions": self.versions,
                      "setting": task.setting, "seed": task.seed, "finished_at": time.time(), **result}
            self.store.append(record)
            self._ran_keys.add(task.key)
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
        first = seeds_min or self.plan.seeds_min
        schedule = self.schedule(seeds_min)
        seeds = {sid: list(range(first)) for sid in todo}
        look = 0
        while todo:
            tasks = [Task(self.key(todo[sid], seed), todo[sid], seed) for sid in todo for seed in seeds[sid]]
            tasks = list({t.key: t for t in tasks}.values())
            self._ensure(tasks, phase if look == 0 else f"{phase}, more seeds where undecided (look {look + 1})")
            look += 1
            open_: dict[str, Setting] = {}
            for sid, setting in todo.items():
                ev = self.judge(self.case.claim, setting, seeds[sid], schedule)
                self._memo[sid] = ev
                n = len(seeds[sid])
                # more seeds only while undecided, and never where every trial failed (more would fail alike)
                if ev.verdict == "inconclusive" and n < schedule[-1] and not ev.all_failed:
                    seeds[sid] = list(range(next(k for k in schedule if k > n)))
                    open_[sid] = setting
            todo = open_
        return [self._memo[setting_id(s)] for s in settings]

    def evaluate_fixed(self, settings: Sequence[Setting], phase: str, seeds: int, first_seed: int = 0) -> list[Evaluation]:
        """Every setting at seeds first_seed..first_seed+seeds-1, no more and no fewer (a global design: each
        point costs the same), judged with a single look at that many seeds. From seed 0, a setting the
        sequential search already judged on at least as many seeds keeps that evaluation; a `first_seed` past
        every other phase's gives trials no earlier phase saw (to measure what a model fitted on them chose)."""
        out: dict[str, Evaluation] = {}
        fresh: dict[str, Setting] = {}
        for s in settings:
            sid = setting_id(s)
            memo = self._memo.get(sid) if first_seed == 0 else None
            if memo is not None and len(memo.seeds) >= seeds:
                out[sid] = memo
            else:
                fresh[sid] = s
        numbers = list(range(first_seed, first_seed + seeds))
        tasks = list({t.key: t for t in (Task(self.key(s, k), s, k) for s in fresh.values()
                                         for k in numbers)}.values())
        self._ensure(tasks, phase)
        for sid, s in fresh.items():
            out[sid] = self.judge(self.case.claim, s, numbers, (seeds,))
        return [out[setting_id(s)] for s in settings]

    def evaluations(self) -> list[Evaluation]:
        """Every setting the sequential search judged, once each."""
        return list(self._memo.values())

    def schedule(self, seeds_min: int | None = None) -> tuple[int, ...]:
        """The looks (seed counts) of a setting's sequence: the plan's, or from `seeds_min` (the reproduction's
        anchor_seeds) to at least the plan's maximum."""
        first = seeds_min or self.plan.seeds_min
        return looks(first, max(self.plan.seeds_max, first), self.plan.seeds_step)

    def judge(self, claim: Claim, setting: Setting, seeds: list[int], schedule: tuple[int, ...] | None = None) -> Evaluation:
        """A claim's verdict at a setting from stored trials of these seeds (the case's own claim, or one of
        its `also` claims judged on the same trials), at the repeated-confidence level of `schedule`, the
        looks these seeds were drawn under (default: the plan's)."""
        schedule = schedule or self.schedule()
        level = per_look_level(schedule)
        ev = Evaluation(setting=setting, seeds=list(seeds), values=[], level=level, schedule=schedule)
        for seed in seeds:
            record = self.store.get(self.key(setting, seed))
            self.used[record["key"]] = record
            if record.get("error"):
                ev.failed.append({"seed": seed, "error": record["error"], "setting": setting})
                continue
            problem = claim.problem(record["metrics"])
            if problem:  # a failed trial for this claim, with its reason: never averaged, never seed noise
                ev.failed.append({"seed": seed, "setting": setting, "error": problem})
                if claim is self.case.claim:
                    self.unjudgeable[record["key"]] = problem
                continue
            ev.values.append(claim.value(record["metrics"]))
        ev.mean, ev.low, ev.high = mean_interval(ev.values, level, claim.bounds, claim.sd_floor)
        ev.verdict = claim.verdict(ev.low, ev.high)
        return ev

    def metric_means(self, ev: Evaluation) -> dict[str, float]:
        """Every metric's mean over a setting's successful trials (the seeds its verdict used): the numbers a
        README may quote beside the claim's own, e.g. a warning count or a rerun's agreement. NaN-free: a metric
        that is missing or not finite in some trial is averaged over the trials that have it."""
        sums: dict[str, list[float]] = {}
        for seed in ev.seeds:
            record = self.store.get(self.key(ev.setting, seed))
            if not record or record.get("error"):
                continue
            for name, value in (record.get("metrics") or {}).items():
                if value is not None and math.isfinite(float(value)):
                    sums.setdefault(name, []).append(float(value))
        return {name: sum(v) / len(v) for name, v in sorted(sums.items())}

    def record(self, setting: Setting, seed: int = 0) -> dict[str, Any] | None:
        return self.store.get(self.key(setting, seed))
