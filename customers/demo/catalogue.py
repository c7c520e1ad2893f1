"""The synthetic shop's catalogue: product names, categories, prices and the bundles planted among them."""

import numpy as np
import numpy.typing as npt

PRICE_SEED = 20_240_101  # prices of non-grocery products do not depend on the generator's seed

# (name, category, unit price in cents), most popular first: catalogue order is popularity rank.
GROCERY: tuple[tuple[str, str, int], ...] = (
    ("Milk", "Dairy", 129),
    ("Bread", "Bakery", 249),
    ("Banana", "Produce", 119),
    ("Eggs", "Dairy", 349),
    ("Apple", "Produce", 89),
    ("Chicken", "Meat", 799),
    ("Cheese", "Dairy", 499),
    ("Tomato", "Produce", 69),
    ("Coffee", "Beverages", 899),
    ("Orange", "Produce", 99),
    ("Butter", "Dairy", 329),
    ("Yogurt", "Dairy", 109),
    ("Rice", "Pantry", 279),
    ("Pasta", "Pantry", 149),
    ("Potato", "Produce", 59),
    ("Onion", "Produce", 49),
    ("Tea", "Beverages", 399),
    ("Cereal", "Pantry", 429),
    ("Orange Juice", "Beverages", 379),
    ("Carrot", "Produce", 39),
    ("Ground Beef", "Meat", 649),
    ("Tomato Sauce", "Pantry", 219),
    ("Peanut Butter", "Pantry", 399),
    ("Jam", "Pantry", 319),
    ("Lettuce", "Produce", 179),
    ("Salmon", "Meat", 999),
    ("Chocolate", "Snacks", 229),
    ("Cookies", "Snacks", 349),
    ("Sugar", "Pantry", 209),
    ("Flour", "Pantry", 199),
)
# Names for products past the grocery list: "<Category> <catalogue number>", e.g. "Meat 0031".
_CATEGORIES = ("Produce", "Dairy", "Bakery", "Meat", "Pantry", "Beverages", "Snacks", "Frozen", "Household")
# Planted bundles among grocery names (anchor first); used when every member is in the catalogue.
GROCERY_BUNDLES = (
    ("Pasta", "Tomato Sauce", "Ground Beef"),
    ("Peanut Butter", "Jam"),
    ("Coffee", "Sugar"),
    ("Salmon", "Lettuce"),
)
# Dirty-mode spelling variants: (catalogue name, variant maker).
SPELLING_VARIANTS = (("Apple", lambda s: " " + s.lower()), ("Milk", str.upper))


def product_names(n: int) -> list[str]:
    """The first ``n`` catalogue names: the grocery list, then "<Category> <number>" names."""
    names = [name for name, _, _ in GROCERY[:n]]
    names.extend(f"{_CATEGORIES[i % len(_CATEGORIES)]} {i + 1:04d}" for i in range(len(GROCERY), max(n, 0)))
    return names


def price_cents(n: int) -> npt.NDArray[np.int64]:
    prices = np.array([cents for _, _, cents in GROCERY[:n]], dtype=np.int64)
    extra = n - len(prices)
    if extra > 0:
        rng = np.random.default_rng(PRICE_SEED)
        drawn = np.round(rng.lognormal(np.log(300.0), 0.6, size=extra)).astype(np.int64)
        prices = np.concatenate([prices, np.maximum(drawn, 25)])
    return prices
