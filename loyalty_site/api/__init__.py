"""API plumbing shared by every endpoint: errors, pagination, throttling. No business logic."""
