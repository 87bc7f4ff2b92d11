"""A demo report for `manage.py load_demo`: the city's report for the current six months."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from danvan.org.models import Agency
from danvan.plans.models import Plan
from danvan.reports import periods
from danvan.reports.models import Report
from danvan.reports.services import report_create

DEMO_NUMBER = "DEMO/BC-UBND"


def load_demo_reports() -> Report | None:
    """Create the draft six-month report of the city's People's Committee once."""
    if Report.objects.filter(number=DEMO_NUMBER).exists():
        return None
    agency = Agency.objects.get(code="ubnd-tp")
    today = timezone.localdate()
    period = periods.containing(today, periods.HALF, cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY)
    plan = Plan.objects.filter(issuing_agency=agency, year=period.year).order_by("-pk").first()
    author = get_user_model().objects.get(username="lanhdao.tp")
    return report_create(
        actor=author,
        agency=agency,
        period=period,
        plan=plan,
        number=DEMO_NUMBER,
        recipients="Ban Thường vụ Thành ủy\nBan Dân vận Thành ủy\nLưu: VT",
        signing_prefixes="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        signer_position="PHÓ CHỦ TỊCH",
        signer_name=str(author),
    )
