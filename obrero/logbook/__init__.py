"""The occupation logbook: append-only entries chained by SHA-256, searchable, certifiable."""
