"""Progress lines for long commands: `[  12.3s] message`, silent when the command prints JSON."""

import time
from collections.abc import Callable


def progress_writer(stdout, *, enabled: bool = True) -> Callable[[str], None]:
    started = time.perf_counter()

    def write(message: str) -> None:
        if enabled:
            stdout.write(f"[{time.perf_counter() - started:6.1f}s] {message}")

    return write
