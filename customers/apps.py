from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """The database cache (the default shared cache) needs its table; create it with every migrate."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers and purchases"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="customers_create_cache_table")
