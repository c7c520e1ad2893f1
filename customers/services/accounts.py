import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction


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
