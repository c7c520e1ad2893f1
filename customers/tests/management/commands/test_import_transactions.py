"""`manage.py import_transactions`: the summary it prints and the errors it turns into CommandError."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

SEED_HEADER = "transaction_id,customer_id,date,product_name,amount\n"


def test_command_prints_summary_and_turns_errors_into_command_errors(tmp_path):
    """A good file prints its counts; an unknown --map field and a missing column are command errors."""

    def write(text: str, name: str = "purchases.csv"):
        path = tmp_path / name
        path.write_text(text)
        return path

    out = StringIO()
    call_command("import_transactions", str(write(SEED_HEADER + "T1,1,2024-01-01,Apple,1\n")), stdout=out)
    assert "rows read 1 · imported 1" in out.getvalue()
    with pytest.raises(CommandError, match="Unknown field"):
        call_command("import_transactions", str(write("x")), "--map", "colour=x", stdout=StringIO())
    with pytest.raises(CommandError, match="Required column"):
        call_command("import_transactions", str(write("a,b\n1,2\n", "bad.csv")), "--quiet", stdout=StringIO())
