"""`manage.py compute_rfm` on the generated shop: the summary it prints and the errors it turns into CommandError."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analytics.models import RfmSnapshot
from analytics.rfm.maths import SEGMENTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(synthetic_imported):
    return synthetic_imported


def test_command_prints_segment_counts():
    """The command prints how many customers the snapshot holds and a line per segment."""
    out = StringIO()
    call_command("compute_rfm", "--as-of", "2024-02-29", stdout=out)
    snapshot = RfmSnapshot.objects.get()
    assert f"{snapshot.customers:,} customers" in out.getvalue()
    assert "Champions" in out.getvalue()
    assert all(segment in out.getvalue() for segment in SEGMENTS)


def test_as_of_before_the_first_purchase_is_a_command_error():
    """An --as-of before the first purchase stops the command with the service's message."""
    with pytest.raises(CommandError, match="before the first purchase"):
        call_command("compute_rfm", "--as-of", "2023-06-01", stdout=StringIO())
