"""Tests for the pure BG/NBD module: the paper's CDNOW estimates, hand-checked values and a simulation.

No Django and no database are needed; the CDNOW sample is read from the shared data folder next to the
project (``../shared/data``) and never copied into the repository.
"""

import math

import numpy as np
import pytest

from analytics.scoring.bgnbd import (
    BgNbdParams,
    _conditional_expectation_if_alive_quadrature,
    expected_purchases,
    fit,
    log_likelihood,
    probability_alive,
    probability_of_purchase,
    summary_from_purchase_days,
)
from conftest import shared_data_file

# Calibration 1997-01-01..1997-09-30 and hold-out 1997-10-01..1998-06-30, as day numbers from 1997-01-01.
COHORT_START = np.datetime64("1997-01-01")
CALIBRATION_END_DAY = int((np.datetime64("1997-09-30") - COHORT_START).astype(int))  # 272
HOLDOUT_END_DAY = int((np.datetime64("1998-06-30") - COHORT_START).astype(int))  # 545
HOLDOUT_WEEKS = (HOLDOUT_END_DAY - CALIBRATION_END_DAY) / 7  # 39.0

# Fader, Hardie & Lee (2005), Table/Section 4: estimates on the 1/10 CDNOW sample, in weeks.
PAPER_PARAMS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PAPER_LOG_LIKELIHOOD = -9582.4

CDNOW_PARAMS = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=-9582.4, n_customers=2357)


# ------------------------------------------------------------------------------------------------------------
# CDNOW sample fixtures
# ------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cdnow_purchases() -> tuple[np.ndarray, np.ndarray]:
    """``(customer_ids, day_numbers)`` of every purchase in the CDNOW sample, days counted from 1997-01-01."""
    rows = np.loadtxt(shared_data_file("cdnow_sample.txt"), dtype=str, ndmin=2)
    assert rows.shape[1] == 5, "expected columns: master id, sample id, date, CDs, dollars"
    iso_dates = np.array([f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in rows[:, 2]], dtype="datetime64[D]")
    return rows[:, 0], (iso_dates - COHORT_START).astype(int)


@pytest.fixture(scope="module")
def cdnow_summary(cdnow_purchases) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibration ``(x, t_x, T)`` in weeks, with ``T`` measured to 1997-09-30 as in the paper."""
    ids, days = cdnow_purchases
    return summary_from_purchase_days(ids, days / 7, calibration_end_day=CALIBRATION_END_DAY / 7)


@pytest.fixture(scope="module")
def cdnow_fit(cdnow_summary) -> BgNbdParams:
    x, t_x, T = cdnow_summary
    return fit(x=x, t_x=t_x, T=T)


# ------------------------------------------------------------------------------------------------------------
# 1. The paper's estimates
# ------------------------------------------------------------------------------------------------------------


def test_cdnow_summary_matches_the_paper_data_set(cdnow_summary):
    """The calibration summary has the paper's 2,357 customers and 2,457 repeat purchases."""
    x, t_x, T = cdnow_summary
    assert x.size == 2357  # every sampled customer made the first purchase in Q1 1997
    assert x.sum() == 2457  # repeat transactions in the calibration period, one per customer per day
    assert T.max() == pytest.approx(272 / 7)  # first purchase on 1997-01-01
    assert T.min() >= (CALIBRATION_END_DAY - 89) / 7  # nobody's first purchase is after 1997-03-31
    assert np.all(t_x <= T)


def test_fit_reproduces_fader_hardie_lee_2005(cdnow_fit):
    """The fit on the CDNOW sample reproduces the paper's r, α, a, b and log-likelihood."""
    for name, expected in PAPER_PARAMS.items():
        assert abs(getattr(cdnow_fit, name) - expected) < 0.0015, name
    assert abs(cdnow_fit.log_likelihood - PAPER_LOG_LIKELIHOOD) < 0.1
    assert cdnow_fit.n_customers == 2357


