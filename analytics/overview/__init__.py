"""The state of the whole system: the dashboard's figures and readiness."""
