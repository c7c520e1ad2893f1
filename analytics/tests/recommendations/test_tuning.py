"""Measuring and tuning the product ranking on hand-made baskets (no database)."""

import numpy as np

from analytics.recommendations.ranking import DEFAULT_BETA, DEFAULT_GAMMA, ItemLists
from analytics.recommendations.tuning import evaluate_items, tune_ranking
from analytics.tests.recommendations.baskets import SHOP, A, B, C, D, baskets


def test_item_evaluation_protocol_on_a_tiny_case():
    """HitRate@k and MRR@k hold out each product of a later basket and query with each of the others.

    Lists A→[B, C], B→[A]; one test basket {A, B, C} gives 6 queries: hits A→B@1, A→C@2, B→A@1.
    """
    lists = ItemLists(
        query=np.array([A, A, B]),
        item=np.array([B, C, A]),
        rank=np.array([1, 2, 1]),
        score=np.zeros(3),
        source=np.array(["basket"] * 3, dtype=object),
        support=np.zeros(3),
        confidence=np.zeros(3),
        lift=np.zeros(3),
        k=2,
    )
    test = baskets([(9, 1, [A, B, C]), (10, 1, [D])])
    assert evaluate_items(lists, test, k=2) == {"hit_rate": 0.5, "mrr": round(2.5 / 6, 6), "queries": 6}
    assert evaluate_items(lists, test, k=1)["hit_rate"] == round(2 / 6, 6)


def test_tuning_keeps_the_default_on_tiny_data():
    """Too few validation queries to tune on: the default (γ, β) is kept and the reason says so."""
    result = tune_ranking(SHOP, min_support=1, k=2)
    assert (result["gamma"], result["beta"]) == (DEFAULT_GAMMA, DEFAULT_BETA)
    assert "default" in result["reason"]