def test_fit_is_insensitive_to_the_starting_point(cdnow_summary, cdnow_fit):
    """A far-off starting point converges to the same optimum."""
    x, t_x, T = cdnow_summary
    other = fit(x=x, t_x=t_x, T=T, initial=(5.0, 50.0, 3.0, 20.0))
    assert other.log_likelihood == pytest.approx(cdnow_fit.log_likelihood, abs=1e-6)
    np.testing.assert_allclose(other.as_array(), cdnow_fit.as_array(), rtol=1e-4)


def test_reported_log_likelihood_matches_log_likelihood_function(cdnow_summary, cdnow_fit):
    """The fit's log-likelihood is the function's value there, and beats the paper's rounded values."""
    x, t_x, T = cdnow_summary
    assert log_likelihood(cdnow_fit.as_array(), x, t_x, T) == pytest.approx(cdnow_fit.log_likelihood)
    # The optimum beats the paper's rounded values, but only by rounding noise.
    at_paper = log_likelihood(CDNOW_PARAMS.as_array(), x, t_x, T)
    assert at_paper <= cdnow_fit.log_likelihood
    assert at_paper == pytest.approx(PAPER_LOG_LIKELIHOOD, abs=0.1)


# ------------------------------------------------------------------------------------------------------------
# 3. Aggregate hold-out forecast on the sample
# ------------------------------------------------------------------------------------------------------------


def test_holdout_forecast_on_cdnow_sample(cdnow_purchases, cdnow_summary, cdnow_fit):
    """The 39-week hold-out forecast on the sample is pinned at about 1,653 of the 1,882 actual transactions.

    Sum of conditional expectations for the 39-week hold-out versus the actual repeat transactions.

    With one transaction per customer per day the sample has 1,882 hold-out transactions, and BG/NBD's
    conditional expectations add up to about 1,653 (12% low). That gap is real, not a bug: it comes almost
    entirely from customers with 1 or 2 calibration repeat purchases (compare the paper's Figure 4), while
    the x = 0 group and the heavy buyers are forecast within a few percent; the closed form is also
    cross-checked against an independent quadrature below. The forecast is pinned so a regression shows up.
    """
    ids, days = cdnow_purchases
    x, t_x, T = cdnow_summary
    in_holdout = (days > CALIBRATION_END_DAY) & (days <= HOLDOUT_END_DAY)
    holdout_pairs = np.unique(np.stack([ids[in_holdout], days[in_holdout].astype(str)], axis=1), axis=0)
    actual = holdout_pairs.shape[0]
    assert actual == 1882

    forecast = expected_purchases(cdnow_fit, t=HOLDOUT_WEEKS, x=x, t_x=t_x, T=T)
    assert np.all(np.isfinite(forecast))
    assert np.all(forecast >= 0)
    assert forecast.sum() == pytest.approx(1653.4, abs=2.0)
    assert 0.85 < forecast.sum() / actual < 0.92

    # Customers without a repeat purchase: 334 actual hold-out transactions, well forecast.
    assert forecast[x == 0].sum() == pytest.approx(334, rel=0.06)

    alive = probability_alive(cdnow_fit, x=x, t_x=t_x, T=T)
    quadrature = alive * _conditional_expectation_if_alive_quadrature(cdnow_fit, np.full_like(x, HOLDOUT_WEEKS), x, T)
    np.testing.assert_allclose(forecast, quadrature, rtol=1e-8, atol=1e-12)


# ------------------------------------------------------------------------------------------------------------
# 2. Small hand-checked cases
# ------------------------------------------------------------------------------------------------------------

UNIT_PARAMS = BgNbdParams(r=1.0, alpha=1.0, a=1.0, b=2.0, log_likelihood=0.0, n_customers=0)


def test_summary_from_purchase_days_deduplicates_days_and_ignores_holdout():
    """Repeat purchases count once per day, and purchases after the calibration end are ignored."""
    ids = np.array(["b", "a", "a", "a", "c", "b"])
    days = np.array([2.0, 5.0, 0.0, 0.0, 20.0, 11.0])
    x, t_x, T = summary_from_purchase_days(ids, days, calibration_end_day=10.0)
    # Customers in np.unique order ("a", "b"); "c" only bought after the calibration period.
    np.testing.assert_array_equal(x, [1.0, 0.0])
    np.testing.assert_array_equal(t_x, [5.0, 0.0])
    np.testing.assert_array_equal(T, [10.0, 8.0])


