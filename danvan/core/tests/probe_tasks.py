"""A task used by the worker tests: it records when it starts and when it finishes, and sleeps
on its first attempt only (so that a worker can be killed in the middle of it)."""

import time

from django_tasks import task

from danvan.core.audit import audit_log
from danvan.core.models import AuditEvent


@task()
def probe(key: str, seconds: float = 0.0) -> str:
    first = not AuditEvent.objects.filter(action="probe.started", changes__key=key).exists()
    audit_log(actor=None, action="probe.started", changes={"key": key})
    if first and seconds:
        time.sleep(seconds)
    audit_log(actor=None, action="probe.done", changes={"key": key})
    return key
