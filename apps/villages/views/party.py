"""Pages for Party organisations, their four-level chain, yearly ratings and rectification cases."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.cadres.models import Cadre
from apps.core.exports import list_export, yes_no
from apps.core.forms import posted, run_service
from apps.core.permissions import DATA_ENTRY_ROLES, has_role
from apps.core.scoping import get_for, scope_for

from .. import selectors, services
from ..filters import RectificationFilter
from ..forms import (
    YES_NO_ANY,
    CentralHouseholdForm,
    PartyGridForm,
    PartyOrganisationForm,
    RatingForm,
    RectificationAcceptForm,
    RectificationExtendForm,
    RectificationForm,
    RectificationNoteForm,
    organisation_filter,
)
from ..models import (
    PartyGrid,
    PartyOrganisation,
    RatingLevel,
    RectificationStatus,
)
from ..services import DECISION_ROLES

PAGE_SIZE = 25
FIRST_YEAR = 2014
ORGANISATION_SORTS = ("name", "-name", "township__code", "-township__code", "members_count", "-members_count")


def _may(user) -> dict[str, bool]:
    """What the user's role allows, so pages only offer what the services will accept."""
    return {"edit": has_role(user, DATA_ENTRY_ROLES), "decide": has_role(user, DECISION_ROLES)}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not make this change."))


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _get_organisation(request, pk) -> PartyOrganisation:
    return get_for(request.user, selectors.organisation_list(user=request.user), pk=pk)


def _writable(user, organisation: PartyOrganisation) -> bool:
    """Whether the user may write on this organisation (all its villages in the user's region)."""
    try:
        services.ensure_organisation_writable(user, organisation)
    except PermissionDenied:
        return False
    return True


# Organisations


def _filtered_organisations(request):
    year = _int_or_none(request.GET.get("year"))
    filterset = organisation_filter(request.GET or None, user=request.user, years=_years(), year=year)
    sort = request.GET.get("sort")
    organisations = filterset.qs.order_by(sort if sort in ORGANISATION_SORTS else "township__code", "name")
    return filterset, organisations, year


@login_required
def organisation_list(request):
    filterset, organisations, year = _filtered_organisations(request)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "year": year,
        "sort": request.GET.get("sort", "township__code"),
        "may": _may(request.user),
    }
    template = (
        "villages/_organisation_results.html" if request.htmx else "villages/partyorganisation_list.html"
    )
    return render(request, template, context)


@login_required
def organisation_export(request):
    _filterset, organisations, year = _filtered_organisations(request)
    headers = [
        capfirst(_("name")),
        capfirst(_("kind")),
        capfirst(_("county")),
        capfirst(_("township")),
        capfirst(_("villages")),
        capfirst(_("joint organisation")),
        capfirst(_("members")),
        capfirst(_("founded on")),
        capfirst(_("dissolved on")),
        capfirst(_("secretary")),
        capfirst(_("year")),
        capfirst(_("rating")),
    ]
    levels = dict(RatingLevel.choices)

    def row(organisation):
        return [
            organisation.name,
            organisation.get_kind_display(),
            organisation.county.name,
            organisation.township.name,
            "、".join(v.name for v in organisation.villages.all()),
            yes_no(organisation.is_joint),
            organisation.members_count,
            organisation.founded_on,
            organisation.dissolved_on,
            organisation.secretary.name if organisation.secretary else "",
            organisation.shown_year,
            str(levels.get(organisation.shown_level, "")),
        ]

    return list_export(name=_("Party organisations"), records=organisations, headers=headers, row=row)


@login_required
def organisation_detail(request, pk):
    organisation = _get_organisation(request, pk)
    user = request.user
    context = {
        "organisation": organisation,
        "ratings": selectors.rating_list(user=user).filter(organisation=organisation).order_by("-year"),
        "cases": selectors.rectification_list(user=user).filter(organisation=organisation).order_by("-year"),
        "grids": selectors.grid_list(user=user)
        .filter(organisation=organisation)
        .prefetch_related("households"),
        "may": _may(user),
        "writable": _writable(user, organisation),
    }
    return render(request, "villages/partyorganisation_detail.html", context)


def _village_choices(user, organisation: PartyOrganisation | None = None):
    """Active villages in the user's region, plus (when editing) the organisation's own, even if retired."""
    keep = Q(retired_on__isnull=True)
    if organisation is not None:
        keep |= Q(pk__in=organisation.village_links.values("village_id"))
    return selectors.village_list(user=user).filter(keep).order_by("code")