def test_summary_from_purchase_days_rejects_mismatched_input():
    """Ids and days of different lengths are refused; customers only seen later are left out."""
    with pytest.raises(ValueError, match="equal length"):
        summary_from_purchase_days(np.array([1, 2]), np.array([1.0]), calibration_end_day=5.0)
    empty_x, _, _ = summary_from_purchase_days(np.array([1]), np.array([9.0]), calibration_end_day=5.0)
    assert empty_x.size == 0


def test_log_likelihood_hand_computed():
    """The log-likelihood equals the paper's equation 6 written out by hand."""
    # x == 0: the likelihood is (alpha / (alpha + T))^r.
    assert log_likelihood([0.5, 2.0, 0.7, 3.0], [0], [0], [6.0]) == pytest.approx(0.5 * math.log(0.25))

    # x > 0: paper eq. 6 written out with plain gamma/beta functions.
    r, alpha, a, b, x, t_x, T = 0.8, 3.0, 1.5, 2.5, 3, 4.0, 10.0
    beta = math.gamma(a) * math.gamma(b) / math.gamma(a + b)
    beta_alive = math.gamma(a) * math.gamma(b + x) / math.gamma(a + b + x)
    beta_dropped = math.gamma(a + 1) * math.gamma(b + x - 1) / math.gamma(a + b + x)
    nbd = math.gamma(r + x) * alpha**r / math.gamma(r)
    expected = nbd * (beta_alive / (alpha + T) ** (r + x) + beta_dropped / (alpha + t_x) ** (r + x)) / beta
    assert log_likelihood([r, alpha, a, b], [x], [t_x], [T]) == pytest.approx(math.log(expected), rel=1e-12)


def test_log_likelihood_stays_finite_for_heavy_buyers():
    """Thousands of repeat purchases do not overflow the log-likelihood."""
    value = log_likelihood([0.243, 4.414, 0.793, 2.426], [2000, 5000], [10.0, 1.0], [39.0, 1000.0])
    assert math.isfinite(value)


def test_probability_alive_hand_computed():
    """P(alive) equals the hand-computed 1/3 for unit parameters."""
    # odds = a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x) = 1/2 * (4/2)^2 = 2, so P(alive) = 1/3.
    assert probability_alive(UNIT_PARAMS, x=[1], t_x=[1.0], T=[3.0]) == pytest.approx([1 / 3])


def test_probability_alive_is_one_without_repeat_purchases():
    """A customer without repeat purchases is alive for sure, however long ago they came."""
    p = probability_alive(CDNOW_PARAMS, x=np.zeros(4), t_x=np.zeros(4), T=np.array([0.0, 1.0, 39.0, 1e6]))
    np.testing.assert_array_equal(p, 1.0)


def test_probabilities_are_in_unit_interval_even_in_extreme_cases():
    """P(alive) and P(purchase) stay finite probabilities even for extreme histories."""
    x = np.array([0, 1, 2, 10, 100, 1000, 1000])
    t_x = np.array([0.0, 0.5, 38.0, 1.0, 0.01, 39.0, 0.0])
    T = np.full(x.shape, 39.0)
    alive = probability_alive(CDNOW_PARAMS, x=x, t_x=t_x, T=T)
    buys = probability_of_purchase(CDNOW_PARAMS, t=52.0, x=x, t_x=t_x, T=T)
    for values in (alive, buys):
        assert np.all(np.isfinite(values))
        assert np.all((values >= 0) & (values <= 1))
    assert alive[-1] == 0.0  # 1000 purchases then a long silence: certainly gone, and no overflow
    assert alive[-2] == pytest.approx(1.0, abs=1e-3)  # 1000 purchases, the last one just now
    assert np.all(buys <= alive)


