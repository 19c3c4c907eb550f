"""Executors: failures are data, timeouts and dead workers are recorded, results don't depend on the pool."""

from faulty import Faulty, sweep_with

from mummybench.execute import InProcessExecutor, PoolExecutor, Task


def test_pool_and_in_process_give_identical_metrics(synthetic):
    """The same (setting, seed) gives the same metrics in-process and in a 2-process pool."""
    tasks = [Task(f"k{i}-{seed}", {**synthetic.anchor, "a": float(i)}, seed) for i in range(4) for seed in range(2)]
    local = {t.key: r["metrics"] for t, r in InProcessExecutor(synthetic).map(tasks)}
    pool = PoolExecutor(synthetic, jobs=2)
    try:
        remote = {t.key: r["metrics"] for t, r in pool.map(tasks)}
    finally:
        pool.close()
    assert local == remote


def test_raising_hanging_and_dying_trials_are_recorded_and_the_sweep_goes_on(tmp_path):
    """a=1 raises, a=9 hangs past the 2 s timeout, a=8 kills its worker, a=2 exceeds the memory cap:
    all recorded as failed with the reason, the others complete."""
    case = Faulty()
    plan = case.plan("quick")
    errors = sweep_with(PoolExecutor(case, jobs=2, timeout_s=plan.timeout_s, memory_mb=plan.memory_mb), tmp_path)
    assert "MemoryError" in errors[2.0]


def test_in_process_timeout():
    """The in-process executor enforces the timeout with an alarm."""
    case = Faulty()
    (_, result), = InProcessExecutor(case, timeout_s=0.5).map([Task("k", {**case.anchor, "a": 9.0}, 0)])
    assert result["error"].startswith("timeout")
