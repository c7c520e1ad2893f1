"""HTTP API: the seed-compatible endpoints (seed.py) and the versioned API under /api/v1/ (v1/, by resource);
the OpenAPI documentation of both in schema.py. Views only validate, call a selector or service, serialise."""
