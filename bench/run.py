"""`make bench`: harness overhead, bisection cost, rerun-from-store time, pool and Dask speedups,
resuming a 1,000-trial sweep, and language identifiers' throughput.

Everything is measured in one run on this machine and written to results/bench/ as JSON
and Markdown. Numbers are medians of repeats; the machines are noisy, so compare ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import numpy as np  # noqa: E402
from timed import Timed50  # noqa: E402

from cases.synthetic.case import Synthetic  # noqa: E402
from mummybench.execute import InProcessExecutor, PoolExecutor, Task  # noqa: E402
from mummybench.plan import Plan  # noqa: E402
from mummybench.provenance import collect  # noqa: E402
from mummybench.runner import Runner  # noqa: E402
from mummybench.search import search  # noqa: E402
from mummybench.store import Store  # noqa: E402


def run_command(cmd: list[str]) -> float:
    """Wall seconds of one command (from process start to exit); raises if it fails."""
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return time.perf_counter() - start


def median_of(fn, repeats: int) -> float:
    return statistics.median(fn() for _ in range(repeats))


def overhead(n: int, repeats: int) -> dict:
    """Per-trial time through Runner + executor + store against calling trial() directly, 50 ms trials."""
    case = Timed50()
    settings = [{**case.paper, "a": 2.0 + 0.1 * i} for i in range(n)]

    def direct() -> float:
        start = time.perf_counter()
        for s in settings:
            case.trial(None, s, 0)
        return (time.perf_counter() - start) / n

    def harness() -> float:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "t.jsonl") as store:
            plan = Plan("bench", seeds_min=2, seeds_max=2)
            runner = Runner(case, store, plan, InProcessExecutor(case))
            start = time.perf_counter()
            runner.evaluate(settings, "bench")  # 2 seeds per setting
            return (time.perf_counter() - start) / (2 * n)

    d, h = median_of(direct, repeats), median_of(harness, repeats)
    return {"trial_ms_direct": d * 1e3, "trial_ms_harness": h * 1e3, "overhead_pct": 100 * (h - d) / d, "target_pct": 5}


def bisection_cost() -> dict:
    """Settings and trials the search spends on axis `a` against a dense grid of the final bracket width."""
    case = Synthetic()
    plan = case.plan("full")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "t.jsonl") as store:
        runner = Runner(case, store, plan, InProcessExecutor(case))
        result = search(case, Plan(**{**plan.as_dict(), "axes": ("a",), "map_resolution": 0, "random_samples": 0}), runner)
    axis = result.axes[0]
    width = min(abs(s.same - s.flip) for s in axis.sides.values() if s.flip is not None)
    dense_values = [float(v) for v in np.linspace(0.0, 10.0, int(round(10.0 / width)) + 1)]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "t.jsonl") as store:
        dense = Runner(case, store, plan, InProcessExecutor(case))  # same sequential seeding as the search
        dense.evaluate([{**case.paper, "a": v} for v in dense_values], "dense")
    search_trials = sum(len(ev.seeds) for ev in axis.points.values())
    return {"bracket_width": width, "search_settings": len(axis.points), "search_trials": search_trials,
            "dense_settings": len(dense_values), "dense_trials": dense.ran,
            "ratio_settings": len(axis.points) / len(dense_values), "ratio_trials": search_trials / dense.ran,
            "target_ratio": 1 / 3}


def rerun_from_store(results: Path, repeats: int) -> dict:
    """Wall time of `mummybench run topic-modeling --plan full` when every trial is in the store."""
    if not (results / "topic_modeling" / "trials.jsonl").exists():
        return {"skipped": "no full-plan store for topic-modeling yet (run `make case-topic-modeling`)"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "topic_modeling"
        work.mkdir()
        (work / "trials.jsonl").write_bytes((results / "topic_modeling" / "trials.jsonl").read_bytes())
        cmd = [sys.executable, "-m", "mummybench", "run", "topic-modeling", "--plan", "full", "--results", tmp, "--quiet"]

        wall = median_of(lambda: run_command(cmd), repeats)
        ran = json.loads((work / "run.json").read_text())["trials_run"]
    return {"wall_s": wall, "trials_run": ran, "target_s": 2.0}


def pool_speedup(n: int, repeats: int) -> dict:
    """Wall time of n 50 ms trials with a pool of 1 and of 2 workers (worker start included)."""
    case = Timed50()
    tasks = [Task(f"k{i}", {**case.paper, "a": 2.0 + 0.1 * i}, 0) for i in range(n)]

    def with_jobs(jobs: int) -> float:
        pool = PoolExecutor(case, jobs)
        start = time.perf_counter()
        try:
            list(pool.map(tasks))
        finally:
            pool.close()
        return time.perf_counter() - start

    one, two = median_of(lambda: with_jobs(1), repeats), median_of(lambda: with_jobs(2), repeats)
    return {"trials": n, "wall_s_1_job": one, "wall_s_2_jobs": two, "speedup": one / two}


def dask_against_pool(n: int, repeats: int) -> dict:
    """Per-trial cost of a Dask LocalCluster against the process pool (both warm, 50 ms trials), and
    the Dask speedup from 1 to 2 workers."""
    try:
        from mummybench.cluster import DaskExecutor
    except ImportError:
        return {"skipped": "dask[distributed] is not installed"}
    case = Timed50()
    tasks = [Task(f"k{i}", {**case.paper, "a": 2.0 + 0.01 * i}, 0) for i in range(n)]
    warm = [Task(f"w{i}", case.paper, i) for i in range(4)]

    def timed(make) -> float:
        executor = make()
        try:
            list(executor.map(warm))  # workers started and the case prepared
            start = time.perf_counter()
            list(executor.map(tasks))
            return time.perf_counter() - start
        finally:
            executor.close()

    pool2 = median_of(lambda: timed(lambda: PoolExecutor(case, 2)), repeats)
    dask1 = median_of(lambda: timed(lambda: DaskExecutor(case, jobs=1)), repeats)
    dask2 = median_of(lambda: timed(lambda: DaskExecutor(case, jobs=2)), repeats)
    return {"trials": n, "trial_ms": 50.0, "wall_s_pool_2": pool2, "wall_s_dask_1": dask1, "wall_s_dask_2": dask2,
            "dask_overhead_ms_per_trial": 1e3 * (dask2 - pool2) / n * 2, "dask_speedup_1_to_2": dask1 / dask2}


def resume_sweep(repeats: int) -> dict:
    """Wall time of rerunning a synthetic sweep of about 1,000 stored trials: the resume path alone
    (process start, store load, replay, report; every trial found in the store)."""
    plan = {"name": "resume1000", "seeds_min": 3, "seeds_max": 3, "grid_points": 120, "depth": 0, "map_resolution": 12,
            "random_samples": 90, "timeout_s": 60}
    with tempfile.TemporaryDirectory() as tmp:
        plan_file = Path(tmp) / "resume1000.json"
        plan_file.write_text(json.dumps(plan))
        cmd = [sys.executable, "-m", "mummybench", "run", "synthetic", "--plan", str(plan_file), "--results", tmp,
               "--quiet", "--jobs", "0"]
        run_command(cmd)  # the first run fills the store
        stored = (Path(tmp) / "synthetic" / "trials.jsonl").read_text().count("\n")

        wall = median_of(lambda: run_command(cmd), repeats)
        ran = json.loads((Path(tmp) / "synthetic" / "run.json").read_text())["trials_run"]
    return {"stored_trials": stored, "wall_s": wall, "trials_run": ran}


def identifier_throughput(repeats: int) -> dict:
    """Texts per second of each language identifier on Django catalogue text of 20 and 200 characters
    (one thread; models loaded beforehand)."""
    try:
        from cases.language_id import catalogues, noise
        from cases.language_id.identifiers import Identifiers
    except ImportError:
        return {"skipped": "the language-id extra is not installed"}
    strings = catalogues.load()
    identifiers = Identifiers()
    out: dict = {}
    for length in (20, 200):
        rng = np.random.default_rng(0)
        texts = [noise.build(strings[v], length, rng) for v in strings for _ in range(4)]
        for name in ("langid", "langdetect", "cld2", "lingua"):
            ident = identifiers[name]
            ident.predict(texts[0])

            def once(ident=ident, texts=texts) -> float:
                start = time.perf_counter()
                for text in texts:
                    ident.predict(text)
                return time.perf_counter() - start

            out.setdefault(name, {})[f"texts_per_s_{length}"] = len(texts) / median_of(once, repeats)
    out["texts"] = len(texts)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="results/bench")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    out = ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    figures = {
        "overhead": overhead(40, args.repeats),
        "bisection": bisection_cost(),
        "rerun_from_store": rerun_from_store(ROOT / "results", 3),
        "pool": pool_speedup(60, 3),
        "dask": dask_against_pool(60, 3),
        "resume": resume_sweep(3),
        "identifiers": identifier_throughput(3),
    }
    prov = collect(("scikit-learn", "gensim", "dask", "distributed", "langid", "langdetect", "pycld2",
                    "lingua-language-detector"), ROOT)
    data = {"figures": figures, "provenance": {**prov, "command": "make bench", "argv": sys.argv,
                                                 "machine": platform.node(), "cpus": os.cpu_count()}}
    (out / "bench.json").write_text(json.dumps(data, indent=1) + "\n")
    o, b, r, p = figures["overhead"], figures["bisection"], figures["rerun_from_store"], figures["pool"]
    lines = ["# Benchmarks", "", f"Measured in one run by `make bench` on {prov['cpu']} ({prov['cores']} cores), "
             f"git {prov['git_commit']} (dirty: {prov['git_dirty']}). Medians of repeats.", "",
             "| what | measured | target |", "|---|---|---|",
             f"| harness overhead per 50 ms trial (runner + store + in-process executor) | {o['overhead_pct']:.2f}% "
             f"({o['trial_ms_harness']:.2f} ms against {o['trial_ms_direct']:.2f} ms) | < {o['target_pct']}% |",
             f"| bisection against a dense grid of the same bracket width ({b['bracket_width']:.3g}) on axis `a` | "
             f"{b['search_settings']} settings / {b['search_trials']} trials against {b['dense_settings']} / "
             f"{b['dense_trials']} (both with the same sequential seeding): ratio {b['ratio_trials']:.3f} | <= 0.333 |"]
    if "skipped" in r:
        lines.append(f"| rerun of the topic case's full plan from the store | {r['skipped']} | < 2 s |")
    else:
        lines.append(f"| rerun of the topic case's full plan from the store (process start, replay, report and figures) | "
                     f"{r['wall_s']:.2f} s, {r['trials_run']} trials run | < 2 s |")
    lines += [f"| process pool, {p['trials']} trials of 50 ms: 1 job against 2 jobs | {p['wall_s_1_job']:.2f} s against "
              f"{p['wall_s_2_jobs']:.2f} s: speedup {p['speedup']:.2f}× | (2 cores) |"]
    d, rs, ids = figures["dask"], figures["resume"], figures["identifiers"]
    if "skipped" not in d:
        lines += [f"| Dask LocalCluster against the process pool, {d['trials']} warm trials of 50 ms on 2 workers | "
                  f"{d['wall_s_dask_2']:.2f} s against {d['wall_s_pool_2']:.2f} s: "
                  f"{d['dask_overhead_ms_per_trial']:+.1f} ms per trial | (2 cores) |",
                  f"| Dask LocalCluster, 1 worker against 2 | {d['wall_s_dask_1']:.2f} s against {d['wall_s_dask_2']:.2f} s: "
                  f"speedup {d['dask_speedup_1_to_2']:.2f}× | (2 cores) |"]
    lines.append(f"| resume a sweep of {rs['stored_trials']} stored trials (process start, store load, replay, report) | "
                 f"{rs['wall_s']:.2f} s, {rs['trials_run']} trials run | |")
    if "skipped" not in ids:
        for name in ("langid", "langdetect", "cld2", "lingua"):
            lines.append(f"| `{name}` throughput, {ids['texts']} Django texts of 20 / 200 characters, one thread | "
                         f"{ids[name]['texts_per_s_20']:,.0f} / {ids[name]['texts_per_s_200']:,.0f} texts per second | |")
    lines.append("")
    (out / "README.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
