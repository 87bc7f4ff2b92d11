"""XLSX template, all-or-nothing import with row-level errors, and the scoped plan export."""

import datetime as dt
import zoneinfo
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from danvan.core.models import AuditEvent
from danvan.org.models import Membership
from danvan.org.tests.factories import AgencyFactory
from danvan.plans.models import Task
from danvan.plans.selectors import plan_tree
from danvan.plans.services import content_add, plan_create, task_create
from danvan.plans.xlsx import (
    DATA_SHEET,
    GUIDE_SHEET,
    REFERENCE_SHEET,
    TEMPLATE_COLUMNS,
    XLSX_CONTENT_TYPE,
    build_template,
)
from danvan.plans.xlsx_export import export_plan
from danvan.plans.xlsx_import import import_tasks, parse_rows

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
DEFAULTS = {
    "content": 1,
    "code": "",
    "title": "Tổ chức hội nghị quán triệt",
    "description": "",
    "expected_output": "",
    "lead": "so-a",
    "coordinating": "",
    "due_on": "31/03/2026",
    "recurrence": "không",
    "recurrence_day": None,
}


def row(**values) -> list:
    """One data row in template column order, from DEFAULTS overridden by `values`."""
    merged = {**DEFAULTS, **values}
    return list(merged.values())


def xlsx(rows, header=TEMPLATE_COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append(list(header))
    for values in rows:
        sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_at(result) -> list[tuple]:
    return [(e.row, e.column) for e in result.errors]


@pytest.fixture
def officer(org_tree, make_member):
    return make_member(org_tree.city, Membership.Role.OFFICER)


@pytest.fixture
def plan(org_tree, officer):
    plan = plan_create(
        actor=officer,
        issuing_agency=org_tree.city,
        title="Kế hoạch công tác dân vận chính quyền năm 2026",
        number="45/KH-UBND",
        year=2026,
        period_start=START,
        period_end=END,
    )
    content_add(actor=officer, plan=plan, number=1, title="Tuyên truyền, phổ biến")
    content_add(actor=officer, plan=plan, number=2, title="Dân chủ ở cơ sở")
    return plan


def test_it_builds_a_template_with_header_instructions_and_reference_sheets(org_tree, plan):
    AgencyFactory(code="cu", name="Cơ quan đã giải thể", valid_to=dt.date(2025, 6, 30))
    workbook = load_workbook(BytesIO(build_template(plan)))
    assert workbook.sheetnames == [DATA_SHEET, GUIDE_SHEET, REFERENCE_SHEET]
    data = workbook[DATA_SHEET]
    assert [c.value for c in data[1]] == list(TEMPLATE_COLUMNS)
    assert data.freeze_panes == "A2"
    assert data["A1"].font.bold
    reference = list(workbook[REFERENCE_SHEET].iter_rows(min_row=2, values_only=True))
    codes = {r[0] for r in reference if r[0]}
    assert codes == {a.code for a in org_tree.all}  # in force only
    contents = [(r[3], r[4]) for r in reference if r[3]]
    assert contents == [(1, "Tuyên truyền, phổ biến"), (2, "Dân chủ ở cơ sở")]
    guide = " ".join(str(r[0]) for r in workbook[GUIDE_SHEET].iter_rows(values_only=True) if r[0])
    assert "MÃ đơn vị" in guide


def test_it_reads_its_own_template_back_without_header_errors(plan):
    result = parse_rows(build_template(plan), plan=plan)
    assert [(e.row, e.column) for e in result.errors] == [(None, "")]  # only "no tasks"
    filled = load_workbook(BytesIO(build_template(plan)))
    filled[DATA_SHEET].append(row())
    buffer = BytesIO()
    filled.save(buffer)
    assert parse_rows(buffer.getvalue(), plan=plan).ok


def test_it_imports_every_row_with_its_fields_and_occurrences(org_tree, plan, officer):
    data = xlsx(
        [
            row(
                code="1.1",
                description="Mô tả",
                expected_output="Báo cáo",
                coordinating="so-b, MTTQ",
                due_on=dt.datetime(2026, 3, 31),
            ),
            row(content=2, title="Đối thoại", lead="sở  nội VỤ", due_on="30/06/2026"),
            row(
                content="2",
                title="Báo cáo định kỳ",
                lead="ubnd-xa",
                due_on="31/12/2026",
                recurrence="hằng quý",
                recurrence_day=15,
            ),
        ]
    )
    result = import_tasks(actor=officer, plan=plan, data=data)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.occurrences) == (3, 4)
    first = Task.objects.get(plan=plan, code="1.1")
    assert (first.content.number, first.lead_agency, first.due_on) == (
        1,
        org_tree.dept_a,
        dt.date(2026, 3, 31),
    )
    assert (first.description, first.expected_output) == ("Mô tả", "Báo cáo")
    assert set(first.coordinating_agencies.all()) == {org_tree.dept_b, org_tree.front}
    assert first.search_text == "1.1 to chuc hoi nghi quan triet"
    second = Task.objects.get(plan=plan, title="Đối thoại")
    assert (second.content.number, second.lead_agency) == (2, org_tree.dept_a)
    recurring = Task.objects.get(plan=plan, title="Báo cáo định kỳ")
    assert recurring.recurrence == Task.Recurrence.QUARTERLY
    assert [o.due_on for o in recurring.occurrences.order_by("due_on")] == [
        dt.date(2026, m, 15) for m in (3, 6, 9, 12)
    ]
    events = AuditEvent.objects.filter(action="plans.tasks_import")
    assert [(e.object_id, e.changes["rows"]) for e in events] == [(str(plan.pk), 3)]


