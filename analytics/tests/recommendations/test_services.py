"""Recommendations on the real database: build, indexed lookup, suggestions, cold start, quality out of time."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from analytics.models import CustomerRecommendation, ProductRecommendation, RecommendationBuild
from analytics.recommendations.evaluation import recommendations_evaluate
from analytics.recommendations.selectors import (
    ProductNotFound,
    customer_recommendations_list,
    product_recommendations_get,
)
from analytics.recommendations.services import recommendations_build
from analytics.recommendations.tuning import BETAS, GAMMAS
from customers.demo.generator import GeneratorConfig, generate_csv
from customers.imports.options import ImportOptions
from customers.imports.services import transactions_import_csv
from customers.models import Customer, Product, TransactionItem
from customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _shop(tmp_path, *, bundles: bool = True, seed: int = 3) -> None:
    path = tmp_path / f"shop-{bundles}.csv"
    config = GeneratorConfig(customers=1500, rows=24_000, products=150, seed=seed, bundles=bundles)
    generate_csv(config=config, path=path)
    transactions_import_csv(path=path, options=ImportOptions())


@pytest.fixture
def built(tmp_path) -> RecommendationBuild:
    _shop(tmp_path)
    return recommendations_build()


def test_build_stores_every_product_and_customer_list_and_reports_sizes(built):
    assert built.is_active
    assert built.sizes["product_rows"] == Product.objects.count() * 10
    assert not ProductRecommendation.objects.filter(product=F("recommended")).exists()
    customers = Customer.objects.filter(transactions__items__isnull=False).distinct().count()
    assert CustomerRecommendation.objects.filter(mode="discover").values("customer").distinct().count() == customers
    assert set(built.timings) >= {"load", "compute", "write", "total"}
    assert (built.tuning["gamma"], built.tuning["beta"]) in [(g, b) for g in GAMMAS for b in BETAS]
    assert built.popular


def test_a_rebuild_replaces_the_active_build(built):
    second = recommendations_build()
    assert list(RecommendationBuild.objects.values_list("pk", flat=True)) == [second.pk]
    assert not ProductRecommendation.objects.exclude(build=second).exists()


@pytest.mark.parametrize("spelling", ["Milk", "  milk ", "MILK", "mIlK"])
def test_lookup_is_case_and_whitespace_insensitive(built, spelling):
    product, rows = product_recommendations_get(name=spelling, limit=5)
    assert product.name == "Milk"
    assert len(rows) == 5
    assert [row.rank for row in rows] == [1, 2, 3, 4, 5]
    assert all(row.recommended != product for row in rows)


def test_unknown_product_suggests_a_few_close_names_not_the_catalogue(built):
    with pytest.raises(ProductNotFound) as excinfo:
        product_recommendations_get(name="Chese")
    assert "Cheese" in excinfo.value.suggestions
    assert len(excinfo.value.suggestions) <= 5
    with pytest.raises(ProductNotFound) as excinfo:
        product_recommendations_get(name="zzzzqqqq")
    assert excinfo.value.suggestions == []


def test_discover_excludes_what_the_customer_bought_and_buy_again_includes_it(built):
    customer = Customer.objects.filter(transactions__items__isnull=False).order_by("pk").first()
    bought = set(TransactionItem.objects.filter(transaction__customer=customer).values_list("product_id", flat=True))
    discover = customer_recommendations_list(customer_id=customer.pk, mode="discover")
    again = customer_recommendations_list(customer_id=customer.pk, mode="buy_again")
    assert len(discover) == len(again) == 5
    assert not {s.product.pk for s in discover} & bought
    assert {s.product.pk for s in again} & bought
    assert {s.source for s in discover + again} == {"personal"}


def test_a_new_customer_gets_the_best_sellers(built):
    newcomer = CustomerFactory(external_id="new-9999")
    suggestions = customer_recommendations_list(customer_id=newcomer.pk, mode="discover")
    assert [s.product.pk for s in suggestions] == built.popular[:5]
    assert {s.source for s in suggestions} == {"popular"}


def test_planted_bundles_beat_popularity_by_a_clear_margin(tmp_path):
    _shop(tmp_path, bundles=True)
    report = recommendations_evaluate(cutoff=dt.date(2024, 10, 31), k=5)
    ours, popular = report["item_to_items"]["blend"], report["item_to_items"]["popularity"]
    assert ours["hit_rate"] > popular["hit_rate"] * 1.15
    assert ours["mrr"] > popular["mrr"] * 1.15
    assert report["customer"]["buy_again"]["mrr"] >= report["customer"]["popularity"]["mrr"]


def test_without_structure_it_does_not_fall_below_popularity(tmp_path):
    _shop(tmp_path, bundles=False)
    report = recommendations_evaluate(cutoff=dt.date(2024, 10, 31), k=5)
    ours, popular = report["item_to_items"]["blend"], report["item_to_items"]["popularity"]
    assert ours["hit_rate"] >= popular["hit_rate"] * 0.98
    assert report["customer"]["discover"]["hit_rate"] >= report["customer"]["popularity_unbought"]["hit_rate"] * 0.98


def test_evaluate_recommendations_json_shape(tmp_path):
    _shop(tmp_path)
    out = StringIO()
    call_command("evaluate_recommendations", "--cutoff", "2024-10-31", "--k", "5", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert {"item_to_items", "customer", "queries"} <= set(report)
    assert set(report["item_to_items"]) == {"blend", "cooccurrence_counts", "popularity"}
    assert set(report["item_to_items"]["blend"]) == {"hit_rate", "mrr"}
    assert report["queries"] > 0
    assert not RecommendationBuild.objects.exists()  # evaluation builds in memory only


def test_build_command_reports_timing_and_sizes(tmp_path):
    _shop(tmp_path)
    out = StringIO()
    call_command("build_recommendations", stdout=out)
    assert "built in" in out.getvalue()
    assert "co-occurring pairs" in out.getvalue()
