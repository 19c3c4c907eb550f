"""The small-deep-model case: the authors' architectures, deterministic training, and a quick-plan run."""

import json

import pytest

torch = pytest.importorskip("torch")

from cases.small_deep_model import data as mnist  # noqa: E402
from cases.small_deep_model.case import SmallDeepModel  # noqa: E402
from cases.small_deep_model.models import CNN, MLP  # noqa: E402
from mummybench.cli import main  # noqa: E402


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


def test_two_runs_of_one_trial_give_identical_metrics():
    """Seeded torch, numpy and Python, deterministic algorithms, one thread: bit-identical metrics."""
    case = SmallDeepModel()
    data = case.prepare()
    setting = case.setting({"steps": 150, "train_size": 500, "optimizer": "sgd", "width": 0.5})
    a, b = case.trial(data, setting, 11), case.trial(data, setting, 11)
    assert a.metrics == b.metrics and a.examples == b.examples
    assert case.trial(data, setting, 12).metrics != a.metrics  # the seed matters


@pytest.mark.slow
def test_quick_plan_smoke(tmp_path):
    assert main(["run", "small-deep-model", "--plan", "quick", "--jobs", "2", "--results", str(tmp_path), "--quiet"]) == 0
    out = tmp_path / "small_deep_model"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["claim"]["baseline"] == "mlp_test"
    assert summary["also"][0]["claim"]["metric"] == "cnn_test"
    assert (out / "figures" / "examples_paper.png").exists()
    assert "Also on trial" in (out / "report.md").read_text()
    assert main(["verify", "small-deep-model", "--sample", "2", "--results", str(tmp_path)]) == 0
