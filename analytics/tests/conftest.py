"""Fixtures for analytics tests: the generated shop with an RFM snapshot, a trained model and recommendations."""

import pytest

from analytics.models import ModelArtifact, RfmSnapshot
from customers.models import ImportRun


@pytest.fixture(scope="module")
def _trained_shop(shared_database) -> dict[str, int]:
    from analytics.tests.helpers import TRAINED_SHOP

    return shared_database.use(TRAINED_SHOP)


@pytest.fixture
def trained_shop(_trained_shop) -> dict:
    """The synthetic shop with RFM computed, the loyalty model trained and scored, recommendations built (shared by
    the module, see conftest.py): its import run, snapshot and active model, fetched afresh for each test."""
    return {
        "import_run": ImportRun.objects.get(pk=_trained_shop["import_run"]),
        "snapshot": RfmSnapshot.objects.get(pk=_trained_shop["snapshot"]),
        "artifact": ModelArtifact.objects.get(pk=_trained_shop["artifact"]),
    }
