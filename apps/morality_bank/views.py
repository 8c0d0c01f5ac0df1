"""Pages of the morality bank: village boards, passbooks, award entry and approval, the shop."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.assistance.models import Household
from apps.core.exports import list_export, yes_no
from apps.core.forms import posted, run_service
from apps.core.idnumbers import shown_to
from apps.core.periods import Quarter
from apps.core.permissions import has_role
from apps.core.scoping import get_for, scope_for
from apps.villages.models import County, Village

from . import selectors, services
from .api.views import photo_response
from .filters import AwardFilter, GoodsFilter, ResidentFilter, SettlementFilter
from .forms import (
    AwardForm,
    BankSettingsForm,
    GoodsForm,
    ItemForm,
    RedemptionForm,
    RejectForm,
    ResidentForm,
    ReverseForm,
    SettlementRunForm,
)
from .models import Award, AwardStatus, Category, Goods, LedgerEntry, Resident
from .permissions import CATALOGUE_ROLES, MORALITY_ROLES

PAGE_SIZE = 25


def _may(user) -> dict[str, bool]:
    """What the user's role allows, so pages only offer what the services will accept."""
    return {"write": has_role(user, MORALITY_ROLES), "admin": has_role(user, CATALOGUE_ROLES)}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not make this change."))


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _villages(request):
    return scope_for(request.user, Village.objects.active().select_related("township"))


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


# Villages and their boards


def _bank_villages(request):
    """The search and the filtered, sorted villages the list page and its export share."""
    villages = selectors.bank_village_list(user=request.user)
    search = (request.GET.get("search") or "").strip()
    if search:
        villages = villages.filter(Q(name__icontains=search) | Q(code__startswith=search))
    if request.GET.get("with_bank") == "1":
        villages = villages.filter(resident_count__gt=0)
    return search, villages.order_by("-resident_count", "code")


@login_required
def village_list(request):
    search, villages = _bank_villages(request)
    year = _year(request)
    return render(
        request,
        "morality_bank/village_list.html",
        {
            "page": _page(request, villages),
            "stats": selectors.morality_stats(user=request.user, year=year),
            "search": search,
            "year": year,
            "may": _may(request.user),
        },
    )


@login_required
def village_board(request, pk):
    village = get_for(request.user, Village.objects.select_related("township", "county"), pk=pk)
    year, today = _year(request), timezone.localdate()
    board = selectors.village_board(user=request.user, village=village, year=year)
    return render(
        request,
        "morality_bank/village_board.html",
        {
            "village": village,
            "year": year,
            "ranked": _page(request, board["ranked"]),
            "red": board["red"],
            "black": board["black"],
            "notice": selectors.notice_board(user=request.user, village=village, on=today),
            "settings": services.bank_settings(county=village.county_id, on=today),
            "may": _may(request.user),
        },
    )


@login_required
def village_export(request):
    _search, villages = _bank_villages(request)
    headers = [
        _("code"),
        _("village"),
        _("township"),
        _("Residents"),
        _("Points outstanding"),
        _("Awaiting approval"),
    ]
    return list_export(
        name=_("Morality bank"),
        records=villages,
        headers=headers,
        row=lambda v: [
            v.code,
            v.name,
            v.township.name,
            v.resident_count,
            v.points_outstanding,
            v.pending_awards,
        ],
        text_columns=[0],
    )


# Residents and passbooks


def _resident_filter(request) -> ResidentFilter:
    return ResidentFilter(request.GET or None, queryset=selectors.resident_list(user=request.user))


@login_required
def resident_list(request):
    filterset = _resident_filter(request)
    return render(
        request,
        "morality_bank/resident_list.html",
        {"filter": filterset, "page": _page(request, filterset.qs), "may": _may(request.user)},
    )


@login_required
def resident_export(request):
    residents = _resident_filter(request).qs
    headers = [_("village code"), _("village"), _("name"), _("ID number"), _("poor household"), _("balance")]
    return list_export(
        name=_("residents"),
        records=residents,
        headers=headers,
        row=lambda r: [
            r.village.code,
            r.village.name,
            r.name,
            shown_to(request.user, r.id_number, record=r),
            r.household.head_name if r.household else "",
            r.balance,
        ],
        text_columns=[0, 3],
    )


def _resident_form(request, resident=None):
    villages = _villages(request)
    households = scope_for(request.user, Household.objects.all())
    if resident is not None:
        households = households.filter(village_id=resident.village_id)
    initial = (
        {"name": resident.name, "id_number": resident.id_number, "household": resident.household_id}
        if resident
        else {"village": request.GET.get("village")}
    )
    return ResidentForm(
        posted(request), villages=villages, households=households, resident=resident, initial=initial
    )


