"""Excel imports of villages and of Party organisations with their ratings, through the import runner."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.imports.spec import import_kind
from apps.core.models import ImportState, PeriodStatus, ReportingPeriod
from apps.core.periods import Year
from apps.core.reporting.services import period_row
from apps.villages.models import PartyOrganisation, Rating, RatingLevel, Rectification, Village
from tests.conftest import import_workbook

from .conftest import LAST_YEAR, make_cadre, rate

ORGANISATIONS = "Party organisations"
RATINGS = "ratings"


def zh(text) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(str(text))


def sheet_title(kind: str, index: int) -> str:
    """A data sheet's name as the template and the test workbooks write it (Chinese, 31 characters)."""
    return zh(import_kind(kind).sheets[index].title)[:31]


def errors_at(batch) -> dict[tuple[str, int, str], str]:
    return {(e["sheet"], e["row"], e["column"]): e["message"] for e in batch.errors}


def template(client, user, kind: str):
    client.force_login(user)
    response = client.get(reverse("core:import_template", args=[kind]))
    assert response.status_code == 200
    return response, openpyxl.load_workbook(io.BytesIO(response.content))


def headers(sheet) -> tuple[list, list]:
    rows = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    return list(rows[0]), list(rows[1])


# Villages


def village_row(code="511903001003", name="五星村", township="登科街道", **fields):
    return {"code": code, "name": name, "township": township, **fields}


@pytest.mark.django_db
def test_villages_template_has_the_register_columns_and_its_example_is_not_imported(
    world, client, run_import
):
    response, book = template(client, world.township_staff, "villages")
    title = sheet_title("villages", 0)
    assert book.sheetnames == ["说明", title, "_lists"]
    chinese, english = headers(book[title])
    assert chinese[:3] == ["村代码*", f"{zh('village name')}*", "乡镇*"]
    assert english == [
        "village code",
        "village name",
        "township",
        "registered population",
        "resident population",
        "households",
        "poverty status",
        "year it exited poverty",
        "minority village",
        "remote village",
        "notes",
    ]
    batch = run_import(world.township_staff, "villages", response.content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0
    assert Village.objects.count() == 4


@pytest.mark.django_db
def test_villages_are_added_and_corrected_by_code_and_blank_cells_keep_values(world, run_import):
    world.village.notes = "老区村"
    world.village.save()
    rows = [
        village_row(
            township="511903001",  # the township's 9 significant digits
            population_registered="1,260",
            households=352,
            poverty_status="贫困村",
            exit_year=2018,
            is_remote="是",
        ),
        village_row("511903001001", "红旗村", "511903001000", population_registered=1250, is_minority="否"),
    ]
    batch = run_import(world.township_staff, "villages", import_workbook("villages", rows))
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (1, 1, 0)
    added = Village.objects.get(code="511903001003")
    assert (added.name, added.township, added.county) == ("五星村", world.township, world.county)
    assert (added.population_registered, added.households, added.exit_year) == (1260, 352, 2018)
    assert added.poverty_status == "poor" and added.is_remote and not added.is_minority
    world.village.refresh_from_db()
    assert world.village.population_registered == 1250 and world.village.notes == "老区村"

    rows[1]["population_resident"] = 990
    again = run_import(world.township_staff, "villages", import_workbook("villages", rows))
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 1), again.errors
    world.village.refresh_from_db()
    assert (world.village.population_registered, world.village.population_resident) == (1250, 990)


@pytest.mark.django_db
def test_bad_village_rows_are_reported_at_their_cells_and_nothing_is_saved(world, run_import, english):
    rows = [
        village_row(),  # valid on its own
        village_row("511903001004", population_registered="many"),
        village_row("511903002005"),  # the code of another township
        village_row("511903001001", "红旗村", "511903002000"),  # a township outside the region
        village_row("511903001006", poverty_status="rich"),
        village_row("511903001002", "白鹤村", exit_year=1900),
    ]
    batch = run_import(world.township_staff, "villages", import_workbook("villages", rows))
    assert batch.state == ImportState.INVALID
    assert Village.objects.count() == 4 and Village.objects.get(code="511903001002").exit_year is None
    title = sheet_title("villages", 0)
    errors = errors_at(batch)
    assert errors[(title, 4, "D")] == "Enter a whole number."
    assert "must start with 511903001" in errors[(title, 5, "A")]
    assert "No township with code 511903002000 in your region." in errors[(title, 6, "C")]
    assert "not poor" in errors[(title, 7, "G")]
    assert (title, 8, "H") in errors  # the model's lower bound of the exit year
    assert {e["row"] for e in batch.errors} == {4, 5, 6, 7, 8}


@pytest.mark.django_db
def test_villages_outside_the_uploaders_region_are_refused(world, run_import, english):
    rows = [
        village_row("511903002002", "新柳村", "柳林镇"),
        village_row("511903002001", "柳林村", "柳林镇", households=300),
        village_row("511902001001", "江北村", "江北街道", households=200),
    ]
    content = import_workbook("villages", rows)
    batch = run_import(world.township_staff, "villages", content)
    assert batch.state == ImportState.INVALID and not Village.objects.filter(code="511903002002").exists()
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "C"), (4, "C"), (5, "C")]
    # The county admin imports for every township of the county, not for another county.
    batch = run_import(world.county_admin, "villages", content)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(5, "C")]
    world.other_village.refresh_from_db()
    assert world.other_village.households == 0


