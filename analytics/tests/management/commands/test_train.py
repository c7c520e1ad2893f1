"""`manage.py train` on the generated shop: the progress lines and the summary table it prints."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(synthetic_imported):
    return synthetic_imported


def test_train_command_prints_progress_and_a_summary_table():
    """The command reports each fitting step, which model is active, the baselines and the seed's random split."""
    out = StringIO()
    call_command("train", "--skip-recommendations", stdout=out)
    text = out.getvalue()
    assert "fitting blend" in text
    assert "is active" in text
    assert "bgnbd (baseline)" in text
    assert "random 80/20 split" in text
