"""Layout detection on fixed samples: header spellings, date formats, ambiguity, delimiters, encodings."""

import codecs

import pytest

from conftest import shared_data_file
from customers.imports.detection import (
    date_format_detect,
    delimiter_detect,
    encoding_detect,
    fold_name,
    header_detect,
    layout_detect,
    mapping_guess,
)
from customers.imports.options import WHITESPACE

ROWS = [["1001", "2024-01-05", "Milk", "2", "2.58"], ["1002", "2024-01-06", "Bread", "1", "2.49"]]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("customer_id", "customer_id"),
        ("CustomerID", "customer_id"),
        ("Customer ID", "customer_id"),
        ("Member_number", "customer_id"),
        ("client", "customer_id"),
        ("Kundennummer", "customer_id"),
        ("ID Cliente", "customer_id"),
        ("cust_id", "customer_id"),
        ("Loyalty card number", "customer_id"),
    ],
)
def test_customer_columns_are_recognised_in_many_spellings(header, field):
    """Customer, member, client and CustomerID spellings (and German, Spanish forms) map to customer_id."""
    mapping = mapping_guess([header, "date", "product", "qty", "amount"], ROWS)
    assert mapping[field] == header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("InvoiceNo", "transaction_id"),
        ("order_id", "transaction_id"),
        ("Receipt number", "transaction_id"),
        ("basket", "transaction_id"),
        ("Bestellnummer", "transaction_id"),
        ("InvoiceDate", "date"),
        ("Datum", "date"),
        ("Fecha", "date"),
        ("purchase date", "date"),
        ("itemDescription", "product_name"),
        ("Description", "product_name"),
        ("Artikel", "product_name"),
        ("Product Name", "product_name"),
        ("Qty", "quantity"),
        ("Menge", "quantity"),
        ("Unit Price", "unit_price"),
        ("Preis", "unit_price"),
        ("Total", "amount"),
        ("Sales", "amount"),
        ("Revenue", "amount"),
        ("dollar_value", "amount"),
        ("Betrag", "amount"),
    ],
)
def test_every_field_is_recognised_by_common_names(header, field):
    """Invoice/order/receipt, date, item/description, qty, price and total spellings map to their fields."""
    columns = {
        "transaction_id": ["T1", "T2"],
        "date": ["2024-01-05", "2024-01-06"],
        "product_name": ["Milk", "Bread"],
        "quantity": ["2", "1"],
        "unit_price": ["1.29", "2.49"],
        "amount": ["2.58", "2.49"],
    }
    header_row = ["customer", header]
    rows = [["1001", columns[field][0]], ["1002", columns[field][1]]]
    assert mapping_guess(header_row, rows)[field] == header


def test_a_name_that_contradicts_its_values_is_not_used():
    """A column called "date" that holds no dates is not the date; the column of dates is."""
    mapping = mapping_guess(["customer", "date", "when"], [["1", "x", "2024-01-05"], ["2", "y", "2024-01-06"]])
    assert mapping["date"] == "when"


def test_fields_are_guessed_from_values_when_names_say_nothing():
    """Without telling names the column of dates becomes the date and a lone column of decimals the amount."""
    mapping = mapping_guess(["a", "b", "c"], [["7", "2024-03-01", "12.50"], ["8", "2024-03-02", "3.99"]])
    assert (mapping["date"], mapping["amount"]) == ("b", "c")


def test_names_are_folded_before_comparison():
    """Case, spaces, punctuation and accents do not matter."""
    assert fold_name(" Member_Number ") == "membernumber"
    assert fold_name("Stück-Preis") == "stuckpreis"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2024-01-05", "2024-12-31"], "%Y-%m-%d"),
        (["2024-01-05 10:30:00", "2024-12-31 23:59:59"], "%Y-%m-%d %H:%M:%S"),
        (["2024-01-05T10:30:00"], "%Y-%m-%dT%H:%M:%S"),
        (["19970101", "19971231"], "%Y%m%d"),
        (["21-07-2015", "05-01-2015"], "%d-%m-%Y"),
        (["21/07/2015", "05/01/2015"], "%d/%m/%Y"),
        (["12/13/2010 8:26", "12/1/2010 8:28"], "%m/%d/%Y %H:%M"),
        (["07/21/2015", "01/05/2015"], "%m/%d/%Y"),
        (["31.12.2023", "01.02.2024"], "%d.%m.%Y"),
    ],
)
def test_the_date_format_is_read_from_the_values(values, expected):
    """ISO, compact, day-first, month-first and dotted dates, with or without a time, are recognised."""
    guess = date_format_detect(values)
    assert (guess.date_format, guess.ambiguous) == (expected, False)


def test_iso_dates_are_left_to_the_importers_default():
    """ISO dates need no format option."""
    assert date_format_detect(["2024-01-05"]).iso


