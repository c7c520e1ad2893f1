"""Guards in front of every view: bodies refused from their Content-Length before anything reads them."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db

MULTIPART = "multipart/form-data; boundary=x"
ONE_GIGABYTE = str(1024**3)
# The refusal names the upload limit with the multipart overhead it allows (IMPORT_MAX_UPLOAD_BYTES + 64 KiB).
TOO_LARGE = "The file is too large (1073.7 MB); the limit is 210 MB."


def test_oversized_body_is_a_json_413(api):
    """A JSON body above DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 413 with code too_large."""
    body = '{"customer_id": "' + "x" * 2_000_000 + '"}'
    response = api.generic("POST", "/predict-loyalty", body, content_type="application/json")
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["code"] == "too_large"


def test_a_one_gigabyte_upload_is_refused_from_its_length_without_reading_it(staff_api):
    """A multipart upload announcing 1 GB is a 413 saying the file is too large, though no byte was sent."""
    response = staff_api.generic("POST", "/api/v1/imports/", b"", content_type=MULTIPART, CONTENT_LENGTH=ONE_GIGABYTE)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "too large" in response.json()["error"]
    assert response.json() == {"error": TOO_LARGE, "code": "too_large"}


def test_an_oversized_page_request_gets_the_html_error_page(client, user):
    """For the pages the same refusal is an HTML 413 page with the message."""
    client.force_login(user)
    # Django's test client sends no Content-Type with an empty body unless it is given as a header.
    response = client.generic("POST", "/imports/upload/", b"", CONTENT_TYPE=MULTIPART, CONTENT_LENGTH=ONE_GIGABYTE)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response["Content-Type"].startswith("text/html")
    assert TOO_LARGE in response.content.decode()
