"""ImportOptions: what users type becomes validated options, or a LayoutError that says what is wrong (no database)."""

import pytest

from customers.imports.options import DEFAULT_ENCODING, WHITESPACE, ImportOptions, LayoutError


def test_unknown_field_in_mapping_is_refused():
    """A mapping for a field the importer does not know is refused, listing the fields it knows."""
    with pytest.raises(LayoutError, match="Unknown field"):
        ImportOptions(mapping={"colour": "x"})


@pytest.mark.parametrize(
    ("typed", "delimiter"),
    [("\\t", "\t"), ("tab", "\t"), ("TAB", "\t"), ("space", WHITESPACE), ("spaces", WHITESPACE), (";", ";")],
)
def test_build_understands_delimiter_aliases(typed, delimiter):
    """A delimiter typed as "\\t", "tab" or "spaces" means the character (or whitespace) it names."""
    assert ImportOptions.build(delimiter=typed).delimiter == delimiter


def test_build_reads_blank_values_as_the_defaults():
    """Blank delimiter, encoding and date format mean the defaults; unmapped (blank) fields are left out."""
    options = ImportOptions.build(
        mapping={"customer_id": "client", "date": "day", "amount": ""}, delimiter="", encoding="", date_format=""
    )
    assert options == ImportOptions(mapping={"customer_id": "client", "date": "day"})
    assert (options.delimiter, options.encoding, options.date_format) == (",", DEFAULT_ENCODING, None)


def test_build_passes_the_flags_through_as_booleans():
    """Form checkbox values become plain booleans."""
    options = ImportOptions.build(dayfirst="on", keep_duplicates=1)
    assert (options.dayfirst, options.keep_duplicates) == (True, True)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"mapping": {"colour": "x"}}, r"Unknown field\(s\) in the mapping: colour\. Fields: transaction_id, "),
        ({"delimiter": ";;"}, "The delimiter must be one character or 'whitespace', not ';;'"),
        ({"date_format": "%d.%m.%Y", "dayfirst": True}, "either a date format or day-first dates, not both"),
        ({"date_format": "%Q"}, "The date format '%Q' cannot be used"),
        ({"encoding": "klingon-8"}, "Unknown encoding 'klingon-8'"),
    ],
)
def test_build_refuses_what_cannot_be_read_with_a_message(arguments, message):
    """Bad mappings, delimiters, date formats and encodings raise LayoutError with a message for the user."""
    with pytest.raises(LayoutError, match=message):
        ImportOptions.build(**arguments)


def test_options_round_trip_through_a_dict_and_ignore_unknown_keys():
    """The dict stored on an import run builds the same options back, even with keys from another version."""
    options = ImportOptions(mapping={"amount": "price"}, delimiter=";", encoding="latin-1", dayfirst=True)
    assert ImportOptions.from_dict({**options.to_dict(), "obsolete": 1}) == options
