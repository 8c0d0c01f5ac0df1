from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from apps.core.permissions import ADMIN_ROLES, ensure_role
from apps.core.scoping import LEVELS, in_scope
from apps.villages.services import ensure_village_active

from .models import REGION_FIELDS, ROLE_LEVELS, Role, User

# Which roles an admin may hand out: never one above their own (a city admin may add another).
GRANTABLE_ROLES = {
    Role.CITY_ADMIN: {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.VILLAGE_CLERK, Role.API_CLIENT},
    Role.COUNTY_ADMIN: {Role.TOWNSHIP_STAFF, Role.VILLAGE_CLERK, Role.API_CLIENT},
}


def grantable_roles(actor) -> list[str]:
    """The roles ``actor`` may hand out, in the order of ``Role``."""
    if actor.is_superuser:
        return list(Role.values)
    allowed = set(GRANTABLE_ROLES.get(actor.role, set()))
    if actor.role == Role.CITY_ADMIN:
        allowed.add(Role.CITY_ADMIN)
    return [role for role in Role.values if role in allowed]


def may_manage(actor, user: User) -> bool:
    """Whether ``actor`` may edit, (de)activate or reset the password of ``user``."""
    try:
        _ensure_manageable(actor, user)
    except PermissionDenied:
        return False
    return True


def _within(actor, region) -> bool:
    """``region`` is the actor's own region or below it (a county admin can see its city, not grant it)."""
    binding = actor.region_binding()
    level = region._meta.model_name
    return binding is not None and LEVELS.index(level) >= LEVELS.index(binding[0]) and in_scope(actor, region)


def _check_binding(*, actor, role: str, region) -> dict:
    """Region fields for a ``role`` user bound to ``region``, once the actor may grant them."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role not in grantable_roles(actor):
        raise PermissionDenied(_("You may not create users with this role."))
    if region is None:
        raise ValidationError({"region": _("Choose the region the user belongs to.")})
    level = region._meta.model_name
    if level not in ROLE_LEVELS[role]:
        raise ValidationError({"region": _("This role is bound to a region of another level.")})
    if not actor.is_superuser and not _within(actor, region):
        raise ValidationError({"region": _("Choose a region within your own region.")})
    if level == "village":
        ensure_village_active(region, field="region")
    return {field: (region if field == level else None) for field in REGION_FIELDS}


@transaction.atomic
def user_create(
    *, actor, username: str, password: str, role: str, region, full_name: str = "", email: str = ""
) -> User:
    ensure_role(actor, ADMIN_ROLES)
    binding = _check_binding(actor=actor, role=role, region=region)
    user = User(username=username, role=role, first_name=full_name, email=email, **binding)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, actor, user: User, role: str, region, full_name: str = "", email: str = "") -> User:
    ensure_role(actor, ADMIN_ROLES)
    _ensure_manageable(actor, user)
    for field, value in _check_binding(actor=actor, role=role, region=region).items():
        setattr(user, field, value)
    user.role, user.first_name, user.email = role, full_name, email
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    ensure_role(actor, ADMIN_ROLES)
    _ensure_manageable(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        Token.objects.filter(user=user).delete()
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    ensure_role(actor, ADMIN_ROLES)
    _ensure_manageable(actor, user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def token_for(*, user: User) -> str:
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


def _ensure_manageable(actor, user: User) -> None:
    if actor.is_superuser:
        return
    if not in_scope(actor, user) or user.role not in GRANTABLE_ROLES.get(actor.role, set()):
        raise PermissionDenied(_("You may not manage this user."))
