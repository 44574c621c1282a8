"""USB export, verification, import and local backups."""
