"""Small business rules shared by the importer, the admin and the cleaner."""

from decimal import Decimal


def is_return_transaction(*, total: Decimal, lines: int, return_lines: int) -> bool:
    """A transaction is a return when it refunds money, or when every line of it is a returned item.

    A basket that buys some items and returns one, but still costs money, is a purchase.
    """
    return total < 0 or (lines > 0 and return_lines == lines)
