"""Does LDA recover the topics that generated a corpus? The bars experiment of
Griffiths & Steyvers (2004), refitted with gensim and scikit-learn's online variational Bayes."""

from __future__ import annotations

from typing import Any

import numpy as np

from mummybench import Axis, Case, Choice, Claim, Float, Int, Outcome, Plan, SettingError

from . import bars, present
from .fit import FITTERS, RECOVERED_AT, match

ALPHAS = ("symmetric", "asymmetric", "auto", 0.01, 0.1, 1.0, 10.0)
GENSIM_ONLY = ("asymmetric", "auto")


class TopicModeling(Case):
    name = "topic-modeling"
    title = "Topic modeling: does LDA recover the bars?"
    claim = Claim(
        text="LDA recovers the topics that generated a corpus (the 'bars' experiment): at least 9 of the 10 true "
             "topics are matched by a learned topic with cosine similarity >= 0.9, on average over seeds.",
        source="Griffiths, T. L. & Steyvers, M. (2004). Finding scientific topics. PNAS 101 (suppl. 1), 5228-5235, "
               "Figure 2 (the bars experiment); fitted with online LDA (Hoffman, Blei & Bach, NIPS 2010) as gensim implements it",
        quote=present.QUOTE,
        metric="recovered", op=">=", threshold=0.9, bounds=(0.0, 1.0),
        resolution=0.1)  # one bar of ten
    axes = (
        Axis("doc_length", Int(2, 2000, log=True), paper=100, plausible=(5, 300), unit="words",
             why="the paper's documents are 100 words long; tweets, titles and chat messages are far shorter", prepared=True),
        Axis("n_docs", Int(10, 50000, log=True), paper=2000, plausible=(50, 5000),
             why="the paper generated 2,000 documents; a practitioner's corpus may be much smaller", prepared=True),
        Axis("doc_alpha", Float(0.01, 100.0, log=True), paper=1.0, plausible=(0.05, 10.0),
             why="the generator's Dirichlet parameter: how many topics each document mixes; set by the data, never by the user",
             prepared=True),
        Axis("noise", Float(0.0, 0.95), paper=0.0, plausible=(0.0, 0.8),
             why="share of words drawn uniformly from the vocabulary: real corpora have words no topic explains", prepared=True),
        Axis("num_topics", Int(2, 100), paper=10, plausible=(5, 20),
             why="the paper fitted the true number of topics; in practice K is a guess"),
        Axis("passes", Int(1, 500, log=True), paper=10, plausible=(1, 30),
             why="epochs over the corpus; gensim's default is 1, and the paper ran its sampler to convergence"),
        Axis("iterations", Int(1, 2000, log=True), paper=50, plausible=(1, 200),
             why="per-document E-step iterations (gensim default 50); an inner loop nobody reports"),
        Axis("chunksize", Int(1, 50000, log=True), paper=100, plausible=(10, 2000),
             why="documents per online update; gensim's default 2000 means one update per pass on this corpus"),
        Axis("alpha", Choice(ALPHAS), paper="symmetric",
             why="the fitted document-topic prior: gensim's 'symmetric' is 1/K, the data's true value is 1.0"),
        Axis("eta", Float(1e-4, 100.0, log=True), paper=0.1, plausible=(0.001, 10.0),
             why="the fitted topic-word prior; both libraries default to 1/K = 0.1"),
        Axis("implementation", Choice(("gensim", "sklearn")), paper="gensim",
             why="the same model in two libraries: scikit-learn's online LDA has other learning-rate defaults "
                 "(learning_offset 10, decay 0.7 against gensim's 1 and 0.5)"),
    )
    map_axes = ("passes", "chunksize")
    libraries = ("gensim", "scikit-learn", "numpy", "scipy")
    plans = {
        # CI smoke plan: half the corpus with the same 20 updates per pass, one axis, a cheap map pair.
        "quick": Plan("quick", seeds_min=3, seeds_max=3, seeds_step=1, anchor_seeds=6, grid_points=2, depth=1, map_resolution=2,
                      random_samples=0, timeout_s=120, axes=("doc_length",), map_axes=("doc_length", "doc_alpha"),
                      base={"n_docs": 1000, "chunksize": 50}),
        "full": Plan("full", seeds_min=3, seeds_max=6, seeds_step=3, grid_points=4, depth=2, map_resolution=4,
                     random_samples=24, timeout_s=300),
    }

    def check(self, setting: dict[str, Any]) -> None:
        if setting["implementation"] == "sklearn" and setting["alpha"] in GENSIM_ONLY:
            raise SettingError(f"alpha='{setting['alpha']}' exists only in gensim; scikit-learn takes 'symmetric' or a number")

    def trial(self, data: Any, setting: dict[str, Any], seed: int) -> Outcome:
        rng = np.random.default_rng(seed)
        counts = bars.generate(setting["n_docs"], setting["doc_length"], setting["doc_alpha"], setting["noise"], rng)
        true = bars.bar_topics()
        learned = FITTERS[setting["implementation"]](counts, setting, seed)
        cos, assigned, sims = match(true, learned)
        recovered = sims >= RECOVERED_AT
        examples = {
            "true": np.round(true, 4).tolist(),
            "matched": [np.round(learned[j], 4).tolist() if j >= 0 else None for j in assigned],
            "similarity": np.round(sims, 4).tolist(),
            "mixture_of": [self._mixture(cos[:, j]) if j >= 0 else [] for j in assigned],
        }
        return Outcome(metrics={"recovered": float(recovered.mean()), "mean_similarity": float(sims.mean()),
                                "n_recovered": float(recovered.sum())}, examples=examples)

    @staticmethod
    def _mixture(column: np.ndarray) -> list[str]:
        """The true bars a learned topic resembles most (cosine >= 0.3), best first."""
        order = np.argsort(-column)
        return [f"{bars.NAMES[i]} ({column[i]:.2f})" for i in order[:3] if column[i] >= 0.3]

    def describe(self, examples: dict[str, Any]) -> str:
        return present.table(examples)

    def draw(self, examples: dict[str, Any], title: str) -> Any:
        return present.figure(examples, title)
