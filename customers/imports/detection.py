"""Reading a purchase file's layout by itself: encoding, delimiter, header, column mapping, date format.

No database access. `layout_detect` looks at the first bytes of a file and returns a `Detection`: what it found,
how sure it is, and the `ImportOptions` it would use. Every entry point (the upload page, the API, the
`import_transactions` command) starts from it; options the user gives explicitly always win.

Rules, in the order they are applied:
- **encoding**: a UTF-8 byte-order mark, or bytes that decode as UTF-8, mean UTF-8; otherwise Windows-1252 when
  every byte is defined there, else Latin-1 (which decodes anything);
- **delimiter**: the one of `, ; TAB |` that splits the sample's lines into the same number (> 1) of fields most
  consistently (quotes respected); failing that, runs of spaces when they split every line alike;
- **header**: the first row is a header when it matches known column names, or when its cells are not numbers or
  dates while the rows below are;
- **mapping**: each field is matched by name (many spellings and languages' common forms, see `FIELD_NAMES`), then
  checked against the values (a date column must hold dates, money columns numbers); fields still missing are
  guessed from the values alone (a column of dates is the date, a column of decimals the amount);
- **dates**: every candidate format (`DATE_FORMATS`) is tried on the sample's dates; one that reads them all wins.
  When day-first and month-first both read every value (all days ≤ 12), the detection refuses to guess and
  says so (`date_ambiguous`): the user must choose.
"""

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from customers.imports.options import FIELDS, REQUIRED_FIELDS, WHITESPACE, ImportOptions
from customers.imports.vocabulary import DATE_FORMATS, FIELD_NAMES, FIELD_WORDS, ISO_FORMATS

SAMPLE_BYTES = 256 * 1024
SAMPLE_ROWS = 1_000
DELIMITERS = (",", ";", "\t", "|")
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


_NUMBER = re.compile(r"^[-+]?(\d+([.,]\d*)?|[.,]\d+)$")
# What a date (with an optional time) can look like; only values of this shape are tried against DATE_FORMATS.
_DATE_SHAPE = re.compile(r"^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{8})([ T]\d{1,2}:\d{2}(:\d{2})?)?$")
_DAY_OR_MONTH = re.compile(r"%[dm]")
_INTEGER = re.compile(r"^[-+]?\d+$")
_FOLD = re.compile(r"[^0-9a-z]+")


def fold_name(name: str) -> str:
    """A column name as it is compared: case-folded, accents and punctuation gone ("Member_number" -> "membernumber",
    "Stück" -> "stuck")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return _FOLD.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


@dataclass(frozen=True)
class DateGuess:
    """What the dates of a column look like: the format that reads them, or why none was chosen."""

    date_format: str | None  # a strptime format; None with `iso` true means the importer's ISO default
    iso: bool = False
    ambiguous: bool = False  # day-first and month-first both read every value
    candidates: tuple[str, ...] = ()  # the formats that read every value
    note: str = ""


@dataclass(frozen=True)
class Detection:
    """A file's layout as read from its first bytes, and how sure the reading is."""

    encoding: str
    delimiter: str
    has_header: bool
    header: list[str]
    mapping: dict[str, str]  # field -> column name
    dates: DateGuess
    rows_sampled: int
    notes: list[str] = field(default_factory=list)  # what was detected, in words, for the user

    @property
    def missing(self) -> list[str]:
        """Required fields no column was found for."""
        return [name for name in REQUIRED_FIELDS if name not in self.mapping]

    @property
    def needs_input(self) -> bool:
        """Whether the user must choose something before an import can run (a missing field, ambiguous dates)."""
        return bool(self.missing) or self.dates.ambiguous or not self.has_header

    def options(self, *, keep_duplicates: bool = False) -> ImportOptions:
        """The options an import would use (dates left to the ISO default when they are ambiguous)."""
        return ImportOptions.build(
            mapping=self.mapping,
            delimiter=self.delimiter,
            encoding=self.encoding,
            date_format=None if self.dates.iso or self.dates.ambiguous else self.dates.date_format,
            keep_duplicates=keep_duplicates,
        )

    def summary(self) -> str:
        """One line for a terminal: what was detected."""
        delimiter = {"\t": "tab", WHITESPACE: "spaces", ",": "comma", ";": "semicolon", "|": "pipe"}[self.delimiter]
        mapped = ", ".join(f"{name}={column}" for name, column in self.mapping.items())
        dates = "ambiguous" if self.dates.ambiguous else ("ISO" if self.dates.iso else self.dates.date_format)
        return f"encoding {self.encoding}, delimiter {delimiter}, columns {mapped or '(none)'}, dates {dates}"


