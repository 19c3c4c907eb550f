"""The store: an append-only JSONL file, one record per finished trial.

It is the cache, the resume point and the raw data behind every figure. Each record is
written with one `write` of a whole line, then flushed and fsynced; a kill at any moment
leaves at worst a partial last line, which `open` cuts off before appending again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

FORMAT = 1


def library_versions(names: Iterable[str]) -> dict[str, str]:
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def trial_key(case: str, code: str, setting: Mapping[str, Any], seed: int, versions: Mapping[str, str]) -> str:
    """Content address of a trial: change any input and the trial runs again."""
    blob = json.dumps([FORMAT, case, code, dict(sorted(setting.items())), seed, dict(sorted(versions.items()))],
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity: store them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


class StoreBusy(RuntimeError):
    """Another process is writing to this store."""


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold `<store>.lock` for the whole run: a second run into the same store is refused at once (the lock
    goes with the process, so a killed run never leaves it held)."""
    lock = Path(str(path) + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StoreBusy(f"another run is writing to {path} ({holder}); wait for it, or pass another --results") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class Store:
    """Records keyed by trial key; the last record for a key wins."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.records: dict[str, dict[str, Any]] = {}
        self.skipped = 0
        self._handle = None
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        with self.path.open("rb") as handle:
            for line in handle:
                if not line.endswith(b"\n"):
                    self.skipped += 1  # the partial line of a write that was killed
                    continue
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    self.skipped += 1
                    continue
                if isinstance(record, dict) and "key" in record:
                    self.records[record["key"]] = record

    def __contains__(self, key: str) -> bool:
        return key in self.records

    def get(self, key: str) -> dict[str, Any] | None:
        return self.records.get(key)

    def __len__(self) -> int:
        return len(self.records)

    def generations(self, case: str) -> list[tuple[str, dict[str, str], int, float]]:
        """(code hash, library versions, trials, last finished) of each generation of a case's trials, newest first."""
        seen: dict[str, list] = {}
        for record in self.records.values():
            if record.get("case") != case or "code" not in record:
                continue
            versions = record.get("versions") or {}
            gid = json.dumps([record["code"], versions], sort_keys=True)
            entry = seen.setdefault(gid, [record["code"], versions, 0, 0.0])
            entry[2] += 1
            entry[3] = max(entry[3], float(record.get("finished_at") or 0.0))
        return sorted((tuple(e) for e in seen.values()), key=lambda e: -e[3])

    def _open(self):
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists():
                self._truncate_partial_tail()
            self._handle = self.path.open("ab")
        return self._handle

    def _truncate_partial_tail(self) -> None:
        with self.path.open("rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            # walk back to the last complete line and cut the rest
            pos = size
            while pos > 0:
                step = min(4096, pos)
                handle.seek(pos - step)
                chunk = handle.read(step)
                idx = chunk.rfind(b"\n")
                if idx >= 0:
                    handle.truncate(pos - step + idx + 1)
                    return
                pos -= step
            handle.truncate(0)

    def append(self, record: dict[str, Any]) -> None:
        record = _clean({"format": FORMAT, **record})
        line = (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode()
        handle = self._open()
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
        self.records[record["key"]] = record

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
