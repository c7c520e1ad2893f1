"""Serializer fields and shared response shapes for the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ID_LENGTH = 64


@extend_schema_field(OpenApiTypes.STR)
class CustomerIdField(serializers.Field):
    """A customer id as text. A JSON integer is accepted and used as its text ("00042" and 42 differ: send ids
    with leading zeros as strings)."""

    default_error_messages = {
        "type": "customer_id must be a string or an integer.",
        "blank": "customer_id must not be empty.",
        "length": f"customer_id must be at most {MAX_ID_LENGTH} characters.",
        "characters": "customer_id must be valid text without NUL characters.",
    }

    def to_internal_value(self, data) -> str:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("type")
        value = str(data).strip()
        if "\x00" in value or not _encodable(value):
            self.fail("characters")
        if not value:
            self.fail("blank")
        if len(value) > MAX_ID_LENGTH:
            self.fail("length")
        return value

    def to_representation(self, value) -> str:
        return str(value)


class ErrorSerializer(serializers.Serializer):
    """Every error of the versioned API."""

    error = serializers.CharField(help_text="What went wrong, in one sentence.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found, invalid, no_model.")
    details = serializers.DictField(required=False, help_text="Field errors of invalid input.")


class SeedErrorSerializer(serializers.Serializer):
    """Every error of the seed-compatible endpoints."""

    error = serializers.CharField()


def _encodable(value: str) -> bool:
    """Valid Unicode (a lone surrogate from JSON's "\\ud800" is not), so the database can store and compare it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
