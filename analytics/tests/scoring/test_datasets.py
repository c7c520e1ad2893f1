"""Training data on tiny hand-made histories: label construction, the leakage guard, the date guardrails."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from analytics.scoring.features import ALL_COLUMNS
from analytics.scoring.selectors import loyalty_dataset_get
from analytics.scoring.training import loyalty_model_train
from customers.exceptions import ApplicationError
from customers.tests.factories import CustomerFactory, TransactionFactory

pytestmark = pytest.mark.django_db

CUTOFF = dt.date(2024, 6, 30)


def _buy(customer, day: dt.date, amount: str = "10.00", *, is_return: bool = False):
    TransactionFactory(customer=customer, date=day, total_amount=Decimal(amount), is_return=is_return)


@pytest.fixture
def history():
    c = {name: CustomerFactory(external_id=name) for name in ("within", "edge", "after", "at_cutoff", "returner")}
    for customer in c.values():
        _buy(customer, dt.date(2024, 3, 1))
    _buy(c["within"], CUTOFF + dt.timedelta(days=10))  # in (cutoff, cutoff + 60]: loyal
    _buy(c["edge"], CUTOFF + dt.timedelta(days=60))  # the last day of the window counts
    _buy(c["after"], CUTOFF + dt.timedelta(days=61))  # too late
    _buy(c["at_cutoff"], CUTOFF)  # on the cutoff: a feature, not a label
    _buy(c["returner"], CUTOFF + dt.timedelta(days=5), "-10.00", is_return=True)  # a return is not a purchase
    return c


def test_label_is_a_purchase_in_the_half_open_window_after_the_cutoff(history):
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
    """Features at the cutoff are identical whatever happens after it: a query that forgot the date filter (or a
    window that reached past the cutoff) would change them when purchases are added after the cutoff."""
    before = loyalty_dataset_get(feature_date=CUTOFF, window_days=60).features
    for customer in history.values():
        for days in (1, 2, 30, 59, 60, 200):
            _buy(customer, CUTOFF + dt.timedelta(days=days), "99.00")
    after = loyalty_dataset_get(feature_date=CUTOFF, window_days=60).features
    assert np.array_equal(before.customer_ids, after.customer_ids)
    for name in ALL_COLUMNS:
        assert np.allclose(before.columns[name], after.columns[name], equal_nan=True), name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cutoff": dt.date(2024, 9, 1)}, "those labels are not known yet"),
        ({"cutoff": dt.date(2024, 4, 1)}, "Not enough history for a 60-day window"),
        ({"label_window_days": 0}, "at least one day"),
    ],
)
def test_date_guardrails_are_clear_errors(history, kwargs, message):
    with pytest.raises(ApplicationError, match=message):
        loyalty_model_train(**kwargs)


def test_too_few_customers_is_a_clear_error(history):
    """Five customers cannot be trained on honestly: the message says how many there are and how many it needs."""
    with pytest.raises(ApplicationError, match=r"training set has \d+ customers .* needs at least 20"):
        loyalty_model_train(cutoff=dt.date(2024, 6, 30), label_window_days=60)


def test_empty_database_is_a_clear_error():
    with pytest.raises(ApplicationError, match="import data first"):
        loyalty_model_train()
