"""Registered poor households: status history, incomes beside the poverty line, pairing, members."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.assistance import selectors, services
from apps.assistance.models import Household, HouseholdIncome, HouseholdMember, HouseholdStatusChange
from apps.assistance.selectors.stats import incidence_by_year, pairs_per_cadre
from apps.core.actors import SYSTEM
from apps.core.services import setting_set

from .conftest import id_number, make_cadre, make_household

pytestmark = pytest.mark.django_db


def change(household, status, date):
    return services.household_status_change(actor=SYSTEM, household=household, status=status, date=date)


def test_status_moves_along_the_allowed_path_with_dates(household):
    change(household, "exited", datetime.date(2016, 11, 30))
    household.refresh_from_db()
    assert (household.status, household.exit_year) == ("exited", 2016)
    change(household, "monitored", datetime.date(2021, 3, 1))
    change(household, "relapsed", datetime.date(2022, 5, 1))
    household.refresh_from_db()
    assert (household.status, household.exit_year) == ("relapsed", None)
    change(household, "exited", datetime.date(2023, 12, 1))
    household.refresh_from_db()
    assert (household.status, household.exit_year) == ("exited", 2023)
    assert list(household.status_changes.values_list("status", flat=True)) == [
        "exited",
        "monitored",
        "relapsed",
        "exited",
    ]


@pytest.mark.parametrize(
    ("status", "date", "field"),
    [
        ("monitored", datetime.date(2016, 1, 1), "status"),  # poor cannot go straight to monitored
        ("poor", datetime.date(2016, 1, 1), "status"),
        ("exited", datetime.date(2014, 1, 1), "date"),  # before registration
        ("exited", datetime.date.today() + datetime.timedelta(days=3), "date"),
    ],
)
def test_bad_status_changes_are_refused(household, status, date, field):
    with pytest.raises(ValidationError) as info:
        change(household, status, date)
    assert field in info.value.message_dict
    household.refresh_from_db()
    assert household.status == "poor" and not household.status_changes.exists()


def test_a_change_cannot_be_dated_before_the_previous_one(household):
    change(household, "exited", datetime.date(2017, 6, 1))
    with pytest.raises(ValidationError):
        change(household, "monitored", datetime.date(2017, 5, 1))


def test_status_change_through_update_is_dated_today(household):
    services.household_update(actor=SYSTEM, household=household, status="exited")
    household.refresh_from_db()
    assert household.exit_year == datetime.date.today().year
    assert household.status_changes.get().date == datetime.date.today()


def test_register_an_exited_household(world):
    household = make_household(world.village, status="exited", exit_year=2016)
    assert household.exit_year == 2016
    assert list(household.status_changes.values_list("status", "date")) == [
        ("exited", datetime.date(2016, 12, 31))
    ]
    with pytest.raises(ValidationError) as info:
        make_household(world.village, status="exited")
    assert "exit_year" in info.value.message_dict


def test_incomes_one_per_year_never_negative(household):
    services.household_income_create(
        actor=SYSTEM, household=household, year=2015, per_capita_net_income=Decimal("2100")
    )
    with pytest.raises(ValidationError) as info:
        services.household_income_create(
            actor=SYSTEM, household=household, year=2015, per_capita_net_income=Decimal("2200")
        )
    assert "year" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.household_income_create(
            actor=SYSTEM, household=household, year=2016, per_capita_net_income=Decimal("-1")
        )
    assert "per_capita_net_income" in info.value.message_dict
    assert HouseholdIncome.objects.count() == 1


def test_incomes_beside_the_dated_poverty_line(household, world):
    for year, income in ((2014, "2500"), (2016, "3100"), (2020, "4100")):
        services.household_income_create(
            actor=SYSTEM, household=household, year=year, per_capita_net_income=Decimal(income)
        )
    rows = selectors.income_with_poverty_lines(household)
    assert [(r.year, r.poverty_line, r.above_line) for r in rows] == [
        (2014, Decimal("2736"), False),
        (2016, Decimal("2952"), True),
        (2020, Decimal("4000"), True),
    ]
    setting_set(
        actor=SYSTEM,
        key="assistance.poverty_line",
        value="4200",
        valid_from=datetime.date(2020, 1, 1),
        county=world.county,
    )
    assert selectors.income_with_poverty_lines(household)[-1].above_line is False


def test_pairing_is_limited_to_the_configured_maximum(world):
    cadre = make_cadre(world.village)
    households = [make_household(world.village, f"户{i}") for i in range(6)]
    for household in households[:5]:
        services.household_update(actor=world.township_staff, household=household, paired_cadre=cadre)
    with pytest.raises(ValidationError) as info:
        services.household_update(actor=world.township_staff, household=households[5], paired_cadre=cadre)
    assert "paired_cadre" in info.value.message_dict
    setting_set(
        actor=SYSTEM, key="assistance.max_households_per_cadre", value=6, valid_from=datetime.date(2020, 1, 1)
    )
    services.household_update(actor=world.township_staff, household=households[5], paired_cadre=cadre)
    stats = pairs_per_cadre(user=world.county_admin)
    assert stats == {
        "paired_households": 6,
        "unpaired_households": 0,
        "distribution": [{"households": 6, "cadres": 1}],
    }


def test_pairing_with_a_cadre_outside_the_region_is_refused(world, household):
    far_cadre = make_cadre(world.far_village, "外县干部")
    with pytest.raises(ValidationError) as info:
        services.household_update(actor=world.county_admin, household=household, paired_cadre=far_cadre)
    assert "paired_cadre" in info.value.message_dict
    household.refresh_from_db()
    assert household.paired_cadre is None


def test_members_are_id_validated_and_limited_to_the_size(household):
    with pytest.raises(ValidationError) as info:
        services.household_member_create(
            actor=SYSTEM, household=household, name="错号", id_number="511903198001011230", relation="child"
        )
    assert "id_number" in info.value.message_dict
    head = services.household_member_create(
        actor=SYSTEM,
        household=household,
        name=household.head_name,
        id_number=household.head_id_number,
        relation="head",
    )
    assert head.birth_date == datetime.date(1980, 1, 1)
    with pytest.raises(ValidationError) as info:
        services.household_member_create(
            actor=SYSTEM, household=household, name="二家长", id_number=id_number(), relation="head"
        )
    for name in ("妻", "子"):
        services.household_member_create(
            actor=SYSTEM,
            household=household,
            name=name,
            id_number=id_number(born="20100505"),
            relation="child",
        )
    with pytest.raises(ValidationError):  # size 3, all on record
        services.household_member_create(
            actor=SYSTEM, household=household, name="多", id_number=id_number(), relation="other"
        )
    assert HouseholdMember.objects.count() == 3


def test_a_household_in_another_region_is_refused(world):
    with pytest.raises(ValidationError) as info:
        services.household_create(
            actor=world.township_staff,
            village=world.other_village,
            head_name="越界",
            head_id_number=id_number(),
            size=2,
            cause="illness",
        )
    assert "village" in info.value.message_dict
    assert not Household.objects.exists()


def test_incidence_counts_people_poor_at_each_year_end(world, django_assert_max_num_queries):
    # Registered population of 恩阳区: 1200 + 900 + 800 = 2900.
    a = make_household(world.village, size=4)  # exits 2016-12-31 (counts as out at the end of 2016)
    change(a, "exited", datetime.date(2016, 12, 31))
    b = make_household(world.village2, size=3)  # exits 2017, relapses 2019, exits again 2020
    change(b, "exited", datetime.date(2017, 6, 1))
    change(b, "relapsed", datetime.date(2019, 3, 1))
    change(b, "exited", datetime.date(2020, 10, 1))
    c = make_household(world.other_village, size=2, registered_on=datetime.date(2015, 3, 1))
    make_household(world.far_village, size=9)  # another county
    years = list(range(2014, 2022))
    with django_assert_max_num_queries(2):
        rows = incidence_by_year(user=world.county_admin, years=years)
    poor = {row["year"]: row["poor_people"] for row in rows}
    assert poor == {2014: 7, 2015: 9, 2016: 5, 2017: 2, 2018: 2, 2019: 5, 2020: 2, 2021: 2}
    assert rows[0]["population"] == 2900
    assert rows[0]["incidence"] == round(700 / 2900, 2)
    change(c, "exited", datetime.date(2021, 1, 5))
    assert incidence_by_year(user=world.county_admin, years=[2021])[0]["poor_people"] == 0
    assert incidence_by_year(user=world.township_staff, years=[2015])[0]["poor_people"] == 7
    assert HouseholdStatusChange.objects.filter(household=c).count() == 1
