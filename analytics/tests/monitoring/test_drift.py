"""Drift figures on known distributions: PSI values and bands, calibration error by hand."""

import numpy as np
import pytest

from analytics.monitoring import drift


def test_the_same_distribution_is_stable():
    """Two samples of one normal distribution have a PSI near 0."""
    rng = np.random.default_rng(1)
    result = drift.population_stability(rng.normal(size=20_000), rng.normal(size=20_000))
    assert result.value < 0.01
    assert result.band == drift.STABLE


def test_a_shifted_distribution_has_the_psi_of_the_formula():
    """Half a standard deviation of shift gives PSI ≈ 0.25 (binned), a full one a major shift."""
    rng = np.random.default_rng(2)
    reference = rng.normal(size=50_000)
    half = drift.population_stability(reference, rng.normal(0.5, 1, size=50_000))
    full = drift.population_stability(reference, rng.normal(1.0, 1, size=50_000))
    assert 0.2 < half.value < 0.3
    assert full.band == drift.MAJOR


def test_psi_matches_a_hand_computed_two_bin_case():
    """Reference 50/50 around its median, current 80/20: (0.8 − 0.5)·ln(0.8/0.5) + (0.2 − 0.5)·ln(0.2/0.5)."""
    reference = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    current = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    result = drift.population_stability(reference, current, bins=2)
    expected = 0.3 * np.log(0.8 / 0.5) + (-0.3) * np.log(0.2 / 0.5)
    assert result.value == pytest.approx(expected, abs=1e-6)
    assert result.expected == [0.5, 0.5]
    assert result.actual == [0.8, 0.2]


@pytest.mark.parametrize(("value", "band"), [(0.05, "stable"), (0.1, "moderate"), (0.25, "moderate"), (0.3, "major")])
def test_bands_follow_the_usual_reading(value, band):
    """Below 0.1 stable, 0.1 to 0.25 moderate, above 0.25 major."""
    assert drift.psi_band(value) == band


def test_empty_populations_have_no_psi():
    """Nothing to compare: None, not a number."""
    assert drift.population_stability([], [1, 2]) is None


def test_expected_calibration_error_by_hand():
    """Two bins: predictions 0.1 observed 0.0, predictions 0.9 observed 0.5 → (0.1 + 0.4)/2 = 0.25."""
    y = [0, 0, 1, 0]
    p = [0.1, 0.1, 0.9, 0.9]
    assert drift.expected_calibration_error(y, p, bins=2) == pytest.approx(0.25)
    assert drift.expected_calibration_error([], []) is None
