"""The store survives kills: partial lines are dropped, appends resume cleanly."""

import json
import os
import random
import signal
import subprocess
import sys
import time

from mummybench.store import Store, trial_key


def test_partial_last_line_is_skipped_then_cut(tmp_path):
    """A record cut by a kill is ignored on load and removed before the next append."""
    path = tmp_path / "t.jsonl"
    with Store(path) as store:
        store.append({"key": "a", "metrics": {"m": 1.0}})
    with path.open("ab") as handle:
        handle.write(b'{"key": "b", "metr')
    store = Store(path)
    assert set(store.records) == {"a"} and store.skipped == 1
    store.append({"key": "c", "metrics": {"m": float("nan")}})
    store.close()
    lines = path.read_text().splitlines()
    assert [json.loads(line)["key"] for line in lines] == ["a", "c"]
    assert json.loads(lines[1])["metrics"]["m"] is None


def test_key_changes_with_every_input():
    """The trial key depends on case, code, setting, seed and library versions."""
    base = trial_key("c", "code", {"x": 1}, 0, {"lib": "1"})
    variants = [trial_key("d", "code", {"x": 1}, 0, {"lib": "1"}), trial_key("c", "code2", {"x": 1}, 0, {"lib": "1"}),
                trial_key("c", "code", {"x": 2}, 0, {"lib": "1"}), trial_key("c", "code", {"x": 1}, 1, {"lib": "1"}),
                trial_key("c", "code", {"x": 1}, 0, {"lib": "2"})]
    assert len({base, *variants}) == 6


def _run(results, env):
    return subprocess.Popen([sys.executable, "-m", "mummybench", "run", "slow", "--plan", "quick", "--jobs", "2",
                             "--results", str(results), "--quiet"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_kill_minus_9_then_resume_matches_uninterrupted_run(tmp_path, monkeypatch):
    """SIGKILL a sweep three times at random moments, rerun it: every trial is stored exactly once and the
    summary equals an uninterrupted run's."""
    from pathlib import Path

    cases = tmp_path / "slowcases"  # not "cases": that would shadow the repo's package
    cases.mkdir()
    (cases / "__init__.py").write_text("")
    (cases / "slow").mkdir()
    (cases / "slow" / "__init__.py").write_text("")
    (cases / "slow" / "case.py").write_text("from faulty import Slow as _Slow\n\n\nclass Slow(_Slow):\n    pass\n")
    tests_dir = Path(__file__).parent
    env = {**os.environ, "MUMMYBENCH_CASES": str(cases),
           "PYTHONPATH": os.pathsep.join([str(tests_dir), str(tests_dir.parent)])}
    clean = _run(tmp_path / "clean", env)
    assert clean.wait(timeout=300) == 0, clean.stderr.read()
    killed = tmp_path / "killed"
    rng = random.Random(20261125)  # random moments, reproducibly: 3 kills, each 0.8 to 2.5 s into a run
    for delay in (rng.uniform(0.8, 2.5) for _ in range(3)):
        proc = _run(killed, env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert not (killed / "slow" / "summary.json").exists(), "the kill came after the sweep had finished"
    store_lines = (killed / "slow" / "trials.jsonl").read_text().count("\n")
    assert store_lines > 0
    final = _run(killed, env)
    assert final.wait(timeout=300) == 0, final.stderr.read()
    keys = [json.loads(line)["key"] for line in (killed / "slow" / "trials.jsonl").read_text().splitlines()]
    assert len(keys) == len(set(keys))
    a = json.loads((tmp_path / "clean" / "slow" / "summary.json").read_text())
    b = json.loads((killed / "slow" / "summary.json").read_text())
    for key in ("reproduction", "axes", "map", "compare", "robust_share", "failed"):
        assert a[key] == b[key]
    assert len(keys) == (tmp_path / "clean" / "slow" / "trials.jsonl").read_text().count("\n")
