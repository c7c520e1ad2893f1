from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Smart Loyalty administration"
admin.site.site_title = "Smart Loyalty admin"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
