"""The beat schedule in code: five entries at their times in Asia/Shanghai."""

import datetime
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from django.conf import settings

from config.celery_app import app

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _next_run(entry: str, after: datetime.datetime) -> datetime.datetime:
    """The first whole hour after ``after`` (Shanghai wall-clock time) the crontab matches."""
    schedule: crontab = settings.CELERY_BEAT_SCHEDULE[entry]["schedule"]
    assert schedule.minute == {0}  # every entry runs on the hour
    moment = after.astimezone(SHANGHAI).replace(minute=0, second=0, microsecond=0)
    for _ in range(24 * 400):
        moment += datetime.timedelta(hours=1)
        if (
            moment.hour in schedule.hour
            and moment.day in schedule.day_of_month
            and moment.month in schedule.month_of_year
            and (moment.isoweekday() % 7) in schedule.day_of_week  # crontab: 0 is Sunday
        ):
            return moment
    raise AssertionError("never runs")


def test_the_schedule_has_the_five_entries_with_their_tasks():
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai" and app.conf.timezone == "Asia/Shanghai"
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry["schedule"]
        schedule.app = app
        assert str(schedule.tz) == "Asia/Shanghai"  # crontabs are read in the app's time zone
    tasks = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert tasks == {
        "weekly-reminder-digest": "apps.core.tasks.send_weekly_digest",
        "monthly-rankings": "apps.rankings.tasks.run_monthly_rankings",
        "weekly-integrity-watch": "apps.rankings.tasks.run_integrity_watch",
        "quarterly-spot-checks": "apps.assistance.tasks.draw_spot_checks",
        "quarterly-morality-settlement": "apps.morality_bank.tasks.settle_quarter",
    }
    app.loader.import_default_modules()
    for name in tasks.values():  # every scheduled task exists under the name beat sends
        assert name in app.tasks, name


def test_monthly_rankings_run_on_the_1st_at_0200_shanghai():
    after = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=SHANGHAI)
    assert _next_run("monthly-rankings", after) == datetime.datetime(2026, 4, 1, 2, 0, tzinfo=SHANGHAI)
    # 1 April 01:59 in Shanghai is still 31 March in UTC: the run is that same night at 02:00 local
    after = datetime.datetime(2026, 4, 1, 1, 59, tzinfo=SHANGHAI)
    assert _next_run("monthly-rankings", after) == datetime.datetime(2026, 4, 1, 2, 0, tzinfo=SHANGHAI)


def test_quarterly_entries_run_on_the_first_day_of_each_quarter():
    after = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=SHANGHAI)
    assert _next_run("quarterly-spot-checks", after) == datetime.datetime(2026, 4, 1, 3, 0, tzinfo=SHANGHAI)
    assert _next_run("quarterly-morality-settlement", after) == datetime.datetime(
        2026, 4, 1, 4, 0, tzinfo=SHANGHAI
    )
    after = datetime.datetime(2026, 11, 2, 0, 0, tzinfo=SHANGHAI)
    assert _next_run("quarterly-spot-checks", after) == datetime.datetime(2027, 1, 1, 3, 0, tzinfo=SHANGHAI)


def test_the_weekly_digest_runs_on_mondays_at_0800():
    after = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
    run = _next_run("weekly-reminder-digest", after)
    assert run == datetime.datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI) and run.weekday() == 0


def test_the_integrity_watch_runs_on_sundays_at_0300_shanghai():
    after = datetime.datetime(2026, 3, 18, 12, 0, tzinfo=SHANGHAI)  # a Wednesday
    assert _next_run("weekly-integrity-watch", after) == datetime.datetime(2026, 3, 22, 3, 0, tzinfo=SHANGHAI)
