"""The five responsibility lists of a village (五在村) for a year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.forms import posted, run_service
from apps.core.periods import Quarter
from apps.core.scoping import get_for
from apps.villages import selectors as region_selectors

from .. import selectors, services
from ..forms import CloseForm, ReconcileForm, ResponsibilityItemForm
from ..models import ListKind, ResponsibilityItem
from ._common import permissions, render_form, require


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _village(request, pk):
    return get_for(request.user, region_selectors.village_list(user=request.user), pk=pk)


@login_required
def village_lists(request, village):
    village = _village(request, village)
    year = _year(request)
    context = {
        "village": village,
        "year": year,
        "years": list(range(timezone.localdate().year + 1, 2014, -1)),
        "lists": selectors.village_lists(user=request.user, village=village, year=year),
        "deadline": services.setting_deadline(village, year),
        "today": timezone.localdate(),
        "may": permissions(request.user),
    }
    return render(request, "assistance/village_lists.html", context)


@login_required
def item_create(request, village):
    village = _village(request, village)
    require(permissions(request.user)["enter"])
    year = _year(request)
    members = (
        selectors.team_member_list(user=request.user)
        .filter(team__village=village, start_date__lte=f"{year}-12-31")
        .exclude(end_date__lt=f"{year}-01-01")
    )
    initial = {"kind": request.GET.get("kind") if request.GET.get("kind") in ListKind.values else None}
    form = ResponsibilityItemForm(posted(request), choices={"member": members}, initial=initial)
    if form.is_valid() and run_service(
        form,
        services.responsibility_item_create,
        actor=request.user,
        village=village,
        year=year,
        **form.cleaned_data,
    ):
        messages.success(request, _("The item was added to the list."))
        return redirect(f"{reverse('assistance:village_lists', args=[village.pk])}?year={year}")
    back = f"{reverse('assistance:village_lists', args=[village.pk])}?year={year}"
    title = _("New list item for %(year)d") % {"year": year}
    return render_form(request, form, title=title, back=back, breadcrumbs=[(village.name, back)])


def _item(request, pk) -> ResponsibilityItem:
    return get_for(request.user, selectors.responsibility_item_list(user=request.user), pk=pk)


def _back(item) -> str:
    return f"{reverse('assistance:village_lists', args=[item.village_id])}?year={item.year}"


@login_required
def item_reconcile(request, pk):
    item = _item(request, pk)
    require(permissions(request.user)["enter"])
    today = timezone.localdate()
    quarter = Quarter.of(today).quarter if today.year == item.year else 4
    form = ReconcileForm(posted(request), initial={"quarter": quarter})
    if form.is_valid() and run_service(
        form, services.responsibility_item_reconcile, actor=request.user, item=item, **form.cleaned_data
    ):
        messages.success(request, _("The quarter was reconciled."))
        return redirect(_back(item))
    return render_form(
        request,
        form,
        title=_("Quarterly reconciliation"),
        back=_back(item),
        breadcrumbs=[(item.village.name, _back(item))],
        intro=f"{item.get_kind_display()} · {item.holder}: {item.task}",
    )


@login_required
def item_close(request, pk):
    item = _item(request, pk)
    require(permissions(request.user)["enter"])
    form = CloseForm(posted(request))
    if form.is_valid() and run_service(
        form,
        services.responsibility_item_close,
        actor=request.user,
        item=item,
        note=form.cleaned_data["note"],
    ):
        messages.success(request, _("The item was closed."))
        return redirect(_back(item))
    return render_form(
        request,
        form,
        title=_("Close the item"),
        back=_back(item),
        breadcrumbs=[(item.village.name, _back(item))],
        intro=f"{item.get_kind_display()} · {item.holder}: {item.task}",
    )