@pytest.mark.parametrize("values", [["01/02/2024", "03/04/2024", "12/11/2024"], ["05-06-2020"]])
def test_dates_with_no_day_above_12_are_ambiguous_and_not_guessed(values):
    """When day-first and month-first both read every value, the detection asks instead of guessing."""
    guess = date_format_detect(values)
    assert guess.ambiguous
    assert guess.date_format is None
    assert set(guess.candidates) in ({"%d/%m/%Y", "%m/%d/%Y"}, {"%d-%m-%Y", "%m-%d-%Y"})
    assert "choose the format" in guess.note


def test_values_no_format_reads_give_no_format():
    """Free text in the date column gives no format and says which value failed."""
    guess = date_format_detect(["yesterday", "2024-01-05"])
    assert guess.date_format is None
    assert not guess.ambiguous
    assert "yesterday" in guess.note


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n", ","),
        ("a;b;c\n1;2,5;3\n4;5,5;6\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('name,city\n"Smith, J",Paris\n"Doe, A",Rome\n', ","),
        (" customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n", WHITESPACE),
    ],
)
def test_the_delimiter_is_the_one_that_splits_lines_consistently(text, expected):
    """Comma, semicolon (with decimal commas), tab, pipe, quoted commas and runs of spaces."""
    assert delimiter_detect(text.splitlines()) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (codecs.BOM_UTF8 + "kunde,datum\nJürgen,2024-01-01\n".encode(), "utf-8-sig"),
        ("kunde,datum\nJürgen,2024-01-01\n".encode(), "utf-8-sig"),
        ("kunde,datum\nJürgen,2024-01-01,€\n".encode("cp1252"), "cp1252"),
        (b"kunde\n\x81\x8d\xe9\n", "latin-1"),
    ],
)
def test_the_encoding_is_utf8_else_cp1252_else_latin1(raw, expected):
    """UTF-8 with and without BOM, Windows-1252, and Latin-1 for bytes Windows-1252 leaves undefined."""
    assert encoding_detect(raw) == expected


def test_a_multibyte_character_cut_at_the_end_of_the_sample_is_still_utf8():
    """The sample may end in the middle of a character; that does not make the file Latin-1."""
    raw = "kunde\nJürgen\n".encode()
    assert encoding_detect(raw[: raw.index("ü".encode()) + 1]) == "utf-8-sig"


def test_a_header_row_is_told_from_a_row_of_values():
    """Known names or text above numbers and dates make a header; a first row of values does not."""
    assert header_detect([["Member_number", "Date"], ["1808", "21-07-2015"]])
    assert header_detect([["who", "when"], ["1808", "21-07-2015"]])
    assert not header_detect([["00004", "0001", "19970101", "2", "29.33"], ["00004", "0001", "19970118", "2", "29.73"]])


def test_a_grocery_member_log_is_read_without_help():
    """The Kaggle "Groceries" layout: member number, day-first dates with dashes, item descriptions."""
    raw = b"Member_number,Date,itemDescription\n1808,21-07-2015,tropical fruit\n2552,05-01-2015,whole milk\n"
    detection = layout_detect(raw)
    assert detection.mapping == {"customer_id": "Member_number", "date": "Date", "product_name": "itemDescription"}
    assert detection.options().date_format == "%d-%m-%Y"
    assert not detection.needs_input


def test_an_online_retail_export_is_read_without_help():
    """The UCI Online Retail layout: invoice, stock code, description, quantity, US dates with times, price, id."""
    raw = (
        b"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        b"536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
        b"536366,22633,HAND WARMER UNION JACK,6,12/13/2010 8:28,1.85,17850,United Kingdom\n"
    )
    detection = layout_detect(raw)
    assert detection.mapping == {
        "transaction_id": "InvoiceNo",
        "customer_id": "CustomerID",
        "date": "InvoiceDate",
        "product_name": "Description",
        "quantity": "Quantity",
        "unit_price": "UnitPrice",
    }
    assert detection.options().date_format == "%m/%d/%Y %H:%M"


def test_the_cdnow_log_is_read_without_help():
    """The real CDNOW log: runs of spaces, CRLF, compact dates, CDs and dollars."""
    detection = layout_detect(shared_data_file("cdnow_master.txt").read_bytes()[:200_000])
    options = detection.options()
    assert options.delimiter == WHITESPACE
    assert options.date_format == "%Y%m%d"
    assert options.mapping == {
        "customer_id": "customer_id",
        "date": "date",
        "quantity": "number_of_cds",
        "amount": "dollar_value",
    }


def test_what_cannot_be_found_is_said_and_asks_for_input():
    """A basket file without customers names the missing field and needs the user."""
    detection = layout_detect(b"Date,Time,Transaction,Item\n2016-10-30,09:58:11,1,Bread\n")
    assert detection.missing == ["customer_id"]
    assert detection.needs_input
    assert any("customer_id" in note for note in detection.notes)


def test_ambiguous_dates_need_input_and_default_to_iso_options():
    """Ambiguous dates are not guessed: the options leave the format unset and the user must choose."""
    detection = layout_detect(b"customer,date,amount\n1,01/02/2024,3.50\n2,03/04/2024,4.00\n")
    assert detection.dates.ambiguous
    assert detection.needs_input
    assert detection.options().date_format is None
