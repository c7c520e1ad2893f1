"""Project-wide pytest fixtures: shared data sets, users and API clients.

Shared data sets. Generating and importing a shop (and training on it) takes seconds, so tests that need one share
it: a test asks for one through a fixture (`synthetic_imported`, `cdnow_imported`, `trained_shop` in
analytics/tests/conftest.py, `built` in analytics/tests/recommendations/conftest.py, ...), which is a function-scoped
fixture reading the data set's objects afresh on top of a module-scoped one that calls `shared_database.use(...)`.
The data set is written outside the tests' transactions, so whatever a test changes is rolled back and the next
test sees it unchanged. It stays in the database while the following modules ask for the same data set (a shop
imported for one module is not imported again for the next), and is deleted before the first module that asks for
none: every other module starts from an empty database. A module whose tests need different data sets (or an
empty database, `empty_database`) keeps the tests of each together: asking for another data set drops the first.

So that each data set is built once, the modules that use the same one run one after the other
(`pytest_collection_modifyitems` below): first the modules that use none, then each data set's modules in the order
they are collected, a module that starts on an empty database first and one that ends on another data set last.
The tests of a module keep their order, and pytest-django then moves transactional tests to the end, as Django does.
"""

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def wipe_learnt() -> None:
    """Delete everything learnt from the facts (snapshots, models, scores, recommendations, jobs)."""
    from django.apps import apps

    for model in reversed(list(apps.get_app_config("analytics").get_models())):  # children are declared last
        model.objects.all().delete()


def wipe_data() -> None:
    """Delete every fact and everything learnt from it."""
    from customers.models import Customer, DataQualityReport, ImportRun, Product, Transaction, TransactionItem

    wipe_learnt()
    for model in (TransactionItem, Transaction, Customer, Product, ImportRun, DataQualityReport):
        model.objects.all().delete()


# ---------------------------------------------------------------------------------------------------------------
# Shared data sets
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DataSet:
    """Data written once and shared by the tests that ask for it: `build` writes it on top of `base` (if any) and
    returns what the tests need; `drop` deletes what `build` wrote."""

    name: str
    build: Callable[[], Any]
    drop: Callable[[], None] = wipe_data
    base: "DataSet | None" = None

    def layers(self) -> tuple["DataSet", ...]:
        return (*self.base.layers(), self) if self.base else (self,)


class SharedDatabase:
    """Which data set the test database holds outside the tests' transactions, and the values its layers built."""

    def __init__(self) -> None:
        self._loaded: list[tuple[DataSet, Any]] = []

    def use(self, data: DataSet, blocker) -> Any:
        """Make the database hold exactly `data` (its layers kept or built, anything else dropped); its value."""
        wanted = data.layers()
        keep = 0
        while keep < min(len(wanted), len(self._loaded)) and self._loaded[keep][0] is wanted[keep]:
            keep += 1
        with blocker.unblock():
            self._drop_to(keep)
            for layer in wanted[keep:]:
                try:
                    value = layer.build()
                except BaseException:
                    layer.drop()
                    raise
                self._loaded.append((layer, value))
        return self._loaded[-1][1]

    @property
    def holds_data(self) -> bool:
        return bool(self._loaded)

    def clear(self, blocker) -> None:
        if self._loaded:
            with blocker.unblock():
                self._drop_to(0)

    def _drop_to(self, count: int) -> None:
        while len(self._loaded) > count:
            layer, _ = self._loaded.pop()
            layer.drop()


_SHARED = SharedDatabase()


class _Handle:
    def __init__(self, blocker) -> None:
        self._blocker = blocker

    def use(self, data: DataSet) -> Any:
        return _SHARED.use(data, self._blocker)


@pytest.fixture(scope="session")
def shared_database(django_db_setup, django_db_blocker) -> _Handle:
    """Only for module-scoped fixtures: `shared_database.use(DATA_SET)` returns the data set's value."""
    yield _Handle(django_db_blocker)
    _SHARED.clear(django_db_blocker)


@pytest.fixture(scope="module", autouse=True)
def _empty_database_unless_shared(request):
    """A module that asks for no shared data set starts from an empty database."""
    if not _SHARED.holds_data:
        return
    module_items = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    if not any("shared_database" in item.fixturenames for item in module_items):
        _SHARED.clear(request.getfixturevalue("django_db_blocker"))


