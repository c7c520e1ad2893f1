"""The import pages on the trained shop: upload, preview and mapping, the run's result, rejected rows as CSV."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers.models import ImportRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


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
    """Configuring an import without customer and date columns redisplays the form naming them."""
    response = staff_client.post(
        reverse("analytics:import-upload"), {"file": SimpleUploadedFile("a.csv", b"x,y\n1,2\n")}
    )
    page = staff_client.post(response["Location"], {"delimiter": ",", "encoding": "utf-8-sig"})
    assert page.status_code == HTTPStatus.OK
    assert "Choose the column for: customer_id, date." in page.content.decode()


def test_rejected_rows_download_escapes_formulas(signed_in):
    """Rejected values starting like spreadsheet formulas are quoted in the CSV download; others are untouched."""
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


def test_an_expired_upload_token_asks_to_upload_again(staff_client):
    """Configuring an upload whose staged file is gone sends the user back with the reason."""
    response = staff_client.get(reverse("analytics:import-configure", args=["0" * 32]), follow=True)
    assert "no longer available" in response.content.decode()
