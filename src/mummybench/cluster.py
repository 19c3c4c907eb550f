"""Runs trials on a Dask cluster: a scheduler at an address, or a LocalCluster started here.

Workers import the case from its import path and prepare it once per worker process (cached in
the worker, never pickled from the parent); only the parent writes the store. At most one trial per
worker thread is in flight, so a trial's timeout counts from (about) when it started."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .case import Case, load_ref
from .execute import Task, failure, pin_threads, run_trial
from .space import SettingError

_PREPARED: dict[str, tuple[Case, Any, str | None, tuple]] = {}  # ref -> (case, data, prepare error, (code, versions))


def import_root(case: Case) -> str:
    """The folder that must be on sys.path to import the case's module (the parent of `cases/`)."""
    module = sys.modules[type(case).__module__]
    depth = type(case).__module__.count(".")
    return str(Path(module.__file__).resolve().parents[depth])


class WrongWorker(SettingError):
    """A worker whose case code or library versions differ from the parent's: its results would be stored
    under keys they do not belong to, so the run stops instead."""


def dask_trial(ref: str, root: str, threads: int | None, expected: tuple[str, dict[str, str]],
               setting: dict[str, Any], seed: int) -> dict[str, Any]:
    """The task a worker runs: load and prepare the case on first use, then run one trial at the case's
    fixed thread count `threads` (the same on every machine, so that results do not depend on the cluster)."""
    from .store import library_versions

    if ref not in _PREPARED:
        if root and os.path.isdir(root) and root not in sys.path:
            sys.path.insert(0, root)
        threads = threads or 1
        pin_threads(threads)
        case = load_ref(ref)
        try:
            data, error = case.prepare(), None
        except Exception:  # noqa: BLE001 - reported with every trial of this worker
            data, error = None, "prepare failed:\n" + traceback.format_exc(limit=8)
        pin_threads(threads)
        # the code and versions this process loaded, hashed once: they cannot change under a loaded module
        found = (type(case).code_hash(), library_versions(case.libraries))
        _PREPARED[ref] = (case, data, error, found)
    case, data, error, found = _PREPARED[ref]
    if found != tuple(expected):
        raise WrongWorker(f"worker {os.uname().nodename} has case code {found[0]} and versions {found[1]}; the run "
                          f"expects {expected[0]} and {expected[1]}: update and restart the workers")
    if error:
        return failure(error)
    return run_trial(case, data, Task("dask", setting, seed))


async def _exit_worker() -> None:  # a coroutine: the only kind `Client.run` will start without waiting
    os._exit(75)  # the nanny restarts the worker; 75 (EX_TEMPFAIL) marks it as deliberate


def _reachable(address: str) -> None:
    """Fail at once, with the OS's reason, when nothing listens at a tcp:// or tls:// scheduler address
    (distributed would retry a refused connection until its 30 s timeout)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or not parts.port:
        return  # another transport: leave it to distributed
    with socket.create_connection((parts.hostname, parts.port), timeout=10):
        pass


def _security(tls: dict[str, str]) -> Any:
    """distributed's Security from PEM files, for the client, the scheduler and the workers alike."""
    from distributed.security import Security

    for name, path in tls.items():
        if not os.path.isfile(path):
            raise ValueError(f"TLS {name} file {path} does not exist")
    return Security(tls_ca_file=tls["ca_file"], tls_client_cert=tls["cert"], tls_client_key=tls["key"],
                    tls_scheduler_cert=tls["cert"], tls_scheduler_key=tls["key"], tls_worker_cert=tls["cert"],
                    tls_worker_key=tls["key"], require_encryption=True)


class DaskExecutor:
    """Submits trials to a Dask cluster; with no address, starts a LocalCluster of `jobs` worker processes."""

    def __init__(self, case: Case, address: str | None = None, jobs: int = 2, timeout_s: float | None = None,
                 memory_mb: float | None = None, tls: dict[str, str] | None = None) -> None:
        """`tls`: {"ca_file", "cert", "key"} PEM files: every connection is then encrypted and authenticated
        (distributed's `Security`, `require_encryption`); a LocalCluster then listens on tls:// too."""
        import dask
        from distributed import Client, LocalCluster

        from .store import library_versions

        self.ref, self.root, self.timeout_s = case.ref(), import_root(case), timeout_s
        self.expected = (type(case).code_hash(), library_versions(case.libraries))
        self.cluster, self.client = None, None
        # a trial whose worker dies is a failed trial, not one to retry on every other worker (this reaches
        # a LocalCluster's scheduler; set it in a remote scheduler's own configuration, see docs/cluster.md)
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            try:
                self.threads = case.threads
                security = _security(tls) if tls else None
                if address:
                    _reachable(address)
                    self.client = Client(address, timeout="30s", security=security)
                else:
                    self.cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                                host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR,
                                                memory_limit=f"{int(memory_mb)}MiB" if memory_mb else 0,
                                                **({"protocol": "tls://", "security": security} if security else {}))
                    self.client = Client(self.cluster, security=security)
                self.client.wait_for_workers(1, timeout=60)
            except BaseException:
                self.close()
                raise

    def _slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict[str, Any]]]:
        pending = deque(tasks)
        running: dict[Any, tuple[Task, float]] = {}
        while pending or running:
            while pending and len(running) < self._slots():
                task = pending.popleft()
                future = self.client.submit(dask_trial, self.ref, self.root, self.threads, self.expected,
                                            dict(task.setting), task.seed,
                                            key=f"trial-{task.key[:16]}-{uuid.uuid4().hex[:8]}", pure=False)
                running[future] = (task, time.monotonic())
            finished = [f for f in running if f.done()]
            for future in finished:
                task, started = running.pop(future)
                yield task, self._result(future, time.monotonic() - started)
            now = time.monotonic()
            for future, (task, started) in list(running.items()):
                if self.timeout_s and now - started > self.timeout_s:
                    running.pop(future)
                    self._abandon(future)
                    yield task, failure(f"timeout: trial ran past {self.timeout_s:g} s", now - started)
            if not finished:
                time.sleep(0.02)

    @staticmethod
    def _result(future: Any, elapsed: float) -> dict[str, Any]:
        if future.status == "finished":
            return future.result()
        try:
            error = future.exception()
        except Exception as err:  # noqa: BLE001 - cancelled, lost
            error = err
        name = type(error).__name__
        if name == "WrongWorker":
            raise error
        if name == "KilledWorker":
            return failure(f"worker died (KilledWorker: {error}) - out of memory, or the trial killed its process", elapsed)
        return failure(f"{name}: {error}", elapsed)

    def _abandon(self, future: Any) -> None:
        """Cancel a timed-out trial and end the worker process still running it (a thread cannot be killed):
        its nanny starts a fresh one at once. `restart_workers` would first wait for the stuck task, up to its
        timeout, with every other trial waiting behind it."""
        key = future.key
        try:
            busy = [w for w, keys in self.client.processing().items() if key in keys]
            future.cancel()
            if busy:
                self.client.run(_exit_worker, workers=busy, wait=False)
        except Exception:  # noqa: BLE001 - best effort; the trial is already recorded as failed
            pass

    def close(self) -> None:
        try:
            if self.client is not None:
                self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
            self.client = self.cluster = None
