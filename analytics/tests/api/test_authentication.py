"""Who may call the API: token or session authentication for every data endpoint, staff only for the actions that
change data (settings.REST_FRAMEWORK and each view's permission classes)."""

from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from analytics.tests.api.conftest import PREDICT, RECOMMEND

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]


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
    """Without credentials every endpoint but the probes answers 401 with a Token challenge and an error."""
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "error" in response.json()
    assert response["WWW-Authenticate"] == 'Token realm="api"' or response["WWW-Authenticate"].startswith("Token")


def test_basic_auth_is_not_accepted(user):
    """A correct username and password sent as HTTP Basic authentication is refused."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic YW5hbHlzdDpwdy1hbmFseXN0LTEyMw==")  # analyst:pw-analyst-123
    assert client.get("/api/v1/segments/").status_code == HTTPStatus.UNAUTHORIZED


def test_session_login_works_for_the_pages_users(client, user):
    """A user signed in to the pages may call the API with their session."""
    client.force_login(user)
    assert client.get("/api/v1/segments/").status_code == HTTPStatus.OK


@pytest.mark.parametrize("url", ["/api/v1/models/train/", "/api/v1/imports/"])
def test_staff_actions_refuse_ordinary_users(api, url):
    """Starting training or an import as a non-staff user is a 403 with code permission_denied."""
    response = api.post(url, {}, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "permission_denied"
