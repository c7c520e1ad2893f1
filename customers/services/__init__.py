"""Write operations on the facts. Views, admin, API and commands call these; nothing else writes the models."""

from customers.services.products import product_save
from customers.services.transactions import transaction_recalculate_totals

__all__ = ["product_save", "transaction_recalculate_totals"]
