"""`manage.py refresh_rollups`: build the dashboard's monthly rollups now (after a bulk load, a
restore or a change of the cut-off day), instead of waiting for the worker's next tick."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from danvan.reports.rollups import refresh


class Command(BaseCommand):
    help = "Build the monthly rollups of closed reporting months and rebuild changed ones."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = refresh(cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{result.months} months built ({result.rows:,} rows, "
            f"{result.cleared} changes cleared) in {seconds:.1f} s"
            + (" — started over (new cut-off day or agency tree)" if result.rebuilt_all else "")
        )
