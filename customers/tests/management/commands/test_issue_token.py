"""`manage.py issue_token`: a key the API accepts, and the errors it turns into CommandError."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_issue_token_command(user):
    """The printed key authenticates API requests as that user."""
    out = StringIO()
    call_command("issue_token", user.username, stdout=out)
    key = out.getvalue().strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/segments/").status_code == HTTPStatus.OK


def test_an_unknown_user_is_a_command_error_that_names_the_option():
    """For a user that does not exist the command says to pass --create-user."""
    with pytest.raises(CommandError, match="--create-user"):
        call_command("issue_token", "nobody", stdout=StringIO())
