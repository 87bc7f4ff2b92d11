"""Permissions on reports, named by verb (django-rules). The figures themselves are scoped by
`reports.metrics.Scope`; these rules say who may open the pages and act on a report."""

import rules
from django.utils import timezone

from danvan.org.models import Membership
from danvan.org.selectors import ALL, is_staff_member, visible_agency_ids
from danvan.plans.rules import works_in


@rules.predicate
def staff_member(user) -> bool:
    return is_staff_member(user)


@rules.predicate
def works_in_agency(user, agency) -> bool:
    return agency is not None and works_in(user, [agency.pk])


@rules.predicate
def can_see_report(user, report) -> bool:
    if report is None:
        return False
    ids = visible_agency_ids(user)
    return ids is ALL or report.agency_id in ids


@rules.predicate
def works_in_report_agency(user, report) -> bool:
    return report is not None and works_in(user, [report.agency_id])


@rules.predicate
def leads_report_agency(user, report) -> bool:
    if report is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, agency_id=report.agency_id, role=Membership.Role.LEADER)
        .exists()
    )


@rules.predicate
def report_is_draft(user, report) -> bool:
    return report is not None and report.is_draft


@rules.predicate
def requested_export(user, job) -> bool:
    return job is not None and job.requested_by_id == getattr(user, "pk", None)


rules.add_perm("reports.view_dashboard", rules.is_superuser | staff_member)
rules.add_perm("reports.add_report", rules.is_superuser | works_in_agency)
rules.add_perm("reports.view_report", rules.is_superuser | can_see_report)
rules.add_perm(
    "reports.change_report", report_is_draft & (rules.is_superuser | works_in_report_agency)
)
rules.add_perm(
    "reports.submit_report", report_is_draft & (rules.is_superuser | leads_report_agency)
)
rules.add_perm("reports.view_export", requested_export)
