from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from analytics.api import seed

admin.site.site_header = "Smart Loyalty administration"
admin.site.site_title = "Smart Loyalty admin"

# Swagger UI adds its own <style> elements: its page alone may use inline styles (scripts stay strict).
docs_view = csp_override(
    {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "img-src": [CSP.SELF, "data:"],
        "object-src": [CSP.NONE],
        "frame-ancestors": [CSP.NONE],
    }
)(SpectacularSwaggerSplitView.as_view(url_name="schema"))

urlpatterns = [
    path("health", seed.HealthApi.as_view(), name="health"),
    path("readyz", seed.ReadyzApi.as_view(), name="readyz"),
    path("predict-loyalty", seed.PredictLoyaltyApi.as_view(), name="predict-loyalty"),
    path("recommend-products", seed.RecommendProductsApi.as_view(), name="recommend-products"),
    path("api/v1/", include("analytics.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs_view, name="api-docs"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("analytics.web.urls")),
]
