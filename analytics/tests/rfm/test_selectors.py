"""The reads RFM and the loyalty model start from, on three hand-made customers."""

import datetime as dt

import pytest

from analytics.rfm.selectors import purchase_aggregates_get, purchase_date_range_get, segment_summary_list
from analytics.rfm.services import rfm_snapshot_compute

pytestmark = pytest.mark.django_db


def test_aggregates_count_purchases_net_returns_and_stop_at_as_of(three_customers):
    """Per buyer up to as_of: first and last purchase, purchases without returns, spend net of returns."""
    agg = purchase_aggregates_get(as_of=dt.date(2024, 2, 29))
    ada, bob = three_customers["ada"].pk, three_customers["bob"].pk
    assert agg.customer_ids.tolist() == sorted([ada, bob])  # cy only returned something
    row = agg.customer_ids.tolist().index(ada)
    assert (agg.first_day[row], agg.last_day[row]) == (dt.date(2024, 1, 1).toordinal(), dt.date(2024, 2, 1).toordinal())
    assert (agg.frequency[row], agg.purchase_days[row], agg.returns[row]) == (2, 2, 1)
    assert agg.monetary[row] == 25.0  # 10 + 20 - 5; the purchase of 2024-03-01 is after as_of
    assert agg.recent_purchases[30][row] == 1  # (2024-01-30, 2024-02-29]: the purchase of 2024-02-01


def test_the_date_range_spans_purchases_only(three_customers):
    """The data's first and last dates are those of purchases (cy's return on 2024-02-10 is inside anyway)."""
    assert purchase_date_range_get() == (dt.date(2024, 1, 1), dt.date(2024, 3, 1))


def test_segment_summary_lists_every_segment_with_its_share(three_customers):
    """Every segment is listed, empty ones with zero; shares add up to one; without a model no loyalty mean."""
    snapshot = rfm_snapshot_compute(as_of=dt.date(2024, 2, 29))
    summary = segment_summary_list(snapshot=snapshot, artifact=None)
    assert len(summary) == 11
    assert sum(row["customers"] for row in summary) == 2
    assert sum(row["share"] for row in summary) == pytest.approx(1.0)
    assert {row["avg_loyalty_score"] for row in summary} == {None}
    assert segment_summary_list(snapshot=None, artifact=None) == []
