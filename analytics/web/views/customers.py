"""Customer pages: the directory, one customer's profile, the seed's loyalty lookup."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from analytics.profiles.selectors import customer_directory_list, customer_profile_get
from analytics.rfm.selectors import customer_rfm_history_list, rfm_snapshot_latest_get
from analytics.scoring.selectors import loyalty_prediction_get, model_artifact_active_get
from analytics.web.forms import CustomerFilterForm, LookupForm
from customers.exceptions import ApplicationError
from customers.selectors import customer_get

PAGE_SIZE = 25
TRANSACTIONS_SHOWN = 20


class CustomerListView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/customer_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = CustomerFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        snapshot, artifact = rfm_snapshot_latest_get(), model_artifact_active_get()
        customers = customer_directory_list(
            search=filters.get("q", ""),
            segment=filters.get("segment", ""),
            ordering=filters.get("ordering") or "id",
            snapshot=snapshot,
            artifact=artifact,
        )
        page = Paginator(customers, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form, page=page, snapshot=snapshot, artifact=artifact, query=query.urlencode(), **kwargs
        )


class CustomerDetailView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/customer_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = customer_profile_get(
            external_id=self.kwargs["external_id"], transactions=TRANSACTIONS_SHOWN, recommendations=True
        )
        if profile is None:
            raise Http404("No such customer.")
        return super().get_context_data(
            customer=profile.customer,
            rfm=profile.rfm,
            history=profile.history,
            snapshot=profile.snapshot,
            prediction=profile.prediction,
            prediction_error=profile.prediction_error,
            artifact=profile.artifact,
            transactions=profile.transactions,
            buy_again=profile.buy_again,
            discover=profile.discover,
            **kwargs,
        )


class LoyaltyLookupView(LoginRequiredMixin, TemplateView):
    """The seed's loyalty page: a customer id in, score, loyal yes/no and segment out."""

    template_name = "analytics/loyalty_lookup.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = LookupForm(self.request.GET or None)
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            customer_id = form.cleaned_data["customer_id"]
            try:
                context["prediction"] = loyalty_prediction_get(customer_id=customer_id)
            except ApplicationError as exc:  # no model yet, unknown customer, no score yet
                context["error"] = exc.message
            customer = customer_get(external_id=customer_id)
            if customer is not None:
                history = customer_rfm_history_list(customer_id=customer.pk, limit=1)
                context["customer"], context["rfm"] = customer, history[0] if history else None
        return super().get_context_data(**context, **kwargs)
