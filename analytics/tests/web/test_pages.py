"""Every page on the trained shop: sign-in required, and rendered under a strict Content-Security-Policy.

Each view's content is tested in views/test_<module>.py.
"""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trained_shop")]

PAGES = [
    ("analytics:dashboard", {}),
    ("analytics:customer-list", {}),
    ("analytics:loyalty-lookup", {}),
    ("analytics:recommendations", {}),
    ("analytics:model-list", {}),
    ("analytics:import-list", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_require_login(client, name, kwargs):
    """Signed out, every page redirects to the login page."""
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_render_under_a_strict_content_security_policy(signed_in, name, kwargs):
    """No inline script runs: every <script> has a src or only carries JSON data; no style attributes."""
    response = signed_in.get(reverse(name, kwargs=kwargs))
    assert response.status_code == HTTPStatus.OK
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html
