"""Cadre fixtures on top of the shared ``world``: valid ID numbers and records made through the services."""

import datetime
import itertools

import pytest

from apps.cadres import services
from apps.core import idnumbers
from apps.core.actors import SYSTEM

_sequence = itertools.count(1)


def id_number(born=datetime.date(1975, 6, 15), *, male=True, prefix=None) -> str:
    """A valid, unique ID number; by default with the Bazhong region code valid in the birth year."""
    if prefix is None:
        prefix = "513027" if born.year < 1993 else "513701" if born.year < 2000 else "511902"
    k = next(_sequence) % 450
    sequence = 100 + 2 * k + (1 if male else 0)
    first17 = f"{prefix}{born:%Y%m%d}{sequence:03d}"
    return first17 + idnumbers.check_character(first17)


def with_wrong_check(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


@pytest.fixture
def make_cadre(world):
    """``make_cadre(village, name=..., born=..., education=..., **fields)`` through the service."""

    def make(
        village=None,
        *,
        name="张三",
        born=datetime.date(1975, 6, 15),
        male=True,
        education="high_school",
        **fields,
    ):
        return services.cadre_create(
            actor=SYSTEM,
            village=village or world.village,
            name=name,
            gender="male" if male else "female",
            id_number=id_number(born, male=male),
            education=education,
            **fields,
        )

    return make


@pytest.fixture
def make_position(world):
    def make(cadre, role, start, end=None, *, village=None, end_reason="", pay=None, note=""):
        if end is not None and not end_reason:
            end_reason = "term_end"
        return services.position_create(
            actor=SYSTEM,
            cadre=cadre,
            village=village,
            role=role,
            start_date=start,
            end_date=end,
            end_reason=end_reason,
            end_note=note,
            monthly_pay=pay,
        )

    return make


@pytest.fixture
def make_reserve(world):
    def make(
        village=None,
        *,
        name="李四",
        born=datetime.date(1992, 3, 1),
        since=datetime.date(2018, 1, 1),
        **fields,
    ):
        fields.setdefault("education", "college")
        return services.reserve_create(
            actor=SYSTEM,
            village=village or world.village,
            name=name,
            gender="male",
            id_number=id_number(born),
            since=since,
            **fields,
        )

    return make
