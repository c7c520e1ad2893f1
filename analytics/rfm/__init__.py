"""RFM: recency, frequency, monetary value, 1–5 scores and named segments.

maths.py (pure: values, normalisation, scores, segments) · services.py (compute and store a snapshot) ·
selectors.py (the purchase aggregates every feature starts from; snapshots, history, segment summaries).
"""
