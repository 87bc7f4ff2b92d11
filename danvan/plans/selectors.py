"""Reads of plans and tasks, all through the scoping rule of org.selectors.

A user sees a task when its plan's issuing agency, its lead agency or one of its coordinating
agencies is in their scope; a plan when they see its issuing agency or at least one of its tasks.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from danvan.org.models import Membership
from danvan.org.selectors import ALL, visible_agency_ids
from danvan.plans.models import ContentArea, Plan, ProgressUpdate, Task
from danvan.plans.status import DONE, OVERDUE, status_expression


def _task_scope_q(ids) -> Q:
    coordinated = Task.coordinating_agencies.through.objects.filter(
        task_id=OuterRef("pk"), agency_id__in=ids
    )
    return Q(plan__issuing_agency__in=ids) | Q(lead_agency__in=ids) | Q(Exists(coordinated))


def task_queryset(*, user, today: dt.date | None = None) -> QuerySet[Task]:
    """Tasks `user` may see, annotated with `status` as of `today`."""
    today = today or timezone.localdate()
    qs = Task.objects.annotate(status=status_expression(today))
    ids = visible_agency_ids(user)
    if ids is ALL:
        return qs
    if not ids:
        return qs.none()
    return qs.filter(_task_scope_q(ids))


def plan_list(*, user, year: int | None = None) -> QuerySet[Plan]:
    ids = visible_agency_ids(user)
    qs = Plan.objects.select_related("issuing_agency", "parent")
    if year:
        qs = qs.filter(year=year)
    if ids is ALL:
        return qs
    if not ids:
        return qs.none()
    visible_tasks = task_queryset(user=user).filter(plan=OuterRef("pk"))
    return qs.filter(Q(issuing_agency__in=ids) | Q(Exists(visible_tasks)))


def plan_get(*, user, pk: int) -> Plan:
    return plan_list(user=user).get(pk=pk)


@dataclass
class ContentNode:
    content: ContentArea
    tasks: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        values = [t.percent for t in self.tasks]
        return round(sum(values) / len(values)) if values else 0

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for task in self.tasks:
            counts[task.status] = counts.get(task.status, 0) + 1
        return counts


@dataclass
class PlanTree:
    plan: Plan
    nodes: list[ContentNode]

    @property
    def tasks(self):
        return [t for node in self.nodes for t in node.tasks]

    @property
    def percent(self) -> int:
        tasks = self.tasks
        return round(sum(t.percent for t in tasks) / len(tasks)) if tasks else 0


def plan_tree(
    *, user, plan: Plan, agency_id: int | None = None, status: str = "", today=None
) -> PlanTree:
    """The plan's contents with the tasks `user` may see, filtered; a fixed number of queries.

    Recurring templates are listed with their occurrences; implementing tasks from lower
    plans are rolled up into `children_percent` / `children_count` of the task they implement.
    """
    tasks = (
        task_queryset(user=user, today=today)
        .filter(plan=plan, occurrence_of__isnull=True)
        .select_related("lead_agency")
        .prefetch_related(
            "coordinating_agencies",
            Prefetch(
                "occurrences",
                queryset=Task.objects.annotate(
                    status=status_expression(today or timezone.localdate())
                ).order_by("due_on"),
            ),
        )
        .annotate(children_percent=Avg("children__percent"), children_count=Count("children"))
        .order_by("content__number", "due_on", "id")
    )
    if agency_id:
        tasks = tasks.filter(
            Q(lead_agency_id=agency_id) | Q(coordinating_agencies__id=agency_id)
        ).distinct()
    if status:
        tasks = tasks.filter(status=status)
    nodes = {c.pk: ContentNode(content=c) for c in plan.contents.order_by("number")}
    for task in tasks:
        task.status_label = Task.Status(task.status).label
        nodes[task.content_id].tasks.append(task)
    return PlanTree(plan=plan, nodes=list(nodes.values()))


def task_get(*, user, pk: int) -> Task:
    return (
        task_queryset(user=user)
        .select_related(
            "plan__issuing_agency", "content", "lead_agency", "parent__plan", "occurrence_of"
        )
        .prefetch_related("coordinating_agencies")
        .get(pk=pk)
    )


def task_timeline(*, task: Task) -> QuerySet[ProgressUpdate]:
    return task.updates.select_related("agency", "author", "reviewed_by").prefetch_related(
        "evidence"
    )


def _my_agency_ids(user, roles) -> set[int]:
    return set(
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, role__in=roles)
        .values_list("agency_id", flat=True)
    )


@dataclass
class Inbox:
    overdue: list
    due_soon: list
    in_hand: list
    to_review: list


def my_tasks(*, user, today: dt.date | None = None, soon_days: int = 7) -> Inbox:
    """The officer's inbox: tasks led or coordinated by their agencies, and updates to review."""
    today = today or timezone.localdate()
    agencies = _my_agency_ids(user, [Membership.Role.LEADER, Membership.Role.OFFICER])
    mine = (
        task_queryset(user=user, today=today)
        .filter(Q(lead_agency__in=agencies) | Q(coordinating_agencies__in=agencies))
        .filter(plan__status__in=[Plan.Status.ISSUED, Plan.Status.IN_PROGRESS])
        .exclude(
            recurrence__in=[r for r in Task.Recurrence.values if r != "none"],
            occurrence_of__isnull=True,
        )
        .exclude(status__in=DONE)
        .select_related("plan", "lead_agency")
        .distinct()
        .order_by("due_on", "id")
    )
    overdue, due_soon, in_hand = [], [], []
    horizon = today + dt.timedelta(days=soon_days)
    for task in mine:
        if task.status == OVERDUE:
            overdue.append(task)
        elif task.due_on <= horizon:
            due_soon.append(task)
        else:
            in_hand.append(task)
    to_review = list(
        ProgressUpdate.objects.filter(
            review=ProgressUpdate.Review.PENDING, task__lead_agency__in=agencies
        )
        .select_related("task", "agency", "author")
        .order_by("created_at")
    )
    return Inbox(overdue=overdue, due_soon=due_soon, in_hand=in_hand, to_review=to_review)
