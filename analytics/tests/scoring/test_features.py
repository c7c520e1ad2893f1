"""The loyalty model's features from hand-made purchase aggregates (no database)."""

import datetime as dt

import numpy as np
import pytest

from analytics.facts import PurchaseAggregates
from analytics.scoring.features import ALL_COLUMNS, MIN_CUSTOMERS, Dataset, build_features, labels_for

AS_OF = dt.date(2024, 3, 31)


def _aggregates(n: int, *, repeat: bool = True) -> PurchaseAggregates:
    """n customers: customer i first bought 100 + i days before AS_OF; repeat buyers came back i % 5 times."""
    day = AS_OF.toordinal()
    ids = np.arange(1, n + 1)
    visits = (ids % 5 + 1) if repeat else np.ones(n, dtype=np.int64)
    first = day - 100 - ids
    last = np.where(visits > 1, day - ids % 30, first)
    return PurchaseAggregates(
        as_of=AS_OF,
        customer_ids=ids,
        first_day=first,
        last_day=last,
        frequency=visits,
        monetary=visits * 10.0 - (ids == 1) * 25.0,  # customer 1 returned more than they bought
        purchase_days=visits,
        recent_purchases={w: np.minimum(visits, w // 30) for w in (30, 90, 180)},
        recent_spend_90=np.minimum(visits, 3) * 10.0,
        returns=(ids == 1).astype(np.int64),
        units=visits * 2.0,
        recent_units_90=np.minimum(visits, 3) * 2.0,
    )


def test_every_column_is_computed_for_every_customer():
    """The table has every feature column, one finite value per customer, in the aggregates' order."""
    table = build_features(_aggregates(30), window_days=60)
    assert table.customer_ids.tolist() == list(range(1, 31))
    assert set(table.columns) >= set(ALL_COLUMNS)
    for name in ALL_COLUMNS:
        assert table.columns[name].shape == (30,), name
        assert np.isfinite(table.columns[name]).all(), name
    assert table.matrix(("frequency", "units")).tolist()[:2] == [[2.0, 4.0], [3.0, 6.0]]


def test_features_follow_the_aggregates():
    """Recency, averages and per-unit values are the plain arithmetic of the aggregates."""
    agg = _aggregates(30)
    columns = build_features(agg, window_days=60).columns
    assert columns["recency_days"][1] == AS_OF.toordinal() - agg.last_day[1]
    assert columns["avg_basket"][1] == pytest.approx(agg.monetary[1] / agg.frequency[1])
    assert columns["price_per_unit"][0] == 0.0  # negative net spend is no price
    assert columns["log_monetary"][0] == pytest.approx(-np.log1p(5.0))  # signed log keeps the sign
    assert columns["single_purchase"].tolist() == (agg.frequency <= 1).astype(float).tolist()


def test_bgnbd_is_fitted_on_enough_customers_with_repeat_purchases():
    """With enough repeat buyers BG/NBD is fitted: its parameters are kept and its outputs are probabilities."""
    table = build_features(_aggregates(MIN_CUSTOMERS + 10), window_days=60)
    assert set(table.bgnbd_params) == {"r", "alpha", "a", "b", "log_likelihood", "n_customers"}
    for name in ("bgnbd_p_alive", "bgnbd_p_purchase"):
        assert ((table.columns[name] >= 0) & (table.columns[name] <= 1)).all()


@pytest.mark.parametrize(("n", "repeat"), [(MIN_CUSTOMERS - 1, True), (MIN_CUSTOMERS + 10, False)])
def test_without_enough_repeat_behaviour_bgnbd_is_neutral(n, repeat):
    """Too few customers or no repeat purchase at all: no fit, everyone alive with no expected purchase."""
    table = build_features(_aggregates(n, repeat=repeat), window_days=60)
    assert table.bgnbd_params is None
    assert (table.columns["bgnbd_p_alive"] == 1).all()
    assert (table.columns["bgnbd_expected"] == 0).all()
    assert (table.columns["bgnbd_p_purchase"] == 0).all()


def test_labels_mark_the_window_buyers_and_give_the_positive_rate():
    """A customer's label is 1 when they are among the window's buyers; the positive rate is the labels' mean."""
    labels = labels_for(np.array([1, 2, 3, 4]), np.array([2, 4, 9]))
    assert labels.tolist() == [0, 1, 0, 1]
    table = build_features(_aggregates(4), window_days=60)
    assert Dataset(features=table, labels=labels, feature_date="2024-03-31", label_window=None).positive_rate == 0.5
    assert Dataset(features=table, labels=None, feature_date="2024-03-31", label_window=None).positive_rate is None
