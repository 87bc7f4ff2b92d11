"""Several workers on PostgreSQL: no job runs twice, and none is lost when a worker is killed
in the middle of one (the tick puts it back after the lease)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from danvan.core.models import AuditEvent
from danvan.core.tests.probe_tasks import probe
from danvan.core.tick import requeue_stale_tasks

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("several workers claim jobs with SKIP LOCKED: PostgreSQL only (CI runs it)")


def worker(name: str, *, batch: bool = True) -> subprocess.Popen:
    """A real `manage.py db_worker` process on the test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    args = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    args += ["--worker-id", name, "--interval", "0.1", *(["--batch"] if batch else [])]
    env = {**os.environ, "DATABASE_URL": url, "DANVAN_TESTING": "1"}
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        args, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )


def finished(key: str) -> int:
    return AuditEvent.objects.filter(action="probe.done", changes__key=key).count()


def test_two_workers_run_every_job_exactly_once(postgres):
    keys = [f"job-{i}" for i in range(30)]
    for key in keys:
        probe.enqueue(key, 0.05)
    workers = [worker("worker-a"), worker("worker-b")]
    for w in workers:
        assert w.wait(timeout=120) == 0
    assert [finished(key) for key in keys] == [1] * len(keys)
    results = DBTaskResult.objects.all()
    assert results.count() == 30
    assert all(r.status == TaskResultStatus.SUCCESSFUL and len(r.worker_ids) == 1 for r in results)


def test_a_job_whose_worker_is_killed_is_finished_by_another_once(postgres, settings):
    probe.enqueue("slow", 60)
    first = worker("worker-killed", batch=False)
    try:
        deadline = time.monotonic() + 60
        while not AuditEvent.objects.filter(action="probe.started", changes__key="slow").exists():
            assert time.monotonic() < deadline, "the first worker never started the job"
            time.sleep(0.1)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.RUNNING and finished("slow") == 0
    # Within the lease nothing moves: a slow job is not taken from a live worker.
    requeue_stale_tasks(now=timezone.now())
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING
    later = timezone.now() + dt.timedelta(seconds=settings.DANVAN_TASK_LEASE_SECONDS + 1)
    requeue_stale_tasks(now=later)
    second = worker("worker-rescuer")
    assert second.wait(timeout=120) == 0
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids == ["worker-killed", "worker-rescuer"]
    assert finished("slow") == 1
