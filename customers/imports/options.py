"""How to read a purchase file: the one `ImportOptions` that the command, the API and the upload form build.

No database access. `ImportOptions.build` takes the loose values every entry point receives (a delimiter typed as
"\\t" or "tab", an empty date format, a mapping from a form) and returns validated options, or raises
`LayoutError` with a message for the user.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

FIELDS = ("transaction_id", "customer_id", "date", "product_name", "quantity", "amount", "unit_price")
REQUIRED_FIELDS = ("customer_id", "date")
WHITESPACE = "whitespace"
DEFAULT_ENCODING = "utf-8-sig"
_DELIMITER_ALIASES = {"\\t": "\t", "tab": "\t", "TAB": "\t", "space": WHITESPACE, "spaces": WHITESPACE}


class LayoutError(ValueError):
    """The file's layout does not match the options: nothing can be imported, nothing is written."""


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file. `mapping` maps a field to a column of the header; unmapped fields whose name is a
    column (case-insensitive) map to it."""

    mapping: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","
    encoding: str = DEFAULT_ENCODING
    date_format: str | None = None
    dayfirst: bool = False
    keep_duplicates: bool = False

    def __post_init__(self) -> None:
        unknown = sorted(set(self.mapping) - set(FIELDS))
        if unknown:
            raise LayoutError(f"Unknown field(s) in the mapping: {', '.join(unknown)}. Fields: {', '.join(FIELDS)}.")
        if self.delimiter != WHITESPACE and len(self.delimiter) != 1:
            raise LayoutError(f"The delimiter must be one character or '{WHITESPACE}', not {self.delimiter!r}.")
        if self.date_format and self.dayfirst:
            raise LayoutError("Give either a date format or day-first dates, not both.")
        if self.date_format:
            try:
                dt.datetime.strptime(dt.date(2001, 2, 3).strftime(self.date_format), self.date_format)  # noqa: DTZ007
            except ValueError as exc:
                raise LayoutError(f"The date format {self.date_format!r} cannot be used: {exc}.") from exc
        try:
            "".encode(self.encoding)
        except LookupError as exc:
            raise LayoutError(f"Unknown encoding {self.encoding!r}.") from exc

    @classmethod
    def build(
        cls,
        *,
        mapping: dict[str, str] | None = None,
        delimiter: str | None = ",",
        encoding: str | None = DEFAULT_ENCODING,
        date_format: str | None = None,
        dayfirst: bool = False,
        keep_duplicates: bool = False,
    ) -> "ImportOptions":
        """Options from what a user typed: delimiter aliases ("\\t", "tab", "whitespace"), blank values meaning
        the default. Raises LayoutError."""
        delimiter = delimiter or ","
        return cls(
            mapping={name: column for name, column in (mapping or {}).items() if column},
            delimiter=_DELIMITER_ALIASES.get(delimiter, delimiter),
            encoding=encoding or DEFAULT_ENCODING,
            date_format=date_format or None,
            dayfirst=bool(dayfirst),
            keep_duplicates=bool(keep_duplicates),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ImportOptions":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
