"""Executors: run trials in-process or in a pool of worker processes.

Workers load the case from its import path, pin their BLAS/OpenMP/torch threads so that
parallel trials don't oversubscribe the cores, and send results back; only the parent
writes the store. A trial that raises is returned with its traceback; a trial that runs
past its timeout, or whose worker dies, is returned as failed and the worker replaced.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from .case import Case, load_ref
from .runtime import fingerprint

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "MUMMYBENCH_THREADS")


@dataclass(frozen=True)
class Task:
    key: str
    setting: dict[str, Any]
    seed: int


def failure(error: str, wall_s: float = 0.0) -> dict[str, Any]:
    return {"metrics": {}, "examples": {}, "error": error, "wall_s": wall_s, "peak_rss_mb": None}


def pin_threads(threads: int) -> None:
    """Limit every thread pool this process may use to `threads`."""
    for var in THREAD_VARS:
        os.environ[var] = str(threads)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads)
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def run_trial(case: Case, data: Any, task: Task) -> dict[str, Any]:
    """Call the case's trial and package its outcome, or its traceback, as a result. Whether the metrics can
    be judged (a claim's metric missing, NaN or infinite) is decided per claim when judging (`Claim.problem`),
    so the stored record does not depend on the claims, which do not key the store."""
    start = time.perf_counter()
    try:
        outcome = case.trial(data, dict(task.setting), task.seed)
        metrics = {str(k): float(v) for k, v in outcome.metrics.items()}
        result = {"metrics": metrics, "examples": outcome.examples, "error": None}
    except Exception:  # noqa: BLE001 - any failure of the trial is data, not a crash
        result = failure(traceback.format_exc(limit=8))
    result["wall_s"] = time.perf_counter() - start
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runtime = fingerprint()
    result["threads"] = runtime["threads"]  # what `verify` reruns with
    result["runtime"] = runtime
    return result


class _Alarm(BaseException):  # not an Exception, so run_trial does not swallow it
    pass


class InProcessExecutor:
    """Runs trials one after another in this process (the `trial` command, tests)."""

    def __init__(self, case: Case, timeout_s: float | None = None, threads: int | None = None) -> None:
        self.case, self.timeout_s = case, timeout_s
        self.threads = threads or case.threads  # a trial's result may depend on it: the case's fixed count
        self._data: Any = None
        self._prepared = False

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict[str, Any]]]:
        for task in tasks:
            if not self._prepared:
                pin_threads(self.threads)
                self._data, self._prepared = self.case.prepare(), True
            yield task, self._timed(task)

    def _timed(self, task: Task) -> dict[str, Any]:
        usable = self.timeout_s and threading.current_thread() is threading.main_thread()
        if not usable:
            return run_trial(self.case, self._data, task)

        def _raise(*_: object) -> None:
            raise _Alarm

        previous = signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, self.timeout_s)
        try:
            return run_trial(self.case, self._data, task)
        except _Alarm:
            return failure(f"timeout: trial ran past {self.timeout_s:g} s", self.timeout_s)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def close(self) -> None:
        pass


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when its parent dies (SIGKILL, OOM), so an orphan never
    keeps computing a trial nobody will store."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _worker_main(ref: str, conn: Any, threads: int, memory_mb: float | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        return
    pin_threads(threads)
    if memory_mb:
        limit = int(memory_mb * 2**20)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    case = load_ref(ref)
    data, prepare_error = None, None
    try:
        data = case.prepare()
        pin_threads(threads)  # prepare may have imported torch
    except Exception:  # noqa: BLE001
        prepare_error = "prepare failed:\n" + traceback.format_exc(limit=8)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task = Task(*message)
        result = failure(prepare_error) if prepare_error else run_trial(case, data, task)
        try:
            conn.send((task.key, result))
        except (TypeError, ValueError, AttributeError) as err:  # examples that don't pickle
            conn.send((task.key, failure(f"result could not be sent: {err}", result["wall_s"])))


class _Worker:
    def __init__(self, ctx: Any, ref: str, threads: int, memory_mb: float | None) -> None:
        self.conn, child = ctx.Pipe()
        saved = {v: os.environ.get(v) for v in THREAD_VARS}
        os.environ.update({v: str(threads) for v in THREAD_VARS})  # inherited before numpy loads
        try:
            self.process = ctx.Process(target=_worker_main, args=(ref, child, threads, memory_mb, os.getpid()), daemon=True)
            self.process.start()
        finally:
            for var, value in saved.items():
                if value is None:
                    os.environ.pop(var, None)
                else:
                    os.environ[var] = value
        child.close()
        self.task: Task | None = None
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill and self.process.is_alive():
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


class PoolExecutor:
    """A pool of `jobs` worker processes with per-trial timeouts and worker replacement. Each trial runs
    at the case's fixed thread count (`Case.threads`), so jobs x threads should not exceed the cores."""

    def __init__(self, case: Case, jobs: int, timeout_s: float | None = None, memory_mb: float | None = None) -> None:
        self.ref, self.jobs = case.ref(), max(1, jobs)
        self.timeout_s, self.memory_mb = timeout_s, memory_mb
        self.threads = case.threads  # fixed per case, whatever --jobs is: results must not depend on the pool
        self._ctx = mp.get_context("spawn")  # fork would copy the parent's threads and locks
        self._workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self.ref, self.threads, self.memory_mb)

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict[str, Any]]]:
        pending = deque(tasks)
        while len(self._workers) < min(self.jobs, len(pending)):
            self._workers.append(self._spawn())
        while pending or any(w.task for w in self._workers):
            for worker in self._workers:
                if worker.task is None and pending:
                    worker.task, worker.started = pending.popleft(), time.monotonic()
                    try:
                        worker.conn.send((worker.task.key, worker.task.setting, worker.task.seed))
                    except (OSError, BrokenPipeError):
                        pass  # found dead below
            busy = [w for w in self._workers if w.task]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.2)
            for i, worker in enumerate(self._workers):
                if worker.task is None:
                    continue
                done = self._collect(worker)
                if done is None:
                    continue
                task, result, replace = done
                if replace:
                    worker.stop(kill=True)
                    self._workers[i] = self._spawn()
                else:
                    worker.task = None
                yield task, result

    def _collect(self, worker: _Worker) -> tuple[Task, dict[str, Any], bool] | None:
        task, elapsed = worker.task, time.monotonic() - worker.started
        try:
            if worker.conn.poll():
                _, result = worker.conn.recv()
                return task, result, False
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            code = worker.process.exitcode
            why = f"worker died (exit code {code})" + (" - killed by signal, out of memory?" if code and code < 0 else "")
            return task, failure(why, elapsed), True
        if self.timeout_s and elapsed > self.timeout_s:
            return task, failure(f"timeout: trial ran past {self.timeout_s:g} s", elapsed), True
        return None

    def close(self) -> None:
        for worker in self._workers:
            worker.stop(kill=worker.task is not None)
        self._workers = []
