"""Compatibility: model artifacts stored before the feature layout name `analytics.ml.BlendClassifier`.

skops records each object's class path and imports it when loading, so this path must keep resolving for
those artifacts to serve. New artifacts record `analytics.scoring.candidates.BlendClassifier`.
"""

from analytics.scoring.candidates import BlendClassifier

__all__ = ["BlendClassifier"]