@pytest.mark.django_db
def test_an_existing_village_is_named_by_its_own_township(world, run_import, english):
    batch = run_import(
        world.county_admin,
        "villages",
        import_workbook("villages", [village_row("511903001002", "白鹤村", "柳林镇", households=10)]),
    )
    assert batch.state == ImportState.INVALID
    assert batch.errors[0]["column"] == "C" and "is in 登科街道" in batch.errors[0]["message"]
    world.village2.refresh_from_db()
    assert (world.village2.township, world.village2.households) == (world.township, 0)


# Party organisations and ratings


def organisation_row(village="红旗村", name="中共红旗村支部委员会", kind="党支部", **fields):
    return {"village": village, "name": name, "kind": kind, **fields}


def rating_row(village="红旗村", organisation="中共红旗村支部委员会", year=LAST_YEAR, level="先进", **fields):
    return {"village": village, "organisation": organisation, "year": year, "level": level, **fields}


def party_file(organisations=(), ratings=()) -> bytes:
    return import_workbook(
        "party_organisations", {ORGANISATIONS: list(organisations), RATINGS: list(ratings)}
    )


@pytest.mark.django_db
def test_party_template_has_both_sheets_and_its_examples_are_not_imported(world, client, run_import):
    response, book = template(client, world.county_admin, "party_organisations")
    organisations, ratings = sheet_title("party_organisations", 0), sheet_title("party_organisations", 1)
    assert organisations == "村党组织" and ratings == "评定"
    assert book.sheetnames == ["说明", organisations, ratings, "_lists"]
    assert headers(book[organisations])[1] == [
        "village",
        "organisation name",
        "kind",
        "other villages of a joint organisation",
        "members",
        "founded on",
        "dissolved on",
        "secretary's ID number",
    ]
    chinese, english = headers(book[ratings])
    assert chinese[:4] == ["村*", "党组织*", "年份*", "等次*"]
    assert english == [
        "village",
        "Party organisation",
        "year",
        "level",
        "reason",
        "reason for changing the rating",
    ]
    assert book[organisations].column_dimensions["H"].number_format == "@"  # ID numbers stay text
    batch = run_import(world.county_admin, "party_organisations", response.content)
    assert batch.state == ImportState.COMMITTED and batch.rows_total == 0
    assert not PartyOrganisation.objects.exists()


@pytest.mark.django_db
def test_organisations_and_their_ratings_are_created_in_one_file(world, run_import):
    secretary = make_cadre(world.village)
    content = party_file(
        [
            organisation_row(members_count=32, founded_on="1956-07-01", secretary=secretary.id_number),
            organisation_row(
                "511903001002",
                "中共红旗村白鹤村联合委员会",
                "党委",
                villages="红旗村",
                founded_on=datetime.date(2017, 3, 1),
            ),
        ],
        [
            rating_row(reason="组织生活规范"),
            rating_row("白鹤村", "中共红旗村白鹤村联合委员会", level="软弱涣散"),
        ],
    )
    batch = run_import(world.county_admin, "party_organisations", content)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (4, 0, 0)
    branch = PartyOrganisation.objects.get(name="中共红旗村支部委员会")
    assert (branch.kind, branch.members_count, branch.secretary) == ("branch", 32, secretary)
    assert branch.founded_on == datetime.date(1956, 7, 1) and not branch.is_joint
    joint = PartyOrganisation.objects.get(name="中共红旗村白鹤村联合委员会")
    assert joint.is_joint and set(joint.villages.all()) == {world.village, world.village2}
    rating = Rating.objects.get(organisation=branch, year=LAST_YEAR)
    assert (rating.level, rating.reason, rating.confirmed_by) == (
        "advanced",
        "组织生活规范",
        world.county_admin,
    )
    # A weak-and-lax rating opens the year's rectification case, as in the form.
    assert Rectification.objects.get(organisation=joint).year == LAST_YEAR


@pytest.mark.django_db
def test_a_second_upload_updates_organisations_and_changes_ratings_with_a_reason(world, party, run_import):
    rate(party.organisation, LAST_YEAR, RatingLevel.ORDINARY)
    rate(party.organisation2, LAST_YEAR, RatingLevel.ADVANCED, reason="村集体经济收入增长")
    content = party_file(
        [
            organisation_row(members_count=35),
            organisation_row("白鹤村", "中共白鹤村支部委员会", members_count=25),
            # A joint organisation is found through any of its villages.
            organisation_row("白鹤村", "中共红旗村白鹤村联合委员会", "党委", villages="511903001001"),
        ],
        [
            rating_row(level="先进", change_reason="复核后调整"),
            rating_row("白鹤村", "中共白鹤村支部委员会", level="advanced"),
            rating_row(year=LAST_YEAR - 1, level="一般"),
        ],
    )
    batch = run_import(world.county_admin, "party_organisations", content)
    assert batch.state == ImportState.COMMITTED, batch.errors
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (1, 2, 3)
    party.organisation.refresh_from_db()
    assert party.organisation.members_count == 35 and party.organisation.founded_on == datetime.date(
        1990, 7, 1
    )
    changed = Rating.objects.get(organisation=party.organisation, year=LAST_YEAR)
    assert (changed.level, changed.change_reason) == ("advanced", "复核后调整")
    assert Rating.objects.get(organisation=party.organisation2).reason == "村集体经济收入增长"
    assert Rating.objects.get(organisation=party.organisation, year=LAST_YEAR - 1).level == "ordinary"


