"""The dashboard, drill-down and report pages through the real URLconf: permissions, links,
exports, background jobs, audit, sealed identities, query counts."""

import csv
import io
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from danvan.core.models import AuditEvent
from danvan.org.tests.factories import UserFactory
from danvan.petitions.tests.conftest import SECRET_ID, SECRET_NAME, SECRET_PHONE, Desk
from danvan.reports import documents
from danvan.reports.models import ExportJob, Report
from danvan.reports.tests.conftest import H1

pytestmark = pytest.mark.django_db
PERIOD = urlencode(H1.as_params())


@pytest.fixture
def seen_on_1_july(time_machine):
    time_machine.move_to("2026-07-01 09:00 +07:00", tick=False)


def draft(agency, author, **extra) -> Report:
    fields = {
        "period_kind": H1.kind,
        "period_year": 2026,
        "period_index": 1,
        "period_start": H1.start,
        "period_end": H1.end,
        "subject": "Báo cáo",
        "signer_position": "CHỦ TỊCH",
    } | extra
    return Report.objects.create(agency=agency, created_by=author, **fields)


def login(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_needs_a_staff_member(client, dataset):
    url = reverse("reports:dashboard")
    assert client.get(url).status_code == 302
    login(client, UserFactory(kind="citizen"))
    assert client.get(url).status_code == 403
    login(client, UserFactory())  # no membership
    assert client.get(url).status_code == 403


def test_the_dashboard_links_every_number_to_a_list_of_the_same_size(
    client, dataset, seen_on_1_july
):
    login(client, dataset.city_leader)
    page = client.get(f"{reverse('reports:dashboard')}?{PERIOD}").content.decode()
    links = set(re.findall(r'href="(/reports/records/\?[^"]+)"[^>]*>\s*(\d+)\s*<', page))
    assert len(links) > 20
    for url, figure in links:
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200
        count = re.search(r"(\d+) hồ sơ", listed.content.decode())
        assert count and int(count.group(1)) == int(figure), url


def test_the_dashboard_page_takes_a_fixed_number_of_queries(client, dataset, seen_on_1_july):
    login(client, dataset.city_leader)
    url = f"{reverse('reports:dashboard')}?{PERIOD}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    tree = dataset.tree
    for i in range(30):
        unit = tree.commune if i % 2 else None
        dataset.petition(tree.dept_b, "complaint", "post", H1.start, unit, "received")
    assert queries() == before


def test_a_bad_period_is_answered_on_its_field(client, dataset):
    login(client, dataset.city_leader)
    page = client.get(reverse("reports:dashboard"), {"kind": "quarter", "index": "7"})
    assert page.status_code == 200
    assert "Kỳ này không tồn tại" in page.content.decode()
    assert "aria-invalid" in page.content.decode()
    records = client.get(reverse("reports:records"), {"kind": "quarter", "index": "7"})
    assert records.status_code == 404
    unknown = client.get(reverse("reports:records"), {**H1.as_params(), "metric": "nope"})
    assert unknown.status_code == 404


@pytest.fixture
def sealed(org_tree, make_member, dataset):
    desk = Desk(org_tree, make_member)
    petition = desk.denunciation()
    assert petition.is_sealed
    return petition


def test_sealed_identities_never_appear_in_any_export(client, dataset, sealed, seen_on_1_july):
    login(client, dataset.city_leader)
    drill = {**H1.as_params(), "metric": "received", "by": "kind", "value": "denunciation"}
    outputs = [client.get(reverse("reports:records"), drill).content]
    for fmt in ("csv", "xlsx"):
        url = f"{reverse('reports:records_export')}?{urlencode(drill)}&format={fmt}"
        outputs.append(client.post(url).content)
    csv_rows = list(csv.reader(io.StringIO(outputs[1].decode("utf-8-sig"))))
    assert len(csv_rows) == 1 + 2 and any("[Bảo mật]" in row for row in csv_rows)
    sheet = load_workbook(io.BytesIO(outputs[2])).active
    outputs.append(" ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode())
    report = draft(dataset.tree.city, dataset.city_leader)
    for fmt in ("docx", "xlsx") + (() if documents.pdf_missing_parts() else ("pdf",)):
        url = reverse("reports:report_download", args=[report.pk, fmt])
        outputs.append(client.post(url).content)
    from docx import Document
    from pypdf import PdfReader

    texts = [outputs[0].decode(), outputs[1].decode("utf-8-sig"), outputs[3].decode()]
    texts.append("\n".join(p.text for p in Document(io.BytesIO(outputs[4])).paragraphs))
    annex = load_workbook(io.BytesIO(outputs[5]))
    texts.append(" ".join(str(c.value) for ws in annex for row in ws.iter_rows() for c in row))
    if len(outputs) > 6:
        texts.append(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(outputs[6])).pages))
    for text in texts:
        for secret in (SECRET_NAME, SECRET_ID, SECRET_PHONE):
            assert secret not in text


def test_each_export_leaves_an_audit_event(client, dataset, seen_on_1_july):
    login(client, dataset.city_leader)
    drill = {**H1.as_params(), "metric": "received"}
    client.post(f"{reverse('reports:records_export')}?{urlencode(drill)}&format=csv")
    event = AuditEvent.objects.get(action="reports.export")
    assert event.changes["kind"] == "records_csv" and event.changes["rows"] == 5
    assert event.actor == dataset.city_leader


