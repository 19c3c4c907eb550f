"""Whatever a case author gets wrong, the harness stays up and says what and where; reports describe what
was found, not what the grid saw."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mummybench import Float

ROOT = Path(__file__).resolve().parents[1]


def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "mummybench", *args], env=env, capture_output=True, text=True, timeout=120)


BROKEN = {
    "raises": "raise RuntimeError('boom at import')\n",
    "bad_axis": ("from mummybench import Axis, Float\nfrom cases.synthetic.case import Synthetic\n\n\n"
                 "class Bad(Synthetic):\n    name = 'bad-axis'\n    axes = (Axis('x', Float(0.0, 1.0), anchor=1.5),)\n"),
    "bad_plan": ("from mummybench import Plan\nfrom cases.synthetic.case import Synthetic\n\n\n"
                 "class Bad(Synthetic):\n    name = 'bad-plan'\n    plans = {'quick': Plan('quick', seeds_min=0)}\n"),
}


@pytest.fixture
def cases_dir(tmp_path):
    """A cases folder with three broken cases beside a working copy of the synthetic case."""
    cases = tmp_path / "mycases"
    for name, source in {**BROKEN, "good": "from cases.synthetic.case import Synthetic\n\n\nclass Good(Synthetic):\n"
                                             "    name = 'good'\n    listed = True\n"}.items():
        (cases / name).mkdir(parents=True)
        (cases / name / "__init__.py").write_text("")
        (cases / name / "case.py").write_text(source)
    (cases / "__init__.py").write_text("")
    env = {**os.environ, "MUMMYBENCH_CASES": str(cases), "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    return env, tmp_path


def test_a_broken_case_is_listed_as_unavailable_and_the_others_work(cases_dir):
    """A case that raises at import, has a paper value outside its domain, or a plan with seeds_min=0 is listed
    with its file and reason; every other case still lists, runs and shows."""
    env, tmp = cases_dir
    out = _cli(env, "list")
    assert out.returncode == 0, out.stderr
    for name, fragment in (("raises", "boom at import"), ("bad-axis", "must be in [0.0, 1.0]; got 1.5"),
                           ("bad-plan", "seeds_min")):
        line = next(ln for ln in out.stdout.splitlines() if ln.startswith(name))
        assert "UNAVAILABLE" in line and fragment in line and "case.py" in line
    assert any(ln.startswith("good ") for ln in out.stdout.splitlines())
    run = _cli(env, "run", "good", "--plan", "quick", "--jobs", "0", "--results", str(tmp / "r"), "--quiet")
    assert run.returncode == 0, run.stderr
    shown = _cli(env, "show", "bad-axis")
    assert shown.returncode == 2 and len(shown.stderr.strip().splitlines()) == 1
    assert "unavailable" in shown.stderr and "case.py" in shown.stderr


def test_a_closed_pipe_is_not_a_traceback():
    """`mummybench show CASE | head -1` prints one line and no BrokenPipeError."""
    out = subprocess.run(f"{sys.executable} -m mummybench show topic-modeling | head -1", shell=True,
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.count("\n") == 1 and "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr


def test_trial_with_a_missing_metric_is_one_line_exit_1(capsys):
    """`trial` of a case whose outcome lacks the claim's metric says so in one line, exit 1, no traceback."""
    from mummybench.cli import cmd_trial

    class Args:
        case, seed, set, timeout, threads, json = "synthetic", 0, [], None, None, False

    from cases.synthetic.case import Synthetic
    from mummybench import Outcome

    original = Synthetic.trial
    Synthetic.trial = lambda self, data, setting, seed: Outcome(metrics={"other": 1.0})
    try:
        assert cmd_trial(Args()) == 1
    finally:
        Synthetic.trial = original
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no metric 'score'" in err


def test_search_values_never_leave_the_domain():
    """Grid, bisection and random values of Float(0.00012345, 0.123456) all lie inside it, and every one of
    them is a value `--set` accepts."""
    from mummybench import Axis

    axis = Axis("x", Float(0.00012345, 0.123456, log=True), anchor=0.001)
    values = axis.grid(7)
    values += [axis.between(values[0], values[1]), axis.between(values[-2], values[-1])]
    rng = np.random.default_rng(0)
    values += [axis.sample(rng) for _ in range(200)]
    for v in values:
        assert 0.00012345 <= v <= 0.123456
        assert axis.parse(repr(v)) == v


def _report_for(tmp_path, case, plan):
    from mummybench.execute import InProcessExecutor
    from mummybench.report import write
    from mummybench.runner import Runner
    from mummybench.search import search
    from mummybench.store import Store

    with Store(tmp_path / "t.jsonl") as store:
        result = search(case, plan, Runner(case, store, plan, InProcessExecutor(case)))
        return write(result, tmp_path / "out", {"plan": plan.as_dict()}), (tmp_path / "out" / "report.md").read_text()


