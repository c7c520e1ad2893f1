"""Staged uploads: stored under an unguessable token until their import starts; empty and oversized files refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.exceptions import ApplicationError
from customers.imports.staging import UNKNOWN_UPLOAD, staged_file_get, upload_limit_message, upload_stage


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_staged_upload_is_found_again_by_its_token_only(tmp_path):
    """The file is stored under a random token with a safe name, and the token gives it back."""
    content = b"customer_id,date\n1,2024-01-01\n"
    staged = upload_stage(upload=SimpleUploadedFile("../my shop.csv", content))
    assert len(staged.token) == 32
    assert (staged.name, staged.size) == ("my_shop.csv", len(content))
    assert staged.path.read_bytes() == content
    assert staged.path.parent == tmp_path / "imports"
    assert staged_file_get(token=staged.token) == staged


@pytest.mark.parametrize("token", ["", "../etc", "0" * 31, "g" * 32])
def test_a_malformed_token_is_an_unknown_upload(token):
    """Anything but 32 hex digits is refused before the file system is looked at."""
    with pytest.raises(ApplicationError, match="Unknown upload") as excinfo:
        staged_file_get(token=token)
    assert excinfo.value.code == "unknown_upload"


def test_a_token_without_its_file_says_to_upload_again():
    """A well-formed token whose file is gone asks the user to upload the file again."""
    with pytest.raises(ApplicationError) as excinfo:
        staged_file_get(token="0" * 32)
    assert excinfo.value.message == UNKNOWN_UPLOAD


def test_empty_and_oversized_uploads_are_refused(settings):
    """An empty file and one above IMPORT_MAX_UPLOAD_BYTES are refused with their own codes."""
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ApplicationError) as excinfo:
        upload_stage(upload=SimpleUploadedFile("big.csv", b"x" * 11))
    assert (excinfo.value.code, excinfo.value.message) == ("too_large", upload_limit_message(size=11))
    with pytest.raises(ApplicationError) as excinfo:
        upload_stage(upload=SimpleUploadedFile("empty.csv", b""))
    assert (excinfo.value.code, excinfo.value.message) == ("empty_file", "The file is empty.")


def test_the_limit_message_gives_the_size_and_the_limit_in_megabytes(settings):
    """Within the limit there is no message; above it the message gives both sizes."""
    settings.IMPORT_MAX_UPLOAD_BYTES = 50_000_000
    assert upload_limit_message(size=50_000_000) is None
    assert upload_limit_message(size=62_500_000) == "The file is too large (62.5 MB); the limit is 50 MB."
