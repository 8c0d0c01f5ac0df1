"""A permission matrix generated from the URL configuration: every page and API endpoint × every role ×
an in-scope and an out-of-scope object → the status expected by tests/core/permission_matrix.py.

One test per role loops over the URLs and reports every mismatch at once; a URL with no entry in the
matrix fails with the URL's name."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.core.actors import SYSTEM
from tests.assistance.conftest import make_household, make_team

from .permission_matrix import DETAIL, OBJECTS, ROLES, rule_for
from .permission_matrix_urls import SAMPLE, endpoints


def test_every_endpoint_has_a_permission_matrix_entry():
    missing = [f"{e.name} ({e.pattern})" for e in endpoints() if rule_for(e.name) is None]
    assert not missing, (
        "new endpoints have no permission-matrix entry in tests/core/permission_matrix.py:\n"
        + ("\n".join(missing))
    )


def _get(client, url):
    try:
        return client.get(url).status_code
    except Exception as error:  # a crash is a mismatch too, reported with the others
        return f"{type(error).__name__}: {error}"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in():
    login = reverse(settings.LOGIN_URL)
    mismatches = []
    client = Client(raise_request_exception=True)
    for endpoint in endpoints():
        rule = rule_for(endpoint.name)
        if rule is None:
            continue
        label, expectation = rule
        url = endpoint.url(**SAMPLE)
        expected = expectation.get("anonymous", 401 if endpoint.is_api else 302)
        response = client.get(url)
        status = response.status_code
        if status != expected:
            mismatches.append(f"{endpoint.name} [{label}] GET {url}: {status}, expected {expected}")
        elif "anonymous" not in expectation and status == 302 and not response["Location"].startswith(login):
            mismatches.append(
                f"{endpoint.name} GET {url}: redirects to {response['Location']}, not the login page"
            )
    assert not mismatches, "\n".join(mismatches)


def _objects(world):
    """Per kind: (in-scope object's URL arguments, out-of-scope object's URL arguments), each made
    through the apps' services as their own tests make them: one in 红旗村, one in 江北村 (巴州区)."""
    import datetime
    from decimal import Decimal

    from apps.collective_economy.services import income_create
    from apps.morality_bank.services import resident_create
    from apps.villages.services import organisation_create
    from tests.assistance.conftest import id_number, make_cadre, make_member

    def organisation(name, village):
        return organisation_create(
            actor=SYSTEM, name=name, kind="branch", villages=[village], founded_on=datetime.date(1990, 7, 1)
        )

    def resident(name, village):
        return resident_create(
            actor=SYSTEM, village=village, name=name, id_number=id_number(village.code[:6])
        )

    def income(village):
        return income_create(actor=SYSTEM, village=village, year=2024, operating=Decimal("1000"))

    team, far_team = make_team(world.village), make_team(world.far_village)
    pairs = {
        "team": (team, far_team),
        "member": (make_member(team), make_member(far_team, "远队员")),
        "household": (make_household(world.village), make_household(world.far_village, "李远山")),
        "cadre": (make_cadre(world.village), make_cadre(world.far_village, "远干部")),
        "organisation": (
            organisation("中共红旗村支部委员会", world.village),
            organisation("中共江北村支部委员会", world.far_village),
        ),
        "income": (income(world.village), income(world.far_village)),
        "resident": (resident("张德明", world.village), resident("赵春梅", world.far_village)),
        "township": (world.township, world.far_township),
        "county": (world.county, world.other_county),
        "user": (world.village_clerk, world.other_county_admin),
    }
    objects = {kind: ({"pk": inside.pk}, {"pk": outside.pk}) for kind, (inside, outside) in pairs.items()}
    objects["village"] = tuple(
        {"pk": village.pk, "village": village.pk} for village in (world.village, world.far_village)
    )
    return objects


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_role_gets_the_expected_status_everywhere(world, api, role):
    user = getattr(world, role)
    objects = _objects(world)
    page_client = Client(raise_request_exception=False)
    page_client.force_login(user)
    api_client = api(user)
    position = ROLES.index(role)
    mismatches = []
    for endpoint in endpoints():
        rule = rule_for(endpoint.name)
        if rule is None or rule[1] is DETAIL:
            continue
        label, expectation = rule
        client = api_client if endpoint.is_api else page_client
        cases = []
        if endpoint.name in OBJECTS:
            inside, outside = objects[OBJECTS[endpoint.name][1]]
            cases.append(("in scope", {**SAMPLE, **inside}, {expectation["roles"][position]}))
            if role != "city_admin":  # the city admin sees the whole city: nothing is outside
                # hidden (404); a role refused the URL altogether may be told so first (403)
                refused = expectation["roles"][position] == 403
                cases.append(("out of scope", {**SAMPLE, **outside}, {403, 404} if refused else {404}))
        else:
            cases.append(("", SAMPLE, {expectation["roles"][position]}))
        for case, values, expected in cases:
            url = endpoint.url(**values)
            status = _get(client, url)
            if status not in expected:
                wanted = " or ".join(map(str, sorted(expected)))
                mismatches.append(f"{endpoint.name} [{label}] {case} GET {url}: {status}, expected {wanted}")
    assert not mismatches, f"{role}:\n" + "\n".join(mismatches)


# A handful of state-changing actions by POST: (URL name, object kind, role, expected status).
POSTS = [
    ("villages:village_retire", "village", "county_admin", 404),
    ("villages:village_retire", "village", "village_clerk", 403),
    ("api:village-retire", "village", "township_staff", 404),
    ("cadres:cadre_resign", "cadre", "township_staff", 404),
    ("api:cadre-resign", "cadre", "county_admin", 404),
    ("assistance:member_end", "member", "api_client", 404),
    ("api:work-team-member-end", "member", "county_admin", 404),
    ("accounts:user_deactivate", "user", "township_staff", 403),
    ("accounts:user_deactivate", "user", "county_admin", 404),
]


@pytest.mark.django_db
def test_state_changing_posts_are_refused_outside_scope_and_role_and_change_nothing(world, api):
    from django.forms.models import model_to_dict

    objects = _objects(world)
    by_name = {endpoint.name: endpoint for endpoint in endpoints()}
    mismatches = []
    for name, kind, role, expected in POSTS:
        inside, outside = objects[kind]
        values = outside if expected == 404 else inside
        endpoint = by_name[name]
        url = endpoint.url(**{**SAMPLE, **values})
        model = _model(kind)
        before = model_to_dict(model.objects.get(pk=values["pk"]))
        user = getattr(world, role)
        if endpoint.is_api:
            response = api(user).post(url, {}, format="json")
        else:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            response = client.post(
                url, {"reason": "x", "end_date": "2025-01-31", "resigned_on": "2025-01-31"}
            )
        if response.status_code != expected:
            mismatches.append(f"{role} POST {name} {url}: {response.status_code}, expected {expected}")
        if model_to_dict(model.objects.get(pk=values["pk"])) != before:
            mismatches.append(f"{role} POST {name} {url} changed the object")
        anonymous = Client().post(url)
        if anonymous.status_code != (401 if endpoint.is_api else 302):
            mismatches.append(f"anonymous POST {name} {url}: {anonymous.status_code}")
    assert not mismatches, "\n".join(mismatches)


def _model(kind):
    from apps.accounts.models import User
    from apps.assistance.models import WorkTeamMember
    from apps.cadres.models import Cadre
    from apps.villages.models import Village

    return {"village": Village, "cadre": Cadre, "member": WorkTeamMember, "user": User}[kind]
