"""Campaigns: an audience frozen from a segment or filters, a random control group, the treatment list for the
e-mail tool, and the measured lift in purchases and revenue afterwards."""