def test_a_dip_is_reported_and_no_break_says_what_it_rests_on(tmp_path):
    """The claim breaks near a=3.5 only (a narrow dip on axis a): the table says the paper's verdict returns,
    and an axis that never breaks says how many values were tried and how far apart."""
    from cases.synthetic.case import Synthetic
    from mummybench import Outcome, Plan

    class Dip(Synthetic):
        name = "dip"

        def trial(self, data, setting, seed):
            score = 0.5 if 3.0 <= setting["a"] <= 4.0 else 1.0
            return Outcome(metrics={"score": score + np.random.default_rng(seed).normal(0, 0.01)})

    plan = Plan("t", seeds_min=3, seeds_max=3, grid_points=11, depth=2, map_resolution=0, random_samples=0,
                axes=("a", "n"))
    data, text = _report_for(tmp_path, Dip(), plan)
    a = next(x for x in data["axes"] if x["name"] == "a")
    assert a["below"]["breaks_at"] == 4.0 and a["below"]["paper_verdict_returns_at"] == [2.0, 1.0, 0.0]
    assert "**a dip**" in text
    assert "no break at the 5 grid value(s) tried" in text  # n above 100: 5 log-spaced grid values
    assert "This plan draws no random settings" in text and "None" not in text.split("## How much")[1].split("##")[0]


def test_depth_zero_is_not_called_refined(tmp_path):
    """With depth 0 a bracket is labelled as grid only, not 'refined to plan depth'."""
    from cases.synthetic.case import Synthetic
    from mummybench import Plan

    plan = Plan("t", seeds_min=3, seeds_max=3, grid_points=6, depth=0, map_resolution=0, random_samples=0, axes=("a",))
    data, text = _report_for(tmp_path, Synthetic(), plan)
    a = data["axes"][0]
    assert a["below_status"].startswith("grid only") and "not bisected" in text
    assert json.dumps(data).count("refined to plan depth") == 0


def test_a_report_rendered_elsewhere_says_so():
    """The provenance compares where the trials ran with where the report is rendered, by CPU and instruction set."""
    from mummybench.provenance import trial_environments, trials_elsewhere

    records = [{"runtime": {"cpu": "AMD EPYC", "isa_mode": "native", "threads": 1}, "finished_at": 1.0},
               {"runtime": {"cpu": "AMD EPYC", "isa_mode": "native", "threads": 1}, "finished_at": 2.0},
               {"threads": 1}]
    envs = trial_environments(records)
    assert {e["trials"] for e in envs} == {1, 2} and any("not recorded" in e["env"] for e in envs)
    assert trials_elsewhere(envs, {"cpu": "Intel Xeon", "isa_mode": "portable"}) == 3
    assert trials_elsewhere(envs, {"cpu": "AMD EPYC", "isa_mode": "native"}) == 1  # the unrecorded one


def test_a_breaking_anchor_is_described_by_its_flips(tmp_path):
    """When the claim breaks at the paper setting, brackets flip to *holds*; the report never says 'no break'
    where nothing holds, and the examples and README name the values where the verdict flips."""
    from cases.synthetic.case import Synthetic
    from mummybench import Claim, Plan
    from mummybench.readme import index_row

    class Never(Synthetic):
        name = "never"
        claim = Claim("never", "test", "score", "<", 0.8)  # breaks near a = 5, holds below 3 and above 7

    plan = Plan("t", seeds_min=3, seeds_max=3, grid_points=5, depth=1, map_resolution=0, random_samples=0,
                axes=("a", "level"))  # level 1 scores as level 2: the claim never holds below the paper value
    data, text = _report_for(tmp_path, Never(), plan)
    a = next(x for x in data["axes"] if x["name"] == "a")
    assert data["reproduction"]["verdict"] == "breaks"
    assert a["below"]["flip_at"] == a["below"]["holds_at"] < 3.0
    assert "never holds at the" in text and "no break at the" not in text
    row = index_row(data, "cases/never", "results/never")
    assert f"a 5.0→{a['below']['flip_at']}" in row and "holds at:" in row


def test_dropped_random_draws_are_reported(tmp_path):
    """A plan that asks for random settings the case rejects says so, instead of claiming it asked for none."""
    from cases.synthetic.case import Synthetic
    from mummybench import Plan, SettingError

    class Picky(Synthetic):
        name = "picky"

        def check(self, setting):
            if setting["a"] != 5.0:
                raise SettingError("only a = 5")

    plan = Plan("t", seeds_min=3, seeds_max=3, grid_points=2, depth=0, map_resolution=0, random_samples=4, axes=("n",))
    data, text = _report_for(tmp_path, Picky(), plan)
    assert data["robust_share"]["requested"] == 4 and data["robust_share"]["dropped"] == 4
    assert "asked for 4 random settings" in text


