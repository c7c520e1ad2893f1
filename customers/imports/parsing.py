"""Reading and cleaning purchase files: layouts, column mapping, per-row parsing. No database access.

The import service (customers.imports.services) streams a file through `read_rows` and `RowParser` and
groups the clean rows into transactions; this module decides what a row means and why a row is rejected.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TextIO

from customers.imports.options import FIELDS, REQUIRED_FIELDS, WHITESPACE, ImportOptions, LayoutError
from customers.names import clean_display_name, normalize_product_name

CENTS = Decimal("0.01")
MILLI = Decimal("0.001")
MAX_AMOUNT = Decimal("999999999999.99")  # what Decimal(14, 2) holds
MAX_QUANTITY = Decimal("999999999.999")  # what Decimal(12, 3) holds
MAX_ID_LENGTH = {"transaction_id": 100, "customer_id": 64}
MAX_PRODUCT_NAME = 255
_DAYFIRST = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})\s*$")


@dataclass(frozen=True)
class Layout:
    """Where each field is in a row, resolved against the file's header."""

    header: tuple[str, ...]
    columns: dict[str, int]  # field -> column index

    def has(self, name: str) -> bool:
        return name in self.columns

    @property
    def monetary(self) -> bool:
        return self.has("amount") or (self.has("quantity") and self.has("unit_price"))

    def warnings(self) -> list[str]:
        if self.monetary:
            return []
        return [
            "Monetary values are unavailable: the file has no amount column (and no quantity × unit_price), "
            "so amounts are recorded as zero and monetary RFM values will be zero."
        ]


def resolve_layout(header: list[str], options: ImportOptions) -> Layout:
    """Match the header against the mapping; raise LayoutError naming what is missing before any write."""
    cleaned = tuple(h.strip() for h in header)
    by_name = {h.casefold(): i for i, h in reversed(list(enumerate(cleaned)))}
    columns: dict[str, int] = {}
    missing_mapped = []
    for name, column in options.mapping.items():
        index = by_name.get(column.strip().casefold())
        if index is None:
            missing_mapped.append(f"{name}={column}")
        else:
            columns[name] = index
    if missing_mapped:
        raise LayoutError(
            f"Mapped column(s) not in the file: {', '.join(missing_mapped)}. "
            f"The file's columns are: {', '.join(cleaned) or '(none)'}."
        )
    for name in FIELDS:
        if name not in columns and name in by_name:
            columns[name] = by_name[name]
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    if missing:
        raise LayoutError(
            f"Required column(s) missing: {', '.join(missing)}. The file's columns are: "
            f"{', '.join(cleaned) or '(none)'}. Map them with --map FIELD=COLUMN (a file needs a header row)."
        )
    return Layout(header=cleaned, columns=columns)


