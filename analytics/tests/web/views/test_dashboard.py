"""The dashboard on the trained shop."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_dashboard_shows_kpis_and_chart_data(signed_in):
    """The dashboard shows the KPIs, the model's out-of-time ROC AUC, three charts' data and segment links."""
    response = signed_in.get(reverse("analytics:dashboard"))
    html = response.content.decode()
    assert "Customers" in html
    assert "ROC AUC out of time" in html
    for chart in ("segments-data", "scores-data", "monthly-data"):
        assert f'id="{chart}"' in html
    assert "?segment=Champions" in html
