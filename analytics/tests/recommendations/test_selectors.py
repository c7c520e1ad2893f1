"""Reading recommendations: the indexed product lookup, close-name suggestions, customer lists and cold start."""

import pytest

from analytics.recommendations.selectors import (
    ProductNotFound,
    customer_recommendations_list,
    product_recommendations_get,
)
from customers.models import Customer, TransactionItem
from customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("spelling", ["Milk", "  milk ", "MILK", "mIlK"])
def test_lookup_is_case_and_whitespace_insensitive(built, spelling):
    """Any case and spacing of a name finds the product and its ranked list, without the product itself."""
    product, rows = product_recommendations_get(name=spelling, limit=5)
    assert product.name == "Milk"
    assert len(rows) == 5
    assert [row.rank for row in rows] == [1, 2, 3, 4, 5]
    assert all(row.recommended != product for row in rows)


def test_unknown_product_suggests_a_few_close_names_not_the_catalogue(built):
    """An unknown name is refused with at most five close names, and none when nothing is close."""
    with pytest.raises(ProductNotFound) as excinfo:
        product_recommendations_get(name="Chese")
    assert "Cheese" in excinfo.value.suggestions
    assert len(excinfo.value.suggestions) <= 5
    with pytest.raises(ProductNotFound) as excinfo:
        product_recommendations_get(name="zzzzqqqq")
    assert excinfo.value.suggestions == []


def test_discover_excludes_what_the_customer_bought_and_buy_again_includes_it(built):
    """A buyer's discover list holds nothing they bought; their buy-again list does; both are personal."""
    customer = Customer.objects.filter(transactions__items__isnull=False).order_by("pk").first()
    bought = set(TransactionItem.objects.filter(transaction__customer=customer).values_list("product_id", flat=True))
    discover = customer_recommendations_list(customer_id=customer.pk, mode="discover")
    again = customer_recommendations_list(customer_id=customer.pk, mode="buy_again")
    assert len(discover) == len(again) == 5
    assert not {s.product.pk for s in discover} & bought
    assert {s.product.pk for s in again} & bought
    assert {s.source for s in discover + again} == {"personal"}


def test_a_new_customer_gets_the_best_sellers(built):
    """A customer the build has not seen gets the build's best sellers, marked as popular."""
    newcomer = CustomerFactory(external_id="new-9999")
    suggestions = customer_recommendations_list(customer_id=newcomer.pk, mode="discover")
    assert [s.product.pk for s in suggestions] == built.popular[:5]
    assert {s.source for s in suggestions} == {"popular"}
