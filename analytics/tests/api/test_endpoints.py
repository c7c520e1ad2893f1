"""The API on a trained shop: seed contracts, versioned endpoints, auth, throttling, limits, schema."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from analytics.models import Job, LoyaltyScore, ModelArtifact, RecommendationBuild
from customers.models import Customer, ImportRun

pytestmark = pytest.mark.django_db

PREDICT, RECOMMEND = "/predict-loyalty", "/recommend-products"


@pytest.fixture(autouse=True)
def _shop(trained_shop):
    return trained_shop


def _a_scored_customer() -> tuple[str, LoyaltyScore]:
    score = LoyaltyScore.objects.filter(artifact__is_active=True).select_related("customer").order_by("pk").first()
    return score.customer.external_id, score


# ---------------------------------------------------------------------------------------------------------------
# Seed-compatible endpoints: exact contracts
# ---------------------------------------------------------------------------------------------------------------


def test_health_is_public_and_exact(client):
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "healthy"})


def test_predict_loyalty_returns_the_stored_score(api):
    """Exactly the seed's keys and types, from the active model's stored score."""
    customer_id, score = _a_scored_customer()
    response = api.post(PREDICT, {"customer_id": customer_id}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "customer_id": customer_id,
        "loyalty_score": round(score.loyalty_score, 6),
        "loyal": score.loyal,
    }
    assert isinstance(response.json()["loyalty_score"], float)


def test_a_number_for_customer_id_is_accepted_as_its_text(api):
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
    response = api.generic("POST", PREDICT, body, content_type=content_type)
    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    assert list(response.json()) == ["error"]
    assert message in response.json()["error"]


def test_unknown_customer_is_a_404_that_lists_no_other_customers(api):
    response = api.post(PREDICT, {"customer_id": "no-such-customer"}, format="json")
    assert (response.status_code, response.json()) == (404, {"error": "Unknown customer: 'no-such-customer'."})
    body = response.content.decode()
    assert not any(c in body for c in Customer.objects.values_list("external_id", flat=True)[:200])


def test_no_model_is_a_503_that_says_which_command_to_run(api):
    customer_id, _ = _a_scored_customer()
    ModelArtifact.objects.update(is_active=False)
    response = api.post(PREDICT, {"customer_id": customer_id}, format="json")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"error": "No loyalty model has been trained yet: run `python manage.py train`."}


def test_recommend_products_contract(api):
    response = api.post(RECOMMEND, {"product_name": "  milk "}, format="json")
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert list(body) == ["product", "recommendations"]
    assert body["product"] == "Milk"
    assert 1 <= len(body["recommendations"]) <= 5
    assert all(isinstance(name, str) for name in body["recommendations"])
    assert "Milk" not in body["recommendations"]


def test_unknown_product_is_a_404_with_close_names_only(api):
    response = api.post(RECOMMEND, {"product_name": "Chese"}, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert list(response.json()) == ["error"]
    assert "Did you mean: Cheese" in response.json()["error"]
    assert response.json()["error"].count(",") < 5


@pytest.mark.parametrize("name", ["Crème brûlée 🍮", "日本茶", "a\u0301", "x" * 255])
def test_odd_unicode_product_names_are_an_answer_not_an_error(api, name):
    response = api.post(RECOMMEND, {"product_name": name}, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert list(response.json()) == ["error"]


def test_no_recommendations_built_is_a_503(api):
    RecommendationBuild.objects.all().delete()
    response = api.post(RECOMMEND, {"product_name": "Milk"}, format="json")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "manage.py build_recommendations" in response.json()["error"]


def test_readyz_reports_database_and_model(client):
    assert client.get("/readyz").json() == {"status": "ready", "checks": {"database": True, "model": True}}
    ModelArtifact.objects.update(is_active=False)
    response = client.get("/readyz")
    assert (response.status_code, response.json()["checks"]["model"]) == (503, False)


# ---------------------------------------------------------------------------------------------------------------
# Authentication and permissions
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", PREDICT),
        ("post", RECOMMEND),
        ("get", "/api/v1/customers/"),
        ("get", "/api/v1/segments/"),
        ("get", "/api/v1/models/"),
        ("get", "/api/v1/imports/"),
        ("post", "/api/v1/models/train/"),
    ],
)
def test_anonymous_requests_are_refused_with_401(method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "error" in response.json()
    assert response["WWW-Authenticate"] == 'Token realm="api"' or response["WWW-Authenticate"].startswith("Token")


def test_basic_auth_is_not_accepted(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic YW5hbHlzdDpwdy1hbmFseXN0LTEyMw==")  # analyst:pw-analyst-123
    assert client.get("/api/v1/segments/").status_code == HTTPStatus.UNAUTHORIZED


def test_session_login_works_for_the_pages_users(client, user):
    client.force_login(user)
    assert client.get("/api/v1/segments/").status_code == HTTPStatus.OK


@pytest.mark.parametrize("url", ["/api/v1/models/train/", "/api/v1/imports/"])
def test_staff_actions_refuse_ordinary_users(api, url):
    response = api.post(url, {}, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "permission_denied"


def test_staff_starts_training_as_a_job_to_poll(staff_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post("/api/v1/models/train/", {"label_window_days": 60}, format="json")
    assert response.status_code == HTTPStatus.ACCEPTED
    job = staff_api.get(response.json()["job_url"]).json()
    assert (job["kind"], job["status"]) == ("train", "succeeded")
    assert ModelArtifact.objects.get(is_active=True).pk == job["model"]


def test_a_second_training_while_one_is_queued_is_a_409(staff_api):
    Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.QUEUED)
    response = staff_api.post("/api/v1/models/train/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "training_in_progress")


def test_staff_starts_an_import_from_an_uploaded_file(staff_api, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(
        "more.csv", b"transaction_id,customer_id,date,product_name,amount\nNEW1,9001,2024-12-30,Milk,1.29\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post("/api/v1/imports/", {"file": upload, "delimiter": ","}, format="multipart")
    assert response.status_code == HTTPStatus.ACCEPTED, response.json()
    job = staff_api.get(response.json()["job_url"]).json()
    assert job["status"] == "succeeded", job
    run = staff_api.get(f"/api/v1/imports/{response.json()['import_run']}/").json()
    assert (run["status"], run["transactions_created"], run["customers_created"]) == ("succeeded", 1, 1)
    # the new customer is scored by the active model as part of the job
    assert staff_api.post(PREDICT, {"customer_id": "9001"}, format="json").status_code == HTTPStatus.OK


def test_import_with_an_invalid_mapping_is_a_400(staff_api):
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n")
    response = staff_api.post("/api/v1/imports/", {"file": upload, "mapping": '{"colour": "a"}'}, format="multipart")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Unknown field" in response.json()["error"]
    assert not ImportRun.objects.filter(source_name="x.csv").exists()


# ---------------------------------------------------------------------------------------------------------------
# Throttling and limits
# ---------------------------------------------------------------------------------------------------------------


def test_throttling_answers_429_with_retry_after(api, monkeypatch):
    from rest_framework.settings import api_settings

    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "user", "3/min")
    statuses = [api.get("/api/v1/segments/").status_code for _ in range(3)]
    response = api.get("/api/v1/segments/")
    assert statuses == [200, 200, 200]
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_oversized_body_is_a_json_413(api):
    body = '{"customer_id": "' + "x" * 2_000_000 + '"}'
    response = api.generic("POST", PREDICT, body, content_type="application/json")
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["code"] == "too_large"


def test_a_one_gigabyte_upload_is_refused_from_its_length_without_reading_it(staff_api):
    response = staff_api.generic(
        "POST",
        "/api/v1/imports/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(1024**3),
    )
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "too large" in response.json()["error"]


# ---------------------------------------------------------------------------------------------------------------
# Versioned API
# ---------------------------------------------------------------------------------------------------------------


def test_customer_list_filters_orders_and_caps_pages(api):
    response = api.get("/api/v1/customers/", {"ordering": "score", "limit": 1000})
    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert len(body["results"]) == 200  # capped
    scores = [row["loyalty_score"] for row in body["results"]]
    assert scores == sorted(scores, reverse=True)
    champions = api.get("/api/v1/customers/", {"segment": "Champions"}).json()
    assert champions["count"] > 0
    assert {row["segment"] for row in champions["results"]} == {"Champions"}
    one = api.get("/api/v1/customers/", {"search": body["results"][0]["customer_id"]}).json()
    assert one["results"][0]["customer_id"] == body["results"][0]["customer_id"]


@pytest.mark.parametrize("params", [{"segment": "Nobody"}, {"ordering": "shoe size"}])
def test_customer_list_rejects_unknown_filters(api, params):
    response = api.get("/api/v1/customers/", params)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert set(response.json()["details"]) == set(params)


def test_list_query_counts_do_not_grow_with_the_page(api):
    counts = []
    for limit in (5, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/customers/", {"limit": limit, "ordering": "score"}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_customer_detail_score_and_recommendations(api):
    customer_id, score = _a_scored_customer()
    detail = api.get(f"/api/v1/customers/{customer_id}/").json()
    assert detail["customer_id"] == customer_id
    assert detail["rfm"]["segment"]
    assert detail["loyalty"]["loyalty_score"] == round(score.loyalty_score, 6)
    assert detail["recent_purchases"]
    assert detail["segment_history"]
    assert api.get(f"/api/v1/customers/{customer_id}/score/").json()["loyal"] == score.loyal
    recs = api.get(f"/api/v1/customers/{customer_id}/recommendations/", {"mode": "discover"}).json()
    assert recs["mode"] == "discover"
    assert len(recs["recommendations"]) == 5
    assert api.get("/api/v1/customers/nobody/").status_code == HTTPStatus.NOT_FOUND


def test_product_recommendations_carry_their_metrics(api):
    body = api.get("/api/v1/products/recommendations/", {"name": "MILK", "limit": 3}).json()
    assert body["product"] == "Milk"
    assert [row["rank"] for row in body["recommendations"]] == [1, 2, 3]
    assert set(body["recommendations"][0]) == {"product", "rank", "score", "support", "confidence", "lift", "source"}
    missing = api.get("/api/v1/products/recommendations/", {"name": "Chese"})
    assert (missing.status_code, missing.json()["code"]) == (404, "unknown_product")
    assert "Cheese" in missing.json()["suggestions"]


def test_product_search_for_autocomplete(api):
    assert api.get("/api/v1/products/", {"q": "mil"}).json()["results"][0] == "Milk"


def test_segment_summary_adds_up(api, trained_shop):
    body = api.get("/api/v1/segments/").json()
    assert sum(row["customers"] for row in body["segments"]) == body["customers"] == trained_shop["snapshot"].customers
    assert len(body["segments"]) == 11


def test_models_list_and_detail(api, trained_shop):
    listing = api.get("/api/v1/models/").json()
    assert listing["results"][0]["is_active"] is True
    detail = api.get(f"/api/v1/models/{trained_shop['artifact'].pk}/").json()
    assert "validation" in detail["metrics"]
    assert "model_bytes" not in detail


def test_imports_list(api, trained_shop):
    assert api.get("/api/v1/imports/").json()["results"][0]["id"] == trained_shop["import_run"].pk


# ---------------------------------------------------------------------------------------------------------------
# Documentation
# ---------------------------------------------------------------------------------------------------------------


def test_schema_generates_and_validates_without_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/predict-loyalty" in out.getvalue()


def test_every_operation_has_examples():
    import yaml

    out = StringIO()
    call_command("spectacular", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation.get("responses", {})
            has_example = any(
                "examples" in content
                for response in responses.values()
                for content in response.get("content", {}).values()
            )
            if not has_example:
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_swagger_ui_is_served_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower()
