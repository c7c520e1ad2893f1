"""Hand-made baskets with known counts, for the recommendation maths (no database)."""

import numpy as np

from analytics.facts import Baskets
from analytics.recommendations.ranking import ItemLists

A, B, C, D = 0, 1, 2, 3


def baskets(rows: list[tuple[int, int, list[int]]], n_products: int = 4) -> Baskets:
    """rows: (basket, customer, products)."""
    basket, product, customer = [], [], []
    for b, c, products in rows:
        for p in products:
            basket.append(b)
            product.append(p)
            customer.append(c)
    size = len(basket)
    return Baskets(np.array(basket), np.array(product), np.array(customer), np.arange(size) // 2, n_products)


# Five baskets: A and B twice together (customer 10), A with C and B alone (customer 20), D alone (customer 30).
SHOP = baskets([(1, 10, [A, B]), (2, 10, [A, B]), (3, 20, [A, C]), (4, 20, [B]), (5, 30, [D])])


def by_query(lists: ItemLists) -> dict[int, list[tuple]]:
    """Each query product's list as (item, source, support, confidence, lift), rounded to 4 places."""
    out: dict[int, list[tuple]] = {}
    for q, i, src, sup, conf, lift in zip(
        lists.query, lists.item, lists.source, lists.support, lists.confidence, lists.lift, strict=True
    ):
        out.setdefault(int(q), []).append((int(i), src, round(sup, 4), round(conf, 4), round(lift, 4)))
    return out
