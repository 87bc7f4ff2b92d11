"""Pages for the XLSX template, the all-or-nothing task import and the plan export."""

from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.audit import audit_log
from danvan.core.decorators import permission_required
from danvan.core.files import check_upload
from danvan.core.forms import AccessibleErrorsMixin
from danvan.plans.models import Plan
from danvan.plans.selectors import plan_get, plan_tree
from danvan.plans.xlsx import (
    GUIDE_SHEET,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    REFERENCE_SHEET,
    XLSX_CONTENT_TYPE,
    build_template,
)
from danvan.plans.xlsx_export import export_plan
from danvan.plans.xlsx_import import import_tasks

# The import page lists this many row errors; the rest are counted.
ERRORS_SHOWN = 200
PAGE_FACTS = {
    "max_mb": MAX_IMPORT_BYTES // (1024 * 1024),
    "max_rows": MAX_IMPORT_ROWS,
    "guide_sheet": GUIDE_SHEET,
    "reference_sheet": REFERENCE_SHEET,
}


class XlsxImportForm(AccessibleErrorsMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLSX file filled in from the template"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, max_bytes=MAX_IMPORT_BYTES, allowed={XLSX_CONTENT_TYPE})
        except ValidationError as exc:
            if exc.code != "bad_type":
                raise
            # check_upload's own message lists every type it knows; only XLSX is accepted here.
            message = _("“%(name)s” is not an XLSX file; save it from Excel as .xlsx.")
            raise ValidationError(message % {"name": upload.name}, code="bad_type") from exc
        return upload

    def add_import_errors(self, errors) -> None:
        for error in errors[:ERRORS_SHOWN]:
            self.add_error("file", str(error))
        if len(errors) > ERRORS_SHOWN:
            more = _("… and %(count)d more errors; fix these first and upload again.")
            self.add_error("file", more % {"count": len(errors) - ERRORS_SHOWN})


def _plan_or_404(request, pk: int) -> Plan:
    try:
        return plan_get(user=request.user, pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None


def _download(data: bytes, filename: str) -> FileResponse:
    return FileResponse(
        BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


@permission_required("core.view_staff_home")
def xlsx_template(request, pk: int):
    plan = _plan_or_404(request, pk)
    return _download(build_template(plan), f"mau-nhiem-vu-{plan.pk}.xlsx")


@permission_required("core.view_staff_home")
def xlsx_import(request, pk: int):
    plan = _plan_or_404(request, pk)
    if not request.user.has_perm("plans.change_plan", plan):
        raise PermissionDenied
    form = XlsxImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = import_tasks(actor=request.user, plan=plan, data=data)
        if result.ok:
            done = _("%(count)d tasks imported from the file.") % {"count": result.created}
            messages.success(request, done)
            return redirect(plan.get_absolute_url())
        form.add_import_errors(result.errors)
    return render(request, "plans/xlsx_import.html", {"plan": plan, "form": form, **PAGE_FACTS})


@permission_required("core.view_staff_home")
def xlsx_export(request, pk: int):
    plan = _plan_or_404(request, pk)
    tree = plan_tree(user=request.user, plan=plan)
    data = export_plan(plan, tree)
    audit_log(
        actor=request.user,
        action="plans.export_xlsx",
        obj=plan,
        agency=plan.issuing_agency,
        changes={"tasks": len(tree.tasks)},
    )
    filename = f"ke-hoach-{plan.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    return _download(data, filename)
