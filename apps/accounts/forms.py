from django import forms
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import LEVELS
from apps.villages import selectors as region_selectors

from .models import ROLE_LEVELS, Role
from .services import grantable_roles

# How each level's regions are listed for the region drop-down, and how an option reads.
REGION_LEVELS = {
    "city": (_("Cities"), region_selectors.city_list, lambda r: r.name),
    "county": (_("Counties"), region_selectors.county_list, lambda r: r.name),
    "township": (_("Townships"), region_selectors.township_list, lambda r: f"{r.county.name} · {r.name}"),
    "village": (
        _("Villages"),
        lambda user: region_selectors.village_list(user=user, include_retired=False),
        lambda r: f"{r.township.name} · {r.name}",
    ),
}


def region_choices(actor, levels) -> tuple[list, dict]:
    """Grouped ``"level:id"`` choices of the regions in ``actor``'s scope at ``levels``, and their objects."""
    binding = None if actor.is_superuser else actor.region_binding()
    if binding is not None:  # the regions above the actor's own are visible to it, but not grantable
        levels = set(levels) & set(LEVELS[LEVELS.index(binding[0]) :])
    choices, regions = [], {}
    for level, (group, selector, label) in REGION_LEVELS.items():
        if level not in levels:
            continue
        options = []
        for region in selector(user=actor):
            value = f"{level}:{region.pk}"
            regions[value] = region
            options.append((value, label(region)))
        if options:
            choices.append((group, options))
    return choices, regions


def region_value(region) -> str:
    return f"{region._meta.model_name}:{region.pk}" if region is not None else ""


class UserForm(forms.Form):
    """A user's role and region; on create also the username and first password. Rules: the services'."""

    username = forms.CharField(label=capfirst(_("username")), max_length=150)
    full_name = forms.CharField(label=capfirst(_("full name")), max_length=150, required=False)
    email = forms.EmailField(label=capfirst(_("email address")), required=False)
    role = forms.ChoiceField(label=capfirst(_("role")))
    region = forms.ChoiceField(label=capfirst(_("region")), help_text=_("The choice depends on the role."))
    password = forms.CharField(label=capfirst(_("password")), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        label=capfirst(_("password (again)")), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, actor, user=None, **kwargs):
        if user is not None:
            kwargs.setdefault(
                "initial",
                {
                    "full_name": user.first_name,
                    "email": user.email,
                    "role": user.role,
                    "region": region_value(user.region),
                },
            )
        super().__init__(*args, **kwargs)
        if user is not None:  # the username stays; passwords are set on their own page
            for name in ("username", "password", "password_again"):
                del self.fields[name]
        roles = grantable_roles(actor)
        self.fields["role"].choices = [("", "---------"), *((r, Role(r).label) for r in roles)]
        self.fields["role"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("accounts:user_region_field"),
                "hx-target": "#div_id_region",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )
        role = self.data.get("role") if self.is_bound else self.initial.get("role")
        levels = ROLE_LEVELS[role] if role in roles else {lvl for r in roles for lvl in ROLE_LEVELS[r]}
        self.fields["region"].choices, self._regions = region_choices(actor, levels)

    def clean_region(self):
        return self._regions[self.cleaned_data["region"]]

    def clean(self):
        cleaned = super().clean()
        if "password_again" in self.fields and cleaned.get("password") != cleaned.pop("password_again", None):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class SetPasswordForm(forms.Form):
    password = forms.CharField(label=capfirst(_("new password")), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        label=capfirst(_("new password (again)")), widget=forms.PasswordInput, strip=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.pop("password_again", None):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=capfirst(_("role")), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("true", _("Active")), ("false", _("Deactivated"))],
    )
