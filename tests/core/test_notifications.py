"""Notifications (in-app list, read/unread, API, e-mail) and the weekly reminder digest."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from apps.core.actors import SYSTEM
from apps.core.idnumbers import check_character
from apps.core.models import Notification
from apps.core.periods import Month
from apps.core.reporting import digest, notifications, services

TODAY = timezone.localdate()
VALID_ID = "51190319800101123" + check_character("51190319800101123")
MONTHS_AGO = [Month.of(TODAY)]
for _i in range(4):
    MONTHS_AGO.append(MONTHS_AGO[-1].previous())


@pytest.fixture
def prepared(world, settings):
    """登科街道 with: an approved month three months ago, an overdue rectification case, a village short of reserves,
    an award pending for ten days, and a clean neighbour township."""
    from apps.morality_bank import services as bank
    from apps.villages import services as party

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.township_staff.email = "staff@example.org"
    world.township_staff.save()
    for month in (MONTHS_AGO[3],):
        period = services.period_open(actor=SYSTEM, township=world.township, period=month)
        period = services.period_submit(actor=world.township_staff, period=period, gaps_reason="x")
        services.period_approve(actor=world.county_admin, period=period)
    organisation = party.organisation_create(
        actor=SYSTEM, name="中共红旗村支部委员会", kind="branch", villages=[world.village]
    )
    case = party.rating_create(actor=SYSTEM, organisation=organisation, year=2024, level="weak").rectification
    from apps.villages.models import Rectification

    Rectification.objects.filter(pk=case.pk).update(
        opened_on=TODAY - datetime.timedelta(days=90), deadline=TODAY - datetime.timedelta(days=1)
    )
    bank.default_catalogue_ensure(actor=SYSTEM)
    item = bank.item_create(
        actor=SYSTEM, county=world.county, category="filial", name="孝老", min_points=1, max_points=10
    )
    resident = bank.resident_create(actor=SYSTEM, village=world.village2, name="张德明", id_number=VALID_ID)
    award = bank.award_create(
        actor=SYSTEM, resident=resident, item=item, points=3, date=TODAY - datetime.timedelta(days=10)
    )
    from apps.morality_bank.models import Award

    Award.objects.filter(pk=award.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    Notification.objects.all().delete()
    mail.outbox.clear()
    return world


def test_digest_content_for_a_prepared_township(prepared):
    world = prepared
    digests = digest.township_digests(today=TODAY)
    mine = digests[world.township.pk]
    # Months past their due date (15 days after month end) and not submitted; the approved one is not listed.
    assert str(MONTHS_AGO[3]) not in mine.overdue_periods
    assert {str(MONTHS_AGO[2]), str(MONTHS_AGO[4])} <= set(mine.overdue_periods)
    assert str(MONTHS_AGO[0]) not in mine.overdue_periods
    assert mine.overdue_cases == ["中共红旗村支部委员会 (2024)"]
    assert sorted(mine.short_of_reserves) == ["白鹤村", "红旗村"]
    assert mine.pending_awards == ["白鹤村 ×1"]
    other = digests[world.other_township.pk]
    assert other.overdue_cases == [] and other.pending_awards == []


def test_the_weekly_digest_notifies_once_per_week(prepared, django_capture_on_commit_callbacks):
    world = prepared
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        added = digest.send_weekly_digest(today=TODAY)
    staff_notes = Notification.objects.filter(user=world.township_staff, kind="weekly_digest")
    assert staff_notes.count() == 1
    note = staff_notes.get()
    assert "登科街道" in note.title and digest.week_key(TODAY) in note.title
    assert "中共红旗村支部委员会 (2024)" in note.body and "白鹤村 ×1" in note.body
    admin_note = Notification.objects.get(user=world.county_admin, kind="weekly_digest")
    assert "登科街道" in admin_note.body and "柳林镇" in admin_note.body
    # 巴州区's admin gets the summary of 巴州区's township only.
    assert "登科街道" not in Notification.objects.get(user=world.other_county_admin).body
    assert added == Notification.objects.filter(kind="weekly_digest").count()
    # Mail to users with an address, once.
    assert [m.to for m in mail.outbox] == [["staff@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            digest.send_weekly_digest(today=TODAY) == 0
        )  # the same week again (a retried task): nothing new
    assert staff_notes.count() == 1 and len(mail.outbox) == 1
    digest.send_weekly_digest(today=TODAY + datetime.timedelta(days=7))
    assert staff_notes.count() == 2


def test_the_celery_task_has_the_beat_name(settings):
    from apps.core import tasks

    assert settings.CELERY_BEAT_SCHEDULE["weekly-reminder-digest"]["task"] == tasks.send_weekly_digest.name
    assert tasks.send_weekly_digest.name == "apps.core.tasks.send_weekly_digest"


def test_notifications_api_read_and_unread(world, api):
    notifications.notify(users=[world.township_staff], kind="x", title="一")
    notifications.notify(users=[world.township_staff], kind="x", title="二")
    notifications.notify(users=[world.county_admin], kind="x", title="别人的")
    client = api(world.township_staff)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2 and {r["title"] for r in body["results"]} == {"一", "二"}
    first = body["results"][0]
    assert first["is_read"] is False
    response = client.post(f"/api/v1/notifications/{first['id']}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    others = Notification.objects.get(user=world.county_admin)
    assert client.post(f"/api/v1/notifications/{others.pk}/read/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert notifications.unread_count(user=world.township_staff) == 0


def test_notification_page_and_header_badge(world, client):
    from tests.conftest import PASSWORD

    notifications.notify(users=[world.township_staff], kind="x", title="请提交三月")
    client.login(username="township_staff", password=PASSWORD)
    page = client.get("/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "请提交三月" in html and 'data-testid="unread-count">1<' in html
    note = Notification.objects.get()
    client.post("/notifications/", {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()