def test_it_saves_nothing_when_one_row_of_four_is_bad(plan, officer):
    rows = [row(), row(), row(), row(due_on="15/01/2027")]
    result = import_tasks(actor=officer, plan=plan, data=xlsx(rows))
    assert errors_at(result) == [(5, "Thời hạn")]
    assert "5" in str(result.errors[0]) and "Thời hạn" in str(result.errors[0])
    assert not Task.objects.filter(plan=plan).exists()
    assert not AuditEvent.objects.filter(action="plans.tasks_import").exists()


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"lead": "khong-co"}, "Đơn vị chủ trì"),
        ({"lead": ""}, "Đơn vị chủ trì"),
        ({"coordinating": "so-b, khong-co"}, "Đơn vị phối hợp"),
        ({"due_on": "31/12/2025"}, "Thời hạn"),
        ({"due_on": "31/02/2026"}, "Thời hạn"),
        ({"due_on": ""}, "Thời hạn"),
        ({"recurrence": "hằng năm", "recurrence_day": 31, "due_on": "30/06/2026"}, "Lặp lại"),
        ({"recurrence": "thỉnh thoảng"}, "Lặp lại"),
        ({"recurrence": "hằng tháng", "recurrence_day": None}, "Ngày trong tháng"),
        ({"recurrence": "hằng tháng", "recurrence_day": 32}, "Ngày trong tháng"),
        ({"title": "   "}, "Nhiệm vụ"),
        ({"content": 9}, "Nội dung"),
        ({"content": "ba"}, "Nội dung"),
        ({"expected_output": "x" * 501}, "Sản phẩm dự kiến"),
    ],
)
def test_it_names_the_row_and_column_of_a_bad_cell(plan, officer, values, column):
    result = import_tasks(actor=officer, plan=plan, data=xlsx([row(), row(**values)]))
    assert errors_at(result) == [(3, column)]
    assert result.errors[0].message
    assert not Task.objects.filter(plan=plan).exists()


def test_it_refuses_an_agency_no_longer_in_force(plan, officer):
    AgencyFactory(code="huyen-cu", name="UBND huyện cũ", valid_to=dt.date(2025, 6, 30))
    result = import_tasks(actor=officer, plan=plan, data=xlsx([row(lead="huyen-cu")]))
    assert errors_at(result) == [(2, "Đơn vị chủ trì")]


def test_it_lists_every_bad_cell_of_every_row(plan, officer):
    rows = [row(lead="?", due_on="hôm nay"), row(), row(title="", content=7)]
    result = import_tasks(actor=officer, plan=plan, data=xlsx(rows))
    assert sorted(errors_at(result)) == [
        (2, "Thời hạn"),
        (2, "Đơn vị chủ trì"),
        (4, "Nhiệm vụ"),
        (4, "Nội dung"),
    ]


def test_it_refuses_a_code_repeated_in_the_file_or_already_in_the_plan(org_tree, plan, officer):
    task_create(
        actor=officer,
        plan=plan,
        content=plan.contents.get(number=1),
        title="Đã có",
        lead_agency=org_tree.dept_a,
        due_on=dt.date(2026, 5, 1),
        code="A1",
    )
    rows = [row(code="B1"), row(code="A1"), row(code="B1")]
    result = import_tasks(actor=officer, plan=plan, data=xlsx(rows))
    assert errors_at(result) == [(3, "Mã nhiệm vụ"), (4, "Mã nhiệm vụ")]
    assert Task.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"%PDF-1.7\n%\xe2\xe3 a pdf renamed .xlsx", b""],
)
def test_it_explains_a_file_that_is_not_an_xlsx(plan, officer, data):
    result = import_tasks(actor=officer, plan=plan, data=data)
    assert errors_at(result) == [(None, "")]
    assert "XLSX" in str(result.errors[0])
    assert not Task.objects.filter(plan=plan).exists()


