"""The Content-Security-Policy: sent on every page, and no page of the app breaks it."""

import pytest
from playwright.sync_api import expect

from apps.collective_economy import services as collective_services
from apps.core.actors import SYSTEM
from tests.conftest import PASSWORD, log_in


def test_every_response_carries_a_strict_policy(client, world):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_with_charts_forms_and_api_docs_break_no_rule(world, page, django_user_model):
    collective_services.income_create(actor=SYSTEM, village=world.village, year=2025, operating="12000")
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append((page.url, message.text))
        ),
    )

    log_in(page, "root")
    for path in [
        "/",
        "/villages/",
        "/collective-economy/",
        f"/collective-economy/villages/{world.village.pk}/",
        "/assistance/stats/",
        "/morality/",
        "/admin/",
        "/admin/villages/village/",
        "/api/docs/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    expect(page.locator(".swagger-ui")).to_be_visible()
    page.goto("/collective-economy/")
    expect(page.locator(".ce-chart canvas").first).to_be_visible()
    assert violations == []
