"""The occupation logbook: timeline with filters, entry detail, quick entry, chain head."""
