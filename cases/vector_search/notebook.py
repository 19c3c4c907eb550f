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
# # Vector search on trial: the notebook
#
# This notebook walks the case's lesson ([lesson.md](lesson.md)): does faiss's HNSW find 90% of the true 10
# nearest neighbours with ten times fewer distance computations than exact search, and on which data does the
# saving vanish?
#
# Open it with `make notebook CASE=vector-search`. It writes under `runs/notebook/` (or `$MUMMYBENCH_NOTEBOOK_RESULTS`),
# never over the committed `results/`. The quick plan has fewer seeds and a coarser grid than the committed full
# plan, so its numbers are rougher than those in `results/vector_search/report.md`.

# %%
from mummybench import notebooks, trials_dataframe
from mummybench.cli import main as mummybench
from mummybench.registry import get_case

case = get_case("vector-search")
print(case.claim.text)
print("source:", case.claim.source)

# %% [markdown]
# ## 1. One trial, and its examples
#
# A trial generates (or loads) the vectors from the seed, builds the index and reads the cost at recall@10 = 0.9
# off the recall-cost curve over efSearch. The examples show queries whose neighbours the index missed. This trial
# uses 6,000 vectors (the anchor has 20,000), as the quick plan below does, to stay quick.

# %%
_ = mummybench(["trial", "vector-search", "--seed", "0", "--set", "n=6000"])

# %% [markdown]
# ## 2. The quick plan
#
# Several seeds at the anchor setting (the reproduction), then each hidden parameter moved one at a time, with
# bisection between the last value that holds and the first that breaks.

# %%
RESULTS = notebooks.results_root()
assert mummybench(["run", "vector-search", "--plan", "quick", "--jobs", str(notebooks.jobs()), "--results", RESULTS]) == 0

# %% [markdown]
# ## 3. The verdicts
#
# A verdict is *holds*, *breaks* or *inconclusive*: the last when the interval straddles the threshold.

# %%
found = notebooks.summary("vector-search", RESULTS)
rep = found["reproduction"]
notebooks.headline(found)

# %% [markdown]
# ## 4. Plot from the exported trials
#
# Every trial is a row of `trials_dataframe` (the same table `mummybench export` writes).
# Here: the saving in distance computations against the intrinsic dimension of the vectors (the quick plan's
# one axis), every other axis at the plan's base (6,000 synthetic vectors).

# %%
trials = trials_dataframe("vector-search", RESULTS)
rows = notebooks.one_axis(trials, case, "intrinsic_dim", rep["setting"])
fig = notebooks.plot_axis(rows, case, "intrinsic_dim", rep["setting"])

# %% [markdown]
# ## 5. Against the committed full plan
#
# The committed results used more seeds, 20,000 vectors and a finer grid. Does the quick plan find the break in
# intrinsic dimension near the same place? Exercise 2 of the lesson asks for it; check with
# `mummybench answer vector-search 2 <dimension>`.

# %%
_ = mummybench(["answer", "vector-search", "2", "--results", str(notebooks.COMMITTED)])
