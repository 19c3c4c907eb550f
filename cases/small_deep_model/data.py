"""MNIST-1D generated locally with the `mnist1d` package (never its download path)."""

from __future__ import annotations

from typing import Any

import numpy as np

# The generator's own knobs with their defaults in mnist1d.data.get_dataset_args() (the paper's dataset).
GENERATOR_DEFAULTS = {"corr_noise_scale": 0.25, "iid_noise_scale": 0.02, "max_translation": 48, "scale_coeff": 0.4,
                      "shear_scale": 0.75}
DATA_SEED = 42  # the paper's dataset; the trial seed drives initialisation and data order, not the data
VALIDATION_SEED = 43  # a fresh draw from the same generator, for early stopping: the training set stays the paper's
VALIDATION_SIZE = 1000


def _generate(generator: dict[str, float], seed: int, num_samples: int | None = None) -> dict[str, Any]:
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    for key, value in generator.items():
        setattr(args, key, value)
    args.seed = seed
    if num_samples is not None:
        args.num_samples = num_samples
    state = np.random.get_state()  # make_dataset seeds numpy's global generator; leave it as found
    try:
        return make_dataset(args)
    finally:
        np.random.set_state(state)


def make(generator: dict[str, float]) -> dict[str, Any]:
    """4,000 training and 1,000 test signals of length 40 (the paper's, data seed 42), and 1,000 validation
    signals drawn from the same generator with another seed, as float32 arrays."""
    data = _generate(generator, DATA_SEED)
    # the training part of a 1,250-signal draw (train_split 0.8) is the validation set
    val = _generate(generator, VALIDATION_SEED, num_samples=VALIDATION_SIZE * 5 // 4)
    return {"x": data["x"].astype(np.float32), "y": data["y"].astype(np.int64),
            "x_test": data["x_test"].astype(np.float32), "y_test": data["y_test"].astype(np.int64),
            "x_val": val["x"][:VALIDATION_SIZE].astype(np.float32), "y_val": val["y"][:VALIDATION_SIZE].astype(np.int64)}


class Datasets:
    """Each generator setting's dataset, made once per process (the dataset is a pure function of it)."""

    def __init__(self) -> None:
        self._made: dict[tuple, dict[str, Any]] = {}

    def get(self, generator: dict[str, float]) -> dict[str, Any]:
        key = tuple(sorted(generator.items()))
        if key not in self._made:
            if len(self._made) > 16:
                self._made.clear()
            self._made[key] = make(generator)
        return self._made[key]
