from django.db.models import QuerySet

from apps.core.scoping import scope_for

from .models import User


def user_list(*, user) -> QuerySet[User]:
    return scope_for(user, User.objects.select_related("city", "county", "township", "village")).order_by(
        "username"
    )
