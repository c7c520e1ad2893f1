"""Product → products on hand-made baskets with known support, confidence and lift (no database)."""

import numpy as np
import pytest

from analytics.recommendations.ranking import capped, co_occurrence, item_lists, popularity_lists
from analytics.recommendations.tuning import GAMMAS
from analytics.tests.recommendations.baskets import SHOP, A, B, C, D, baskets, by_query


def test_support_confidence_and_lift_by_hand():
    """Support, confidence and lift of A's list equal the hand counts.

    N = 5 baskets; c_A = 3, c_B = 3, c_C = 1, c_AB = 2, c_AC = 1.
    """
    co = co_occurrence(SHOP)
    assert co.n_baskets == 5
    assert co.item_counts.tolist() == [3, 3, 1, 1]
    lists = by_query(item_lists(co, gamma=0.0, min_support=1, k=3))
    assert lists[A][:2] == [
        (B, "basket", 0.4, round(2 / 3, 4), round(10 / 9, 4)),
        (C, "basket", 0.2, round(1 / 3, 4), round(5 / 3, 4)),
    ]


def test_beta_shrinks_noisy_counts_towards_popularity():
    """A large β ranks a query's candidates by popularity instead of by their few raw co-purchases.

    A bought with C twice and with B once, but B is the best seller: raw counts put C first; a large β adds
    pseudo-counts c_A·c_j/N (B: 3·5/7, C: 3·2/7 per unit of β) and the ranking follows popularity.
    """
    shop = baskets([(1, 1, [A, C]), (2, 1, [A, C]), (3, 2, [A, B]), (4, 2, [B]), (5, 3, [B]), (6, 4, [B]), (7, 5, [B])])
    co = co_occurrence(shop)
    raw = [i for i, *_ in by_query(item_lists(co, gamma=0.0, beta=0.0, min_support=1, k=2))[A]]
    shrunk = [i for i, *_ in by_query(item_lists(co, gamma=0.0, beta=100.0, min_support=1, k=2))[A]]
    assert (raw, shrunk) == ([C, B], [B, C])


def test_gamma_moves_the_ranking_from_counts_to_lift():
    """γ = 0 ranks A's partners by co-purchase count (B first), γ = 1 by lift (the rarer C first)."""
    co = co_occurrence(SHOP)
    by_count = [i for i, *_ in by_query(item_lists(co, gamma=0.0, min_support=1, k=2))[A]]
    by_lift = [i for i, *_ in by_query(item_lists(co, gamma=1.0, min_support=1, k=2))[A]]
    assert (by_count, by_lift) == ([B, C], [C, B])


def test_a_product_is_never_recommended_to_itself_and_every_product_gets_k():
    """Every queried product gets exactly k recommendations, none of them itself."""
    lists = item_lists(co_occurrence(SHOP), gamma=0.5, min_support=1, k=3, queries=np.arange(4))
    assert not np.any(lists.query == lists.item)
    assert np.bincount(lists.query, minlength=4).tolist() == [3, 3, 3, 3]


def test_thin_basket_evidence_falls_back_to_customers_then_popularity():
    """Without enough basket evidence a list is filled from same-customer products, then from best sellers.

    With min_support 2, C has no basket evidence: products its buyers bought (A, B), then the best seller.
    """
    lists = by_query(item_lists(co_occurrence(SHOP), gamma=0.5, min_support=2, k=3, queries=np.arange(4)))
    assert [(i, src) for i, src, *_ in lists[C]] == [(A, "customer"), (B, "customer"), (D, "popular")]
    assert lists[A][0][:2] == (B, "basket")


def test_large_baskets_are_capped_deterministically():
    """A basket beyond the cap keeps a sample of that many products, the same sample on every run."""
    big = baskets([(1, 1, list(range(100))), (2, 2, [0, 1])], n_products=100)
    kept = capped(big, 10)
    assert np.bincount(kept.basket).tolist()[1:] == [10, 2]
    assert np.array_equal(capped(big, 10).product, kept.product)


def test_duplicate_lines_count_once():
    """A product on two lines of one basket counts as one basket-product pair."""
    doubled = baskets([(1, 1, [A, A, B])])
    assert capped(doubled, 50).product.size == 2


def test_popularity_baseline_excludes_the_query():
    """The popularity baseline lists the best sellers other than the query product itself."""
    lists = by_query(popularity_lists(co_occurrence(SHOP), k=2))
    assert [i for i, *_ in lists[A]] == [B, C]
    assert [i for i, *_ in lists[B]] == [A, C]


@pytest.mark.parametrize("gamma", GAMMAS)
def test_lists_are_sorted_by_rank(gamma):
    """Whatever γ, each product's list carries ranks 1..k in order."""
    lists = item_lists(co_occurrence(SHOP), gamma=gamma, min_support=1, k=3)
    for q in np.unique(lists.query):
        assert lists.rank[lists.query == q].tolist() == list(range(1, 4))
