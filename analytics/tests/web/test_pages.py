"""The pages through Django's test client: login, content on a trained shop, staff actions, the upload flow."""

import re
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analytics.models import Job, LoyaltyScore, ModelArtifact
from customers.models import ImportRun

pytestmark = pytest.mark.django_db

PAGES = [
    ("analytics:dashboard", {}),
    ("analytics:customer-list", {}),
    ("analytics:loyalty-lookup", {}),
    ("analytics:recommendations", {}),
    ("analytics:model-list", {}),
    ("analytics:import-list", {}),
]


@pytest.fixture(autouse=True)
def _shop(trained_shop):
    return trained_shop


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _scored_customer() -> str:
    return LoyaltyScore.objects.filter(artifact__is_active=True).order_by("pk").first().customer.external_id


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_require_login(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_render_under_a_strict_content_security_policy(signed_in, name, kwargs):
    """No inline script runs: every <script> has a src or only carries JSON data; no style attributes."""
    response = signed_in.get(reverse(name, kwargs=kwargs))
    assert response.status_code == HTTPStatus.OK
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html


def test_dashboard_shows_kpis_and_chart_data(signed_in, trained_shop):
    response = signed_in.get(reverse("analytics:dashboard"))
    html = response.content.decode()
    assert "Customers" in html
    assert "ROC AUC out of time" in html
    for chart in ("segments-data", "scores-data", "monthly-data"):
        assert f'id="{chart}"' in html
    assert "?segment=Champions" in html


def test_customer_list_search_filter_and_sort(signed_in):
    url = reverse("analytics:customer-list")
    page = signed_in.get(url, {"segment": "Champions", "ordering": "score"})
    customers = page.context["page"].object_list
    assert customers
    assert {c.segment for c in customers} == {"Champions"}
    scores = [c.loyalty_score for c in customers]
    assert scores == sorted(scores, reverse=True)
    one = signed_in.get(url, {"q": customers[0].external_id}).context["page"].object_list
    assert one[0].external_id == customers[0].external_id


def test_customer_detail_has_everything_an_analyst_needs(signed_in):
    customer_id = _scored_customer()
    html = signed_in.get(reverse("analytics:customer-detail", args=[customer_id])).content.decode()
    for text in ("Loyalty score", "RFM", "Buy again", "Discover", "Segment over time", "Purchase history", "Model"):
        assert text in html
    assert signed_in.get(reverse("analytics:customer-detail", args=["nobody"])).status_code == 404


def test_loyalty_lookup(signed_in):
    customer_id = _scored_customer()
    response = signed_in.get(reverse("analytics:loyalty-lookup"), {"customer_id": customer_id})
    assert response.context["prediction"].customer_id == customer_id
    unknown = signed_in.get(reverse("analytics:loyalty-lookup"), {"customer_id": "nobody"})
    assert unknown.context["error"] == "Unknown customer: 'nobody'."


def test_recommendations_page_and_autocomplete(signed_in):
    response = signed_in.get(reverse("analytics:recommendations"), {"product": " milk "})
    assert response.context["product"].name == "Milk"
    assert "Lift" in response.content.decode()
    missing = signed_in.get(reverse("analytics:recommendations"), {"product": "Chese"})
    assert "Cheese" in missing.context["suggestions"]
    options = signed_in.get(reverse("analytics:product-suggest"), {"product": "mil"}).content.decode()
    assert '<option value="Milk">' in options


def test_model_detail_shows_metrics_curves_matrix_and_importance(signed_in, trained_shop):
    artifact = trained_shop["artifact"]
    response = signed_in.get(reverse("analytics:model-detail", args=[artifact.pk]))
    html = response.content.decode()
    for chart in ("roc-data", "calibration-data", "importance-data"):
        assert f'id="{chart}"' in html
    assert 'class="matrix"' in html
    assert "random 80/20 split" in html
    assert [row["name"] for row in response.context["rows"] if row["selected"]] == [artifact.algorithm]


def test_train_now_is_for_staff(signed_in):
    response = signed_in.post(reverse("analytics:model-train"), {"label_window_days": 60})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Imports and training are for staff users" in response.content.decode()


def test_staff_trains_now_and_follows_the_job(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("analytics:model-train"), {"label_window_days": 60})
    job = Job.objects.get()
    assert response["Location"] == reverse("analytics:job-detail", args=[job.pk])
    page = staff_client.get(response["Location"]).content.decode()
    assert "Succeeded" in page
    assert f"Open model #{ModelArtifact.objects.get(is_active=True).pk}" in page


def test_upload_preview_map_and_import(staff_client, django_capture_on_commit_callbacks):
    """Upload → preview with detected columns → map → import runs → result with the rejected row."""
    content = b"client;day;item;price\n501;05/01/2024;Milk;1.29\n502;06/01/2024;Eggs;oops\n"
    response = staff_client.post(
        reverse("analytics:import-upload"), {"file": SimpleUploadedFile("upload-test.csv", content)}
    )
    configure = response["Location"]
    preview = staff_client.get(configure, {"delimiter": ";"})
    assert preview.context["shown"]["header"] == ["client", "day", "item", "price"]
    assert "05/01/2024" in preview.content.decode()
    form = {
        "delimiter": ";",
        "encoding": "utf-8-sig",
        "dayfirst": "on",
        "map_customer_id": "client",
        "map_date": "day",
        "map_product_name": "item",
        "map_amount": "price",
    }
    with django_capture_on_commit_callbacks(execute=True):
        started = staff_client.post(configure, form)
    run = ImportRun.objects.get(source_name="upload-test.csv")
    assert started["Location"] == reverse("analytics:import-detail", args=[run.pk])
    assert (run.status, run.rows_imported, run.rows_rejected) == ("succeeded", 1, 1)
    detail = staff_client.get(started["Location"]).content.decode()
    assert "amount &#x27;oops&#x27; is not a number" in detail


def test_configure_without_required_columns_is_a_form_error(staff_client):
    response = staff_client.post(
        reverse("analytics:import-upload"), {"file": SimpleUploadedFile("a.csv", b"x,y\n1,2\n")}
    )
    page = staff_client.post(response["Location"], {"delimiter": ",", "encoding": "utf-8-sig"})
    assert page.status_code == HTTPStatus.OK
    assert "Choose the column for: customer_id, date." in page.content.decode()


def test_rejected_rows_download_escapes_formulas(signed_in):
    run = ImportRun.objects.create(
        source_name="evil.csv",
        status=ImportRun.Status.SUCCEEDED,
        rows_read=1,
        rows_rejected=1,
        rejected_rows=[{"line": 2, "reason": "date is empty", "values": ['=HYPERLINK("http://x")', "+1", "ok"]}],
    )
    body = signed_in.get(reverse("analytics:import-rejected-csv", args=[run.pk])).content.decode()
    assert "'=HYPERLINK" in body
    assert ",'+1," in body
    assert ",ok" in body
