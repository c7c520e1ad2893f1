"""API throttling: a client over its rate gets a 429 that says when to come back."""

from http import HTTPStatus

import pytest
from rest_framework.settings import api_settings

pytestmark = pytest.mark.django_db


def test_throttling_answers_429_with_retry_after(api, monkeypatch):
    """At 3 requests a minute the fourth is a 429 with a Retry-After and code throttled."""
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "user", "3/min")
    statuses = [api.get("/api/v1/segments/").status_code for _ in range(3)]
    response = api.get("/api/v1/segments/")
    assert statuses == [200, 200, 200]
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_health_and_readiness_are_never_throttled(client, monkeypatch):
    """The probes answer every time, even at an anonymous rate of one request a minute."""
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "anon", "1/min")
    assert {client.get("/health").status_code for _ in range(3)} == {200}
