"""`manage.py generate_data` writes the demo or a scaled file that the importer reads cleanly."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from customers.imports.options import ImportOptions
from customers.imports.services import transactions_import_csv
from customers.models import Customer, Product

pytestmark = pytest.mark.django_db


def test_demo_file_imports_with_its_dirty_rows_cleaned(tmp_path):
    """The demo file imports into its 50 customers and groceries, rejecting bad rows and folding case variants."""
    path = tmp_path / "demo.csv"
    call_command("generate_data", "--out", str(path), stdout=StringIO())
    run = transactions_import_csv(path=path, options=ImportOptions())
    assert run.rows_rejected > 0
    assert run.rows_duplicate > 0
    assert Customer.objects.count() == 50
    assert {"Apple", "Milk", "Banana", "Orange", "Bread", "Eggs", "Cheese"} <= set(
        Product.objects.values_list("name", flat=True)
    )
    assert not Product.objects.filter(name__in=[" apple", "MILK"]).exists()  # case variants folded


def test_scaled_file_needs_all_three_sizes(tmp_path):
    """One size alone is refused; with all three the command writes exactly the rows asked for."""
    with pytest.raises(CommandError, match="all of --customers"):
        call_command("generate_data", "--customers", "10", stdout=StringIO())
    out = StringIO()
    path = tmp_path / "s.csv"
    call_command(
        "generate_data", "--customers", "30", "--rows", "400", "--products", "40", "--out", str(path), stdout=out
    )
    assert "400 rows" in out.getvalue()
    assert len(path.read_text().splitlines()) == 401
