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
    assert "topic-modeling" in out and "synthetic" not in out  # the tests' toy is hidden
    assert main(["list", "--all"]) == 0
    assert "synthetic" in capsys.readouterr().out


def test_show_lists_every_accepted_value(capsys):
    """`show` names every choice of a choice axis and the bounds of every numeric domain."""
    assert main(["show", "topic-modeling"]) == 0
    out = capsys.readouterr().out
    assert "symmetric, asymmetric, auto, 0.01, 0.1, 1.0, 10.0" in out and "integer in [2, 2000]" in out


def test_version_and_help(capsys):
    """--version prints the version; --help ends with examples."""
    import pytest as _pytest

    for flag, fragment in (("--version", "mummybench 0."), ("--help", "examples:")):
        with _pytest.raises(SystemExit) as stop:
            main([flag])
        assert stop.value.code == 0 and fragment in capsys.readouterr().out


def test_trial_json_is_machine_readable(capsys):
    """`trial --json` prints one JSON object with the setting, metrics, claim verdict, examples and runtime."""
    assert main(["trial", "synthetic", "--seed", "1", "--set", "a=2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["setting"]["a"] == 2.0 and "score" in data["metrics"] and data["claim"]["satisfied"] is False
    assert data["threads"] == 1 and "isa_mode" in data["runtime"] and "examples" in data


def test_show_prints_axes_with_paper_values(capsys):
    """`show` prints the citation with its locator, and each axis's anchor apart by whose it is: the paper's with
    where the paper states it, ours with why."""
    assert main(["show", "topic-modeling"]) == 0
    out = capsys.readouterr().out
    assert "Griffiths" in out and "Fig. 1" in out and "written by" in out
    assert "source: 100 (Fig. 1 caption" in out and "our anchor: 10 (variational fits only" in out


@pytest.mark.parametrize("args, fragment", [
    (["run", "no-such-case"], "unknown case"),
    (["run", "synthetic", "--plan", "huge"], "unknown plan"),
    (["trial", "synthetic", "--set", "ghost=1"], "unknown axis 'ghost'"),
    (["trial", "synthetic", "--set", "a=abc"], "takes a number"),
    (["trial", "synthetic", "--set", "a=11"], "must be in"),
    (["trial", "synthetic", "--set", "a"], "NAME=VALUE"),
    (["trial", "synthetic", "--set", "level=7"], "takes one of"),
    (["trial", "synthetic", "--seed", "x"], "invalid int"),
    (["trial", "topic-modeling", "--set", "implementation=sklearn_online", "--set", "alpha=auto"], "only in gensim"),
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
    pngs = list((out / "figures").glob("*.png"))
    assert pngs and all(p.with_suffix(".svg").is_file() for p in pngs)  # every figure also as SVG, for slides
    before = json.loads((out / "summary.json").read_text())
    lines_before = (out / "trials.jsonl").read_text().count("\n")
    rep = cli("report", "synthetic", "--results", str(tmp_path))
    assert rep.returncode == 0, rep.stderr
    after = json.loads((out / "summary.json").read_text())
    assert (out / "trials.jsonl").read_text().count("\n") == lines_before
    for key in ("reproduction", "axes", "map", "robust_share"):
        assert before[key] == after[key]


def test_a_rerun_with_nothing_to_do_keeps_the_record_of_the_run_that_made_the_trials(tmp_path):
    """A second `run` that finds every trial in the store runs none, keeps run.json as the first run wrote it,
    and its report still names that run (as `report` does): re-rendering never erases where the trials came from."""
    assert cli("run", "synthetic", "--plan", "quick", "--results", str(tmp_path), "--jobs", "0").returncode == 0
    out = tmp_path / "synthetic"
    first = json.loads((out / "run.json").read_text())
    assert first["trials_run"] > 0
    again = cli("run", "synthetic", "--plan", "quick", "--results", str(tmp_path), "--jobs", "0")
    assert again.returncode == 0, again.stderr
    assert json.loads((out / "run.json").read_text()) == first
    summary = json.loads((out / "summary.json").read_text())
    assert summary["provenance"]["trials_run"] == 0 and summary["provenance"]["last_run"]["trials_run"] == first["trials_run"]
    assert f"{first['trials_run']} trials run" in (out / "report.md").read_text()


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


def test_plan_files_extend_a_named_plan_and_accept_toml_and_overrides(tmp_path):
    """A plan file starts from the case's quick plan unless it extends another; TOML works like JSON; --plan-set
    overrides single fields; a bad extends or override is exit 2."""
    from cases.synthetic.case import Synthetic
    from mummybench.cli import resolve_plan

    case = Synthetic()
    short = tmp_path / "short.json"
    short.write_text(json.dumps({"axes": ["a"], "seeds_min": 4}))
    plan = resolve_plan(case, str(short))
    quick = case.plan("quick")
    assert plan.seeds_min == 4 and plan.axes == ("a",) and plan.random_samples == quick.random_samples
    toml = tmp_path / "wide.toml"
    toml.write_text('extends = "full"\naxes = ["n"]\n[base]\na = 4.0\n')
    plan = resolve_plan(case, str(toml), ["seeds_max=12", 'map_axes=["a", "level"]'])
    full = case.plan("full")
    assert (plan.grid_points, plan.seeds_max, plan.base, plan.map_axes) == (full.grid_points, 12, {"a": 4.0}, ("a", "level"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"extends": "huge"}))
    for args in (["--plan", str(bad)], ["--plan-set", "seeds_max"], ["--plan-set", "colour=red"]):
        assert main(["run", "synthetic", *args, "--results", str(tmp_path / "r")]) == 2
    assert not (tmp_path / "r").exists()


def test_export_writes_one_row_per_trial(tmp_path):
    """`export` writes every stored trial as a CSV or Parquet row with setting, seed, metric and provenance columns;
    `trials_dataframe` gives the same table in one call; an existing file is not overwritten without --force."""
    pd = pytest.importorskip("pandas")
    from mummybench import trials_dataframe

    assert main(["run", "synthetic", "--jobs", "0", "--results", str(tmp_path), "--quiet"]) == 0
    frame = trials_dataframe("synthetic", tmp_path)
    stored = (tmp_path / "synthetic" / "trials.jsonl").read_text().count("\n")
    assert len(frame) == stored
    assert {"setting_a", "seed", "metric_score", "error", "threads", "isa_mode", "version_numpy"} <= set(frame.columns)
    out = tmp_path / "t.csv"
    assert main(["export", "synthetic", "--results", str(tmp_path), "--output", str(out)]) == 0
    assert len(pd.read_csv(out)) == stored
    assert main(["export", "synthetic", "--results", str(tmp_path), "--output", str(out)]) == 2
    pytest.importorskip("pyarrow")
    parquet = tmp_path / "t.parquet"
    assert main(["export", "synthetic", "--format", "parquet", "--results", str(tmp_path), "--output", str(parquet)]) == 0
    assert pd.read_parquet(parquet)["metric_score"].tolist() == frame["metric_score"].tolist()


def test_compare_lists_what_differs_between_two_runs(tmp_path, capsys):
    """Two runs of different budgets: `compare` prints one line per differing verdict or bracket; identical runs
    print none; --fail makes a difference exit 1."""
    for name, extra in (("a", []), ("b", ["--plan-set", "depth=1"])):
        assert main(["run", "synthetic", "--jobs", "0", "--quiet", "--results", str(tmp_path / name), *extra]) == 0
    a, b = (str(tmp_path / n / "synthetic") for n in "ab")
    capsys.readouterr()
    assert main(["compare", a, a]) == 0 and "0 difference(s)" in capsys.readouterr().out
    assert main(["compare", a, b, "--fail"]) == 1
    out = capsys.readouterr().out
    assert "a below:" in out and "difference(s)" in out


def test_dry_run_lists_phases_and_runs_nothing(tmp_path):
    """--dry-run prints each phase's settings and first-look trials, counts what the store holds, writes nothing."""
    out = cli("run", "synthetic", "--dry-run", "--results", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "sweep" in out.stdout and "bisect" in out.stdout and "0 of them stored" in out.stdout
    assert not (tmp_path / "synthetic").exists()


def test_progress_names_each_phase(tmp_path):
    """The progress display says what each phase does and keeps a running total."""
    out = cli("run", "synthetic", "--jobs", "0", "--results", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "one axis at a time: the grid" in out.stderr and "refine the brackets by bisection" in out.stderr
    assert "trials run" in out.stderr and "loading the case's data" in out.stderr


def test_sweep_judges_one_axis_at_listed_values(tmp_path, capsys):
    """`run --sweep a=1,2.5,8` judges the claim at those values of `a` (and the anchor) only; bad values are exit 2."""
    assert main(["run", "synthetic", "--jobs", "0", "--quiet", "--results", str(tmp_path), "--sweep", "a=1,2.5,8",
                 "--plan-set", "depth=0"]) == 0
    summary = json.loads((tmp_path / "synthetic" / "summary.json").read_text())
    assert [a["name"] for a in summary["axes"]] == ["a"]
    assert [p["value"] for p in summary["axes"][0]["points"]] == [1.0, 2.5, 5.0, 8.0]
    assert summary["map"] is None and summary["robust_share"]["samples"] == 0
    capsys.readouterr()
    # a sweep is that axis alone: a plan's global phases (Morris, Sobol', the holding region) do not run either
    assert main(["run", "synthetic", "--results", str(tmp_path / "g"), "--sweep", "a=1,8", "--dry-run",
                 "--plan-set", "morris_trajectories=4", "--plan-set", "region=true"]) == 0
    assert "morris" not in capsys.readouterr().out.lower()
    assert main(["run", "synthetic", "--results", str(tmp_path / "x"), "--sweep", "a=1,99"]) == 2
    assert "must be in" in capsys.readouterr().err


def test_env_prints_the_pins_for_a_hand_started_worker(capsys, monkeypatch):
    """`mummybench env` prints export lines a `dask worker` can eval, or nothing in native mode."""
    from mummybench import runtime

    monkeypatch.setattr(runtime, "isa_mode", lambda: "portable")
    assert main(["env"]) == 0
    assert "export ATEN_CPU_CAPABILITY=" in capsys.readouterr().out
    monkeypatch.setattr(runtime, "isa_mode", lambda: "native")
    assert main(["env"]) == 0 and capsys.readouterr().out == ""
