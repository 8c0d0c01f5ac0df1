"""Pages of the Excel import: the list with the upload form and templates, one import's progress and
report, and the downloads (template, uploaded file, annotated error workbook)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .forms import add_service_errors, posted
from .imports import selectors, services
from .imports.report import report_response, uploaded_file_response
from .imports.spec import import_kind, import_kinds
from .imports.template import template_response
from .imports.workbook import MAX_ROWS, MAX_UPLOAD_BYTES
from .jobs import JobQueueUnavailable
from .models import ImportBatch, ImportMode, ImportState
from .permissions import DATA_ENTRY_ROLES, has_role
from .scoping import get_for

ERRORS_SHOWN = 500
STATE_CLASSES = {
    ImportState.QUEUED: "secondary",
    ImportState.RUNNING: "info",
    ImportState.VALID: "success",
    ImportState.INVALID: "danger",
    ImportState.COMMITTED: "success",
    ImportState.FAILED: "danger",
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of records"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=ImportMode.choices,
        initial=ImportMode.VALIDATE,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.name, kind.label) for kind in import_kinds()]


@login_required
def import_list(request):
    form = UploadForm(posted(request), request.FILES or None)
    may_import = has_role(request.user, DATA_ENTRY_ROLES)
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.import_start(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name,
                    content=upload.read(),
                    mode=form.cleaned_data["mode"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except JobQueueUnavailable as error:
                form.add_error(None, str(error))
            else:
                return redirect("core:import_detail", batch.pk)
    kind, state = request.GET.get("kind") or None, request.GET.get("state") or None
    batches = selectors.import_list(user=request.user, kind=kind, state=state)
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    labels = {k.name: k.label for k in import_kinds()}
    for batch in page.object_list:
        batch.kind_label = labels.get(batch.kind, batch.kind)
        batch.state_class = STATE_CLASSES[batch.state]
    return render(
        request,
        "core/imports/import_list.html",
        {
            "form": form,
            "may_import": may_import,
            "page": page,
            "kinds": import_kinds(),
            "states": ImportState.choices,
            "kind": kind,
            "state": state,
            "max_rows": f"{MAX_ROWS:,}",
            "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


@login_required
def import_detail(request, pk: int):
    batch = get_for(
        request.user, ImportBatch.objects.select_related("uploaded_by", "job").defer("content"), pk=pk
    )
    kind = import_kind(batch.kind)
    context = {
        "batch": batch,
        "kind_label": kind.label if kind else batch.kind,
        "state_class": STATE_CLASSES[batch.state],
        "progress": selectors.import_progress(batch),
        "errors": batch.errors[:ERRORS_SHOWN],
        "errors_hidden": max(len(batch.errors) - ERRORS_SHOWN, 0),
        "may_download": selectors.may_download_file(request.user, batch),
        "may_commit": batch.mode == ImportMode.VALIDATE
        and batch.state == ImportState.VALID
        and batch.uploaded_by_id == request.user.pk,
        "change_set": selectors.import_change_set(batch),
    }
    template = "core/imports/_import_status.html" if request.htmx else "core/imports/import_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def import_commit(request, pk: int):
    batch = get_for(request.user, ImportBatch, pk=pk)
    try:
        committed = services.import_commit_validated(actor=request.user, batch=batch)
    except (ValidationError, JobQueueUnavailable) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("core:import_detail", batch.pk)
    return redirect("core:import_detail", committed.pk)


@login_required
def import_report(request, pk: int):
    batch = get_for(request.user, ImportBatch, pk=pk)
    selectors.ensure_may_download_file(request.user, batch)
    return report_response(batch)


@login_required
def import_file(request, pk: int):
    batch = get_for(request.user, ImportBatch, pk=pk)
    selectors.ensure_may_download_file(request.user, batch)
    return uploaded_file_response(batch)


@login_required
def import_template(request, kind: str):
    spec = import_kind(kind)
    if spec is None:
        raise Http404(_("No such kind of import."))
    return template_response(spec, request.user)
