"""RFM snapshots on the real database: aggregation, defaults, errors and pruning on three customers, then CDNOW
against pandas (last: the CDNOW log is imported for it)."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from analytics.models import CustomerRfm, RfmSnapshot
from analytics.rfm.services import NO_DATA, rfm_snapshot_compute
from conftest import CDNOW_OPTIONS, shared_data_file
from customers.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_snapshot_values_come_from_database_aggregates(three_customers):
    """Recency, frequency, net monetary, tenure and gaps come from the purchases up to as_of."""
    snapshot = rfm_snapshot_compute(as_of=dt.date(2024, 2, 29))
    rows = {r.customer.external_id: r for r in CustomerRfm.objects.filter(snapshot=snapshot).select_related("customer")}
    assert set(rows) == {"ada", "bob"}
    ada = rows["ada"]
    assert (ada.recency_days, ada.frequency, ada.monetary, ada.tenure_days, ada.mean_gap_days) == (
        28,
        2,
        Decimal("25.00"),
        59,
        31.0,
    )
    assert (ada.first_purchase, ada.last_purchase) == (dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    assert rows["bob"].mean_gap_days is None
    assert snapshot.customers == 2
    assert sum(snapshot.segment_counts.values()) == 2
    assert set(snapshot.timings) == {"aggregate", "compute", "write"}


def test_default_as_of_is_the_last_purchase_date(three_customers):
    """Without as_of the snapshot is taken at the last purchase date."""
    assert rfm_snapshot_compute().as_of == dt.date(2024, 3, 1)


def test_as_of_before_the_first_purchase_is_a_clear_error(three_customers):
    """An as_of before the first purchase is refused, naming the first purchase date."""
    with pytest.raises(ApplicationError, match=r"before the first purchase \(2024-01-01\)"):
        rfm_snapshot_compute(as_of=dt.date(2023, 12, 31))


def test_empty_database_is_a_clear_error(empty_database):
    """Without purchases the snapshot is refused with the no-data message."""
    with pytest.raises(ApplicationError) as excinfo:
        rfm_snapshot_compute()
    assert excinfo.value.message == NO_DATA


def test_only_the_last_n_snapshots_are_kept(three_customers):
    """With keep=2 only the two newest snapshots and their rows remain."""
    kept = [rfm_snapshot_compute(as_of=dt.date(2024, 2, d), keep=2).pk for d in (1, 10, 20)]
    assert list(RfmSnapshot.objects.values_list("pk", flat=True)) == kept[:0:-1]
    assert set(CustomerRfm.objects.values_list("snapshot_id", flat=True)) == set(kept[1:])


class TestCdnow:
    """compute_rfm on the real CDNOW log agrees exactly with an independent pandas computation."""

    @pytest.mark.slow
    def test_recency_frequency_monetary_match_pandas_for_every_customer(self, cdnow_imported):
        """On CDNOW every customer's recency, frequency and monetary equal an independent pandas computation."""
        as_of = dt.date(1997, 9, 30)
        snapshot = rfm_snapshot_compute(as_of=as_of)
        ours = pd.DataFrame(
            CustomerRfm.objects.filter(snapshot=snapshot).values_list(
                "customer__external_id", "recency_days", "frequency", "monetary"
            ),
            columns=["customer_id", "recency", "frequency", "monetary"],
        ).set_index("customer_id")
        ours["monetary"] = ours["monetary"].astype(float)

        raw = pd.read_csv(
            shared_data_file("cdnow_master.txt"), sep=r"\s+", dtype={"customer_id": str, "date": str}
        ).drop_duplicates()  # the importer drops exact duplicate rows (255 in this file)
        raw["date"] = pd.to_datetime(raw["date"], format=CDNOW_OPTIONS["date_format"])
        raw = raw[raw["date"] <= pd.Timestamp(as_of)]
        grouped = raw.groupby("customer_id")
        expected = pd.DataFrame(
            {
                "recency": (pd.Timestamp(as_of) - grouped["date"].max()).dt.days,
                "frequency": grouped["date"].nunique(),  # one transaction per customer per day
                "monetary": grouped["dollar_value"].sum().round(2),
            }
        )
        assert len(ours) == len(expected) == 23_570
        joined = expected.join(ours.add_suffix("_ours"), how="outer")
        assert (joined["recency"] == joined["recency_ours"]).all()
        assert (joined["frequency"] == joined["frequency_ours"]).all()
        assert (joined["monetary"] - joined["monetary_ours"]).abs().max() < 0.005
