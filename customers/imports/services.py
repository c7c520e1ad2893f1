"""Import a purchase file: stream, clean and group it, then write it all or nothing.

Two phases. Reading parses every row (rejecting what cannot be used, dropping exact duplicates) and groups
line items into transactions; it holds the grouped transactions, never the raw file. Writing happens in one
database transaction, so an error or an interruption leaves every domain table exactly as it was; only the
`ImportRun` row, written outside that transaction, records what happened.

Identity makes re-imports safe: a transaction whose id is already in the database is skipped whole (counted
as existing), so importing the same file again adds nothing and an overlapping file adds only what is new.
Files without a transaction id get one per customer per day: "<customer id>:<YYYYMMDD>".
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO, TypedDict

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from customers.bulk import bulk_insert, chunked, db_datetime, refresh_statistics
from customers.exceptions import ApplicationError
from customers.imports.options import ImportOptions, LayoutError
from customers.imports.parsing import Layout, RowParser, RowRejected, read_rows, resolve_layout
from customers.locks import IMPORT_WRITE_LOCK
from customers.models import Customer, ImportRun, Product, Transaction, TransactionItem
from customers.progress import Progress, progress_silent
from customers.rules import is_return_transaction

logger = logging.getLogger(__name__)

ITEM_BATCH = 50_000
PROGRESS_EVERY_ROWS = 20_000


class ImportFailed(ApplicationError):
    """The import could not be completed; nothing was written. `run` records why."""

    def __init__(self, message: str, *, run: ImportRun):
        super().__init__(message, code="import_failed", extra={"import_run": run.pk})
        self.run = run


class RejectedRow(TypedDict):
    """A row that could not be imported, as kept on ImportRun.rejected_rows."""

    line: int
    reason: str
    values: list[str]


@dataclass(slots=True)
class _Basket:
    customer_id: str
    date: dt.date
    first_line: int
    total: Decimal = Decimal("0.00")
    units: Decimal = Decimal("0")
    rows: int = 0
    return_rows: int = 0
    items: dict[str, list[Decimal]] | None = None  # product key -> [quantity, amount]


@dataclass
class _ReadResult:
    layout: Layout
    baskets: dict[str, _Basket] = field(default_factory=dict)
    product_names: dict[str, str] = field(default_factory=dict)  # key -> first-seen display name
    rows_read: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_run_create(
    *, source_name: str, options: ImportOptions, created_by: User | None = None, status: str = ImportRun.Status.QUEUED
) -> ImportRun:
    """Record an import before it runs (the upload page queues one and shows it at once)."""
    return ImportRun.objects.create(
        source_name=source_name[:255], options=options.to_dict(), created_by=created_by, status=status
    )


def transactions_import_csv(
    *,
    path: Path,
    options: ImportOptions,
    source_name: str | None = None,
    run: ImportRun | None = None,
    created_by: User | None = None,
    progress: Progress = progress_silent,
) -> ImportRun:
    """Import one purchase file. Returns the finished `ImportRun`; raises `ImportFailed` (recorded on the run)
    when the file cannot be imported. Re-running a failed or interrupted run is safe."""
    path = Path(path)
    if run is None:
        run = import_run_create(source_name=source_name or path.name, options=options, created_by=created_by)
    elif run.status == ImportRun.Status.SUCCEEDED:
        return run  # a retried task: the work is done
    run.status, run.phase, run.error = ImportRun.Status.RUNNING, "reading", ""
    run.started_at, run.finished_at = timezone.now(), None
    run.size_bytes = path.stat().st_size
    run.sha256 = _file_sha256(path)
    run.progress_done, run.progress_total = 0, run.size_bytes
    _reset_counts(run)
    run.save()
    try:
        result = _read(path, options, run, progress)
        run.phase = "writing"
        ImportRun.objects.filter(pk=run.pk).update(phase="writing", progress_done=run.size_bytes)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_WRITE_LOCK])
            _write(result, run)
            _record_counts(run, result)
            run.status, run.phase, run.finished_at = ImportRun.Status.SUCCEEDED, "", timezone.now()
            run.save()
        refresh_statistics(Customer, Product, Transaction, TransactionItem)
    except (LayoutError, UnicodeError, RowRejected) as exc:
        raise _fail(run, _explain(exc, options)) from exc
    except BaseException as exc:  # an interruption or a bug: nothing was written; say so on the run
        _fail(run, f"Import failed and was rolled back, nothing was written: {type(exc).__name__}: {exc}")
        raise
    logger.debug(
        "import %s: %s rows read, %s imported, %s duplicate, %s existing, %s rejected",
        run.pk,
        run.rows_read,
        run.rows_imported,
        run.rows_duplicate,
        run.rows_existing,
        run.rows_rejected,
    )
    return run


def _reset_counts(run: ImportRun) -> None:
    for name in ("rows_read", "rows_imported", "rows_duplicate", "rows_existing", "rows_rejected"):
        setattr(run, name, 0)
    run.transactions_created = run.customers_created = run.products_created = 0
    run.rejected_rows, run.warnings = [], []


def _fail(run: ImportRun, message: str) -> ImportFailed:
    _reset_counts(run)
    run.status, run.phase, run.error, run.finished_at = ImportRun.Status.FAILED, "", message, timezone.now()
    run.save()
    return ImportFailed(message, run=run)


def _explain(exc: Exception, options: ImportOptions) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"The file is not valid {options.encoding} text (byte 0x{exc.object[exc.start]:02x} cannot be decoded). "
            "Choose its encoding (e.g. --encoding cp1252 or latin-1)."
        )
    return str(exc)


def _read(path: Path, options: ImportOptions, run: ImportRun, progress: Progress) -> _ReadResult:
    with path.open("r", encoding=options.encoding, newline="") as stream:
        rows = read_rows(stream, options)
        try:
            _, header = next(rows)
        except StopIteration:
            raise LayoutError("The file is empty: it needs a header row and at least one data row.") from None
        layout = resolve_layout(header, options)
        result = _ReadResult(layout=layout)
        parser = RowParser(layout, options)
        seen: set[bytes] = set()
        baskets = result.baskets
        has_products = layout.has("product_name")
        keep_duplicates = options.keep_duplicates
        for line_no, values in rows:
            result.rows_read += 1
            if result.rows_read % PROGRESS_EVERY_ROWS == 0:
                _report_progress(run, stream, progress)
            if not keep_duplicates:
                digest = hashlib.blake2b("\x1f".join(values).encode(), digest_size=16).digest()
                if digest in seen:
                    result.rows_duplicate += 1
                    continue
                seen.add(digest)
            try:
                row = parser.parse(values)
                key = row.transaction_id or f"{row.customer_id}:{row.date:%Y%m%d}"
                basket = baskets.get(key)
                if basket is None:
                    basket = baskets[key] = _Basket(row.customer_id, row.date, line_no)
                    if has_products:
                        basket.items = {}
                elif basket.customer_id != row.customer_id or basket.date != row.date:
                    raise RowRejected(
                        f"transaction {key} was already read with customer {basket.customer_id} on "
                        f"{basket.date:%Y-%m-%d} (line {basket.first_line})"
                    )
            except RowRejected as exc:
                result.rows_rejected += 1
                if len(result.rejected) < ImportRun.MAX_REJECTED_KEPT:
                    result.rejected.append({"line": line_no, "reason": str(exc), "values": values[:12]})
                continue
            basket.rows += 1
            basket.total += row.amount
            basket.units += row.quantity
            basket.return_rows += row.is_return
            if basket.items is not None and row.product is not None:
                product_name, product_key = row.product
                line = basket.items.get(product_key)
                if line is None:
                    basket.items[product_key] = [row.quantity, row.amount]
                    result.product_names.setdefault(product_key, product_name)
                else:  # the same product twice in one transaction: one line, summed
                    line[0] += row.quantity
                    line[1] += row.amount
        _report_progress(run, stream, progress)
    if result.rows_read == 0:
        raise LayoutError("The file has a header but no data rows.")
    return result


def _report_progress(run: ImportRun, stream: TextIO, progress: Progress) -> None:
    try:
        done = stream.buffer.tell()
    except (AttributeError, OSError, ValueError):
        return
    ImportRun.objects.filter(pk=run.pk).update(progress_done=done)
    progress(done, run.size_bytes, "reading")


def _lookup(model: type[Customer | Product | Transaction], key_field: str, keys: list[str]) -> dict[str, int]:
    size = 20_000 if connection.vendor == "postgresql" else 900
    found: dict[str, int] = {}
    for chunk in chunked(keys, size):
        found.update(model.objects.filter(**{f"{key_field}__in": chunk}).values_list(key_field, "pk"))
    return found


def _write(result: _ReadResult, run: ImportRun) -> None:
    baskets = result.baskets
    existing = _lookup(Transaction, "external_id", list(baskets)) if Transaction.objects.exists() else {}
    new_keys = [key for key in baskets if key not in existing]
    run.rows_existing = sum(baskets[key].rows for key in existing)
    run.rows_imported = sum(baskets[key].rows for key in new_keys)
    now = db_datetime(timezone.now())

    customer_ids = sorted({baskets[key].customer_id for key in new_keys})
    customers = _lookup(Customer, "external_id", customer_ids)
    missing = [c for c in customer_ids if c not in customers]
    run.customers_created = bulk_insert(
        Customer, ["external_id", "name", "email", "created_at", "updated_at"], ((c, "", "", now, now) for c in missing)
    )
    if missing:
        customers.update(_lookup(Customer, "external_id", missing))

    product_keys = sorted({p for key in new_keys for p in (baskets[key].items or ())})
    products = _lookup(Product, "normalized_name", product_keys)
    missing = [p for p in product_keys if p not in products]
    names = result.product_names
    run.products_created = bulk_insert(
        Product,
        ["name", "normalized_name", "category", "sku", "created_at", "updated_at"],
        ((names[p], p, "", "", now, now) for p in missing),
    )
    if missing:
        products.update(_lookup(Product, "normalized_name", missing))

    run.transactions_created = bulk_insert(
        Transaction,
        ["external_id", "customer", "date", "total_amount", "units", "is_return", "import_run", "created_at"],
        (
            (
                key,
                customers[b.customer_id],
                b.date,
                b.total,
                b.units,
                is_return_transaction(total=b.total, lines=b.rows, return_lines=b.return_rows),
                run.pk,
                now,
            )
            for key in new_keys
            for b in (baskets[key],)
        ),
    )
    txn_ids = dict(Transaction.objects.filter(import_run=run).values_list("external_id", "pk"))
    items = (
        (txn_ids[key], products[product], quantity, amount)
        for key in new_keys
        for product, (quantity, amount) in (baskets[key].items or {}).items()
    )
    for batch in chunked(items, ITEM_BATCH):
        bulk_insert(TransactionItem, ["transaction", "product", "quantity", "amount"], batch)


def _record_counts(run: ImportRun, result: _ReadResult) -> None:
    run.rows_read = result.rows_read
    run.rows_duplicate = result.rows_duplicate
    run.rows_rejected = result.rows_rejected
    run.rejected_rows = result.rejected
    run.warnings = result.layout.warnings()
    if result.rows_rejected > len(result.rejected):
        run.warnings.append(
            f"{result.rows_rejected} rows were rejected; the first {len(result.rejected)} are listed with reasons."
        )
