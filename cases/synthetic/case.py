"""A toy case whose breaking points are known exactly: for tests, benchmarks and teaching.

score = 1 - 0.1*|a - 5| - 0.2*|log10(n / 100)| - 0.15*max(level - 2, 0) - 0.5*[mode == "bad"] + noise,
noise ~ Normal(0, 0.01) drawn from the seed. The claim "score >= 0.8" therefore breaks at
a < 3 and a > 7, at n < 10 (never above, within range), at level >= 4, and for mode "bad".
"""

from __future__ import annotations

import math
import time

import numpy as np

from mummybench import Axis, Case, Choice, Claim, Float, Int, Outcome, Plan

TRUE_BREAKS = {"a": (3.0, 7.0), "n": (10, None), "level": (None, 4)}


class Synthetic(Case):
    name = "synthetic"
    title = "Synthetic: a claim with known breaking points"
    claim = Claim(text="the score stays at or above 0.8", source="mummybench's own toy case (no paper)",
                  metric="score", op=">=", threshold=0.8, resolution=1e-6)
    tolerance = {"score": 0.0}  # `verify` must find the stored score bit for bit
    listed = False  # the tests' toy: `mummybench list --all` shows it
    axes = (
        Axis("a", Float(0.0, 10.0), anchor=5.0, plausible=(0.0, 10.0), why="linear penalty, breaks at 3 and 7"),
        Axis("n", Int(1, 1000, log=True), anchor=100, plausible=(1, 1000), why="log penalty, breaks below 10"),
        Axis("level", Choice((1, 2, 3, 4, 5), ordered=True), anchor=2, why="ordered choice, breaks at 4"),
        Axis("mode", Choice(("good", "bad")), anchor="good", why="category, 'bad' breaks"),
    )
    map_axes = ("a", "n")
    libraries = ("numpy",)
    sigma = 0.01
    cost_ms = 0.0  # busy work per trial, for benchmarks
    plans = {
        "quick": Plan("quick", seeds_min=3, seeds_max=6, grid_points=5, depth=4, map_resolution=3, random_samples=10),
        "full": Plan("full", seeds_min=3, seeds_max=10, grid_points=6, depth=6, map_resolution=5, random_samples=40),
    }

    def trial(self, data: object, setting: dict, seed: int) -> Outcome:
        if self.cost_ms:
            end = time.perf_counter() + self.cost_ms / 1000
            while time.perf_counter() < end:
                pass
        rng = np.random.default_rng(seed)
        score = (1.0 - 0.1 * abs(setting["a"] - 5.0) - 0.2 * abs(math.log10(setting["n"] / 100))
                 - 0.15 * max(setting["level"] - 2, 0) - 0.5 * (setting["mode"] == "bad") + rng.normal(0, self.sigma))
        return Outcome(metrics={"score": score}, examples={"noise": score})

    def describe(self, examples: dict) -> str:
        return f"score with its noise: {examples.get('noise', float('nan')):.4f}"
