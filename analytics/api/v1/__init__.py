"""The versioned API under /api/v1/: customers, scores, recommendations, segments, models, imports, jobs.

Every view validates its input with a serializer, calls a selector or service, and serialises explicit fields.
Errors: {"error": "...", "code": "...", "details": {...}} (loyalty_site.api).
"""

from analytics.api.v1.catalogue import ProductRecommendationsApi, ProductSearchApi, SegmentSummaryApi
from analytics.api.v1.customers import (
    CustomerDetailApi,
    CustomerListApi,
    CustomerRecommendationsApi,
    CustomerScoreApi,
)
from analytics.api.v1.imports import ImportRunDetailApi, ImportRunListApi
from analytics.api.v1.jobs import JobDetailApi
from analytics.api.v1.models import ModelDetailApi, ModelListApi, TrainStartApi

__all__ = [
    "CustomerDetailApi",
    "CustomerListApi",
    "CustomerRecommendationsApi",
    "CustomerScoreApi",
    "ImportRunDetailApi",
    "ImportRunListApi",
    "JobDetailApi",
    "ModelDetailApi",
    "ModelListApi",
    "ProductRecommendationsApi",
    "ProductSearchApi",
    "SegmentSummaryApi",
    "TrainStartApi",
]
