from django.db.models import Q, QuerySet

from .models import Setting
from .scoping import scope_q


def setting_list(*, user) -> QuerySet[Setting]:
    """The global values and those of the counties in the user's region (nothing without a region)."""
    q = scope_q(user, Setting)
    if q is None:
        return Setting.objects.none()
    return Setting.objects.filter(q | Q(county__isnull=True)).select_related("county").distinct()
