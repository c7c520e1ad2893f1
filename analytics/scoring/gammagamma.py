"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer Base
Analysis", Journal of Marketing Research 42(4), 415-430; and Fader & Hardie's note "The Gamma-Gamma Model of
Monetary Value", 2013).

The story: each transaction of a customer is worth z ~ Gamma(p, ν), with the same p for everyone and a personal
scale ν; across customers ν ~ Gamma(q, γ). A customer with x repeat transactions of mean value m then has the
likelihood

    L(p, q, γ | m, x) = Γ(px + q) / (Γ(px) Γ(q)) · γ^q · m^(px − 1) · x^(px) / (γ + m·x)^(px + q)

and an expected spend per future transaction of

    E[Z | m, x] = (γ + m·x)·p / (p·x + q − 1)
                = (q − 1)/(p·x + q − 1) · p·γ/(q − 1)  +  p·x/(p·x + q − 1) · m,

a weighted mean of the population mean p·γ/(q − 1) and the customer's own mean, leaning on their own history the
more of it there is. The model assumes that spend per transaction is independent of how often a customer buys;
`spend_frequency_correlation` reports that correlation so it can be checked before the model is trusted.

Pure numpy/scipy: the training service fits it on repeat buyers (x ≥ 1, m > 0) and predicts for everyone; a
customer with no usable repeat spend gets the population mean.
"""

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

FloatArray = npt.NDArray[np.float64]

MIN_CUSTOMERS = 10  # fewer repeat buyers than this identify no heterogeneity: use the plain mean
_LOG_BOUND = 15.0  # parameters within exp(±15) ≈ 3e-7 .. 3e6


@dataclass(frozen=True)
class GammaGammaParams:
    """Fitted parameters, or a degenerate model (`degenerate`) that predicts one value for everyone."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    customers: int
    converged: bool
    degenerate: bool = False
    mean_spend: float = 0.0  # mean spend per repeat transaction of the customers it was fitted on

    @property
    def population_mean(self) -> float:
        """E[Z] = p·γ/(q − 1): the expected spend per transaction of a customer we know nothing about."""
        if self.degenerate or self.q <= 1:
            return self.mean_spend
        return self.p * self.gamma / (self.q - 1)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "population_mean": self.population_mean}


def _clean(frequency: npt.ArrayLike, monetary: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    if x.shape != m.shape:
        raise ValueError("frequency and monetary must have the same shape")
    usable = (x >= 1) & (m > 0) & np.isfinite(m)
    return x[usable], m[usable]


def log_likelihood(params: npt.ArrayLike, frequency: npt.ArrayLike, monetary: npt.ArrayLike) -> float:
    """Total log-likelihood of (p, q, γ) over customers with x ≥ 1 repeat transactions of mean value m > 0."""
    p, q, gamma = (float(v) for v in np.asarray(params, dtype=float))
    x, m = _clean(frequency, monetary)
    px = p * x
    terms = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * math.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(gamma + m * x)
    )
    return float(terms.sum())


def _negative(log_params: FloatArray, x: FloatArray, m: FloatArray) -> float:
    p, q, gamma = np.exp(log_params)
    px = p * x
    value = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(gamma + m * x)
    ).sum()
    return float(-value) if np.isfinite(value) else 1e300


def _start(x: FloatArray, m: FloatArray) -> FloatArray:
    """Method-of-moments starting values: the per-customer means vary around the population mean E[Z]."""
    mean = float(np.average(m, weights=x))
    spread = float(np.var(m)) or mean**2 / 10
    q = max(2.0 + mean**2 / max(spread, 1e-9), 2.5)
    p = 4.0
    gamma = mean * (q - 1) / p
    return np.log(np.array([p, q, gamma]))


def fit(frequency: npt.ArrayLike, monetary: npt.ArrayLike) -> GammaGammaParams:
    """Maximum-likelihood fit on the customers with x ≥ 1 repeat transactions of mean value m > 0.

    With too few customers, or spend that barely varies across them (the likelihood then grows without bound as
    p and q go to infinity), the result is degenerate: every customer is predicted the mean spend."""
    x, m = _clean(frequency, monetary)
    mean_spend = float(np.average(m, weights=x)) if x.size else 0.0
    degenerate = GammaGammaParams(
        p=math.nan,
        q=math.nan,
        gamma=math.nan,
        log_likelihood=math.nan,
        customers=int(x.size),
        converged=False,
        degenerate=True,
        mean_spend=mean_spend,
    )
    if x.size < MIN_CUSTOMERS or float(np.ptp(m)) <= 1e-9 * max(mean_spend, 1.0):
        return degenerate
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * 3
    result = optimize.minimize(_negative, _start(x, m), args=(x, m), method="L-BFGS-B", bounds=bounds)
    if not np.all(np.isfinite(result.x)):
        return degenerate
    p, q, gamma = (float(v) for v in np.exp(result.x))
    at_bound = bool(np.any(np.abs(result.x) >= _LOG_BOUND - 1e-6))
    if at_bound or q <= 1:  # no interior optimum: spend hardly varies across customers, or E[Z] is undefined
        return degenerate
    return GammaGammaParams(
        p=p,
        q=q,
        gamma=gamma,
        log_likelihood=-float(result.fun),
        customers=int(x.size),
        converged=bool(result.success),
        mean_spend=mean_spend,
    )


def expected_spend(params: GammaGammaParams, frequency: npt.ArrayLike, monetary: npt.ArrayLike) -> FloatArray:
    """E[spend per future transaction] for each customer; the population mean where x = 0 or m ≤ 0."""
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    fallback = np.full(x.shape, params.population_mean, dtype=float)
    if params.degenerate:
        return fallback
    usable = (x >= 1) & (m > 0) & np.isfinite(m)
    p, q, gamma = params.p, params.q, params.gamma
    with np.errstate(invalid="ignore", divide="ignore"):
        own = (gamma + m * x) * p / (p * x + q - 1)
    return np.where(usable, own, fallback).astype(float)


def spend_frequency_correlation(frequency: npt.ArrayLike, monetary: npt.ArrayLike) -> float | None:
    """Pearson correlation of repeat frequency and mean repeat spend among repeat buyers: the model assumes it is
    near zero (the paper's CDNOW sample: 0.11). None when undefined."""
    x, m = _clean(frequency, monetary)
    if x.size < 3 or float(np.std(x)) == 0 or float(np.std(m)) == 0:
        return None
    return float(np.corrcoef(x, m)[0, 1])
