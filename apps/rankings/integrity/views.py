"""Pages of the integrity watch: the findings of the user's region, and one finding with its review form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.forms import posted, run_service
from apps.core.permissions import ADMIN_ROLES, has_role

from . import selectors, services
from .detectors import DETECTOR_LABELS, RULES, explanation
from .filters import FindingFilter
from .forms import FindingReviewForm

PAGE_SIZE = 50


@login_required
def finding_list(request):
    filterset = FindingFilter(
        request.GET or None, queryset=selectors.finding_list(request.user), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for finding in page.object_list:
        finding.detector_label = DETECTOR_LABELS.get(finding.detector, finding.detector)
        finding.explanation = explanation(finding)
    return render(request, "rankings/finding_list.html", {"page": page, "filter": filterset})


@login_required
def finding_detail(request, pk):
    finding = selectors.finding_get(request.user, pk)
    may_review = has_role(request.user, ADMIN_ROLES)
    form = FindingReviewForm(posted(request) if may_review else None, initial={"status": finding.status})
    if request.method == "POST" and may_review and form.is_valid():
        run_service(form, services.finding_review, actor=request.user, finding=finding, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("The finding's status is saved."))
            return redirect("rankings:finding_list")
    finding.detector_label = DETECTOR_LABELS.get(finding.detector, finding.detector)
    context = {
        "finding": finding,
        "rule": RULES.get(finding.detector, ""),
        "explanation": explanation(finding),
        "form": form if may_review else None,
    }
    return render(request, "rankings/finding_detail.html", context)
