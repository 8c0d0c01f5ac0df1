import pghistory
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("city admin")
    COUNTY_ADMIN = "county_admin", _("county admin")
    TOWNSHIP_STAFF = "township_staff", _("township staff")
    VILLAGE_CLERK = "village_clerk", _("village clerk")
    API_CLIENT = "api_client", _("API client")


# The region level each role is bound to; an API client may be bound to any one level.
ROLE_LEVELS = {
    Role.CITY_ADMIN: ("city",),
    Role.COUNTY_ADMIN: ("county",),
    Role.TOWNSHIP_STAFF: ("township",),
    Role.VILLAGE_CLERK: ("village",),
    Role.API_CLIENT: ("city", "county", "township", "village"),
}
REGION_FIELDS = ("city", "county", "township", "village")


# Password hashes and login times are not audit material; every other change is.
@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    city = models.ForeignKey(
        "villages.City", models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("city")
    )
    county = models.ForeignKey(
        "villages.County",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("county"),
    )
    township = models.ForeignKey(
        "villages.Township",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        "villages.Village",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("village"),
    )

    # A user is visible to admins of any region above the one the user is bound to.
    scope_paths = {
        "city": ("city", "county__city", "township__county__city", "village__county__city"),
        "county": ("county", "township__county", "village__county"),
        "township": ("township", "village__township"),
        "village": ("village",),
    }

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # At most one region binding: the scoping mechanism relies on it.
            models.CheckConstraint(
                condition=(
                    models.Q(city__isnull=True, county__isnull=True, township__isnull=True)
                    | models.Q(city__isnull=True, county__isnull=True, village__isnull=True)
                    | models.Q(city__isnull=True, township__isnull=True, village__isnull=True)
                    | models.Q(county__isnull=True, township__isnull=True, village__isnull=True)
                ),
                name="user_single_region",
            )
        ]

    def region_binding(self) -> tuple[str, int] | None:
        """(level, region id) this user is bound to, or None when the role or region is missing."""
        if not self.role:
            return None
        for level in ROLE_LEVELS[self.role]:
            region_id = getattr(self, f"{level}_id")
            if region_id:
                return level, region_id
        return None

    @property
    def region(self):
        binding = self.region_binding()
        return getattr(self, binding[0]) if binding else None

    @property
    def is_county_admin_or_above(self) -> bool:
        return self.is_superuser or self.role in (Role.CITY_ADMIN, Role.COUNTY_ADMIN)
