"""The versioned API under /api/v1/: customers, scores, recommendations, segments, models, imports, jobs.

Every view validates its input with a serializer, calls a selector or service, and serialises explicit fields.
Errors: {"error": "...", "code": "...", "details": {...}} (loyalty_site.api).
"""

from analytics.apis.v1.catalogue import ProductRecommendationsApi, ProductSearchApi, SegmentSummaryApi
from analytics.apis.v1.customers import (
    CustomerDetailApi,
    CustomerListApi,
    CustomerRecommendationsApi,
    CustomerScoreApi,
)
from analytics.apis.v1.operations import (
    ImportRunDetailApi,
    ImportRunListApi,
    JobDetailApi,
    ModelDetailApi,
    ModelListApi,
    TrainStartApi,
)

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
