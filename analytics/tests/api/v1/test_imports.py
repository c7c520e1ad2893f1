"""/api/v1/imports/ on the trained shop: uploads started as jobs, their runs, and refused options."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics.tests.api.conftest import PREDICT
from customers.models import ImportRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


def test_staff_starts_an_import_from_an_uploaded_file(staff_api, django_capture_on_commit_callbacks):
    """An upload is a 202 with a job; the job imports the file and the new customer is scored by the active model."""
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
    """A mapping naming an unknown field is a 400 and no import run is recorded."""
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n")
    response = staff_api.post("/api/v1/imports/", {"file": upload, "mapping": '{"colour": "a"}'}, format="multipart")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Unknown field" in response.json()["error"]
    assert not ImportRun.objects.filter(source_name="x.csv").exists()


def test_imports_list(api, trained_shop):
    """The list leads with the latest import run."""
    assert api.get("/api/v1/imports/").json()["results"][0]["id"] == trained_shop["import_run"].pk
