"""The region a dashboard, a figure or a report pack is about, never wider than the user's own.

``get_for`` alone is not enough: a county is "in scope" for a township user (their township lies in
it), but its dashboard would show the other townships' figures. So a user may open their own region
and the regions below it, never one of a higher level (404, as for anything outside their region).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.scoping import LEVELS, get_for
from apps.villages.models import City, County, Township, Village

MODELS = {"city": City, "county": County, "township": Township, "village": Village}
CHILD = {"city": "county", "county": "township", "township": "village", "village": None}


@dataclass(frozen=True)
class Scope:
    level: str
    region: Any

    @property
    def key(self) -> str:
        return f"{self.level}:{self.region.pk}"

    @property
    def child_level(self) -> str | None:
        return CHILD[self.level]

    @property
    def city(self):
        return self.region if self.level == "city" else None

    @property
    def county(self):
        return self.region if self.level == "county" else None

    @property
    def township(self):
        return self.region if self.level == "township" else None

    @property
    def city_id(self) -> int:
        if self.level == "city":
            return self.region.pk
        return self.region.city_id if self.level == "county" else self.region.county.city_id

    @property
    def county_id(self) -> int | None:
        if self.level == "county":
            return self.region.pk
        return self.region.county_id if self.level in ("township", "village") else None

    def region_kwargs(self) -> dict:
        """``city=`` / ``county=`` / ``township=`` for the selectors of the other apps."""
        return {self.level: self.region}

    def list_query(self) -> dict:
        """The filter of the list pages (``county=ID`` or ``township=ID``; a city is the user's whole scope)."""
        return {self.level: self.region.pk} if self.level in ("county", "township", "village") else {}

    def village_filter(self, path: str = "village") -> dict:
        """A filter from a record's village (``path``) to this region."""
        prefix = f"{path}__" if path else ""
        lookup = {"city": "county__city", "county": "county", "township": "township", "village": "pk"}[
            self.level
        ]
        if lookup == "pk":
            return {path or "pk": self.region.pk}
        return {f"{prefix}{lookup}": self.region.pk}

    def ancestors(self) -> list[Scope]:
        """The regions above this one, from the city down (for breadcrumbs)."""
        if self.level == "city":
            return []
        county = self.region if self.level == "county" else self.region.county
        chain = [Scope("city", county.city)]
        if self.level != "county":
            chain.append(Scope("county", county))
        if self.level == "village":
            chain.append(Scope("township", self.region.township))
        return chain


def user_level(user) -> str | None:
    """The level the user is bound to (``None`` for a superuser, who may open any level)."""
    if user.is_superuser:
        return None
    binding = user.region_binding()
    if binding is None:
        raise Http404(_("Your account is not bound to a region."))
    return binding[0]


def resolve(user, level: str, pk) -> Scope:
    """The region ``level``/``pk`` if the user may open it (their own or one below), else 404."""
    if level not in MODELS:
        raise Http404(_("No such region level."))
    own = user_level(user)
    if own is not None and LEVELS.index(level) < LEVELS.index(own):
        raise Http404(_("No such record in your region."))
    related = {"county": ["city"], "township": ["county__city"], "village": ["county__city", "township"]}
    queryset = MODELS[level].objects.select_related(*related.get(level, []))
    return Scope(level, get_for(user, queryset, pk=pk))


def own_scope(user) -> Scope:
    """The user's own region; a superuser gets the first city."""
    if user.is_superuser:
        city = City.objects.order_by("code").first()
        if city is None:
            raise Http404(_("No region exists yet."))
        return Scope("city", city)
    binding = user.region_binding()
    if binding is None:
        raise Http404(_("Your account is not bound to a region."))
    return resolve(user, *binding)


def parse(user, value: str | None) -> Scope:
    """A ``level:id`` parameter (the user's own region when empty)."""
    if not value:
        return own_scope(user)
    level, _sep, pk = value.partition(":")
    try:
        return resolve(user, level, int(pk))
    except ValueError as exc:
        raise Http404(_("No such region.")) from exc


def choices(user, scope: Scope) -> list[tuple[Scope, int]]:
    """Regions to switch a figure page to: those above ``scope`` the user may open, ``scope`` itself
    and the regions right below it (one query), each with its depth for indenting."""
    own = user_level(user)
    allowed = [s for s in scope.ancestors() if own is None or LEVELS.index(s.level) >= LEVELS.index(own)]
    result = [(s, depth) for depth, s in enumerate(allowed)]
    result.append((scope, len(allowed)))
    child = CHILD[scope.level]
    if child in ("county", "township"):
        from apps.core.scoping import scope_for

        parent = {"county": "city", "township": "county"}[child]
        children = scope_for(user, MODELS[child].objects.filter(**{parent: scope.region}).order_by("code"))
        result += [(Scope(child, region), len(allowed) + 1) for region in children]
    return result
