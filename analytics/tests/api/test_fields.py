"""CustomerIdField: a customer id as text, whether the client sends a string or an integer (no database)."""

import pytest
from rest_framework import serializers

from analytics.api.fields import MAX_ID_LENGTH, CustomerIdField


@pytest.mark.parametrize(("sent", "read"), [("1001", "1001"), (" 00042 ", "00042"), (42, "42")])
def test_strings_are_trimmed_and_integers_become_their_text(sent, read):
    """Ids are trimmed text; "00042" keeps its zeros and 42 becomes "42"."""
    assert CustomerIdField().to_internal_value(sent) == read


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (True, "customer_id must be a string or an integer."),
        (10.5, "customer_id must be a string or an integer."),
        (["1"], "customer_id must be a string or an integer."),
        ("  ", "customer_id must not be empty."),
        ("x" * (MAX_ID_LENGTH + 1), f"customer_id must be at most {MAX_ID_LENGTH} characters."),
    ],
)
def test_other_values_are_refused_with_a_message(sent, message):
    """Booleans, floats, lists, blanks and overlong ids are validation errors with a readable message."""
    with pytest.raises(serializers.ValidationError) as excinfo:
        CustomerIdField().to_internal_value(sent)
    assert excinfo.value.detail == [message]
