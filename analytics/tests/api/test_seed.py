"""The seed-compatible endpoints on the trained shop: exact contracts of /health, /readyz, /predict-loyalty and
/recommend-products, their errors included."""

from http import HTTPStatus

import pytest

from analytics.models import ModelArtifact, RecommendationBuild
from analytics.tests.api.conftest import PREDICT, RECOMMEND
from customers.models import Customer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_health_is_public_and_exact(client):
    """/health answers anyone with exactly {"status": "healthy"}."""
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "healthy"})


def test_predict_loyalty_returns_the_stored_score(api, scored):
    """Exactly the seed's keys and types, from the active model's stored score."""
    customer_id, score = scored
    response = api.post(PREDICT, {"customer_id": customer_id}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "customer_id": customer_id,
        "loyalty_score": round(score.loyalty_score, 6),
        "loyal": score.loyal,
    }
    assert isinstance(response.json()["loyalty_score"], float)


def test_a_number_for_customer_id_is_accepted_as_its_text(api):
    """A JSON integer customer id is looked up, and answered, as its text."""
    response = api.post(PREDICT, {"customer_id": 1001}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["customer_id"] == "1001"


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("{not json", "application/json", "JSON parse error"),
        ("", "application/json", "customer_id: This field is required."),
        ('{"customer_id": true}', "application/json", "customer_id must be a string or an integer."),
        ('{"customer_id": 10.5}', "application/json", "customer_id must be a string or an integer."),
        ('{"customer_id": null}', "application/json", "This field may not be null."),
        ('{"customer_id": "   "}', "application/json", "customer_id must not be empty."),
        ('["1001"]', "application/json", "Expected a dictionary"),
        ("customer_id=1001", "text/plain", "Unsupported media type"),
    ],
)
def test_predict_loyalty_bad_input_is_a_400_with_only_an_error(api, body, content_type, message):
    """Malformed bodies, wrong types and wrong media types answer 400/415 with only the seed's error key."""
    response = api.generic("POST", PREDICT, body, content_type=content_type)
    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    assert list(response.json()) == ["error"]
    assert message in response.json()["error"]


def test_unknown_customer_is_a_404_that_lists_no_other_customers(api):
    """An unknown customer is a 404 naming only the id asked for, never other customers' ids."""
    response = api.post(PREDICT, {"customer_id": "no-such-customer"}, format="json")
    assert (response.status_code, response.json()) == (404, {"error": "Unknown customer: 'no-such-customer'."})
    body = response.content.decode()
    assert not any(c in body for c in Customer.objects.values_list("external_id", flat=True)[:200])


def test_no_model_is_a_503_that_says_which_command_to_run(api, scored):
    """Without an active model a prediction is a 503 naming `python manage.py train`."""
    customer_id, _ = scored
    ModelArtifact.objects.update(is_active=False)
    response = api.post(PREDICT, {"customer_id": customer_id}, format="json")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"error": "No loyalty model has been trained yet: run `python manage.py train`."}


def test_recommend_products_contract(api):
    """Any spelling of a product answers its name and up to five other product names, in the seed's shape."""
    response = api.post(RECOMMEND, {"product_name": "  milk "}, format="json")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert list(body) == ["product", "recommendations"]
    assert body["product"] == "Milk"
    assert 1 <= len(body["recommendations"]) <= 5
    assert all(isinstance(name, str) for name in body["recommendations"])
    assert "Milk" not in body["recommendations"]


def test_unknown_product_is_a_404_with_close_names_only(api):
    """An unknown product is a 404 suggesting a few close names, not the catalogue."""
    response = api.post(RECOMMEND, {"product_name": "Chese"}, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert list(response.json()) == ["error"]
    assert "Did you mean: Cheese" in response.json()["error"]
    assert response.json()["error"].count(",") < 5


@pytest.mark.parametrize("name", ["Crème brûlée 🍮", "日本茶", "a\u0301", "x" * 255])
def test_odd_unicode_product_names_are_an_answer_not_an_error(api, name):
    """Emoji, CJK, combining marks and 255-character names get a clean 404, never a server error."""
    response = api.post(RECOMMEND, {"product_name": name}, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert list(response.json()) == ["error"]


def test_no_recommendations_built_is_a_503(api):
    """Without a recommendation build the endpoint is a 503 naming `manage.py build_recommendations`."""
    RecommendationBuild.objects.all().delete()
    response = api.post(RECOMMEND, {"product_name": "Milk"}, format="json")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "manage.py build_recommendations" in response.json()["error"]


def test_readyz_reports_database_and_model(client):
    """/readyz is ready with a database and an active model, and a 503 with model false without one."""
    assert client.get("/readyz").json() == {"status": "ready", "checks": {"database": True, "model": True}}
    ModelArtifact.objects.update(is_active=False)
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["model"]) == (503, False)


def test_a_nul_character_in_a_product_name_is_a_400(api):
    """A product name with a NUL character is refused as bad input, on every database."""
    response = api.post(RECOMMEND, {"product_name": "Mi\x00lk"}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["error"]


@pytest.mark.parametrize("customer_id", ["10\\u000001", "\\ud800"])
def test_a_customer_id_with_nul_or_a_lone_surrogate_is_a_400(api, customer_id):
    """Text the database cannot store is refused as bad input, on SQLite and PostgreSQL alike (never a 500)."""
    body = '{"customer_id": "' + customer_id + '"}'
    response = api.post(PREDICT, data=body, content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"error": "customer_id: customer_id must be valid text without NUL characters."}
