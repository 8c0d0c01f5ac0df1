"""The five responsibility lists: set at the start of the year, reconciled quarterly, closed the next year."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.assistance import selectors, services
from apps.assistance.models import ListKind, ResponsibilityItem
from apps.core.actors import SYSTEM

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
NEXT_YEAR = TODAY.year + 1


def item(village, year, kind="help", actor=SYSTEM, **fields):
    return services.responsibility_item_create(
        actor=actor,
        village=village,
        year=year,
        kind=kind,
        holder="区委办公室",
        task="帮助发展茶叶产业",
        **fields,
    )


def test_lists_are_set_before_the_deadline_of_their_year(world):
    assert item(world.village, NEXT_YEAR, actor=world.township_staff).pk
    with pytest.raises(ValidationError) as info:
        item(world.village, LAST_YEAR, actor=world.township_staff)
    assert "year" in info.value.message_dict
    # Loading historical lists is a superuser's job.
    assert item(world.village, LAST_YEAR).pk


def test_a_village_page_shows_all_five_lists_in_order(world, django_assert_max_num_queries):
    for kind in ("lead", "help", "station"):
        item(world.village, LAST_YEAR, kind=kind)
    item(world.village2, LAST_YEAR)
    with django_assert_max_num_queries(2):
        lists = selectors.village_lists(user=world.township_staff, village=world.village, year=LAST_YEAR)
    assert [kind for kind, _items in lists] == list(ListKind)
    assert [len(items) for _kind, items in lists] == [1, 0, 1, 0, 1]


def test_reconcile_each_quarter_then_close_next_year(world):
    entry = item(world.village, LAST_YEAR)
    for quarter in (1, 2, 3):
        services.responsibility_item_reconcile(
            actor=world.township_staff,
            item=entry,
            quarter=quarter,
            done=True,
            evidence=f"第{quarter}季度台账",
        )
    with pytest.raises(ValidationError):  # done needs evidence
        services.responsibility_item_reconcile(actor=world.township_staff, item=entry, quarter=4, done=True)
    with pytest.raises(ValidationError):  # Q4 is missing
        services.responsibility_item_close(actor=world.township_staff, item=entry)
    services.responsibility_item_reconcile(actor=world.township_staff, item=entry, quarter=4, done=False)
    with pytest.raises(ValidationError) as info:
        services.responsibility_item_close(
            actor=world.township_staff, item=entry, closed_on=datetime.date(LAST_YEAR, 12, 31)
        )
    assert "closed_on" in info.value.message_dict
    closed = services.responsibility_item_close(actor=world.township_staff, item=entry, note="年终未完成")
    assert (closed.closed_on, closed.fulfilled) == (TODAY, False)
    with pytest.raises(ValidationError):
        services.responsibility_item_reconcile(
            actor=world.township_staff, item=entry, quarter=4, done=True, evidence="补"
        )


def test_a_quarter_is_reconciled_once_it_has_begun(world):
    entry = item(world.village, NEXT_YEAR)
    with pytest.raises(ValidationError) as info:
        services.responsibility_item_reconcile(actor=world.township_staff, item=entry, quarter=1, done=False)
    assert "quarter" in info.value.message_dict
    assert not entry.reconciliations.exists()


def test_only_the_stationing_list_names_a_team_member_of_the_village(world, team, other_team):
    with pytest.raises(ValidationError) as info:
        item(world.village, NEXT_YEAR, kind="help", member=team.secretary)
    assert "member" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        item(world.village, NEXT_YEAR, kind="station", member=other_team.secretary)
    assert "member" in info.value.message_dict
    assert item(world.village, NEXT_YEAR, kind="station", member=team.secretary).member == team.secretary
    assert ResponsibilityItem.objects.count() == 1


def test_an_item_in_another_region_is_refused(world):
    with pytest.raises(ValidationError):
        item(world.other_village, NEXT_YEAR, actor=world.township_staff)
    assert not ResponsibilityItem.objects.exists()
