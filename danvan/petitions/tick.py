"""Registers the petitions deadline reminder hook with the periodic tick (see core.tick)."""
