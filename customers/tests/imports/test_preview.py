"""The upload page's preview: the header and first rows as the chosen options read them (no database)."""

from customers.imports.options import ImportOptions
from customers.imports.preview import file_preview


def test_preview_shows_the_header_and_the_first_rows():
    """The header (trimmed) and at most `rows` data rows are shown."""
    raw = b"customer_id, date\n" + b"".join(f"{n},2024-01-0{n}\n".encode() for n in range(1, 6))
    preview = file_preview(raw=raw, options=ImportOptions(), rows=3)
    assert preview == {
        "header": ["customer_id", "date"],
        "rows": [["1", "2024-01-01"], ["2", "2024-01-02"], ["3", "2024-01-03"]],
    }


def test_preview_follows_the_delimiter_so_a_wrong_one_shows_one_column():
    """With the wrong delimiter every line is one value, so the user sees that the choice is wrong."""
    raw = b"client;day\n501;05/01/2024\n"
    assert file_preview(raw=raw, options=ImportOptions())["header"] == ["client;day"]
    assert file_preview(raw=raw, options=ImportOptions(delimiter=";"))["rows"] == [["501", "05/01/2024"]]


def test_undecodable_bytes_and_empty_files_are_shown_not_raised():
    """Bytes invalid in the encoding are replaced, and an empty file previews as nothing."""
    assert file_preview(raw=b"caf\xe9,x\n", options=ImportOptions())["header"] == ["caf\ufffd", "x"]
    assert file_preview(raw=b"", options=ImportOptions()) == {"header": [], "rows": []}