def test_probability_of_purchase_hand_computed():
    """P(purchase in t) equals the hand-computed values, and is zero for t = 0."""
    # x == 0: alive for sure; P = 1 - (alpha+T)/(alpha+T+t) = 1 - 4/8.
    assert probability_of_purchase(UNIT_PARAMS, t=4.0, x=[0], t_x=[0.0], T=[3.0]) == pytest.approx([0.5])
    # x == 1 (P(alive) = 1/3 above): P = 1/3 * (1 - (4/8)^2) = 1/4.
    assert probability_of_purchase(UNIT_PARAMS, t=4.0, x=[1], t_x=[1.0], T=[3.0]) == pytest.approx([0.25])
    assert probability_of_purchase(UNIT_PARAMS, t=0.0, x=[1], t_x=[1.0], T=[3.0]) == pytest.approx([0.0])


def test_expected_purchases_increases_with_the_horizon():
    """Expected purchases start at zero and grow with the horizon."""
    horizons = np.array([0.0, 0.1, 1.0, 4.0, 13.0, 39.0, 52.0, 104.0, 520.0, 1e4])
    for x, t_x in ((0, 0.0), (1, 20.0), (4, 35.0), (15, 10.0)):
        values = expected_purchases(CDNOW_PARAMS, t=horizons, x=x, t_x=t_x, T=39.0)
        assert values[0] == 0.0
        assert np.all(np.diff(values) > 0)
        assert np.all(np.isfinite(values))


def test_expected_purchases_short_horizon_is_posterior_rate_times_t():
    """Over a tiny horizon expected purchases are P(alive) × posterior rate × t."""
    # For a tiny window the expected count is P(alive) * E[lambda | alive] * t, E[lambda] = (r+x)/(alpha+T).
    x, t_x, T, t = np.array([0, 2, 7]), np.array([0.0, 10.0, 30.0]), np.array([39.0, 39.0, 39.0]), 1e-4
    alive = probability_alive(CDNOW_PARAMS, x=x, t_x=t_x, T=T)
    rate = (CDNOW_PARAMS.r + x) / (CDNOW_PARAMS.alpha + T)
    values = expected_purchases(CDNOW_PARAMS, t=t, x=x, t_x=t_x, T=T)
    np.testing.assert_allclose(values, alive * rate * t, rtol=1e-3)


@pytest.mark.parametrize("a", [0.3, 0.793, 0.99999, 1.0, 1.00001, 2.5])
def test_expected_purchases_closed_form_agrees_with_quadrature(a):
    """The closed form agrees with numerical integration for a wide range of a.

    Including ``a`` at and around 1, where the closed form's ``1/(a-1)`` has a removable singularity.
    """
    params = BgNbdParams(r=0.6, alpha=3.0, a=a, b=2.0, log_likelihood=0.0, n_customers=0)
    x = np.array([0, 1, 3, 10, 60, 300])
    t_x = np.array([0.0, 5.0, 20.0, 30.0, 38.0, 38.5])
    T = np.full(x.shape, 39.0)
    for t in (1.0, 39.0, 1000.0):
        values = expected_purchases(params, t=t, x=x, t_x=t_x, T=T)
        assert np.all(np.isfinite(values))
        assert np.all(values >= 0)
        alive = probability_alive(params, x=x, t_x=t_x, T=T)
        reference = alive * _conditional_expectation_if_alive_quadrature(params, np.full(x.shape, t), x, T)
        np.testing.assert_allclose(values, reference, rtol=1e-6)


