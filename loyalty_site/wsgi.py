"""WSGI entry point (gunicorn loyalty_site.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loyalty_site.settings")

application = get_wsgi_application()

# Import every view (and with them numpy, scipy and scikit-learn) now rather than on the first request, so a
# fresh worker answers at full speed; with gunicorn's preload_app the workers share these modules.
get_resolver().url_patterns  # noqa: B018
