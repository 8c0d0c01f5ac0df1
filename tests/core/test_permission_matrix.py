"""A permission matrix generated from the URL configuration: every page and API endpoint × every role ×
an in-scope and an out-of-scope object → the status expected by tests/core/permission_matrix.py.

One test per role loops over the URLs and reports every mismatch at once; a URL with no entry in the
matrix fails with the URL's name."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from . import permission_matrix_objects
from .permission_matrix import OBJECTS, ROLES, rule_for
from .permission_matrix_objects import BEYOND_THE_CITY
from .permission_matrix_urls import SAMPLE, endpoints


def test_every_endpoint_has_a_permission_matrix_entry():
    missing = [f"{e.name} ({e.pattern})" for e in endpoints() if rule_for(e.name) is None]
    assert not missing, (
        "new endpoints have no permission-matrix entry in tests/core/permission_matrix.py:\n"
        + ("\n".join(missing))
    )


# Valid bodies for the POST-only actions that check their body before looking the record up (a 400 that
# any record would get, so it reveals nothing): with them, the lookup itself must refuse the record.
POST_BODIES = {
    "api:period-return-": {"reason": "核对"},
    "api:period-reopen": {"reason": "核对"},
    "api:morality-goods-restock": {"quantity": 1},
    "api:escalation-talk": {"talk_date": "2025-02-03", "talk_by": "副部长"},
    "api:finding-review": {"status": "explained", "reason": "核对"},
}


def _status(client, method, endpoint, url):
    try:
        if method == "POST":
            body = POST_BODIES.get(endpoint.name, {})
            return client.post(url, body, **({"format": "json"} if endpoint.is_api else {})).status_code
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


@pytest.fixture
def objects(world, run_import, settings, tmp_path):
    """``objects(user)``: the records of every kind, built once per test (award photos go to a temporary
    MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return lambda user: permission_matrix_objects.build(world, user, run_import)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_role_gets_the_expected_status_everywhere(world, api, objects, role):
    user = getattr(world, role)
    records = objects(user)
    page_client = Client(raise_request_exception=False)
    page_client.force_login(user)
    api_client = api(user)
    position = ROLES.index(role)
    mismatches = []
    for endpoint in endpoints():
        rule = rule_for(endpoint.name)
        if rule is None:
            continue
        label, expectation = rule
        client = api_client if endpoint.is_api else page_client
        cases = []  # (case, method, URL arguments, expected statuses)
        if endpoint.name in OBJECTS:
            kind = OBJECTS[endpoint.name][1]
            if kind not in records:
                mismatches.append(f"{endpoint.name}: permission_matrix_objects.py builds no {kind!r}")
                continue
            inside, outside = records[kind]
            status = expectation["roles"][position]
            cases.append(("in scope", "GET", {**SAMPLE, **inside}, {status}))
            # The city admin sees the whole city: only another city or user's record is outside.
            if outside is not None and (role != "city_admin" or kind in BEYOND_THE_CITY):
                # Hidden (404); a role refused the URL altogether may be told so first (403), and a
                # method refused before the record is looked up (405) reveals nothing either.
                hidden = {404, status} if status in (403, 405) else {404}
                cases.append(("out of scope", "GET", {**SAMPLE, **outside}, hidden))
                if status == 405:  # a POST-only action: what matters is that a POST is refused
                    cases.append(("out of scope", "POST", {**SAMPLE, **outside}, {403, 404}))
        else:
            cases.append(("", "GET", SAMPLE, {expectation["roles"][position]}))
        for case, method, values, expected in cases:
            url = endpoint.url(**values)
            status = _status(client, method, endpoint, url)
            if status not in expected:
                wanted = " or ".join(map(str, sorted(expected)))
                mismatches.append(
                    f"{endpoint.name} [{label}] {case} {method} {url}: {status}, expected {wanted}"
                )
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
def test_state_changing_posts_are_refused_outside_scope_and_role_and_change_nothing(world, api, objects):
    from django.forms.models import model_to_dict

    records = objects(world.city_admin)
    by_name = {endpoint.name: endpoint for endpoint in endpoints()}
    mismatches = []
    for name, kind, role, expected in POSTS:
        inside, outside = records[kind]
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