def test_it_names_missing_and_unexpected_header_columns(plan, officer):
    header = [h if not h.startswith("Thời hạn") else "Hạn chót" for h in TEMPLATE_COLUMNS]
    result = import_tasks(actor=officer, plan=plan, data=xlsx([row()], header=header))
    messages = [str(e) for e in result.errors]
    assert len(messages) == 2 and all(e.row == 1 for e in result.errors)
    assert any("Hạn chót" in m and "H1" in m for m in messages)
    assert any("Thời hạn (dd/mm/yyyy)" in m for m in messages)
    assert not Task.objects.filter(plan=plan).exists()


def test_it_asks_for_the_header_row_when_the_sheet_is_empty(plan, officer):
    result = import_tasks(actor=officer, plan=plan, data=xlsx([], header=[]))
    assert errors_at(result) == [(1, "")]


def test_it_asks_for_the_code_when_two_agencies_share_a_name(org_tree, plan, officer):
    AgencyFactory(code="so-a-2", name="Sở Nội vụ")
    result = import_tasks(actor=officer, plan=plan, data=xlsx([row(lead="Sở Nội vụ")]))
    assert errors_at(result) == [(2, "Đơn vị chủ trì")]
    assert import_tasks(actor=officer, plan=plan, data=xlsx([row(lead="SO-A-2")])).ok


def test_it_accepts_columns_in_any_order_and_headings_in_any_case(plan, officer):
    header = [h.upper() for h in reversed(TEMPLATE_COLUMNS)]
    result = import_tasks(
        actor=officer, plan=plan, data=xlsx([list(reversed(row()))], header=header)
    )
    assert result.ok and result.created == 1


def test_it_skips_blank_rows_but_keeps_excel_row_numbers(plan, officer):
    rows = [row(), [None] * 10, ["", " ", *[None] * 9, "ghi chú ngoài bảng"], row(lead="khong-co")]
    result = parse_rows(xlsx(rows), plan=plan)
    assert errors_at(result) == [(5, "Đơn vị chủ trì")]


def test_it_refuses_more_rows_than_the_cap(plan, officer, monkeypatch):
    monkeypatch.setattr("danvan.plans.xlsx_import.MAX_IMPORT_ROWS", 3)
    result = import_tasks(actor=officer, plan=plan, data=xlsx([row()] * 4))
    assert errors_at(result) == [(5, "")]
    assert not Task.objects.filter(plan=plan).exists()


def test_it_refuses_a_file_that_unpacks_too_large(plan, officer, monkeypatch):
    monkeypatch.setattr("danvan.plans.xlsx_import.MAX_UNPACKED_BYTES", 1000)
    result = import_tasks(actor=officer, plan=plan, data=xlsx([row()]))
    assert errors_at(result) == [(None, "")]


def test_it_checks_and_saves_one_off_rows_with_a_fixed_number_of_queries(plan, officer):
    def queries(n: int) -> int:
        data = xlsx([row(code=f"{n}-{i}", coordinating="so-b,mttq") for i in range(n)])
        with CaptureQueriesContext(connection) as captured:
            assert import_tasks(actor=officer, plan=plan, data=data).ok
        return len(captured)

    assert queries(3) == queries(40)


def _upload(data: bytes, name: str = "nhiem-vu.xlsx") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)}


def test_it_imports_through_the_page_for_an_issuing_agency_officer(client, plan, officer):
    client.force_login(officer)
    url = reverse("plans:xlsx_import", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert reverse("plans:xlsx_template", args=[plan.pk]) in page.text
    response = client.post(url, _upload(xlsx([row(), row(content=2)])))
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert Task.objects.filter(plan=plan).count() == 2


def test_it_lists_row_errors_on_the_page_tied_to_the_file_field(client, plan, officer):
    client.force_login(officer)
    url = reverse("plans:xlsx_import", args=[plan.pk])
    response = client.post(url, _upload(xlsx([row(), row(lead="khong-co")])))
    assert response.status_code == 200
    assert 'aria-describedby="id_file_errors"' in response.text
    assert 'id="id_file_errors"' in response.text and 'role="alert"' in response.text
    assert "Đơn vị chủ trì" in response.text and "khong-co" in response.text
    assert not Task.objects.filter(plan=plan).exists()


def test_it_shows_only_the_first_200_row_errors_and_counts_the_rest(client, plan, officer):
    client.force_login(officer)
    url = reverse("plans:xlsx_import", args=[plan.pk])
    response = client.post(url, _upload(xlsx([row(lead="x")] * 230)))
    errors = response.context["form"].errors["file"]
    assert len(errors) == 201 and "30" in errors[-1]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"%PDF-1.7 renamed", "nhiem-vu.xlsx", "bad_type"),
        (b"PK\x03\x04 a zip named .xls", "nhiem-vu.xls", "bad_type"),
        (b"PK\x03\x04" + b"0" * 2000, "nhiem-vu.xlsx", "too_large"),
    ],
)
def test_it_refuses_a_wrong_type_or_oversized_upload(
    client, plan, officer, monkeypatch, data, name, code
):
    monkeypatch.setattr("danvan.plans.views_xlsx.MAX_IMPORT_BYTES", 1000)
    client.force_login(officer)
    response = client.post(reverse("plans:xlsx_import", args=[plan.pk]), _upload(data, name))
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert [e.code for e in errors] == [code]
    assert code != "bad_type" or "XLSX" in errors[0].message
    assert not AuditEvent.objects.filter(action="plans.tasks_import").exists()


