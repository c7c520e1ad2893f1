"""Fixtures for analytics tests: a generated shop with an RFM snapshot, a trained model and recommendations."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def trained_shop(synthetic_imported, django_db_blocker):
    """The synthetic shop, with RFM computed, the loyalty model trained and recommendations built (module-wide)."""
    from analytics.rfm.services import rfm_snapshot_compute
    from analytics.tests.helpers import train_and_publish

    with django_db_blocker.unblock():
        snapshot = rfm_snapshot_compute()
        artifact = train_and_publish()
    return {"snapshot": snapshot, "artifact": artifact}


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="analyst", password="pw-analyst-123")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="engineer", password="pw-engineer-123", is_staff=True)


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def api(user) -> APIClient:
    """An API client authenticated with a (non-staff) user's token."""
    return _token_client(user)


@pytest.fixture
def staff_api(staff) -> APIClient:
    return _token_client(staff)
