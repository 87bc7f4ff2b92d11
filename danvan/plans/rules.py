"""Permissions on plans and tasks, named by verb (django-rules)."""

import rules
from django.utils import timezone

from danvan.org.models import Membership
from danvan.plans.models import Plan, Task
from danvan.plans.selectors import plan_list, task_queryset

WORKING_ROLES = (Membership.Role.LEADER, Membership.Role.OFFICER)
OPEN_PLAN = (Plan.Status.ISSUED, Plan.Status.IN_PROGRESS)


def works_in(user, agency_ids) -> bool:
    """True if `user` is a leader or officer, in force today, of one of `agency_ids`."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_citizen", False):
        return False
    return (
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, agency_id__in=list(agency_ids), role__in=WORKING_ROLES)
        .exists()
    )


@rules.predicate
def works_anywhere(user) -> bool:
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_citizen", False):
        return False
    return (
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, role__in=WORKING_ROLES)
        .exists()
    )


@rules.predicate
def can_see_plan(user, plan: Plan | None) -> bool:
    return plan is not None and plan_list(user=user).filter(pk=plan.pk).exists()


@rules.predicate
def works_in_issuing_agency(user, plan: Plan | None) -> bool:
    return plan is not None and works_in(user, [plan.issuing_agency_id])


@rules.predicate
def plan_not_closed(user, plan: Plan | None) -> bool:
    return plan is not None and plan.status != Plan.Status.CLOSED


@rules.predicate
def plan_is_open(user, plan: Plan | None) -> bool:
    return plan is not None and plan.status in OPEN_PLAN


@rules.predicate
def takes_part_in_plan(user, plan: Plan | None) -> bool:
    if plan is None:
        return False
    agencies = set(plan.tasks.values_list("lead_agency_id", flat=True))
    agencies |= set(plan.tasks.values_list("coordinating_agencies", flat=True)) - {None}
    agencies.discard(plan.issuing_agency_id)  # the issuer implements its own plan directly
    return works_in(user, agencies)


@rules.predicate
def can_see_task(user, task: Task | None) -> bool:
    return task is not None and task_queryset(user=user).filter(pk=task.pk).exists()


@rules.predicate
def works_in_lead_agency(user, task: Task | None) -> bool:
    return task is not None and works_in(user, [task.lead_agency_id])


@rules.predicate
def works_in_lead_or_coordinating(user, task: Task | None) -> bool:
    if task is None:
        return False
    agencies = {task.lead_agency_id, *task.coordinating_agencies.values_list("pk", flat=True)}
    return works_in(user, agencies)


@rules.predicate
def task_open(user, task: Task | None) -> bool:
    return (
        task is not None
        and task.plan.status in OPEN_PLAN
        and task.completed_on is None
        and not task.is_recurring_template
    )


rules.add_perm("plans.add_plan", rules.is_superuser | works_anywhere)
rules.add_perm("plans.view_plan", rules.is_superuser | can_see_plan)
rules.add_perm(
    "plans.change_plan", (rules.is_superuser | works_in_issuing_agency) & plan_not_closed
)
rules.add_perm("plans.implement_plan", plan_is_open & takes_part_in_plan)
rules.add_perm("plans.view_task", rules.is_superuser | can_see_task)
rules.add_perm("plans.post_progress", task_open & works_in_lead_or_coordinating)
rules.add_perm("plans.review_progress", task_open & works_in_lead_agency)
