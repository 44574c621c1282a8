"""The Export area: export to a USB stick, check and import archives, local backups."""
