"""Building the recommendation tables on the real database: every list stored, sizes reported, one active build."""

import pytest
from django.db.models import F

from analytics.models import CustomerRecommendation, ProductRecommendation, RecommendationBuild
from analytics.recommendations.services import recommendations_build
from analytics.recommendations.tuning import BETAS, GAMMAS
from customers.models import Customer, Product

pytestmark = pytest.mark.django_db


def test_build_stores_every_product_and_customer_list_and_reports_sizes(built):
    """A build stores k lists per product and a discover list per buyer, with its timings, tuning and best sellers."""
    assert built.is_active
    assert built.sizes["product_rows"] == Product.objects.count() * 10
    assert not ProductRecommendation.objects.filter(product=F("recommended")).exists()
    customers = Customer.objects.filter(transactions__items__isnull=False).distinct().count()
    assert CustomerRecommendation.objects.filter(mode="discover").values("customer").distinct().count() == customers
    assert set(built.timings) >= {"load", "compute", "write", "total"}
    assert (built.tuning["gamma"], built.tuning["beta"]) in [(g, b) for g in GAMMAS for b in BETAS]
    assert built.popular


def test_a_rebuild_replaces_the_active_build(built):
    """A second build replaces the first: one build row remains and no list of the old one."""
    second = recommendations_build()
    assert list(RecommendationBuild.objects.values_list("pk", flat=True)) == [second.pk]
    assert not ProductRecommendation.objects.exclude(build=second).exists()
