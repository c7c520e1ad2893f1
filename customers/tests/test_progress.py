"""The one progress type: silent by default, printed lines for commands (no database)."""

import re

from customers.progress import progress_printer, progress_silent


class Lines:
    """Collects what is written, one message per call, as a command's stdout does."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, msg: str) -> None:
        self.written.append(msg)


def test_the_printer_writes_each_new_message_once_with_the_elapsed_time():
    """Repeated messages are written once, each prefixed by the seconds elapsed."""
    out = Lines()
    progress = progress_printer(out)
    for message in ("reading", "reading", "writing"):
        progress(0, 0, message)
    assert [re.sub(r"^\[ *\d+\.\ds\] ", "", line) for line in out.written] == ["reading", "writing"]
    assert all(re.match(r"^\[ *\d+\.\ds\] ", line) for line in out.written)


def test_a_disabled_printer_and_the_silent_progress_write_nothing():
    """With --json a command's printer is disabled; services default to reporting nothing."""
    out = Lines()
    progress_printer(out, enabled=False)(1, 2, "reading")
    assert out.written == []
    assert progress_silent(1, 2, "reading") is None
