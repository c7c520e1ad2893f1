"""What we know about customers, across features: the directory (latest segment, RFM values and loyalty score of
every customer, filtered and sorted in one query) and one customer's profile (served to the customer page and to
/api/v1/customers/{id}/ alike)."""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    CharField,
    DecimalField,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
)

from analytics.models import CustomerRecommendation, CustomerRfm, ModelArtifact, RfmSnapshot
from analytics.recommendations.selectors import Suggestion, customer_recommendations_list
from analytics.rfm.selectors import customer_rfm_history_list, rfm_snapshot_latest_get
from analytics.scoring.selectors import Prediction, loyalty_prediction_get, model_artifact_active_get
from customers.exceptions import ApplicationError
from customers.models import Customer, Transaction
from customers.selectors import customer_get, customer_transactions_recent_list

# ordering -> (field, descending, which table it lives in). Orderings on a score or an RFM value list the customers
# that have one (an inner join), so that PostgreSQL can walk the (snapshot|artifact, value) index instead of
# sorting every customer; "id" lists everyone.
ORDERINGS = {
    "id": ("external_id", False, "customer"),
    "score": ("loyalty_score", True, "score"),
    "-score": ("loyalty_score", False, "score"),
    "recency": ("recency_days", False, "rfm"),
    "-recency": ("recency_days", True, "rfm"),
    "frequency": ("frequency", True, "rfm"),
    "-frequency": ("frequency", False, "rfm"),
    "monetary": ("monetary", True, "rfm"),
    "-monetary": ("monetary", False, "rfm"),
}
ORDERING_LABELS = {
    "id": "Customer id",
    "score": "Loyalty score (high first)",
    "recency": "Most recent first",
    "frequency": "Most purchases first",
    "monetary": "Highest spend first",
}


def customer_directory_list(
    *,
    search: str = "",
    segment: str = "",
    ordering: str = "id",
    snapshot: RfmSnapshot | None = None,
    artifact: ModelArtifact | None = None,
) -> QuerySet[Customer]:
    """Customers with their latest RFM values and loyalty score, filtered and ordered in one query (left joins
    restricted to the latest snapshot and the active model, so customers without either still appear)."""
    queryset = Customer.objects.all()
    if snapshot is not None:
        queryset = queryset.annotate(
            rfm=FilteredRelation("rfm_rows", condition=Q(rfm_rows__snapshot_id=snapshot.pk))
        ).annotate(
            segment=F("rfm__segment"),
            recency_days=F("rfm__recency_days"),
            frequency=F("rfm__frequency"),
            monetary=F("rfm__monetary"),
            rfm_score=F("rfm__rfm_score"),
            r_score=F("rfm__r_score"),
            f_score=F("rfm__f_score"),
            m_score=F("rfm__m_score"),
        )
    else:
        queryset = queryset.annotate(
            segment=Value(None, output_field=CharField()),
            recency_days=Value(None, output_field=IntegerField()),
            frequency=Value(None, output_field=IntegerField()),
            monetary=Value(None, output_field=DecimalField()),
            rfm_score=Value(None, output_field=FloatField()),
            r_score=Value(None, output_field=IntegerField()),
            f_score=Value(None, output_field=IntegerField()),
            m_score=Value(None, output_field=IntegerField()),
        )
    if artifact is not None:
        queryset = queryset.annotate(
            score=FilteredRelation("loyalty_scores", condition=Q(loyalty_scores__artifact_id=artifact.pk))
        ).annotate(loyalty_score=F("score__loyalty_score"), loyal=F("score__loyal"))
    else:
        queryset = queryset.annotate(
            loyalty_score=Value(None, output_field=FloatField()), loyal=Value(None, output_field=BooleanField())
        )
    search = search.strip()
    if search:
        queryset = queryset.filter(
            Q(external_id=search)
            | Q(external_id__startswith=search)
            | Q(name__icontains=search)
            | Q(email__iexact=search)
        )
    if segment:
        queryset = queryset.filter(segment=segment)
    field, descending, source = ORDERINGS.get(ordering, ORDERINGS["id"])
    if source == "score" and artifact is not None:
        queryset = queryset.filter(loyalty_score__isnull=False)
    elif source == "rfm" and snapshot is not None:
        queryset = queryset.filter(segment__isnull=False)
    order = F(field).desc() if descending else F(field).asc()
    return queryset.order_by(order, "external_id")


@dataclass(frozen=True)
class CustomerProfile:
    """One customer as the customer page and the API show them."""

    customer: Customer
    snapshot: RfmSnapshot | None
    rfm: CustomerRfm | None  # the customer's row in the latest snapshot (None: not in it)
    history: list[CustomerRfm]  # rows in the kept snapshots, newest first
    artifact: ModelArtifact | None
    prediction: Prediction | None
    prediction_error: str  # why there is no prediction (no model, no score yet)
    transactions: list[Transaction]
    buy_again: list[Suggestion] = field(default_factory=list)
    discover: list[Suggestion] = field(default_factory=list)


def customer_profile_get(
    *, external_id: str, transactions: int = 10, recommendations: bool = False
) -> CustomerProfile | None:
    """The customer with id `external_id` and everything known about them, or None for an unknown id."""
    customer = customer_get(external_id=external_id)
    if customer is None:
        return None
    snapshot = rfm_snapshot_latest_get()
    history = customer_rfm_history_list(customer_id=customer.pk)
    latest = history[0] if history and snapshot and history[0].snapshot_id == snapshot.pk else None
    try:
        prediction, prediction_error = loyalty_prediction_get(customer_id=customer.external_id), ""
    except ApplicationError as exc:
        prediction, prediction_error = None, exc.message
    mode = CustomerRecommendation.Mode
    return CustomerProfile(
        customer=customer,
        snapshot=snapshot,
        rfm=latest,
        history=history,
        artifact=model_artifact_active_get(),
        prediction=prediction,
        prediction_error=prediction_error,
        transactions=customer_transactions_recent_list(customer=customer, limit=transactions) if transactions else [],
        buy_again=customer_recommendations_list(customer_id=customer.pk, mode=mode.BUY_AGAIN)
        if recommendations
        else [],
        discover=customer_recommendations_list(customer_id=customer.pk, mode=mode.DISCOVER) if recommendations else [],
    )
