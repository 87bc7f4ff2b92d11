"""Registers the rollup refresh with the periodic tick (see core.tick)."""

import datetime as dt

from danvan.core.tick import tick_hook


@tick_hook("reports.refresh_rollups")
def refresh_rollups(*, now: dt.datetime) -> int:
    """Queue one rollup refresh for the worker (it builds closed months and changed ones)."""
    from danvan.reports.tasks import refresh_rollups as job

    job.enqueue()
    return 1
