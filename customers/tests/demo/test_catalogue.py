"""The demo catalogue: product names and prices (no database)."""

import re

import numpy as np

from customers.demo.catalogue import GROCERY, SPELLING_VARIANTS, price_cents, product_names

REQUIRED_PRODUCTS = {"Apple", "Milk", "Banana", "Orange", "Bread", "Eggs", "Cheese"}


def test_product_names_are_deterministic_unique_and_start_with_groceries():
    """Names are unique and stable, groceries first, then "<Category> <number>" names."""
    names = product_names(2_000)
    assert names == product_names(2_000)
    assert len(set(names)) == 2_000
    assert names[:2] == ["Milk", "Bread"]
    assert set(names[:30]) >= REQUIRED_PRODUCTS
    assert names[30] == "Meat 0031"
    assert names[41] == "Beverages 0042"
    assert all(re.fullmatch(r"[A-Z][a-z]+ \d{4}", name) for name in names[30:])
    assert product_names(5) == names[:5]
    assert product_names(0) == []


def test_prices_start_with_the_grocery_list_and_do_not_depend_on_the_generator_seed():
    """Grocery prices are the listed ones; later products get the same positive drawn prices on every call."""
    prices = price_cents(200)
    assert prices[: len(GROCERY)].tolist() == [cents for _, _, cents in GROCERY]
    assert np.array_equal(prices, price_cents(200))
    assert price_cents(40).tolist() == prices[:40].tolist()
    assert (prices >= 25).all()


def test_spelling_variants_differ_from_their_product_only_in_case_and_spacing():
    """Each dirty-mode variant normalises back to the catalogue name it varies."""
    for name, variant in SPELLING_VARIANTS:
        spelled = variant(name)
        assert spelled != name
        assert " ".join(spelled.split()).casefold() == name.casefold()
