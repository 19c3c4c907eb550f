"""Toy cases for the failure paths: a trial that raises, one that hangs, one that dies."""

from __future__ import annotations

import os
import time

from cases.synthetic.case import Synthetic
from mummybench import Outcome, Plan


class Faulty(Synthetic):
    """a == 1 raises, a == 9 hangs, a == 8 kills its own worker process, a == 2 allocates 4 GiB
    (past the plan's 1 GiB memory cap). The slow failures (hang, death, allocation) happen on seed 0 only,
    so each costs one timeout or one worker restart."""

    name = "faulty"
    plans = {"quick": Plan("quick", seeds_min=2, seeds_max=2, grid_points=11, depth=0, map_resolution=0,
                           random_samples=0, timeout_s=2, axes=("a",), memory_mb=1024)}

    def trial(self, data: object, setting: dict, seed: int) -> Outcome:
        if setting["a"] == 1.0:
            raise RuntimeError("deliberate failure at a=1")
        if setting["a"] == 9.0 and seed == 0:
            time.sleep(60)
        if setting["a"] == 8.0 and seed == 0:
            os._exit(3)
        if setting["a"] == 2.0 and seed == 0:
            import numpy as np

            hog = np.ones(2**29)  # 4 GiB of float64
            return Outcome(metrics={"score": float(hog[-1])})
        return super().trial(data, setting, seed)


class Slow(Synthetic):
    """The synthetic case at 80 ms a trial (about 6 s a sweep on 2 jobs), for kill-and-resume tests."""

    name = "slow"
    cost_ms = 80.0


def sweep_with(executor, tmp_path):
    """Run Faulty's quick plan on `executor` (closed afterwards); return the errors by value of `a` and the axis."""
    from mummybench.runner import Runner
    from mummybench.search import search
    from mummybench.store import Store

    case = Faulty()
    plan = case.plan("quick")
    try:
        with Store(tmp_path / "t.jsonl") as store:
            result = search(case, plan, Runner(case, store, plan, executor))
    finally:
        executor.close()
    axis = result.axes[0]
    errors = {v: ev.failed[0]["error"] for v, ev in axis.points.items() if ev.failed}
    assert "deliberate failure" in errors[1.0]
    assert errors[9.0].startswith("timeout")
    assert "worker died" in errors[8.0]
    assert axis.points[5.0].verdict == "holds" and axis.points[0.0].verdict == "breaks"
    return errors
