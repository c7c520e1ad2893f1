"""Customer → products on plain arrays (no database), and their out-of-time measure.

See CustomerWeights: "buy again" ranks by the customer's own purchase rate of each product,
smoothed towards popularity (a Bayesian prior of a few baskets), plus a little of what goes with what they bought;
"discover" excludes what they already bought and ranks by popularity nudged by similarity to their history. Both
keep popularity as the prior, so a customer with little history still gets sensible lists.
"""

from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import numpy.typing as npt
from scipy import sparse

from analytics.facts import Baskets, FloatArray, IntArray
from analytics.recommendations.ranking import SOURCE_BASKET, CountArray, ItemLists, ranks_within, top_k

NEIGHBOURS = 50  # similar products kept per product for the customer lists


class CustomerHitRates(TypedDict):
    """HitRate@k and MRR@k of customer lists (None without customers), and the number of customers measured."""

    hit_rate: float | None
    mrr: float | None
    customers: int


def top_neighbours(similarity: sparse.csr_matrix, k: int = NEIGHBOURS) -> sparse.csr_matrix:
    """Keep the k largest entries of each row (bounds the cost of the customer lists on big catalogues)."""
    similarity = similarity.tocsr()
    rows, cols, vals = [], [], []
    for i in range(similarity.shape[0]):
        s, e = similarity.indptr[i], similarity.indptr[i + 1]
        items, values = top_k(similarity.indices[s:e], similarity.data[s:e], k)
        rows.append(np.full(items.size, i))
        cols.append(items)
        vals.append(values)
    if not rows:
        return similarity
    return sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=similarity.shape
    )


def similarity_matrix(lists: ItemLists, n_products: int) -> sparse.csr_matrix:
    """Product → product similarity from the basket part of the lists, scores scaled to 0–1 per query."""
    basket = lists.source == SOURCE_BASKET
    q, j, s = lists.query[basket], lists.item[basket], lists.score[basket]
    if not q.size:
        return sparse.csr_matrix((n_products, n_products))
    top = np.zeros(n_products)
    np.maximum.at(top, q, s)
    scaled = np.divide(s, top[q], out=np.zeros_like(s), where=top[q] > 0)
    return sparse.csr_matrix((scaled, (q, j)), shape=(n_products, n_products))


@dataclass
class CustomerLists:
    customer: IntArray
    item: IntArray
    rank: IntArray
    score: npt.NDArray[np.float32] | FloatArray  # float32 as computed; float64 when empty


@dataclass(frozen=True)
class CustomerWeights:
    """score(j) = base_j + basket·mean_i sim_b(i, j) + customer·mean_i sim_c(i, j), the means over the products i the
    customer bought. base_j is p_j = c_j/N (the share of baskets with j), or with `prior` set, the customer's own
    smoothed rate (n_j + prior·p_j) / (n + prior): n_j of their n baskets had j, shrunk towards popularity by
    `prior` pseudo-baskets, so one basket says little and a long history speaks for itself."""

    prior: float | None
    basket: float
    customer: float
    exclude_bought: bool


BUY_AGAIN = CustomerWeights(prior=10.0, basket=0.05, customer=0.0, exclude_bought=False)
DISCOVER = CustomerWeights(prior=None, basket=0.05, customer=0.05, exclude_bought=True)
POPULAR = CustomerWeights(prior=None, basket=0.0, customer=0.0, exclude_bought=False)
POPULAR_UNBOUGHT = CustomerWeights(prior=None, basket=0.0, customer=0.0, exclude_bought=True)


def customer_lists(
    baskets: Baskets,
    *,
    weights: CustomerWeights,
    popularity: CountArray,
    basket_similarity: sparse.csr_matrix | None = None,
    customer_similarity: sparse.csr_matrix | None = None,
    k: int,
    cells_per_chunk: int = 20_000_000,
) -> CustomerLists:
    """Top-k products per customer by `weights` (see CustomerWeights); only products that sold are listed."""
    customers, dense = np.unique(baskets.customer, return_inverse=True)
    n = baskets.n_products
    history = sparse.csr_matrix((np.ones(dense.size), (dense, baskets.product)), shape=(customers.size, n))
    pairs = np.unique(np.c_[dense, baskets.basket], axis=0) if dense.size else np.zeros((0, 2), dtype=np.int64)
    n_baskets = np.bincount(pairs[:, 0], minlength=customers.size).astype(np.float32)
    share = (popularity / max(_baskets_count(baskets), 1)).astype(np.float32)
    sold = popularity > 0
    chunk = max(100, cells_per_chunk // max(n, 1))
    similarities = [
        (weight, similarity.astype(np.float32))
        for weight, similarity in ((weights.basket, basket_similarity), (weights.customer, customer_similarity))
        if weight and similarity is not None
    ]
    k_eff = min(k, int(sold.sum()))
    out_c, out_i, out_s = [], [], []
    for start in range(0, customers.size, chunk):
        block = history[start : start + chunk]
        size = block.shape[0]
        if weights.prior is None:
            scores = np.broadcast_to(share, (size, n)).copy()
        else:
            own = block.toarray().astype(np.float32)
            scores = (own + weights.prior * share) / (n_baskets[start : start + size, None] + weights.prior)
        if similarities:
            bought = block.astype(bool).astype(np.float32)
            inverse = sparse.diags((1.0 / np.maximum(np.diff(block.indptr), 1)).astype(np.float32))
            for weight, similarity in similarities:
                scores += weight * (inverse @ bought @ similarity).toarray()
        scores[:, ~sold] = -np.inf
        if weights.exclude_bought:
            rows, cols = block.nonzero()
            scores[rows, cols] = -np.inf
        if k_eff == 0:
            continue
        # k rounds of argmax beat a full partial sort of every row (k is small); ties go to the lower index.
        top = np.empty((size, k_eff), dtype=np.int64)
        values = np.empty((size, k_eff), dtype=np.float32)
        row_index = np.arange(size)
        for position in range(k_eff):
            best = scores.argmax(axis=1)
            top[:, position], values[:, position] = best, scores[row_index, best]
            scores[row_index, best] = -np.inf
        valid = np.isfinite(values)
        out_c.append(np.repeat(customers[start : start + size], k_eff)[valid.ravel()])
        out_i.append(top[valid])
        out_s.append(values[valid])
    empty = np.zeros(0, dtype=np.int64)
    customer = np.concatenate(out_c) if out_c else empty
    rank = ranks_within(customer)
    return CustomerLists(
        customer,
        np.concatenate(out_i).astype(np.int64) if out_i else empty,
        rank,
        np.concatenate(out_s) if out_s else np.zeros(0),
    )


def _baskets_count(baskets: Baskets) -> int:
    return int(np.unique(baskets.basket).size)


def evaluate_customers(lists: CustomerLists, later: dict[int, set[int]], *, k: int) -> CustomerHitRates:
    """HitRate@k: share of customers with at least one later purchase in their top k; MRR@k: 1/rank of the first
    such product (0 when none)."""
    by_customer: dict[int, list[int]] = {}
    for c, i in zip(lists.customer.tolist(), lists.item.tolist(), strict=True):
        by_customer.setdefault(c, []).append(i)
    hits, reciprocal = 0, 0.0
    for customer, bought in later.items():
        recommended = by_customer.get(customer, [])[:k]
        for position, item in enumerate(recommended, start=1):
            if item in bought:
                hits += 1
                reciprocal += 1.0 / position
                break
    n = len(later)
    return {
        "hit_rate": round(hits / n, 6) if n else None,
        "mrr": round(reciprocal / n, 6) if n else None,
        "customers": n,
    }
