"""Fitting LDA with gensim (online VB, Hoffman et al. 2010) or scikit-learn (the same
algorithm with other defaults), and matching learned topics to the true ones."""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

RECOVERED_AT = 0.9  # cosine similarity at which a learned topic counts as the bar


def fit_gensim(counts: np.ndarray, setting: dict[str, Any], seed: int) -> np.ndarray:
    from gensim.models import LdaModel

    logging.getLogger("gensim").setLevel(logging.ERROR)
    corpus = [[(int(j), int(row[j])) for j in np.flatnonzero(row)] for row in counts]
    alpha = setting["alpha"]
    model = LdaModel(corpus, num_topics=setting["num_topics"], id2word={i: str(i) for i in range(counts.shape[1])},
                     passes=setting["passes"], iterations=setting["iterations"], chunksize=setting["chunksize"],
                     alpha=alpha, eta=setting["eta"], random_state=seed, update_every=1)
    return model.get_topics()


def fit_sklearn(counts: np.ndarray, setting: dict[str, Any], seed: int) -> np.ndarray:
    from sklearn.decomposition import LatentDirichletAllocation

    alpha = setting["alpha"]
    model = LatentDirichletAllocation(
        n_components=setting["num_topics"], doc_topic_prior=None if alpha == "symmetric" else float(alpha),
        topic_word_prior=setting["eta"], learning_method="online", max_iter=setting["passes"],
        batch_size=setting["chunksize"], max_doc_update_iter=setting["iterations"],
        total_samples=len(counts), random_state=seed, n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(counts)
    return model.components_ / model.components_.sum(axis=1, keepdims=True)


FITTERS = {"gensim": fit_gensim, "sklearn": fit_sklearn}


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
