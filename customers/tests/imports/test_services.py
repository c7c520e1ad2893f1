"""The import service on the real database: grouping, cleaning, rejection reasons, idempotence, all-or-nothing,
layouts, and the real CDNOW counts."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import shared_data_file
from customers import bulk
from customers.imports import services as imports
from customers.imports.options import ImportOptions
from customers.imports.services import ImportFailed, transactions_import_csv
from customers.models import Customer, ImportRun, Product, Transaction, TransactionItem

pytestmark = pytest.mark.django_db

SEED_HEADER = "transaction_id,customer_id,date,product_name,amount\n"
CDNOW = ImportOptions(
    delimiter="whitespace", date_format="%Y%m%d", mapping={"amount": "dollar_value", "quantity": "number_of_cds"}
)


@pytest.fixture
def write(tmp_path):
    def _write(text: str, name: str = "purchases.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write


def _import(path: Path, options: ImportOptions | None = None) -> ImportRun:
    return transactions_import_csv(path=path, options=options or ImportOptions())


def _domain_state() -> tuple:
    return (
        sorted(Customer.objects.values_list("external_id", flat=True)),
        sorted(Product.objects.values_list("normalized_name", flat=True)),
        sorted(Transaction.objects.values_list("external_id", "total_amount", "is_return")),
        sorted(TransactionItem.objects.values_list("transaction__external_id", "product__name", "quantity", "amount")),
    )


def test_seed_layout_groups_lines_into_transactions_and_sums_repeated_products(write):
    """One transaction per id; the same product twice in a basket is one summed line."""
    path = write(
        SEED_HEADER + "T1,1001,2024-01-05,Apple,1.50\n"
        "T1,1001,2024-01-05,Milk,0.99\n"
        "T1,1001,2024-01-05,apple ,1.50\n"
        "T2,1002,2024-01-06,Bread,2.10\n"
    )
    run = _import(path)
    assert (run.status, run.rows_read, run.rows_imported, run.rows_rejected) == ("succeeded", 4, 4, 0)
    assert (run.transactions_created, run.customers_created, run.products_created) == (2, 2, 3)
    t1 = Transaction.objects.get(external_id="T1")
    assert (t1.customer.external_id, t1.date, t1.total_amount, t1.is_return) == (
        "1001",
        dt.date(2024, 1, 5),
        Decimal("3.99"),
        False,
    )
    assert sorted(t1.items.values_list("product__name", "quantity", "amount")) == [
        ("Apple", Decimal("2"), Decimal("3.00")),
        ("Milk", Decimal("1"), Decimal("0.99")),
    ]


def test_product_names_are_trimmed_collapsed_case_insensitive_first_spelling_wins(write):
    """Spellings that differ in case and spacing are one product, named by its first tidied spelling."""
    path = write(
        SEED_HEADER
        + "T1,1,2024-01-01,  Green   Apple ,1\nT2,1,2024-01-02,GREEN APPLE,1\nT3,1,2024-01-03,green apple,1\n"
    )
    _import(path)
    assert list(Product.objects.values_list("name", "normalized_name")) == [("Green Apple", "green apple")]


def test_rejected_rows_carry_line_number_and_reason(write):
    """Unparseable dates, ids, products and amounts are rejected with their line; the rest is imported."""
    path = write(
        SEED_HEADER + "T1,1001,2024-01-05,Apple,1.50\n"  # line 2: fine
        "T2,,2024-01-05,Apple,1.50\n"  # line 3: no customer
        "T3,1001,2024-13-45,Apple,1.50\n"  # line 4: bad date
        "T4,1001,2024-01-05,,1.50\n"  # line 5: no product
        "T5,1001,2024-01-05,Apple,abc\n"  # line 6: bad amount
        "T6,1001,2024-01-05,Apple\n"  # line 7: short row
        "T7,1001,2024-01-05,Apple,\n"  # line 8: no amount
    )
    run = _import(path)
    assert (run.rows_read, run.rows_imported, run.rows_rejected) == (7, 1, 6)
    assert [(r["line"], r["reason"]) for r in run.rejected_rows] == [
        (3, "customer_id is empty"),
        (4, "date '2024-13-45' is not a valid date (expected ISO YYYY-MM-DD)"),
        (5, "product_name is empty"),
        (6, "amount 'abc' is not a number"),
        (7, "row has 4 values, the header has 5 columns"),
        (8, "amount is empty"),
    ]
    assert Transaction.objects.count() == 1


def test_exact_duplicate_rows_are_dropped_and_counted(write):
    """An identical repeated row is dropped, counted as a duplicate and left out of the total."""
    path = write(SEED_HEADER + "T1,1,2024-01-01,Apple,1.00\nT1,1,2024-01-01,Apple,1.00\nT1,1,2024-01-01,Milk,2.00\n")
    run = _import(path)
    assert (run.rows_read, run.rows_imported, run.rows_duplicate) == (3, 2, 1)
    assert Transaction.objects.get().total_amount == Decimal("3.00")


def test_keep_duplicates_keeps_identical_rows(write):
    """With keep_duplicates identical rows are real purchases: both count and the total doubles."""
    path = write("customer_id,date,amount\n7,2024-01-01,5.00\n7,2024-01-01,5.00\n")
    run = _import(path, ImportOptions(keep_duplicates=True))
    assert (run.rows_imported, run.rows_duplicate) == (2, 0)
    assert Transaction.objects.get().total_amount == Decimal("10.00")


def test_negative_lines_are_kept_as_returns(write):
    """A negative quantity or amount marks a returned line; a basket that refunds money is a return."""
    path = write(
        "transaction_id,customer_id,date,product_name,quantity,amount\n"
        "T1,1,2024-01-01,Apple,2,3.00\n"
        "R1,1,2024-01-03,Apple,-1,1.50\n"  # quantity negative, amount positive: both become negative
        "T2,1,2024-01-04,Milk,1,2.00\n"
        "T2,1,2024-01-04,Apple,1,-1.50\n"  # a returned line inside a basket that still costs money
    )
    run = _import(path)
    assert run.rows_imported == 4
    flags = dict(Transaction.objects.values_list("external_id", "is_return"))
    assert flags == {"T1": False, "R1": True, "T2": False}
    assert Transaction.objects.get(external_id="R1").total_amount == Decimal("-1.50")
    assert TransactionItem.objects.get(transaction__external_id="R1").quantity == Decimal("-1")


def test_reimporting_the_same_file_adds_nothing(write):
    """Importing a file a second time finds every transaction existing and changes nothing."""
    path = write(SEED_HEADER + "T1,1,2024-01-01,Apple,1.00\nT2,2,2024-01-02,Milk,2.00\n")
    _import(path)
    before = _domain_state()
    run = _import(path)
    assert (run.status, run.rows_imported, run.rows_existing, run.transactions_created) == ("succeeded", 0, 2, 0)
    assert _domain_state() == before


def test_overlapping_file_adds_only_new_transactions(write):
    """A file overlapping an earlier one adds only the transactions not seen before."""
    _import(write(SEED_HEADER + "T1,1,2024-01-01,Apple,1.00\nT2,2,2024-01-02,Milk,2.00\n", "a.csv"))
    run = _import(write(SEED_HEADER + "T2,2,2024-01-02,Milk,2.00\nT3,2,2024-01-09,Eggs,3.00\n", "b.csv"))
    assert (run.rows_imported, run.rows_existing, run.transactions_created, run.customers_created) == (1, 1, 1, 0)
    assert sorted(Transaction.objects.values_list("external_id", flat=True)) == ["T1", "T2", "T3"]


def test_failure_part_way_leaves_every_table_as_before(write, monkeypatch):
    """An exception after some item batches were written rolls the whole import back; the run says why."""
    _import(write(SEED_HEADER + "T0,1,2024-01-01,Apple,1.00\n", "first.csv"))
    before = _domain_state()
    rows = "".join(f"T{n},{n % 7},2024-02-{1 + n % 28:02d},Product {n % 5},1.00\n" for n in range(1, 200))
    path = write(SEED_HEADER + rows, "second.csv")
    monkeypatch.setattr(imports, "ITEM_BATCH", 20)
    calls = {"items": 0}
    real_insert = bulk.bulk_insert

    def failing_insert(model, fields, rows):
        if model is TransactionItem:
            calls["items"] += 1
            if calls["items"] == 4:
                raise RuntimeError("disk full (injected)")
        return real_insert(model, fields, rows)

    monkeypatch.setattr(imports, "bulk_insert", failing_insert)
    with pytest.raises(RuntimeError, match="injected"):
        _import(path)
    assert calls["items"] == 4  # three batches were written before the failure
    assert _domain_state() == before
    run = ImportRun.objects.order_by("-pk").first()
    assert run.status == ImportRun.Status.FAILED
    assert "rolled back" in run.error
    assert "disk full (injected)" in run.error

    monkeypatch.setattr(imports, "bulk_insert", real_insert)
    rerun = transactions_import_csv(path=path, options=ImportOptions(), run=run)
    assert (rerun.status, rerun.transactions_created) == ("succeeded", 199)


def test_file_without_transaction_id_makes_one_transaction_per_customer_per_day(write):
    """Without a transaction id a customer's rows of one day form one transaction, ids kept as text."""
    path = write(
        "customer_id,date,product_name,amount\n"
        "00042,2024-03-01,Apple,1.00\n00042,2024-03-01,Milk,2.00\n00042,2024-03-02,Milk,2.00\n42,2024-03-01,Tea,1\n"
    )
    run = _import(path)
    assert run.transactions_created == 3
    assert sorted(Transaction.objects.values_list("external_id", "total_amount")) == [
        ("00042:20240301", Decimal("3.00")),
        ("00042:20240302", Decimal("2.00")),
        ("42:20240301", Decimal("1.00")),
    ]


