"""Toy cases whose global answers are known exactly: for the tests and `make bench` of the global phases.

- `Ishigami`: the Ishigami-Homma function (Ishigami & Homma 1990), the standard test of Sobol' indices. Its
  indices have closed forms (`ishigami_indices`), so a screening can be checked against the truth.
- `Dip`: a claim whose holding region has an interaction and a narrow dip that a one-at-a-time sweep misses:
  value = 1 - 1.2 x y - 0.8 exp(-(z - 0.62)^2 / (2 * 0.04^2)) + noise, claim value >= 0.5. From the anchor
  (x = y = z = 0.2) no single axis breaks it, yet it breaks where x y > 5/12 and in a band of z around 0.62 that
  falls between the grid points of a 5-point sweep (0.5 and 0.75). `mode` is a category that does nothing.
"""

from __future__ import annotations

import json
import math
import zlib

import numpy as np

from mummybench import Axis, Case, Choice, Claim, Float, Outcome, Plan

DIP_CENTRE, DIP_WIDTH, DIP_DEPTH = 0.62, 0.04, 0.8


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> dict[str, tuple[float, float]]:
    """Analytic (S1, ST) of the Ishigami function on [-pi, pi]^3, from its ANOVA terms: V1 = (1 + b pi^4 / 5)^2 / 2,
    V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225, the rest 0. At a = 7, b = 0.1 they give S1 = 0.3139, 0.4424, 0, the values
    SALib's `test_functions.Ishigami` docstring quotes."""
    pi4, pi8 = math.pi ** 4, math.pi ** 8
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a * a / 8
    v13 = 8 * b * b * pi8 / 225
    total = v1 + v2 + v13
    return {"x1": (v1 / total, (v1 + v13) / total), "x2": (v2 / total, v2 / total), "x3": (0.0, v13 / total)}


def dip_value(x: float, y: float, z: float) -> float:
    """The Dip toy's noise-free value."""
    return 1.0 - 1.2 * x * y - DIP_DEPTH * math.exp(-((z - DIP_CENTRE) ** 2) / (2 * DIP_WIDTH ** 2))


class Ishigami(Case):
    name = "ishigami"
    title = "Ishigami: a function with analytic Sobol' indices"
    claim = Claim(text="the Ishigami function stays at or above 0", source="Ishigami & Homma (1990), a test function",
                  metric="y", op=">=", threshold=0.0, resolution=1e-6)
    listed = False
    axes = tuple(Axis(f"x{i}", Float(-math.pi, math.pi), anchor=0.0, why="an input of the Ishigami function")
                 for i in (1, 2, 3))
    libraries = ("numpy",)
    plans = {
        "quick": Plan("quick", seeds_min=2, seeds_max=2, grid_points=3, depth=0, map_resolution=0, random_samples=0,
                      sobol_samples=1024),
        "full": Plan("full", seeds_min=2, seeds_max=2, grid_points=3, depth=0, map_resolution=0, random_samples=0,
                     sobol_samples=4096, morris_trajectories=20),
    }

    def trial(self, data: object, setting: dict, seed: int) -> Outcome:
        x1, x2, x3 = setting["x1"], setting["x2"], setting["x3"]
        y = math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3 ** 4 * math.sin(x1)
        return Outcome(metrics={"y": y})


class Dip(Case):
    name = "dip"
    title = "Dip: an interaction and a narrow dip that one-at-a-time sweeps miss"
    claim = Claim(text="the value stays at or above 0.5", source="mummybench's own toy case (no paper)",
                  metric="value", op=">=", threshold=0.5, resolution=1e-4)
    listed = False
    axes = (
        Axis("x", Float(0.0, 1.0), anchor=0.2, why="interacts with y: breaks where x y > 5/12"),
        Axis("y", Float(0.0, 1.0), anchor=0.2, why="interacts with x"),
        Axis("z", Float(0.0, 1.0), anchor=0.2, why="a narrow dip around 0.62, between the 5-point grid's 0.5 and 0.75"),
        Axis("mode", Choice(("a", "b", "c")), anchor="a", why="a category that changes nothing"),
    )
    libraries = ("numpy",)
    sigma = 0.01
    plans = {
        "quick": Plan("quick", seeds_min=2, seeds_max=2, grid_points=5, depth=1, map_resolution=0, random_samples=10,
                      morris_trajectories=2, region=True, refine_rounds=1, refine_batch=5),
        "full": Plan("full", seeds_min=2, seeds_max=4, seeds_step=2, grid_points=5, depth=2, map_resolution=0,
                     random_samples=30, morris_trajectories=6, region=True, refine_rounds=4, refine_batch=10),
    }

    def trial(self, data: object, setting: dict, seed: int) -> Outcome:
        # noise drawn from the seed and the setting: two settings run on one seed get independent noise, as a real
        # case's do, so that no paired difference cancels it
        key = zlib.crc32(json.dumps(setting, sort_keys=True).encode())
        noise = float(np.random.default_rng([seed, key]).normal(0.0, self.sigma))
        return Outcome(metrics={"value": dip_value(setting["x"], setting["y"], setting["z"]) + noise})
