import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from apps.core import idnumbers

VALID = "11010519491231002X"


def test_valid_number_and_its_birth_date():
    assert idnumbers.validate(VALID) == VALID
    assert idnumbers.birth_date(VALID) == datetime.date(1949, 12, 31)
    assert idnumbers.age_on(datetime.date(1949, 12, 31), datetime.date(2019, 12, 30)) == 69
    assert idnumbers.age_on(datetime.date(1949, 12, 31), datetime.date(2019, 12, 31)) == 70


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105 19491231 002X",
        "110105-19491231-002x",
    ],
)
def test_typing_variants_are_normalised(typed):
    assert idnumbers.validate(typed) == VALID


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491231002", "id_length"),
        ("1101051949123100211", "id_length"),
        ("11010519491331002X", "id_birth_date"),  # month 13
        ("11010519490230002X", "id_birth_date"),  # 30 February
        ("1101051949A231002X", "id_format"),
    ],
)
def test_broken_numbers_are_refused_without_echoing_the_number(number, code):
    with pytest.raises(ValidationError) as info:
        idnumbers.validate(number)
    assert info.value.code == code
    assert number not in " ".join(info.value.messages)


def test_future_birth_date_is_refused():
    first17 = "11010520991231002"
    number = first17 + idnumbers.check_character(first17)
    with pytest.raises(ValidationError) as info:
        idnumbers.validate(number, today=datetime.date(2026, 11, 23))
    assert info.value.code == "id_birth_date"


def test_unknown_region_prefix_is_only_a_warning():
    first17 = "99990119800101001"
    number = first17 + idnumbers.check_character(first17)
    assert idnumbers.validate(number) == number
    assert "999901" in idnumbers.region_warning(number)
    assert idnumbers.region_warning(VALID) is None


def test_mask_shows_first_three_and_last_four():
    assert idnumbers.mask(VALID) == "110***********002X"


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)), st.integers(0, 999)
)
def test_every_generated_number_validates(born, sequence):
    first17 = f"511903{born:%Y%m%d}{sequence:03d}"
    number = first17 + idnumbers.check_character(first17)
    assert idnumbers.validate(number.lower()) == number
    assert idnumbers.birth_date(number) == born
