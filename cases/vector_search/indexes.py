"""Exact ground truth and two approximate indexes of faiss behind one interface, each on one thread.

Every index inserts the base vectors in a seeded random order (the insertion order shapes an HNSW
graph) and reports its answers in the original ids. Queries are timed in one batch on one thread."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np


def prepare_vectors(base: np.ndarray, queries: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray, str]:
    """What the index sees, and the metric it uses. 'cosine': normalised vectors with inner product
    (the right way); 'cosine_as_l2': raw vectors with L2 (the common mistake); 'ip': raw vectors with inner
    product (maximum-inner-product search, as recommenders do); 'l2': L2."""
    if metric == "cosine":
        return _unit(base), _unit(queries), "ip"
    if metric == "ip":
        return base, queries, "ip"
    return base, queries, "l2"


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def ground_truth(base: np.ndarray, queries: np.ndarray, metric: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The exact k nearest neighbours under the metric the user means (cosine for both cosine metrics; the
    largest inner products for 'ip', returned as negated inner products so that smaller is nearer)."""
    import faiss

    if metric == "ip":
        index = faiss.IndexFlatIP(base.shape[1])
        index.add(base)
        sims, ids = index.search(queries, k)
        return ids, -sims
    if metric in ("cosine", "cosine_as_l2"):
        index = faiss.IndexFlatIP(base.shape[1])
        index.add(_unit(base))
        sims, ids = index.search(_unit(queries), k)
        return ids, 1.0 - sims  # cosine distance
    index = faiss.IndexFlatL2(base.shape[1])
    index.add(base)
    dist, ids = index.search(queries, k)
    return ids, np.sqrt(np.maximum(dist, 0))


@dataclass
class Built:
    index: object
    order: np.ndarray  # position in the index -> original id
    build_s: float
    kind: str
    lists: int = 0  # inverted lists of an IVF index (0 for a graph)
    warnings: tuple[str, ...] = ()  # what the library printed while it was built (faiss writes to stderr)