def test_review_regressions():
    """A NaN rerun is a verdict difference for verify; a bad --cases folder does not linger into the next command;
    compare survives an anchor whose every trial failed; `listed` is a declaration (no rerun)."""
    import math

    from cases.synthetic.case import Synthetic
    from mummybench.case import trial_code
    from mummybench.cli import main, verify_level
    from mummybench.compare import differences
    from mummybench.registry import UNAVAILABLE

    class Loose(Synthetic):
        tolerance = {}

    level, problems = verify_level(Loose(), {"score": 0.95}, {"metrics": {"score": math.nan}, "error": None}, {})
    assert level == "DIFFERS" and "differs" in problems[0]
    assert main(["--cases", "/nonexistent-cases-dir", "list"]) == 0 and UNAVAILABLE
    assert main(["list"]) == 0 and not any("nonexistent" in k for k in UNAVAILABLE)
    summary = {"case": "x", "reproduction": {"verdict": "inconclusive", "mean": None, "n_seeds": 0}, "axes": [],
               "robust_share": {"holds": 0, "samples": 0}}
    other = {**summary, "reproduction": {"verdict": "holds", "mean": 0.9, "n_seeds": 3}}
    assert "n/a" in differences(summary, other)[0]
    source = "class Toy(Synthetic):\n    name = 'toy'\n"
    classes = frozenset({"Toy"})
    assert trial_code(source, classes) == trial_code(source + "    listed = False\n", classes)


def test_dry_run_follows_a_sweep(tmp_path, capsys):
    """--dry-run with --sweep lists the swept values, as the run would evaluate them."""
    from mummybench.cli import main

    assert main(["run", "synthetic", "--dry-run", "--sweep", "a=1,2.5,8", "--plan-set", "depth=0",
                 "--results", str(tmp_path)]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("sweep"))
    assert line.split()[1] == "4"  # 1, 2.5, 8 and the anchor's 5


def test_tls_options_need_dask(tmp_path, capsys):
    from mummybench.cli import main

    assert main(["run", "synthetic", "--jobs", "0", "--tls-key", "k.pem", "--results", str(tmp_path)]) == 2
    assert "need --executor dask" in capsys.readouterr().err


def test_flag_metrics_are_counted_with_the_settings_that_raised_them(tmp_path):
    """A case's flag metric (here: a warning raised only where a > 7) is tallied in summary.json and the report:
    how many trials raised it, of how many, and at which settings; trials below 0 or without it are not counted."""
    from cases.synthetic.case import Synthetic
    from mummybench import Outcome, Plan

    class Warns(Synthetic):
        name = "warns"
        flags = ("warnings",)

        def trial(self, data, setting, seed):
            out = super().trial(data, setting, seed)
            return Outcome(metrics={**out.metrics, "warnings": 2.0 if setting["a"] > 7 else 0.0}, examples=out.examples)

    plan = Plan("t", seeds_min=3, seeds_max=3, grid_points=5, depth=0, map_resolution=0, random_samples=0,
                axes=("a",))
    data, text = _report_for(tmp_path, Warns(), plan)
    flag = data["flags"]["warnings"]
    # the grid a = 0, 2.5, 5 (the anchor), 7.5, 10 with 3 seeds each: 7.5 and 10 warn, twice per trial
    assert flag["trials"] == 6 and flag["of"] == 15
    assert sorted((e["changes"]["a"], e["trials"], e["total"]) for e in flag["settings"]) == [(7.5, 3, 6.0), (10.0, 3, 6.0)]
    assert "## Trials that raised `warnings`" in text and "6 of the 15 successful trials" in text


def test_random_settings_that_could_not_run_are_left_out_of_the_share(tmp_path):
    """A random setting whose every trial failed measured nothing: it is counted as failed, not as breaking, and
    the share (and its Wilson interval) is over the settings that ran."""
    from cases.synthetic.case import Synthetic
    from mummybench import Plan

    class Refuses(Synthetic):
        name = "refuses"

        def trial(self, data, setting, seed):
            if setting["mode"] == "bad":
                raise ValueError("the library refuses this mode")
            return super().trial(data, setting, seed)

    plan = Plan("t", seeds_min=3, seeds_max=3, grid_points=2, depth=0, map_resolution=0, random_samples=12,
                axes=("a",))
    data, text = _report_for(tmp_path, Refuses(), plan)
    rs = data["robust_share"]
    ran = [ev for ev in data["failed"] if ev["setting"]["mode"] == "bad"]
    assert rs["failed"] >= 1 and len(ran) == 3 * rs["failed"]  # every trial of those settings failed
    assert rs["samples"] + rs["failed"] == 12
    assert rs["holds"] + rs["breaks"] + rs["inconclusive"] == rs["samples"]
    assert "could not be measured" in text
