"""The outside world: chat platforms and data sources (importer, demo company, HK Observatory)."""
