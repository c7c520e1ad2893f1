from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from analytics.forms import CustomerFilterForm, LookupForm
from analytics.models import CustomerRecommendation
from analytics.selectors import (
    active_artifact,
    customer_by_external_id,
    customer_directory,
    customer_rfm_history,
    latest_snapshot,
    loyalty_prediction_get,
    recent_transactions,
)
from analytics.services.recommendations import customer_recommendations_list
from customers.exceptions import ApplicationError

PAGE_SIZE = 25


class CustomerListView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/customer_list.html"

    def get_context_data(self, **kwargs):
        form = CustomerFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        snapshot, artifact = latest_snapshot(), active_artifact()
        customers = customer_directory(
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

    def get_context_data(self, **kwargs):
        customer = customer_by_external_id(self.kwargs["external_id"])
        if customer is None:
            raise Http404("No such customer.")
        snapshot = latest_snapshot()
        history = customer_rfm_history(customer_id=customer.pk)
        rfm = history[0] if history and snapshot and history[0].snapshot_id == snapshot.pk else None
        try:
            prediction, prediction_error = loyalty_prediction_get(customer_id=customer.external_id), ""
        except ApplicationError as exc:
            prediction, prediction_error = None, exc.message
        return super().get_context_data(
            customer=customer,
            rfm=rfm,
            history=history,
            snapshot=snapshot,
            prediction=prediction,
            prediction_error=prediction_error,
            artifact=active_artifact(),
            transactions=recent_transactions(customer=customer, limit=20),
            buy_again=customer_recommendations_list(
                customer_id=customer.pk, mode=CustomerRecommendation.Mode.BUY_AGAIN
            ),
            discover=customer_recommendations_list(customer_id=customer.pk, mode=CustomerRecommendation.Mode.DISCOVER),
            **kwargs,
        )


class LoyaltyLookupView(LoginRequiredMixin, TemplateView):
    """The seed's loyalty page: a customer id in, score, loyal yes/no and segment out."""

    template_name = "analytics/loyalty_lookup.html"

    def get_context_data(self, **kwargs):
        form = LookupForm(self.request.GET or None)
        context = {"form": form}
        if form.is_valid():
            customer_id = form.cleaned_data["customer_id"]
            customer = customer_by_external_id(customer_id)
            try:
                context["prediction"] = loyalty_prediction_get(customer_id=customer_id)
            except ApplicationError as exc:
                context["error"] = exc.message
            if customer is not None:
                history = customer_rfm_history(customer_id=customer.pk, limit=1)
                context["customer"] = customer
                context["rfm"] = history[0] if history else None
        return super().get_context_data(**context, **kwargs)
