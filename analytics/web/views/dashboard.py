from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from analytics.overview.selectors import dashboard_data_get
from analytics.web import presenters


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "analytics/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = dashboard_data_get()
        return super().get_context_data(
            data=data,
            charts=presenters.dashboard_charts(data),
            segment_links=presenters.segment_links(data),
            **kwargs,
        )