def read_rows(stream: TextIO, options: ImportOptions) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, values) for every non-blank row, the header first."""
    if options.delimiter == WHITESPACE:
        for line_no, line in enumerate(stream, start=1):
            values = line.split()
            if values:
                yield line_no, values
        return
    reader = csv.reader(stream, delimiter=options.delimiter)
    for values in reader:
        if any(values):  # a row of empty values is a blank line
            yield reader.line_num, values


@dataclass(slots=True)
class ParsedRow:
    transaction_id: str | None
    customer_id: str
    date: dt.date
    product: tuple[str, str] | None  # (display spelling, normalised name) when the file has products
    quantity: Decimal
    amount: Decimal
    is_return: bool


class RowRejected(ValueError):
    """A row that cannot be used; the message is the reason shown to the user."""


class RowParser:
    """Turns raw values into a ParsedRow, or raises RowRejected with the reason."""

    def __init__(self, layout: Layout, options: ImportOptions):
        self.layout = layout
        self.options = options
        self.width = len(layout.header)
        self._dates: dict[str, dt.date] = {}
        self._products: dict[str, tuple[str, str]] = {}  # raw spelling -> (display name, key)
        self._index = layout.columns

    def parse(self, values: list[str]) -> ParsedRow:
        if len(values) != self.width:
            raise RowRejected(f"row has {len(values)} values, the header has {self.width} columns")
        get = self._value
        customer_id = get(values, "customer_id")
        if not customer_id:
            raise RowRejected("customer_id is empty")
        if len(customer_id) > MAX_ID_LENGTH["customer_id"]:
            raise RowRejected(f"customer_id is longer than {MAX_ID_LENGTH['customer_id']} characters")
        transaction_id = get(values, "transaction_id") if self.layout.has("transaction_id") else None
        if self.layout.has("transaction_id"):
            if not transaction_id:
                raise RowRejected("transaction_id is empty")
            if len(transaction_id) > MAX_ID_LENGTH["transaction_id"]:
                raise RowRejected(f"transaction_id is longer than {MAX_ID_LENGTH['transaction_id']} characters")
        day = self._date(get(values, "date"))

        product = self._product(values[self._index["product_name"]]) if self.layout.has("product_name") else None

        quantity = self._number(values, "quantity", MILLI, MAX_QUANTITY) if self.layout.has("quantity") else None
        if quantity is not None and quantity == 0:
            raise RowRejected("quantity is zero")
        if self.layout.has("amount"):
            amount = self._number(values, "amount", CENTS, MAX_AMOUNT)
        elif quantity is not None and self.layout.has("unit_price"):
            unit_price = self._number(values, "unit_price", Decimal("0.0001"), MAX_AMOUNT)
            amount = (abs(quantity) * abs(unit_price)).quantize(CENTS, rounding=ROUND_HALF_UP)
            if amount > MAX_AMOUNT:
                raise RowRejected("quantity × unit_price is too large")
        else:
            amount = Decimal("0.00")
        quantity = Decimal(1) if quantity is None else quantity
        # A negative quantity or amount marks a returned line: both become negative (refund of goods).
        is_return = quantity < 0 or amount < 0
        if is_return:
            quantity, amount = -abs(quantity), -abs(amount)
        return ParsedRow(transaction_id, customer_id, day, product, quantity, amount, is_return)

    def _product(self, raw: str) -> tuple[str, str]:
        known = self._products.get(raw)
        if known is not None:
            return known
        name = clean_display_name(raw)
        if not name:
            raise RowRejected("product_name is empty")
        if len(name) > MAX_PRODUCT_NAME:
            raise RowRejected(f"product_name is longer than {MAX_PRODUCT_NAME} characters")
        if len(self._products) < 1_000_000:  # a bounded cache: catalogues repeat, free text may not
            self._products[raw] = (name, normalize_product_name(name))
        return name, normalize_product_name(name)

    def _value(self, values: list[str], name: str) -> str:
        return values[self._index[name]].strip()

    def _number(self, values: list[str], name: str, step: Decimal, limit: Decimal) -> Decimal:
        raw = self._value(values, name)
        if not raw:
            raise RowRejected(f"{name} is empty")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise RowRejected(f"{name} {_shorten(raw)!r} is not a number") from None
        if not number.is_finite():
            raise RowRejected(f"{name} {_shorten(raw)!r} is not a finite number")
        number = number.quantize(step, rounding=ROUND_HALF_UP)
        if abs(number) > limit:
            raise RowRejected(f"{name} {_shorten(raw)!r} is out of range")
        return number

    def _date(self, raw: str) -> dt.date:
        cached = self._dates.get(raw)
        if cached is not None:
            return cached
        if not raw:
            raise RowRejected("date is empty")
        try:
            day = self._parse_date(raw)
        except (ValueError, OverflowError):
            raise RowRejected(f"date {_shorten(raw)!r} is not a valid date ({self._date_hint()})") from None
        if day.year < 1900:
            raise RowRejected(f"date {raw!r} is before 1900")
        self._dates[raw] = day
        return day

    def _parse_date(self, raw: str) -> dt.date:
        if self.options.date_format:
            return dt.datetime.strptime(raw, self.options.date_format).date()  # noqa: DTZ007
        if self.options.dayfirst:
            match = _DAYFIRST.match(raw)
            if not match:
                raise ValueError(raw)
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year + 2000 if year < 100 else year, month, day)
        if len(raw) > 10 and raw[10] in "T ":  # ISO date-time: the purchase date is its date part
            return dt.datetime.fromisoformat(raw).date()
        return dt.date.fromisoformat(raw)

    def _date_hint(self) -> str:
        if self.options.date_format:
            return f"expected format {self.options.date_format}"
        return "expected DD/MM/YYYY" if self.options.dayfirst else "expected ISO YYYY-MM-DD"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
