from django.urls import path

from analytics.api import v1

app_name = "api"

urlpatterns = [
    path("customers/", v1.CustomerListApi.as_view(), name="customer-list"),
    path("customers/<str:external_id>/", v1.CustomerDetailApi.as_view(), name="customer-detail"),
    path("customers/<str:external_id>/score/", v1.CustomerScoreApi.as_view(), name="customer-score"),
    path(
        "customers/<str:external_id>/recommendations/",
        v1.CustomerRecommendationsApi.as_view(),
        name="customer-recommendations",
    ),
    path("products/", v1.ProductSearchApi.as_view(), name="product-search"),
    path("products/recommendations/", v1.ProductRecommendationsApi.as_view(), name="product-recommendations"),
    path("segments/", v1.SegmentSummaryApi.as_view(), name="segment-summary"),
    path("models/", v1.ModelListApi.as_view(), name="model-list"),
    path("models/train/", v1.TrainStartApi.as_view(), name="model-train"),
    path("models/<int:pk>/", v1.ModelDetailApi.as_view(), name="model-detail"),
    path("imports/", v1.ImportRunListApi.as_view(), name="import-list"),
    path("imports/<int:pk>/", v1.ImportRunDetailApi.as_view(), name="import-detail"),
    path("jobs/<int:pk>/", v1.JobDetailApi.as_view(), name="job-detail"),
]
