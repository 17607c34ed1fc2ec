"""Typed business tools, their registry, and the domain rules they share (calendar, travel time)."""
