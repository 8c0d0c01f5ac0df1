"""Business rules of the collective economy at the service level (and the database beneath it)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.collective_economy import services
from apps.collective_economy.models import Bracket, Income, Pairing, Project, SupportFund, bracket_for
from apps.core.actors import SYSTEM
from apps.core.services import setting_set
from apps.villages import services as village_services

from .conftest import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

BOUNDARIES = [
    ("0", Bracket.EMPTY),
    ("0.01", Bracket.LT_10K),
    ("9999.99", Bracket.LT_10K),
    ("10000", Bracket.FROM_10K),
    ("49999.99", Bracket.FROM_10K),
    ("50000", Bracket.FROM_50K),
    ("99999.99", Bracket.FROM_50K),
    ("100000", Bracket.FROM_100K),
    ("499999.99", Bracket.FROM_100K),
    ("500000", Bracket.GTE_500K),
]


@pytest.mark.parametrize(("amount", "bracket"), BOUNDARIES)
def test_bracket_boundaries_through_the_service(world, amount, bracket):
    income = services.income_create(
        actor=world.township_staff, village=world.village, year=YEAR, operating=Decimal(amount)
    )

    assert income.total == Decimal(amount)
    assert income.bracket == bracket
    assert bracket_for(Decimal(amount)) == bracket
    stored = Income.objects.get(pk=income.pk)
    assert (stored.total, stored.bracket) == (Decimal(amount), bracket)


@pytest.mark.parametrize(("amount", "bracket"), BOUNDARIES)
def test_bracket_follows_the_sum_of_the_sources(world, amount, bracket):
    """The same totals split over the five sources (cents included) give the same bracket."""
    total = Decimal(amount)
    cents = int(total * 100)
    parts = [cents // 5] * 4 + [cents - 4 * (cents // 5)]
    amounts = dict(
        zip(
            ("operating", "resource", "investment", "subsidy", "other"),
            (Decimal(p) / 100 for p in parts),
            strict=True,
        )
    )
    income = services.income_create(actor=SYSTEM, village=world.village, year=YEAR, **amounts)
    assert (income.total, income.bracket) == (total, bracket)


def test_total_per_capita_and_sources(world, add_income):
    income = add_income(
        operating="1000.50", resource="2000", investment="300.25", subsidy="50", other="0.25", year=YEAR
    )
    assert income.total == Decimal("3351.00")
    assert income.per_capita == Decimal("2.79")  # 3351 / 1200 registered residents, rounded half up


def test_per_capita_is_none_without_registered_population(world, add_income):
    village = village_services.village_create(
        actor=SYSTEM, township=world.township, code="511903001009", name="空村"
    )
    assert add_income(village=village, operating="100").per_capita is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("operating", Decimal("-0.01"), "Ensure this value is greater than or equal to 0."),
        ("resource", Decimal("12.345"), "Ensure that there are no more than 2 decimal places."),
        ("subsidy", "12.345", "Ensure that there are no more than 2 decimal places."),
        ("investment", "一百", "must be a decimal number"),
        ("other", 0.1, "Ensure that there are no more than 2 decimal places."),
    ],
)
def test_bad_amounts_are_field_errors_and_save_nothing(world, field, value, message):
    with pytest.raises(ValidationError) as caught:
        services.income_create(actor=world.township_staff, village=world.village, year=YEAR, **{field: value})
    assert field in caught.value.message_dict
    assert any(message in text for text in caught.value.message_dict[field])
    assert not Income.objects.exists()


def test_over_precise_amounts_are_not_rounded_on_update(world, add_income):
    income = add_income(operating="100")
    with pytest.raises(ValidationError) as caught:
        services.income_update(actor=world.township_staff, income=income, operating=Decimal("100.005"))
    assert "operating" in caught.value.message_dict
    assert Income.objects.get().operating == Decimal("100.00")


def test_a_second_record_for_the_village_and_year_is_refused(world, add_income):
    add_income(operating="100")
    with pytest.raises(ValidationError) as caught:
        add_income(operating="200")
    assert caught.value.message_dict["year"] == [
        "Village 红旗村 already has a collective income record for 2024."
    ]
    assert Income.objects.get().total == Decimal("100.00")


def test_moving_a_record_onto_an_existing_year_is_refused(world, add_income):
    add_income(year=2023, operating="1")
    later = add_income(year=2024, operating="2")
    with pytest.raises(ValidationError) as caught:
        services.income_update(actor=world.township_staff, income=later, year=2023)
    assert "year" in caught.value.message_dict
    assert sorted(Income.objects.values_list("year", flat=True)) == [2023, 2024]


def test_the_database_keeps_one_record_per_village_and_year(world, add_income):
    add_income(operating="100")
    with pytest.raises(IntegrityError), transaction.atomic():
        Income.objects.create(village=world.village, year=YEAR, operating=Decimal("5"))


@pytest.mark.parametrize("field", ["operating", "resource", "investment", "subsidy", "other"])
def test_the_database_refuses_negative_amounts(world, add_income, field):
    income = add_income(operating="100")
    with pytest.raises(IntegrityError), transaction.atomic():
        Income.objects.filter(pk=income.pk).update(**{field: Decimal("-1")})
    with pytest.raises(IntegrityError), transaction.atomic():
        Income.objects.create(village=world.village2, year=YEAR, **{field: Decimal("-1")})


def test_future_years_are_refused(world):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as caught:
        services.income_create(actor=world.township_staff, village=world.village, year=next_year)
    assert caught.value.message_dict["year"] == [f"{next_year} is in the future."]
    # The current year may be entered as it goes.
    services.income_create(actor=world.township_staff, village=world.village, year=timezone.localdate().year)


def test_years_before_records_start_are_refused_and_the_start_is_configuration(world):
    with pytest.raises(ValidationError) as caught:
        services.income_create(actor=world.township_staff, village=world.village, year=2013)
    assert caught.value.message_dict["year"] == ["Records start in 2014; 2013 is too early."]

    setting_set(
        actor=SYSTEM,
        key="collective_economy.first_year",
        value=2010,
        valid_from=datetime.date(2020, 1, 1),
        county=world.county,
    )
    services.income_create(actor=world.township_staff, village=world.village, year=2013)
    with pytest.raises(ValidationError):  # the other county keeps the default
        services.income_create(actor=SYSTEM, village=world.far_village, year=2013)


def test_no_records_after_a_village_was_retired(world):
    village_services.village_retire(
        actor=SYSTEM, village=world.village2, retired_on=datetime.date(2022, 6, 30), reason="合并"
    )
    world.village2.refresh_from_db()
    services.income_create(actor=world.township_staff, village=world.village2, year=2022)
    with pytest.raises(ValidationError) as caught:
        services.income_create(actor=world.township_staff, village=world.village2, year=2023)
    assert "retired in 2022" in caught.value.message_dict["year"][0]


def test_years_must_be_whole_numbers(world):
    with pytest.raises(ValidationError) as caught:
        services.income_create(actor=SYSTEM, village=world.village, year="2024")
    assert "year" in caught.value.message_dict


def test_village_clerks_and_unbound_users_cannot_write(world):
    with pytest.raises(PermissionDenied):
        services.income_create(actor=world.village_clerk, village=world.village, year=YEAR)
    assert not Income.objects.exists()


def test_villages_outside_the_region_are_refused(world, add_income):
    with pytest.raises(ValidationError) as caught:
        services.income_create(actor=world.township_staff, village=world.other_village, year=YEAR)
    assert "village" in caught.value.message_dict
    income = add_income(village=world.other_village, operating="5")
    with pytest.raises(PermissionDenied):
        services.income_update(actor=world.township_staff, income=income, operating=Decimal("6"))
    with pytest.raises(PermissionDenied):
        services.income_delete(actor=world.township_staff, income=income)
    assert Income.objects.get().operating == Decimal("5.00")


def test_a_record_cannot_move_to_another_village(world, add_income):
    income = add_income(operating="5")
    with pytest.raises(ValidationError) as caught:
        services.income_update(actor=world.township_staff, income=income, village=world.village2)
    assert "village" in caught.value.message_dict
    # Sending the same village again (a PUT) is fine.
    services.income_update(
        actor=world.township_staff, income=income, village=world.village, other=Decimal("1")
    )


def test_update_recomputes_total_and_bracket(world, add_income):
    income = add_income(operating="9999.99")
    assert income.bracket == Bracket.LT_10K
    income = services.income_update(actor=world.township_staff, income=income, subsidy=Decimal("0.01"))
    assert (income.total, income.bracket) == (Decimal("10000.00"), Bracket.FROM_10K)


def test_development_mode_must_be_a_village_mode_in_use(world, mode):
    with pytest.raises(ValidationError) as caught:
        services.income_create(
            actor=SYSTEM, village=world.village, year=YEAR, development_mode=mode["committee_led"]
        )
    assert "development_mode" in caught.value.message_dict
    services.development_mode_update(actor=SYSTEM, developmentmode=mode["cluster"], is_active=False)
    with pytest.raises(ValidationError):
        services.income_create(
            actor=SYSTEM, village=world.village, year=YEAR, development_mode=mode["cluster"]
        )
    income = services.income_create(
        actor=SYSTEM, village=world.village, year=YEAR, development_mode=mode["village_enterprise"]
    )
    assert income.development_mode.name == "村企合作"


def test_the_seeded_mode_lists(mode):
    village_modes = {m.name for m in mode.values() if m.kind == "village"}
    project_modes = {m.name for m in mode.values() if m.kind == "project"}
    assert {"村企合作", "组团发展", "实体创收"} <= village_modes
    assert project_modes == {
        "村两委领办",
        "专合组织带办",
        "龙头企业或产业大户引办",
        "党员群众联办",
        "强村+弱村跨村合办",
        "入党积极分子兴办",
    }


def test_only_city_admins_keep_the_mode_list(world, mode):
    with pytest.raises(PermissionDenied):
        services.development_mode_create(actor=world.county_admin, code="x", name="新模式", kind="village")
    created = services.development_mode_create(
        actor=world.city_admin, code="park", name="园区带动", kind="village"
    )
    assert created.is_active
    services.income_create(actor=SYSTEM, village=world.village, year=YEAR, development_mode=created)
    with pytest.raises(ValidationError):
        services.development_mode_update(actor=world.city_admin, developmentmode=created, kind="project")
    with pytest.raises(ValidationError):
        services.development_mode_delete(actor=world.city_admin, developmentmode=created)


# Support funds


def test_support_fund_rules(world):
    fund = services.support_fund_create(
        actor=world.township_staff,
        village=world.village,
        year=2020,
        amount=Decimal("20000"),
        source="county",
        use="发展壮大村集体经济",
    )
    assert fund.amount == Decimal("20000.00")
    for bad in (Decimal("0"), Decimal("-5"), Decimal("1.234")):
        with pytest.raises(ValidationError) as caught:
            services.support_fund_create(
                actor=world.township_staff,
                village=world.village,
                year=2020,
                amount=bad,
                source="county",
                use="x",
            )
        assert "amount" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportFund.objects.filter(pk=fund.pk).update(amount=Decimal("0"))
    with pytest.raises(ValidationError):
        services.support_fund_create(
            actor=world.township_staff,
            village=world.village,
            year=timezone.localdate().year + 1,
            amount=Decimal("1"),
            source="county",
            use="x",
        )


# Projects


def project(world, **fields):
    data = {
        "village": world.village,
        "name": "红旗村茶叶基地",
        "start_year": 2018,
        "funds_total": Decimal("600000"),
        "funds_demonstration": Decimal("100000"),
        "funds_agricultural": Decimal("300000"),
        "funds_department": Decimal("100000"),
        "funds_social": Decimal("50000"),
        "households_benefiting": 40,
        "people_benefiting": 130,
        "poor_party_members_lifted": 2,
    }
    return services.project_create(actor=world.township_staff, **{**data, **fields})


def test_project_funds_by_source_and_beneficiaries(world, mode):
    created = project(world, mode=mode["committee_led"], status="completed")
    assert created.funds_other == Decimal("50000.00")
    assert created.mode.name == "村两委领办"


def test_project_sources_cannot_exceed_the_total(world):
    with pytest.raises(ValidationError) as caught:
        project(world, funds_social=Decimal("100000.01"))
    assert caught.value.message_dict["funds_total"] == [
        "The funds by source add up to more than the total funds."
    ]
    with pytest.raises(ValidationError) as caught:
        project(world, people_benefiting=39)
    assert "people_benefiting" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        project(world, funds_total=Decimal("-1"))
    assert "funds_total" in caught.value.message_dict
    assert not Project.objects.exists()
    created = project(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=created.pk).update(funds_total=Decimal("1"))


def test_project_mode_must_be_a_project_mode(world, mode):
    with pytest.raises(ValidationError) as caught:
        project(world, mode=mode["cluster"])
    assert "mode" in caught.value.message_dict


def test_planned_projects_may_start_next_year_others_not(world):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError):
        project(world, start_year=next_year)
    assert project(world, start_year=next_year, status="planned").start_year == next_year


def test_project_names_are_unique_per_village(world):
    project(world)
    with pytest.raises(ValidationError) as caught:
        project(world)
    assert "name" in caught.value.message_dict


# Pairings


def test_pairing_rules(world):
    pairing = services.pairing_create(
        actor=world.county_admin,
        village=world.village,
        unit_name=" 恩阳区财政局 ",
        start_year=2023,
        unit_type="party_gov",
    )
    assert pairing.unit_name == "恩阳区财政局"
    assert pairing.covers(2024) and not pairing.covers(2022)
    with pytest.raises(ValidationError) as caught:
        services.pairing_create(
            actor=world.county_admin, village=world.village, unit_name="恩阳区财政局", start_year=2023
        )
    assert "unit_name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.pairing_update(actor=world.county_admin, pairing=pairing, end_year=2022)
    assert caught.value.message_dict["end_year"] == ["The end year cannot be before the start year."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.filter(pk=pairing.pk).update(end_year=2020)
