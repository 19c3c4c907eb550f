# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Topic modeling on trial: the notebook
#
# This notebook walks the case's lesson ([lesson.md](lesson.md)): does LDA recover the ten "bars" topics that
# generated a corpus, and which unstated choice (document length, corpus size, the sampler, the priors) undoes it?
#
# Open it with `make notebook CASE=topic-modeling`. It writes under `runs/notebook/` (or `$MUMMYBENCH_NOTEBOOK_RESULTS`),
# never over the committed `results/`. The quick plan has fewer seeds and a coarser grid than the committed full
# plan, so its numbers are rougher than those in `results/topic_modeling/report.md`.

# %%
from mummybench import notebooks, trials_dataframe
from mummybench.cli import main as mummybench
from mummybench.registry import get_case

case = get_case("topic-modeling")
print(case.claim.text)
print("source:", case.claim.source)

# %% [markdown]
# ## 1. One trial, and its examples
#
# A trial draws a bars corpus from the seed, fits LDA with the paper's collapsed Gibbs sampler and counts the true
# topics matched by a learned one (cosine >= 0.9). The drawing in the examples shows the learned topics as 5x5
# images: a clean bar is a recovered topic.

# %%
_ = mummybench(["trial", "topic-modeling", "--seed", "0", "--set", "doc_length=20"])

# %% [markdown]
# ## 2. The quick plan
#
# Several seeds at the anchor setting (the reproduction), then each hidden parameter moved one at a time, with
# bisection between the last value that holds and the first that breaks. The trial above, at 20 words a
# document, is one such move.

# %%
RESULTS = notebooks.results_root()
assert mummybench(["run", "topic-modeling", "--plan", "quick", "--jobs", str(notebooks.jobs()), "--results", RESULTS]) == 0

# %% [markdown]
# ## 3. The verdicts
#
# A verdict is *holds*, *breaks* or *inconclusive*: the last when the interval straddles the threshold.

# %%
found = notebooks.summary("topic-modeling", RESULTS)
rep = found["reproduction"]
notebooks.headline(found)

# %% [markdown]
# ## 4. Plot from the exported trials
#
# Every trial is a row of `trials_dataframe` (the same table `mummybench export` writes).
# Here: topics recovered against document length, every other axis at the anchor.

# %%
trials = trials_dataframe("topic-modeling", RESULTS)
rows = notebooks.one_axis(trials, case, "doc_length", rep["setting"])
fig = notebooks.plot_axis(rows, case, "doc_length", rep["setting"])

# %% [markdown]
# ## 5. Against the committed full plan
#
# The committed results used more seeds and a finer grid. Does the quick plan put the document-length break in
# the same place? Exercise 2 of the lesson asks for it; check with `mummybench answer topic-modeling 2 <length>`.

# %%
_ = mummybench(["answer", "topic-modeling", "2", "--results", str(notebooks.COMMITTED)])