def test_file_without_products_records_amount_only_transactions(write):
    """A file without products still records each transaction with its amount and no items."""
    run = _import(write("transaction_id,customer_id,date,amount\nA,1,2024-01-01,9.99\n"))
    assert run.transactions_created == 1
    assert TransactionItem.objects.count() == 0
    assert Transaction.objects.get().total_amount == Decimal("9.99")


def test_amount_from_quantity_times_unit_price(write):
    """Without an amount column a line costs quantity × unit price, rounded to cents, without a warning."""
    path = write("customer_id,date,product_name,qty,price\n1,2024-01-01,Apple,3,0.335\n")
    run = _import(path, ImportOptions(mapping={"quantity": "qty", "unit_price": "price"}))
    assert run.warnings == []
    item = TransactionItem.objects.get()
    assert (item.quantity, item.amount) == (Decimal("3"), Decimal("1.01"))


def test_no_monetary_column_records_zero_with_a_warning(write):
    """Without amount or unit price lines cost zero and the run warns that monetary values are missing."""
    run = _import(write("customer_id,date,product_name\n1,2024-01-01,Apple\n"))
    assert run.rows_imported == 1
    assert Transaction.objects.get().total_amount == Decimal("0.00")
    assert any("Monetary values are unavailable" in w for w in run.warnings)


