"""The `mummybench` command: list, show, trial, run, report, verify."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__, provenance, registry, report
from .case import Case
from .execute import InProcessExecutor, PoolExecutor, Task
from .plan import Plan, load_plan_file, override
from .progress import Progress
from .registry import UNAVAILABLE, discover, get_case
from .runner import Runner, StoreIncomplete
from .search import resolve_base, search
from .space import SettingError, parse_assignments
from .store import Store, StoreBusy, _clean, exclusive, library_versions

EXIT_USAGE = 2
EXAMPLES = """examples:
  mummybench list
  mummybench show topic-modeling
  mummybench trial topic-modeling --seed 3 --set passes=1 --set doc_length=20
  mummybench run topic-modeling --plan quick --jobs 2          # writes runs/quick/topic_modeling/
  mummybench report topic-modeling
  mummybench verify topic-modeling --sample 5 --results results
bad input exits 2 with one line on stderr; `mummybench COMMAND --help` explains each option."""
RUNS = "runs"  # where `run` writes unless told otherwise: never the committed results/


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other bad input
        raise SettingError(message)


def results_dir(root: Path, case: Case) -> Path:
    return root / case.name.replace("-", "_")


def resolve_plan(case: Case, text: str, overrides: Sequence[str] = ()) -> Plan:
    """A named plan of the case, or a JSON/TOML plan file extending one, with command-line overrides."""
    path = Path(text)
    if text.endswith((".json", ".toml")) or path.is_file():
        if not path.is_file():
            raise SettingError(f"plan file {text} does not exist")
        plan = load_plan_file(path, case.plans)
    else:
        plan = case.plan(text)
    return override(plan, list(overrides), case.plans)


def cmd_list(args: argparse.Namespace) -> int:
    for name, cls in sorted(discover().items()):
        if cls.listed or args.all:
            print(f"{name:22s} {cls.claim.text}" + ("" if cls.listed else " [toy case for tests and teaching]"))
    for folder, why in sorted(UNAVAILABLE.items()):
        print(f"{folder.replace('_', '-'):22s} UNAVAILABLE: {why}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    case = get_case(args.case)
    c = case.claim
    print(f"{case.name}: {case.title}")
    for label, claim in [("Claim", c), *(("Also", a) for a in case.also)]:
        print(f"\n{label}: {claim.text}\nTested as: {claim.label}\nSource: {claim.citation()}")
        if claim.quote:
            print(f'Quote: "{claim.quote}"' + (f" (written by {claim.quote_by})" if claim.quote_by else ""))
        if claim.reported:
            print(f"The source reports: {claim.reported}")
    print("\nAxes (anchor: the source's value with where it says so, or our anchor with why; plausible range; "
          "every value accepted):")
    for a in case.axes:
        print(f"  {a.name:16s} {a.anchor_words()}")
        if a.categorical:  # every category is plausible; a pair of ends would hide the ones between
            print(f"  {'':16s} accepts: {a.describe_domain()}")
        else:
            print(f"  {'':16s} plausible={list(a.plausible)!s}  accepts: {a.describe_domain()}")
        if a.why:
            print(f"  {'':16s} {a.why}")
    print(f"\nPlans: {', '.join(case.plans)}" + (f"; map: {' x '.join(case.map_axes)}" if case.map_axes else ""))
    return 0


def cmd_trial(args: argparse.Namespace) -> int:
    case = get_case(args.case)
    setting = case.setting(parse_assignments(case.axes, args.set))
    if not 0 <= args.seed < 2**32:
        raise SettingError(f"--seed must be an integer in [0, 4294967295]; got {args.seed}")
    if args.timeout is not None and not (math.isfinite(args.timeout) and 0 < args.timeout < 10**6):
        raise SettingError(f"--timeout must be a positive number of seconds; got {args.timeout}")
    if args.threads is not None and not 1 <= args.threads <= 1024:
        raise SettingError(f"--threads must be between 1 and 1024; got {args.threads}")
    executor = InProcessExecutor(case, timeout_s=args.timeout, threads=args.threads)
    (_, result), = executor.map([Task("cli", setting, args.seed)])
    rt = result.get("runtime") or {}
    problem = result["error"] or case.claim.problem(result["metrics"])
    if args.json:
        value = None if problem else case.claim.value(result["metrics"])
        print(json.dumps(_clean({
            "case": case.name, "setting": setting, "seed": args.seed, "threads": executor.threads, "runtime": rt,
            "metrics": result["metrics"], "examples": result["examples"], "error": problem,
            "claim": {"label": case.claim.label, "value": value,
                      "satisfied": None if value is None else case.claim.satisfied(value)},
            "wall_s": result["wall_s"]}), indent=1, default=str))
        return 1 if problem else 0
    print("setting: " + ", ".join(f"{k}={v}" for k, v in case.active(setting).items()) + f"; seed {args.seed}")
    print(f"threads: {executor.threads}" + (" (the case's fixed count, as in `run`)" if args.threads is None else
                                            f" (asked with --threads; `run` uses {case.threads})")
          + (f"; instruction set: {rt.get('isa_mode')} ({_dispatch(rt)})" if rt.get("isa_mode") else ""))
    if problem:
        for key, value in sorted(result["metrics"].items()):
            print(f"{key:>20s} = {value:.4g}")
        print(problem.rstrip() if result["error"] else "trial failed: " + problem, file=sys.stderr)
        return 1
    for key, value in sorted(result["metrics"].items()):
        print(f"{key:>20s} = {value:.4g}")
    value = case.claim.value(result["metrics"])
    print(f"claim {case.claim.label}: {value:.4g} -> {'satisfied' if case.claim.satisfied(value) else 'NOT satisfied'}"
          f" (one seed; `run` decides with several) in {result['wall_s']:.2f} s")
    text = case.describe(result["examples"])
    if text:
        print("\n" + text)
    return 0


def _dispatch(runtime: dict[str, Any]) -> str:
    """The code paths the numeric libraries used, in a few words."""
    parts = [*runtime.get("blas", []), *(f"numpy {t}" for t in runtime.get("numpy_dispatch", [])[-1:])]
    parts += [f"{k.split('_')[0]} {runtime[k]}" for k in ("torch_cpu_capability", "faiss_simd") if runtime.get(k)]
    return ", ".join(parts) or "no numeric library loaded"


def _executor(case: Case, args: argparse.Namespace, plan: Plan) -> Any:
    if args.executor == "dask":
        from .cluster import DaskExecutor

        tls = None
        if args.tls_ca_file or args.tls_cert or args.tls_key:
            if not (args.tls_ca_file and args.tls_cert and args.tls_key):
                raise SettingError("TLS needs all three of --tls-ca-file, --tls-cert and --tls-key")
            tls = {"ca_file": args.tls_ca_file, "cert": args.tls_cert, "key": args.tls_key}
        elif args.address and args.address.startswith("tls://"):
            raise SettingError(f"{args.address} is a TLS address: pass --tls-ca-file, --tls-cert and --tls-key")
        try:
            return DaskExecutor(case, args.address, max(1, args.jobs), plan.timeout_s, plan.memory_mb, tls)
        except ImportError:
            raise SettingError("--executor dask needs dask[distributed]: pip install 'mummybench[dask]'") from None
        except (OSError, ValueError, TypeError, TimeoutError) as err:
            where = f"the Dask scheduler at {args.address}" if args.address else "a local Dask cluster"
            raise SettingError(f"cannot reach {where}: {type(err).__name__}: {err}") from None
    if args.address or args.tls_cert or args.tls_key or args.tls_ca_file:
        raise SettingError("--address and the --tls options need --executor dask")
    if args.jobs == 0:
        return InProcessExecutor(case, timeout_s=plan.timeout_s)
    return PoolExecutor(case, args.jobs, timeout_s=plan.timeout_s, memory_mb=plan.memory_mb)


def _render(case: Case, plan: Plan, store: Store, out: Path, executor: Any, progress: Progress,
            meta: dict[str, Any], generation: tuple[str, dict[str, str]] | None = None,
            retry_failed: bool = False) -> dict[str, Any]:
    runner = Runner(case, store, plan, executor, progress, generation, retry_failed)
    start = time.monotonic()
    try:
        result = search(case, plan, runner)
    finally:
        progress.close()
    prov = {**provenance.collect(case.libraries, Path(__file__).resolve().parents[2]), "plan": plan.as_dict(), **meta}
    # compute behind the figures, summed from the stored trials, so a cached rerun still reports it
    prov["compute_s"] = sum(float(r.get("wall_s") or 0.0) for r in runner.used.values())
    prov["trial_environments"] = provenance.trial_environments(runner.used.values())
    prov.update(provenance.trial_span(runner.used.values()))
    prov["trials_elsewhere"] = provenance.trials_elsewhere(prov["trial_environments"], prov["runtime"])
    prov.update(wall_s=time.monotonic() - start, trials_run=runner.ran, trials_cached=len(runner.used) - runner.ran)
    return report.write(result, out, prov)


def _previous_run(run_file: Path, plan: Plan) -> dict[str, Any] | None:
    """The record of the last run of this plan into this folder (command, wall time, trials run), or None."""
    try:
        previous = json.loads(run_file.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(previous, dict) or previous.get("plan") != plan.as_dict():
        return None
    return {k: previous.get(k) for k in ("command", "wall_s", "trials_run", "trials_cached")}


def cmd_run(args: argparse.Namespace) -> int:
    case = get_case(args.case)
    plan = resolve_plan(case, args.plan, args.plan_set)
    if args.sweep:
        plan = _sweep_plan(case, plan, args.sweep)
    resolve_base(case, plan)  # bad plans fail before the store is touched
    if args.jobs < 0 or args.jobs > 512:
        raise SettingError(f"--jobs must be between 0 (in-process) and 512; got {args.jobs}")
    root = Path(args.results) if args.results else Path(RUNS) / plan.name
    out = results_dir(root, case)
    if args.dry_run:
        return _dry_run(case, plan, out)
    if not args.results and not args.quiet:
        print(f"writing to {out} (the committed results/ are untouched; `--results results` writes there)",
              file=sys.stderr)
    progress = Progress(enabled=not args.quiet)
    executor = _executor(case, args, plan)  # a bad --address fails here, before anything is written
    progress.loading(f"{case.name}, plan {plan.name}: trials already in {out / 'trials.jsonl'} are reused; any new ones "
                     f"run on {'this process' if args.jobs == 0 else f'{max(1, args.jobs)} worker(s)'}, each loading "
                     "the case's data and models before its first trial")
    meta = {"command": "mummybench " + shlex.join(args.argv)}
    run_file = out / "run.json"
    previous = _previous_run(run_file, plan)
    try:
        with exclusive(out / "trials.jsonl"), Store(out / "trials.jsonl") as store:  # one run per store at a time
            data = _render(case, plan, store, out, executor, progress, meta, retry_failed=args.retry_failed)
            kept = previous if data["provenance"].get("trials_run") == 0 else None
            if kept:  # nothing ran: keep the record of the run that made these trials, as `report` does
                data = _render(case, plan, store, out, None, Progress(enabled=False), {**meta, "last_run": kept})
    except KeyboardInterrupt:
        print("\ninterrupted: finished trials are in the store; rerun the same command to resume", file=sys.stderr)
        return 130
    finally:
        executor.close()
    if not kept:
        run_file.with_suffix(".tmp").write_text(json.dumps({"plan": plan.as_dict(), **meta, **{
            k: data["provenance"].get(k) for k in ("wall_s", "trials_run", "trials_cached", "compute_s")}}, indent=1) + "\n")
        run_file.with_suffix(".tmp").replace(run_file)  # atomic: a kill never leaves half a run.json
    rep = data["reproduction"]
    failed = sum(1 for f in data["failed"] if f["setting"] == rep["setting"])
    print(f"{case.name}: reproduction {rep['verdict']} (mean {report._num(rep['mean'])}, n={rep['n_seeds']}"
          + (f", {failed} failed trial(s) at the anchor" if failed else "") + f"; {len(data['failed'])} failed in all); "
          f"robust share {report._num(data['robust_share']['estimate'])}; report: {out / 'report.md'}")
    return 0


def _sweep_plan(case: Case, plan: Plan, text: str) -> Plan:
    """`--sweep passes=1,2,5`: only that axis, at those values (plus the anchor), with the plan's seeding and
    bisection between them; no map, no random sample, no global phases (Hydra's multirun, as one search)."""
    name, sep, raw = text.partition("=")
    if not sep or not raw.strip():
        raise SettingError(f"--sweep takes AXIS=V1,V2,...; got {text!r}")
    axis = case.axis(name.strip())
    values = [axis.parse(v) for v in raw.split(",")]
    return dataclasses.replace(plan, name=f"{plan.name}+sweep-{axis.name}", axes=(axis.name,),
                               values={axis.name: values}, map_resolution=0, random_samples=0, compare=False,
                               morris_trajectories=0, sobol_samples=0, region=False)


def _dry_run(case: Case, plan: Plan, out: Path) -> int:
    """List what the plan would run, phase by phase, and how much of it the store already holds (like pytest's
    --collect-only). Runs nothing and writes nothing."""
    from .runner import Runner
    from .search import planned

    path = out / "trials.jsonl"
    store = Store(path)  # read only: nothing is appended
    runner = Runner(case, store, plan)
    print(f"{case.name}, plan {plan.name}: store {path} ({len(store)} trials)")
    moved = {k: v for k, v in resolve_base(case, plan).items() if v != case.anchor.get(k)}
    print("base setting: " + (", ".join(f"{k}={v}" for k, v in moved.items()) + " (the rest at the anchor)"
                              if moved else "the anchor"))
    print(f"{'phase':10s} {'settings':>8s} {'first look':>12s} {'in store':>9s} {'at most':>8s}")
    low = high = have = 0
    for phase, settings, first, most in planned(case, plan, runner.schedule(), runner.schedule(plan.anchor_seeds)):
        if phase in ("bisect", "morris", "sobol", "refine", "confirm"):
            print(f"{phase:10s} {'?':>8s} {'?':>12s} {'':>9s} {most:>8d}   "
                  f"({'depends on the verdicts' if phase in ('bisect', 'refine', 'confirm') else 'designed at run time'})")
            high += most
            continue
        keys = {runner.key(s, seed) for s in settings for seed in range(first)}
        stored = sum(1 for k in keys if k in store)
        low, have, high = low + len(keys), have + stored, high + len(settings) * most
        print(f"{phase:10s} {len(settings):8d} {len(keys):12d} {stored:9d} {len(settings) * most:8d}")
    print(f"first looks: {low} trials, {have} of them stored; at most {high} trials in all (settings shared between "
          "phases are counted once per phase)")
    return 0


def _latest_run(case: Case) -> Path:
    """The newest runs/<plan>/<case> folder with a run.json: where `report` looks when not told."""
    found = sorted(Path(RUNS).glob(f"*/{case.name.replace('-', '_')}/run.json"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise SettingError(f"no run of {case.name} under {RUNS}/: pass --results DIR (the committed results: "
                           "--results results)")
    return found[-1].parent


def cmd_report(args: argparse.Namespace) -> int:
    case = get_case(args.case)
    out = results_dir(Path(args.results), case) if args.results else _latest_run(case)
    run_file = out / "run.json"
    try:
        meta: dict[str, Any] = json.loads(run_file.read_text()) if run_file.is_file() else {}
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as err:
        raise SettingError(f"cannot read {run_file} ({err}); say which plan with --plan") from None
    if args.plan:
        plan = resolve_plan(case, args.plan)
    elif isinstance(meta.get("plan"), dict):
        try:
            plan = Plan(**meta["plan"])
        except TypeError as err:
            raise SettingError(f"{run_file} holds a plan this version cannot read ({err}); use --plan") from None
    else:
        raise SettingError(f"no run.json in {out}: say which plan with --plan")
    if not (out / "trials.jsonl").is_file():
        raise SettingError(f"no store at {out / 'trials.jsonl'}: run `mummybench run {case.name}` first")
    meta = {"command": "mummybench " + shlex.join(args.argv),
            "last_run": {k: meta.get(k) for k in ("command", "wall_s", "trials_run", "trials_cached")}}
    with Store(out / "trials.jsonl") as store:
        try:
            data = _render(case, plan, store, out, None, Progress(enabled=False), meta)
        except StoreIncomplete as err:
            data = _render_stale(case, plan, store, out, meta)
            if data is None:
                raise SettingError(f"{out / 'trials.jsonl'}: {err}; run `mummybench run {case.name} --plan {plan.name}"
                                   f"{' --results ' + str(args.results) if args.results else ''}` to complete it") from None
    stale = data["provenance"].get("stale")
    print(f"re-rendered {out / 'report.md'} from {len(store)} stored trials; verdict {data['reproduction']['verdict']}"
          + (f"\nSTALE: the trials come from older case code or library versions ({stale['why']}); "
             f"rerun `mummybench run {case.name} --plan {plan.name}`" if stale else ""))
    return 0


def _render_stale(case: Case, plan: Plan, store: Store, out: Path, meta: dict[str, Any]) -> dict[str, Any] | None:
    """Render from the newest older generation of trials that covers the plan, marking the report stale."""
    current = (case.code_hash(), library_versions(case.libraries))
    for code, versions, _, _ in store.generations(case.name):
        if (code, versions) == current:
            continue
        why = []
        if code != current[0]:
            why.append(f"case code {code}, now {current[0]}")
        why += [f"{lib} {versions.get(lib)}, now {v}" for lib, v in current[1].items() if versions.get(lib) != v]
        stale = {"code": code, "versions": versions, "current_code": current[0], "current_versions": current[1],
                 "why": "; ".join(why) or "library set changed"}
        try:
            return _render(case, plan, store, out, None, Progress(enabled=False), {**meta, "stale": stale}, (code, versions))
        except StoreIncomplete:
            continue
    return None


def cmd_verify(args: argparse.Namespace) -> int:
    """Rerun a sample of the stored trials of the current code and compare them with the store at three
    levels: bit-identical; within the case's declared tolerances; the same verdict (each claim's value on
    the same side of its threshold). Exit 1 only when a verdict or a declared-tolerance metric differs."""
    import random

    case = get_case(args.case)
    path = results_dir(Path(args.results), case) / "trials.jsonl"
    if args.sample < 0:
        raise SettingError(f"--sample must be 0 (all) or a positive number of trials; got {args.sample}")
    if not path.is_file():
        raise SettingError(f"no store at {path}: verify reads the committed results unless told otherwise; for a run "
                           f"of your own pass --results runs/<plan> (e.g. runs/quick)")
    code, versions = case.code_hash(), library_versions(case.libraries)
    with Store(path) as store:
        records = [r for r in store.records.values() if r.get("case") == case.name]
    current = sorted((r for r in records if r.get("code") == code and r.get("versions") == versions
                      and not r.get("error")), key=lambda r: r["key"])
    if not current:
        raise SettingError(f"nothing to verify: none of the {len(records)} stored trials of {case.name} ran with the "
                           "current case code and library versions (and succeeded); rerun the plan first")
    chosen = current if args.sample == 0 or args.sample >= len(current) else \
        random.Random(args.seed).sample(current, args.sample)
    timeout = max(p.timeout_s for p in case.plans.values()) if case.plans else None
    counts = {"identical": 0, "within tolerance": 0, "same verdict": 0, "DIFFERS": 0}
    drift: dict[str, float] = {}
    executors: dict[int, InProcessExecutor] = {}  # one per thread count, so the case is prepared once per count
    for record in chosen:
        threads = int(record.get("threads") or case.threads)  # the thread count the trial ran with
        executor = executors.setdefault(threads, InProcessExecutor(case, timeout_s=timeout, threads=threads))
        (_, result), = executor.map([Task(record["key"], record["setting"], record["seed"])])
        level, problems = verify_level(case, record["metrics"], result, drift)
        counts[level] += 1
        changed = {k: v for k, v in record["setting"].items() if case.anchor.get(k) != v}
        label = f"{record['key'][:12]} seed {record['seed']} {changed or 'anchor setting'}"
        print(f"{level:16s} {label}" + (": " + "; ".join(problems) if problems else ""))
    tol = f"declared tolerances {case.tolerance}" if case.tolerance else "no declared tolerances"
    print(f"{case.name}: {len(chosen)} rerun trials: {counts['identical']} bit-identical, {counts['within tolerance']} "
          f"within declared tolerances ({tol}), {counts['same verdict']} with the same verdict only, "
          f"{counts['DIFFERS']} differ")
    if drift:
        print("largest drift of each metric that was not bit-identical: "
              + ", ".join(f"{k} {v:.3g}" for k, v in sorted(drift.items())))
    return 1 if counts["DIFFERS"] else 0


def verify_level(case: Case, stored: dict[str, Any], result: dict[str, Any], drift: dict[str, float]) -> tuple[str, list[str]]:
    """How a rerun compares with its stored record, best level first: 'identical' (every metric bit for bit);
    'within tolerance' (only metrics with a declared tolerance moved, and within it); 'same verdict' (some
    undeclared metric drifted, but every claim's value stays on the same side of its threshold); 'DIFFERS'
    (a verdict flipped, a declared-tolerance metric moved past it, the metric names changed, or the rerun
    failed). Updates `drift` with the largest absolute difference seen per metric."""
    if result.get("error"):
        return "DIFFERS", [f"rerun failed: {result['error'].strip().splitlines()[-1]}"]
    new = {k: (v if v is not None and math.isfinite(v) else None) for k, v in result["metrics"].items()}
    problems = [f"metric {k} only {'stored' if k in stored else 'rerun'}" for k in sorted(set(stored) ^ set(new))]
    identical, within = True, True
    for k in sorted(set(stored) & set(new)):
        a, b = stored[k], new[k]
        if a == b:
            continue
        identical = False
        gap = math.inf if a is None or b is None else abs(a - b)
        drift[k] = max(drift.get(k, 0.0), gap)
        tolerance = case.tolerance.get(k)
        if tolerance is not None and not gap <= tolerance:
            problems.append(f"{k}: stored {a!r}, rerun {b!r} (declared tolerance {tolerance:g})")
        elif tolerance is None:
            within = False
    def verdict(claim: Any, metrics: dict[str, Any]) -> str:
        problem = claim.problem(metrics)
        return f"failed ({problem})" if problem else ("satisfied" if claim.satisfied(claim.value(metrics)) else "not")

    for claim in (case.claim, *case.also):
        before, after = verdict(claim, stored), verdict(claim, new)
        if before != after:
            problems.append(f"verdict of `{claim.label}` differs: stored {before}, rerun {after}")
    if problems:
        return "DIFFERS", problems
    if identical:
        return "identical", []
    return ("within tolerance" if within else "same verdict"), []


def cmd_export(args: argparse.Namespace) -> int:
    """Write every stored trial of a case as one table row (CSV or Parquet)."""
    case = get_case(args.case)
    root = Path(args.results)
    path = results_dir(root, case) / "trials.jsonl"
    if not path.is_file():
        raise SettingError(f"no store at {path}: run `mummybench run {case.name}` first, or pass --results")
    output = Path(args.output or f"{case.name.replace('-', '_')}_trials.{args.format}")
    if output.exists() and not args.force:
        raise SettingError(f"{output} exists: pass --force to overwrite it, or --output another file")
    try:
        from .export import trials_dataframe

        frame = trials_dataframe(case.name, root)
        if args.format == "csv":
            frame.to_csv(output, index=False)
        else:
            frame.to_parquet(output, index=False)
    except ImportError as err:
        raise SettingError(f"export needs pandas (and pyarrow for parquet): pip install 'mummybench[export]' ({err})") \
            from None
    print(f"wrote {len(frame)} trials x {len(frame.columns)} columns to {output}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Print the verdicts and brackets that differ between two runs (folders or summary.json files)."""
    from .compare import differences, load_summary

    try:
        a, b = load_summary(Path(args.a)), load_summary(Path(args.b))
    except (OSError, ValueError) as err:
        raise SettingError(f"cannot read a summary: {err}") from None
    lines = differences(a, b)
    for line in lines:
        print(line)
    print(f"{a.get('case')}: {len(lines)} difference(s) between {args.a} and {args.b}")
    return 1 if lines and args.fail else 0


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a case folder that runs at once, with its README skeleton and its contract test."""
    from .scaffold import scaffold

    root = Path(args.dir).resolve()
    builtin = root == registry.builtin_dir().resolve()
    try:
        written = scaffold(args.name, root, root.parent / "tests" if builtin else None)
    except (ValueError, FileExistsError) as err:
        raise SettingError(str(err)) from None
    for path in written:
        print(f"wrote {path}")
    cases = "" if builtin else f"--cases {root} "
    print(f"next: mummybench {cases}trial {args.name}; mummybench {cases}run {args.name}; python -m pytest {written[-1]}; "
          "then replace the toy with your claim (docs/adding-a-case.md)")
    return 0


def cmd_env(args: argparse.Namespace) -> int:
    """Print `export` lines for the instruction-set pins, for processes started by hand (a `dask worker`)."""
    from .runtime import PORTABLE, isa_mode

    if isa_mode() == "portable":
        for var, value in PORTABLE.items():
            print(f"export {var}={shlex.quote(os.environ.get(var, value))}")
    return 0


def cmd_readme(args: argparse.Namespace) -> int:
    """Rewrite the results blocks of README.md and cases/*/README.md from results/*/summary.json."""
    from .readme import render_blocks

    root = Path(args.root)
    if not (root / "README.md").is_file() or not (root / "results").is_dir():
        raise SettingError(f"{root} is not a mummybench checkout (it needs README.md and results/): pass --root")
    changed, unmarked = render_blocks(root)
    for path in changed:
        print(f"updated {path}")
    for path in unmarked:
        print(f"{path} has no results block (add the markers: see docs/adding-a-case.md)", file=sys.stderr)
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    """Check a student's answer to a lesson exercise against a results folder's summary.json (exit 0 right, 1 not)."""
    from . import answers

    folder = next((d / args.case.replace("-", "_") for d in registry.case_dirs()
                   if (d / args.case.replace("-", "_") / "case.py").is_file()), None)
    if folder is None:
        get_case(args.case)  # raises the usual one-line error: unknown or unavailable case
        raise SettingError(f"case '{args.case}' has no lesson folder")
    path = folder / "solutions" / "answers.toml"
    if not path.is_file():
        raise SettingError(f"case '{args.case}' has no checkable exercises ({path} is missing)")
    exercises = answers.load(path)
    ex = exercises.get(args.exercise)
    if ex is None:
        raise SettingError(f"{path}: no exercise {args.exercise}; the checkable ones are "
                           + ", ".join(map(str, sorted(exercises))))
    results = Path(args.results or Path(__file__).resolve().parents[2] / "results") / folder.name
    if args.answer is None and not args.show:
        print(f"exercise {ex.id}: {ex.question}\nanswer with: mummybench answer {args.case} {ex.id} ANSWER  "
              f"({answers.HOW[ex.kind]})")
        return 0
    key = answers.answer(ex, answers.read_summary(results))
    if args.show:
        print(f"exercise {ex.id}: {key.value} ({key.detail}; from {results / 'summary.json'})")
        return 0
    if key.accepts(args.answer):
        print(f"right: {key.value} ({key.detail}; from {results / 'summary.json'})")
        return 0
    hint = key.hint(args.answer)
    again = f" --results {args.results}" if args.results else ""
    print(f"not this one: '{args.answer}' is not what {results / 'summary.json'} says"
          + (f" ({hint})" if hint else "") + f". Look again, or see the answer with: mummybench answer {args.case} "
          f"{ex.id} --show{again}")
    return 1


def cmd_site(args: argparse.Namespace) -> int:
    """Build the static site from the committed results and the teaching material (MkDocs, Material theme)."""
    from . import site

    root = Path(args.root)
    if not (root / "README.md").is_file() or not (root / "results").is_dir():
        raise SettingError(f"{root} is not a mummybench checkout (it needs README.md and results/): pass --root")
    out = site.build(root, Path(args.out), force=args.force)
    print(f"site built: {out / 'index.html'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mummybench", description="Put published ML claims on trial: find where they break.",
                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mummybench {__version__}")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help="the libraries' log messages and Python warnings shown on stderr (default: WARNING)")
    parser.add_argument("--cases", action="append", default=[], metavar="DIR",
                        help="also find cases in DIR (a folder of case folders), beside the built-in ones; repeatable")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("list", help="cases and their claims")
    p.add_argument("--all", action="store_true", help="also list the toy cases used by the tests")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", help="a case's claim, citation and axes")
    p.add_argument("case")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("trial", help="run one trial and print its metrics and examples")
    p.add_argument("case")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--set", action="append", default=[], metavar="AXIS=VALUE")
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--threads", type=int, default=None,
                   help="threads for BLAS/OpenMP/torch (default: the case's fixed count, the one `run` uses)")
    p.add_argument("--json", action="store_true", help="print one JSON object (metrics, examples, verdict) for scripts")
    p.set_defaults(func=cmd_trial)
    p = sub.add_parser("run", help="run a plan and write the report")
    p.add_argument("case")
    p.add_argument("--plan", default="quick",
                   help="quick (default), full, or a JSON/TOML plan file that extends one (\"extends\": \"full\")")
    p.add_argument("--plan-set", action="append", default=[], metavar="FIELD=VALUE",
                   help="override one plan field, e.g. --plan-set seeds_max=10 --plan-set 'axes=[\"passes\"]'")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes; 0 runs in-process")
    p.add_argument("--results", default=None,
                   help="root folder of the store and report (default: runs/<plan>; the committed results: results)")
    p.add_argument("--sweep", default=None, metavar="AXIS=V1,V2,...",
                   help="judge the claim at these values of one axis (and bisect between them), nothing else")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--dry-run", action="store_true",
                   help="list the trials each phase would run and how many the store holds; run nothing")
    p.add_argument("--retry-failed", action="store_true",
                   help="run again the stored trials that failed (timeouts, dead workers), instead of reusing them")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local: a process pool (or in-process with --jobs 0); dask: a Dask cluster")
    p.add_argument("--address", default=None,
                   help="Dask scheduler, e.g. tls://10.0.0.5:8786 (default: start a LocalCluster on 127.0.0.1); "
                        "a scheduler runs any code that reaches its port: see docs/cluster.md")
    p.add_argument("--tls-ca-file", default=None, help="PEM file of the CA that signed the cluster's certificates")
    p.add_argument("--tls-cert", default=None, help="PEM certificate of this client (and of a LocalCluster)")
    p.add_argument("--tls-key", default=None, help="PEM private key for --tls-cert")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("report", help="re-render the report from the store without running trials")
    p.add_argument("case")
    p.add_argument("--plan", default=None)
    p.add_argument("--results", default=None, help="root folder (default: the newest runs/<plan> with this case)")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("verify", help="rerun stored trials and compare their metrics with the store")
    p.add_argument("case")
    p.add_argument("--sample", type=int, default=5, help="how many stored trials to rerun (0: all)")
    p.add_argument("--seed", type=int, default=0, help="which sample")
    p.add_argument("--results", default="results")
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser("compare", help="the verdicts and brackets that differ between two runs")
    p.add_argument("a", help="a run folder (holding summary.json), or a summary.json")
    p.add_argument("b", help="the other run")
    p.add_argument("--fail", action="store_true", help="exit 1 when anything differs (for CI)")
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("export", help="every stored trial as one table row: CSV or Parquet")
    p.add_argument("case")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv")
    p.add_argument("--results", default="results", help="root folder of the store (default: the committed results)")
    p.add_argument("--output", default=None, help="file to write (default: <case>_trials.<format> here)")
    p.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("env", help="export lines for the AVX2 code-path pins: eval \"$(mummybench env)\" on a dask worker")
    p.set_defaults(func=cmd_env)
    p = sub.add_parser("new", help="scaffold a new case: a runnable toy, its README skeleton and its contract test")
    p.add_argument("name", help="lower-case words joined by hyphens, e.g. my-case")
    p.add_argument("--dir", default="cases", help="the folder of case folders to write into (default: ./cases)")
    p.set_defaults(func=cmd_new)
    p = sub.add_parser("answer", help="check your answer to a lesson's exercise against the results")
    p.add_argument("case")
    p.add_argument("exercise", type=int, help="the exercise's number in the case's lesson.md")
    p.add_argument("answer", nargs="?", default=None,
                   help="your answer: a number, a verdict, or names separated by commas (none: print the question)")
    p.add_argument("--show", action="store_true", help="print the answer instead of checking one (for teachers)")
    p.add_argument("--results", default=None,
                   help="root folder of the results to check against (default: the repository's committed results/)")
    p.set_defaults(func=cmd_answer)
    p = sub.add_parser("site", help="build the static site (index, one section per case) from the committed results")
    p.add_argument("--out", default="site",
                   help="folder to write (default: site/); a folder a previous `site` built is replaced entirely, "
                        "any other is refused")
    p.add_argument("--force", action="store_true", help="replace --out even if it is not a site built here")
    p.add_argument("--root", default=str(Path(__file__).resolve().parents[2]), help="the repository root")
    p.set_defaults(func=cmd_site)
    p = sub.add_parser("readme", help="regenerate the README results blocks from results/*/summary.json")
    p.add_argument("--root", default=str(Path(__file__).resolve().parents[2]), help="the repository root")
    p.set_defaults(func=cmd_readme)
    return parser


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a run like Ctrl-C: workers closed, finished trials kept


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and threading.current_thread() is threading.main_thread():  # the console command
        signal.signal(signal.SIGTERM, _terminate)
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        args.argv = argv
        registry.EXTRA_DIRS[:] = [Path(d) for d in args.cases]
        _logging(args.log_level)
        return args.func(args)
    except (SettingError, StoreBusy) as err:
        print(f"mummybench: error: {printable(str(err))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `mummybench show CASE | head`: the reader left, which is not an error
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        except (OSError, ValueError):
            pass
        return 0
    except KeyboardInterrupt:  # a second Ctrl-C or SIGTERM while a run was already stopping
        print("\ninterrupted: finished trials are in the store; rerun the same command to resume", file=sys.stderr)
        return 130


def _logging(level: str) -> None:
    """Route library logging and Python warnings through the standard `logging` module at one level, and quiet the
    Hugging Face hub's download bars unless asked for DEBUG."""
    import logging

    logging.basicConfig(level=getattr(logging, level), format="%(levelname)s %(name)s: %(message)s", force=True)
    logging.captureWarnings(True)
    if level != "DEBUG":
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", level.lower())


def printable(text: str) -> str:
    """One line whatever the input held: control and separator characters are shown escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
