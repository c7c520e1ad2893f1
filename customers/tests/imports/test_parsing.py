"""Reading purchase files row by row: header resolution, row splitting, and what a row means (no database)."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from customers.imports.options import ImportOptions, LayoutError
from customers.imports.parsing import Layout, RowParser, RowRejected, read_rows, resolve_layout

SEED_COLUMNS = ["transaction_id", "customer_id", "date", "product_name", "amount"]


def _parser(header: list[str], options: ImportOptions | None = None) -> RowParser:
    options = options or ImportOptions()
    return RowParser(resolve_layout(header, options), options)


def test_header_columns_match_fields_case_insensitively_and_mappings_win():
    """Fields find same-named columns whatever their case and spacing; a mapping overrides the name match."""
    layout = resolve_layout([" Customer_ID ", "DATE", "price", "amount"], ImportOptions(mapping={"amount": "Price"}))
    assert layout.header == ("Customer_ID", "DATE", "price", "amount")
    assert layout.columns == {"customer_id": 0, "date": 1, "amount": 2}


def test_missing_required_and_mapped_columns_are_layout_errors_naming_the_file_columns():
    """A missing required field or mapped column is a LayoutError that lists the columns the file has."""
    with pytest.raises(LayoutError, match=r"Required column\(s\) missing: date\. The file's columns are: id, x"):
        resolve_layout(["id", "x"], ImportOptions(mapping={"customer_id": "id"}))
    with pytest.raises(LayoutError, match=r"Mapped column\(s\) not in the file: amount=price"):
        resolve_layout(["customer_id", "date"], ImportOptions(mapping={"amount": "price"}))


def test_a_layout_without_money_warns_once():
    """Only a layout with neither amount nor quantity and unit price warns that monetary values are missing."""
    assert Layout(header=("c", "d", "a"), columns={"customer_id": 0, "date": 1, "amount": 2}).warnings() == []
    both = Layout(header=("c", "d", "q", "u"), columns={"customer_id": 0, "date": 1, "quantity": 2, "unit_price": 3})
    assert both.warnings() == []
    (warning,) = Layout(header=("c", "d"), columns={"customer_id": 0, "date": 1}).warnings()
    assert warning.startswith("Monetary values are unavailable")


def test_read_rows_skips_blank_lines_and_numbers_rows_by_line():
    """Rows keep their line numbers in the file; blank lines and rows of empty values are skipped."""
    text = "customer_id,date\n\n1,2024-01-01\n,\n2,2024-01-02\n"
    assert list(read_rows(io.StringIO(text), ImportOptions())) == [
        (1, ["customer_id", "date"]),
        (3, ["1", "2024-01-01"]),
        (5, ["2", "2024-01-02"]),
    ]


def test_whitespace_delimited_rows_split_on_any_run_of_spaces_and_tabs():
    """The whitespace layout (CDNOW's) splits on runs of spaces and tabs and ignores empty lines."""
    text = "00001   19970101  1\t11.77\n\n00002 19970112 2  89.00\n"
    rows = list(read_rows(io.StringIO(text), ImportOptions(delimiter="whitespace")))
    assert rows == [(1, ["00001", "19970101", "1", "11.77"]), (3, ["00002", "19970112", "2", "89.00"])]


def test_a_seed_row_is_parsed_into_typed_values():
    """Ids stay text, the date is a date, the product gets its display name and key, amounts are cents."""
    row = _parser(SEED_COLUMNS).parse(["T1", " 00042 ", "2024-01-05", "  green   Apple ", "1.505"])
    assert (row.transaction_id, row.customer_id, row.date) == ("T1", "00042", dt.date(2024, 1, 5))
    assert row.product == ("green Apple", "green apple")
    assert (row.quantity, row.amount, row.is_return) == (Decimal("1"), Decimal("1.51"), False)


@pytest.mark.parametrize(
    ("quantity", "amount", "expected"),
    [("-2", "3.00", ("-2.000", "-3.00")), ("2", "-3.00", ("-2.000", "-3.00")), ("-2", "-3.00", ("-2.000", "-3.00"))],
)
def test_a_negative_quantity_or_amount_makes_both_negative_as_a_return(quantity, amount, expected):
    """Either sign negative marks a returned line, and then both quantity and amount are negative."""
    parser = _parser(["customer_id", "date", "quantity", "amount"])
    row = parser.parse(["1", "2024-01-01", quantity, amount])
    assert (str(row.quantity), str(row.amount), row.is_return) == (*expected, True)


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (["1", "2024-01-01", "0", "1.00"], "quantity is zero"),
        (["1", "2024-01-01", "2", "NaN"], "amount 'NaN' is not a finite number"),
        (["1", "2024-01-01", "2", "1e20"], "amount '1e20' is out of range"),
        (["1", "1899-12-31", "2", "1.00"], "date '1899-12-31' is before 1900"),
        (["x" * 65, "2024-01-01", "2", "1.00"], "customer_id is longer than 64 characters"),
        (["1", "2024-01-01", "2"], "row has 3 values, the header has 4 columns"),
    ],
)
def test_unusable_rows_are_rejected_with_the_reason(values, reason):
    """Zero quantities, non-finite or oversized numbers, old dates, long ids and short rows name their problem."""
    with pytest.raises(RowRejected, match=f"^{reason}$"):
        _parser(["customer_id", "date", "quantity", "amount"]).parse(values)


def test_long_values_are_shortened_in_the_reason():
    """A rejected value longer than 40 characters is cut short in the message."""
    with pytest.raises(RowRejected) as excinfo:
        _parser(["customer_id", "date"]).parse(["1", "2024-" + "1" * 60])
    assert "…" in str(excinfo.value)
    assert len(str(excinfo.value)) < 100


@pytest.mark.parametrize(
    ("options", "raw", "day"),
    [
        (ImportOptions(dayfirst=True), "05/01/24", dt.date(2024, 1, 5)),
        (ImportOptions(dayfirst=True), "5.1.2024", dt.date(2024, 1, 5)),
        (ImportOptions(date_format="%Y%m%d"), "19970101", dt.date(1997, 1, 1)),
        (ImportOptions(), "2024-01-05 23:59:59", dt.date(2024, 1, 5)),
    ],
)
def test_dates_follow_the_options(options, raw, day):
    """Day-first dates (two- or four-digit years), strptime formats and ISO date-times give the purchase day."""
    assert _parser(["customer_id", "date"], options).parse(["1", raw]).date == day


@pytest.mark.parametrize(
    ("options", "hint"),
    [
        (ImportOptions(), "expected ISO YYYY-MM-DD"),
        (ImportOptions(dayfirst=True), "expected DD/MM/YYYY"),
        (ImportOptions(date_format="%Y%m%d"), "expected format %Y%m%d"),
    ],
)
def test_a_bad_date_says_which_format_was_expected(options, hint):
    """The reason for a bad date names the format the options asked for."""
    with pytest.raises(RowRejected, match=f"date '31/02/2024' is not a valid date \\({hint}\\)"):
        _parser(["customer_id", "date"], options).parse(["1", "31/02/2024"])
