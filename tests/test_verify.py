"""`verify` reruns stored trials and catches a changed metric; `report` marks trials from older code as stale."""

import json
import os
import subprocess
import sys
from pathlib import Path

from mummybench.cli import main

TESTS = Path(__file__).parent


def test_verify_passes_on_an_honest_store_and_fails_on_a_tampered_one(tmp_path, capsys):
    assert main(["run", "synthetic", "--plan", "quick", "--jobs", "0", "--results", str(tmp_path), "--quiet"]) == 0
    assert main(["verify", "synthetic", "--sample", "4", "--results", str(tmp_path)]) == 0
    assert "4 rerun trials: 4 bit-identical" in capsys.readouterr().out
    store = tmp_path / "synthetic" / "trials.jsonl"
    records = [json.loads(line) for line in store.read_text().splitlines()]
    records[3]["metrics"]["score"] += 1e-9  # a silent, tiny corruption
    store.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert main(["verify", "synthetic", "--sample", "0", "--results", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("DIFFERS") == 1 and records[3]["key"][:12] in out


def test_verify_levels_drift_of_undeclared_metrics_is_not_a_failure(tmp_path, capsys):
    """A metric without a declared tolerance that drifts while the verdict stays is reported as drift (exit 0);
    a drift that moves the claim's value across the threshold is a failure (exit 1)."""
    from cases.synthetic.case import Synthetic

    class Loose(Synthetic):
        tolerance = {}  # nothing declared: only verdicts can fail

    from mummybench.cli import verify_level

    case = Loose()
    drift = {}
    stored = {"score": 0.95}
    level, problems = verify_level(case, stored, {"metrics": {"score": 0.95 + 1e-12}, "error": None}, drift)
    assert (level, problems) == ("same verdict", []) and drift["score"] > 0
    level, problems = verify_level(case, stored, {"metrics": {"score": 0.5}, "error": None}, drift)
    assert level == "DIFFERS" and "differs" in problems[0]
    assert verify_level(case, stored, {"metrics": {"score": 0.95}, "error": None}, {}) == ("identical", [])
    exact = Synthetic()  # declares score exact
    level, problems = verify_level(exact, stored, {"metrics": {"score": 0.95 + 1e-12}, "error": None}, {})
    assert level == "DIFFERS" and "declared tolerance" in problems[0]


def test_verify_bad_input_is_exit_2(tmp_path, capsys):
    assert main(["verify", "synthetic", "--results", str(tmp_path)]) == 2
    assert "no store" in capsys.readouterr().err
    (tmp_path / "synthetic").mkdir()
    (tmp_path / "synthetic" / "trials.jsonl").write_text("")
    assert main(["verify", "synthetic", "--sample", "-1", "--results", str(tmp_path)]) == 2
    assert "--sample must be" in capsys.readouterr().err
    assert main(["verify", "synthetic", "--results", str(tmp_path)]) == 2
    assert "nothing to verify" in capsys.readouterr().err


def test_retry_failed_reruns_only_the_stored_failures(tmp_path):
    """Failed trials are reused by default; with retry_failed they run again, once, and nothing else does."""
    from faulty import Faulty

    from mummybench.execute import InProcessExecutor
    from mummybench.runner import Runner
    from mummybench.store import Store

    case = Faulty()
    plan = case.plan("quick").__class__(**{**case.plan("quick").as_dict(), "axes": ("a",), "timeout_s": 1,
                                            "memory_mb": None})
    settings_a = [{**case.anchor, "a": 1.0}, {**case.anchor, "a": 5.0}]
    with Store(tmp_path / "t.jsonl") as store:
        first = Runner(case, store, plan, InProcessExecutor(case, timeout_s=1))
        first.evaluate(settings_a, "x")
        failed = sum(1 for r in store.records.values() if r.get("error"))
        again = Runner(case, store, plan, InProcessExecutor(case, timeout_s=1))
        again.evaluate(settings_a, "x")
        retry = Runner(case, store, plan, InProcessExecutor(case, timeout_s=1), retry_failed=True)
        retry.evaluate(settings_a, "x")
    assert failed == 2 and again.ran == 0 and retry.ran == failed


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "mummybench", *args], env=env, capture_output=True, text=True, timeout=300)


def test_changed_code_reruns_the_trials_and_old_reports_are_marked_stale(tmp_path):
    """Editing the case invalidates its trials: `report` renders the old ones marked STALE, `run` reruns
    every one of them, and the new report is not stale."""
    cases = tmp_path / "mycases"
    (cases / "toy").mkdir(parents=True)
    (cases / "__init__.py").write_text("")
    (cases / "toy" / "__init__.py").write_text("")
    source = cases / "toy" / "case.py"
    source.write_text("from cases.synthetic.case import Synthetic\n\n\nclass Toy(Synthetic):\n    name = 'toy'\n")
    env = {**os.environ, "MUMMYBENCH_CASES": str(cases),
           "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS.parent / "src")])}
    results = str(tmp_path / "results")
    first = _cli(env, "run", "toy", "--plan", "quick", "--jobs", "0", "--results", results, "--quiet")
    assert first.returncode == 0, first.stderr
    store = tmp_path / "results" / "toy" / "trials.jsonl"
    n = store.read_text().count("\n")
    source.write_text(source.read_text() + "    # a comment and a reworded title rerun nothing\n    title = 'x'\n")
    assert "STALE" not in _cli(env, "report", "toy", "--results", results).stdout
    source.write_text(source.read_text() + "    cost_ms = 0.0  # code (with no effect on the numbers): reruns every trial\n")
    stale = _cli(env, "report", "toy", "--results", results)
    assert stale.returncode == 0, stale.stderr
    assert "STALE" in stale.stdout
    assert "STALE REPORT" in (tmp_path / "results" / "toy" / "report.md").read_text()
    assert json.loads((tmp_path / "results" / "toy" / "summary.json").read_text())["provenance"]["stale"]
    rerun = _cli(env, "run", "toy", "--plan", "quick", "--jobs", "0", "--results", results, "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads((tmp_path / "results" / "toy" / "run.json").read_text())["trials_run"] == n
    assert "STALE" not in (tmp_path / "results" / "toy" / "report.md").read_text()
