"""Server-rendered pages: they render in both languages, keep to the user's region and call the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.actors import SYSTEM
from apps.morality_bank import services
from apps.morality_bank.models import Award, AwardStatus, Item, LedgerEntry

from .conftest import id_number

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def logged_in(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


PAGES = [
    "/morality/",
    "/morality/villages/{village}/",
    "/morality/residents/",
    "/morality/residents/new/",
    "/morality/residents/{resident}/",
    "/morality/residents/{resident}/edit/",
    "/morality/awards/",
    "/morality/awards/?status=approved",
    "/morality/awards/new/",
    "/morality/awards/new/?resident={resident}",
    "/morality/awards/{award}/",
    "/morality/ledger/{entry}/reverse/",
    "/morality/shop/",
    "/morality/shop/new/",
    "/morality/shop/{goods}/edit/",
    "/morality/redemptions/new/?resident={resident}",
    "/morality/items/",
    "/morality/settings/",
    "/morality/settlements/",
    "/history/morality_bank/resident/{resident}/",
    "/history/morality_bank/award/{award}/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ["village_clerk", "county_admin"])
def test_pages_render(client, world, bank, path, language, role):
    award = bank.give(bank.resident, 12)
    url = path.format(
        village=world.village.pk,
        resident=bank.resident.pk,
        award=award.pk,
        entry=award.ledger_entry.pk,
        goods=bank.goods.pk,
    )
    response = logged_in(client, getattr(world, role), language).get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/morality/villages/{village}/",
        "/morality/residents/{resident}/",
        "/morality/residents/{resident}/edit/",
        "/morality/awards/{award}/",
        "/morality/awards/{award}/photo/",
        "/morality/ledger/{entry}/reverse/",
        "/morality/shop/{goods}/edit/",
    ],
)
def test_records_of_another_village_are_404_for_a_clerk(client, world, bank, path):
    award = bank.give(bank.other_resident, 5)
    goods = services.goods_create(
        actor=SYSTEM, village=world.other_village, name="盐", price_points=2, stock=3
    )
    url = path.format(
        village=world.other_village.pk,
        resident=bank.other_resident.pk,
        award=award.pk,
        entry=award.ledger_entry.pk,
        goods=goods.pk,
    )
    client = logged_in(client, world.village_clerk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "name": "改"}).status_code == 404
    assert LedgerEntry.objects.filter(reverses__isnull=False).count() == 0


def test_lists_show_only_the_users_region(client, world, bank):
    client = logged_in(client, world.village_clerk)
    html = client.get("/morality/residents/").content.decode()
    assert "张德明" in html and "王建国" not in html and "赵春梅" not in html
    assert bank.resident.id_number not in html  # masked for a clerk
    html = client.get("/morality/").content.decode()
    assert "红旗村" in html and "柳林村" not in html


def test_clerk_records_an_award_with_a_photo_and_cannot_approve_it(client, world, bank, media):
    client = logged_in(client, world.village_clerk)
    response = client.post(
        "/morality/awards/new/",
        {
            "resident": bank.resident.pk,
            "item": bank.item.pk,
            "points": 4,
            "date": timezone.localdate().isoformat(),
            "evidence": "主动调解纠纷",
            "photo": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.recorded_by == world.village_clerk and award.photo
    photo = client.get(f"/morality/awards/{award.pk}/photo/")
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == PNG
    assert client.post(f"/morality/awards/{award.pk}/approve/").status_code == 403
    award.refresh_from_db()
    assert award.status == AwardStatus.PENDING

    staff = logged_in(client, world.township_staff)
    assert staff.post(f"/morality/awards/{award.pk}/approve/").status_code == 302
    award.refresh_from_db()
    assert award.status == AwardStatus.APPROVED and award.decided_by == world.township_staff


def test_award_form_shows_bound_errors_and_saves_nothing(client, world, bank):
    response = logged_in(client, world.village_clerk).post(
        "/morality/awards/new/",
        {
            "resident": bank.resident.pk,
            "item": bank.item.pk,
            "points": 50,
            "date": timezone.localdate().isoformat(),
            "photo": SimpleUploadedFile("a.jpg", b"GIF89a not allowed", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "between 1 and 5" in html and "JPEG, PNG or WebP image" in html
    assert not Award.objects.exists()


def test_passbook_shows_the_running_balance(client, world, bank, always_open):
    bank.give(bank.resident, 30)
    services.redemption_create(actor=SYSTEM, resident=bank.resident, goods=bank.goods, quantity=1)
    bank.give(bank.resident, 5)
    response = logged_in(client, world.village_clerk).get(f"/morality/residents/{bank.resident.pk}/")
    assert [e.running_balance for e in response.context["entries"]] == [30, 20, 25]


def test_redemption_form_refuses_a_short_balance(client, world, bank, always_open):
    bank.give(bank.resident, 5)
    response = logged_in(client, world.village_clerk).post(
        "/morality/redemptions/new/",
        {
            "resident": bank.resident.pk,
            "goods": bank.goods.pk,
            "quantity": 1,
            "date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and "can redeem 5 points" in response.content.decode()


def test_reverse_page_adds_a_reversal(client, world, bank):
    entry = bank.give(bank.resident, 8).ledger_entry
    response = logged_in(client, world.township_staff).post(
        f"/morality/ledger/{entry.pk}/reverse/", {"reason": "重复录入"}
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get(reverses=entry).points == -8


def test_settings_page_is_for_admins(client, world):
    assert (
        logged_in(client, world.township_staff)
        .post("/morality/settings/", {"county": world.county.pk})
        .status_code
        == 403
    )
    client = logged_in(client, world.county_admin)
    response = client.post(
        "/morality/settings/",
        {
            "county": world.county.pk,
            "valid_from": timezone.localdate().isoformat(),
            "points_per_yuan": "1.50",
            "notice_days": 5,
            "redemption_window": "always",
            "redemption_window_days": 10,
        },
    )
    assert response.status_code == 302
    assert services.bank_settings(county=world.county)["notice_days"] == 5
    assert services.bank_settings(county=world.other_county)["notice_days"] == 7


def test_items_page_adds_and_disables_for_the_county(client, world, default_catalogue):
    client = logged_in(client, world.county_admin)
    response = client.post(
        "/morality/items/",
        {
            "county": world.county.pk,
            "category": "customs",
            "name": "移风易俗示范户",
            "min_points": 3,
            "max_points": 8,
        },
    )
    assert response.status_code == 302
    assert Item.objects.filter(county=world.county, name="移风易俗示范户").exists()
    item = default_catalogue.first()
    assert client.post(f"/morality/items/{item.pk}/disable/").status_code == 302
    assert item.opt_outs.filter(county=world.county).exists()


def test_resident_page_creates_in_own_village(client, world):
    client = logged_in(client, world.village_clerk)
    response = client.post(
        "/morality/residents/new/",
        {"village": world.village.pk, "name": "新村民", "id_number": id_number(77)},
    )
    assert response.status_code == 302
    response = client.post(
        "/morality/residents/new/", {"village": world.village2.pk, "name": "越界", "id_number": id_number(78)}
    )
    assert response.status_code == 200


def test_settlements_page_settles_the_previous_quarter(client, world, bank):
    from apps.core.periods import Quarter

    quarter = str(Quarter.of(timezone.localdate()).previous())
    client = logged_in(client, world.county_admin)
    assert client.post("/morality/settlements/", {"quarter": quarter}).status_code == 302
    response = client.get(f"/morality/settlements/?quarter={quarter}")
    assert response.context["page"].paginator.count == 2
    statement = response.context["page"].object_list[0]
    assert client.get(f"/morality/settlements/{statement.pk}/").status_code == 200


def test_board_ranks_and_lists(client, world, bank, django_assert_max_num_queries):
    bank.give(bank.resident, 30)
    bank.give(bank.resident2, 10)
    bank.give(bank.resident2, -5)
    client = logged_in(client, world.village_clerk)
    with django_assert_max_num_queries(20):
        response = client.get(f"/morality/villages/{world.village.pk}/")
    assert [(r.name, r.rank) for r in response.context["ranked"]] == [("张德明", 1), ("李秀兰", 2)]
    assert [r.name for r in response.context["red"]] == ["张德明", "李秀兰"]
    assert [r.name for r in response.context["black"]] == ["李秀兰"]
    assert response.context["notice"].count() == 3  # deductions are published too
