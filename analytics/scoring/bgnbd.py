"""BG/NBD ("beta-geometric / negative binomial distribution") customer-base model.

Implements Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way: An Alternative to the
Pareto/NBD Model", Marketing Science 24(2), 275-284.

The story the model tells, and why each piece is here:

* While alive, a customer buys according to a Poisson process with rate ``lambda``; ``lambda`` varies across
  customers as Gamma(shape ``r``, rate ``alpha``).
* Right after each purchase the customer drops out for good with probability ``p``; ``p`` varies across
  customers as Beta(``a``, ``b``). Because drop-out can only happen just after a purchase, a customer who has
  made no repeat purchase (``x == 0``) is certainly still alive.

Everything the model needs about one customer is the "RFM" summary of the calibration period:
``x`` (number of repeat purchases), ``t_x`` (time of the last purchase, measured from the first one) and ``T``
(time from the first purchase to the end of the calibration period), all in one time unit (the paper uses
weeks). The parameters ``alpha`` and every forecast horizon ``t`` are in that same unit.

The module is deliberately free of Django so it can be unit-tested quickly and reused from management
commands, tasks or notebooks. Arrays go in and come out as ``numpy`` arrays; the maths is done in log space
because the terms of the likelihood and of ``P(alive)`` overflow ``float64`` for heavy buyers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

__all__ = [
    "BgNbdParams",
    "expected_purchases",
    "fit",
    "log_likelihood",
    "probability_alive",
    "probability_of_purchase",
    "summary_from_purchase_days",
]

FloatArray = npt.NDArray[np.float64]

# Bounds on the log-parameters during fitting. exp(+-20) spans 2e-9..5e8, far wider than any plausible value,
# but it stops the optimiser from wandering into overflow when the data barely identify a parameter (for
# instance ``b`` when nobody ever seems to drop out).
_LOG_PARAM_BOUND = 20.0
# Relative disagreement tolerated between the two algebraically equivalent closed forms of the conditional
# expectation before we distrust ``hyp2f1`` and integrate numerically instead.
_HYP2F1_AGREEMENT_RTOL = 1e-7
# The closed form divides by ``a - 1``; close to ``a == 1`` it loses all precision to cancellation.
_A_NEAR_ONE = 1e-4


@dataclass(frozen=True)
class BgNbdParams:
    """Fitted BG/NBD parameters plus the fit's bookkeeping.

    ``r`` and ``alpha`` are the shape and rate of the Gamma distribution of purchase rates (``alpha`` is in
    the time unit of the data it was fitted on, so forecasts must use that unit too); ``a`` and ``b`` are the
    Beta distribution of drop-out probabilities. ``log_likelihood`` and ``n_customers`` are kept so a stored
    model can be compared with a refit (the log-likelihood only means something for a given data set).
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int

    def __post_init__(self) -> None:
        # Every formula takes logs of the four parameters, so catch bad values where they are made, not later
        # as a NaN deep inside a forecast.
        for name in ("r", "alpha", "a", "b"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"BG/NBD parameter {name!r} must be a finite positive number, got {value!r}")
        if self.n_customers < 0:
            raise ValueError(f"n_customers must be >= 0, got {self.n_customers!r}")

    def as_array(self) -> FloatArray:
        """Return ``(r, alpha, a, b)``, the order :func:`log_likelihood` expects."""
        return np.array([self.r, self.alpha, self.a, self.b], dtype=float)

    def to_dict(self) -> dict[str, float | int]:
        """Plain JSON-serialisable dict (built-in floats/ints), e.g. for a ``JSONField``."""
        data = asdict(self)
        return {key: (int(value) if key == "n_customers" else float(value)) for key, value in data.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BgNbdParams:
        """Inverse of :meth:`to_dict`; unknown keys are rejected so a schema drift is noticed."""
        expected = {"r", "alpha", "a", "b", "log_likelihood", "n_customers"}
        missing = expected - data.keys()
        unknown = data.keys() - expected
        if missing or unknown:
            raise ValueError(
                f"Cannot build BgNbdParams: missing keys {sorted(missing)}, unknown keys {sorted(unknown)}"
            )
        return cls(
            r=float(data["r"]),
            alpha=float(data["alpha"]),
            a=float(data["a"]),
            b=float(data["b"]),
            log_likelihood=float(data["log_likelihood"]),
            n_customers=int(data["n_customers"]),
        )


# ----------------------------------------------------------------------------------------------------------
# Data preparation
# ----------------------------------------------------------------------------------------------------------


def summary_from_purchase_days(
    customer_ids: npt.ArrayLike,
    day_numbers: npt.ArrayLike,
    *,
    calibration_end_day: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Turn a purchase log into the per-customer ``(x, t_x, T)`` summary the model is fitted on.

    Several purchases by one customer on one day count as a single transaction, as in the paper: the model's
    Poisson process is about shopping occasions, and same-day baskets are usually one visit split in parts.
    Only purchases on or before ``calibration_end_day`` are used; the rest is the hold-out period.

    ``day_numbers`` may be in any unit (days, or days / 7 for weeks); the outputs are in the same unit, and
    ``T`` is measured up to ``calibration_end_day`` itself (``calibration_end_day - first``), which is the
    convention that reproduces the paper's CDNOW estimates.

    Returns ``(x, t_x, T)`` as float arrays with one entry per customer who bought at least once in the
    calibration period, in the order of ``numpy.unique`` of those customers' ids, i.e.
    ``np.unique(customer_ids[day_numbers <= calibration_end_day])``.
    """
    ids = np.asarray(customer_ids)
    days = np.asarray(day_numbers, dtype=float)
    if ids.ndim != 1 or days.ndim != 1 or ids.shape != days.shape:
        raise ValueError(
            f"customer_ids and day_numbers must be 1-D arrays of equal length, got shapes {ids.shape} and {days.shape}"
        )
    if not np.all(np.isfinite(days)):
        raise ValueError("day_numbers must all be finite numbers")
    if not math.isfinite(calibration_end_day):
        raise ValueError("calibration_end_day must be a finite number")

    in_calibration = days <= calibration_end_day
    ids = ids[in_calibration]
    days = days[in_calibration]
    if ids.size == 0:
        empty = np.zeros(0, dtype=float)
        return empty, empty.copy(), empty.copy()

    _, codes = np.unique(ids, return_inverse=True)
    codes = codes.ravel()
    # Sort by customer, then day, so each customer's purchases form one contiguous, ordered run.
    order = np.lexsort((days, codes))
    codes = codes[order]
    days = days[order]
    distinct = np.ones(codes.size, dtype=bool)
    distinct[1:] = (codes[1:] != codes[:-1]) | (days[1:] != days[:-1])
    codes = codes[distinct]
    days = days[distinct]

    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], codes.size] - 1
    first = days[starts]
    last = days[ends]
    x = (ends - starts).astype(float)
    return x, last - first, calibration_end_day - first


# ----------------------------------------------------------------------------------------------------------
# Validation helpers
# ----------------------------------------------------------------------------------------------------------


def _validated_summary(
    x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike, *, for_fit: bool
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Check an ``(x, t_x, T)`` summary and return it as float arrays.

    Fitting needs three equal-length 1-D arrays; forecasts accept anything that broadcasts (e.g. a scalar
    ``T`` shared by all customers). Errors are raised here, with a message naming the problem, because the
    likelihood would otherwise silently turn bad rows into NaN or -inf.
    """
    try:
        xs = np.asarray(x, dtype=float)
        txs = np.asarray(t_x, dtype=float)
        Ts = np.asarray(T, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"x, t_x and T must be numeric: {exc}") from exc

    if for_fit:
        if xs.ndim != 1 or txs.ndim != 1 or Ts.ndim != 1:
            raise ValueError(f"x, t_x and T must be 1-D arrays, got {xs.ndim}-D, {txs.ndim}-D and {Ts.ndim}-D")
        if not (xs.size == txs.size == Ts.size):
            raise ValueError(f"x, t_x and T must have the same length, got {xs.size}, {txs.size} and {Ts.size}")
        if xs.size == 0:
            raise ValueError("Cannot fit the BG/NBD model on an empty data set")
    else:
        try:
            xs, txs, Ts = np.broadcast_arrays(xs, txs, Ts)
        except ValueError as exc:
            raise ValueError(f"x, t_x and T have incompatible shapes: {exc}") from exc

    for name, values in (("x", xs), ("t_x", txs), ("T", Ts)):
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} contains NaN or infinite values")
        if np.any(values < 0):
            raise ValueError(f"{name} contains negative values")
    if np.any(xs != np.round(xs)):
        raise ValueError("x (number of repeat purchases) must contain whole numbers")
    if np.any(txs > Ts):
        raise ValueError("t_x (time of last purchase) cannot exceed T (length of the observation period)")
    return xs, txs, Ts


def _validated_horizon(t: npt.ArrayLike) -> FloatArray:
    ts = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(ts)) or np.any(ts < 0):
        raise ValueError("t (forecast horizon) must be finite and >= 0")
    return ts


