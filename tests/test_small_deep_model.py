"""The small-deep-model case: the authors' architectures, deterministic training, and a quick-plan run."""

import json

import pytest

torch = pytest.importorskip("torch")

from cases.small_deep_model import data as mnist  # noqa: E402
from cases.small_deep_model.case import SmallDeepModel  # noqa: E402
from cases.small_deep_model.models import CNN, MLP  # noqa: E402
from mummybench.cli import main  # noqa: E402
from mummybench.testing import run_notebook  # noqa: E402


def test_architectures_match_the_authors_parameter_counts():
    """5,210 parameters for the CNN and 15,210 for the MLP, as the authors' notebook logs."""
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert count(CNN()) == 5210 and count(MLP()) == 15210


def test_im2col_convolution_equals_conv1d():
    """The CNN's im2col forward gives the same logits as the same layers through F.conv1d."""
    torch.manual_seed(0)
    model, x = CNN(), torch.randn(7, 40)
    h = x.unsqueeze(1)
    for layer in (model.conv1, model.conv2, model.conv3):
        h = layer(h).relu()
    reference = model.linear(h.flatten(1))
    assert torch.allclose(model(x), reference, atol=1e-5)


def test_dataset_is_the_papers_and_leaves_numpy_alone():
    import numpy as np

    np.random.seed(7)
    before = np.random.random()
    np.random.seed(7)
    made = mnist.make(dict(mnist.GENERATOR_DEFAULTS))
    assert np.random.random() == before  # make_dataset's global seeding is undone
    assert made["x"].shape == (4000, 40) and made["x_test"].shape == (1000, 40)
    # the validation set for early stopping is a fresh draw: none of its signals is a training or test signal
    assert made["x_val"].shape == (1000, 40)
    seen = {row.tobytes() for row in np.concatenate([made["x"], made["x_test"]])}
    assert not any(row.tobytes() in seen for row in made["x_val"])


def test_model_selection_picks_its_checkpoint_on_the_same_training_run():
    """One training run, three selections: the best test accuracy seen bounds the other two, and the selection
    axis only chooses which of them is the claim's metric (the training is the same)."""
    case = SmallDeepModel()
    data = case.prepare()
    base = {"steps": 600, "train_size": 1000, "width": 0.5}
    out = {sel: case.trial(data, case.setting({**base, "selection": sel}), 3).metrics for sel in ("final", "best_val")}
    m = out["final"]
    for kind in ("cnn", "mlp"):
        assert m[f"{kind}_test_best_test"] >= max(m[f"{kind}_test_final"], m[f"{kind}_test_best_val"])
        assert m[f"{kind}_test"] == m[f"{kind}_test_final"] and out["best_val"][f"{kind}_test"] == m[f"{kind}_test_best_val"]
        assert m[f"{kind}_stopped_at"] in (250.0, 500.0, 600.0)


def test_two_runs_of_one_trial_give_identical_metrics():
    """Seeded torch, numpy and Python, deterministic algorithms, one thread: bit-identical metrics."""
    case = SmallDeepModel()
    data = case.prepare()
    setting = case.setting({"steps": 150, "train_size": 500, "optimizer": "sgd", "width": 0.5})
    a, b = case.trial(data, setting, 11), case.trial(data, setting, 11)
    assert a.metrics == b.metrics and a.examples == b.examples
    assert case.trial(data, setting, 12).metrics != a.metrics  # the seed matters


@pytest.mark.slow
def test_quick_plan_smoke(tmp_path, monkeypatch):
    """The case's notebook runs the quick plan end to end (so CI executes the notebook), then its outputs are checked."""
    run_notebook("small_deep_model", tmp_path, jobs=2, monkeypatch=monkeypatch)
    out = tmp_path / "small_deep_model"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["claim"]["baseline"] == "mlp_test"
    assert [a["claim"]["metric"] for a in summary["also"]] == ["cnn_test", "mlp_test"]
    # every declared axis is listed with whose anchor it is, and how the run varied it
    assert [a["name"] for a in summary["anchor"]] == [a.name for a in SmallDeepModel.axes]
    assert {a["from"] for a in summary["anchor"]} == {"source", "ours"}
    assert (out / "figures" / "examples_paper.png").exists()
    assert "Also on trial" in (out / "report.md").read_text()
    assert main(["verify", "small-deep-model", "--sample", "2", "--results", str(tmp_path)]) == 0
