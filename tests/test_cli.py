"""The command line: what users see, and one clear line with exit 2 for bad input."""

import json
import subprocess
import sys

import pytest

from mummybench.cli import main


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "mummybench", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_list_names_cases_and_claims(capsys):
    """`list` shows every case with its claim."""
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "topic-modeling" in out and "synthetic" in out


def test_show_prints_axes_with_paper_values(capsys):
    """`show` prints the citation and each axis with its paper value and plausible range."""
    assert main(["show", "topic-modeling"]) == 0
    out = capsys.readouterr().out
    assert "Griffiths" in out and "passes" in out and "paper=10" in out


@pytest.mark.parametrize("args, fragment", [
    (["run", "no-such-case"], "unknown case"),
    (["run", "synthetic", "--plan", "huge"], "unknown plan"),
    (["trial", "synthetic", "--set", "ghost=1"], "unknown axis 'ghost'"),
    (["trial", "synthetic", "--set", "a=abc"], "takes a number"),
    (["trial", "synthetic", "--set", "a=11"], "must be in"),
    (["trial", "synthetic", "--set", "a"], "NAME=VALUE"),
    (["trial", "synthetic", "--set", "level=7"], "takes one of"),
    (["trial", "synthetic", "--seed", "x"], "invalid int"),
    (["trial", "topic-modeling", "--set", "implementation=sklearn", "--set", "alpha=auto"], "only in gensim"),
    (["run", "synthetic", "--jobs", "-3"], "--jobs"),
    (["report", "synthetic", "--results", "/nonexistent-dir"], "plan"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_is_one_line_and_exit_2(args, fragment, tmp_path, capsys):
    """Each bad input gives exit code 2, one line on stderr naming the problem, and writes nothing."""
    if args[0] == "run":
        args = [*args, "--results", str(tmp_path)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and fragment in err
    assert list(tmp_path.iterdir()) == []


def test_bad_plan_file_is_rejected_before_the_store(tmp_path, capsys):
    """A plan file with an unknown key or a bad value fails with exit 2 and no store."""
    for body in ({"seeds_min": 1}, {"bogus": 1}, {"axes": ["ghost"]}, {"base": {"a": 99}}, "not json"):
        plan = tmp_path / "plan.json"
        plan.write_text(body if isinstance(body, str) else json.dumps(body))
        assert main(["run", "synthetic", "--plan", str(plan), "--results", str(tmp_path / "r")]) == 2
        assert not (tmp_path / "r").exists()


def test_trial_prints_metrics_and_examples(capsys):
    """`trial` prints each metric and whether this one seed satisfies the claim."""
    assert main(["trial", "synthetic", "--seed", "3", "--set", "a=2"]) == 0
    out = capsys.readouterr().out
    assert "score" in out and "NOT satisfied" in out


def test_run_then_report_from_store(tmp_path):
    """`run` writes the results folder; `report` re-renders it from the store alone, identically."""
    run = cli("run", "synthetic", "--plan", "quick", "--results", str(tmp_path), "--jobs", "0")
    assert run.returncode == 0, run.stderr
    out = tmp_path / "synthetic"
    for name in ("report.md", "summary.json", "trials.jsonl", "run.json", "figures/axis_a.png", "figures/map.png"):
        assert (out / name).exists(), name
    before = json.loads((out / "summary.json").read_text())
    lines_before = (out / "trials.jsonl").read_text().count("\n")
    rep = cli("report", "synthetic", "--results", str(tmp_path))
    assert rep.returncode == 0, rep.stderr
    after = json.loads((out / "summary.json").read_text())
    assert (out / "trials.jsonl").read_text().count("\n") == lines_before
    for key in ("reproduction", "axes", "map", "robust_share"):
        assert before[key] == after[key]


def test_a_bare_run_never_touches_results(tmp_path):
    """`run` without --results writes to runs/<plan>/<case> under the current folder, with a banner saying the
    quick plan is not the committed result; results/ is not created or changed."""
    out = cli("run", "synthetic", "--jobs", "0", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "results").exists()
    report = (tmp_path / "runs" / "quick" / "synthetic" / "report.md").read_text()
    assert "Not the committed result" in report and "plan `quick`" in report
    again = cli("report", "synthetic", cwd=tmp_path)  # finds the newest run by itself
    assert again.returncode == 0, again.stderr


def test_a_second_run_into_the_same_store_is_refused(tmp_path, capsys):
    """While one run holds a store, another is refused with one line and exit 2; afterwards it may run."""
    from mummybench.store import exclusive

    store = tmp_path / "synthetic" / "trials.jsonl"
    with exclusive(store):
        assert main(["run", "synthetic", "--jobs", "0", "--results", str(tmp_path), "--quiet"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "another run is writing" in err
    assert main(["run", "synthetic", "--jobs", "0", "--results", str(tmp_path), "--quiet"]) == 0
