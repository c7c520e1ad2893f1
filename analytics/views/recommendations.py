from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from analytics.forms import ProductSearchForm
from analytics.selectors import product_search
from analytics.services.recommendations import ProductNotFound, product_recommendations_get
from customers.exceptions import ApplicationError


class RecommendationsView(LoginRequiredMixin, TemplateView):
    """The seed's recommendation page: a product in, what is bought with it out, with the evidence."""

    template_name = "analytics/recommendations.html"

    def get_context_data(self, **kwargs):
        form = ProductSearchForm(self.request.GET or None)
        context = {"form": form}
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

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("product", "")[:255]
        return super().get_context_data(names=product_search(query=query, limit=10) if query else [], **kwargs)