@login_required
def resident_create(request):
    _require(_may(request.user)["write"])
    form = _resident_form(request)
    if form.is_valid() and (
        resident := run_service(form, services.resident_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Resident %(name)s was registered.") % {"name": resident.name})
        return redirect("morality_bank:resident_detail", pk=resident.pk)
    return render(request, "morality_bank/form.html", {"form": form, "title": _("New resident")})


@login_required
def resident_update(request, pk):
    resident = get_for(request.user, Resident, pk=pk)
    _require(_may(request.user)["write"])
    form = _resident_form(request, resident)
    if form.is_valid():
        if run_service(
            form, services.resident_update, actor=request.user, resident=resident, **form.cleaned_data
        ):
            messages.success(request, _("Resident %(name)s was saved.") % {"name": resident.name})
            return redirect("morality_bank:resident_detail", pk=resident.pk)
        resident.refresh_from_db()
    return render(
        request,
        "morality_bank/form.html",
        {"form": form, "title": _("Edit resident %(name)s") % {"name": resident.name}},
    )


@login_required
def resident_detail(request, pk):
    """The passbook (存折): every entry with the running balance; printable."""
    resident = get_for(request.user, Resident.objects.select_related("village", "household"), pk=pk)
    today = timezone.localdate()
    under_notice = selectors.points_under_notice(resident_id=resident.pk, on=today)
    return render(
        request,
        "morality_bank/resident_detail.html",
        {
            "resident": resident,
            "entries": selectors.passbook(user=request.user, resident=resident),
            "awards": selectors.award_list(user=request.user)
            .filter(resident=resident)
            .exclude(status=AwardStatus.APPROVED),
            "under_notice": under_notice,
            "redeemable": max(resident.balance - under_notice, 0),
            "today": today,
            "may": _may(request.user),
        },
    )


# Awards and approval


@login_required
def award_create(request):
    _require(_may(request.user)["write"])
    residents = selectors.resident_list(user=request.user).filter(village__retired_on__isnull=True)
    resident_id = request.GET.get("resident") or request.POST.get("resident")
    chosen = residents.filter(pk=resident_id).first() if resident_id else None
    counties = list(scope_for(request.user, County.objects.all()).values_list("pk", flat=True)[:2])
    if chosen is not None:
        items = selectors.items_for_county(chosen.village.county_id)
    elif len(counties) == 1:
        items = selectors.items_for_county(counties[0])
    else:
        items = selectors.item_list(user=request.user).filter(is_active=True)
    form = AwardForm(
        posted(request),
        request.FILES or None,
        residents=residents,
        items=items.order_by("category", "-max_points", "name"),
        initial={"resident": resident_id, "date": timezone.localdate()},
    )
    if form.is_valid() and (
        award := run_service(form, services.award_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The award was recorded; another user must approve it."))
        return redirect("morality_bank:award_detail", pk=award.pk)
    return render(request, "morality_bank/award_form.html", {"form": form})


def _filtered_awards(request):
    """The approval queue (pending awards, oldest first) or, with a status filter, all awards of that status."""
    data = request.GET.copy()
    data.setdefault("status", AwardStatus.PENDING)
    filterset = AwardFilter(data, queryset=selectors.award_list(user=request.user))
    awards = filterset.qs
    if data.get("status") == AwardStatus.PENDING:
        awards = awards.order_by("date", "pk")
    return filterset, awards, data.get("status")


@login_required
def award_list(request):
    """The approval queue (pending awards, oldest first) and, with a status filter, all awards."""
    filterset, awards, status = _filtered_awards(request)
    return render(
        request,
        "morality_bank/award_list.html",
        {
            "filter": filterset,
            "status": status,
            "statuses": AwardStatus.choices,
            "page": _page(request, awards),
            "may": _may(request.user),
        },
    )


@login_required
def award_export(request):
    _filterset, awards, _status = _filtered_awards(request)
    headers = [
        _("date"),
        _("resident"),
        _("village code"),
        _("village"),
        _("category"),
        _("item"),
        _("points"),
        _("status"),
        _("recorded by"),
        _("reversed"),
    ]
    return list_export(
        name=_("Awards"),
        records=awards,
        headers=headers,
        row=lambda a: [
            a.date,
            a.resident.name,
            a.village.code,
            a.village.name,
            a.item.get_category_display(),
            a.item.name,
            a.points,
            a.get_status_display(),
            a.recorded_by.username if a.recorded_by else "",
            yes_no(a.is_reversed),
        ],
        text_columns=[2],
    )


@login_required
def award_detail(request, pk):
    award = get_for(request.user, selectors.award_list(user=request.user), pk=pk)
    return render(
        request,
        "morality_bank/award_detail.html",
        {
            "award": award,
            "reject_form": RejectForm(),
            "is_recorder": award.recorded_by_id == request.user.pk,
            "may": _may(request.user),
        },
    )


@login_required
@require_POST
def award_approve(request, pk):
    award = get_for(request.user, Award, pk=pk)
    form = forms.Form(request.POST)
    run_service(form, services.award_approve, actor=request.user, award=award)
    if form.errors:
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
    else:
        messages.success(request, _("The award was approved and is on public notice."))
    return redirect(request.POST.get("next") or "morality_bank:award_list")


@login_required
@require_POST
def award_reject(request, pk):
    award = get_for(request.user, Award, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        run_service(
            form, services.award_reject, actor=request.user, award=award, reason=form.cleaned_data["reason"]
        )
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("The award was rejected."))
    return redirect(request.POST.get("next") or "morality_bank:award_list")


@login_required
def award_photo(request, pk):
    return photo_response(get_for(request.user, Award, pk=pk))


# Ledger


@login_required
def ledger_reverse(request, pk):
    entry = get_for(request.user, LedgerEntry.objects.select_related("resident"), pk=pk)
    _require(_may(request.user)["write"])
    form = ReverseForm(posted(request))
    if form.is_valid() and run_service(
        form, services.ledger_reverse, actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, _("The entry was reversed."))
        return redirect("morality_bank:resident_detail", pk=entry.resident_id)
    return render(request, "morality_bank/ledger_reverse.html", {"form": form, "entry": entry})


# Shop


def _filtered_goods(request):
    """The filter and the filtered, sorted goods the shop page and its export share."""
    filterset = GoodsFilter(request.GET or None, queryset=selectors.goods_list(user=request.user))
    return filterset, filterset.qs.order_by("village__code", "price_points", "name")


@login_required
def goods_list(request):
    filterset, goods = _filtered_goods(request)
    return render(
        request,
        "morality_bank/goods_list.html",
        {
            "filter": filterset,
            "page": _page(request, goods),
            "redemptions": selectors.redemption_list(user=request.user)[:20],
            "may": _may(request.user),
        },
    )


@login_required
def goods_export(request):
    _filterset, goods = _filtered_goods(request)
    headers = [_("village code"), _("village"), _("name"), _("price in points"), _("stock"), _("on sale")]
    return list_export(
        name=_("goods"),
        records=goods,
        headers=headers,
        row=lambda g: [g.village.code, g.village.name, g.name, g.price_points, g.stock, yes_no(g.is_active)],
        text_columns=[0],
    )


@login_required
def goods_create(request):
    _require(_may(request.user)["write"])
    form = GoodsForm(
        posted(request), villages=_villages(request), initial={"village": request.GET.get("village")}
    )
    if form.is_valid() and run_service(form, services.goods_create, actor=request.user, **form.cleaned_data):
        messages.success(request, _("The goods were added to the shop."))
        return redirect("morality_bank:goods_list")
    return render(request, "morality_bank/form.html", {"form": form, "title": _("New goods")})


@login_required
def goods_update(request, pk):
    goods = get_for(request.user, Goods, pk=pk)
    _require(_may(request.user)["write"])
    initial = {
        "name": goods.name,
        "price_points": goods.price_points,
        "stock": goods.stock,
        "is_active": goods.is_active,
    }
    form = GoodsForm(posted(request), villages=_villages(request), goods=goods, initial=initial)
    if form.is_valid() and run_service(
        form, services.goods_update, actor=request.user, goods=goods, **form.cleaned_data
    ):
        messages.success(request, _("The goods were saved."))
        return redirect("morality_bank:goods_list")
    return render(request, "morality_bank/form.html", {"form": form, "title": goods.name})


@login_required
def redemption_create(request):
    _require(_may(request.user)["write"])
    residents = selectors.resident_list(user=request.user)
    goods = selectors.goods_list(user=request.user).filter(is_active=True)
    resident_id = request.GET.get("resident") or request.POST.get("resident")
    chosen = residents.filter(pk=resident_id).first() if resident_id else None
    if chosen is not None:
        goods = goods.filter(village_id=chosen.village_id)
    form = RedemptionForm(
        posted(request),
        residents=residents,
        goods=goods,
        initial={"resident": resident_id, "date": timezone.localdate(), "quantity": 1},
    )
    if form.is_valid() and (
        redemption := run_service(form, services.redemption_create, actor=request.user, **form.cleaned_data)
    ):
        messages.success(
            request,
            _("%(name)s redeemed %(points)d points for %(goods)s.")
            % {"name": redemption.resident.name, "points": redemption.points, "goods": redemption.goods.name},
        )
        return redirect("morality_bank:resident_detail", pk=redemption.resident_id)
    return render(request, "morality_bank/redemption_form.html", {"form": form, "resident": chosen})


# Catalogue, settings, settlements (county admins and above)


@login_required
def item_list(request):
    may = _may(request.user)
    binding = request.user.region_binding() if not request.user.is_superuser else None
    county_id = binding[1] if binding and binding[0] == "county" else None
    counties = scope_for(request.user, County.objects.all())
    form = ItemForm(posted(request), counties=counties)
    if request.method == "POST":
        _require(may["admin"])
        if form.is_valid() and run_service(
            form, services.item_create, actor=request.user, **form.cleaned_data
        ):
            messages.success(request, _("The item was added."))
            return redirect("morality_bank:item_list")
    opted_out = selectors.opted_out_item_ids(county_id=county_id)
    items = list(
        selectors.item_list(user=request.user).order_by("category", "county_id", "-max_points", "name")
    )
    for item in items:
        item.in_use = item.is_active and item.pk not in opted_out
    return render(
        request,
        "morality_bank/item_list.html",
        {"items": items, "county_id": county_id, "form": form, "may": may},
    )


@login_required
@require_POST
def item_switch(request, pk, active: bool):
    # The default catalogue has no county, so it is looked up in the selector, not through get_for.
    item = selectors.item_list(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such record in your region."))
    _require(_may(request.user)["admin"])
    form = forms.Form(request.POST)
    run_service(form, services.item_set_active, actor=request.user, item=item, active=active)
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    if not form.errors:
        messages.success(request, _("The item was enabled.") if active else _("The item was disabled."))
    return redirect("morality_bank:item_list")


@login_required
def bank_settings(request):
    may = _may(request.user)
    counties = scope_for(request.user, County.objects.all())
    county = (
        counties.filter(pk=request.GET.get("county") or request.POST.get("county")).first()
        if (request.GET.get("county") or request.POST.get("county"))
        else (counties.first() if counties.count() == 1 else None)
    )
    today = timezone.localdate()
    current = services.bank_settings(county=county, on=today)
    form = BankSettingsForm(
        posted(request), counties=counties, initial={**current, "county": county, "valid_from": today}
    )
    if request.method == "POST":
        _require(may["admin"])
        if form.is_valid():
            values = dict(form.cleaned_data)
            chosen = values.pop("county")
            if (
                run_service(form, services.bank_settings_update, actor=request.user, county=chosen, **values)
                is not None
            ):
                messages.success(request, _("The settings were saved."))
                return redirect(f"{request.path}?county={chosen.pk}")
    return render(
        request,
        "morality_bank/settings.html",
        {"form": form, "county": county, "current": current, "today": today, "may": may},
    )


@login_required
def settlement_list(request):
    may = _may(request.user)
    form = SettlementRunForm(
        posted(request), initial={"quarter": str(Quarter.of(timezone.localdate()).previous())}
    )
    if request.method == "POST":
        _require(may["admin"])
        if (
            form.is_valid()
            and (
                statements := run_service(
                    form, services.settlement_run, actor=request.user, quarter=form.cleaned_data["quarter"]
                )
            )
            is not None
        ):
            messages.success(
                request,
                _("%(count)d villages are settled for %(quarter)s.")
                % {"count": statements.count(), "quarter": form.cleaned_data["quarter"]},
            )
            return redirect(f"{request.path}?quarter={form.cleaned_data['quarter']}")
    filterset = _settlement_filter(request)
    return render(
        request,
        "morality_bank/settlement_list.html",
        {"filter": filterset, "page": _page(request, filterset.qs), "form": form, "may": may},
    )


def _settlement_filter(request) -> SettlementFilter:
    return SettlementFilter(request.GET or None, queryset=selectors.settlement_list(user=request.user))


@login_required
def settlement_export(request):
    settlements = _settlement_filter(request).qs
    headers = [
        _("quarter"),
        _("village code"),
        _("village"),
        _("township"),
        _("points awarded"),
        _("points deducted"),
        _("points redeemed"),
        _("Outstanding"),
    ]
    return list_export(
        name=_("quarterly settlements"),
        records=settlements,
        headers=headers,
        row=lambda s: [
            s.quarter,
            s.village.code,
            s.village.name,
            s.village.township.name,
            s.awarded,
            s.deducted,
            s.redeemed,
            s.outstanding,
        ],
        text_columns=[1],
    )


@login_required
def settlement_detail(request, pk):
    settlement = get_for(request.user, selectors.settlement_list(user=request.user), pk=pk)
    categories = [(Category(code).label, figures) for code, figures in settlement.by_category.items()]
    return render(
        request, "morality_bank/settlement_detail.html", {"settlement": settlement, "categories": categories}
    )