def test_a_leader_creates_edits_submits_and_downloads_a_report(client, dataset, seen_on_1_july):
    leader = dataset.city_leader
    login(client, leader)
    response = client.post(
        reverse("reports:report_create"),
        {
            "agency": dataset.tree.city.pk,
            "kind": "half",
            "year": 2026,
            "index": 1,
            "plan": dataset.plan.pk,
            "number": "7/BC-UBND",
            "signer_position": "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn An",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.period_start, report.period_end) == (H1.start, H1.end)
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "Trong kỳ, tiếp nhận 5 đơn" in detail
    edit = {
        "number": "7/BC-UBND",
        "subject": report.subject,
        "recipients": "Thành ủy\nLưu: VT",
        "signing_prefixes": "TM. ỦY BAN NHÂN DÂN",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn An",
        "version": 1,
        **{f"narrative_{k}": v for k, v in report.narratives.items()},
        "narrative_assessment": "Ưu điểm: đã tiếp nhận đầy đủ.",
    }
    assert client.post(reverse("reports:report_edit", args=[report.pk]), edit).status_code == 302
    stale = client.post(reverse("reports:report_edit", args=[report.pk]), edit)
    assert stale.status_code == 200 and "Người khác đã sửa" in stale.content.decode()
    submit = client.post(reverse("reports:report_submit", args=[report.pk]), {"version": 2})
    assert submit.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.narratives["assessment"]
    docx = client.post(reverse("reports:report_download", args=[report.pk, "docx"]))
    assert docx["Content-Disposition"].endswith('.docx"') and docx.content[:2] == b"PK"
    compare = client.get(reverse("reports:report_compare", args=[report.pk]))
    assert "Không có thay đổi nào" in compare.content.decode()


def test_only_leaders_submit_and_outsiders_see_nothing(client, dataset):
    report = draft(
        dataset.tree.commune_pc,
        dataset.commune_officer,
        number="1/BC-UBND",
        signer_name="A",
    )
    submit = reverse("reports:report_submit", args=[report.pk])
    login(client, dataset.commune_officer)
    assert client.get(reverse("reports:report_edit", args=[report.pk])).status_code == 200
    assert client.post(submit, {"version": 1}).status_code == 403
    login(client, dataset.front_leader)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(submit, {"version": 1}).status_code == 404
    login(client, dataset.commune_leader)
    assert client.post(submit, {"version": 1}).status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_a_missing_pdf_engine_is_said_clearly(client, dataset, monkeypatch):
    monkeypatch.setattr(documents, "pdf_missing_parts", lambda: ["fonts-liberation2"])
    report = draft(dataset.tree.city, dataset.city_leader)
    login(client, dataset.city_leader)
    response = client.post(reverse("reports:report_download", args=[report.pk, "pdf"]), follow=True)
    assert "Máy chủ không tạo được PDF vì thiếu fonts-liberation2" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_long_period_is_built_by_the_worker_with_progress(client, org_tree, make_member):
    from django.core.management import call_command

    from danvan.reports.tests.conftest import Dataset

    dataset = Dataset(org_tree, make_member)
    report = draft(
        dataset.tree.city,
        dataset.city_leader,
        plan=dataset.plan,
        period_kind="year",
        period_end=H1.start.replace(year=2026, month=12, day=14),
    )
    login(client, dataset.city_leader)
    response = client.post(reverse("reports:report_download", args=[report.pk, "xlsx"]))
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    waiting = client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in waiting and "<progress" in waiting
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    done = client.get(job.get_absolute_url()).content.decode()
    assert reverse("reports:export_download", args=[job.pk]) in done
    file = client.get(reverse("reports:export_download", args=[job.pk]))
    content = b"".join(file.streaming_content)
    assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Báo cáo"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"reports.export_request", "reports.export"} <= set(actions)
    other = make_member(dataset.tree.city, "leader")
    login(client, other)
    assert client.get(job.get_absolute_url()).status_code == 404  # only the requester


@pytest.mark.django_db(transaction=True)
def test_a_long_list_is_exported_by_the_worker_under_the_requesters_scope(
    client, org_tree, make_member, settings
):
    from django.core.management import call_command

    from danvan.reports.tests.conftest import Dataset

    settings.DANVAN_EXPORT_SYNC_MAX_ROWS = 2
    dataset = Dataset(org_tree, make_member)
    Desk(org_tree, make_member).denunciation()  # a sealed case among the commune's records
    login(client, dataset.commune_officer)
    drill = {**H1.as_params(), "metric": "received"}
    response = client.post(f"{reverse('reports:records_export')}?{urlencode(drill)}&format=csv")
    job = ExportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    file = client.get(reverse("reports:export_download", args=[job.pk]))
    assert file["Content-Disposition"].startswith("attachment")
    content = b"".join(file.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    # The commune officer's scope: p1, p2, p3 and the sealed denunciation, not the department's.
    assert len(rows) == 1 + 4
    assert all(SECRET_NAME not in cell for row in rows for cell in row)
    assert any("[Bảo mật]" in row for row in rows)