def _data_sets_used(item: pytest.Item) -> tuple[str, ...]:
    """The module-scoped data-set fixtures a test asks for (directly or through other fixtures), by name."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return tuple(
        sorted(
            name
            for name in getattr(item, "fixturenames", ())
            if name in definitions
            and definitions[name][-1].scope == "module"
            and "shared_database" in definitions[name][-1].argnames
        )
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the modules that use the same data set one after the other (see the module docstring)."""
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    placed: dict[str, tuple[int, int]] = {}  # module -> (its group, where in the group)
    groups: dict[tuple[str, ...] | None, int] = {}
    for module, module_items in modules.items():
        sequence: list[tuple[str, ...] | None] = []
        for item in module_items:
            used = _data_sets_used(item)
            key = None if used in ((), ("_empty_database",)) else used
            if used and (not sequence or sequence[-1] != key):
                sequence.append(key)
        keys = [key for key in sequence if key is not None]
        group = keys[0] if keys else None
        if sequence and sequence[0] is None and group is not None:
            where = 0  # starts on an empty database, then builds the group's data set
        elif sequence and sequence[-1] != group:
            where = 2  # ends on an empty database or another data set
        else:
            where = 1
        placed[module] = (groups.setdefault(group, len(groups)), where)
    order = sorted(modules, key=lambda module: placed[module])  # stable: collection order within a place
    items[:] = [item for module in order for item in modules[module]]


def _import_synthetic_shop():
    from customers.demo.generator import GeneratorConfig, generate_csv
    from customers.imports.options import ImportOptions
    from customers.imports.services import transactions_import_csv

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.csv"
        generate_csv(config=GeneratorConfig(customers=800, rows=12_000, products=120, seed=7), path=path)
        return transactions_import_csv(path=path, options=ImportOptions())


def _import_cdnow():
    from customers.imports.options import ImportOptions
    from customers.imports.services import transactions_import_csv

    return transactions_import_csv(path=shared_data_file("cdnow_master.txt"), options=ImportOptions(**CDNOW_OPTIONS))


SYNTHETIC_SHOP = DataSet("a generated shop (800 customers, 12,000 lines, 120 products)", _import_synthetic_shop)
CDNOW = DataSet("the CDNOW log", _import_cdnow)
EMPTY_DATABASE = DataSet("an empty database", build=lambda: None, drop=lambda: None)


@pytest.fixture(scope="module")
def _synthetic_imported(shared_database) -> int:
    return shared_database.use(SYNTHETIC_SHOP).pk


@pytest.fixture
def synthetic_imported(_synthetic_imported):
    """A generated shop (800 customers, 12,000 lines, 120 products, planted bundles), shared: its ImportRun."""
    from customers.models import ImportRun

    return ImportRun.objects.get(pk=_synthetic_imported)


@pytest.fixture(scope="module")
def _cdnow_imported(shared_database) -> int:
    return shared_database.use(CDNOW).pk


@pytest.fixture
def cdnow_imported(_cdnow_imported):
    """The real CDNOW log imported as documented, shared: its ImportRun."""
    from customers.models import ImportRun

    return ImportRun.objects.get(pk=_cdnow_imported)


@pytest.fixture(scope="module")
def _empty_database(shared_database) -> None:
    shared_database.use(EMPTY_DATABASE)


@pytest.fixture
def empty_database(_empty_database) -> None:
    """For the tests of a module that also uses a data set: an empty database (checked, in case a data set was
    built after this module's first test that asked for it)."""
    from customers.models import Customer, Transaction

    assert not Customer.objects.exists()
    assert not Transaction.objects.exists()


# ---------------------------------------------------------------------------------------------------------------
# Users and clients
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def user(django_user_model):
    """An analyst: signed-in pages and the read API."""
    return django_user_model.objects.create_user(username="analyst", password="pw-analyst-123")


@pytest.fixture
def staff(django_user_model):
    """A staff user: imports and training too."""
    return django_user_model.objects.create_user(username="engineer", password="pw-engineer-123", is_staff=True)


def _token_client(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def api(user):
    """An API client authenticated with a (non-staff) user's token."""
    return _token_client(user)


@pytest.fixture
def staff_api(staff):
    """An API client authenticated with a staff user's token."""
    return _token_client(staff)


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in process memory between cache flushes; tests must not inherit them."""
    from loyalty_site.api.throttling import WindowRateThrottle

    WindowRateThrottle._local.clear()
