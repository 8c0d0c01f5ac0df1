"""API fuzzing: schemathesis generates requests for every operation in the app's own OpenAPI schema and
sends them in-process, as a township user and as a county admin, with records in and out of their scope.

Every response must be free of server errors, use a status code, content type and body the schema
documents, and name no record outside the caller's region. ``TOUYAN_FUZZ_EXAMPLES`` sets the number of
generated requests per operation, each sent as both roles (5 by default, which keeps CI within a few minutes)."""

import datetime
import os
from decimal import Decimal

import django_filters
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.services import token_for
from apps.core.actors import SYSTEM
from apps.core.filters import BoundedIntegerFilter
from config.wsgi import application

# The token endpoint is rate-limited per address and has its own tests (tests/accounts/).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).exclude(
    path="/api/v1/auth/token/"
)

EXAMPLES_PER_OPERATION = int(os.environ.get("TOUYAN_FUZZ_EXAMPLES", "5"))

# Text that only records outside the caller's region carry (see ``records_in_three_villages``).
FAR_MARKERS = ("江北", "巴州区", "511902000000", "511902001000", "511902001001")
OUT_OF_SCOPE_MARKERS = {
    "county_admin": FAR_MARKERS,  # 恩阳区: nothing of 巴州区
    "township_staff": (*FAR_MARKERS, "柳林", "511903002000", "511903002001"),  # 登科街道: not 柳林镇 either
}


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """Django closes "old" connections around every request; in-process requests must keep the test's
    connection, whose open transaction holds the fixtures' records."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def records_in_three_villages(world):
    """The same kinds of records in 红旗村 (登科街道), 柳林村 (柳林镇) and 江北村 (巴州区), so lists and
    statistics have rows in and out of each caller's scope. Names outside 登科街道 start with the place."""
    from apps.collective_economy.services import income_create
    from apps.morality_bank.services import resident_create
    from apps.villages.services import organisation_create
    from tests.assistance.conftest import make_cadre, make_household, make_member, make_team
    from tests.conftest import id_number

    for village, prefix in (
        (world.village, "红旗"),
        (world.other_village, "柳林"),
        (world.far_village, "江北"),
    ):
        region = village.code[:6]
        team = make_team(village)
        make_member(team, f"{prefix}队员", id_number=id_number(region))
        make_household(village, f"{prefix}户主", head_id_number=id_number(region))
        make_cadre(village, f"{prefix}干部")
        organisation_create(
            actor=SYSTEM,
            name=f"中共{village.name}支部委员会",
            kind="branch",
            villages=[village],
            founded_on=datetime.date(1990, 7, 1),
        )
        income_create(actor=SYSTEM, village=village, year=2024, operating=Decimal("1000"))
        resident_create(actor=SYSTEM, village=village, name=f"{prefix}村民", id_number=id_number(region))


def no_out_of_scope_record(role, markers):
    def no_out_of_scope_record(ctx, response, case):
        body = response.content.decode("utf-8", errors="replace")
        revealed = [marker for marker in markers if marker in body]
        if revealed:
            raise AssertionError(f"the response reveals records outside the {role}'s region: {revealed}")

    return no_out_of_scope_record


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    phases=[Phase.generate],
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_answers_within_its_schema_and_the_callers_scope(case, world, records_in_three_villages):
    # Both roles in one test per operation: building the records dominates the run time.
    for role, markers in OUT_OF_SCOPE_MARKERS.items():
        token = token_for(user=getattr(world, role))
        try:
            case.call_and_validate(
                headers={"Authorization": f"Token {token}"},
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                    no_out_of_scope_record(role, markers),
                ],
            )
        except Exception as failure:
            failure.add_note(f"(requested as {role})")
            raise


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_filter_bounds_its_ids_and_years():
    """A plain NumberFilter takes any decimal (``?year=6197028``, ``?village=1e-62``), which ends in a
    database or date error (500) instead of a 400; declared or generated from ``Meta.fields``."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view, and so every FilterSet
    unbounded = [
        f"{filterset.__module__}.{filterset.__name__}.{name}"
        for filterset in _subclasses(django_filters.FilterSet)
        if filterset.__module__.startswith("apps.")
        for name, number_filter in filterset.base_filters.items()
        if isinstance(number_filter, django_filters.NumberFilter)
        and not isinstance(number_filter, BoundedIntegerFilter)
    ]
    assert not unbounded, "use apps.core.filters.IdFilter or YearFilter for: " + ", ".join(unbounded)


# Findings of the fuzzer, pinned with the values that found them.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, field",
    [
        ("/api/v1/party-organisations/?year=6197028", "year"),
        ("/api/v1/assistance-measures/?village=1e-62", "village"),
        ("/api/v1/morality/ledger/?county=1.166e-85", "county"),
        ("/api/v1/work-team-members/?year=3.968313735474997e%2B16", "year"),
    ],
)
def test_an_id_or_year_filter_out_of_range_answers_400_naming_it(api, world, query, field):
    response = api(world.county_admin, "en").get(query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.django_db
def test_a_bounded_filter_still_filters(api, world, records_in_three_villages):
    client = api(world.county_admin)
    names = [
        row["name"]
        for row in client.get(f"/api/v1/cadres/?village={world.other_village.pk}").json()["results"]
    ]
    assert names == ["柳林干部"]
    assert client.get("/api/v1/cadres/?year=2100").status_code == 200
    assert client.get("/api/v1/cadres/?year=2101").status_code == 400


@pytest.mark.django_db
def test_morality_settings_refuse_a_malformed_county_and_hide_one_outside_the_region(api, world):
    client = api(world.county_admin)
    assert list(client.get("/api/v1/morality/settings/?county=bad").json()) == ["county"]
    assert client.get(f"/api/v1/morality/settings/?county={world.other_county.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/morality/settings/?county={world.county.pk}").json()["county"] == world.county.pk
    )


@pytest.mark.django_db
def test_a_body_that_cannot_be_parsed_answers_400_in_the_validation_shape(api, world):
    response = api(world.county_admin).post(
        "/api/v1/morality/goods/", b"\xd8\x0e", content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


@pytest.mark.django_db
def test_an_invalid_period_is_one_message_under_its_field(api, world):
    response = api(world.county_admin).post("/api/v1/periods/", {"period": "members_count"}, format="json")
    assert response.status_code == 400
    assert isinstance(response.json()["period"], list)
