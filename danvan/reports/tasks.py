"""Background jobs of the reports module, run by `manage.py db_worker`."""

from django_tasks import task


@task()
def run_export(job_id: int) -> str:
    """Build one queued export file; returns its final status."""
    from danvan.reports.services import export_run

    return export_run(job_id=job_id).status


@task()
def refresh_rollups() -> dict:
    """Build the monthly rollups of closed months and rebuild the changed ones."""
    from django.conf import settings

    from danvan.reports.rollups import refresh

    result = refresh(cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY)
    return {"months": result.months, "rows": result.rows, "cleared": result.cleared}
