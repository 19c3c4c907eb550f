"""Fitting LDA five ways, and matching learned topics to the true ones.

- `gibbs`: collapsed Gibbs sampling, the paper's inference (Griffiths & Steyvers 2004), as the `lda` package
  implements it (symmetric scalar priors, one chain).
- `gensim`: gensim's `LdaModel`, online variational Bayes (Hoffman, Blei & Bach, NIPS 2010).
- `gensim_multicore`: gensim's `LdaMulticore` with two workers; its results can vary from run to run with the
  same seed (gensim's docs say so), so the trial fits it twice and records whether they differ.
- `sklearn_online`, `sklearn_batch`: scikit-learn's `LatentDirichletAllocation` with `learning_method` 'online'
  and 'batch' (its default since 0.20).

Every fit records the warnings its library raised (a logger warning or a Python warning): what a practitioner
would see on the console.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

RECOVERED_AT = 0.9  # cosine similarity at which a learned topic counts as the bar
LOGGERS = ("gensim", "lda")
MULTICORE_WORKERS = 2


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@contextmanager
def library_warnings() -> Iterator[list[str]]:
    """Collect the WARNING-level log records of gensim and lda and every Python warning raised inside the block,
    as 'source: message' strings, and keep them off the console (the report shows them)."""
    handler, saved = _Collect(), []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate))
        logger.setLevel(logging.WARNING)
        logger.propagate = False
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield handler.messages
        handler.messages.extend(f"{w.category.__name__}: {w.message}" for w in caught)
    finally:
        for logger, level, propagate in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


def _alpha(setting: dict[str, Any]) -> float:
    """A numeric symmetric prior: 'symmetric' is 1/K, as both gensim and scikit-learn define it."""
    alpha = setting["alpha"]
    return 1.0 / setting["num_topics"] if alpha == "symmetric" else float(alpha)


def fit_gibbs(counts: np.ndarray, setting: dict[str, Any], seed: int) -> np.ndarray:
    import lda

    model = lda.LDA(n_topics=setting["num_topics"], n_iter=setting["sweeps"], alpha=_alpha(setting),
                    eta=setting["eta"], random_state=seed, refresh=10**9)
    model.fit(counts)
    return model.topic_word_


def _gensim_corpus(counts: np.ndarray) -> list[list[tuple[int, int]]]:
    return [[(int(j), int(row[j])) for j in np.flatnonzero(row)] for row in counts]


def fit_gensim(counts: np.ndarray, setting: dict[str, Any], seed: int) -> np.ndarray:
    from gensim.models import LdaModel

    model = LdaModel(_gensim_corpus(counts), num_topics=setting["num_topics"],
                     id2word={i: str(i) for i in range(counts.shape[1])}, passes=setting["passes"],
                     iterations=setting["iterations"], chunksize=setting["chunksize"], alpha=setting["alpha"],
                     eta=setting["eta"], random_state=seed, update_every=1)
    return model.get_topics()


_MULTICORE = """
import json, logging, sys, warnings
import numpy as np
from gensim.models import LdaMulticore
job = json.load(sys.stdin)
counts, s = np.asarray(job["counts"]), job["setting"]
corpus = [[(int(j), int(row[j])) for j in np.flatnonzero(row)] for row in counts]
logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model = LdaMulticore(corpus, num_topics=s["num_topics"], id2word={i: str(i) for i in range(counts.shape[1])},
                         passes=s["passes"], iterations=s["iterations"], chunksize=s["chunksize"], alpha=s["alpha"],
                         eta=s["eta"], random_state=job["seed"], workers=job["workers"])
for w in caught:
    print(f"{w.category.__name__}: {w.message}", file=sys.stderr)
json.dump(model.get_topics().tolist(), sys.stdout)
"""


def fit_gensim_multicore(counts: np.ndarray, setting: dict[str, Any], seed: int) -> np.ndarray:
    """LdaMulticore in a fresh interpreter: it starts a process pool of its own, which a trial running in a
    worker process (a daemon) may not do. Its warnings come back on stderr and are logged as gensim's."""
    import json
    import subprocess
    import sys

    job = json.dumps({"counts": counts.tolist(), "setting": setting, "seed": seed, "workers": MULTICORE_WORKERS})
    done = subprocess.run([sys.executable, "-c", _MULTICORE], input=job, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"LdaMulticore failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    for line in done.stderr.splitlines():
        if line.strip():
            logging.getLogger("gensim.models.ldamulticore").warning(line.strip())
    return np.asarray(json.loads(done.stdout))


def _fit_sklearn(counts: np.ndarray, setting: dict[str, Any], seed: int, method: str) -> np.ndarray:
    from sklearn.decomposition import LatentDirichletAllocation

    alpha = setting["alpha"]
    model = LatentDirichletAllocation(
        n_components=setting["num_topics"], doc_topic_prior=None if alpha == "symmetric" else float(alpha),
        topic_word_prior=setting["eta"], learning_method=method, max_iter=setting["passes"],
        batch_size=setting["chunksize"], max_doc_update_iter=setting["iterations"],
        total_samples=len(counts), random_state=seed, n_jobs=1)
    model.fit(counts)
    return model.components_ / model.components_.sum(axis=1, keepdims=True)


def fit_sklearn_online(counts: np.ndarray, setting: dict[str, Any], seed: int) -> np.ndarray:
    return _fit_sklearn(counts, setting, seed, "online")


def fit_sklearn_batch(counts: np.ndarray, setting: dict[str, Any], seed: int) -> np.ndarray:
    return _fit_sklearn(counts, setting, seed, "batch")


FITTERS = {"gibbs": fit_gibbs, "gensim": fit_gensim, "gensim_multicore": fit_gensim_multicore,
           "sklearn_online": fit_sklearn_online, "sklearn_batch": fit_sklearn_batch}
VARIATIONAL = ("gensim", "gensim_multicore", "sklearn_online", "sklearn_batch")


def match(true: np.ndarray, learned: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Optimal one-to-one assignment of learned topics to true ones by cosine similarity.
    Returns (cosine matrix, learned index per true topic or -1, similarity per true topic)."""
    t = true / np.linalg.norm(true, axis=1, keepdims=True)
    norms = np.linalg.norm(learned, axis=1, keepdims=True)
    cos = t @ (learned / np.where(norms > 0, norms, 1.0)).T
    rows, cols = linear_sum_assignment(-cos)
    assigned = np.full(len(true), -1)
    sims = np.zeros(len(true))
    assigned[rows], sims[rows] = cols, cos[rows, cols]
    return cos, assigned, sims
