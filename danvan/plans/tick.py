"""Registers the plans module's reminder hook with the periodic tick (see core.tick)."""
