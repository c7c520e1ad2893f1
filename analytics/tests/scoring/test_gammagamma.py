"""The Gamma-Gamma spend model: the paper's CDNOW estimates, the shrinkage it implies, and its edge cases."""

from collections import defaultdict

import numpy as np
import pytest

from analytics.scoring import gammagamma as gg
from conftest import shared_data_file


@pytest.fixture(scope="module")
def cdnow_repeat_spend() -> tuple[np.ndarray, np.ndarray]:
    """Repeat transactions and mean repeat spend per customer of the CDNOW sample, calibration up to 1997-09-30,
    purchases on one day counted as one transaction (as in Fader, Hardie & Lee 2005)."""
    rows = np.loadtxt(shared_data_file("cdnow_sample.txt"), dtype=str, ndmin=2)
    days: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for master, _sample, date, _cds, dollars in rows:
        if date <= "19970930":
            days[master][date] += float(dollars)
    spends = [[by_day[d] for d in sorted(by_day)] for by_day in days.values()]
    x = np.array([len(s) - 1 for s in spends], dtype=float)
    m = np.array([np.mean(s[1:]) if len(s) > 1 else 0.0 for s in spends])
    return x, m


def test_the_fit_reproduces_the_published_parameters_on_the_cdnow_sample(cdnow_repeat_spend):
    """946 repeat buyers give p = 6.25, q = 3.74, γ = 15.44 (Fader, Hardie & Lee 2005)."""
    params = gg.fit(*cdnow_repeat_spend)
    assert params.customers == 946
    assert not params.degenerate
    assert (round(params.p, 2), round(params.q, 2), round(params.gamma, 2)) == (6.25, 3.74, 15.44)


def test_spend_and_frequency_are_nearly_independent_on_cdnow(cdnow_repeat_spend):
    """The model's assumption holds on the sample: the correlation is about 0.11, as the paper reports."""
    assert gg.spend_frequency_correlation(*cdnow_repeat_spend) == pytest.approx(0.11, abs=0.01)


def test_expected_spend_shrinks_a_customers_mean_towards_the_population_mean():
    """E[Z | m, x] lies between the customer's mean and p·γ/(q − 1), closer to their own mean with more history."""
    params = gg.GammaGammaParams(p=6.25, q=3.74, gamma=15.44, log_likelihood=0.0, customers=946, converged=True)
    population = params.population_mean
    assert population == pytest.approx(6.25 * 15.44 / 2.74)
    one, many = gg.expected_spend(params, [1, 20], [100.0, 100.0])
    assert population < one < many < 100.0
    by_hand = (15.44 + 100.0 * 1) * 6.25 / (6.25 * 1 + 3.74 - 1)
    assert one == pytest.approx(by_hand)


def test_customers_without_repeat_spend_get_the_population_mean():
    """No repeat purchase (x = 0), or only refunds (m ≤ 0): the population mean, never a negative spend."""
    params = gg.GammaGammaParams(p=6.25, q=3.74, gamma=15.44, log_likelihood=0.0, customers=946, converged=True)
    assert gg.expected_spend(params, [0, 3], [0.0, -25.0]).tolist() == [params.population_mean] * 2


def test_a_single_repeat_buyer_gives_a_degenerate_model_that_predicts_the_mean():
    """One repeat buyer cannot identify heterogeneity: the model predicts the observed mean spend for everyone."""
    params = gg.fit([0, 2, 0], [0.0, 30.0, 0.0])
    assert params.degenerate
    assert params.customers == 1
    assert gg.expected_spend(params, [0, 2], [0.0, 30.0]).tolist() == [30.0, 30.0]


def test_spend_that_never_varies_gives_a_degenerate_model_at_that_value():
    """All-equal spend has no interior optimum (p, q → ∞): the common value is predicted, not a diverged fit."""
    rng = np.random.default_rng(3)
    x = rng.integers(1, 8, size=200).astype(float)
    params = gg.fit(x, np.full(200, 12.5))
    assert params.degenerate
    assert gg.expected_spend(params, [1, 5], [12.5, 12.5]) == pytest.approx([12.5, 12.5])


def test_the_fit_recovers_parameters_of_simulated_customers():
    """Customers simulated from known (p, q, γ) are fitted back close to them."""
    rng = np.random.default_rng(11)
    p, q, gamma, n = 4.0, 5.0, 20.0, 4_000
    nu = rng.gamma(q, 1 / gamma, size=n)
    x = rng.integers(1, 12, size=n).astype(float)
    m = np.array([rng.gamma(p, 1 / v, size=int(k)).mean() for v, k in zip(nu, x, strict=True)])
    fitted = gg.fit(x, m)
    assert fitted.p == pytest.approx(p, rel=0.15)
    assert fitted.q == pytest.approx(q, rel=0.15)
    assert fitted.population_mean == pytest.approx(p * gamma / (q - 1), rel=0.05)
