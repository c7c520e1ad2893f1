"""The recommendations page and its product autocomplete."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from analytics.recommendations.selectors import ProductNotFound, product_recommendations_get
from analytics.web.forms import ProductSearchForm
from customers.exceptions import ApplicationError
from customers.selectors import product_names_search


class RecommendationsView(LoginRequiredMixin, TemplateView):
    """The seed's recommendation page: a product in, what is bought with it out, with the evidence."""

    template_name = "analytics/recommendations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ProductSearchForm(self.request.GET or None)
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            try:
                context["product"], context["rows"] = product_recommendations_get(
                    name=form.cleaned_data["product"], limit=10
                )
            except ProductNotFound as exc:
                context["error"], context["suggestions"] = exc.message, exc.suggestions
            except ApplicationError as exc:
                context["error"] = exc.message
        return super().get_context_data(**context, **kwargs)


class ProductSuggestView(LoginRequiredMixin, TemplateView):
    """Autocomplete: <option> elements for the product field's datalist (requested by htmx as you type)."""

    template_name = "analytics/partials/product_options.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("product", "")[:255]
        return super().get_context_data(names=product_names_search(query=query, limit=10) if query else [], **kwargs)
