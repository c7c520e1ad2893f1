"""Recommendation maths on hand-made baskets with known support, confidence and lift (no database)."""

import numpy as np
import pytest

from analytics.facts import Baskets
from analytics.recommendations.customer_lists import (
    BUY_AGAIN,
    DISCOVER,
    CustomerLists,
    customer_lists,
    evaluate_customers,
    similarity_matrix,
)
from analytics.recommendations.ranking import (
    DEFAULT_BETA,
    DEFAULT_GAMMA,
    ItemLists,
    capped,
    co_occurrence,
    item_lists,
    popularity_lists,
)
from analytics.recommendations.tuning import GAMMAS, evaluate_items, tune_ranking

A, B, C, D = 0, 1, 2, 3


def _baskets(rows: list[tuple[int, int, list[int]]], n_products: int = 4) -> Baskets:
    """rows: (basket, customer, products)."""
    basket, product, customer = [], [], []
    for b, c, products in rows:
        for p in products:
            basket.append(b)
            product.append(p)
            customer.append(c)
    size = len(basket)
    return Baskets(np.array(basket), np.array(product), np.array(customer), np.arange(size) // 2, n_products)


SHOP = _baskets([(1, 10, [A, B]), (2, 10, [A, B]), (3, 20, [A, C]), (4, 20, [B]), (5, 30, [D])])


def _lists(lists: ItemLists) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = {}
    for q, i, src, sup, conf, lift in zip(
        lists.query, lists.item, lists.source, lists.support, lists.confidence, lists.lift, strict=True
    ):
        out.setdefault(int(q), []).append((int(i), src, round(sup, 4), round(conf, 4), round(lift, 4)))
    return out


def test_support_confidence_and_lift_by_hand():
    """N = 5 baskets; c_A = 3, c_B = 3, c_C = 1, c_AB = 2, c_AC = 1."""
    co = co_occurrence(SHOP)
    assert co.n_baskets == 5
    assert co.item_counts.tolist() == [3, 3, 1, 1]
    lists = _lists(item_lists(co, gamma=0.0, min_support=1, k=3))
    assert lists[A][:2] == [
        (B, "basket", 0.4, round(2 / 3, 4), round(10 / 9, 4)),
        (C, "basket", 0.2, round(1 / 3, 4), round(5 / 3, 4)),
    ]


def test_beta_shrinks_noisy_counts_towards_popularity():
    """A bought with C twice and with B once, but B is the best seller: raw counts put C first; a large β adds
    pseudo-counts c_A·c_j/N (B: 3·5/7, C: 3·2/7 per unit of β) and the ranking follows popularity."""
    shop = _baskets(
        [(1, 1, [A, C]), (2, 1, [A, C]), (3, 2, [A, B]), (4, 2, [B]), (5, 3, [B]), (6, 4, [B]), (7, 5, [B])]
    )
    co = co_occurrence(shop)
    raw = [i for i, *_ in _lists(item_lists(co, gamma=0.0, beta=0.0, min_support=1, k=2))[A]]
    shrunk = [i for i, *_ in _lists(item_lists(co, gamma=0.0, beta=100.0, min_support=1, k=2))[A]]
    assert (raw, shrunk) == ([C, B], [B, C])


def test_gamma_moves_the_ranking_from_counts_to_lift():
    co = co_occurrence(SHOP)
    by_count = [i for i, *_ in _lists(item_lists(co, gamma=0.0, min_support=1, k=2))[A]]
    by_lift = [i for i, *_ in _lists(item_lists(co, gamma=1.0, min_support=1, k=2))[A]]
    assert (by_count, by_lift) == ([B, C], [C, B])


def test_a_product_is_never_recommended_to_itself_and_every_product_gets_k():
    lists = item_lists(co_occurrence(SHOP), gamma=0.5, min_support=1, k=3, queries=np.arange(4))
    assert not np.any(lists.query == lists.item)
    assert np.bincount(lists.query, minlength=4).tolist() == [3, 3, 3, 3]


def test_thin_basket_evidence_falls_back_to_customers_then_popularity():
    """With min_support 2, C has no basket evidence: products its buyers bought (A, B), then the best seller."""
    lists = _lists(item_lists(co_occurrence(SHOP), gamma=0.5, min_support=2, k=3, queries=np.arange(4)))
    assert [(i, src) for i, src, *_ in lists[C]] == [(A, "customer"), (B, "customer"), (D, "popular")]
    assert lists[A][0][:2] == (B, "basket")


def test_large_baskets_are_capped_deterministically():
    big = _baskets([(1, 1, list(range(100))), (2, 2, [0, 1])], n_products=100)
    kept = capped(big, 10)
    assert np.bincount(kept.basket).tolist()[1:] == [10, 2]
    assert np.array_equal(capped(big, 10).product, kept.product)


def test_duplicate_lines_count_once():
    doubled = _baskets([(1, 1, [A, A, B])])
    assert capped(doubled, 50).product.size == 2


def test_item_evaluation_protocol_on_a_tiny_case():
    """Lists A→[B, C], B→[A]; one test basket {A, B, C} gives 6 queries: hits A→B@1, A→C@2, B→A@1."""
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
    test = _baskets([(9, 1, [A, B, C]), (10, 1, [D])])
    assert evaluate_items(lists, test, k=2) == {"hit_rate": 0.5, "mrr": round(2.5 / 6, 6), "queries": 6}
    assert evaluate_items(lists, test, k=1)["hit_rate"] == round(2 / 6, 6)


def test_popularity_baseline_excludes_the_query():
    lists = _lists(popularity_lists(co_occurrence(SHOP), k=2))
    assert [i for i, *_ in lists[A]] == [B, C]
    assert [i for i, *_ in lists[B]] == [A, C]


def _by_customer(lists: CustomerLists) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for c, i in zip(lists.customer.tolist(), lists.item.tolist(), strict=True):
        out.setdefault(c, []).append(i)
    return out


def test_customer_lists_buy_again_and_discover():
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
    lists = CustomerLists(np.array([1, 1, 2, 2]), np.array([A, B, C, D]), np.array([1, 2, 1, 2]), np.zeros(4))
    assert evaluate_customers(lists, {1: {B}, 2: {A}}, k=2) == {"hit_rate": 0.5, "mrr": 0.25, "customers": 2}


def test_tuning_keeps_the_default_on_tiny_data():
    result = tune_ranking(SHOP, min_support=1, k=2)
    assert (result["gamma"], result["beta"]) == (DEFAULT_GAMMA, DEFAULT_BETA)
    assert "default" in result["reason"]


@pytest.mark.parametrize("gamma", GAMMAS)
def test_lists_are_sorted_by_rank(gamma):
    lists = item_lists(co_occurrence(SHOP), gamma=gamma, min_support=1, k=3)
    for q in np.unique(lists.query):
        assert lists.rank[lists.query == q].tolist() == list(range(1, 4))