@login_required
def organisation_create(request):
    _require(_may(request.user)["edit"])
    form = PartyOrganisationForm(posted(request), villages=_village_choices(request.user))
    if form.is_valid() and (
        organisation := run_service(
            form, services.organisation_create, actor=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("Organisation %(name)s was created.") % {"name": organisation.name})
        return redirect("villages:partyorganisation_detail", pk=organisation.pk)
    return render(request, "villages/partyorganisation_form.html", {"form": form})


@login_required
def organisation_update(request, pk):
    organisation = _get_organisation(request, pk)
    _require(_may(request.user)["edit"] and _writable(request.user, organisation))
    village_ids = organisation.village_links.values("village_id")
    secretaries = scope_for(request.user, Cadre.objects.filter(village_id__in=village_ids)).order_by("name")
    form = PartyOrganisationForm(
        posted(request),
        villages=_village_choices(request.user, organisation),
        secretaries=secretaries,
        organisation=organisation,
    )
    if form.is_valid() and run_service(
        form,
        services.organisation_update,
        actor=request.user,
        organisation=organisation,
        **form.cleaned_data,
    ):
        messages.success(request, _("Organisation %(name)s was saved.") % {"name": organisation.name})
        return redirect("villages:partyorganisation_detail", pk=organisation.pk)
    return render(
        request, "villages/partyorganisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_delete(request, pk):
    organisation = _get_organisation(request, pk)
    _require(_may(request.user)["edit"] and _writable(request.user, organisation))
    form = forms.Form(posted(request))
    if form.is_valid():
        run_service(form, services.organisation_delete, actor=request.user, organisation=organisation)
        if not form.errors:
            messages.success(request, _("Organisation %(name)s was deleted.") % {"name": organisation.name})
            return redirect("villages:partyorganisation_list")
    return render(
        request,
        "villages/partyorganisation_confirm_delete.html",
        {"form": form, "organisation": organisation},
    )


# Ratings


@login_required
def rating_create(request, pk):
    organisation = _get_organisation(request, pk)
    _require(_may(request.user)["decide"] and _writable(request.user, organisation))
    form = RatingForm(posted(request), initial={"year": timezone.localdate().year - 1})
    if form.is_valid() and (
        rating := run_service(
            form, services.rating_create, actor=request.user, organisation=organisation, **form.cleaned_data
        )
    ):
        if rating.level == RatingLevel.WEAK:
            messages.warning(
                request,
                _("The rating for %(year)s was saved and a rectification case was opened.")
                % {"year": rating.year},
            )
        else:
            messages.success(request, _("The rating for %(year)s was saved.") % {"year": rating.year})
        return redirect("villages:partyorganisation_detail", pk=organisation.pk)
    return render(request, "villages/rating_form.html", {"form": form, "organisation": organisation})


@login_required
def rating_update(request, pk):
    rating = get_for(request.user, selectors.rating_list(user=request.user), pk=pk)
    organisation = rating.organisation
    _require(_may(request.user)["decide"] and _writable(request.user, organisation))
    form = RatingForm(posted(request), change=True, initial={"level": rating.level, "reason": rating.reason})
    if form.is_valid():
        if run_service(form, services.rating_update, actor=request.user, rating=rating, **form.cleaned_data):
            messages.success(request, _("The rating for %(year)s was changed.") % {"year": rating.year})
            return redirect("villages:partyorganisation_detail", pk=organisation.pk)
        rating.refresh_from_db()
    return render(
        request, "villages/rating_form.html", {"form": form, "organisation": organisation, "rating": rating}
    )


# The four-level chain


@login_required
def grid_create(request, pk):
    organisation = _get_organisation(request, pk)
    _require(_may(request.user)["edit"] and _writable(request.user, organisation))
    form = PartyGridForm(posted(request))
    if form.is_valid() and run_service(
        form, services.grid_create, actor=request.user, organisation=organisation, **form.cleaned_data
    ):
        messages.success(request, _("The grid was saved."))
        return redirect("villages:partyorganisation_detail", pk=organisation.pk)
    return render(
        request,
        "villages/chain_form.html",
        {"form": form, "organisation": organisation, "title": _("New grid")},
    )


def _get_grid(request, pk) -> PartyGrid:
    return get_for(request.user, selectors.grid_list(user=request.user), pk=pk)


@login_required
def grid_update(request, pk):
    grid = _get_grid(request, pk)
    _require(_may(request.user)["edit"] and _writable(request.user, grid.organisation))
    form = PartyGridForm(posted(request), grid=grid)
    if form.is_valid() and run_service(
        form, services.grid_update, actor=request.user, grid=grid, **form.cleaned_data
    ):
        messages.success(request, _("The grid was saved."))
        return redirect("villages:partyorganisation_detail", pk=grid.organisation_id)
    context = {"form": form, "organisation": grid.organisation, "title": grid.name, "grid": grid}
    return render(request, "villages/chain_form.html", context)


@login_required
@require_POST
def grid_delete(request, pk):
    grid = _get_grid(request, pk)
    _require(_may(request.user)["edit"] and _writable(request.user, grid.organisation))
    form = forms.Form(request.POST)
    run_service(form, services.grid_delete, actor=request.user, grid=grid)
    if form.errors:
        messages.error(request, " ".join(form.non_field_errors()))
    else:
        messages.success(request, _("The grid was deleted."))
    return redirect("villages:partyorganisation_detail", pk=grid.organisation_id)


@login_required
def household_create(request, pk):
    grid = _get_grid(request, pk)
    _require(_may(request.user)["edit"] and _writable(request.user, grid.organisation))
    form = CentralHouseholdForm(posted(request))
    if form.is_valid() and run_service(
        form, services.central_household_create, actor=request.user, grid=grid, **form.cleaned_data
    ):
        messages.success(request, _("The central household was saved."))
        return redirect("villages:partyorganisation_detail", pk=grid.organisation_id)
    title = _("New central household in %(grid)s") % {"grid": grid.name}
    return render(
        request, "villages/chain_form.html", {"form": form, "organisation": grid.organisation, "title": title}
    )


@login_required
def household_update(request, pk):
    household = get_for(request.user, selectors.central_household_list(user=request.user), pk=pk)
    organisation = household.grid.organisation
    _require(_may(request.user)["edit"] and _writable(request.user, organisation))
    form = CentralHouseholdForm(posted(request), household=household)
    if form.is_valid() and run_service(
        form, services.central_household_update, actor=request.user, household=household, **form.cleaned_data
    ):
        messages.success(request, _("The central household was saved."))
        return redirect("villages:partyorganisation_detail", pk=organisation.pk)
    context = {
        "form": form,
        "organisation": organisation,
        "title": household.member_name,
        "household": household,
    }
    return render(request, "villages/chain_form.html", context)


@login_required
@require_POST
def household_delete(request, pk):
    household = get_for(request.user, selectors.central_household_list(user=request.user), pk=pk)
    organisation = household.grid.organisation
    _require(_may(request.user)["edit"] and _writable(request.user, organisation))
    services.central_household_delete(actor=request.user, household=household)
    messages.success(request, _("The central household was deleted."))
    return redirect("villages:partyorganisation_detail", pk=organisation.pk)


# Rectification


def _case_filter(request):
    filterset = RectificationFilter(
        request.GET or None, queryset=selectors.rectification_list(user=request.user)
    )
    fields = filterset.form.fields
    counties = [(c.pk, c.name) for c in selectors.county_list(user=request.user)]
    townships = [(t.pk, t.name) for t in selectors.township_list(user=request.user)]
    fields["county"].widget = forms.Select(choices=[("", _("All counties")), *counties])
    fields["township"].widget = forms.Select(choices=[("", _("All townships")), *townships])
    fields["year"].widget = forms.Select(choices=[("", _("All years")), *((y, y) for y in _years())])
    for name in ("overdue", "is_repeat"):
        fields[name].widget = forms.Select(choices=YES_NO_ANY)
    for name in ("village", "organisation", "status"):
        del fields[name]
    for field in fields.values():
        field.widget.attrs["class"] = "form-select"
    filterset.single_choice_fields = {
        name for name, choices in (("county", counties), ("township", townships)) if len(choices) < 2
    }
    return filterset


@login_required
def rectification_board(request):
    filterset = _case_filter(request)
    board = selectors.rectification_board(user=request.user, cases=filterset.qs)
    return render(
        request,
        "villages/rectification_board.html",
        {"filter": filterset, "board": board, "may": _may(request.user)},
    )


@login_required
def rectification_export(request):
    """Every case the board's filters select, accepted ones included (the board shows only the latest)."""
    cases = (
        _case_filter(request)
        .qs.prefetch_related(None)
        .order_by(F("overdue").desc(), F("deadline").asc(nulls_last=True), "-year", "organisation__name")
    )
    levels = dict(RatingLevel.choices)
    headers = [
        _("Party organisation"),
        _("county"),
        _("township"),
        _("year"),
        _("status"),
        _("deadline"),
        _("Overdue"),
        _("Repeat case"),
        _("accepted on"),
        _("Next year's rating"),
    ]
    return list_export(
        name=_("Rectification board"),
        records=cases,
        headers=headers,
        row=lambda case: [
            case.organisation.name,
            case.organisation.county.name,
            case.organisation.township.name,
            case.year,
            case.get_status_display(),
            case.deadline,
            yes_no(case.overdue),
            yes_no(case.is_repeat),
            case.accepted_on,
            str(levels.get(case.next_rating, "")),
        ],
    )


def _get_case(request, pk):
    return get_for(request.user, selectors.rectification_list(user=request.user), pk=pk)


def _render_case(request, case, *, status=200, **forms_):
    """The case page; action views re-render it with their bound form when the service refuses."""
    may = _may(request.user)
    writable = _writable(request.user, case.organisation)
    context = {
        "case": case,
        "ratings": selectors.rating_list(user=request.user)
        .filter(organisation=case.organisation)
        .order_by("year"),
        "may": may,
        "writable": writable,
        "note_form": forms_.get("note_form") or RectificationNoteForm(initial={"date": timezone.localdate()}),
        "extend_form": forms_.get("extend_form") or RectificationExtendForm(),
        "accept_form": forms_.get("accept_form") or RectificationAcceptForm(),
        "start_form": forms_.get("start_form"),
        "statuses": RectificationStatus,
    }
    return render(request, "villages/rectification_detail.html", context, status=status)


@login_required
def rectification_detail(request, pk):
    return _render_case(request, _get_case(request, pk))


@login_required
def rectification_update(request, pk):
    case = _get_case(request, pk)
    _require(_may(request.user)["edit"] and _writable(request.user, case.organisation))
    form = RectificationForm(posted(request), rectification=case)
    if form.is_valid() and run_service(
        form, services.rectification_update, actor=request.user, rectification=case, **form.cleaned_data
    ):
        messages.success(request, _("The rectification case was saved."))
        return redirect("villages:rectification_detail", pk=case.pk)
    return render(request, "villages/rectification_form.html", {"form": form, "case": case})


def _case_action(request, pk, *, role: str, form_class, form_name: str, service, done: str):
    case = _get_case(request, pk)
    _require(_may(request.user)[role] and _writable(request.user, case.organisation))
    form = form_class(request.POST)
    if form.is_valid() and run_service(
        form, service, actor=request.user, rectification=case, **form.cleaned_data
    ):
        messages.success(request, done)
        return redirect("villages:rectification_detail", pk=case.pk)
    return _render_case(request, _get_case(request, pk), status=400, **{form_name: form})


@login_required
@require_POST
def rectification_start(request, pk):
    return _case_action(
        request,
        pk,
        role="edit",
        form_class=forms.Form,
        form_name="start_form",
        service=services.rectification_start,
        done=_("Rectification has started."),
    )


@login_required
@require_POST
def rectification_accept(request, pk):
    return _case_action(
        request,
        pk,
        role="decide",
        form_class=RectificationAcceptForm,
        form_name="accept_form",
        service=services.rectification_accept,
        done=_("The case was accepted."),
    )


@login_required
@require_POST
def rectification_extend(request, pk):
    return _case_action(
        request,
        pk,
        role="decide",
        form_class=RectificationExtendForm,
        form_name="extend_form",
        service=services.rectification_extend,
        done=_("The deadline was extended."),
    )


@login_required
@require_POST
def rectification_note_add(request, pk):
    return _case_action(
        request,
        pk,
        role="edit",
        form_class=RectificationNoteForm,
        form_name="note_form",
        service=services.rectification_note_add,
        done=_("The progress note was added."),
    )


# Figures 1–3


@login_required
def party_figures(request):
    user = request.user
    counties = selectors.county_list(user=user)
    county = counties.filter(pk=_int_or_none(request.GET.get("county"))).first()
    latest = selectors.latest_rated_year(user=user, county=county) or timezone.localdate().year
    year_to = _int_or_none(request.GET.get("year_to")) or latest
    year_from = min(_int_or_none(request.GET.get("year_from")) or FIRST_YEAR, year_to)
    figures = selectors.party_figures(user=user, year_from=year_from, year_to=year_to, county=county)
    context = {
        "figures": figures,
        "counties": counties,
        "county": county,
        "year_from": year_from,
        "year_to": year_to,
        "years": _years(),
        "levels": RatingLevel,
    }
    return render(request, "villages/party_figures.html", context)
