"""Fixtures of the collective-economy tests, on top of ``world`` (tests/conftest.py)."""

from decimal import Decimal

import pytest

from apps.collective_economy import services
from apps.collective_economy.models import DevelopmentMode
from apps.core.actors import SYSTEM

YEAR = 2024


@pytest.fixture
def add_income(world):
    """``add_income(village, year, operating=..., ...)``: a record entered through the service."""

    def add(village=None, year=YEAR, **amounts):
        amounts = {name: Decimal(str(value)) for name, value in amounts.items()}
        return services.income_create(actor=SYSTEM, village=village or world.village, year=year, **amounts)

    return add


@pytest.fixture
def mode(db):
    """The seeded village development modes and project modes by code."""
    return {m.code: m for m in DevelopmentMode.objects.all()}
