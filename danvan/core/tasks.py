"""Background tasks of the foundation, run by the django-tasks-db worker (`manage.py db_worker`)."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

# Finished task results older than this are deleted by the tick's housekeeping hook.
TASK_RESULT_RETENTION = dt.timedelta(days=30)


@task()
def prune_finished_task_results() -> int:
    """Delete finished task results older than the retention period; return how many."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - TASK_RESULT_RETENTION
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
