"""The training loop of the MNIST-1D baselines (Adam, cross-entropy, batches taken in order, no schedule),
made deterministic: every random number comes from generators seeded by the trial's seed."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch
from torch import nn

from .models import MODELS, initialise

CURVE_POINTS = 16  # evaluations along training, for the learning curves
EVAL_EVERY = 250  # the authors' eval_every (notebooks/train.py, get_model_args): the checkpoints early stopping picks from


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())


def fit(kind: str, data: dict[str, Any], setting: dict[str, Any], seed: int) -> dict[str, Any]:
    """Train one model; return its test accuracy under each model selection, its learning curve and its test
    predictions at the last step. Selections: 'final' (the last step), 'best_val' (early stopping: the checkpoint,
    every EVAL_EVERY steps, with the best validation accuracy, earliest on ties) and 'best_test' (the checkpoint
    with the best test accuracy: reading a test curve's peak, which overstates)."""
    seed_everything(seed)
    torch.use_deterministic_algorithms(True)
    n = setting["train_size"]
    order = np.random.default_rng(seed).permutation(len(data["y"]))[:n]  # which examples, in which order
    x, y = torch.from_numpy(data["x"][order]), torch.from_numpy(data["y"][order])
    x_test, y_test = torch.from_numpy(data["x_test"]), torch.from_numpy(data["y_test"])
    x_val, y_val = torch.from_numpy(data["x_val"]), torch.from_numpy(data["y_val"])
    model = MODELS[kind](setting["width"])
    initialise(model, setting["init"])
    if setting["optimizer"] == "adam":
        opt = torch.optim.Adam(model.parameters(), setting["learning_rate"], weight_decay=setting["weight_decay"], fused=True)
    else:
        opt = torch.optim.SGD(model.parameters(), setting["learning_rate"], momentum=0.9, weight_decay=setting["weight_decay"],
                              fused=True)
    loss_fn = nn.CrossEntropyLoss()
    steps, batch = setting["steps"], min(setting["batch_size"], n)
    marks = set(np.unique(np.geomspace(1, steps, CURVE_POINTS).astype(int)).tolist())
    curve: dict[str, list] = {"step": [], "train": [], "test": []}
    diverged = False
    checkpoints: list[tuple[int, float, float]] = []  # (step, validation accuracy, test accuracy)
    for step in range(1, steps + 1):
        start = ((step - 1) * batch) % n  # sequential batches, as the authors' loop takes them
        idx = torch.arange(start, start + batch) % n
        loss = loss_fn(model(x[idx]), y[idx])
        if not torch.isfinite(loss):
            diverged = True
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step in marks:
            curve["step"].append(step)
            curve["train"].append(round(accuracy(model, x, y), 4))
            curve["test"].append(round(accuracy(model, x_test, y_test), 4))
        if step % EVAL_EVERY == 0 or step == steps:
            checkpoints.append((step, accuracy(model, x_val, y_val), accuracy(model, x_test, y_test)))
    with torch.no_grad():
        logits = model(x_test)
    predicted = logits.argmax(1)
    # a diverged model is scored as it stands (NaN logits predict class 0: about chance)
    final = float((predicted == y_test).float().mean())
    if not checkpoints:  # diverged before the first checkpoint: early stopping has only the model as it stands
        checkpoints = [(steps, accuracy(model, x_val, y_val), final)]
    best_val = max(checkpoints, key=lambda c: (c[1], -c[0]))
    selected = {"final": final, "best_val": best_val[2], "best_test": max(c[2] for c in checkpoints)}
    return {"train": accuracy(model, x, y), "test": final, "selected": selected, "stopped_at": best_val[0], "curve": curve,
            "predicted": predicted.numpy(), "diverged": diverged or not bool(torch.isfinite(logits).all())}
