"""Background jobs of the reports module, run by `manage.py db_worker`."""

from django_tasks import task


@task()
def run_export(job_id: int) -> str:
    """Build one queued export file; returns its final status."""
    from danvan.reports.services import export_run

    return export_run(job_id=job_id).status
