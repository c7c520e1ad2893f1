"""Project-wide pytest fixtures."""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"


def shared_data_file(name: str) -> Path:
    """A file from ../shared/data: skipped with a message when absent, a failure under CI=true."""
    path = SHARED_DATA / name
    if not path.exists():
        message = f"{path} is not available (tests on the shared CDNOW data need ../shared/data/)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
