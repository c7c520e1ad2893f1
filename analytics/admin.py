"""Admin for analytics, and the customer admin extended with each customer's latest RFM values.

The customers app must not import analytics, so the RFM columns and the segment filter are added here by
re-registering the customer admin.
"""

from typing import TYPE_CHECKING, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from analytics.models import RfmSnapshot
from analytics.rfm.maths import SEGMENTS
from analytics.rfm.selectors import LatestRfm, customer_list_with_latest_rfm
from customers.admin import CustomerAdmin, ReadOnlyAdminMixin
from customers.models import Customer
from customers.selectors import PurchaseStats

if TYPE_CHECKING:  # WithAnnotations is for the type checker only
    from django_stubs_ext import WithAnnotations

RFM_COLUMNS = ("segment", "rfm_score", "r_score", "f_score", "m_score", "recency_days", "frequency", "monetary")


class AdminColumns(PurchaseStats, LatestRfm):
    """Every annotation of the customer admin's rows."""


class SegmentFilter(admin.SimpleListFilter):
    title = "segment (latest RFM)"
    parameter_name = "segment"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Customer]) -> list[tuple[str, str]]:
        return [(name, name) for name in SEGMENTS]

    def queryset(
        self, request: HttpRequest, queryset: "QuerySet[WithAnnotations[Customer, AdminColumns]]"
    ) -> "QuerySet[WithAnnotations[Customer, AdminColumns]]":
        if not self.value():
            return queryset
        return queryset.filter(rfm_segment=self.value())


admin.site.unregister(Customer)


@admin.register(Customer)
class CustomerWithRfmAdmin(CustomerAdmin):
    list_display = [
        "external_id",
        "name",
        "email",
        "purchase_count",
        "total_spend",
        "last_purchase",
        "segment",
        "rfm",
        "rfm_score",
    ]
    list_filter = [SegmentFilter]
    readonly_fields = [*CustomerAdmin.readonly_fields, "latest_rfm"]

    @admin.display(description="latest RFM")
    def latest_rfm(self, obj: "WithAnnotations[Customer, AdminColumns]") -> str:
        if obj.rfm_segment is None:
            return "No RFM snapshot includes this customer yet (python manage.py compute_rfm)."
        return (
            f"{obj.rfm_segment} · R {obj.rfm_r_score} F {obj.rfm_f_score} M {obj.rfm_m_score} · "
            f"score {obj.rfm_rfm_score:.3f} · last purchase {obj.rfm_recency_days} days ago · "
            f"{obj.rfm_frequency} purchases · {obj.rfm_monetary} spent"
        )

    def get_queryset(self, request: HttpRequest) -> "QuerySet[WithAnnotations[Customer, AdminColumns]]":
        # The rfm_* columns are added with annotate(**{...}), which django-stubs cannot follow: LatestRfm names them.
        return cast(
            "QuerySet[WithAnnotations[Customer, AdminColumns]]",
            customer_list_with_latest_rfm(queryset=super().get_queryset(request), columns=RFM_COLUMNS),
        )

    @admin.display(description="segment", ordering="rfm_segment")
    def segment(self, obj: "WithAnnotations[Customer, AdminColumns]") -> str | None:
        return obj.rfm_segment

    @admin.display(description="R F M")
    def rfm(self, obj: "WithAnnotations[Customer, AdminColumns]") -> str | None:
        if obj.rfm_r_score is None:
            return None
        return f"{obj.rfm_r_score} {obj.rfm_f_score} {obj.rfm_m_score}"

    @admin.display(description="RFM score", ordering="rfm_rfm_score")
    def rfm_score(self, obj: "WithAnnotations[Customer, AdminColumns]") -> float | None:
        return None if obj.rfm_rfm_score is None else round(obj.rfm_rfm_score, 3)


@admin.register(RfmSnapshot)
class RfmSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["as_of", "created_at", "customers", "timings"]
    date_hierarchy = "created_at"
