"""Per-customer lists ("buy again", "discover") and their measure on hand-made baskets (no database)."""

import numpy as np

from analytics.recommendations.customer_lists import (
    BUY_AGAIN,
    DISCOVER,
    CustomerLists,
    customer_lists,
    evaluate_customers,
    similarity_matrix,
)
from analytics.recommendations.ranking import co_occurrence, item_lists
from analytics.tests.recommendations.baskets import SHOP, A, B, C, D


def _by_customer(lists: CustomerLists) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for c, i in zip(lists.customer.tolist(), lists.item.tolist(), strict=True):
        out.setdefault(c, []).append(i)
    return out


def test_customer_lists_buy_again_and_discover():
    """The buy-again list leads with a customer's staples; the discover list holds only products they never bought."""
    co = co_occurrence(SHOP)
    items = item_lists(co, gamma=0.5, min_support=1, k=3)
    sim = similarity_matrix(items, 4)
    kwargs = {"popularity": co.item_counts, "basket_similarity": sim, "customer_similarity": co.customer_similarity}
    again = customer_lists(SHOP, weights=BUY_AGAIN, k=2, **kwargs)
    discover = customer_lists(SHOP, weights=DISCOVER, k=2, **kwargs)
    got_again, got_discover = _by_customer(again), _by_customer(discover)
    assert got_again[10] == [A, B]  # their staples, bought twice
    assert set(got_discover[10]).isdisjoint({A, B})
    assert set(got_discover[30]).isdisjoint({D})
    assert got_discover[20] == [D]  # only D is left to discover


def test_customer_evaluation_counts_the_first_relevant_rank():
    """A customer is a hit when a later purchase is in their top k; MRR uses the rank of the first such product."""
    lists = CustomerLists(np.array([1, 1, 2, 2]), np.array([A, B, C, D]), np.array([1, 2, 1, 2]), np.zeros(4))
    assert evaluate_customers(lists, {1: {B}, 2: {A}}, k=2) == {"hit_rate": 0.5, "mrr": 0.25, "customers": 2}
