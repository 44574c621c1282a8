"""PDF documents (ReportLab): renderers take plain data and a language, return PDF bytes."""
