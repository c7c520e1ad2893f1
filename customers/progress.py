"""The one progress type of every long service: `progress(done, total, message)`.

`done` and `total` count whatever the service counts (bytes read, steps taken); `total` is 0 when unknown.
Commands turn it into lines or a bar (`progress_printer`), jobs into a status row, tests into a list.
"""

import time
from collections.abc import Callable
from typing import Protocol

Progress = Callable[[int, int, str], None]


def progress_silent(done: int, total: int, message: str) -> None:
    """The default: report nothing."""


class _Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


def progress_printer(stdout: _Writer, *, enabled: bool = True) -> Progress:
    """`[  12.3s] message` lines for a management command; silent when the command prints JSON."""
    started = time.perf_counter()
    last = [""]

    def write(done: int, total: int, message: str) -> None:
        if enabled and message != last[0]:
            last[0] = message
            stdout.write(f"[{time.perf_counter() - started:6.1f}s] {message}")

    return write
