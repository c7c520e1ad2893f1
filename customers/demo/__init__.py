"""The demo shop and synthetic purchase data."""
