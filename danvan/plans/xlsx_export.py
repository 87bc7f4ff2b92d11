"""XLSX export of a plan as one user sees it: its header, contents → tasks, and a summary.

The caller passes the `plan_tree` it already scoped for the user, so the file never shows more
than the plan page does. Headings reuse the models' verbose names, so they follow the UI
language. A recurring task is listed with its dated occurrences below it; the occurrences, not
the template, carry progress, so the summary counts one-off tasks and occurrences.
"""

import datetime as dt

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from danvan.plans.models import ContentArea, Plan, Task
from danvan.plans.selectors import PlanTree
from danvan.plans.xlsx import HEADER_FILL, HEADER_FONT, TITLE_FONT, text_cell, workbook_bytes

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TASK_WIDTHS = (14, 60, 28, 36, 14, 20, 12, 14)
SUMMARY_WIDTHS = (60, 12, 16, 16, 14, 16)
SUMMARY_STATES = (Task.Status.DONE_ON_TIME, Task.Status.DONE_LATE, Task.Status.OVERDUE)


def _label(model, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _sheet(workbook: Workbook, title: str, widths):
    # Excel refuses sheet names longer than 31 characters.
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    return sheet


def _date_cell(sheet, value: dt.date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def _heading_row(sheet, headings) -> list:
    return [
        text_cell(sheet, h, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP) for h in headings
    ]


def _plan_block(sheet, plan: Plan, tree: PlanTree) -> int:
    """Write the plan's header rows; return how many rows were written."""
    rows = [
        (_label(Plan, "number"), plan.number),
        (_label(Plan, "issuing_agency"), plan.issuing_agency.name),
        (_("Period"), f"{plan.period_start:%d/%m/%Y} – {plan.period_end:%d/%m/%Y}"),
        (_label(Plan, "status"), plan.get_status_display()),
        (_("Average progress of the listed tasks (%)"), summary_counts(tree.tasks)[-1]),
        (_("Exported on"), f"{timezone.localtime():%d/%m/%Y %H:%M}"),
    ]
    sheet.append([text_cell(sheet, plan.title, font=TITLE_FONT)])
    for label, value in rows:
        sheet.append([text_cell(sheet, label, font=BOLD), None, text_cell(sheet, value)])
    sheet.append([])
    return len(rows) + 2


def _task_cells(sheet, task: Task, lead, coordinating: str, *, indent: int = 0) -> list:
    status = Task.Status(task.status).label
    return [
        text_cell(sheet, task.code),
        text_cell(sheet, task.title, alignment=Alignment(wrap_text=True, indent=indent)),
        text_cell(sheet, str(lead)),
        text_cell(sheet, coordinating, alignment=WRAP),
        _date_cell(sheet, task.due_on),
        text_cell(sheet, str(status)),
        task.percent,
        _date_cell(sheet, task.completed_on),
    ]


def _work_items(task: Task) -> list[Task]:
    """The tasks that carry progress: the occurrences of a recurring task, else the task."""
    return list(task.occurrences.all()) if task.is_recurring_template else [task]


def _tasks_sheet(workbook: Workbook, plan: Plan, tree: PlanTree) -> None:
    sheet = _sheet(workbook, _("Tasks"), TASK_WIDTHS)
    header_rows = _plan_block(sheet, plan, tree)
    sheet.freeze_panes = f"A{header_rows + 2}"
    headings = [
        _label(Task, "code"),
        str(capfirst(Task._meta.verbose_name)),
        _label(Task, "lead_agency"),
        _label(Task, "coordinating_agencies"),
        _label(Task, "due_on"),
        _label(Plan, "status"),
        _label(Task, "percent"),
        _label(Task, "completed_on"),
    ]
    sheet.append(_heading_row(sheet, headings))
    for node in tree.nodes:
        sheet.append([None, text_cell(sheet, str(node.content), font=BOLD, alignment=WRAP)])
        for task in node.tasks:
            coordinating = ", ".join(str(a) for a in task.coordinating_agencies.all())
            sheet.append(_task_cells(sheet, task, task.lead_agency, coordinating))
            if task.is_recurring_template:
                for occurrence in task.occurrences.all():
                    cells = _task_cells(sheet, occurrence, task.lead_agency, coordinating, indent=2)
                    sheet.append(cells)


def summary_counts(tasks: list[Task]) -> list[int]:
    """[work items, done on time, done late, overdue, average %] for `tasks`."""
    items = [item for task in tasks for item in _work_items(task)]
    counts = [sum(1 for item in items if item.status == state) for state in SUMMARY_STATES]
    average = round(sum(item.percent for item in items) / len(items)) if items else 0
    return [len(items), *counts, average]


def _summary_sheet(workbook: Workbook, tree: PlanTree) -> None:
    sheet = _sheet(workbook, _("Summary"), SUMMARY_WIDTHS)
    headings = [
        str(capfirst(ContentArea._meta.verbose_name)),
        str(capfirst(Task._meta.verbose_name_plural)),
        *(str(state.label) for state in SUMMARY_STATES),
        _("Average progress (%)"),
    ]
    sheet.append(_heading_row(sheet, headings))
    sheet.freeze_panes = "A2"
    for node in tree.nodes:
        label = text_cell(sheet, str(node.content), alignment=WRAP)
        sheet.append([label, *summary_counts(node.tasks)])
    total = [text_cell(sheet, _("Total"), font=BOLD), *summary_counts(tree.tasks)]
    sheet.append(total)


def export_plan(plan: Plan, tree: PlanTree) -> bytes:
    """Return the XLSX of `plan` with the tasks in `tree` (already scoped for the user)."""
    workbook = Workbook(write_only=True)
    _tasks_sheet(workbook, plan, tree)
    _summary_sheet(workbook, tree)
    return workbook_bytes(workbook)
