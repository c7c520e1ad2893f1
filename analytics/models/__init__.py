"""What we learn from the facts, one module per feature; every model is re-exported here."""

from analytics.models.base import BuildStatus
from analytics.models.jobs import Job
from analytics.models.recommendations import CustomerRecommendation, ProductRecommendation, RecommendationBuild
from analytics.models.rfm import SEGMENT_CHOICES, CustomerRfm, RfmSnapshot
from analytics.models.scoring import LoyaltyScore, ModelArtifact

__all__ = [
    "SEGMENT_CHOICES",
    "BuildStatus",
    "CustomerRecommendation",
    "CustomerRfm",
    "Job",
    "LoyaltyScore",
    "ModelArtifact",
    "ProductRecommendation",
    "RecommendationBuild",
    "RfmSnapshot",
]
