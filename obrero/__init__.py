"""Obrero: the records desk of a worker-recovered factory (core, Qt-free)."""

__version__ = "0.1.0"
