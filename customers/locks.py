"""Locks that serialise work across the processes sharing one database (web, task workers, cron).

PostgreSQL: session advisory locks (released when the connection ends, so a killed process never leaves one
held). SQLite: `flock` on a file beside the database (released by the operating system when the process dies).
"""

import fcntl
import hashlib
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

PIPELINE_LOCK = 7_114_002  # one pipeline run, or one write of derived tables (RFM, scores, recommendations)
IMPORT_WRITE_LOCK = 7_114_001  # one import writing at a time (taken inside its transaction)

_held = threading.local()  # key -> depth: a holder may take the same lock again (a step inside a run)


def _lock_file(key: int) -> Path:
    name = str(connection.settings_dict.get("NAME") or "")
    if name and name != ":memory:" and not name.startswith("file:"):
        return Path(f"{name}.lock-{key}")
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"smart-loyalty-{digest}.lock-{key}"


@contextmanager
def exclusive_lock(*, key: int, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock `key` for the duration of the block, waiting for another holder to finish (`on_wait` is
    called once when that happens, e.g. to say so on a job's progress). Re-entrant within a thread."""
    depth: dict[int, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    depth[key] = 1
    try:
        with _acquired(key, on_wait):
            yield
    finally:
        depth[key] = 0


@contextmanager
def _acquired(key: int, on_wait: Callable[[], None] | None) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
            if not acquired:
                if on_wait is not None:
                    on_wait()
                cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    with _lock_file(key).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
