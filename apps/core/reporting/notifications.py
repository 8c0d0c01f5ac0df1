"""In-app notifications (with read/unread) and their e-mail copy through Django's EMAIL_BACKEND."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.models import Notification

logger = logging.getLogger(__name__)


def notification_list(*, user) -> QuerySet[Notification]:
    """A user's own notifications (nobody reads anyone else's)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(*, user) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()


def notify(
    *, users, kind: str, title: str, body: str = "", url: str = "", key: str = "", email: bool = False
):
    """Add a notification for each user; with ``key`` at most once per (user, kind, key). Returns the new ones."""
    users = [user for user in users if getattr(user, "pk", None)]
    if key:
        done = set(
            Notification.objects.filter(user__in=users, kind=kind, key=key).values_list("user_id", flat=True)
        )
        users = [user for user in users if user.pk not in done]
    rows = [Notification(user=user, kind=kind, key=key, title=title, body=body, url=url) for user in users]
    # The unique (user, kind, key) constraint settles a concurrent run: the second insert is skipped.
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    if key:
        rows = list(Notification.objects.filter(user__in=users, kind=kind, key=key, emailed_at__isnull=True))
    if email:
        transaction.on_commit(lambda ids=[row.pk for row in rows]: send_emails(ids))
    return rows


def send_emails(notification_ids) -> int:
    """Mail notifications not mailed yet to users with an address (marking them, so never twice)."""
    sent = 0
    for row in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "user"
    ):
        if not row.user.email:
            continue
        try:
            send_mail(row.title, row.body, settings.DEFAULT_FROM_EMAIL, [row.user.email])
        except OSError:
            logger.exception("could not mail notification %s", row.pk)
            continue
        Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    return notification_list(user=actor).filter(read_at__isnull=True).update(read_at=timezone.now())


def _period_url(period) -> str:
    return reverse("core:period_detail", args=[period.pk])


def period_submitted(period) -> None:
    admins = User.objects.filter(role="county_admin", county=period.county_id, is_active=True)
    if period.township_id is None:
        admins = User.objects.filter(role="city_admin", city=period.county.city_id, is_active=True)
    notify(
        users=admins,
        kind="period_submitted",
        title=_("%(region)s submitted %(period)s") % {"region": period.region.name, "period": period.label},
        body=period.gaps_reason,
        url=_period_url(period),
    )


def period_decided(period, *, approved: bool) -> None:
    if period.submitted_by_id is None:
        return
    if approved:
        title = _("%(period)s of %(region)s was approved") % {
            "region": period.region.name,
            "period": period.label,
        }
    else:
        title = _("%(period)s of %(region)s was returned") % {
            "region": period.region.name,
            "period": period.label,
        }
    notify(
        users=[period.submitted_by],
        kind="period_approved" if approved else "period_returned",
        title=title,
        body=period.returned_reason,
        url=_period_url(period),
    )
