"""The topic-modeling case: its generator, its metric, determinism, and a quick-plan smoke run."""

import json

import numpy as np
import pytest

from cases.topic_modeling import bars
from cases.topic_modeling.case import TopicModeling
from cases.topic_modeling.fit import match
from mummybench.cli import main
from mummybench.testing import run_notebook


def test_bar_topics_are_rows_and_columns():
    """Ten topics, each uniform over one row or one column of the 5x5 grid."""
    topics = bars.bar_topics()
    assert topics.shape == (10, 25)
    assert np.allclose(topics.sum(axis=1), 1.0)
    assert np.count_nonzero(topics[0].reshape(5, 5)[0]) == 5 and np.count_nonzero(topics[7].reshape(5, 5)[:, 2]) == 5


def test_generator_lengths_and_noise():
    """Each document has doc_length words; with noise 1.0 every pixel appears in a long document."""
    counts = bars.generate(50, 40, 1.0, 0.0, np.random.default_rng(0))
    assert counts.shape == (50, 25) and (counts.sum(axis=1) == 40).all()
    noisy = bars.generate(5, 2000, 1.0, 0.95, np.random.default_rng(0))
    assert (noisy > 0).all()


def test_match_scores_permuted_truth_as_perfect_and_mixtures_low():
    """Permuted true topics match with cosine 1; a 50/50 mixture of two bars scores about 0.71."""
    true = bars.bar_topics()
    _, assigned, sims = match(true, true[::-1])
    assert np.allclose(sims, 1.0) and list(assigned) == list(range(9, -1, -1))
    mixed = true.copy()
    mixed[0] = (true[0] + true[1]) / 2  # rows 0 and 1 share no pixel
    _, _, sims = match(true, mixed)
    assert sims[0] == pytest.approx(np.sqrt(0.5), abs=1e-6) and np.allclose(sims[1:], 1.0)


@pytest.mark.parametrize("implementation", ["gibbs", "gensim", "sklearn_online", "sklearn_batch"])
def test_trial_is_deterministic(implementation):
    """The same (setting, seed) gives identical metrics twice (LdaMulticore excepted: see the next test)."""
    case = TopicModeling()
    values = {"n_docs": 200, "implementation": implementation, **({"passes": 2} if implementation != "gibbs" else {})}
    setting = case.setting(values)
    a, b = case.trial(None, setting, 4), case.trial(None, setting, 4)
    assert a.metrics == b.metrics


def test_multicore_trial_records_whether_a_rerun_agrees():
    """gensim's LdaMulticore is fitted twice with one seed; the trial says whether the topics were identical."""
    case = TopicModeling()
    out = case.trial(None, case.setting({"n_docs": 100, "passes": 1, "implementation": "gensim_multicore"}), 0)
    assert out.metrics["rerun_identical"] in (0.0, 1.0) and 0.0 <= out.metrics["rerun_recovered"] <= 1.0


def test_the_gibbs_anchor_recovers_the_bars():
    """The paper's sampler at the paper's setting recovers every bar (seed 0)."""
    case = TopicModeling()
    assert case.trial(None, case.setting({}), 0).metrics["recovered"] == 1.0


def test_gensim_defaults_fail_and_the_library_warning_is_recorded():
    """At gensim's default chunksize=2000 and passes=1 the bars are not recovered, and gensim's own 'too few
    updates' warning is recorded as a metric and an example instead of being silenced."""
    case = TopicModeling()
    defaults = case.trial(None, case.setting({"implementation": "gensim", "alpha": "symmetric", "eta": 0.1,
                                              "chunksize": 2000, "passes": 1}), 0)
    assert defaults.metrics["recovered"] < 0.5
    assert defaults.metrics["library_warnings"] >= 1
    assert any("too few updates" in w for w in defaults.examples["warnings"])


def test_knobs_that_do_nothing_for_an_implementation_are_rejected():
    """alpha='auto' outside gensim, passes for the Gibbs sampler, sweeps for a variational fit and chunksize for
    batch VB are setting errors, not trials that silently repeat the anchor."""
    from mummybench import SettingError

    case = TopicModeling()
    for values, words in (({"implementation": "sklearn_online", "alpha": "auto"}, "only in gensim"),
                          ({"implementation": "gensim_multicore", "alpha": "auto"}, "only in gensim's LdaModel;"),
                          ({"passes": 3}, "does nothing for implementation=gibbs"),
                          ({"implementation": "gensim", "sweeps": 7}, "'sweeps' does nothing"),
                          ({"implementation": "sklearn_batch", "chunksize": 7}, "'chunksize' does nothing")):
        with pytest.raises(SettingError, match=words):
            case.setting(values)


def test_quick_plan_smoke(tmp_path, monkeypatch):
    """The quick plan runs end to end with 2 jobs and writes a schema-complete summary and figures.
    The case's notebook runs the plan, so CI executes the notebook too.
    """
    run_notebook("topic_modeling", tmp_path, jobs=2, monkeypatch=monkeypatch)
    out = tmp_path / "topic_modeling"
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary) >= {"case", "claim", "reproduction", "axes", "map", "robust_share", "provenance"}
    assert set(summary["claim"]) >= {"text", "source", "metric", "op", "threshold"}
    assert set(summary["reproduction"]) >= {"setting", "verdict", "mean", "ci", "n_seeds"}
    assert summary["reproduction"]["verdict"] == "holds"
    axis = summary["axes"][0]
    assert axis["name"] == "doc_length" and axis["below"]["breaks_at"] < axis["below"]["holds_at"] <= 100
    assert set(summary["map"]) >= {"x", "y", "values"}
    assert set(summary["robust_share"]) >= {"estimate", "ci", "samples"}
    assert (out / "figures" / "examples_paper.png").exists() and (out / "figures" / "map.png").exists()
    assert "concrete examples" in (out / "report.md").read_text().lower()
    # determinism in CI: rerun stored trials and compare every metric with the store
    assert main(["verify", "topic-modeling", "--sample", "2", "--results", str(tmp_path)]) == 0
