"""Training data on tiny hand-made histories: label construction and the leakage guard."""

import datetime as dt

import numpy as np
import pytest

from analytics.scoring.features import ALL_COLUMNS
from analytics.scoring.selectors import loyalty_dataset_get
from analytics.tests.scoring.conftest import CUTOFF, buy

pytestmark = pytest.mark.django_db


def test_label_is_a_purchase_in_the_half_open_window_after_the_cutoff(history):
    """A customer is loyal when they buy in (cutoff, cutoff + 60 days]; on the cutoff or a return does not count."""
    data = loyalty_dataset_get(feature_date=CUTOFF, window_days=60)
    labels = dict(zip(data.features.customer_ids.tolist(), data.labels.tolist(), strict=True))
    assert {name: labels[c.pk] for name, c in history.items()} == {
        "within": 1,
        "edge": 1,
        "after": 0,
        "at_cutoff": 0,
        "returner": 0,
    }
    assert data.label_window == ("2024-07-01", "2024-08-29")


def test_no_feature_sees_the_label_window(history):
    """Features at a cutoff stay identical whatever is bought after it.

    A query that forgot the date filter (or a window that reached past the cutoff) would change them when
    purchases are added after the cutoff.
    """
    before = loyalty_dataset_get(feature_date=CUTOFF, window_days=60).features
    for customer in history.values():
        for days in (1, 2, 30, 59, 60, 200):
            buy(customer, CUTOFF + dt.timedelta(days=days), "99.00")
    after = loyalty_dataset_get(feature_date=CUTOFF, window_days=60).features
    assert np.array_equal(before.customer_ids, after.customer_ids)
    for name in ALL_COLUMNS:
        assert np.allclose(before.columns[name], after.columns[name], equal_nan=True), name
