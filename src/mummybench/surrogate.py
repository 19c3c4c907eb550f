"""A Gaussian-process surrogate of the claim's value over the plausible space, and what follows from it:
P(holds) at any setting, and joint posterior draws for the share of the space where the claim holds.

scikit-learn's GaussianProcessRegressor, fitted on one row per measured setting (the mean of its seeds). Kernel:
a constant times an anisotropic Matern-5/2 (one length scale per input column: an axis that does not matter
gets a long one), plus white noise for what the model cannot fit. Seed noise enters each row as its own
variance, s^2 / n (s pooled over every setting measured on two or more seeds), so a mean of eight seeds counts
more than one trial. Hyperparameters are fitted by maximum likelihood on at most `FIT_ROWS` rows (one L-BFGS
start from a length scale of half the range, at most `MAX_ITERATIONS` steps), then the model is conditioned on
every row. P(holds) is the posterior probability that the *noise-free* value
satisfies the claim at the claim's resolution (a tie counts as the claim does).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.linalg import cho_solve, solve_triangular
from scipy.special import ndtr

from .claim import Claim
from .cube import Cube
from .runner import Evaluation
from .space import Setting
from .stats import pooled_variance

FIT_ROWS = 300
MAX_ITERATIONS = 100  # L-BFGS steps of the hyperparameter fit: one start, capped, keeps a report's replay in seconds


def _fit_hyperparameters(objective, theta, bounds):  # scikit-learn's optimizer signature
    from scipy.optimize import minimize

    found = minimize(objective, theta, method="L-BFGS-B", jac=True, bounds=bounds,
                     options={"maxiter": MAX_ITERATIONS})
    return found.x, found.fun


class Surrogate:
    """Posterior of the claim's noise-free value given measured settings. Deterministic for the same inputs."""

    def __init__(self, cube: Cube, claim: Claim, evaluations: Sequence[Evaluation], seed: int = 0,
                 kernel: Any = None) -> None:
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

        self.cube, self.claim = cube, claim
        rows = [ev for ev in evaluations if ev.values]
        self.settings = [ev.setting for ev in rows]
        self.x = cube.features(self.settings)
        means = np.array([float(np.mean(ev.values)) for ev in rows])
        counts = np.array([len(ev.values) for ev in rows], dtype=float)
        self.seed_var = max(pooled_variance([ev.values for ev in rows]), claim.sd_floor ** 2)
        self.y_mean = float(means.mean()) if len(means) else 0.0
        self.y_scale = float(means.std()) if len(means) > 1 and means.std() > 0 else 1.0
        y = (means - self.y_mean) / self.y_scale
        alpha = self.seed_var / counts / self.y_scale ** 2 + 1e-8
        self.n = len(rows)
        if kernel is None:
            kernel = (ConstantKernel(1.0, (1e-3, 1e3))
                      * Matern(length_scale=np.full(self.x.shape[1], 0.5), length_scale_bounds=(0.03, 100.0), nu=2.5)
                      + WhiteKernel(1e-3, (1e-8, 1.0)))
            pick = np.arange(self.n)
            if self.n > FIT_ROWS:
                pick = np.sort(np.random.default_rng(seed).choice(self.n, FIT_ROWS, replace=False))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence warnings at a bound: the bound is the answer
                tuned = GaussianProcessRegressor(kernel, alpha=alpha[pick], optimizer=_fit_hyperparameters,
                                                 random_state=seed)
                tuned.fit(self.x[pick], y[pick])
            kernel = tuned.kernel_
        self.kernel = kernel
        self._y, self._alpha = y, alpha
        self._condition(self.x, y, alpha)

    def _condition(self, x: np.ndarray, y: np.ndarray, alpha: np.ndarray) -> None:
        k = self.kernel(x) + np.diag(alpha)
        k[np.diag_indices_from(k)] += 1e-10
        self._x_train = x
        self._chol = np.linalg.cholesky(k)
        self._weights = cho_solve((self._chol, True), y)

    @property
    def latent_kernel(self) -> Any:
        return self.kernel.k1  # constant x Matern, without the white noise

    def latent(self, x: np.ndarray, cov: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and sd (or covariance) of the standardized noise-free value at feature rows x."""
        cross = self.latent_kernel(x, self._x_train)
        mean = cross @ self._weights
        v = solve_triangular(self._chol, cross.T, lower=True)
        if cov:
            return mean, self.latent_kernel(x) - v.T @ v
        var = self.latent_kernel.diag(x) - np.sum(v * v, axis=0)
        return mean, np.sqrt(np.maximum(var, 1e-12))

    def predict(self, settings: Sequence[Setting]) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and sd of the claim's value, in its own units."""
        mean, sd = self.latent(self.cube.features(settings))
        return mean * self.y_scale + self.y_mean, sd * self.y_scale

    def edge(self) -> tuple[float, int]:
        """The threshold in standardized units, shifted by the tie, and the side that holds (+1 above, -1 below)."""
        c = self.claim
        t = {">=": c.threshold - c.tie, ">": c.threshold + c.tie, "<=": c.threshold + c.tie, "<": c.threshold - c.tie}[c.op]
        return (t - self.y_mean) / self.y_scale, (1 if c.op in (">=", ">") else -1)

    def p_holds(self, settings: Sequence[Setting]) -> np.ndarray:
        if not settings:
            return np.zeros(0)
        mean, sd = self.latent(self.cube.features(settings))
        t, side = self.edge()
        return ndtr(side * (mean - t) / sd)

    def straddle(self, x: np.ndarray) -> np.ndarray:
        """Bryan et al. (2005)'s straddle score for level-set estimation, 1.96 sd - |mean - threshold|: largest
        where the verdict is least certain."""
        mean, sd = self.latent(x)
        return 1.96 * sd - np.abs(mean - self.edge()[0])

    def batch(self, candidates: Sequence[Setting], size: int) -> list[Setting]:
        """`size` settings chosen one after another by the straddle score, each chosen one conditioned on as if
        measured at its posterior mean (the 'kriging believer'), so that a batch spreads out."""
        x_all = self.cube.features(candidates)
        chosen: list[int] = []
        x, y, alpha = self._x_train, self._y, self._alpha
        per_row = self.seed_var / self.y_scale ** 2
        for _ in range(min(size, len(candidates))):
            score = self.straddle(x_all)
            score[chosen] = -np.inf
            i = int(np.argmax(score))
            chosen.append(i)
            m, _ = self.latent(x_all[i:i + 1])
            x, y, alpha = np.vstack([x, x_all[i:i + 1]]), np.append(y, m), np.append(alpha, per_row)
            self._condition(x, y, alpha)
        self._condition(self.x, self._y, self._alpha)
        return [candidates[i] for i in chosen]

    def share(self, settings: Sequence[Setting], draws: int = 400, seed: int = 0) -> dict[str, Any]:
        """The share of the plausible space where the claim holds, from settings drawn uniformly from it: the mean
        of P(holds), and a 95% interval from joint posterior draws of the value at every setting, each draw on a
        bootstrap resample of the settings (so the interval also covers the finite sample of the space)."""
        if not settings:
            return {"estimate": None, "ci": [None, None], "points": 0, "draws": 0}
        x = self.cube.features(settings)
        mean, cov = self.latent(x, cov=True)
        t, side = self.edge()
        sd = np.sqrt(np.maximum(np.diag(cov), 1e-12))
        estimate = float(np.mean(ndtr(side * (mean - t) / sd)))
        rng = np.random.default_rng(seed)
        jitter = 1e-9 * max(1.0, float(np.max(np.diag(cov))))
        for _ in range(6):  # a covariance that is numerically not positive definite gets a little more jitter
            try:
                chol = np.linalg.cholesky(cov + jitter * np.eye(len(cov)))
                break
            except np.linalg.LinAlgError:
                jitter *= 10
        else:
            chol = np.diag(sd)
        values = mean[None, :] + rng.standard_normal((draws, len(mean))) @ chol.T
        holds = side * (values - t) >= 0
        resample = rng.integers(0, len(mean), (draws, len(mean)))
        shares = np.take_along_axis(holds, resample, axis=1).mean(axis=1)
        return {"estimate": estimate, "ci": [float(np.quantile(shares, 0.025)), float(np.quantile(shares, 0.975))],
                "points": len(settings), "draws": draws}

    def contrast(self, settings: Sequence[Setting], weights: Sequence[float]) -> tuple[float, float]:
        """Posterior mean and sd of a linear combination of the value at several settings, in claim units."""
        mean, cov = self.latent(self.cube.features(settings), cov=True)
        w = np.asarray(weights, dtype=float)
        return float(w @ mean) * self.y_scale, math.sqrt(max(float(w @ cov @ w), 0.0)) * self.y_scale

    def length_scales(self) -> dict[str, float]:
        """The fitted length scale of each input column (a category's columns by 'axis=category')."""
        scales = np.atleast_1d(self.latent_kernel.k2.length_scale)
        names = [n if c is None else f"{n}={c}" for n, c in self.cube.columns()]
        return {n: float(s) for n, s in zip(names, np.broadcast_to(scales, (len(names),)))}
