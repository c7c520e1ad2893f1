"""The shared business rules (no database)."""

from decimal import Decimal

import pytest

from customers.rules import is_return_transaction


@pytest.mark.parametrize(
    ("total", "lines", "return_lines", "is_return"),
    [
        ("-1.00", 1, 1, True),  # refunds money
        ("-1.00", 0, 0, True),  # refunds money, no items known
        ("0.00", 2, 2, True),  # every line returned, even for nothing
        ("1.80", 2, 1, False),  # one line returned but the basket still costs money
        ("0.00", 0, 0, False),  # amounts only, nothing returned
    ],
)
def test_a_return_refunds_money_or_returns_every_line(total, lines, return_lines, is_return):
    """A transaction is a return when its total is negative or all its lines are returns, not otherwise."""
    assert is_return_transaction(total=Decimal(total), lines=lines, return_lines=return_lines) is is_return