def test_it_refuses_import_to_other_agencies_and_hides_plans_out_of_scope(
    client, org_tree, plan, officer, make_member
):
    task_create(
        actor=officer,
        plan=plan,
        content=plan.contents.get(number=1),
        title="Việc của Sở Nội vụ",
        lead_agency=org_tree.dept_a,
        due_on=dt.date(2026, 5, 1),
    )
    client.force_login(make_member(org_tree.dept_a, Membership.Role.OFFICER))
    assert client.get(reverse("plans:xlsx_import", args=[plan.pk])).status_code == 403
    response = client.post(reverse("plans:xlsx_import", args=[plan.pk]), _upload(xlsx([row()])))
    assert response.status_code == 403
    assert Task.objects.filter(plan=plan).count() == 1
    client.force_login(make_member(org_tree.dept_b, Membership.Role.OFFICER))
    for name in ("xlsx_template", "xlsx_import", "xlsx_export"):
        assert client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("plans:xlsx_export", args=[plan.pk])).status_code == 302


def test_it_downloads_the_template_of_the_plan(client, plan, officer):
    client.force_login(officer)
    response = client.get(reverse("plans:xlsx_template", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert f'filename="mau-nhiem-vu-{plan.pk}.xlsx"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in workbook[DATA_SHEET][1]] == list(TEMPLATE_COLUMNS)


def _tasks_for_export(org_tree, plan, officer) -> None:
    content = plan.contents.get(number=1)
    common = {"actor": officer, "plan": plan, "content": content}
    done = task_create(**common, title="Đã xong", lead_agency=org_tree.dept_a, due_on=END)
    Task.objects.filter(pk=done.pk).update(completed_on=dt.date(2026, 2, 1), percent=100)
    task_create(
        **common, title="=1+1 không phải công thức", lead_agency=org_tree.dept_b, due_on=END
    )
    task_create(
        **common,
        title="Báo cáo quý",
        lead_agency=org_tree.dept_a,
        due_on=END,
        recurrence=Task.Recurrence.QUARTERLY,
        recurrence_day=10,
    )


@time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=VIETNAM), tick=False)
def test_it_exports_the_tasks_the_user_sees_and_audits_it(client, org_tree, plan, officer):
    _tasks_for_export(org_tree, plan, officer)
    client.force_login(officer)
    response = client.get(reverse("plans:xlsx_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    tasks_sheet, summary = workbook.worksheets
    cells = {c.value: c for r in tasks_sheet.iter_rows() for c in r if c.value is not None}
    assert plan.title in cells and "45/KH-UBND" in cells
    assert {"Đã xong", "Báo cáo quý", "Báo cáo quý (10/12/2026)"} <= set(cells)
    assert cells["=1+1 không phải công thức"].data_type == "s"
    assert str(Task.Status.DONE_ON_TIME.label) in cells
    total = list(summary.iter_rows(values_only=True))[-1]
    assert total[1:] == (6, 1, 0, 3, 17)  # 2 one-off + 4 occurrences; 3 quarters passed
    events = AuditEvent.objects.filter(action="plans.export_xlsx")
    assert [(e.object_id, e.changes) for e in events] == [(str(plan.pk), {"tasks": 3})]


def test_it_exports_only_the_tasks_in_the_users_scope(org_tree, plan, officer, make_member):
    _tasks_for_export(org_tree, plan, officer)
    dept_b = make_member(org_tree.dept_b, Membership.Role.OFFICER)
    data = export_plan(plan, plan_tree(user=dept_b, plan=plan))
    titles = {
        v for r in load_workbook(BytesIO(data)).worksheets[0].iter_rows(values_only=True) for v in r
    }
    assert "=1+1 không phải công thức" in titles
    assert "Đã xong" not in titles and "Báo cáo quý" not in titles
