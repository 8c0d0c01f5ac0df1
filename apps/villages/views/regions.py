from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.exports import list_export, yes_no
from apps.core.forms import posted, run_service
from apps.core.permissions import DATA_ENTRY_ROLES, has_role
from apps.core.scoping import get_for

from .. import selectors, services
from ..forms import VillageForm, VillageRetireForm, village_filter
from ..models import County, Township, Village
from ..services import VILLAGE_CREATOR_LEVELS

PAGE_SIZE = 25
SORTS = ("code", "-code", "name", "-name")
EXPORT_FIELDS = (
    "code",
    "name",
    "county",
    "township",
    "population_registered",
    "population_resident",
    "households",
    "poverty_status",
    "exit_year",
    "is_minority",
    "is_remote",
    "retired_on",
    "retired_reason",
    "notes",
)


def _may(user) -> dict[str, bool]:
    """What the user's role allows on villages, so pages only offer what the services will accept."""
    manage = has_role(user, DATA_ENTRY_ROLES, levels=VILLAGE_CREATOR_LEVELS)
    return {
        "create": manage,
        "edit": has_role(user, DATA_ENTRY_ROLES),
        "move": has_role(user, DATA_ENTRY_ROLES, levels=("city", "county")),
        "retire": manage,
        "delete": manage,
    }


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not make this change."))


def _get_village(request, pk) -> Village:
    return get_for(request.user, Village.objects.select_related("township", "county", "merged_into"), pk=pk)


# Region browser


@login_required
def region_list(request):
    counties = selectors.county_list_with_counts(user=request.user)
    return render(request, "villages/region_list.html", {"counties": counties})


@login_required
def region_export(request):
    """The counties of the regions page with their counts in scope (retired villages left out)."""
    return list_export(
        name=_("Regions"),
        records=selectors.county_list_with_counts(user=request.user).select_related("city"),
        headers=[_("county"), _("code"), _("city"), _("Townships"), _("Villages")],
        row=lambda county: [
            county.name,
            county.code,
            county.city.name,
            county.township_count,
            county.village_count,
        ],
        text_columns=[1],
    )


@login_required
def county_detail(request, pk):
    county = get_for(request.user, County.objects.select_related("city"), pk=pk)
    townships = selectors.township_list_with_counts(user=request.user).filter(county=county)
    return render(request, "villages/county_detail.html", {"county": county, "townships": townships})


@login_required
def township_detail(request, pk):
    township = get_for(request.user, Township.objects.select_related("county"), pk=pk)
    villages = selectors.village_list(user=request.user).filter(township=township)
    return render(request, "villages/township_detail.html", {"township": township, "villages": villages})


# Village list and export


def _filtered_villages(request):
    """The filter and the filtered, sorted villages the list page and its export share."""
    filterset = village_filter(request.GET or None, user=request.user)
    sort = request.GET.get("sort")
    villages = filterset.qs.order_by(sort if sort in SORTS else "code")
    return filterset, villages


@login_required
def village_list(request):
    filterset, villages = _filtered_villages(request)
    page = Paginator(villages, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "sort": request.GET.get("sort", "code"),
        "may": _may(request.user),
    }
    template = "villages/_village_results.html" if request.htmx else "villages/village_list.html"
    return render(request, template, context)


@login_required
def village_export(request):
    _filterset, villages = _filtered_villages(request)
    fields = [Village._meta.get_field(name) for name in EXPORT_FIELDS]

    def cell(village, field):
        if field.choices:
            return getattr(village, f"get_{field.name}_display")()
        value = getattr(village, field.name)
        if isinstance(value, bool):
            return yes_no(value)
        return str(value) if field.is_relation and value is not None else value

    return list_export(
        name=_("villages"),
        records=villages,
        headers=[field.verbose_name for field in fields],
        row=lambda village: [cell(village, field) for field in fields],
        text_columns=[EXPORT_FIELDS.index("code")],
    )


# One village


@login_required
def village_detail(request, pk):
    village = _get_village(request, pk)
    merged_from = selectors.village_list(user=request.user).filter(merged_into=village)
    return render(
        request,
        "villages/village_detail.html",
        {"village": village, "merged_from": merged_from, "may": _may(request.user)},
    )


@login_required
def village_create(request):
    _require(_may(request.user)["create"])
    form = VillageForm(posted(request), townships=selectors.township_list(user=request.user))
    if form.is_valid() and (
        village := run_service(form, services.village_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Village %(name)s was created.") % {"name": village.name})
        return redirect("villages:village_detail", pk=village.pk)
    return render(request, "villages/village_form.html", {"form": form})


@login_required
def village_update(request, pk):
    village = _get_village(request, pk)
    may = _may(request.user)
    _require(may["edit"])
    townships = selectors.township_list(user=request.user) if may["move"] else None
    form = VillageForm(posted(request), townships=townships, village=village)
    if form.is_valid():
        if run_service(
            form, services.village_update, actor=request.user, village=village, **form.cleaned_data
        ):
            messages.success(request, _("Village %(name)s was saved.") % {"name": village.name})
            return redirect("villages:village_detail", pk=village.pk)
        village.refresh_from_db()  # the service may have changed the instance before refusing
    return render(request, "villages/village_form.html", {"form": form, "village": village})


@login_required
def village_retire(request, pk):
    village = _get_village(request, pk)
    _require(_may(request.user)["retire"])
    merge_targets = (
        selectors.village_list(user=request.user, include_retired=False)
        .filter(county_id=village.county_id)
        .exclude(pk=village.pk)
    )
    form = VillageRetireForm(posted(request), merge_targets=merge_targets)
    if form.is_valid():
        if run_service(
            form, services.village_retire, actor=request.user, village=village, **form.cleaned_data
        ):
            messages.success(request, _("Village %(name)s was retired.") % {"name": village.name})
            return redirect("villages:village_detail", pk=village.pk)
        village.refresh_from_db()
    return render(request, "villages/village_retire.html", {"form": form, "village": village})


@login_required
def village_delete(request, pk):
    village = _get_village(request, pk)
    _require(_may(request.user)["delete"])
    form = forms.Form(posted(request))
    if form.is_valid():
        run_service(form, services.village_delete, actor=request.user, village=village)
        if not form.errors:
            messages.success(request, _("Village %(name)s was deleted.") % {"name": village.name})
            return redirect("villages:village_list")
    return render(request, "villages/village_confirm_delete.html", {"form": form, "village": village})