@pytest.mark.django_db
def test_township_staff_keep_organisations_but_ratings_are_the_countys(world, run_import, english):
    organisations = [organisation_row(members_count=30)]
    alone = run_import(world.township_staff, "party_organisations", party_file(organisations))
    assert alone.state == ImportState.COMMITTED and alone.rows_created == 1, alone.errors
    batch = run_import(
        world.township_staff,
        "party_organisations",
        party_file([organisation_row(members_count=31)], [rating_row()]),
    )
    assert batch.state == ImportState.INVALID and not Rating.objects.exists()
    assert [(e["sheet"], e["row"], e["message"]) for e in batch.errors] == [
        (sheet_title("party_organisations", 1), 3, "Your role may not make this change.")
    ]
    assert PartyOrganisation.objects.get().members_count == 30


@pytest.mark.django_db
def test_bad_organisation_and_rating_rows_are_reported_at_their_cells(world, party, run_import, english):
    rate(party.organisation, LAST_YEAR, RatingLevel.ORDINARY)
    content = party_file(
        [
            organisation_row("白鹤村", "中共白鹤村新支部", "branch"),  # valid on its own
            organisation_row(kind="党小组"),
            organisation_row("白鹤村", "中共白鹤村支部委员会", founded_on=datetime.date(2099, 1, 1)),
            organisation_row("白鹤村", "中共白鹤村联合支部", villages="柳林村"),  # another township
            organisation_row(secretary="11010519491231002X"),
        ],
        [
            rating_row("白鹤村", "中共白鹤村新支部"),  # the organisation of the first sheet: valid
            rating_row("白鹤村", "无此支部"),
            rating_row(year=LAST_YEAR + 2),
            rating_row(level="先进"),  # a change without a reason
            rating_row(level="优秀"),
        ],
    )
    batch = run_import(world.county_admin, "party_organisations", content)
    assert batch.state == ImportState.INVALID
    assert PartyOrganisation.objects.count() == 5 and Rating.objects.count() == 1
    assert Rating.objects.get().level == RatingLevel.ORDINARY
    organisations, ratings = sheet_title("party_organisations", 0), sheet_title("party_organisations", 1)
    errors = errors_at(batch)
    assert "Party branch" in errors[(organisations, 4, "C")]
    assert "future" in errors[(organisations, 5, "F")]
    assert "same township" in errors[(organisations, 6, "D")]
    assert "No cadre of your region" in errors[(organisations, 7, "H")]
    assert "no Party organisation named 无此支部" in errors[(ratings, 4, "B")]
    assert "future year" in errors[(ratings, 5, "C")]
    assert "reason for changing" in errors[(ratings, 6, "F")]
    assert "advanced" in errors[(ratings, 7, "D")]
    assert {(e["sheet"], e["row"]) for e in batch.errors} == {
        *((organisations, row) for row in (4, 5, 6, 7)),
        *((ratings, row) for row in (4, 5, 6, 7)),
    }


@pytest.mark.django_db
def test_organisations_and_ratings_outside_the_region_are_refused(world, party, run_import, english):
    content = party_file(
        [organisation_row("柳林村", "中共柳林村支部委员会", members_count=40)],
        [rating_row("江北村", "中共江北村支部委员会")],
    )
    batch = run_import(world.township_staff, "party_organisations", content)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "A"), (3, "A")]
    batch = run_import(world.county_admin, "party_organisations", content)
    assert [(e["sheet"], e["row"], e["column"]) for e in batch.errors] == [
        (sheet_title("party_organisations", 1), 3, "A")
    ]
    assert "No village named 江北村 in your region." in batch.errors[0]["message"]
    party.other_organisation.refresh_from_db()
    assert party.other_organisation.members_count == 0 and not Rating.objects.exists()


@pytest.mark.django_db
def test_ratings_of_an_approved_year_are_locked_for_imports(world, party, run_import):
    locked = period_row(township=world.township, period=Year(LAST_YEAR))
    ReportingPeriod.objects.filter(pk=locked.pk).update(status=PeriodStatus.APPROVED)
    content = party_file(
        ratings=[rating_row(year=LAST_YEAR - 1), rating_row(), rating_row("柳林村", "中共柳林村支部委员会")]
    )
    batch = run_import(world.county_admin, "party_organisations", content)
    assert batch.state == ImportState.INVALID and not Rating.objects.exists()
    assert [e["row"] for e in batch.errors] == [4]
    assert str(LAST_YEAR) in batch.errors[0]["message"]
