"""The statistics of a campaign with a random control group (pure: numbers in, numbers out).

- Assignment: stratified by segment, each stratum shuffled with a seeded generator, so the same seed and the
  same audience give the same arms, and each arm holds every segment in proportion.
- Purchase rate per arm: Wilson score intervals; their difference (treatment − control): Newcombe's hybrid score
  interval (Newcombe 1998, method 10), which keeps its coverage near 95% with small arms and rates near 0;
  p-value from the pooled two-proportion z test.
- Revenue per customer (zeros included): Welch's t interval and test, which do not assume equal variances.
- Incremental revenue: the difference in revenue per customer × the treated customers, with the interval scaled
  the same way.
- Minimum detectable effect: the smallest rate difference the arms can detect at 5% significance with 80% power.
"""

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    p_value: float | None = None

    def covers(self, value: float) -> bool:
        return self.low <= value <= self.high

    def as_dict(self) -> dict[str, float | list[float] | None]:
        return {"estimate": self.estimate, "ci95": [self.low, self.high], "p_value": self.p_value}


def arms_assign(
    *, customers: Sequence[int], strata: Sequence[Hashable], control_share: float, seed: int
) -> npt.NDArray[np.bool_]:
    """True where a customer is in the control group. Within each stratum (taken in sorted order, customers sorted
    by id) a seeded shuffle puts ⌊share·n + u⌋ customers in control, u uniform: every stratum is split in the
    same proportion and the expected control share is exactly `control_share`."""
    if not 0 < control_share < 1:
        raise ValueError("The control share must be between 0 and 1.")
    if len(customers) != len(strata):
        raise ValueError("Every customer needs a stratum.")
    ids = np.asarray(customers, dtype=np.int64)
    keys = np.array([str(s) for s in strata], dtype=object)
    control = np.zeros(ids.size, dtype=bool)
    rng = np.random.default_rng(seed)
    for key in sorted(set(keys.tolist())):
        members = np.flatnonzero(keys == key)
        members = members[np.argsort(ids[members], kind="stable")]
        count = math.floor(control_share * members.size + rng.random())
        chosen = rng.permutation(members.size)[:count]
        control[members[chosen]] = True
    return control


def wilson_interval(successes: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion; (0, 1) when n = 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def rate_difference(buyers_t: int, n_t: int, buyers_c: int, n_c: int) -> Interval:
    """Treatment − control purchase rate with Newcombe's hybrid score interval and a two-sided p-value."""
    if n_t <= 0 or n_c <= 0:
        return Interval(math.nan, -1.0, 1.0, None)
    p_t, p_c = buyers_t / n_t, buyers_c / n_c
    low_t, high_t = wilson_interval(buyers_t, n_t)
    low_c, high_c = wilson_interval(buyers_c, n_c)
    difference = p_t - p_c
    low = difference - math.sqrt((p_t - low_t) ** 2 + (high_c - p_c) ** 2)
    high = difference + math.sqrt((high_t - p_t) ** 2 + (p_c - low_c) ** 2)
    pooled = (buyers_t + buyers_c) / (n_t + n_c)
    variance = pooled * (1 - pooled) * (1 / n_t + 1 / n_c)
    p_value = 1.0 if variance == 0 else float(2 * stats.norm.sf(abs(difference) / math.sqrt(variance)))
    return Interval(difference, max(-1.0, low), min(1.0, high), p_value)


def mean_difference(treatment: npt.ArrayLike, control: npt.ArrayLike) -> Interval:
    """Treatment − control mean (e.g. revenue per customer, zeros included) with Welch's t interval and test."""
    a = np.asarray(treatment, dtype=float)
    b = np.asarray(control, dtype=float)
    if a.size < 2 or b.size < 2:
        estimate = float(a.mean() - b.mean()) if a.size and b.size else math.nan
        return Interval(estimate, -math.inf, math.inf, None)
    difference = float(a.mean() - b.mean())
    va, vb = float(a.var(ddof=1)) / a.size, float(b.var(ddof=1)) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        return Interval(difference, difference, difference, 1.0 if difference == 0 else 0.0)
    df = (va + vb) ** 2 / ((va**2 / (a.size - 1) if va else 0.0) + (vb**2 / (b.size - 1) if vb else 0.0))
    t_crit = float(stats.t.ppf(0.975, df))
    p_value = float(2 * stats.t.sf(abs(difference) / se, df))
    return Interval(difference, difference - t_crit * se, difference + t_crit * se, p_value)


def scaled(interval: Interval, factor: float) -> Interval:
    """The interval of `factor` × the quantity (incremental revenue = difference per customer × treated)."""
    return Interval(interval.estimate * factor, interval.low * factor, interval.high * factor, interval.p_value)


def minimum_detectable_effect(
    *, n_treatment: int, n_control: int, base_rate: float, alpha: float = 0.05, power: float = 0.8
) -> float | None:
    """The smallest purchase-rate difference a two-sided test at `alpha` detects with `power`, given the arms'
    sizes and the rate expected without the campaign."""
    if n_treatment <= 0 or n_control <= 0:
        return None
    rate = min(max(base_rate, 1e-6), 1 - 1e-6)
    z = float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))
    return z * math.sqrt(rate * (1 - rate) * (1 / n_treatment + 1 / n_control))
