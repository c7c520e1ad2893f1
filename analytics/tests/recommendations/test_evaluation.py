"""Recommendation quality out of time on generated shops: planted bundles are found, and without structure the
method does not fall below popularity."""

import datetime as dt

import pytest

from analytics.recommendations.evaluation import recommendations_evaluate

pytestmark = pytest.mark.django_db


def test_without_structure_it_does_not_fall_below_popularity(unbundled_shop):
    """On a shop without co-purchase structure the blend and discover stay within 2% of popularity."""
    report = recommendations_evaluate(cutoff=dt.date(2024, 10, 31), k=5)
    ours, popular = report["item_to_items"]["blend"], report["item_to_items"]["popularity"]
    assert ours["hit_rate"] >= popular["hit_rate"] * 0.98
    assert report["customer"]["discover"]["hit_rate"] >= report["customer"]["popularity_unbought"]["hit_rate"] * 0.98


def test_planted_bundles_beat_popularity_by_a_clear_margin(bundled_shop):
    """With planted bundles the blend beats popularity by 15% on HitRate@5 and MRR@5; buy again is no worse."""
    report = recommendations_evaluate(cutoff=dt.date(2024, 10, 31), k=5)
    ours, popular = report["item_to_items"]["blend"], report["item_to_items"]["popularity"]
    assert ours["hit_rate"] > popular["hit_rate"] * 1.15
    assert ours["mrr"] > popular["mrr"] * 1.15
    assert report["customer"]["buy_again"]["mrr"] >= report["customer"]["popularity"]["mrr"]
