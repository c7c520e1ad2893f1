from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from analytics.selectors.dashboard import dashboard_data


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/dashboard.html"

    def get_context_data(self, **kwargs):
        data = dashboard_data()
        customers_url = reverse("analytics:customer-list")
        segments = data["segments"]
        charts = {}
        if segments:
            charts["segments"] = {
                "labels": [s["segment"] for s in segments],
                "datasets": [{"label": "Customers", "data": [s["customers"] for s in segments]}],
                "links": [f"{customers_url}?{urlencode({'segment': s['segment']})}" for s in segments],
                "x_label": "Customers",
            }
        if data["score_histogram"]:
            charts["scores"] = {**data["score_histogram"], "x_label": "Loyalty score", "y_label": "Customers"}
        if data["monthly"]:
            charts["monthly"] = {
                "labels": [m["month"] for m in data["monthly"]],
                "datasets": [
                    {"label": "Revenue", "data": [round(m["revenue"], 2) for m in data["monthly"]]},
                    {"label": "Transactions", "data": [m["transactions"] for m in data["monthly"]], "axis": "right"},
                ],
                "y_label": "Revenue",
            }
        segment_links = [
            {**s, "url": f"{customers_url}?{urlencode({'segment': s['segment']})}"} for s in segments if s["customers"]
        ]
        return super().get_context_data(data=data, charts=charts, segment_links=segment_links, **kwargs)
