"""The candidate models (no database)."""

import numpy as np
import pytest

from analytics.scoring.candidates import BlendClassifier, _logistic_log


def test_blend_classifier_averages_members_and_probability_columns():
    """The blend's probability is the mean of its fitted members' and of the input's probability columns."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    x[:, 2] = rng.uniform(size=400)  # an input that already is a probability
    y = (x[:, 0] > 0).astype(int)
    blend = BlendClassifier(members=((_logistic_log(), (0, 1)),), probability_columns=(2,)).fit(x, y)
    member = blend.fitted_[0][0].predict_proba(x[:, [0, 1]])[:, 1]
    assert blend.predict_proba(x)[:, 1] == pytest.approx((member + x[:, 2]) / 2)


def test_the_blend_predicts_loyal_from_a_probability_of_one_half():
    """predict() is the probability thresholded at 0.5, and probabilities of the input are clipped to [0, 1]."""
    x = np.array([[-1.0], [0.49], [0.5], [2.0]])
    blend = BlendClassifier(probability_columns=(0,)).fit(x, np.array([0, 0, 1, 1]))
    assert blend.predict_proba(x)[:, 1].tolist() == [0.0, 0.49, 0.5, 1.0]
    assert blend.predict(x).tolist() == [0, 0, 1, 1]
