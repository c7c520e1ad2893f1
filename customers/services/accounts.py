"""Logins and API tokens: the demo admin, tokens for programs."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from customers.exceptions import ApplicationError


@dataclass(frozen=True)
class DemoAdmin:
    username: str
    password: str | None  # None when the account already existed: its password is never shown again


@transaction.atomic
def demo_admin_ensure(*, username: str = "admin") -> DemoAdmin:
    """Create the demo superuser with a fresh random password, once; later calls leave it alone."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        return DemoAdmin(username=username, password=None)
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(username=username, email="", password=password)
    return DemoAdmin(username=username, password=password)


@transaction.atomic
def api_token_issue(*, username: str, create_user: bool = False, staff: bool = False, rotate: bool = False) -> Token:
    """The API token of a user (created when missing; replaced with `rotate`, which revokes the old one)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        if not create_user:
            raise ApplicationError(f"No user {username!r}; pass --create-user to create one.", code="unknown_user")
        user = user_model.objects.create_user(username=username, is_staff=staff)
        user.set_unusable_password()  # an API client logs in with its token only
        user.save(update_fields=["password"])
    if rotate:
        Token.objects.filter(user=user).delete()
    token, _ = Token.objects.get_or_create(user=user)
    return token