def _validated_params(params: npt.ArrayLike) -> FloatArray:
    values = np.asarray(params, dtype=float)
    if values.shape != (4,):
        raise ValueError(f"params must be the four values (r, alpha, a, b), got shape {values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"params (r, alpha, a, b) must all be finite and positive, got {values.tolist()}")
    return values


# ----------------------------------------------------------------------------------------------------------
# Likelihood and fitting
# ----------------------------------------------------------------------------------------------------------


def _log_likelihood_terms(
    r: float, alpha: float, a: float, b: float, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Per-customer log-likelihood (paper eq. 6) and the posterior weight of "dropped out after t_x".

    The likelihood is ``A * (alpha+T)^-(r+x) + [x>0] * A * a/(b+x-1) * (alpha+t_x)^-(r+x)``: the first term
    is "still alive at T", the second "dropped out right after the last purchase". Both terms are far below
    the smallest float for frequent buyers, hence logs and ``logaddexp``. The second term only exists when
    ``x > 0`` (and ``b + x - 1`` may be negative when ``x == 0``), so it is masked rather than computed.

    The returned weight ``w`` (the share of the second term) is what the gradient needs.
    """
    log_common = (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * np.log(alpha)
        + special.gammaln(a + b)
        + special.gammaln(b + x)
        - special.gammaln(b)
        - special.gammaln(a + b + x)
    )
    log_alive = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    log_dropped = np.full_like(log_alive, -np.inf)
    xr = x[repeat]
    log_dropped[repeat] = np.log(a) - np.log(b + xr - 1.0) - (r + xr) * np.log(alpha + t_x[repeat])
    log_mix = np.logaddexp(log_alive, log_dropped)
    weight_dropped = np.exp(log_dropped - log_mix)
    return log_common + log_mix, weight_dropped


def log_likelihood(params_array: npt.ArrayLike, x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike) -> float:
    """Total BG/NBD log-likelihood of the summaries ``(x, t_x, T)`` at ``params_array = (r, alpha, a, b)``.

    Vectorised over customers and evaluated in log space (``gammaln``/``logaddexp``), so it stays finite for
    customers with hundreds of purchases. Useful on its own to compare candidate parameter sets on one data
    set; :func:`fit` maximises it.
    """
    r, alpha, a, b = _validated_params(params_array)
    xs, txs, Ts = _validated_summary(x, t_x, T, for_fit=True)
    terms, _ = _log_likelihood_terms(r, alpha, a, b, xs, txs, Ts)
    return float(np.sum(terms))


def _negative_mean_log_likelihood_and_gradient(
    log_params: FloatArray, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> tuple[float, FloatArray]:
    """Objective for the optimiser: ``-mean log-likelihood`` and its gradient w.r.t. the log-parameters.

    Working on log-parameters keeps all four parameters positive without constraints. Dividing by the number
    of customers keeps the objective O(1) whatever the data size, so the optimiser's default tolerances mean
    the same thing on 100 and on 100,000 customers. The analytic gradient (digamma terms, mixed by the
    posterior weight of the two likelihood branches) is cheap and far more precise than finite differences,
    which matters for reproducing published estimates to three decimals.
    """
    r, alpha, a, b = np.exp(log_params)
    terms, w = _log_likelihood_terms(r, alpha, a, b, x, t_x, T)
    value = float(np.mean(terms))
    if not math.isfinite(value):
        # L-BFGS-B cannot handle inf; a huge value with a zero gradient makes it backtrack.
        return 1e300, np.zeros(4)

    alive = 1.0 - w
    repeat = x > 0
    inv_b_x_1 = np.zeros_like(x)
    inv_b_x_1[repeat] = 1.0 / (b + x[repeat] - 1.0)
    d_r = (
        special.digamma(r + x)
        - special.digamma(r)
        + np.log(alpha)
        - alive * np.log(alpha + T)
        - w * np.log(alpha + t_x)
    )
    d_alpha = r / alpha - alive * (r + x) / (alpha + T) - w * (r + x) / (alpha + t_x)
    d_a = special.digamma(a + b) - special.digamma(a + b + x) + w / a
    d_b = special.digamma(a + b) + special.digamma(b + x) - special.digamma(b) - special.digamma(a + b + x)
    d_b = d_b - w * inv_b_x_1
    grad = np.array([np.mean(d_r) * r, np.mean(d_alpha) * alpha, np.mean(d_a) * a, np.mean(d_b) * b])
    return -value, -grad


def fit(
    *,
    x: npt.ArrayLike,
    t_x: npt.ArrayLike,
    T: npt.ArrayLike,
    initial: Sequence[float] | None = None,
) -> BgNbdParams:
    """Maximum-likelihood estimate of ``(r, alpha, a, b)`` from per-customer summaries.

    ``x``, ``t_x`` and ``T`` are equal-length 1-D arrays (see :func:`summary_from_purchase_days`); ``initial``
    is an optional starting point ``(r, alpha, a, b)``, all positive (default all ones, as in the paper's
    Excel walk-through, which converges on typical retail data).

    Optimises over log-parameters with L-BFGS-B and an analytic gradient; if that does not report success (or
    ends on a non-finite value) it falls back to Nelder-Mead, which needs no gradient and is robust on flat or
    awkward likelihood surfaces, and keeps whichever result is better.

    Raises ``ValueError`` for empty or mismatched arrays, negative or non-finite values, non-integer ``x``,
    ``t_x > T``, or when no finite optimum can be found.
    """
    xs, txs, Ts = _validated_summary(x, t_x, T, for_fit=True)
    start = np.ones(4) if initial is None else _validated_params(initial)
    log_start = np.clip(np.log(start), -_LOG_PARAM_BOUND, _LOG_PARAM_BOUND)
    bounds = [(-_LOG_PARAM_BOUND, _LOG_PARAM_BOUND)] * 4
    args = (xs, txs, Ts)

    candidates: list[tuple[float, FloatArray]] = []
    result = optimize.minimize(
        _negative_mean_log_likelihood_and_gradient,
        log_start,
        args=args,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-10},
    )
    if math.isfinite(result.fun) and result.fun < 1e300:
        candidates.append((float(result.fun), np.asarray(result.x, dtype=float)))

    if not result.success or not candidates:
        nm_start: FloatArray = candidates[0][1] if candidates else log_start

        def negative_mean_log_likelihood(theta: FloatArray) -> float:
            return _negative_mean_log_likelihood_and_gradient(theta, *args)[0]

        fallback = optimize.minimize(
            negative_mean_log_likelihood,
            nm_start,
            method="Nelder-Mead",
            bounds=bounds,
            options={"maxiter": 20000, "maxfev": 20000, "xatol": 1e-10, "fatol": 1e-14},
        )
        if math.isfinite(fallback.fun) and fallback.fun < 1e300:
            candidates.append((float(fallback.fun), np.asarray(fallback.x, dtype=float)))

    if not candidates:
        raise ValueError("BG/NBD fit failed: the likelihood is not finite anywhere the optimiser looked")
    _, best = min(candidates, key=lambda item: item[0])
    r, alpha, a, b = (float(v) for v in np.exp(best))
    total, _ = _log_likelihood_terms(r, alpha, a, b, xs, txs, Ts)
    return BgNbdParams(r=r, alpha=alpha, a=a, b=b, log_likelihood=float(np.sum(total)), n_customers=int(xs.size))


# ----------------------------------------------------------------------------------------------------------
# Customer-level predictions
# ----------------------------------------------------------------------------------------------------------


def _log_dropout_odds(params: BgNbdParams, x: FloatArray, t_x: FloatArray, T: FloatArray) -> FloatArray:
    """``log(a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x))`` for ``x > 0`` and ``-inf`` for ``x == 0``.

    This is the log of the posterior odds "dropped out after the last purchase" : "still alive". For a loyal
    customer who has gone quiet it is easily above 700, where the power itself would overflow.
    """
    odds = np.full(x.shape, -np.inf)
    repeat = x > 0
    xr = x[repeat]
    odds[repeat] = (
        math.log(params.a)
        - np.log(params.b + xr - 1.0)
        + (params.r + xr) * (np.log(params.alpha + T[repeat]) - np.log(params.alpha + t_x[repeat]))
    )
    return odds


def probability_alive(params: BgNbdParams, *, x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike) -> FloatArray:
    """Probability that each customer is still "alive" at the end of the calibration period (paper eq. 11).

    ``1 / (1 + [x>0] * a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x))``, evaluated as ``exp(-logaddexp(0, odds))``
    so that long silences after many purchases give a tiny probability rather than an overflow. Customers with
    no repeat purchase are alive with probability 1: under BG/NBD drop-out happens only after a purchase.
    """
    xs, txs, Ts = _validated_summary(x, t_x, T, for_fit=False)
    return np.exp(-np.logaddexp(0.0, _log_dropout_odds(params, xs, txs, Ts)))


def probability_of_purchase(
    params: BgNbdParams,
    *,
    t: npt.ArrayLike,
    x: npt.ArrayLike,
    t_x: npt.ArrayLike,
    T: npt.ArrayLike,
) -> FloatArray:
    """Probability of at least one purchase in the window ``(T, T + t]``.

    Equals ``P(alive at T) * (1 - ((alpha+T)/(alpha+T+t))^(r+x))``. Why: a customer who is alive at ``T``
    and buys nothing in the window cannot drop out in it (drop-out only happens right after a purchase), so
    the event is just "alive and the Poisson clock ticks at least once". Given alive, the purchase rate's
    posterior is Gamma(r + x, alpha + T), whose Laplace transform gives the no-purchase probability. The
    power is taken as ``-expm1(-(r+x) * log1p(t/(alpha+T)))`` to stay accurate for short windows.
    """
    xs, txs, Ts = _validated_summary(x, t_x, T, for_fit=False)
    ts = _validated_horizon(t)
    xs, txs, Ts, ts = np.broadcast_arrays(xs, txs, Ts, ts)
    p_alive = np.exp(-np.logaddexp(0.0, _log_dropout_odds(params, xs, txs, Ts)))
    p_any = -np.expm1(-(params.r + xs) * np.log1p(ts / (params.alpha + Ts)))
    probability: FloatArray = np.clip(p_alive * p_any, 0.0, 1.0)
    return probability


def _log1mexp(q: FloatArray, log_q: FloatArray) -> FloatArray:
    """``log(1 - exp(-q))`` accurate for every ``q > 0``; ``log_q`` is passed in for the tiny-``q`` branch."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return np.where(
            log_q < -30.0,
            log_q,  # 1 - exp(-q) == q to double precision; q itself may have underflowed to 0
            np.where(q < math.log(2.0), np.log(-np.expm1(-q)), np.log1p(-np.exp(-q))),
        )


