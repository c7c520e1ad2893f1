"""The recommendations page and its autocomplete on the trained shop."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_recommendations_page_and_autocomplete(signed_in):
    """Any spelling finds the product with its evidence, a typo gets close names, autocomplete offers options."""
    response = signed_in.get(reverse("analytics:recommendations"), {"product": " milk "})
    assert response.context["product"].name == "Milk"
    assert "Lift" in response.content.decode()
    missing = signed_in.get(reverse("analytics:recommendations"), {"product": "Chese"})
    assert "Cheese" in missing.context["suggestions"]
    options = signed_in.get(reverse("analytics:product-suggest"), {"product": "mil"}).content.decode()
    assert '<option value="Milk">' in options


def test_autocomplete_without_a_query_offers_nothing(signed_in):
    """An empty query returns no options rather than the whole catalogue."""
    response = signed_in.get(reverse("analytics:product-suggest"), {"product": ""})
    assert response.context["names"] == []
    assert "<option" not in response.content.decode()
