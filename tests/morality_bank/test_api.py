"""The morality section of API.md, rule by rule: paths, fields, codes, scope and error shapes."""

import datetime
import io

import pytest
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.core.idnumbers import mask
from apps.morality_bank import services
from apps.morality_bank.models import Award, Goods, Item, LedgerEntry, Redemption, Resident

from .conftest import id_number

pytestmark = pytest.mark.django_db

API = "/api/v1/morality/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def today():
    return timezone.localdate().isoformat()


# Settings


def test_settings_defaults_and_county_admin_writes_dated_values(world, api):
    client = api(world.county_admin, language="en")
    body = client.get(f"{API}settings/?county={world.county.pk}").json()
    assert body["points_per_yuan"] == "1.00" and body["notice_days"] == 7
    assert body["redemption_window"] == "quarter_end" and body["county"] == world.county.pk
    response = client.put(
        f"{API}settings/?county={world.county.pk}",
        {"points_per_yuan": "2.00", "notice_days": 5, "redemption_window": "always"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["points_per_yuan"] == "2.00" and response.json()["redemption_window"] == "always"
    # The township's user reads its county's values but may not write them.
    staff = api(world.township_staff, language="en")
    assert staff.get(f"{API}settings/").json()["notice_days"] == 5
    assert staff.put(f"{API}settings/", {"notice_days": 1}, format="json").status_code == 403
    assert (
        client.put(
            f"{API}settings/?county={world.county.pk}", {"redemption_window": "never"}, format="json"
        ).status_code
        == 400
    )
    assert client.get(f"{API}settings/?county={world.other_county.pk}").status_code == 404


def test_settings_refuse_unknown_fields_and_past_dates(world, api):
    client = api(world.county_admin, language="en")
    response = client.put(f"{API}settings/", {"rate": 3}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.put(f"{API}settings/", {"notice_days": 3, "valid_from": yesterday}, format="json")
    assert response.status_code == 400 and "valid_from" in response.json()


# Items


def test_items_list_categories_and_negative_bounds_for_deductions(world, api, default_catalogue):
    body = api(world.village_clerk).get(f"{API}items/?page_size=100").json()
    assert body["count"] == default_catalogue.count()
    row = body["results"][0]
    assert set(row) >= {"id", "category", "name", "min_points", "max_points"}
    assert {r["category"] for r in body["results"]} == {"law", "customs", "hygiene", "industrious", "filial"}
    assert all(r["max_points"] < 0 for r in body["results"] if r["min_points"] < 0)


def test_county_admin_adds_and_disables_items_staff_cannot(world, api, bank):
    client = api(world.county_admin, language="en")
    response = client.post(
        f"{API}items/",
        {
            "category": "hygiene",
            "name": "厕所整洁",
            "min_points": 1,
            "max_points": 3,
            "county": world.county.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    bad = client.post(
        f"{API}items/",
        {"category": "law", "name": "跨零", "min_points": -2, "max_points": 2, "county": world.county.pk},
        format="json",
    )
    assert bad.status_code == 400
    assert (
        api(world.township_staff)
        .post(
            f"{API}items/",
            {"category": "law", "name": "x", "min_points": 1, "max_points": 2, "county": world.county.pk},
            format="json",
        )
        .status_code
        == 403
    )
    assert client.post(f"{API}items/{bank.item.pk}/disable/", {}, format="json").status_code == 200
    assert client.post(f"{API}items/{bank.item.pk}/enable/", {}, format="json").status_code == 200
    # A used item is never deleted.
    services.award_create(
        actor=SYSTEM, resident=bank.resident, item=bank.big, points=2, date=timezone.localdate()
    )
    assert client.delete(f"{API}items/{bank.big.pk}/").status_code == 400
    assert Item.objects.filter(pk=bank.big.pk).exists()


# Residents


def test_residents_masked_id_balance_read_only_and_scope(world, api, bank):
    bank.give(bank.resident, 12)
    clerk = api(world.village_clerk)
    body = clerk.get(f"{API}residents/").json()
    assert {r["name"] for r in body["results"]} == {"张德明", "李秀兰"}
    row = next(r for r in body["results"] if r["name"] == "张德明")
    assert row["balance"] == 12 and row["id_number"] == mask(bank.resident.id_number)
    assert (
        api(world.county_admin).get(f"{API}residents/{bank.resident.pk}/").json()["id_number"]
        == bank.resident.id_number
    )
    assert clerk.get(f"{API}residents/{bank.other_resident.pk}/").status_code == 404
    response = clerk.post(
        f"{API}residents/",
        {"village": world.village.pk, "name": "新人", "id_number": id_number(55), "balance": 999},
        format="json",
    )
    assert response.status_code == 201 and response.json()["balance"] == 0  # balance is read-only
    bad = clerk.post(
        f"{API}residents/",
        {"village": world.village.pk, "name": "错号", "id_number": "511903198001011230"},
        format="json",
    )
    assert bad.status_code == 400 and "id_number" in bad.json()
    outside = clerk.post(
        f"{API}residents/",
        {"village": world.village2.pk, "name": "越界", "id_number": id_number(56)},
        format="json",
    )
    assert outside.status_code == 400 and "village" in outside.json()


# Awards


def test_award_points_within_bounds_and_outside_scope_refused(world, api, bank):
    clerk = api(world.village_clerk, language="en")
    base = {"resident": bank.resident.pk, "item": bank.item.pk, "date": today(), "evidence": "拾金不昧"}
    response = clerk.post(f"{API}awards/", {**base, "points": 9}, format="json")
    assert response.status_code == 400 and "between 1 and 5" in response.json()["points"][0]
    response = clerk.post(
        f"{API}awards/", {**base, "resident": bank.other_resident.pk, "points": 3}, format="json"
    )
    assert response.status_code == 400 and "resident" in response.json()
    assert not Award.objects.exists()
    response = clerk.post(f"{API}awards/", {**base, "points": 3}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (
        body["status"] == "pending"
        and body["recorded_by"] == world.village_clerk.pk
        and body["approved_by"] is None
    )


def test_recorder_gets_403_another_user_approves_and_points_count(world, api, bank):
    clerk, staff = api(world.village_clerk, language="en"), api(world.township_staff, language="en")
    award = clerk.post(
        f"{API}awards/",
        {"resident": bank.resident.pk, "item": bank.item.pk, "points": 4, "date": today()},
        format="json",
    ).json()
    assert clerk.post(f"{API}awards/{award['id']}/approve/").status_code == 403
    assert clerk.post(f"{API}awards/{award['id']}/reject/", {}, format="json").status_code == 403
    assert clerk.get(f"{API}residents/{bank.resident.pk}/").json()["balance"] == 0
    response = staff.post(f"{API}awards/{award['id']}/approve/")
    assert response.status_code == 200
    assert (
        response.json()["status"] == "approved" and response.json()["approved_by"] == world.township_staff.pk
    )
    assert clerk.get(f"{API}residents/{bank.resident.pk}/").json()["balance"] == 4
    assert staff.post(f"{API}awards/{award['id']}/approve/").status_code == 400


def test_reject_records_the_reason(world, api, bank):
    award = services.award_create(
        actor=world.village_clerk, resident=bank.resident, item=bank.item, points=2, date=timezone.localdate()
    )
    response = api(world.county_admin).post(
        f"{API}awards/{award.pk}/reject/", {"reason": "不实"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert response.json()["decision_note"] == "不实" and response.json()["approved_by"] is None


def test_award_with_photo_is_served_only_in_scope(world, api, bank, media):
    clerk = api(world.village_clerk, language="en")
    photo = io.BytesIO(PNG)
    photo.name = "evidence.png"
    response = clerk.post(
        f"{API}awards/",
        {"resident": bank.resident.pk, "item": bank.item.pk, "points": 2, "date": today(), "photo": photo},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    award = Award.objects.get(pk=response.json()["id"])
    assert award.photo.name.startswith("morality/awards/") and award.photo.name.endswith(".png")
    assert (media / award.photo.name).read_bytes() == PNG
    served = clerk.get(f"{API}awards/{award.pk}/photo/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    assert api(world.other_county_admin).get(f"{API}awards/{award.pk}/photo/").status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7 not an image", "evidence.jpg", "JPEG, PNG or WebP"),
        (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "huge.jpg", "at most 5 MB"),
    ],
)
def test_a_photo_that_is_not_an_image_or_too_big_is_refused_and_nothing_saved(
    world, api, bank, media, content, name, message
):
    photo = io.BytesIO(content)
    photo.name = name
    response = api(world.village_clerk, language="en").post(
        f"{API}awards/",
        {"resident": bank.resident.pk, "item": bank.item.pk, "points": 2, "date": today(), "photo": photo},
        format="multipart",
    )
    assert response.status_code == 400 and message in response.json()["photo"][0]
    assert not Award.objects.exists()
    assert not (media / "morality" / "awards").exists() or not any((media / "morality" / "awards").iterdir())


# Goods and redemptions


def test_redemption_points_are_price_times_quantity(world, api, bank, always_open):
    bank.give(bank.resident, 45)
    clerk = api(world.village_clerk, language="en")
    response = clerk.post(
        f"{API}redemptions/",
        {"resident": bank.resident.pk, "goods": bank.goods.pk, "quantity": 3},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["points"], body["value_yuan"], body["date"]) == (30, "30.00", today())
    assert clerk.get(f"{API}residents/{bank.resident.pk}/").json()["balance"] == 15
    assert clerk.get(f"{API}goods/{bank.goods.pk}/").json()["stock"] == 2


def test_redemption_refused_with_400_when_balance_or_stock_short(world, api, bank, always_open):
    bank.give(bank.resident, 15)
    clerk = api(world.village_clerk, language="en")
    short = clerk.post(
        f"{API}redemptions/",
        {"resident": bank.resident.pk, "goods": bank.goods.pk, "quantity": 2},
        format="json",
    )
    assert short.status_code == 400 and "can redeem 15 points" in short.json()["quantity"][0]
    bank.give(bank.resident, 500)
    stock = clerk.post(
        f"{API}redemptions/",
        {"resident": bank.resident.pk, "goods": bank.goods.pk, "quantity": 6},
        format="json",
    )
    assert stock.status_code == 400 and "Only 5" in stock.json()["quantity"][0]
    assert not Redemption.objects.exists()


def test_redemption_outside_the_window_is_a_clear_400(world, api, bank):
    from apps.core.periods import in_quarter_end_window

    bank.give(bank.resident, 50)
    response = api(world.village_clerk, language="en").post(
        f"{API}redemptions/",
        {"resident": bank.resident.pk, "goods": bank.goods.pk, "quantity": 1},
        format="json",
    )
    if in_quarter_end_window(timezone.localdate(), 10):
        assert response.status_code == 400 and "public notice" in response.json()["quantity"][0]
    else:
        assert response.status_code == 400
        assert "last 10 days of each quarter" in response.json()["date"][0]


def test_goods_crud_and_restock_in_scope(world, api, bank):
    clerk = api(world.village_clerk)
    response = clerk.post(
        f"{API}goods/",
        {"village": world.village.pk, "name": "毛巾", "price_points": 5, "stock": 10},
        format="json",
    )
    assert response.status_code == 201
    goods_id = response.json()["id"]
    assert clerk.post(f"{API}goods/{goods_id}/restock/", {"quantity": 5}, format="json").json()["stock"] == 15
    assert clerk.patch(f"{API}goods/{goods_id}/", {"stock": -1}, format="json").status_code == 400
    assert clerk.get(f"{API}goods/{bank.far_goods.pk}/").status_code == 404
    assert (
        clerk.post(
            f"{API}goods/",
            {"village": world.far_village.pk, "name": "x", "price_points": 5, "stock": 1},
            format="json",
        ).status_code
        == 400
    )
    assert clerk.delete(f"{API}goods/{goods_id}/").status_code == 204
    assert not Goods.objects.filter(pk=goods_id).exists()


# Ledger


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_ledger_is_read_only_405(world, api, bank, method):
    entry = bank.give(bank.resident, 10).ledger_entry
    response = getattr(api(world.county_admin), method)(
        f"{API}ledger/{entry.pk}/", {"points": 99}, format="json"
    )
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    entry.refresh_from_db()
    assert entry.points == 10


def test_ledger_lists_entries_and_reverse_adds_a_reversing_entry(world, api, bank):
    entry = bank.give(bank.resident, 10).ledger_entry
    client = api(world.township_staff, language="en")
    rows = client.get(f"{API}ledger/?resident={bank.resident.pk}").json()["results"]
    assert rows[0]["kind"] == "award" and rows[0]["points"] == 10 and rows[0]["reverses"] is None
    assert set(rows[0]) >= {"id", "resident", "kind", "points", "created_at", "reverses"}
    response = client.post(f"{API}ledger/{entry.pk}/reverse/", {"reason": "录错"}, format="json")
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["points"], response.json()["reverses"]) == (
        "reversal",
        -10,
        entry.pk,
    )
    again = client.post(f"{API}ledger/{response.json()['id']}/reverse/", {}, format="json")
    assert again.status_code == 400 and "cannot itself be reversed" in again.json()["non_field_errors"][0]
    assert client.post(f"{API}ledger/{entry.pk}/reverse/", {}, format="json").status_code == 400
    assert Resident.objects.get(pk=bank.resident.pk).balance == 0
    assert LedgerEntry.objects.count() == 2


def test_ledger_outside_scope_is_404(world, api, bank):
    entry = bank.give(bank.far_resident, 10).ledger_entry
    client = api(world.county_admin)
    assert client.get(f"{API}ledger/{entry.pk}/").status_code == 404
    assert client.post(f"{API}ledger/{entry.pk}/reverse/", {}, format="json").status_code == 404
    assert client.get(f"{API}ledger/?village={world.far_village.pk}").json()["count"] == 0


def test_anonymous_gets_401(world):
    from rest_framework.test import APIClient

    assert APIClient().get(f"{API}residents/").status_code == 401


# Settlements and statistics


def test_settlement_run_twice_gives_the_same_statements(world, api, bank):
    from apps.core.periods import Quarter

    quarter = str(Quarter.of(timezone.localdate()).previous())
    client = api(world.county_admin)
    first = client.post(f"{API}settlements/run/", {"quarter": quarter}, format="json")
    assert first.status_code == 200
    second = client.post(f"{API}settlements/run/", {"quarter": quarter}, format="json")
    assert first.json() == second.json() and len(first.json()) == 2
    assert client.post(f"{API}settlements/run/", {"quarter": "2026Q9"}, format="json").status_code == 400
    assert (
        api(world.township_staff)
        .post(f"{API}settlements/run/", {"quarter": quarter}, format="json")
        .status_code
        == 403
    )
    assert client.get(f"{API}settlements/?quarter={quarter}").json()["count"] == 2


def test_stats_in_one_query_per_figure(world, api, bank, django_assert_max_num_queries):
    bank.give(bank.resident, 10)
    services.award_create(
        actor=SYSTEM, resident=bank.resident2, item=bank.item, points=2, date=timezone.localdate()
    )
    client = api(world.county_admin)
    with django_assert_max_num_queries(12):
        body = client.get(f"/api/v1/stats/morality/?county={world.county.pk}").json()
    assert body["villages_with_bank"] == 2 and body["active_banks"] == 1
    assert body["residents"] == 3 and body["participants"] == 1
    assert body["participation_rate"] == round(1 / 3, 4)
    assert (
        body["points_by_category"][0]["category"] == "filial"
        and body["points_by_category"][0]["awarded"] == 10
    )
    assert client.get(f"/api/v1/stats/morality/?county={world.other_county.pk}").status_code == 404