def encoding_detect(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 when every byte is defined there, else Latin-1."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)  # a character cut at the end is fine
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _lines(text: str, limit: int) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end in the middle of a line
    return lines[:limit]


def _split(lines: Sequence[str], delimiter: str) -> list[list[str]]:
    if delimiter == WHITESPACE:
        return [line.split() for line in lines]
    return [row for row in csv.reader(lines, delimiter=delimiter) if any(row)]


def delimiter_detect(lines: Sequence[str]) -> str:
    """The delimiter that splits the lines into one consistent number of fields (> 1); spaces as a last resort."""
    best, best_score = ",", 0.0
    for delimiter in DELIMITERS:
        rows = _split(lines, delimiter)
        widths = Counter(len(row) for row in rows)
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        if width < 2:
            continue
        score = count / len(rows) + width / 1000  # consistency first; more fields breaks ties
        if score > best_score:
            best, best_score = delimiter, score
    if best_score >= 0.9:
        return best
    rows = _split(lines, WHITESPACE)
    widths = Counter(len(row) for row in rows)
    if widths:
        width, count = widths.most_common(1)[0]
        if width >= 2 and count / len(rows) >= 0.9 and count / len(rows) > best_score:
            return WHITESPACE
    return best


def _is_number(value: str) -> bool:
    return bool(_NUMBER.match(value.strip().replace(" ", "")))


def _parses(value: str, date_format: str) -> bool:
    try:
        dt.datetime.strptime(value.strip(), date_format)  # noqa: DTZ007 (a calendar date, no zone)
    except ValueError:
        return False
    return True


def _looks_like_date(value: str) -> bool:
    """The shape of a date (cheap: no parsing); `date_format_detect` decides which format, if any, reads it."""
    return bool(_DATE_SHAPE.match(value.strip()))


def header_detect(rows: Sequence[Sequence[str]]) -> bool:
    """Whether the first row names the columns: it matches known names, or its cells are text where the rows
    below hold numbers or dates."""
    if not rows:
        return False
    first = rows[0]
    if any(_field_by_name(cell) for cell in first):
        return True
    body = rows[1 : 1 + 50]
    if not body:
        return not any(_is_number(c) or _looks_like_date(c) for c in first)
    for index, cell in enumerate(first):
        column = [row[index] for row in body if index < len(row) and row[index].strip()]
        typed = sum(_is_number(v) or _looks_like_date(v) for v in column)
        if column and typed / len(column) > 0.8 and not (_is_number(cell) or _looks_like_date(cell)):
            return True
    return False


def _field_by_name(column: str) -> str | None:
    folded = fold_name(column)
    for name, spellings in FIELD_NAMES.items():
        if folded in spellings:
            return name
    return None


def date_format_detect(values: Iterable[str]) -> DateGuess:
    """The format that reads every value; refuses to choose between day-first and month-first when both do."""
    sample = [v.strip() for v in values if v and v.strip()][:SAMPLE_ROWS]
    if not sample:
        return DateGuess(None, note="no dates to look at")
    fitting = [f for f in DATE_FORMATS if all(_parses(v, f) for v in sample)]
    if not fitting:
        return DateGuess(None, note=f"no known date format reads {sample[0]!r}")
    iso = [f for f in fitting if f in ISO_FORMATS]
    if iso:
        return DateGuess(iso[0], iso=True, candidates=tuple(fitting), note="ISO dates (YYYY-MM-DD)")
    chosen = fitting[0]
    swapped = _DAY_OR_MONTH.sub(lambda m: "%m" if m.group() == "%d" else "%d", chosen)
    swapped_fits = "%d" in chosen and "%m" in chosen and swapped in fitting
    if swapped_fits:
        return DateGuess(
            None,
            ambiguous=True,
            candidates=(chosen, swapped),
            note=(
                f"dates like {sample[0]!r} read both as {chosen} and as {swapped} (no day above 12 in the sample): "
                "choose the format"
            ),
        )
    return DateGuess(chosen, candidates=tuple(fitting), note=f"dates in the format {chosen}")


def _column_kind(values: Sequence[str]) -> str:
    """ "date", "integer", "decimal" or "text" for the values of one column (empty values ignored)."""
    present = [v.strip() for v in values if v.strip()]
    if not present:
        return "empty"
    if sum(_looks_like_date(v) for v in present) / len(present) > 0.95:
        return "date"
    if all(_INTEGER.match(v) for v in present):
        return "integer"
    if sum(_is_number(v) for v in present) / len(present) > 0.95:
        return "decimal"
    return "text"


def mapping_guess(header: Sequence[str], rows: Sequence[Sequence[str]]) -> dict[str, str]:
    """Field -> column: by name (exact spellings, then words), checked against the values, then by values alone."""
    columns = [h.strip() for h in header]
    kinds = {i: _column_kind([row[i] for row in rows if i < len(row)]) for i in range(len(columns))}
    taken: set[int] = set()
    found: dict[str, int] = {}

    def fits(name: str, index: int) -> bool:
        kind = kinds[index]
        if name == "date":
            return kind in ("date", "empty")
        if name in ("quantity", "unit_price", "amount"):
            return kind in ("integer", "decimal", "empty")
        if name == "product_name":
            return kind != "date"
        return kind not in ("date", "decimal")  # ids: text or integers

    for name in FIELDS:  # exact spellings
        for index, column in enumerate(columns):
            if index not in taken and fold_name(column) in FIELD_NAMES[name] and fits(name, index):
                found[name] = index
                taken.add(index)
                break
    for name in FIELDS:  # a known word inside the column name
        if name in found:
            continue
        for index, column in enumerate(columns):
            folded = fold_name(column)
            if index not in taken and any(word in folded for word in FIELD_WORDS[name]) and fits(name, index):
                found[name] = index
                taken.add(index)
                break
    if "date" not in found:  # values alone: the first column of dates
        dates = [i for i in range(len(columns)) if kinds[i] == "date" and i not in taken]
        if dates:
            found["date"] = dates[0]
            taken.add(dates[0])
    if "amount" not in found and not ("quantity" in found and "unit_price" in found):
        decimals = [i for i in range(len(columns)) if kinds[i] == "decimal" and i not in taken]
        if len(decimals) == 1:
            found["amount"] = decimals[0]
            taken.add(decimals[0])
    return {name: columns[index] for name, index in sorted(found.items(), key=lambda kv: FIELDS.index(kv[0]))}


def layout_detect(raw: bytes) -> Detection:
    """Everything about a file's layout that its first bytes tell (pass up to SAMPLE_BYTES of them)."""
    raw = raw[:SAMPLE_BYTES]
    encoding = encoding_detect(raw)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw, final=False)
    lines = _lines(text, SAMPLE_ROWS + 1)
    delimiter = delimiter_detect(lines)
    rows = _split(lines, delimiter)
    has_header = header_detect(rows)
    if has_header:
        header, body = [c.strip() for c in rows[0]], rows[1:]
    else:
        width = max((len(r) for r in rows), default=0)
        header, body = [f"column_{i + 1}" for i in range(width)], rows
    mapping = mapping_guess(header, body)
    dates = (
        date_format_detect(
            row[header.index(mapping["date"])] for row in body if header.index(mapping["date"]) < len(row)
        )
        if "date" in mapping
        else DateGuess(None, note="no date column found")
    )
    notes = [f"encoding {encoding}", f"{len(body)} sample rows"]
    if not has_header:
        notes.append("the first row holds values, not column names: the file needs a header row")
    notes += [f"{name} ← {column!r}" for name, column in mapping.items()]
    if dates.note:
        notes.append(dates.note)
    missing = [name for name in REQUIRED_FIELDS if name not in mapping]
    if missing:
        notes.append(f"no column found for: {', '.join(missing)}")
    return Detection(
        encoding=encoding,
        delimiter=delimiter,
        has_header=has_header,
        header=header,
        mapping=mapping,
        dates=dates,
        rows_sampled=len(body),
        notes=notes,
    )


def sample_text(raw: bytes, encoding: str) -> io.StringIO:
    """The sample decoded as the importer would read it (a cut character at the end is dropped)."""
    return io.StringIO(codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw, final=False))
