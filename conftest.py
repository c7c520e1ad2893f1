"""Project-wide pytest fixtures."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"


def shared_data_file(name: str) -> Path:
    """A file from ../shared/data: skipped with a message when absent, a failure under CI=true."""
    path = SHARED_DATA / name
    if not path.exists():
        message = f"{path} is not available (tests on the shared CDNOW data need ../shared/data/)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


CDNOW_OPTIONS = {
    "delimiter": "whitespace",
    "date_format": "%Y%m%d",
    "mapping": {"amount": "dollar_value", "quantity": "number_of_cds"},
}


def wipe_data() -> None:
    """Delete every fact and everything learnt from it (module-scoped fixtures clean up with this)."""
    from django.apps import apps

    from customers.models import Customer, DataQualityReport, ImportRun, Product, Transaction, TransactionItem

    for model in reversed(list(apps.get_app_config("analytics").get_models())):  # children are declared last
        model.objects.all().delete()
    for model in (TransactionItem, Transaction, Customer, Product, ImportRun, DataQualityReport):
        model.objects.all().delete()


@contextmanager
def imported_for_module(django_db_blocker, *, path: Path, options: dict | None = None) -> Iterator:
    """Import a file outside the per-test transactions (for a module's tests to share) and wipe it afterwards."""
    from customers.imports.options import ImportOptions
    from customers.imports.services import transactions_import_csv

    with django_db_blocker.unblock():
        wipe_data()
        try:
            yield transactions_import_csv(path=path, options=ImportOptions(**(options or {})))
        finally:
            wipe_data()


@pytest.fixture(scope="module")
def cdnow_imported(django_db_setup, django_db_blocker):
    """The real CDNOW log imported as documented, shared by the tests of one module and removed after them."""
    with imported_for_module(
        django_db_blocker, path=shared_data_file("cdnow_master.txt"), options=CDNOW_OPTIONS
    ) as run:
        yield run


@pytest.fixture(scope="module")
def synthetic_imported(django_db_setup, django_db_blocker, tmp_path_factory):
    """A generated shop (800 customers, 12,000 lines, 120 products, planted bundles) shared by a module."""
    from customers.demo.generator import GeneratorConfig, generate_csv

    path = tmp_path_factory.mktemp("synthetic") / "shop.csv"
    generate_csv(config=GeneratorConfig(customers=800, rows=12_000, products=120, seed=7), path=path)
    with imported_for_module(django_db_blocker, path=path) as run:
        yield run


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in process memory between cache flushes; tests must not inherit them."""
    from loyalty_site.api.throttling import WindowRateThrottle

    WindowRateThrottle._local.clear()