def ivf_lists(n: int) -> int:
    """Inverted lists for n vectors: faiss's rule of thumb of 4 x sqrt(n), but never more than n / 39, the fewest
    training points per centroid faiss's k-means accepts without warning ("please provide at least 39 x k training
    points"): an IVF index trained below that is a handicapped baseline."""
    return max(1, min(int(4 * np.sqrt(n)), n // 39))


@contextmanager
def captured_stderr(lines: list[str]) -> Iterator[None]:
    """Collect what C++ libraries write to file descriptor 2 (faiss prints its warnings there, where Python's
    `warnings` never sees them) into `lines`, and pass it on to the real stderr afterwards."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read().decode("utf-8", "replace")
            if text:
                sys.stderr.write(text)
            lines += [line.strip() for line in text.splitlines() if line.strip()]


def _faiss_metric(space: str) -> int:
    import faiss

    return faiss.METRIC_INNER_PRODUCT if space == "ip" else faiss.METRIC_L2


def build(kind: str, base: np.ndarray, space: str, m: int, ef_construction: int, seed: int,
          batches: int = 1) -> Built:
    """The index over `base`, inserted in a seeded random order. A graph is filled in `batches` calls of
    `add` of equal size (1: one call, as benchmarks build it; more: as an index grows in production); an IVF
    index is trained on all of `base`, its lists sized to it, and filled in one call."""
    order = np.random.default_rng([seed, 7]).permutation(len(base))
    data = np.ascontiguousarray(base[order])
    printed: list[str] = []
    start = time.perf_counter()
    with captured_stderr(printed):
        if kind == "faiss_hnsw":
            import faiss

            index = faiss.IndexHNSWFlat(base.shape[1], m, _faiss_metric(space))
            index.hnsw.efConstruction = ef_construction
            for chunk in np.array_split(data, batches):
                index.add(np.ascontiguousarray(chunk))
            lists = 0
        elif kind == "faiss_ivf":
            index = _ivf(data, space, seed)
            lists = int(index.nlist)
        else:
            raise ValueError(f"unknown index {kind!r}")
    return Built(index, order, time.perf_counter() - start, kind, lists, tuple(printed))


def _ivf(data: np.ndarray, space: str, seed: int):  # noqa: ANN202 - a faiss.IndexIVFFlat
    import faiss

    quantizer = faiss.IndexFlatIP(data.shape[1]) if space == "ip" else faiss.IndexFlatL2(data.shape[1])
    index = faiss.IndexIVFFlat(quantizer, data.shape[1], ivf_lists(len(data)), _faiss_metric(space))
    index.cp.seed = int(seed)
    index.train(data)
    index.add(data)
    return index


@dataclass
class Searched:
    ids: np.ndarray  # (queries, k) original ids, -1 where the index returned fewer than k
    qps: float  # queries per second on one thread (a measurement of the machine, not a result)
    budget_used: int  # efSearch or nprobe as the library applied it
    distances_per_query: float  # distance computations per query, as faiss counts them (machine-independent)


def search(built: Built, queries: np.ndarray, k: int, budget: int) -> Searched:
    """The k results per query at one search budget (efSearch for a graph, nprobe for IVF), passed as the setting
    gives it: faiss searches with efSearch even below k.

    Distance computations: faiss's HNSW statistics (`hnsw_stats.ndis`, every level), or for IVF the vectors scanned
    in the probed lists (`indexIVF_stats.ndis`) plus one per list for the coarse quantizer."""
    import faiss

    index = built.index
    if built.kind == "faiss_hnsw":
        index.hnsw.efSearch = budget
        used = int(index.hnsw.efSearch)
        faiss.cvar.hnsw_stats.reset()
    else:
        index.nprobe = budget
        used = int(index.nprobe)
        faiss.cvar.indexIVF_stats.reset()
    start = time.perf_counter()
    _, ids = index.search(queries, k)
    elapsed = time.perf_counter() - start
    if built.kind == "faiss_hnsw":
        ndis = faiss.cvar.hnsw_stats.ndis / len(queries)
    else:
        ndis = faiss.cvar.indexIVF_stats.ndis / len(queries) + built.lists
    ids = np.asarray(ids, dtype=np.int64)
    found = np.where(ids >= 0, built.order[np.clip(ids, 0, None)], -1)
    return Searched(found, len(queries) / max(elapsed, 1e-9), used, float(ndis))


def exact_qps(base: np.ndarray, queries: np.ndarray, space: str, k: int) -> float:
    """Queries per second of exact search (faiss IndexFlat) on one thread, timed like `search`."""
    import faiss

    index = faiss.IndexFlatIP(base.shape[1]) if space == "ip" else faiss.IndexFlatL2(base.shape[1])
    index.add(base)
    start = time.perf_counter()
    index.search(queries, k)
    return len(queries) / max(time.perf_counter() - start, 1e-9)


def recall(found: np.ndarray, truth: np.ndarray, found_dist: np.ndarray | None = None,
           kth_dist: np.ndarray | None = None) -> np.ndarray:
    """Per query: the share of the k returned that are true k nearest neighbours. With distances, a returned
    vector as near as the true k-th neighbour (within 1e-6 relative, both in float64) counts too, so that an exact
    tie at the k-th distance is not a miss (as ann-benchmarks counts recall, with distances)."""
    k = truth.shape[1]
    by_id = np.array([[f in row for f in found_row] for found_row, row in zip(found.tolist(), (set(t) for t in truth.tolist()))])
    if found_dist is None or kth_dist is None:
        return by_id.sum(1) / k
    bar = kth_dist[:, None] + 1e-6 * np.maximum(np.abs(kth_dist[:, None]), 1.0)
    hits = by_id | ((found >= 0) & (found_dist <= bar))
    return np.minimum(hits.sum(1), k) / k


def distances(base: np.ndarray, queries: np.ndarray, ids: np.ndarray, metric: str) -> np.ndarray:
    """(queries, k) distances of the returned ids under the metric the user means, as `ground_truth` writes them
    (cosine distance for both cosine metrics, negated inner product for 'ip'); inf where nothing was returned."""
    safe = np.clip(ids, 0, None)
    vecs = base[safe].astype(np.float64)
    q = queries.astype(np.float64)[:, None, :]
    if metric == "ip":
        out = -(vecs * q).sum(-1)
    elif metric in ("cosine", "cosine_as_l2"):
        unit = vecs / np.maximum(np.linalg.norm(vecs, axis=-1, keepdims=True), 1e-12)
        out = 1.0 - (unit * (q / np.maximum(np.linalg.norm(q, axis=-1, keepdims=True), 1e-12))).sum(-1)
    else:
        out = np.sqrt(np.maximum(((vecs - q) ** 2).sum(-1), 0.0))
    return np.where(ids >= 0, out, np.inf)


def hardness(truth_dist: np.ndarray, base: np.ndarray, queries: np.ndarray, metric: str) -> dict[str, float]:
    """Why a set is easy or hard: local intrinsic dimension (MLE of Levina & Bickel / Amsaleg et al.
    over the k nearest distances) and relative contrast (mean distance / nearest distance; He et al. 2012)."""
    d = np.maximum(truth_dist.astype(np.float64), 1e-12)
    lid = -1.0 / np.mean(np.log(d[:, :-1] / d[:, -1:]), axis=1)  # (for 'ip' the distances are not metric)
    sample = base[np.random.default_rng(0).choice(len(base), min(1000, len(base)), replace=False)]
    if metric in ("cosine", "cosine_as_l2"):
        mean = 1.0 - _unit(queries) @ _unit(sample).T
    else:  # |q - s|^2 = |q|^2 + |s|^2 - 2 q.s, without a (queries x sample x dim) array
        sq = (queries.astype(np.float64) ** 2).sum(1)[:, None] + (sample.astype(np.float64) ** 2).sum(1)[None, :]
        mean = np.sqrt(np.maximum(sq - 2.0 * queries.astype(np.float64) @ sample.T.astype(np.float64), 0))
    contrast = mean.mean(1) / d[:, 0]
    return {"lid": float(np.median(lid[np.isfinite(lid)])), "relative_contrast": float(np.median(contrast))}