@pytest.mark.parametrize(
    ("params", "x", "t_x", "T", "t", "reference"),
    [
        ((0.243, 4.414, 0.793, 2.426), 0, 0.0, 38.86, 39.0, 0.19509805201126264),
        ((0.243, 4.414, 0.793, 2.426), 7, 30.0, 38.86, 39.0, 3.4790626343894281),
        ((0.4755, 0.04255, 0.3065, 4.446), 279, 0.0918, 0.0918, 411.35, 105274.08985718206),
        ((1.676, 2.292, 0.1586, 0.07657), 1414, 0.09225, 0.09225, 3674.0, 807853.89212673323),
        ((0.6, 3.0, 1.0, 2.0), 4, 30.0, 39.0, 52.0, 2.4720087476158039),
        ((0.9, 6.0, 2.5, 4.0), 2000, 10.0, 10.0, 5000.0, 1335.0919399028565),
    ],
    ids=["cdnow-x0", "cdnow-x7", "heavy-buyer-long-horizon", "hyp2f1-disagrees", "a-equals-one", "x-2000"],
)
def test_expected_purchases_matches_high_precision_reference(params, x, t_x, T, t, reference):
    """Expected purchases match 60-digit reference values, also where hyp2f1 is unreliable.

    Reference values: paper eq. 10 evaluated with mpmath at 60 significant digits (a = 1 as a limit).

    The last four are outside the range where scipy's ``hyp2f1`` is reliable, so they exercise the fall-back.
    """
    r, alpha, a, b = params
    model = BgNbdParams(r=r, alpha=alpha, a=a, b=b, log_likelihood=0.0, n_customers=0)
    value = expected_purchases(model, t=t, x=[x], t_x=[t_x], T=[T])
    assert value[0] == pytest.approx(reference, rel=1e-8)


def test_expected_purchases_is_continuous_across_a_equal_one():
    """Expected purchases at a = 1 agree with their values just below and above."""

    def at(a: float) -> np.ndarray:
        params = BgNbdParams(r=0.6, alpha=3.0, a=a, b=2.0, log_likelihood=0.0, n_customers=0)
        return expected_purchases(params, t=52.0, x=[0, 4], t_x=[0.0, 30.0], T=[39.0, 39.0])

    np.testing.assert_allclose(at(1.0), at(1.0 + 1e-3), rtol=2e-3)
    np.testing.assert_allclose(at(1.0), at(1.0 - 1e-3), rtol=2e-3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": [], "t_x": [], "T": []}, "empty"),
        ({"x": [1, 2], "t_x": [1.0], "T": [2.0, 3.0]}, "same length"),
        ({"x": [-1], "t_x": [0.0], "T": [1.0]}, "x contains negative"),
        ({"x": [1], "t_x": [-1.0], "T": [1.0]}, "t_x contains negative"),
        ({"x": [1], "t_x": [5.0], "T": [3.0]}, "cannot exceed T"),
        ({"x": [1.5], "t_x": [1.0], "T": [3.0]}, "whole numbers"),
        ({"x": [1], "t_x": [np.nan], "T": [3.0]}, "NaN"),
        ({"x": [[1]], "t_x": [[1.0]], "T": [[3.0]]}, "1-D"),
        ({"x": [1], "t_x": [1.0], "T": [3.0], "initial": (1.0, -1.0, 1.0, 1.0)}, "positive"),
    ],
)
def test_fit_rejects_bad_input(kwargs, message):
    """Empty, mismatched, negative, fractional, NaN or multi-dimensional input and bad starts are refused."""
    with pytest.raises(ValueError, match=message):
        fit(**kwargs)


def test_predictions_reject_bad_input():
    """Predictions refuse t_x > T, a negative horizon and incompatible shapes."""
    with pytest.raises(ValueError, match="cannot exceed T"):
        probability_alive(CDNOW_PARAMS, x=[1], t_x=[4.0], T=[3.0])
    with pytest.raises(ValueError, match="forecast horizon"):
        expected_purchases(CDNOW_PARAMS, t=-1.0, x=[1], t_x=[1.0], T=[3.0])
    with pytest.raises(ValueError, match="incompatible shapes"):
        probability_of_purchase(CDNOW_PARAMS, t=1.0, x=[1, 2], t_x=[1.0, 1.0, 1.0], T=[3.0])


def test_params_round_trip_through_dict():
    """Parameters round-trip through a dict of plain floats and ints."""
    params = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=-9582.4, n_customers=2357)
    data = params.to_dict()
    assert data == {
        "r": 0.243,
        "alpha": 4.414,
        "a": 0.793,
        "b": 2.426,
        "log_likelihood": -9582.4,
        "n_customers": 2357,
    }
    assert all(type(value) in (float, int) for value in data.values())
    assert BgNbdParams.from_dict(data) == params


