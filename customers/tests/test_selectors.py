"""Reads of the facts: product autocomplete and close-name suggestions."""

import pytest

from customers.selectors import product_names_search, product_suggestions_list
from customers.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    for name in ("Milk", "Oat Milk", "Milk Chocolate", "Cheese", "Cheesecake", "Bread"):
        ProductFactory(name=name)


def test_autocomplete_lists_names_starting_with_the_query_then_containing_it(catalogue):
    """Names that start with the query come first (alphabetically), then names that contain it."""
    assert product_names_search(query="  MIL") == ["Milk", "Milk Chocolate", "Oat Milk"]
    assert product_names_search(query="mil", limit=1) == ["Milk"]
    assert product_names_search(query="   ") == []


def test_suggestions_are_a_few_close_names_never_the_catalogue(catalogue):
    """A typo gets the names close to it; a name like nothing gets no suggestion at all."""
    assert product_suggestions_list(name="Chese")[:2] == ["Cheese", "Cheesecake"]
    assert "Bread" not in product_suggestions_list(name="Chese")
    assert product_suggestions_list(name="zzzzqqqq") == []
