"""`manage.py build_recommendations` on the generated shop."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(synthetic_imported):
    return synthetic_imported


def test_build_command_reports_timing_and_sizes():
    """The command says how long the build took and how many co-occurring pairs it found."""
    out = StringIO()
    call_command("build_recommendations", stdout=out)
    assert "built in" in out.getvalue()
    assert "co-occurring pairs" in out.getvalue()