def test_params_validation():
    """Unknown or missing keys and non-positive parameters are refused."""
    with pytest.raises(ValueError, match="unknown keys"):
        BgNbdParams.from_dict({**CDNOW_PARAMS.to_dict(), "extra": 1.0})
    with pytest.raises(ValueError, match="missing keys"):
        BgNbdParams.from_dict({"r": 1.0})
    with pytest.raises(ValueError, match="'alpha'"):
        BgNbdParams(r=1.0, alpha=0.0, a=1.0, b=1.0, log_likelihood=0.0, n_customers=1)


# ------------------------------------------------------------------------------------------------------------
# Monte-Carlo check of the predictions against the BG/NBD process itself
# ------------------------------------------------------------------------------------------------------------


def _simulate_bgnbd(
    params: BgNbdParams, T: np.ndarray, horizon: float, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Simulate BG/NBD customers first buying at time 0, observed up to ``T`` and then for ``horizon`` more.

    Each customer draws ``lambda ~ Gamma(r, alpha)`` and ``p ~ Beta(a, b)``, buys at Poisson times and, after
    every repeat purchase, leaves for good with probability ``p``. All customers are stepped one purchase at
    a time together, so the loop runs as many times as the most frequent buyer purchases.
    """
    n = T.size
    rate = rng.gamma(params.r, 1.0 / params.alpha, size=n)
    dropout = rng.beta(params.a, params.b, size=n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    holdout = np.zeros(n)
    alive_at_T = np.ones(n, dtype=bool)
    clock = np.zeros(n)
    active = np.arange(n)
    while active.size:
        with np.errstate(divide="ignore"):
            clock[active] += rng.standard_exponential(active.size) / rate[active]
        active = active[clock[active] <= T[active] + horizon]
        in_calibration = clock[active] <= T[active]
        cal, hold = active[in_calibration], active[~in_calibration]
        x[cal] += 1
        t_x[cal] = clock[cal]
        holdout[hold] += 1
        leaves = rng.random(active.size) < dropout[active]
        alive_at_T[active[leaves & in_calibration]] = False
        active = active[~leaves]
    return {"x": x, "t_x": t_x, "holdout": holdout, "alive_at_T": alive_at_T}


@pytest.mark.parametrize(
    "params",
    [
        CDNOW_PARAMS,
        BgNbdParams(r=0.9, alpha=6.0, a=1.8, b=4.0, log_likelihood=0.0, n_customers=0),
    ],
    ids=["cdnow", "a-above-one"],
)
def test_predictions_match_simulated_bgnbd_process(params):
    """Averaged over simulated customers with the same history, each prediction must match the frequency.

    Conditioning on the exact ``t_x`` is impossible with continuous time, but the predictions are conditional
    expectations given ``(x, t_x, T)``, so their mean within any group defined by ``x`` must equal the
    simulated mean in that group (law of total expectation). Tolerances are 4.5 standard errors.
    """
    rng = np.random.default_rng(20050401)
    n = 200_000
    horizon = 26.0
    T = rng.uniform(1.0, 39.0, size=n)
    sim = _simulate_bgnbd(params, T, horizon, rng)
    x, t_x = sim["x"], sim["t_x"]

    alive = probability_alive(params, x=x, t_x=t_x, T=T)
    buys = probability_of_purchase(params, t=horizon, x=x, t_x=t_x, T=T)
    expected = expected_purchases(params, t=horizon, x=x, t_x=t_x, T=T)
    observed = {
        "alive": sim["alive_at_T"].astype(float),
        "buys": (sim["holdout"] > 0).astype(float),
        "expected": sim["holdout"],
    }
    predicted = {"alive": alive, "buys": buys, "expected": expected}

    groups = {"x=0": x == 0, "x=1": x == 1, "x=2": x == 2, "x=3-5": (x >= 3) & (x <= 5), "x>5": x > 5}
    for group_name, members in groups.items():
        assert members.sum() > 2_000, group_name
        for name in ("alive", "buys", "expected"):
            residual = observed[name][members] - predicted[name][members]
            standard_error = residual.std() / math.sqrt(members.sum())
            assert abs(residual.mean()) < 4.5 * standard_error + 1e-9, (group_name, name)
