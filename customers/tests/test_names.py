"""Product name identity (no database)."""

import pytest

from customers.names import clean_display_name, normalize_product_name


@pytest.mark.parametrize("raw", ["  Green   APPLE ", "green apple", "GREEN\tapple", "Green\u00a0Apple"])
def test_spellings_that_differ_in_case_and_spacing_are_one_product(raw):
    """Case and any whitespace (tabs, runs, no-break spaces) do not make another product."""
    assert normalize_product_name(raw) == "green apple"


def test_the_display_name_keeps_the_case_and_tidies_the_spacing():
    """The name shown to people keeps its capitals but loses stray spaces."""
    assert clean_display_name("  Green   APPLE ") == "Green APPLE"
    assert clean_display_name("   ") == ""