@pytest.mark.parametrize(
    ("options", "dates"),
    [
        (ImportOptions(date_format="%d.%m.%Y"), "05.01.2024"),
        (ImportOptions(dayfirst=True), "05/01/2024"),
        (ImportOptions(), "2024-01-05T13:45:00"),
    ],
)
def test_date_formats(write, options, dates):
    """An explicit date format, day-first dates and ISO date-times all read as the same day."""
    _import(write(f"customer_id,date,amount\n1,{dates},1\n"), options)
    assert Transaction.objects.get().date == dt.date(2024, 1, 5)


def test_semicolon_delimiter_and_latin1_encoding(write):
    """A semicolon-separated Latin-1 file imports with its accents intact."""
    path = write("customer_id;date;product_name;amount\n1;2024-01-01;Crème brûlée;3.5\n", encoding="latin-1")
    _import(path, ImportOptions(delimiter=";", encoding="latin-1"))
    assert Product.objects.get().name == "Crème brûlée"


def test_wrong_encoding_is_a_clear_error_and_writes_nothing(write):
    """Bytes that are not valid in the encoding fail the run naming --encoding, writing no facts."""
    path = write("customer_id,date,product_name,amount\n1,2024-01-01,Crème,3.5\n", encoding="latin-1")
    with pytest.raises(ImportFailed, match=r"not valid utf-8-sig text .*--encoding"):
        _import(path)
    assert _domain_state() == ([], [], [], [])
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("customer_id,date\n", ImportOptions(), "no data rows"),
        ("", ImportOptions(), "The file is empty"),
        ("1,2024-01-01,Apple,3\n", ImportOptions(), "Required column(s) missing: customer_id, date"),
        (
            "id,date\n1,2024-01-01\n",
            ImportOptions(mapping={"customer_id": "client"}),
            "Mapped column(s) not in the file",
        ),
    ],
)
def test_layout_errors_are_clear_and_write_nothing(write, text, options, message):
    """Empty files, headers without rows and missing or mis-mapped columns fail clearly, writing nothing."""
    with pytest.raises(ImportFailed) as excinfo:
        _import(write(text), options)
    assert message in excinfo.value.message
    assert _domain_state() == ([], [], [], [])


def test_extra_columns_are_ignored(write):
    """Columns the importer does not know are ignored."""
    run = _import(write("customer_id,date,amount,note,store\n1,2024-01-01,3,hello,12\n"))
    assert run.rows_imported == 1


def test_conflicting_rows_of_one_transaction_are_rejected(write):
    """A row that gives a known transaction id another customer is rejected with the reason."""
    run = _import(write(SEED_HEADER + "T1,1,2024-01-01,Apple,1\nT1,2,2024-01-01,Milk,1\n"))
    assert run.rows_rejected == 1
    assert "already read with customer 1" in run.rejected_rows[0]["reason"]


@pytest.mark.slow
def test_cdnow_master_imports_with_documented_options():
    """The real CDNOW log: 23,570 customers; one customer's rows on one day become one transaction."""
    run = _import(shared_data_file("cdnow_master.txt"), CDNOW)
    assert (run.rows_read, run.rows_rejected, run.rows_duplicate) == (69_659, 0, 255)
    assert Customer.objects.count() == 23_570
    assert Transaction.objects.count() == 67_591
    assert Customer.objects.filter(external_id="00001").exists()