def _conditional_expectation_if_alive_quadrature(
    params: BgNbdParams, t: FloatArray, x: FloatArray, T: FloatArray
) -> FloatArray:
    """``E[X(T, T+t) | alive at T, x, T]`` by numerical integration over the drop-out probability ``p``.

    A customer alive at ``T`` with rate ``lambda`` and drop-out probability ``p`` is, by memorylessness, a
    fresh customer, whose expected number of purchases in ``t`` is ``(1 - exp(-lambda p t)) / p`` (paper
    eq. 7 before mixing). Averaging over the posterior Gamma(r+x, alpha+T) of ``lambda`` gives
    ``g(p) = (1 - (1 + p t/(alpha+T))^-(r+x)) / p``, and what remains is the mean of ``g`` under the
    posterior Beta(a, b+x) of ``p``. This is the fall-back when ``hyp2f1`` cannot be trusted (``a`` near 1,
    very many purchases combined with very long horizons) and an independent check of the closed form.

    The integral is taken over ``v = logit(p)`` with the trapezoid rule, entirely in logs. In that variable
    the integrand is smooth and decays exponentially at both ends (rates ``a`` and ``b + x``), and ``g``
    switches from ``(r+x) t/(alpha+T)`` to ``1/p`` around ``p ~ (alpha+T)/((r+x) t)``, a feature a few
    units wide in ``v`` wherever it lies. For such integrands the trapezoid rule converges geometrically, so
    a step well below both that width and the Beta posterior's width in ``v`` gives near machine precision,
    even where a fixed Gauss rule on ``(0, 1)`` misses a transition at ``p ~ 1e-6``.
    """
    out = np.empty(x.shape, dtype=float)
    log_rate_ratio = np.log(t) - np.log(params.alpha + T)  # log(t / (alpha + T)); t > 0 here
    for x_value in np.unique(x):
        members = np.flatnonzero(x == x_value)
        shape_a, shape_b, shape_r = params.a, params.b + x_value, params.r + x_value
        # Cover both exponential tails far beyond double precision, with steps resolving every feature.
        centre = math.log(shape_a / shape_b)
        lower = centre - 60.0 / shape_a - 10.0
        upper = centre + 60.0 / shape_b + 10.0
        step = min(0.5, 0.25 * math.sqrt(1.0 / shape_a + 1.0 / shape_b))
        n_nodes = int(min(max((upper - lower) / step, 64), 50_000)) + 1
        v = np.linspace(lower, upper, n_nodes)
        log_p = -np.logaddexp(0.0, -v)
        log_1mp = -np.logaddexp(0.0, v)
        log_weight = shape_a * log_p + shape_b * log_1mp - special.betaln(shape_a, shape_b) + math.log(v[1] - v[0])
        rows_per_chunk = max(1, 2_000_000 // n_nodes)  # bound the temporary matrices' memory
        for chunk_start in range(0, members.size, rows_per_chunk):
            rows = members[chunk_start : chunk_start + rows_per_chunk]
            log_kp = log_rate_ratio[rows, None] + log_p[None, :]
            with np.errstate(divide="ignore"):
                # log(log1p(k p)), switching to log(k p) where k p is too small for logaddexp's precision.
                log_log1p_kp = np.where(log_kp < -30.0, log_kp, np.log(np.logaddexp(0.0, log_kp)))
            log_q = math.log(shape_r) + log_log1p_kp
            with np.errstate(over="ignore"):
                q = np.exp(log_q)
            log_integrand = _log1mexp(q, log_q) - log_p[None, :] + log_weight[None, :]
            out[rows] = np.exp(special.logsumexp(log_integrand, axis=1))
    return out


def _conditional_expectation_if_alive(params: BgNbdParams, t: FloatArray, x: FloatArray, T: FloatArray) -> FloatArray:
    """``E[X(T, T+t) | alive at T]``: paper eq. 10 without its ``P(alive)`` denominator.

    The closed form is ``(a+b+x-1)/(a-1) * [1 - (1-z)^(r+x) * 2F1(r+x, b+x; a+b+x-1; z)]`` with
    ``z = t/(alpha+T+t)``. Near ``z = 1`` (long horizons) ``2F1`` grows like ``(1-z)^(a-1-r-x)`` and the
    product is huge times tiny; Euler's transformation gives the equivalent ``(1-z)^(a-1) *
    2F1(a+b-1-r, a-1; a+b+x-1; z)``, whose series is well behaved there. Both forms are evaluated; where they
    disagree, are not finite, or ``a`` is so close to 1 that the ``1/(a-1)`` factor destroys precision, the
    value is computed by quadrature instead, so the result is always finite and non-negative.
    """
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    out = np.zeros(x.shape, dtype=float)
    positive = t > 0  # a zero-length window has zero expected purchases; skip the special functions
    if not np.any(positive):
        return out
    tp, xp, Tp = t[positive], x[positive], T[positive]
    z = tp / (alpha + Tp + tp)
    log_one_minus_z = np.log(alpha + Tp) - np.log(alpha + Tp + tp)
    c = a + b + xp - 1.0
    with np.errstate(all="ignore"):
        direct = np.exp((r + xp) * log_one_minus_z) * special.hyp2f1(r + xp, b + xp, c, z)
        euler = np.exp((a - 1.0) * log_one_minus_z) * special.hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)
        closed = (a + b + xp - 1.0) / (a - 1.0) * (1.0 - euler)
    agree = np.isclose(direct, euler, rtol=_HYP2F1_AGREEMENT_RTOL, atol=0.0)
    trusted = np.isfinite(closed) & (closed >= 0) & agree & (abs(a - 1.0) > _A_NEAR_ONE)
    values = np.where(trusted, closed, 0.0)
    if not np.all(trusted):
        distrusted = ~trusted
        values[distrusted] = _conditional_expectation_if_alive_quadrature(
            params, tp[distrusted], xp[distrusted], Tp[distrusted]
        )
    out[positive] = values
    return out


def expected_purchases(
    params: BgNbdParams,
    *,
    t: npt.ArrayLike,
    x: npt.ArrayLike,
    t_x: npt.ArrayLike,
    T: npt.ArrayLike,
) -> FloatArray:
    """Expected number of purchases in ``(T, T + t]`` given the history ``(x, t_x, T)`` (paper eq. 10).

    This is the quantity to rank customers by for the next ``t`` time units: ``P(alive at T)`` times the
    expected purchases of a customer known to be alive with that history. ``t`` broadcasts against the
    summaries (a scalar horizon for everybody, or one per customer). The result is finite and ``>= 0``; see
    :func:`_conditional_expectation_if_alive` for how ``hyp2f1``'s numerically awkward ranges are handled.
    """
    xs, txs, Ts = _validated_summary(x, t_x, T, for_fit=False)
    ts = _validated_horizon(t)
    xs, txs, Ts, ts = np.broadcast_arrays(xs, txs, Ts, ts)
    p_alive = np.exp(-np.logaddexp(0.0, _log_dropout_odds(params, xs, txs, Ts)))
    return p_alive * _conditional_expectation_if_alive(params, ts, xs, Ts)
