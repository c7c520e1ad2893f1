"""Logins and API tokens: the demo admin's password shown once, tokens issued, created and rotated."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from customers.exceptions import ApplicationError
from customers.services.accounts import api_token_issue, demo_admin_ensure

pytestmark = pytest.mark.django_db


def test_the_demo_admin_is_created_once_with_a_random_password():
    """The first call creates a superuser with a fresh password; later calls return no password at all."""
    first = demo_admin_ensure(username="boss")
    assert first.password
    assert get_user_model().objects.get(username="boss").check_password(first.password)
    assert demo_admin_ensure(username="boss").password is None


def test_a_token_is_issued_once_per_user_and_rotation_revokes_the_old_one(django_user_model):
    """Asking again gives the same token; rotating replaces it, so the old key stops existing."""
    django_user_model.objects.create_user(username="reporter")
    token = api_token_issue(username="reporter")
    assert api_token_issue(username="reporter").key == token.key
    rotated = api_token_issue(username="reporter", rotate=True)
    assert rotated.key != token.key
    assert not Token.objects.filter(key=token.key).exists()


def test_an_unknown_user_is_created_only_when_asked_and_without_a_password():
    """Without create_user an unknown name is refused; with it the program's user can log in by token only."""
    with pytest.raises(ApplicationError, match="pass --create-user") as excinfo:
        api_token_issue(username="robot")
    assert excinfo.value.code == "unknown_user"
    token = api_token_issue(username="robot", create_user=True, staff=True)
    robot = token.user
    assert (robot.username, robot.is_staff, robot.has_usable_password()) == ("robot", True, False)
