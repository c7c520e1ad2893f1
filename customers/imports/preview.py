"""The first rows of an uploaded file as read with given options, for the upload page (no database access)."""

import io
from collections.abc import Iterator
from typing import Any

from customers.imports.options import ImportOptions
from customers.imports.parsing import read_rows


def file_preview(*, raw: bytes, options: ImportOptions, rows: int = 10) -> dict[str, Any]:
    """The header and first rows of a file's first bytes (no LayoutError here: the page shows what it found so
    the user can fix the mapping)."""
    text = raw.decode(options.encoding, errors="replace")
    found = list(_take(read_rows(io.StringIO(text), options), rows + 1))
    header = found[0][1] if found else []
    return {"header": [h.strip() for h in header], "rows": [values for _, values in found[1:]]}


def _take[T](iterator: Iterator[T], count: int) -> Iterator[T]:
    for i, item in enumerate(iterator):
        if i >= count:
            return
        yield item
