"""The "bars" corpus of Griffiths & Steyvers (2004): ten topics, the rows and columns of a
5x5 pixel grid, and documents drawn by the LDA generative process."""

from __future__ import annotations

import numpy as np

SIDE = 5
VOCAB = SIDE * SIDE
NAMES = tuple([f"row {i}" for i in range(SIDE)] + [f"col {i}" for i in range(SIDE)])


def bar_topics() -> np.ndarray:
    """10 x 25 topic-word matrix: each topic uniform over the 5 pixels of one bar."""
    topics = np.zeros((2 * SIDE, SIDE, SIDE))
    for i in range(SIDE):
        topics[i, i, :] = 1.0
        topics[SIDE + i, :, i] = 1.0
    return topics.reshape(2 * SIDE, VOCAB) / SIDE


def generate(n_docs: int, doc_length: int, doc_alpha: float, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Document-word counts (n_docs x 25): theta ~ Dir(doc_alpha), each word from a topic drawn
    from theta, except a `noise` share of words drawn uniformly from the whole grid."""
    topics = bar_topics()
    theta = rng.dirichlet(np.full(len(topics), doc_alpha), size=n_docs)
    word_probs = (1.0 - noise) * theta @ topics + noise / VOCAB
    word_probs /= word_probs.sum(axis=1, keepdims=True)
    return np.stack([rng.multinomial(doc_length, p) for p in word_probs]).astype(np.int64)
