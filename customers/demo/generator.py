"""Synthetic purchase data: writes "seed raw" CSV files with learnable structure.

Pure module (no Django). The file has one row per line item::

    transaction_id,customer_id,date,product_name,amount
    T0000001,1007,2024-01-01,Milk,2.58

``date`` is ISO ``YYYY-MM-DD`` and ``amount`` is the line amount (unit price x quantity) with two
decimals. Rows are grouped by transaction and transactions are in chronological order.

What a model can learn from the data:

* **Purchase rates and churn** (BG/NBD-like). Each customer joins at a random time in the period
  (so tenure varies), makes a first purchase on joining, then buys as a Poisson process with a
  gamma-distributed personal rate. After every purchase the customer drops out for good with a
  personal, beta-distributed probability. Whether a customer buys again in the last 60 days is
  therefore predictable from recency and frequency.
* **Skewed popularity**: product draws follow a Zipf-like law over the catalogue order.
* **Personal preferences**: each customer has eight favourite products (with replacement, drawn from a
  flattened popularity law) and a personal loyalty share; that share of basket slots is filled from
  the favourites, so customers re-buy the same products ("buy again" recommendations).
* **Bundles** (``bundles=True``): disjoint groups of 2-4 products. When a basket contains a bundle's
  anchor, each partner is added with probability 0.8, so bundle pairs have a high lift. With
  ``bundles=False`` basket slots are independent draws and no pair co-occurs more than chance.
* **Baskets**: 1-6 distinct drawn products (mean about 2.4), plus bundle partners (mean about 2.7
  with bundles, never more than 10 lines); quantity 1-3; the unit price is fixed per product.

Row count: the file has exactly ``config.rows`` data rows (after the header), dirty rows included
(only a dirty config with a few dozen rows or fewer may come out slightly short).
Transactions are over-generated and then thinned at random (every customer's first purchase is kept
first, so every customer appears as long as ``rows`` allows); only the last kept basket may be cut
short to land on the exact count.

``dirty=True`` plants, for a cleaner to remove or fix: rows with one blank field (customer_id, date,
amount or product_name in turn; ``null_rows``), exact duplicate rows written right after their
original (``duplicate_rows``), and two rows whose product name differs from the catalogue spelling
only in case and whitespace (`` apple`` and ``MILK`` when Apple and Milk are in the catalogue). A
blank field never removes a customer or product from the file, and no other row is an exact copy
of another.

Same config, same bytes: everything is drawn from ``numpy.random.default_rng(config.seed)``; today's
date is never used.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from customers.demo.catalogue import GROCERY, GROCERY_BUNDLES, SPELLING_VARIANTS, price_cents, product_names

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

HEADER = ("transaction_id", "customer_id", "date", "product_name", "amount")

_ZIPF_EXPONENT = 1.1  # popularity of catalogue rank r is proportional to (r + _ZIPF_OFFSET) ** -exponent
_ZIPF_OFFSET = 2.0
_FAVOURITES = 8  # favourite products per customer (drawn with replacement)
_FAVOURITE_WEIGHTS = np.array([0.20, 0.17, 0.15, 0.13, 0.11, 0.09, 0.08, 0.07])
_FAVOURITE_FLATTEN = 0.8  # favourites drawn from popularity ** this
_LOYALTY_BETA = (6.0, 8.0)  # share of basket slots filled from favourites, mean 0.43
_RATE_SHAPE = 1.2  # gamma shape of the purchase rates
_DROPOUT_BETA = (1.5, 6.0)  # per-purchase dropout probability, mean 0.2
_JOIN_BETA = (0.8, 1.4)  # join time as a share of _JOIN_SPAN x period, skewed early
_JOIN_SPAN = 0.92
_BASKET_EXTRA_MEAN = 1.6  # drawn basket size is 1 + min(Poisson(mean), _BASKET_MAX_DRAWN - 1)
_BASKET_MAX_DRAWN = 6
_BASKET_MAX_LINES = 10
_BUNDLE_ADD_PROBABILITY = 0.8
_BUNDLE_MAX = 4
_QUANTITY_P = (0.62, 0.28, 0.10)  # quantity 1, 2, 3
_CHUNK_ROWS = 100_000

# (customer of each transaction, time in days from start, number of first purchases)
_Purchases = tuple[IntArray, FloatArray, int]


@dataclass(frozen=True)
class GeneratorConfig:
    customers: int
    rows: int
    products: int
    seed: int = 42
    start: date = date(2024, 1, 1)
    days: int = 365
    bundles: bool = True
    customer_id_start: int = 1001
    dirty: bool = False

    def __post_init__(self) -> None:
        for name in ("customers", "rows", "products", "days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.customer_id_start < 0:
            raise ValueError(f"customer_id_start must not be negative, got {self.customer_id_start}")


@dataclass(frozen=True)
class GeneratorResult:
    path: Path
    rows_written: int  # data rows, header excluded, dirty rows included: always config.rows
    transactions: int  # distinct transaction ids in the file
    customers: int  # distinct customers in the file
    products: int  # distinct catalogue products in the file
    null_rows: int  # rows with one blank field
    duplicate_rows: int  # extra exact copies of an earlier row


def demo_config() -> GeneratorConfig:
    """The seed demo: 500 rows, customers 1001..1050, the 30 grocery products, all of 2024, dirty."""
    return GeneratorConfig(
        customers=50,
        rows=500,
        products=len(GROCERY),
        seed=42,
        start=date(2024, 1, 1),
        days=366,
        bundles=True,
        customer_id_start=1001,
        dirty=True,
    )


def _popularity(n: int) -> FloatArray:
    weights = (np.arange(n) + _ZIPF_OFFSET) ** -_ZIPF_EXPONENT
    return weights / weights.sum()


def _cdf(p: FloatArray) -> FloatArray:
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    return cdf


def _draw(cdf: FloatArray, u: FloatArray) -> IntArray:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _sorted_unique(values: IntArray) -> IntArray:
    """np.unique for integer keys (sort-based: much faster than the hash-based default here)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _bundles(n: int, rng: np.random.Generator) -> IntArray:
    """Disjoint bundles as rows of product indices (anchor first, -1 padded), shape (b, _BUNDLE_MAX)."""
    index = {name: i for i, name in enumerate(product_names(min(n, len(GROCERY))))}
    groups = [[index[name] for name in group] for group in GROCERY_BUNDLES if all(m in index for m in group)]
    used = {i for group in groups for i in group}
    wanted = min(max(round(n / 25), 2), 40)
    if len(groups) < wanted and n > len(GROCERY):
        # Anchors are popular enough to be seen; partners come from anywhere in the rest of the catalogue.
        anchor_pool = [i for i in range(3, max(n // 4, 4)) if i not in used]
        partner_pool = [i for i in range(n) if i not in used]
        anchors = rng.permutation(anchor_pool)[: wanted - len(groups)]
        partner_pool = [int(i) for i in rng.permutation([i for i in partner_pool if i not in set(anchors)])]
        for anchor in anchors:
            size = int(rng.integers(2, _BUNDLE_MAX + 1))
            if len(partner_pool) < size - 1:
                break
            groups.append([int(anchor), *partner_pool[: size - 1]])
            del partner_pool[: size - 1]
    table = np.full((len(groups), _BUNDLE_MAX), -1, dtype=np.int64)
    for row, group in enumerate(groups):
        table[row, : len(group)] = group
    return table


def _transactions(n: int, days: int, target: float, rng: np.random.Generator) -> _Purchases:
    """Simulate purchase times: (customer of each transaction, time in days, number of first purchases).

    The first ``n`` transactions are the customers' first purchases (one each, at joining); the rest are
    repeat purchases. Rates are scaled so that the expected number of transactions is ``target``.
    """
    span = float(days)
    join = span * _JOIN_SPAN * rng.beta(*_JOIN_BETA, size=n)
    window = span - join
    rate = rng.gamma(_RATE_SHAPE, 1.0, size=n)
    dropout = np.clip(rng.beta(*_DROPOUT_BETA, size=n), 1e-9, 0.95)

    # Halve the dropout until lifetimes can hold the target (only with many rows per customer), then
    # find the rate scale by bisection on E[repeats] = (1-p)/p * (1 - exp(-rate * scale * window * p)).
    for _ in range(60):
        if n + ((1 - dropout) / dropout).sum() >= 1.5 * target:
            break
        dropout = dropout / 2
    life = (1 - dropout) / dropout

    def expected(scale: float) -> float:
        return n - float((life * np.expm1(-rate * scale * window * dropout)).sum())

    scale = 0.0
    if target > n:
        low, high = 0.0, 1.0
        for _ in range(200):
            if expected(high) >= target:
                break
            low, high = high, high * 2
        for _ in range(60):
            mid = (low + high) / 2
            low, high = (mid, high) if expected(mid) < target else (low, mid)
        scale = high

    arrivals = rng.poisson(rate * scale * window)  # repeat purchases without dropout
    lifetime = rng.geometric(dropout) - 1  # repeat purchases before dropping out
    repeats = np.minimum(arrivals, lifetime)
    total = int(repeats.sum())
    owner = np.repeat(np.arange(n), repeats)
    # The first `repeats` of `arrivals` uniform order statistics on the window: partial sums of
    # exponentials divided by the total of arrivals + 1 exponentials (the rest drawn as one gamma).
    partial = np.cumsum(rng.standard_exponential(total))
    starts = np.cumsum(repeats) - repeats
    offset = np.concatenate([[0.0], partial])[starts]
    partial -= np.repeat(offset, repeats)
    rest = rng.gamma((arrivals - repeats + 1).astype(np.float64))
    denominator = rest.copy()
    has = repeats > 0
    denominator[has] += partial[(starts + repeats - 1)[has]]
    times = join[owner] + window[owner] * partial / denominator[owner]
    customers = np.concatenate([np.arange(n), owner])
    return customers, np.minimum(np.concatenate([join, times]), span - 1e-9), n


def _baskets(
    txn_customer: IntArray,
    favourites: IntArray,
    loyalty: FloatArray,
    popularity_cdf: FloatArray,
    bundles: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """Line items as (transaction, product), sorted and distinct within each transaction."""
    n_products = len(popularity_cdf)
    count = len(txn_customer)
    drawn = 1 + np.minimum(rng.poisson(_BASKET_EXTRA_MEAN, size=count), _BASKET_MAX_DRAWN - 1)
    slot_txn = np.repeat(np.arange(count, dtype=np.int64), drawn)
    slot_customer = txn_customer[slot_txn]
    slots = len(slot_txn)
    product = _draw(popularity_cdf, rng.random(slots))
    favourite = _draw(_cdf(_FAVOURITE_WEIGHTS), rng.random(slots))
    loyal = rng.random(slots) < loyalty[slot_customer]
    product[loyal] = favourites[slot_customer[loyal], favourite[loyal]]
    keys = _sorted_unique(slot_txn * n_products + product)

    if len(bundles):
        anchor_of = np.full(n_products, -1, dtype=np.int64)
        anchor_of[bundles[:, 0]] = np.arange(len(bundles))
        bundle = anchor_of[keys % n_products]
        hit = np.flatnonzero(bundle >= 0)
        added = [keys]
        for column in range(1, bundles.shape[1]):
            partner = bundles[bundle[hit], column]
            take = (partner >= 0) & (rng.random(len(hit)) < _BUNDLE_ADD_PROBABILITY)
            added.append((keys[hit[take]] // n_products) * n_products + partner[take])
        keys = _sorted_unique(np.concatenate(added))
        txn = keys // n_products
        starts = np.flatnonzero(np.r_[True, txn[1:] != txn[:-1]])
        rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
        keys = keys[rank < _BASKET_MAX_LINES]
    return keys // n_products, keys % n_products


def _plan_dirty(
    n_null: int,
    n_dup: int,
    txn: IntArray,
    customer: IntArray,
    product: IntArray,
    names: list[str],
    rng: np.random.Generator,
) -> tuple[dict[int, int], dict[int, str], IntArray]:
    """Choose the blank fields {row: column}, spelling variants {row: name} and rows to duplicate."""
    # Blanks and variants go to rows whose customer and product have at least 3 rows, at most one per
    # transaction, so they never drop a customer or product and never make two rows equal.
    ok = (np.bincount(customer)[customer] >= 3) & (np.bincount(product)[product] >= 3)
    candidates = rng.permutation(np.flatnonzero(ok))
    _, first = np.unique(txn[candidates], return_index=True)
    candidates = candidates[np.sort(first)]
    n_null = min(n_null, len(candidates) // 2)
    columns = (1, 2, 4, 3)  # customer_id, date, amount, product_name
    nulls = {int(row): columns[i % len(columns)] for i, row in enumerate(candidates[:n_null])}
    rest = candidates[n_null:]
    variants: dict[int, str] = {}
    index = {name: i for i, name in enumerate(names)}
    for name, make in SPELLING_VARIANTS:
        pool = rest[product[rest] == index[name]] if name in index else rest[:0]
        if not len(pool):
            pool = rest[: len(rest) // 2]
        if len(pool):
            row = int(pool[0])
            variants[row] = make(names[product[row]])
            rest = rest[rest != row]
    # Duplicates: any other rows.
    free = np.ones(len(txn), dtype=bool)
    free[list(nulls)] = False
    free[list(variants)] = False
    duplicates = rng.permutation(np.flatnonzero(free))[:n_dup]
    return nulls, variants, np.sort(duplicates)


def generate_csv(
    *,
    config: GeneratorConfig,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> GeneratorResult:
    """Write the synthetic purchase CSV for ``config`` to ``path``; ``progress(done, total)`` per chunk."""
    path = Path(path)
    rng = np.random.default_rng(config.seed)
    n_customers, n_products, total_rows = config.customers, config.products, config.rows
    names = product_names(n_products)
    popularity = _popularity(n_products)
    popularity_cdf = _cdf(popularity)
    bundles = _bundles(n_products, rng) if config.bundles and n_products > 1 else np.empty((0, 0), np.int64)
    favourites = _draw(_cdf(popularity**_FAVOURITE_FLATTEN), rng.random((n_customers, _FAVOURITES)))
    loyalty = rng.beta(*_LOYALTY_BETA, size=n_customers)

    # Dirty mode: about 1.5% rows with a blank field, 1.2% duplicates (at least 5 of each).
    n_null = max(5, total_rows * 3 // 200) if config.dirty else 0
    n_dup = min(max(5, total_rows * 3 // 250), total_rows // 4) if config.dirty else 0
    base_rows = total_rows - n_dup

    # Over-generate transactions, then thin them to the exact row count.
    target = base_rows / 2.4 * 1.05
    for _ in range(20):
        txn_customer, txn_time, n_first = _transactions(n_customers, config.days, target, rng)
        item_txn, item_product = _baskets(txn_customer, favourites, loyalty, popularity_cdf, bundles, rng)
        if len(item_txn) >= base_rows:
            break
        target *= max(base_rows / max(len(item_txn), 1), 1.0) * 1.1
    base_rows = min(base_rows, len(item_txn))
    lines = np.bincount(item_txn, minlength=len(txn_customer))
    order = np.concatenate([rng.permutation(n_first), n_first + rng.permutation(len(txn_customer) - n_first)])
    cumulative = np.cumsum(lines[order])
    n_full = int(np.searchsorted(cumulative, base_rows, side="right"))
    keep_txn = np.zeros(len(txn_customer), dtype=bool)
    keep_txn[order[:n_full]] = True
    keep_item = keep_txn[item_txn]
    remainder = base_rows - (int(cumulative[n_full - 1]) if n_full else 0)
    if remainder:
        first_line = int(np.cumsum(lines)[order[n_full]] - lines[order[n_full]])
        keep_item[first_line : first_line + remainder] = True
        keep_txn[order[n_full]] = True

    # Number the kept transactions chronologically and lay the rows out by transaction.
    kept = np.flatnonzero(keep_txn)
    kept = kept[np.lexsort((txn_customer[kept], txn_time[kept]))]
    new_id = np.empty(len(txn_customer), dtype=np.int64)
    new_id[kept] = np.arange(len(kept))
    item_txn, item_product = item_txn[keep_item], item_product[keep_item]
    layout = np.argsort(new_id[item_txn], kind="stable")
    row_txn = new_id[item_txn[layout]]
    row_product = item_product[layout]
    row_customer = txn_customer[item_txn[layout]]
    row_day = np.floor(txn_time[item_txn[layout]]).astype(np.int64)
    row_quantity = _draw(_cdf(np.array(_QUANTITY_P)), rng.random(base_rows))
    del item_txn, item_product, layout, keep_item

    nulls: dict[int, int] = {}
    variants: dict[int, str] = {}
    duplicates = np.empty(0, dtype=np.int64)
    if config.dirty:
        plan = _plan_dirty(n_null, n_dup, row_txn, row_customer, row_product, names, rng)
        nulls, variants, duplicates = plan
    written_total = base_rows + len(duplicates)

    customer_text = np.array([str(config.customer_id_start + i) for i in range(n_customers)], dtype=object)
    day_text = np.array([(config.start + timedelta(days=d)).isoformat() for d in range(config.days)], object)
    product_text = np.array(names, dtype=object)
    cents = (price_cents(n_products)[:, None] * np.arange(1, 4)[None, :]).ravel()
    amount_text = np.array([f"{c // 100}.{c % 100:02d}" for c in cents], dtype=object)
    width = max(7, len(str(len(kept))))
    dirty_rows = np.array(sorted({*nulls, *variants, *duplicates.tolist()}), dtype=np.int64)

    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for low in range(0, base_rows, _CHUNK_ROWS):
            high = min(low + _CHUNK_ROWS, base_rows)
            txn = row_txn[low:high]
            first_txn = int(txn[0])
            ids = range(first_txn + 1, int(txn[-1]) + 2)
            txn_text = np.array([f"T{i:0{width}d}" for i in ids], dtype=object)
            product = row_product[low:high]
            columns = (
                txn_text[txn - first_txn],
                customer_text[row_customer[low:high]],
                day_text[row_day[low:high]],
                product_text[product],
                amount_text[product * 3 + row_quantity[low:high]],
            )
            here = dirty_rows[(dirty_rows >= low) & (dirty_rows < high)]
            if not len(here):
                writer.writerows(zip(*columns, strict=True))
                written += high - low
            else:
                chunk = [list(row) for row in zip(*columns, strict=True)]
                out: list[list[str]] = []
                previous = 0
                for row in here.tolist():
                    if row in nulls:
                        chunk[row - low][nulls[row]] = ""
                    if row in variants:
                        chunk[row - low][3] = variants[row]
                    out.extend(chunk[previous : row - low + 1])
                    previous = row - low + 1
                    if row not in nulls and row not in variants:  # a row to duplicate
                        out.append(chunk[row - low])
                out.extend(chunk[previous:])
                writer.writerows(out)
                written += len(out)
            if progress is not None:
                progress(written, written_total)

    return GeneratorResult(
        path=path,
        rows_written=written,
        transactions=len(kept),
        customers=int(np.count_nonzero(np.bincount(row_customer))),
        products=int(np.count_nonzero(np.bincount(row_product))),
        null_rows=len(nulls),
        duplicate_rows=len(duplicates),
    )
