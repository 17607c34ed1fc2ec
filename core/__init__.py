"""Shared foundation: settings, clock, data layer and analytics."""
