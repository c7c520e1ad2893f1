"""The customer pages on the trained shop: list, detail and the seed's loyalty lookup."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_customer_list_search_filter_and_sort(signed_in):
    """The list filters by segment, sorts by score (highest first) and finds a customer by id."""
    url = reverse("analytics:customer-list")
    page = signed_in.get(url, {"segment": "Champions", "ordering": "score"})
    customers = page.context["page"].object_list
    assert customers
    assert {c.segment for c in customers} == {"Champions"}
    scores = [c.loyalty_score for c in customers]
    assert scores == sorted(scores, reverse=True)
    one = signed_in.get(url, {"q": customers[0].external_id}).context["page"].object_list
    assert one[0].external_id == customers[0].external_id


def test_customer_detail_has_everything_an_analyst_needs(signed_in, scored_customer):
    """A customer's page has score, RFM, both recommendation lists, segment history, purchases and model; 404 else."""
    html = signed_in.get(reverse("analytics:customer-detail", args=[scored_customer])).content.decode()
    for text in ("Loyalty score", "RFM", "Buy again", "Discover", "Segment over time", "Purchase history", "Model"):
        assert text in html
    assert signed_in.get(reverse("analytics:customer-detail", args=["nobody"])).status_code == 404


def test_loyalty_lookup(signed_in, scored_customer):
    """The lookup shows a known customer's prediction and an unknown customer's error message."""
    response = signed_in.get(reverse("analytics:loyalty-lookup"), {"customer_id": scored_customer})
    assert response.context["prediction"].customer_id == scored_customer
    unknown = signed_in.get(reverse("analytics:loyalty-lookup"), {"customer_id": "nobody"})
    assert unknown.context["error"] == "Unknown customer: 'nobody'."
