"""Admin for data entry and correction. Writes go through the services so the rules hold here too."""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from customers.models import Customer, DataQualityReport, ImportRun, Product, Transaction, TransactionItem
from customers.names import normalize_product_name
from customers.selectors import customer_list_with_purchase_stats, data_quality_report_latest_get, product_get_by_name
from customers.services import product_save, transaction_recalculate_totals

if TYPE_CHECKING:  # WithAnnotations is for the type checker only
    from django_stubs_ext import WithAnnotations

    from customers.selectors import PurchaseStats


class ReadOnlyAdminMixin:
    """Records written by the system (imports, reports): visible, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "purchase_count", "total_spend", "last_purchase"]
    search_fields = ["external_id", "name", "email"]
    readonly_fields = ["created_at", "updated_at", "erased_at"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> "QuerySet[WithAnnotations[Customer, PurchaseStats]]":
        return customer_list_with_purchase_stats()

    @admin.display(description="purchases", ordering="purchase_count")
    def purchase_count(self, obj: "WithAnnotations[Customer, PurchaseStats]") -> int:
        return obj.purchase_count

    @admin.display(description="total spend", ordering="total_spend")
    def total_spend(self, obj: "WithAnnotations[Customer, PurchaseStats]") -> Decimal:
        return obj.total_spend

    @admin.display(description="last purchase", ordering="last_purchase")
    def last_purchase(self, obj: "WithAnnotations[Customer, PurchaseStats]") -> dt.date | None:
        return obj.last_purchase


class ProductAdminForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "category", "sku"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        clash = product_get_by_name(name=name)
        if not normalize_product_name(name):
            raise forms.ValidationError("Enter a product name.")
        if clash and clash.pk != self.instance.pk:
            raise forms.ValidationError(f"A product with this name already exists: {clash.name!r}.")
        return name


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ["name", "category", "sku", "created_at"]
    search_fields = ["name", "normalized_name", "sku"]
    list_filter = ["category"]
    readonly_fields = ["normalized_name", "created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Product, form, change: bool) -> None:
        product_save(product=obj)


class TransactionItemInline(admin.TabularInline):
    model = TransactionItem
    extra = 0
    autocomplete_fields = ["product"]
    fields = ["product", "quantity", "amount"]


@admin.register(Transaction)
class TransactionAdmin(admin.ModelAdmin):
    list_display = ["external_id", "customer", "date", "total_amount", "is_return", "import_run"]
    list_select_related = ["customer", "import_run"]
    list_filter = ["is_return", "date", "import_run"]
    date_hierarchy = "date"
    search_fields = ["external_id", "customer__external_id", "customer__name", "customer__email"]
    autocomplete_fields = ["customer"]
    readonly_fields = ["units", "import_run", "created_at"]
    inlines = [TransactionItemInline]
    list_per_page = 50
    show_full_result_count = False  # counting millions of rows on every page view is the slow part

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        transaction_recalculate_totals(txn=form.instance)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "source_name",
        "status",
        "created_at",
        "rows_read",
        "rows_imported",
        "rows_duplicate",
        "rows_existing",
        "rows_rejected",
        "duration",
    ]
    list_filter = ["status"]
    search_fields = ["source_name", "sha256"]
    date_hierarchy = "created_at"

    @admin.display(description="duration (s)")
    def duration(self, obj: ImportRun):
        seconds = obj.duration_seconds
        return None if seconds is None else round(seconds, 1)


@admin.register(DataQualityReport)
class DataQualityReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "dry_run", "issues", "duration_seconds"]

    @admin.display(description="issues found")
    def issues(self, obj: DataQualityReport) -> int:
        return obj.issue_count

    def changelist_view(self, request: HttpRequest, extra_context=None):
        latest = data_quality_report_latest_get()
        extra_context = extra_context or {}
        if latest:
            url = reverse("admin:customers_dataqualityreport_change", args=[latest.pk])
            extra_context["subtitle"] = format_html('Latest: <a href="{}">{}</a>', url, latest)
        return super().changelist_view(request, extra_context)
