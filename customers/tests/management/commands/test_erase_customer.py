"""`manage.py erase_customer`: what it prints, and an unknown customer as a CommandError."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_erase_command():
    """The command confirms the erasure; a second run no longer finds the customer id."""
    CustomerFactory(external_id="1001", name="Someone")
    out = StringIO()
    call_command("erase_customer", "1001", stdout=out)
    assert "Erased the personal data of customer '1001'" in out.getvalue()
    with pytest.raises(CommandError, match="Unknown customer"):
        call_command("erase_customer", "1001", stdout=StringIO())
