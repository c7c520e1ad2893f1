"""Uploaded files kept on disk until their import is started (the upload page previews a file first).

A staged file is named by an unguessable token; only that token reaches the browser or an API client.
"""

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from customers.exceptions import ApplicationError

UPLOAD_DIR = "imports"
UNKNOWN_UPLOAD = "The uploaded file is no longer available; upload it again."
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class StagedFile:
    token: str
    name: str
    path: Path
    size: int


def upload_limit_message(*, size: int) -> str | None:
    """Why a file of `size` bytes is refused, or None when it is within IMPORT_MAX_UPLOAD_BYTES."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        return f"The file is too large ({size / 1e6:.1f} MB); the limit is {limit / 1e6:.0f} MB."
    return None


def _staging_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_stage(*, upload: UploadedFile[bytes]) -> StagedFile:
    """Store an upload under an unguessable token; refuse empty and oversized files."""
    too_large = upload_limit_message(size=upload.size or 0)
    if too_large:
        raise ApplicationError(too_large, code="too_large")
    if not upload.size:
        raise ApplicationError("The file is empty.", code="empty_file")
    name = get_valid_filename(Path(upload.name or "upload.csv").name)[:100] or "upload.csv"
    token = uuid.uuid4().hex
    path = _staging_dir() / f"{token}-{name}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return StagedFile(token=token, name=name, path=path, size=path.stat().st_size)


def staged_file_get(*, token: str) -> StagedFile:
    if not _TOKEN.fullmatch(token or ""):
        raise ApplicationError("Unknown upload.", code="unknown_upload")
    matches = list(_staging_dir().glob(f"{token}-*"))
    if not matches:
        raise ApplicationError(UNKNOWN_UPLOAD, code="unknown_upload")
    path = matches[0]
    return StagedFile(token=token, name=path.name[len(token) + 1 :], path=path, size=path.stat().st_size)
