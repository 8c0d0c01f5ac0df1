"""Statistics as of 31 December of the year asked, set-based and scoped."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from apps.cadres import services, statistics
from apps.core.actors import SYSTEM
from apps.core.services import setting_set

pytestmark = pytest.mark.django_db

D = datetime.date


def stats(user, year, **region):
    return statistics.cadre_statistics(user=user, year=year, **region)


def test_secretary_who_resigned_in_2020_counts_in_2019_and_not_in_2021(world, make_cadre, make_position):
    old = make_cadre(name="老书记", born=D(1960, 5, 1), education="junior_or_below")
    make_position(old, "secretary", D(2016, 11, 20), pay=Decimal("1680"))
    services.cadre_resign(actor=SYSTEM, cadre=old, date=D(2020, 7, 1), reason="身体原因")
    new = make_cadre(name="新书记", born=D(1985, 3, 1), education="college", is_wealth_leader=True)
    make_position(new, "secretary", D(2020, 7, 1), pay=Decimal("2400"))

    in_2019 = stats(world.county_admin, 2019)
    assert (in_2019["cadres"], in_2019["secretaries"]) == (1, 1)
    assert in_2019["education_counts"]["junior_or_below"] == 1
    assert in_2019["average_age"] == 59.0  # born 1960, on 31 December 2019
    assert in_2019["secretaries_wealth_leaders"] == 0
    assert in_2019["resignations"] == 0
    assert in_2019["pay_by_role"] == [
        {
            "role": "secretary",
            "positions": 1,
            "with_pay": 1,
            "minimum": "1680.00",
            "maximum": "1680.00",
            "average": "1680.00",
        }
    ]

    in_2020 = stats(world.county_admin, 2020)
    assert in_2020["resignations"] == 1
    assert in_2020["secretaries"] == 1 and in_2020["average_age"] == 35.0

    in_2021 = stats(world.county_admin, 2021)
    assert (in_2021["cadres"], in_2021["secretaries"], in_2021["secretaries_wealth_leaders"]) == (1, 1, 1)
    assert in_2021["education_counts"] == {
        "bachelor_plus": 0, "college": 1, "high_school": 0, "junior_or_below": 0,
    }  # fmt: skip
    assert in_2021["resignations"] == 0


def test_education_as_of_a_year_uses_the_education_before_a_later_degree(world, make_cadre, make_position):
    cadre = make_cadre(education="high_school")
    make_position(cadre, "clerk", D(2015, 1, 1))
    enrolment = services.enrolment_create(
        actor=SYSTEM,
        cadre=cadre,
        institution="国家开放大学",
        target_education="college",
        enrolled_on=D(2016, 9, 1),
    )
    services.enrolment_complete(actor=SYSTEM, enrolment=enrolment, completed_on=D(2018, 7, 1))
    assert stats(world.county_admin, 2017)["education_counts"]["high_school"] == 1
    assert stats(world.county_admin, 2018)["education_counts"]["college"] == 1
    assert stats(world.county_admin, 2018)["education_shares"]["college"] == 100.0


def test_shares_average_age_and_one_shoulder_ratio(world, make_cadre, make_position):
    start = D(2021, 3, 1)
    both = make_cadre(name="两职", born=D(1980, 1, 1), education="bachelor_plus")
    make_position(both, "secretary", start)
    make_position(both, "director", start)
    for i, education in enumerate(["college", "high_school", "junior_or_below"]):
        make_position(
            make_cadre(name=f"委员{i}", born=D(1970 + i, 6, 1), education=education), "member", start
        )
    make_position(make_cadre(name="二村书记", village=world.village2, born=D(1990, 1, 1)), "secretary", start)
    # Group cadres are not two-committee members.
    make_position(make_cadre(name="组长", born=D(1950, 1, 1)), "group_leader", start, pay=Decimal("505"))

    figures = stats(world.county_admin, 2023)
    assert figures["cadres"] == 5
    assert figures["education_shares"] == {
        "bachelor_plus": 20.0, "college": 20.0, "high_school": 40.0, "junior_or_below": 20.0,
    }  # fmt: skip
    # 43, 53, 52, 51, 33 on 31 December 2023
    assert figures["average_age"] == 46.4
    assert (figures["villages"], figures["one_shoulder_villages"], figures["one_shoulder_ratio"]) == (
        3,
        1,
        33.33,
    )
    assert {row["role"] for row in figures["pay_by_role"]} == {
        "secretary",
        "director",
        "member",
        "group_leader",
    }
    # The township's staff see their township only.
    assert stats(world.township_staff, 2023)["villages"] == 2
    assert stats(world.county_admin, 2023, township=world.other_township.pk)["cadres"] == 0


def test_resignations_count_people_once_per_year(world, make_cadre, make_position):
    both = make_cadre(name="两职")
    make_position(both, "secretary", D(2016, 11, 1))
    make_position(both, "director", D(2016, 11, 1))
    services.cadre_resign(actor=SYSTEM, cadre=both, date=D(2018, 3, 1), reason="外出务工")
    clerk = make_cadre(name="文书")
    make_position(clerk, "clerk", D(2016, 11, 1), D(2018, 9, 1), end_reason="resigned")
    make_position(make_cadre(name="任满"), "member", D(2016, 11, 1), D(2018, 10, 1), end_reason="term_end")
    assert stats(world.county_admin, 2018)["resignations"] == 2
    assert (
        statistics.cadre_series(user=world.county_admin, from_year=2016, to_year=2019)["years"][2][
            "resignations"
        ]
        == 2
    )


def test_exchange_and_returned_migrant_secretaries(world, make_cadre, make_position):
    make_position(make_cadre(name="交流", source="exchange"), "secretary", D(2017, 5, 1))
    make_position(
        make_cadre(name="回引", source="returned_migrant", village=world.village2), "secretary", D(2018, 1, 1)
    )
    series = statistics.cadre_series(user=world.city_admin, from_year=2016, to_year=2018)["years"]
    assert [row["exchange_secretaries"] for row in series] == [0, 1, 1]
    assert [row["returned_migrant_secretaries"] for row in series] == [0, 0, 1]


def test_reserves_and_villages_short_of_them(world, make_reserve):
    make_reserve(world.village, name="甲", born=D(1990, 1, 1), is_returned_migrant=True)
    make_reserve(world.village, name="乙", born=D(1994, 1, 1), education="high_school")
    make_reserve(world.village2, name="丙", since=D(2018, 1, 1), until=D(2020, 1, 1))
    figures = stats(world.county_admin, 2019)
    assert figures["reserve_count"] == 3
    assert figures["reserve_returned_migrants"] == 1
    assert figures["villages_short_of_reserves"] == 2  # village2 has 1, other_village none
    assert stats(world.county_admin, 2020)["villages_short_of_reserves"] == 2
    short = statistics.villages_short_of_reserves(user=world.county_admin, on=D(2019, 12, 31))
    assert [(v.code, v.reserve_count, v.reserves_required) for v in short] == [
        (world.village2.code, 1, 2),
        (world.other_village.code, 0, 2),
    ]


def test_the_reserve_minimum_is_configuration_per_county(world, make_reserve):
    make_reserve(world.village, name="甲")
    make_reserve(world.village2, name="乙")
    setting_set(
        actor=SYSTEM,
        key="cadres.min_reserves_per_village",
        value=1,
        valid_from=D(2019, 1, 1),
        county=world.county,
    )
    assert stats(world.county_admin, 2019)["villages_short_of_reserves"] == 1  # other_village only
    assert stats(world.county_admin, 2018)["villages_short_of_reserves"] == 3  # the default 2 was in force
    assert (
        stats(world.city_admin, 2019)["villages_short_of_reserves"] == 2
    )  # plus 江北村 of 巴州区 (default 2)


def test_training_days_per_person_and_region(world, make_cadre, make_position):
    first, second = make_cadre(name="甲"), make_cadre(name="乙", village=world.other_village)
    for cadre in (first, second):
        make_position(cadre, "member", D(2020, 1, 1))
    services.training_create(actor=SYSTEM, cadre=first, course="示范培训", start_date=D(2024, 4, 1), days=5)
    services.training_create(actor=SYSTEM, cadre=first, course="专题培训", start_date=D(2024, 9, 1), days=2)
    services.training_create(actor=SYSTEM, cadre=second, course="示范培训", start_date=D(2024, 4, 1), days=4)
    services.training_create(actor=SYSTEM, cadre=second, course="去年", start_date=D(2023, 4, 1), days=9)
    figures = stats(world.county_admin, 2024)
    assert (
        figures["training_days"],
        figures["trained_cadres"],
        figures["training_days_per_trained_cadre"],
    ) == (11, 2, 5.5)
    assert [(r["name"], r["training_days"], r["trained_cadres"]) for r in figures["training_by_region"]] == [
        ("登科街道", 7, 1),
        ("柳林镇", 4, 1),
    ]


def test_a_region_outside_the_users_is_not_found(world):
    with pytest.raises(Http404):
        stats(world.county_admin, 2020, county=world.other_county.pk)
    with pytest.raises(Http404):
        stats(world.township_staff, 2020, township=world.other_township.pk)


def test_default_deny_without_a_region(world, make_cadre, make_position):
    from apps.accounts.models import User

    make_position(make_cadre(), "secretary", D(2020, 1, 1))
    nobody = User.objects.create_user("nobody", password="x")
    figures = stats(nobody, 2020)
    assert (figures["cadres"], figures["villages"], figures["secretaries"]) == (0, 0, 0)


def _populate(township, count: int, make_cadre, make_position) -> None:
    """``count`` villages, each with a 一肩挑 secretary, a member who resigned in 2019, a reserve and a training."""
    from apps.villages import services as region_services
    from tests.cadres.conftest import id_number

    for n in range(count):
        village = region_services.village_create(
            actor=SYSTEM,
            township=township,
            code=f"{township.code[:9]}{100 + n:03d}",
            name=f"{township.name}{n}村",
        )
        secretary = make_cadre(village=village, name=f"书记{n}")
        make_position(secretary, "secretary", D(2016, 11, 1), pay=Decimal("1700"))
        make_position(secretary, "director", D(2016, 11, 1))
        member = make_cadre(village=village, name=f"委员{n}")
        make_position(member, "member", D(2016, 11, 1), D(2019, 5, 1), end_reason="resigned")
        services.reserve_create(
            actor=SYSTEM, village=village, name=f"后备{n}", gender="male", id_number=id_number(D(1995, 1, 1)),
            education="college", since=D(2018, 1, 1),
        )  # fmt: skip
        services.training_create(
            actor=SYSTEM, cadre=secretary, course="培训", start_date=D(2019, 4, 1), days=3
        )
        services.enrolment_create(
            actor=SYSTEM, cadre=member, institution="国家开放大学", target_education="college",
            enrolled_on=D(2017, 1, 1),
        )  # fmt: skip


def test_the_number_of_queries_does_not_grow_with_the_data(
    world, make_cadre, make_position, django_assert_max_num_queries, django_assert_num_queries
):
    _populate(world.township, 2, make_cadre, make_position)
    with django_assert_max_num_queries(14) as small:
        figures = stats(world.county_admin, 2019)
    assert (figures["cadres"], figures["one_shoulder_villages"], figures["resignations"]) == (2, 2, 2)

    _populate(world.other_township, 12, make_cadre, make_position)
    with django_assert_num_queries(len(small.captured_queries)):
        figures = stats(world.county_admin, 2019)
    assert (figures["cadres"], figures["one_shoulder_villages"], figures["resignations"]) == (14, 14, 14)
    assert figures["training_days"] == 42 and figures["reserve_count"] == 14


def test_village_cadre_figures_for_rankings(
    world, make_cadre, make_position, make_reserve, django_assert_num_queries
):
    both = make_cadre(name="两职", born=D(1980, 1, 1), education="college")
    make_position(both, "secretary", D(2021, 3, 1))
    make_position(both, "director", D(2021, 3, 1))
    make_position(
        make_cadre(name="委员", born=D(1970, 1, 1), education="junior_or_below"), "member", D(2021, 3, 1)
    )
    make_position(
        make_cadre(name="二村委员", village=world.village2, born=D(1990, 1, 1)), "member", D(2021, 3, 1)
    )
    make_reserve(world.village, name="甲")
    make_reserve(world.village, name="乙")
    with django_assert_num_queries(4):  # region, config, counties, the villages
        rows = {
            v.code: (
                v.cadres_in_office,
                v.average_age,
                v.college_or_above,
                v.has_secretary,
                v.is_one_shoulder,
                v.reserve_count,
                v.reserves_required,
            )  # fmt: skip
            for v in statistics.village_cadre_figures(user=world.county_admin, on=D(2023, 12, 31))
        }
    assert rows == {
        world.village.code: (2, 48.0, 1, True, True, 2, 2),
        world.village2.code: (1, 33.0, 0, False, False, 0, 2),
        world.other_village.code: (0, None, 0, False, False, 0, 2),
    }
