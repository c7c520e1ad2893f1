"""The analytics admin: the customer admin extended with each customer's latest RFM segment."""

import datetime as dt

import pytest
from django.urls import reverse

from analytics.models import CustomerRfm
from analytics.rfm.services import rfm_snapshot_compute

pytestmark = pytest.mark.django_db


def test_customer_admin_shows_latest_segment_and_filters_by_it(admin_client, three_customers):
    """The customer list filters by latest segment and shows it, and a customer's page names it."""
    snapshot = rfm_snapshot_compute(as_of=dt.date(2024, 2, 29))
    segment = CustomerRfm.objects.get(snapshot=snapshot, customer=three_customers["ada"]).segment
    url = reverse("admin:customers_customer_changelist")
    response = admin_client.get(url, {"segment": segment})
    assert [c.external_id for c in response.context["cl"].result_list] == ["ada"]
    assert response.context["cl"].result_list[0].rfm_segment == segment
    detail = admin_client.get(reverse("admin:customers_customer_change", args=[three_customers["ada"].pk]))
    assert segment in detail.content.decode()
