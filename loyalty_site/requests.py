"""Helpers shared by the web views and the API views."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.request import Request


def request_user(request: HttpRequest | Request) -> User | None:
    """The signed-in user of `request` (recorded as `created_by` of jobs and models), or None when anonymous."""
    user = request.user
    return user if isinstance(user, User) else None
