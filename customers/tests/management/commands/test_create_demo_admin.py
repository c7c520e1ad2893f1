"""`manage.py create_demo_admin`: the password is printed once, when the login is created."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_password_is_printed_once_and_works():
    """The first run prints a password that logs in; the second leaves the login alone and prints no password."""
    first = StringIO()
    call_command("create_demo_admin", stdout=first)
    password = first.getvalue().split("password: ")[1].strip()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)
    second = StringIO()
    call_command("create_demo_admin", stdout=second)
    assert "already exists" in second.getvalue()
    assert password not in second.getvalue()
