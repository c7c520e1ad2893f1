"""HTTP API: the seed-compatible endpoints (seed.py) and the versioned API under /api/v1/ (v1.py)."""
