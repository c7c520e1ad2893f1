from django.db import transaction

from customers.models import Product
from customers.names import clean_display_name, normalize_product_name


@transaction.atomic
def product_save(*, product: Product) -> Product:
    """Save a product typed into the admin: tidy its display name and derive its identity from it.

    `full_clean` turns a clash with an existing product's normalised name into a form error.
    """
    product.name = clean_display_name(product.name)
    product.normalized_name = normalize_product_name(product.name)
    product.full_clean()
    product.save()
    return product
