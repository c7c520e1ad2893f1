"""Tuning and measuring the product ranking out of time (no database).

`evaluate_items` holds out each product of later baskets and asks whether the lists of the other products in the
basket rank it in their top k; `tune_ranking` picks the blend's (γ, β) that does best on the last 20% of the
training baskets by date.
"""

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
import numpy.typing as npt

from analytics.facts import Baskets, IntArray
from analytics.recommendations.ranking import (
    DEFAULT_BETA,
    DEFAULT_GAMMA,
    RANDOM_STATE,
    ItemLists,
    co_occurrence,
    item_lists,
)

GAMMAS = (0.0, 0.5, 1.0)
BETAS = (0.0, 1.0, 3.0, 10.0)
MIN_VALIDATION_QUERIES = 200
MAX_VALIDATION_BASKETS = 20_000


class ItemHitRates(TypedDict):
    """HitRate@k and MRR@k of product lists (None without queries), and the number of queries."""

    hit_rate: float | None
    mrr: float | None
    queries: int


class Tuning(TypedDict):
    """The blend's chosen (γ, β), the hit rates of every pair tried, and why."""

    gamma: float
    beta: float
    validation: dict[str, ItemHitRates]
    reason: str


def _rank_lookup(lists: ItemLists, n_products: int) -> tuple[IntArray, IntArray]:
    keys = lists.query.astype(np.int64) * n_products + lists.item
    order = np.argsort(keys)
    return keys[order], lists.rank[order]


def evaluate_items(lists: ItemLists, test: Baskets, *, k: int) -> ItemHitRates:
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


def tune_ranking(
    baskets: Baskets, *, min_support: int, k: int, gammas: Sequence[float] = GAMMAS, betas: Sequence[float] = BETAS
) -> Tuning:
    """Pick (γ, β) on a time-based split of the training baskets: fit on the first 80% of baskets by date, measure
    HitRate@k (then MRR@k) on the last 20% (a seeded sample of at most MAX_VALIDATION_BASKETS). Falls back to the
    defaults when validation is too small to tell."""
    result: Tuning = {"gamma": DEFAULT_GAMMA, "beta": DEFAULT_BETA, "validation": {}, "reason": ""}
    if not baskets.basket.size:
        result["reason"] = "no baskets"
        return result
    basket_day: dict[int, int] = {}
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


def _subset(baskets: Baskets, mask: npt.NDArray[np.bool_]) -> Baskets:
    return Baskets(
        baskets.basket[mask], baskets.product[mask], baskets.customer[mask], baskets.day[mask], baskets.n_products
    )
