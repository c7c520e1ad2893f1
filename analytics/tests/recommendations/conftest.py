"""Shops for the recommendation tests: 1,500 customers and 150 products, with or without planted bundles."""

import tempfile
from pathlib import Path

import pytest

from analytics.models import RecommendationBuild
from analytics.recommendations.services import recommendations_build
from conftest import DataSet, wipe_learnt
from customers.demo.generator import GeneratorConfig, generate_csv
from customers.imports.options import ImportOptions
from customers.imports.services import transactions_import_csv
from customers.models import ImportRun


def _import_shop(*, bundles: bool, seed: int = 3) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"shop-{bundles}.csv"
        config = GeneratorConfig(customers=1500, rows=24_000, products=150, seed=seed, bundles=bundles)
        generate_csv(config=config, path=path)
        return transactions_import_csv(path=path, options=ImportOptions()).pk


BUNDLED_SHOP = DataSet("a shop with planted bundles", lambda: _import_shop(bundles=True))
UNBUNDLED_SHOP = DataSet("a shop without co-purchase structure", lambda: _import_shop(bundles=False))
BUILT = DataSet(
    "the bundled shop's recommendations", lambda: recommendations_build().pk, drop=wipe_learnt, base=BUNDLED_SHOP
)


@pytest.fixture(scope="module")
def _bundled_shop(shared_database) -> int:
    return shared_database.use(BUNDLED_SHOP)


@pytest.fixture
def bundled_shop(_bundled_shop) -> ImportRun:
    """The shop with planted bundles, imported and nothing else (shared, see conftest.py): its import run."""
    return ImportRun.objects.get(pk=_bundled_shop)


@pytest.fixture(scope="module")
def _unbundled_shop(shared_database) -> int:
    return shared_database.use(UNBUNDLED_SHOP)


@pytest.fixture
def unbundled_shop(_unbundled_shop) -> ImportRun:
    """The same shop drawn without bundles, imported and nothing else (shared): its import run."""
    return ImportRun.objects.get(pk=_unbundled_shop)


@pytest.fixture(scope="module")
def _built(shared_database) -> int:
    return shared_database.use(BUILT)


@pytest.fixture
def built(_built) -> RecommendationBuild:
    """The bundled shop with its recommendations built (shared): the active build."""
    return RecommendationBuild.objects.get(pk=_built)
