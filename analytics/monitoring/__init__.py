"""Monitoring the model in service on the retailer's own data: score audits when each window closes, drift, alerts."""
