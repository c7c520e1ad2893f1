"""Product → products on plain arrays (no database): co-occurrence, the ranking blend, fallbacks.

Products are dense indices 0..P-1. A basket is the set of distinct products of one purchase transaction.

Product → products ("frequently bought together"), for a query product i and a candidate j:
- c_ij = baskets with both, c_i = baskets with i, N = baskets;
- support = c_ij / N, confidence(i→j) = c_ij / c_i, lift = c_ij·N / (c_i·c_j);
- ranking score = (c_ij + β·c_i·c_j/N) / c_j^γ. γ = 0 ranks by counts (the best seller wins everywhere), γ = 1 by
  lift (rare items win on one lucky basket); γ between blends the two. β adds β "pseudo-baskets" of what
  independent buying would give (c_i·c_j/N), shrinking noisy counts towards popularity: with no real
  co-purchase structure a large β ranks like popularity, so the method does not fall below it. (γ, β) is tuned
  on a time-based validation split of the training baskets (the last 20%) by HitRate@k, see `tune_ranking`;
- only pairs seen together in at least `min_support` baskets count as basket evidence;
- where basket evidence is thin the list is filled from customer-level co-occurrence (products bought by the
  same customers, cosine similarity), then from popularity, so every known product gets `k` recommendations;
  the query product is never recommended to itself;
- baskets with more than `max_basket` distinct products keep a seeded random sample of that many (wholesale
  orders would otherwise add quadratically many pairs).
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from analytics.facts import Baskets, FloatArray, IntArray, ObjectArray

CountArray = npt.NDArray[np.float32]  # basket counts, as the float32 incidence products give them
RatioArray = npt.NDArray[np.float32] | FloatArray  # support, confidence, lift

SOURCE_BASKET, SOURCE_CUSTOMER, SOURCE_POPULAR = "basket", "customer", "popular"
DEFAULT_GAMMA = 0.5
DEFAULT_BETA = 1.0
RANDOM_STATE = 42


def capped(baskets: Baskets, max_basket: int) -> Baskets:
    """Distinct (basket, product) pairs, keeping at most `max_basket` products of any basket (seeded sample)."""
    if not baskets.basket.size:
        return baskets
    key = baskets.basket.astype(np.int64) * baskets.n_products + baskets.product
    _, first = np.unique(key, return_index=True)
    b, p, c, d = (a[first] for a in (baskets.basket, baskets.product, baskets.customer, baskets.day))
    order = np.lexsort((np.random.default_rng(RANDOM_STATE).random(b.size), b))
    b, p, c, d = b[order], p[order], c[order], d[order]
    keep = ranks_within(b) <= max_basket
    return Baskets(b[keep], p[keep], c[keep], d[keep], baskets.n_products)


def incidence(rows: IntArray, products: IntArray, n_products: int) -> sparse.csr_matrix:
    """Binary rows × products matrix (rows re-indexed densely)."""
    _, dense_rows = np.unique(rows, return_inverse=True)
    n_rows = int(dense_rows.max()) + 1 if dense_rows.size else 0
    matrix = sparse.csr_matrix(
        (np.ones(dense_rows.size, dtype=np.float32), (dense_rows, products)), shape=(n_rows, n_products)
    )
    matrix.data[:] = 1.0  # duplicates summed by the constructor count once
    return matrix


@dataclass
class CoOccurrence:
    counts: sparse.csr_matrix  # c_ij, diagonal removed
    item_counts: CountArray  # c_i
    n_baskets: int
    customer_similarity: sparse.csr_matrix  # cosine over customers, diagonal removed


def co_occurrence(baskets: Baskets) -> CoOccurrence:
    x = incidence(baskets.basket, baskets.product, baskets.n_products)
    counts = (x.T @ x).tocsr()
    item_counts = np.asarray(counts.diagonal()).ravel()
    counts.setdiag(0)
    counts.eliminate_zeros()
    y = incidence(baskets.customer, baskets.product, baskets.n_products)
    shared = (y.T @ y).tocsr()
    buyers = np.sqrt(np.asarray(shared.diagonal()).ravel())
    shared.setdiag(0)
    shared.eliminate_zeros()
    inv = np.divide(1.0, buyers, out=np.zeros_like(buyers), where=buyers > 0)
    similarity = sparse.diags(inv) @ shared @ sparse.diags(inv)
    return CoOccurrence(counts, item_counts, x.shape[0], similarity.tocsr())


@dataclass
class ItemLists:
    """Top-k recommendations per query product, as parallel arrays sorted by (query, rank)."""

    query: IntArray
    item: IntArray
    rank: IntArray  # 1-based
    score: FloatArray
    source: ObjectArray  # SOURCE_*
    support: RatioArray
    confidence: RatioArray
    lift: RatioArray
    k: int


def top_k[I: np.integer[Any]](indices: npt.NDArray[I], scores: FloatArray, k: int) -> tuple[npt.NDArray[I], FloatArray]:
    if indices.size > k:
        part = np.argpartition(-scores, k - 1)[:k]
        indices, scores = indices[part], scores[part]
    order = np.lexsort((indices, -scores))  # ties: lower product index first (deterministic)
    return indices[order], scores[order]


def item_lists(
    co: CoOccurrence,
    *,
    gamma: float,
    beta: float = 0.0,
    min_support: int,
    k: int,
    basket_only: bool = False,
    queries: IntArray | None = None,
) -> ItemLists:
    """Top-k per product: basket evidence by (c_ij + β·c_i·c_j/N) / c_j^γ, then customer similarity, then popularity.

    Only products seen in baskets are recommended. `queries` are the products to build lists for (default: those
    seen in baskets; pass every catalogue product so that unsold ones get popular products).
    `basket_only` skips the fallbacks (used to compare plain co-occurrence counts).
    """
    n = co.counts.shape[0]
    known = co.item_counts > 0
    queries = np.flatnonzero(known) if queries is None else queries
    popularity_order = np.lexsort((np.arange(n), -co.item_counts))
    popular = popularity_order[known[popularity_order]]
    weight = np.power(np.maximum(co.item_counts, 1).astype(float), gamma)
    prior = beta * co.item_counts.astype(float) / max(co.n_baskets, 1)  # β·c_j/N; times c_i below
    out: dict[str, list[npt.NDArray[np.generic]]] = {name: [] for name in ("query", "item", "score", "source", "rank")}
    counts, sim = co.counts, co.customer_similarity
    for i in queries.tolist():
        start, end = counts.indptr[i], counts.indptr[i + 1]
        cols, c_ij = counts.indices[start:end], counts.data[start:end]
        strong = c_ij >= min_support
        cols_s = cols[strong]
        items, scores = top_k(cols_s, (c_ij[strong] + co.item_counts[i] * prior[cols_s]) / weight[cols_s], k)
        chosen = [items]
        sources = [np.full(items.size, SOURCE_BASKET, dtype=object)]
        score_parts = [scores]
        if not basket_only and items.size < k:
            taken = set(items.tolist()) | {i}
            s_start, s_end = sim.indptr[i], sim.indptr[i + 1]
            s_cols, s_vals = sim.indices[s_start:s_end], sim.data[s_start:s_end]
            mask = known[s_cols] & ~np.isin(s_cols, list(taken))
            more, more_scores = top_k(s_cols[mask], s_vals[mask], k - items.size)
            chosen.append(more)
            sources.append(np.full(more.size, SOURCE_CUSTOMER, dtype=object))
            score_parts.append(more_scores)
            taken |= set(more.tolist())
            missing = k - items.size - more.size
            if missing > 0:
                fill = [p for p in popular[: k + len(taken)].tolist() if p not in taken][:missing]
                chosen.append(np.array(fill, dtype=np.int64))
                sources.append(np.full(len(fill), SOURCE_POPULAR, dtype=object))
                score_parts.append(np.zeros(len(fill)))
        items = np.concatenate(chosen).astype(np.int64)
        out["query"].append(np.full(items.size, i, dtype=np.int64))
        out["item"].append(items)
        out["score"].append(np.concatenate(score_parts).astype(float))
        out["source"].append(np.concatenate(sources))
        out["rank"].append(np.arange(1, items.size + 1))
    query = np.concatenate(out["query"]) if out["query"] else np.zeros(0, dtype=np.int64)
    item = np.concatenate(out["item"]) if out["item"] else np.zeros(0, dtype=np.int64)
    c_ij = np.asarray(co.counts[query, item]).ravel() if query.size else np.zeros(0)
    c_i, c_j = co.item_counts[query].astype(float), co.item_counts[item].astype(float)
    n_baskets = max(co.n_baskets, 1)
    return ItemLists(
        query=query,
        item=item,
        rank=np.concatenate(out["rank"]) if out["rank"] else np.zeros(0, dtype=np.int64),
        score=np.concatenate(out["score"]) if out["score"] else np.zeros(0),
        source=np.concatenate(out["source"]) if out["source"] else np.zeros(0, dtype=object),
        support=c_ij / n_baskets,
        confidence=np.divide(c_ij, c_i, out=np.zeros_like(c_ij), where=c_i > 0),
        lift=np.divide(c_ij * n_baskets, c_i * c_j, out=np.zeros_like(c_ij), where=(c_i * c_j) > 0),
        k=k,
    )


def popularity_lists(co: CoOccurrence, *, k: int) -> ItemLists:
    """Baseline: the k best sellers for every product (itself excluded)."""
    known = np.flatnonzero(co.item_counts > 0)
    best = known[np.lexsort((known, -co.item_counts[known]))][: k + 1]
    picks = [best[best != i][:k] for i in known]
    query = np.repeat(known, [p.size for p in picks]).astype(np.int64)
    zeros = np.zeros(query.size)
    return ItemLists(
        query=query,
        item=np.concatenate(picks).astype(np.int64) if picks else np.zeros(0, dtype=np.int64),
        rank=np.concatenate([np.arange(1, p.size + 1) for p in picks]) if picks else np.zeros(0, dtype=np.int64),
        score=zeros,
        source=np.full(query.size, SOURCE_POPULAR, dtype=object),
        support=zeros,
        confidence=zeros,
        lift=zeros,
        k=k,
    )


def ranks_within(groups: IntArray) -> IntArray:
    """1, 2, 3… within runs of equal consecutive values."""
    if not groups.size:
        return groups
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    ranks: IntArray = np.arange(groups.size) - np.repeat(starts, np.diff(np.r_[starts, groups.size])) + 1
    return ranks
