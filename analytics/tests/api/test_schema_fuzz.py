"""schemathesis over the whole API schema: whatever the input, the server never answers with a 5xx error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from analytics.pipeline import jobs
from loyalty_site.wsgi import application

pytestmark = pytest.mark.django_db

# The schema the app serves at /api/schema/, generated in-process (no request needed at collection time).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly fires request_finished, which would close the database connection (and the
    test's transaction with it); Django's own test client disconnects the handler the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(trained_shop, django_user_model) -> str:
    user = django_user_model.objects.create_user(username="fuzzer", is_staff=True)
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_produces_a_server_error(case, staff_token, monkeypatch):
    """Whatever the input, no operation answers with a 5xx error.

    As staff (every operation reachable); jobs are queued but not run for each example.
    """
    monkeypatch.setattr(jobs, "_enqueue", lambda job: None)
    case.call_and_validate(headers={"Authorization": f"Token {staff_token}"}, checks=[not_a_server_error])
