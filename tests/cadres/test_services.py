"""Business rules of cadres, positions, reserves, training and degree upgrades, at the service level."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from apps.cadres import services
from apps.cadres.models import Cadre, CadrePosition, DegreeEnrolment, ReserveCadre
from apps.core import idnumbers
from apps.core.actors import SYSTEM
from tests.cadres.conftest import id_number, with_wrong_check

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def create(world, number, **fields):
    values = {
        "village": world.village,
        "name": "王五",
        "gender": "male",
        "id_number": number,
        "education": "college",
    }
    return services.cadre_create(actor=world.township_staff, **{**values, **fields})


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


# ID numbers


def test_valid_number_derives_birth_date(world):
    number = id_number(D(1980, 2, 29))
    cadre = create(world, number)
    assert cadre.id_number == number
    assert cadre.birth_date == D(1980, 2, 29)


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n[:6] + " " + n[6:14] + " " + n[14:],
        lambda n: n[:6] + "-" + n[6:14] + "-" + n[14:],
        lambda n: "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in n),
    ],
    ids=["spaces", "hyphens", "full-width"],
)
def test_typing_variants_are_normalised(world, typed):
    number = id_number(D(1970, 1, 1))
    cadre = create(world, typed(number))
    assert Cadre.objects.get(pk=cadre.pk).id_number == number


def test_lower_case_x_is_normalised(world):
    for n in range(1000):
        first17 = f"51190219700101{n:03d}"
        if idnumbers.check_character(first17) == "X":
            break
    cadre = create(world, first17 + "x")
    assert cadre.id_number.endswith("X")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: with_wrong_check(id_number()), "The check character of this ID number is wrong"),
        (lambda: "51190219750215123", "An ID number has 18 characters; this one has 17."),
        (lambda: "511902" + "19750230" + "123" + "X", "The birth date in this ID number does not exist."),
        (lambda: "511902" + "19751301" + "123" + "X", "The birth date in this ID number does not exist."),
        (lambda: "5119021975A10112" + "3X", "An ID number is 17 digits followed by a digit or X."),
    ],
    ids=["check character", "length", "30 February", "month 13", "letter"],
)
def test_broken_numbers_are_field_errors_that_save_nothing(world, make, message):
    number = make()
    with pytest.raises(ValidationError) as info:
        create(world, number)
    text = " ".join(errors(info)["id_number"])
    assert message in text
    assert number not in text
    assert not Cadre.objects.exists()


def test_future_birth_date_is_refused(world):
    first17 = f"511902{datetime.date.today().year + 1}0101123"
    with pytest.raises(ValidationError) as info:
        create(world, first17 + idnumbers.check_character(first17))
    assert "in the future" in " ".join(errors(info)["id_number"])
    assert not Cadre.objects.exists()


def test_duplicate_number_is_refused_even_in_another_region(world):
    number = id_number()
    services.cadre_create(
        actor=SYSTEM,
        village=world.far_village,
        name="甲",
        gender="male",
        id_number=number,
        education="college",
    )
    spaced = number[:6] + " " + number[6:]
    with pytest.raises(ValidationError) as info:
        create(world, spaced)
    assert errors(info)["id_number"] == ["A cadre with this ID number is already recorded."]
    assert Cadre.objects.count() == 1


def test_database_keeps_numbers_unique(world, make_cadre):
    cadre = make_cadre()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadre.objects.create(
            village=world.village, name="乙", gender="male", id_number=cadre.id_number,
            birth_date=cadre.birth_date, education="college",
        )  # fmt: skip


def test_unknown_region_prefix_is_a_warning_not_an_error(world):
    number = id_number(D(1980, 1, 1), prefix="999901")
    cadre = create(world, number)
    assert cadre.pk
    full = services.id_number_warnings(number, gender="male", user=world.county_admin)
    masked = services.id_number_warnings(number, gender="male", user=world.township_staff)
    assert full == ["The region code 999901 is not in the list of known codes; check it."]
    assert masked == ["The region code of this ID number is not in the list of known codes; check it."]
    assert services.id_number_warnings(id_number(), gender="male", user=world.county_admin) == []


def test_gender_contradicting_the_number_is_a_warning(world):
    number = id_number(male=False)
    cadre = create(world, number, gender="male")
    warnings = services.id_number_warnings(cadre.id_number, gender=cadre.gender, user=world.county_admin)
    assert any("gender does not match" in w for w in warnings)


def test_changing_the_number_changes_the_birth_date(world, make_cadre):
    cadre = make_cadre(born=D(1970, 5, 5))
    services.cadre_update(actor=world.township_staff, cadre=cadre, id_number=id_number(D(1971, 6, 6)))
    cadre.refresh_from_db()
    assert cadre.birth_date == D(1971, 6, 6)


# Roles and regions


def test_village_clerk_may_not_write(world):
    with pytest.raises(PermissionDenied):
        services.cadre_create(
            actor=world.village_clerk, village=world.village, name="x", gender="male",
            id_number=id_number(), education="college",
        )  # fmt: skip
    assert not Cadre.objects.exists()


def test_village_outside_the_region_is_a_field_error(world):
    with pytest.raises(ValidationError) as info:
        create(world, id_number(), village=world.other_village)
    assert "village" in errors(info)
    assert not Cadre.objects.exists()


def test_retired_village_takes_no_new_cadres(world):
    world.village2.retired_on, world.village2.retired_reason = D(2020, 1, 1), "合并"
    world.village2.save()
    with pytest.raises(ValidationError) as info:
        create(world, id_number(), village=world.village2)
    assert "retired" in errors(info)["village"][0]


def test_cadre_with_positions_cannot_be_deleted(world, make_cadre, make_position):
    cadre = make_cadre()
    make_position(cadre, "clerk", D(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.cadre_delete(actor=world.township_staff, cadre=cadre)
    assert Cadre.objects.filter(pk=cadre.pk).exists()


# Positions


def test_second_current_secretary_is_refused(world, make_cadre, make_position):
    first, second = make_cadre(name="书记甲"), make_cadre(name="书记乙")
    make_position(first, "secretary", D(2021, 3, 1))
    with pytest.raises(ValidationError) as info:
        make_position(second, "secretary", D(2022, 1, 1))
    message = " ".join(info.value.messages)
    assert "already has a current Party secretary, 书记甲" in message
    assert CadrePosition.objects.filter(role="secretary").count() == 1


def test_another_village_may_have_its_own_secretary_and_directors_are_single_too(
    world, make_cadre, make_position
):
    make_position(make_cadre(name="甲"), "secretary", D(2021, 3, 1))
    make_position(make_cadre(name="乙", village=world.village2), "secretary", D(2021, 3, 1))
    make_position(make_cadre(name="丙"), "director", D(2021, 3, 1))
    with pytest.raises(ValidationError):
        make_position(make_cadre(name="丁"), "director", D(2021, 4, 1))
    # Members are not single-holder roles.
    make_position(make_cadre(name="戊"), "member", D(2021, 3, 1))
    make_position(make_cadre(name="己"), "member", D(2021, 3, 1))


def test_overlapping_past_secretaries_are_refused_and_a_handover_day_is_fine(
    world, make_cadre, make_position
):
    old, new, overlap = make_cadre(name="旧"), make_cadre(name="新"), make_cadre(name="叠")
    make_position(old, "secretary", D(2016, 11, 1), D(2021, 3, 1))
    make_position(new, "secretary", D(2021, 3, 1))  # starts the day the old one ended
    with pytest.raises(ValidationError) as info:
        make_position(overlap, "secretary", D(2018, 1, 1), D(2019, 1, 1))
    assert "had another Party secretary in that period: 旧" in " ".join(info.value.messages)


def test_database_refuses_a_second_current_secretary_and_overlaps(world, make_cadre, make_position):
    first = make_cadre(name="甲")
    make_position(first, "secretary", D(2016, 1, 1), D(2020, 1, 1))
    make_position(first, "secretary", D(2021, 1, 1))
    second = make_cadre(name="乙")
    with pytest.raises(IntegrityError), transaction.atomic():
        CadrePosition.objects.create(
            cadre=second, village=world.village, role="secretary", start_date=D(2022, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CadrePosition.objects.create(
            cadre=second, village=world.village, role="secretary", start_date=D(2017, 1, 1),
            end_date=D(2018, 1, 1), end_reason="term_end",
        )  # fmt: skip


def test_position_ending_before_it_starts_is_refused(world, make_cadre, make_position):
    cadre = make_cadre()
    with pytest.raises(ValidationError) as info:
        make_position(cadre, "clerk", D(2020, 5, 1), D(2020, 4, 30), end_reason="resigned")
    assert errors(info)["end_date"] == ["A position cannot end before it starts."]
    assert not CadrePosition.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        CadrePosition.objects.create(
            cadre=cadre, village=world.village, role="clerk", start_date=D(2020, 5, 1),
            end_date=D(2020, 4, 30), end_reason="resigned",
        )  # fmt: skip


def test_end_date_and_reason_go_together(world, make_cadre):
    cadre = make_cadre()
    with pytest.raises(ValidationError) as info:
        services.position_create(
            actor=SYSTEM, cadre=cadre, role="clerk", start_date=D(2020, 1, 1), end_date=D(2021, 1, 1)
        )
    assert "end_reason" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.position_create(
            actor=SYSTEM, cadre=cadre, role="clerk", start_date=D(2020, 1, 1), end_reason="resigned"
        )
    assert "end_date" in errors(info)


def test_a_position_before_the_cadre_was_18_is_refused(world, make_cadre, make_position):
    cadre = make_cadre(born=D(2000, 6, 1))
    with pytest.raises(ValidationError) as info:
        make_position(cadre, "member", D(2018, 5, 31))
    assert "younger than 18" in errors(info)["start_date"][0]
    make_position(cadre, "member", D(2018, 6, 1))


def test_future_dates_are_refused(world, make_cadre, make_position):
    with pytest.raises(ValidationError) as info:
        make_position(make_cadre(), "member", datetime.date.today() + datetime.timedelta(days=1))
    assert "start_date" in errors(info)


def test_position_defaults_to_the_cadres_village_and_may_be_in_another_in_scope(
    world, make_cadre, make_position
):
    cadre = make_cadre()
    assert make_position(cadre, "member", D(2020, 1, 1)).village == world.village
    exchange = make_position(cadre, "secretary", D(2021, 1, 1), village=world.village2)
    assert exchange.village == world.village2
    with pytest.raises(ValidationError) as info:
        services.position_create(
            actor=world.township_staff, cadre=cadre, village=world.other_village, role="clerk",
            start_date=D(2021, 1, 1),
        )  # fmt: skip
    assert "village" in errors(info)


def test_one_shoulder_is_derived(world, make_cadre, make_position):
    from apps.cadres.selectors import cadre_list

    both, other = make_cadre(name="两职"), make_cadre(name="委员")
    make_position(both, "secretary", D(2021, 3, 1))
    make_position(both, "director", D(2021, 3, 1))
    make_position(other, "member", D(2021, 3, 1))
    flags = dict(cadre_list(user=world.county_admin).values_list("name", "is_one_shoulder"))
    assert flags == {"两职": True, "委员": False}
    # Secretary of one village and director of another is not 一肩挑.
    make_position(other, "director", D(2021, 3, 1), village=world.village2)
    make_position(make_cadre(name="二村书记", village=world.village2), "secretary", D(2021, 3, 1))
    assert dict(cadre_list(user=world.county_admin).values_list("name", "is_one_shoulder"))["委员"] is False


def test_resignation_ends_every_current_position(world, make_cadre, make_position):
    cadre = make_cadre()
    make_position(cadre, "secretary", D(2016, 11, 1))
    make_position(cadre, "director", D(2016, 11, 1))
    make_position(cadre, "member", D(2010, 1, 1), D(2016, 11, 1))
    ended = services.cadre_resign(
        actor=world.township_staff, cadre=cadre, date=D(2020, 6, 1), reason="外出务工"
    )
    assert {p.role for p in ended} == {"secretary", "director"}
    assert set(cadre.positions.values_list("end_reason", flat=True)) == {"resigned", "term_end"}
    assert set(cadre.positions.filter(end_reason="resigned").values_list("end_note", "end_date")) == {
        ("外出务工", D(2020, 6, 1))
    }
    with pytest.raises(ValidationError):
        services.cadre_resign(actor=world.township_staff, cadre=cadre, date=D(2020, 7, 1), reason="again")


def test_ending_a_position_checks_the_date(world, make_cadre, make_position):
    position = make_position(make_cadre(), "clerk", D(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.position_end(
            actor=world.township_staff, position=position, end_date=D(2019, 12, 31), end_reason="resigned"
        )
    position.refresh_from_db()
    assert position.end_date is None
    services.position_end(
        actor=world.township_staff, position=position, end_date=D(2021, 1, 1), end_reason="term_end"
    )
    with pytest.raises(ValidationError):
        services.position_end(
            actor=world.township_staff, position=position, end_date=D(2022, 1, 1), end_reason="other"
        )


def test_other_townships_position_is_out_of_reach(world, make_cadre, make_position):
    position = make_position(make_cadre(village=world.other_village), "clerk", D(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        services.position_end(
            actor=world.township_staff, position=position, end_date=D(2021, 1, 1), end_reason="term_end"
        )


# Reserves, training, degree upgrades


def test_reserve_numbers_are_validated_and_unique(world, make_reserve):
    reserve = make_reserve()
    assert reserve.birth_date == D(1992, 3, 1)
    with pytest.raises(ValidationError) as info:
        services.reserve_create(
            actor=world.township_staff, village=world.village, name="重复", gender="male",
            id_number=reserve.id_number, education="college", since=D(2020, 1, 1),
        )  # fmt: skip
    assert "id_number" in errors(info)
    with pytest.raises(ValidationError) as info:
        services.reserve_create(
            actor=world.township_staff, village=world.village, name="坏号", gender="male",
            id_number=with_wrong_check(id_number()), education="college", since=D(2020, 1, 1),
        )  # fmt: skip
    assert "id_number" in errors(info)
    assert ReserveCadre.objects.count() == 1


def test_reserve_cannot_leave_before_joining(world, make_reserve):
    with pytest.raises(ValidationError) as info:
        make_reserve(since=D(2020, 1, 1), until=D(2019, 1, 1))
    assert "until" in errors(info)


def test_training_days_must_be_positive(world, make_cadre):
    cadre = make_cadre()
    with pytest.raises(ValidationError) as info:
        services.training_create(
            actor=world.township_staff, cadre=cadre, course="培训", start_date=D(2024, 5, 1), days=0
        )
    assert "days" in errors(info)
    training = services.training_create(
        actor=world.township_staff, cadre=cadre, course=" 示范培训 ", start_date=D(2024, 5, 1), days=5
    )
    assert training.course == "示范培训"


def test_degree_upgrade_raises_education_and_keeps_the_old_one(world, make_cadre):
    cadre = make_cadre(education="high_school")
    with pytest.raises(ValidationError) as info:
        services.enrolment_create(
            actor=world.township_staff, cadre=cadre, institution="国家开放大学", target_education="high_school",
            enrolled_on=D(2022, 9, 1),
        )  # fmt: skip
    assert "target_education" in errors(info)
    enrolment = services.enrolment_create(
        actor=world.township_staff, cadre=cadre, institution="国家开放大学", target_education="college",
        enrolled_on=D(2022, 9, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError):  # one open enrolment at a time
        services.enrolment_create(
            actor=world.township_staff, cadre=cadre, institution="x", target_education="bachelor_plus",
            enrolled_on=D(2022, 9, 1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.enrolment_complete(
            actor=world.township_staff, enrolment=enrolment, completed_on=D(2022, 8, 1)
        )
    services.enrolment_complete(actor=world.township_staff, enrolment=enrolment, completed_on=D(2024, 7, 1))
    cadre.refresh_from_db()
    enrolment.refresh_from_db()
    assert cadre.education == "college"
    assert (enrolment.previous_education, enrolment.completed_on) == ("high_school", D(2024, 7, 1))
    with pytest.raises(ValidationError):
        services.enrolment_delete(actor=world.township_staff, enrolment=enrolment)
    assert DegreeEnrolment.objects.count() == 1
