"""Recommendations on plain arrays (no database): co-occurrence, ranking, fallbacks, customer lists, evaluation.

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

Customer → products (see CustomerWeights): "buy again" ranks by the customer's own purchase rate of each product,
smoothed towards popularity (a Bayesian prior of a few baskets), plus a little of what goes with what they bought;
"discover" excludes what they already bought and ranks by popularity nudged by similarity to their history. Both
keep popularity as the prior, so a customer with little history still gets sensible lists.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

SOURCE_BASKET, SOURCE_CUSTOMER, SOURCE_POPULAR = "basket", "customer", "popular"
GAMMAS = (0.0, 0.5, 1.0)
BETAS = (0.0, 1.0, 3.0, 10.0)
DEFAULT_GAMMA = 0.5
DEFAULT_BETA = 1.0
MIN_VALIDATION_QUERIES = 200
MAX_VALIDATION_BASKETS = 20_000
NEIGHBOURS = 50  # similar products kept per product for the customer lists
RANDOM_STATE = 42


@dataclass(frozen=True)
class Baskets:
    """Line items as parallel arrays: one entry per (basket, product), customer and day of the basket."""

    basket: np.ndarray
    product: np.ndarray
    customer: np.ndarray
    day: np.ndarray
    n_products: int


def capped(baskets: Baskets, max_basket: int) -> Baskets:
    """Distinct (basket, product) pairs, keeping at most `max_basket` products of any basket (seeded sample)."""
    if not baskets.basket.size:
        return baskets
    key = baskets.basket.astype(np.int64) * baskets.n_products + baskets.product
    _, first = np.unique(key, return_index=True)
    b, p, c, d = (a[first] for a in (baskets.basket, baskets.product, baskets.customer, baskets.day))
    order = np.lexsort((np.random.default_rng(RANDOM_STATE).random(b.size), b))
    b, p, c, d = b[order], p[order], c[order], d[order]
    keep = _ranks(b) <= max_basket
    return Baskets(b[keep], p[keep], c[keep], d[keep], baskets.n_products)


def incidence(rows: np.ndarray, products: np.ndarray, n_products: int) -> sparse.csr_matrix:
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
    item_counts: np.ndarray  # c_i
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

    query: np.ndarray
    item: np.ndarray
    rank: np.ndarray  # 1-based
    score: np.ndarray
    source: np.ndarray  # object array of SOURCE_*
    support: np.ndarray
    confidence: np.ndarray
    lift: np.ndarray
    k: int


def _top(indices: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
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
    queries: np.ndarray | None = None,
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
    out: dict[str, list] = {name: [] for name in ("query", "item", "score", "source", "rank")}
    counts, sim = co.counts, co.customer_similarity
    for i in queries.tolist():
        start, end = counts.indptr[i], counts.indptr[i + 1]
        cols, c_ij = counts.indices[start:end], counts.data[start:end]
        strong = c_ij >= min_support
        cols_s = cols[strong]
        items, scores = _top(cols_s, (c_ij[strong] + co.item_counts[i] * prior[cols_s]) / weight[cols_s], k)
        chosen = [items]
        sources = [np.full(items.size, SOURCE_BASKET, dtype=object)]
        score_parts = [scores]
        if not basket_only and items.size < k:
            taken = set(items.tolist()) | {i}
            s_start, s_end = sim.indptr[i], sim.indptr[i + 1]
            s_cols, s_vals = sim.indices[s_start:s_end], sim.data[s_start:s_end]
            mask = known[s_cols] & ~np.isin(s_cols, list(taken))
            more, more_scores = _top(s_cols[mask], s_vals[mask], k - items.size)
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


def _rank_lookup(lists: ItemLists, n_products: int):
    keys = lists.query.astype(np.int64) * n_products + lists.item
    order = np.argsort(keys)
    return keys[order], lists.rank[order]


def evaluate_items(lists: ItemLists, test: Baskets, *, k: int) -> dict:
    """Hold out each product of every test basket with ≥ 2 distinct products and query with each of the others:
    HitRate@k = share of queries whose list has the held-out product in its top k; MRR@k = mean 1/rank (0 when
    absent). Queries with a product unknown at training time count as misses."""
    n = test.n_products
    keys, ranks = _rank_lookup(lists, n)
    basket, product = test.basket, test.product
    order = np.argsort(basket, kind="stable")
    basket, product = basket[order], product[order]
    starts = np.r_[0, np.flatnonzero(np.diff(basket)) + 1] if basket.size else np.zeros(0, dtype=int)
    ends = np.r_[starts[1:], basket.size] if basket.size else starts
    queries, hits, reciprocal = 0, 0, 0.0
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        items = product[s:e]
        if items.size < 2:
            continue
        q = np.repeat(items, items.size)
        h = np.tile(items, items.size)
        pair = q != h
        q, h = q[pair], h[pair]
        found = q.astype(np.int64) * n + h
        pos = np.searchsorted(keys, found)
        pos = np.minimum(pos, max(keys.size - 1, 0))
        match = (keys[pos] == found) if keys.size else np.zeros(found.size, dtype=bool)
        rank = np.where(match, ranks[pos] if keys.size else 0, 0)
        good = match & (rank <= k)
        queries += found.size
        hits += int(good.sum())
        reciprocal += float((1.0 / rank[good]).sum())
    return {
        "hit_rate": round(hits / queries, 6) if queries else None,
        "mrr": round(reciprocal / queries, 6) if queries else None,
        "queries": queries,
    }


def tune_ranking(baskets: Baskets, *, min_support: int, k: int, gammas=GAMMAS, betas=BETAS) -> dict:
    """Pick (γ, β) on a time-based split of the training baskets: fit on the first 80% of baskets by date, measure
    HitRate@k (then MRR@k) on the last 20% (a seeded sample of at most MAX_VALIDATION_BASKETS). Falls back to the
    defaults when validation is too small to tell."""
    result: dict = {"gamma": DEFAULT_GAMMA, "beta": DEFAULT_BETA, "validation": {}, "reason": ""}
    if not baskets.basket.size:
        result["reason"] = "no baskets"
        return result
    basket_day = {}
    for b, d in zip(baskets.basket.tolist(), baskets.day.tolist(), strict=True):
        basket_day.setdefault(b, d)
    ordered = sorted(basket_day, key=lambda b: (basket_day[b], b))
    split = set(ordered[int(len(ordered) * 0.8) :])
    in_validation = np.fromiter((b in split for b in baskets.basket.tolist()), dtype=bool, count=baskets.basket.size)
    fit_part = _subset(baskets, ~in_validation)
    if len(split) > MAX_VALIDATION_BASKETS:  # a seeded sample of the validation baskets keeps tuning fast
        sample = set(np.random.default_rng(RANDOM_STATE).choice(sorted(split), MAX_VALIDATION_BASKETS, replace=False))
        in_validation &= np.fromiter(
            (b in sample for b in baskets.basket.tolist()), dtype=bool, count=in_validation.size
        )
    validation = _subset(baskets, in_validation)
    co = co_occurrence(fit_part)
    scores = {
        (gamma, beta): evaluate_items(
            item_lists(co, gamma=gamma, beta=beta, min_support=min_support, k=k), validation, k=k
        )
        for gamma in gammas
        for beta in betas
    }
    result["validation"] = {f"gamma={g},beta={b}": v for (g, b), v in scores.items()}
    queries = next(iter(scores.values()))["queries"]
    if queries < MIN_VALIDATION_QUERIES:
        result["reason"] = f"only {queries} validation queries (< {MIN_VALIDATION_QUERIES}): defaults kept"
        return result
    best = max(
        scores,
        key=lambda gb: (
            scores[gb]["hit_rate"] or 0,
            scores[gb]["mrr"] or 0,
            -abs(gb[0] - DEFAULT_GAMMA) - abs(gb[1] - DEFAULT_BETA),
        ),
    )
    result["gamma"], result["beta"] = best
    result["reason"] = f"best HitRate@{k} on the last 20% of baskets ({queries:,} queries)"
    return result


def _subset(baskets: Baskets, mask: np.ndarray) -> Baskets:
    return Baskets(
        baskets.basket[mask], baskets.product[mask], baskets.customer[mask], baskets.day[mask], baskets.n_products
    )


def top_neighbours(similarity: sparse.csr_matrix, k: int = NEIGHBOURS) -> sparse.csr_matrix:
    """Keep the k largest entries of each row (bounds the cost of the customer lists on big catalogues)."""
    similarity = similarity.tocsr()
    rows, cols, vals = [], [], []
    for i in range(similarity.shape[0]):
        s, e = similarity.indptr[i], similarity.indptr[i + 1]
        items, values = _top(similarity.indices[s:e], similarity.data[s:e], k)
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
    customer: np.ndarray
    item: np.ndarray
    rank: np.ndarray
    score: np.ndarray


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
    popularity: np.ndarray,
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
    rank = _ranks(customer)
    return CustomerLists(
        customer,
        np.concatenate(out_i).astype(np.int64) if out_i else empty,
        rank,
        np.concatenate(out_s) if out_s else np.zeros(0),
    )


def _baskets_count(baskets: Baskets) -> int:
    return int(np.unique(baskets.basket).size)


def _ranks(groups: np.ndarray) -> np.ndarray:
    """1, 2, 3… within runs of equal consecutive values."""
    if not groups.size:
        return groups
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    return np.arange(groups.size) - np.repeat(starts, np.diff(np.r_[starts, groups.size])) + 1


def evaluate_customers(lists: CustomerLists, later: dict[int, set[int]], *, k: int) -> dict:
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
