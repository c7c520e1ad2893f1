"""`manage.py clean_data`: the data-quality report it prints."""

from io import StringIO

import pytest
from django.core.management import call_command

from customers.models import DataQualityReport

pytestmark = pytest.mark.django_db


def test_command_prints_the_report(drifted):
    """--dry-run prints every finding under its title, says nothing changed and keeps one report."""
    out = StringIO()
    call_command("clean_data", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "dry run, nothing changed" in text
    assert "Product names that normalise to the same product" in text
    assert DataQualityReport.objects.count() == 1
