"""Exact ground truth and three approximate indexes behind one interface, each on one thread.

Every index inserts the base vectors in a seeded random order (the insertion order shapes an HNSW
graph) and reports its answers in the original ids. Queries are timed in one batch on one thread."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


def prepare_vectors(base: np.ndarray, queries: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray, str]:
    """What the index sees, and the metric it uses. 'cosine': normalised vectors with inner product
    (the right way); 'cosine_as_l2': raw vectors with L2 (the common mistake); 'l2': L2."""
    if metric == "cosine":
        return _unit(base), _unit(queries), "ip"
    return base, queries, "l2"


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def ground_truth(base: np.ndarray, queries: np.ndarray, metric: str, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The exact k nearest neighbours under the metric the user means (cosine for both cosine metrics)."""
    import faiss

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


def ivf_lists(n: int) -> int:
    """Inverted lists for n vectors: faiss's rule of thumb of 4 x sqrt(n), but never more than n / 39, the fewest
    training points per centroid faiss's k-means accepts without warning ("please provide at least 39 x k training
    points"): an IVF index trained below that is a handicapped baseline."""
    return max(1, min(int(4 * np.sqrt(n)), n // 39))


def build(kind: str, base: np.ndarray, space: str, m: int, ef_construction: int, seed: int) -> Built:
    order = np.random.default_rng([seed, 7]).permutation(len(base))
    data = np.ascontiguousarray(base[order])
    start = time.perf_counter()
    if kind == "faiss_hnsw":
        import faiss

        index = faiss.IndexHNSWFlat(base.shape[1], m, faiss.METRIC_INNER_PRODUCT if space == "ip" else faiss.METRIC_L2)
        index.hnsw.efConstruction = ef_construction
        index.add(data)
    elif kind == "faiss_ivf":
        import faiss

        nlist = ivf_lists(len(base))
        metric = faiss.METRIC_INNER_PRODUCT if space == "ip" else faiss.METRIC_L2
        quantizer = faiss.IndexFlatIP(base.shape[1]) if space == "ip" else faiss.IndexFlatL2(base.shape[1])
        index = faiss.IndexIVFFlat(quantizer, base.shape[1], nlist, metric)
        index.cp.seed = int(seed)
        index.train(data)
        index.add(data)
    elif kind == "hnswlib":
        import hnswlib

        index = hnswlib.Index(space=space, dim=base.shape[1])
        index.init_index(max_elements=len(base), ef_construction=ef_construction, M=m, random_seed=int(seed))
        index.add_items(data, np.arange(len(data)), num_threads=1)
    else:
        raise ValueError(f"unknown index {kind!r}")
    return Built(index, order, time.perf_counter() - start, kind, int(index.nlist) if kind == "faiss_ivf" else 0)


def search(built: Built, queries: np.ndarray, k: int, ef: int, nprobe: int) -> tuple[np.ndarray, float, int]:
    """(original ids of the k results per query, queries per second, the budget the library used) at one search
    budget. The budget is the setting's, passed as it is: faiss searches with efSearch even below k, while
    hnswlib raises its ef to k by itself (hnswlib's searchKnn uses max(ef, k)); the third value says which."""
    index = built.index
    if built.kind == "faiss_hnsw":
        index.hnsw.efSearch = ef
        used = int(index.hnsw.efSearch)
    elif built.kind == "faiss_ivf":
        index.nprobe = nprobe
        used = int(index.nprobe)
    else:
        index.set_ef(ef)
        used = max(int(index.ef), k)
    start = time.perf_counter()
    if built.kind == "hnswlib":
        ids, _ = index.knn_query(queries, k=k, num_threads=1)
    else:
        _, ids = index.search(queries, k)
    elapsed = time.perf_counter() - start
    ids = np.asarray(ids, dtype=np.int64)
    return np.where(ids >= 0, built.order[np.clip(ids, 0, None)], -1), len(queries) / max(elapsed, 1e-9), used


def recall(found: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per query: the share of the true k nearest neighbours among the k returned."""
    return np.array([len(set(f.tolist()) & set(t.tolist())) / truth.shape[1] for f, t in zip(found, truth)])


def hardness(truth_dist: np.ndarray, base: np.ndarray, queries: np.ndarray, metric: str) -> dict[str, float]:
    """Why a set is easy or hard: local intrinsic dimension (MLE of Levina & Bickel / Amsaleg et al.
    over the k nearest distances) and relative contrast (mean distance / nearest distance; He et al. 2012)."""
    d = np.maximum(truth_dist.astype(np.float64), 1e-12)
    lid = -1.0 / np.mean(np.log(d[:, :-1] / d[:, -1:]), axis=1)
    sample = base[np.random.default_rng(0).choice(len(base), min(1000, len(base)), replace=False)]
    if metric in ("cosine", "cosine_as_l2"):
        mean = 1.0 - _unit(queries) @ _unit(sample).T
    else:  # |q - s|^2 = |q|^2 + |s|^2 - 2 q.s, without a (queries x sample x dim) array
        sq = (queries.astype(np.float64) ** 2).sum(1)[:, None] + (sample.astype(np.float64) ** 2).sum(1)[None, :]
        mean = np.sqrt(np.maximum(sq - 2.0 * queries.astype(np.float64) @ sample.T.astype(np.float64), 0))
    contrast = mean.mean(1) / d[:, 0]
    return {"lid": float(np.median(lid[np.isfinite(lid)])), "relative_contrast": float(np.median(contrast))}
