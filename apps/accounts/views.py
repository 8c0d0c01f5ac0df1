from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.exports import list_export
from apps.core.forms import posted, run_service
from apps.core.permissions import ADMIN_ROLES
from apps.core.scoping import get_for
from apps.core.views import role_required

from . import selectors, services
from .forms import SetPasswordForm, UserForm, UserSearchForm
from .models import User

PAGE_SIZE = 25
# Model fields whose errors belong to differently named form fields.
FIELD_MAP = {"first_name": "full_name"}

admin_required = role_required(ADMIN_ROLES)


def _get_user(request, pk) -> User:
    return get_for(request.user, User.objects.select_related("city", "county", "township", "village"), pk=pk)


def _require_manageable(request, user: User) -> None:
    """Refuse the page up front, with the services' message, rather than on submit."""
    if not services.may_manage(request.user, user):
        raise PermissionDenied(_("You may not manage this user."))


def _searched_users(request):
    """The search form and the users of the admin's region it finds, for the list page and its export."""
    search = UserSearchForm(request.GET)
    users = selectors.user_list(user=request.user)
    if search.is_valid():
        if q := search.cleaned_data["q"].strip():
            users = users.filter(
                Q(username__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q)
            )
        if role := search.cleaned_data["role"]:
            users = users.filter(role=role)
        if active := search.cleaned_data["active"]:
            users = users.filter(is_active=active == "true")
    return search, users


@admin_required
def user_list(request):
    search, users = _searched_users(request)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"search": search, "page": page})


@admin_required
def user_export(request):
    _search, users = _searched_users(request)
    headers = [
        _("username"),
        _("full name"),
        _("role"),
        _("region"),
        _("code"),
        _("Status"),
        _("last login"),
    ]

    def row(managed):
        region = managed.region
        return [
            managed.username,
            managed.get_full_name(),
            managed.get_role_display(),
            region.name if region else "",
            region.code if region else "",
            _("Active") if managed.is_active else _("Deactivated"),
            managed.last_login,
        ]

    return list_export(name=_("Users"), records=users, headers=headers, row=row, text_columns=[4])


@admin_required
def user_detail(request, pk):
    user = _get_user(request, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"managed": user, "manageable": services.may_manage(request.user, user)},
    )


@admin_required
def user_create(request):
    form = UserForm(posted(request), actor=request.user)
    if form.is_valid() and (
        user := run_service(
            form, services.user_create, field_map=FIELD_MAP, actor=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("User %(username)s was created.") % {"username": user.username})
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@admin_required
def user_update(request, pk):
    user = _get_user(request, pk)
    _require_manageable(request, user)
    form = UserForm(posted(request), actor=request.user, user=user)
    if form.is_valid():
        if run_service(
            form,
            services.user_update,
            field_map=FIELD_MAP,
            actor=request.user,
            user=user,
            **form.cleaned_data,
        ):
            messages.success(request, _("User %(username)s was saved.") % {"username": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
        user.refresh_from_db()
    return render(request, "accounts/user_form.html", {"form": form, "managed": user})


@admin_required
def user_region_field(request):
    """The region drop-down for the role just chosen (htmx)."""
    form = UserForm(initial={"role": request.GET.get("role")}, actor=request.user)
    return render(request, "accounts/_region_field.html", {"form": form})


@admin_required
def user_set_password(request, pk):
    user = _get_user(request, pk)
    _require_manageable(request, user)
    form = SetPasswordForm(posted(request))
    if form.is_valid() and run_service(
        form, services.user_set_password, actor=request.user, user=user, **form.cleaned_data
    ):
        messages.success(
            request, _("The password of %(username)s was changed.") % {"username": user.username}
        )
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_password.html", {"form": form, "managed": user})


def _set_active(request, pk, *, active: bool):
    user = _get_user(request, pk)
    _require_manageable(request, user)
    form = forms.Form(posted(request))
    if form.is_valid():
        run_service(form, services.user_set_active, actor=request.user, user=user, active=active)
        if not form.errors:
            message = (
                _("User %(username)s was reactivated.") if active else _("User %(username)s was deactivated.")
            )
            messages.success(request, message % {"username": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request, "accounts/user_confirm_active.html", {"form": form, "managed": user, "activate": active}
    )


@admin_required
def user_deactivate(request, pk):
    return _set_active(request, pk, active=False)


@admin_required
def user_reactivate(request, pk):
    return _set_active(request, pk, active=True)
