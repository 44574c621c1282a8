"""Obrero's desktop layer (PySide6). Talks to the core's services only."""
