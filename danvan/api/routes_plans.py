"""Plans, their contents and tasks, and progress reports: the pages' selectors and rules."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from danvan.api import schemas as s
from danvan.api.auth import require_token_agency
from danvan.api.pagination import paginate
from danvan.org.selectors import agencies_where_user_works
from danvan.plans.models import ContentArea
from danvan.plans.progress import progress_post
from danvan.plans.selectors import plan_get, plan_list, task_get, task_queryset, task_timeline

router = Router(tags=["plans"])

PlanPage = s.page_of(s.PlanOut, "PlanPage")
TaskPage = s.page_of(s.TaskOut, "TaskPage")


@router.get("/plans", response=PlanPage, summary="Plans you may see")
def plans(request, filters: Query[s.PlanFilters]):
    qs = plan_list(user=request.user, year=filters.year)
    return paginate(qs, cursor=filters.cursor, limit=filters.limit)


@router.get("/plans/{plan_id}", response=s.PlanDetailOut)
def plan(request, plan_id: s.Id):
    found = plan_get(user=request.user, pk=plan_id)
    return {
        **s.PlanOut.model_validate(found).model_dump(),
        "purpose": found.purpose,
        "contents": list(ContentArea.objects.filter(plan=found).order_by("number")),
        "legal_basis_ids": list(found.legal_bases.values_list("pk", flat=True)),
    }


@router.get("/tasks", response=TaskPage, summary="Tasks you may see, with derived status")
def tasks(request, filters: Query[s.TaskFilters]):
    qs = task_queryset(user=request.user)
    if filters.plan:
        qs = qs.filter(plan_id=filters.plan)
    if filters.lead_agency:
        qs = qs.filter(lead_agency_id=filters.lead_agency)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.due_from:
        qs = qs.filter(due_on__gte=filters.due_from)
    if filters.due_to:
        qs = qs.filter(due_on__lte=filters.due_to)
    return paginate(qs, cursor=filters.cursor, limit=filters.limit, keys=("due_on", "id"))


@router.get("/tasks/{task_id}", response=s.TaskOut)
def task(request, task_id: s.Id):
    return task_get(user=request.user, pk=task_id)


@router.get("/tasks/{task_id}/progress", response=list[s.ProgressOut])
def task_progress(request, task_id: s.Id):
    return list(task_timeline(task=task_get(user=request.user, pk=task_id)))


@router.post("/tasks/{task_id}/progress", response={201: s.ProgressOut})
def task_progress_post(request, task_id: s.Id, data: s.ProgressIn):
    found = task_get(user=request.user, pk=task_id)
    if not request.user.has_perm("plans.post_progress", found):
        raise PermissionDenied
    agency = next(
        (a for a in agencies_where_user_works(request.user) if a.pk == data.agency_id), None
    )
    involved = {found.lead_agency_id, *found.coordinating_agencies.values_list("pk", flat=True)}
    if agency is None or agency.pk not in involved:
        raise ValidationError({"agency_id": _("Report for an agency of this task where you work.")})
    require_token_agency(request, agency.pk)
    update = progress_post(
        actor=request.user, task=found, agency=agency, text=data.text, percent=data.percent
    )
    return Status(201, update)
