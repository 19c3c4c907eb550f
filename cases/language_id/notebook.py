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
# # Language identification on trial: the notebook
#
# This notebook walks the case's lesson ([lesson.md](lesson.md)) on the **quick plan**: fewer seeds and a coarser
# grid than the committed full plan, so that it runs in a few minutes on a laptop. Its numbers are therefore
# rougher than those in `results/language_id/report.md`; the last section compares the two.
#
# Open it with `make notebook CASE=language-id`. It writes under `runs/notebook/` (or
# `$MUMMYBENCH_NOTEBOOK_RESULTS`), never over the committed `results/`.

# %%
from mummybench import notebooks, trials_dataframe
from mummybench.cli import main as mummybench
from mummybench.registry import get_case

case = get_case("language-id")
print(case.claim.text)
print("source:", case.claim.source)

# %% [markdown]
# ## 1. One trial, and its examples
#
# A trial is a pure function of (setting, seed). At the anchor setting langid.py labels about 200-character
# texts from Django's translation catalogues. Look at the misidentified texts at the end: which languages are
# confused, and with which?

# %%
_ = mummybench(["trial", "language-id", "--seed", "0"])

# %% [markdown]
# ## 2. The quick plan
#
# Several seeds at the anchor setting (the reproduction), then each hidden parameter moved one at a time,
# with bisection between the last value that holds and the first that breaks.

# %%
RESULTS = notebooks.results_root()
assert mummybench(["run", "language-id", "--plan", "quick", "--jobs", str(notebooks.jobs()),
                   "--results", RESULTS]) == 0

# %% [markdown]
# ## 3. The verdicts
#
# A verdict is *holds*, *breaks* or *inconclusive*: the last when the interval straddles the threshold.

# %%
found = notebooks.summary("language-id", RESULTS)
rep = found["reproduction"]
notebooks.headline(found)

# %% [markdown]
# ## 4. Plot from the exported trials
#
# Every trial is a row of `trials_dataframe` (the same table `mummybench export` writes). Here: accuracy against
# text length, every other axis at the anchor.

# %%
trials = trials_dataframe("language-id", RESULTS)
rows = notebooks.one_axis(trials, case, "text_length", rep["setting"])
fig = notebooks.plot_axis(rows, case, "text_length", rep["setting"])

# %% [markdown]
# ## 5. Against the committed full plan
#
# The committed results used more seeds and a finer grid. Does the quick plan put the break in the same place?
# Exercise 2 of the lesson asks for it; check your answer with `mummybench answer language-id 2 <length>`.

# %%
_ = mummybench(["answer", "language-id", "2", "--results", str(notebooks.COMMITTED)])
