"""Report drafts, edits with a version check, submission freezing the figures, comparison."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import race
from danvan.core.errors import ConcurrentChangeError, TransitionError
from danvan.core.models import AuditEvent
from danvan.reports.compare import compare, flatten
from danvan.reports.models import Report
from danvan.reports.selectors import report_data
from danvan.reports.services import report_create, report_submit, report_update
from danvan.reports.tests.conftest import H1

pytestmark = pytest.mark.django_db


def make(dataset, **extra) -> Report:
    fields = {
        "number": "12/BC-UBND",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn An",
    } | extra
    return report_create(
        actor=dataset.city_leader,
        agency=dataset.tree.city,
        period=H1,
        plan=dataset.plan,
        **fields,
    )


def test_a_draft_is_prefilled_from_the_live_figures(dataset):
    report = make(dataset)
    assert report.subject == "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2026"
    assert set(report.narratives) == {
        "content_1",
        "content_2",
        "petitions",
        "assessment",
        "next_period",
    }
    assert report.narratives["content_1"].startswith("Trong kỳ, nội dung này có 2 nhiệm vụ")
    assert AuditEvent.objects.filter(action="reports.report_create", object_id=report.pk).exists()


def test_an_edit_with_a_stale_version_is_refused_and_nothing_is_lost(dataset):
    report = make(dataset)
    report_update(actor=dataset.city_leader, report=report, expected_version=1, subject="Báo cáo A")
    with pytest.raises(ConcurrentChangeError):
        report_update(
            actor=dataset.city_leader, report=report, expected_version=1, subject="Báo cáo B"
        )
    report.refresh_from_db()
    assert (report.subject, report.version) == ("Báo cáo A", 2)


def test_submitting_freezes_the_figures_while_the_live_ones_move_on(dataset):
    report = make(dataset)
    submitted = report_submit(actor=dataset.city_leader, report=report, expected_version=1)
    assert submitted.status == Report.Status.SUBMITTED
    frozen = submitted.figures
    assert frozen["headline"]["received"] == 5
    # A petition received late but dated inside the period arrives after submission.
    dataset.petition(
        dataset.tree.commune_pc, "complaint", "post", dt.date(2026, 6, 1), None, "received"
    )
    assert report_data(submitted, today=H1.end, cutoff_day=15)["headline"]["received"] == 5
    live = report_data(submitted, today=H1.end, cutoff_day=15, live=True)
    assert live["headline"]["received"] == 6
    changes = {c.path: (c.frozen, c.live, c.delta) for c in compare(frozen, live)}
    assert changes["headline › received"] == (5, 6, 1)
    assert changes["petitions › by_kind › complaint"] == (2, 3, 1)
    with pytest.raises(TransitionError):
        report_update(actor=dataset.city_leader, report=submitted, expected_version=2, subject="x")


def test_a_report_without_number_or_signer_cannot_be_submitted(dataset):
    report = make(dataset, number="", signer_name="", signer_position="")
    with pytest.raises(ValidationError) as caught:
        report_submit(actor=dataset.city_leader, report=report, expected_version=1)
    assert set(caught.value.error_dict) == {"number", "signer_name", "signer_position"}
    report.refresh_from_db()
    assert report.is_draft and report.figures is None


def test_flatten_reads_names_in_lists():
    flat = flatten({"a": {"x": 1, "flag": True}, "rows": [{"id": 4, "name": "Xã A", "n": 2}]})
    assert flat == {"a › x": 1, "rows › Xã A › n": 2}


@pytest.mark.django_db(transaction=True)
def test_two_leaders_submitting_at_once_one_wins_the_other_is_told(org_tree, make_member):
    from danvan.reports.tests.conftest import Dataset

    dataset = Dataset(org_tree, make_member)
    report = make(dataset)
    results, errors = race(
        lambda: report_submit(actor=dataset.city_leader, report=report, expected_version=1)
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConcurrentChangeError | TransitionError)
    assert AuditEvent.objects.filter(action="reports.report_submit").count() == 1
