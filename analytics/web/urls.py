from django.urls import path

from analytics.web.views import customers, dashboard, imports, jobs, models, recommendations

app_name = "analytics"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("customers/", customers.CustomerListView.as_view(), name="customer-list"),
    path("customers/<str:external_id>/", customers.CustomerDetailView.as_view(), name="customer-detail"),
    path("loyalty/", customers.LoyaltyLookupView.as_view(), name="loyalty-lookup"),
    path("recommendations/", recommendations.RecommendationsView.as_view(), name="recommendations"),
    path("recommendations/suggest/", recommendations.ProductSuggestView.as_view(), name="product-suggest"),
    path("models/", models.ModelListView.as_view(), name="model-list"),
    path("models/train/", models.TrainNowView.as_view(), name="model-train"),
    path("models/<int:pk>/", models.ModelDetailView.as_view(), name="model-detail"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/status/", jobs.JobStatusView.as_view(), name="job-status"),
    path("imports/", imports.ImportListView.as_view(), name="import-list"),
    path("imports/upload/", imports.ImportUploadView.as_view(), name="import-upload"),
    path("imports/new/<str:token>/", imports.ImportConfigureView.as_view(), name="import-configure"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/status/", imports.ImportStatusView.as_view(), name="import-status"),
    path("imports/<int:pk>/rejected.csv", imports.ImportRejectedCsvView.as_view(), name="import-rejected-csv"),
]
