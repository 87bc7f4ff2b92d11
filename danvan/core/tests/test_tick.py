"""The periodic tick enqueues work; the real django-tasks-db worker runs it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from danvan.core.tasks import prune_finished_task_results
from danvan.core.tick import registered_hooks, run_tick


def test_it_registers_the_foundation_hooks():
    assert "core.prune_task_results" in registered_hooks()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_what_the_tick_enqueued():
    old = prune_finished_task_results.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    DBTaskResult.objects.filter(id=old.id).update(
        finished_at=timezone.now() - dt.timedelta(days=31)
    )

    results = run_tick()
    assert results["core.prune_task_results"] == 1
    prune = DBTaskResult.objects.filter(task_path__endswith="prune_finished_task_results")
    assert prune.ready().count() == 1  # (other modules' hooks enqueue their own jobs)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    latest = prune.exclude(id=old.id).get()
    assert latest.status == "SUCCESSFUL"
    assert latest.return_value == 1  # the month-old result was pruned
    assert not DBTaskResult.objects.filter(id=old.id).exists()


@pytest.mark.django_db(transaction=True)
def test_the_tick_command_prints_what_it_enqueued(capsys):
    call_command("tick")
    assert "core.prune_task_results=1" in capsys.readouterr().out
