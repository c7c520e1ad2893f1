"""/api/v1/products/ and /api/v1/segments/ on the trained shop: lists with their evidence, autocomplete, segment
summary."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_product_recommendations_carry_their_metrics(api):
    """Each recommended product comes with rank, score, support, confidence, lift and source; unknown is a 404."""
    body = api.get("/api/v1/products/recommendations/", {"name": "MILK", "limit": 3}).json()
    assert body["product"] == "Milk"
    assert [row["rank"] for row in body["recommendations"]] == [1, 2, 3]
    assert set(body["recommendations"][0]) == {"product", "rank", "score", "support", "confidence", "lift", "source"}
    missing = api.get("/api/v1/products/recommendations/", {"name": "Chese"})
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_product")
    assert "Cheese" in missing.json()["suggestions"]


def test_product_search_for_autocomplete(api):
    """A name prefix finds the product first."""
    assert api.get("/api/v1/products/", {"q": "mil"}).json()["results"][0] == "Milk"


def test_segment_summary_adds_up(api, trained_shop):
    """The eleven segments' customers add up to the snapshot's customers."""
    body = api.get("/api/v1/segments/").json()
    assert sum(row["customers"] for row in body["segments"]) == body["customers"] == trained_shop["snapshot"].customers
    assert len(body["segments"]) == 11
