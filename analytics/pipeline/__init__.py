"""Orchestration: the one pipeline (steps.py), background jobs (jobs.py → tasks.py → worker.py)."""
