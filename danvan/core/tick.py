"""The periodic tick: one entry point that cron or a systemd timer calls every few minutes.

Modules register hooks with `@tick_hook("name")`. `manage.py tick` calls each hook; a hook does
cheap selection work and enqueues background tasks for the worker (it never sends mail itself).
Hooks must be idempotent: the tick may run twice at once, or be late.
"""

from collections.abc import Callable

from django.utils import timezone

TickHook = Callable[..., int]
_HOOKS: dict[str, TickHook] = {}


def tick_hook(name: str) -> Callable[[TickHook], TickHook]:
    def register(func: TickHook) -> TickHook:
        _HOOKS[name] = func
        return func

    return register


def registered_hooks() -> dict[str, TickHook]:
    return dict(_HOOKS)


def run_tick(*, now=None) -> dict[str, int]:
    """Run every registered hook once; return {hook name: number of tasks it enqueued}."""
    now = now or timezone.now()
    return {name: hook(now=now) for name, hook in sorted(_HOOKS.items())}


@tick_hook("core.prune_task_results")
def _prune_task_results(*, now) -> int:
    from danvan.core.tasks import prune_finished_task_results

    prune_finished_task_results.enqueue()
    return 1


@tick_hook("core.requeue_stale_tasks")
def requeue_stale_tasks(*, now) -> int:
    """Put back tasks whose worker died mid-job (killed, machine lost): a task still RUNNING
    after the lease (`DANVAN_TASK_LEASE_SECONDS`) is made READY for another worker. Tasks are
    written to be safe to run again: each claims its own piece of work with a conditional
    update (exports, webhook deliveries) or a claim row (reminders). Returns 0 (it enqueues
    nothing new)."""
    import datetime as dt

    from django.conf import settings
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    lease = dt.timedelta(seconds=settings.DANVAN_TASK_LEASE_SECONDS)
    DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - lease).update(
        status=TaskResultStatus.READY, started_at=None
    )
    return 0
