"""The records the permission matrix opens (see test_permission_matrix.py), made through the apps' services.

Per kind of object: the URL arguments of one record inside the roles' region (红旗村, 登科街道, 恩阳区) and of
one outside it (江北村, 巴州区), or ``None`` for a global kind that has nothing outside any region.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.assistance import services as assistance
from apps.cadres import services as cadres
from apps.collective_economy import services as economy
from apps.collective_economy.models import DevelopmentMode
from apps.core.actors import SYSTEM
from apps.core.periods import Month, Quarter
from apps.core.reporting.notifications import notify
from apps.core.reporting.services import period_open
from apps.core.services import setting_set
from apps.dashboard.scope import Scope
from apps.dashboard.services import report_pack_request, survey_result_create
from apps.morality_bank import config as morality_config
from apps.morality_bank import services as morality
from apps.rankings import services as rankings
from apps.rankings.integrity.detectors import Detector
from apps.rankings.integrity.services import integrity_run
from apps.rankings.models import Finding
from apps.villages import services as villages
from tests.assistance.conftest import make_cadre, make_household, make_member, make_team
from tests.conftest import id_number, import_workbook

YEAR = 2024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Kinds whose outside record is hidden from the city admin too: another city, another user's notification.
BEYOND_THE_CITY = frozenset({"city", "notification"})


def _village_records(village) -> dict:
    """One record of every village-level kind in ``village``, named after it."""
    region = village.code[:6]
    team = make_team(village)
    member = make_member(team, f"{village.name}队员", id_number=id_number(region))
    cadre = make_cadre(village, f"{village.name}干部")
    household = make_household(
        village, f"{village.name}户主", head_id_number=id_number(region), paired_cadre=cadre
    )
    organisation = villages.organisation_create(
        actor=SYSTEM,
        name=f"中共{village.name}支部委员会",
        kind="branch",
        villages=[village],
        founded_on=datetime.date(1990, 7, 1),
    )
    grid = villages.grid_create(actor=SYSTEM, organisation=organisation, name="第一网格")
    rating = villages.rating_create(actor=SYSTEM, organisation=organisation, year=YEAR, level="weak")
    resident = morality.resident_create(
        actor=SYSTEM, village=village, name=f"{village.name}村民", id_number=id_number(region)
    )
    item = morality.item_create(
        actor=SYSTEM, county=village.county, category="filial", name="孝老爱亲", min_points=1, max_points=100
    )
    award = morality.award_create(
        actor=SYSTEM,
        resident=resident,
        item=item,
        points=50,
        date=timezone.localdate(),
        photo=SimpleUploadedFile("evidence.png", PNG),
    )
    morality.award_approve(actor=SYSTEM, award=award)
    goods = morality.goods_create(actor=SYSTEM, village=village, name="大米", price_points=10, stock=5)
    exited = assistance.household_status_change(
        actor=SYSTEM, household=household, status="exited", date=datetime.date(2020, 12, 31)
    )
    # Monitored since: still helped, so paired and without a recent measure it is a finding.
    assistance.household_status_change(
        actor=SYSTEM, household=household, status="monitored", date=datetime.date(2021, 6, 30)
    )
    front_line = {
        "village": village,
        "person_name": member.name,
        "member": member,
        "date": datetime.date(YEAR, 6, 1),
    }
    return {
        "team": team,
        "member": member,
        "cadre": cadre,
        "household": household,
        "organisation": organisation,
        "party grid": grid,
        "central household": villages.central_household_create(actor=SYSTEM, grid=grid, member_name="党员甲"),
        "rating": rating,
        "rectification": rating.rectification,
        "cadre position": cadres.position_create(
            actor=SYSTEM, cadre=cadre, role="member", start_date=datetime.date(2021, 1, 1)
        ),
        "reserve cadre": cadres.reserve_create(
            actor=SYSTEM,
            village=village,
            name=f"{village.name}后备",
            gender="male",
            id_number=id_number(region, born="19920301"),
            education="college",
            since=datetime.date(2018, 1, 1),
        ),
        "training": cadres.training_create(
            actor=SYSTEM, cadre=cadre, course="乡村振兴专题培训", start_date=datetime.date(YEAR, 5, 6), days=3
        ),
        "degree enrolment": cadres.enrolment_create(
            actor=SYSTEM,
            cadre=cadre,
            institution="四川农业大学",
            target_education="bachelor_plus",
            enrolled_on=datetime.date(YEAR, 9, 1),
        ),
        "duty log": assistance.duty_log_create(actor=SYSTEM, member=member, date=datetime.date(2025, 1, 6)),
        "household member": assistance.household_member_create(
            actor=SYSTEM, household=household, name="配偶", id_number=id_number(region), relation="spouse"
        ),
        "household income": assistance.household_income_create(
            actor=SYSTEM, household=household, year=YEAR, per_capita_net_income=Decimal("8000")
        ),
        "status change": exited,
        "assistance measure": assistance.assistance_measure_create(
            actor=SYSTEM, household=household, kind="industry", date=datetime.date(YEAR, 3, 1)
        ),
        "responsibility item": assistance.responsibility_item_create(
            actor=SYSTEM,
            village=village,
            year=timezone.localdate().year,
            kind="help",
            holder="县委办",
            task="帮村",
        ),
        "evaluation": assistance.evaluation_create(actor=SYSTEM, member=member, year=2025, grade="good"),
        "commendation": assistance.commendation_create(
            actor=SYSTEM, **front_line, level="county", title="优秀第一书记"
        ),
        "promotion": assistance.promotion_create(
            actor=SYSTEM, **front_line, level="county", rank="township_section"
        ),
        "discipline case": assistance.discipline_case_create(
            actor=SYSTEM, **front_line, category="absent", outcome="criticism"
        ),
        "income": economy.income_create(actor=SYSTEM, village=village, year=YEAR, operating=Decimal("1000")),
        "collective project": economy.project_create(
            actor=SYSTEM,
            village=village,
            name=f"{village.name}茶叶基地",
            start_year=YEAR,
            funds_total=Decimal("200000"),
        ),
        "support fund": economy.support_fund_create(
            actor=SYSTEM,
            village=village,
            year=YEAR,
            amount=Decimal("20000"),
            source="county",
            use="村集体经济",
        ),
        "pairing": economy.pairing_create(
            actor=SYSTEM, village=village, unit_name="区财政局", start_year=YEAR
        ),
        "resident": resident,
        "morality item": item,
        "award": award,
        "ledger entry": award.ledger_entry,
        "goods": goods,
        "redemption": morality.redemption_create(actor=SYSTEM, resident=resident, goods=goods, quantity=1),
    }


def _county_records(county, township, records, staff) -> dict:
    """The county-level records: spot checks, rankings and what publishing them makes, findings, a
    period, a report pack (requested by ``staff``) and a survey result."""
    draw = assistance.spot_check_sample(actor=SYSTEM, county=county, quarter=Quarter(2025, 1), seed=1)
    monthly = rankings.ranking_run(actor=SYSTEM, kind="work_team", period="2025-01", county=county)
    rankings.ranking_publish(actor=SYSTEM, ranking=monthly)  # the bottom three escalate
    yearly = rankings.ranking_run(actor=SYSTEM, kind="village", period=str(YEAR), county=county)
    rankings.ranking_publish(actor=SYSTEM, ranking=yearly)  # the bottom villages' organisations are proposed
    integrity_run(actor=SYSTEM, county=county, detectors={Detector.NO_MEASURE})
    return {
        "spot check": draw.checks.get(),
        "ranking": monthly,
        "escalation": monthly.escalations.get(),
        "weak candidate": yearly.weak_candidates.get(organisation=records["organisation"]),
        "ranking configuration": rankings.configuration_create(
            actor=SYSTEM,
            county=county,
            kind="work_team",
            valid_from=datetime.date(2026, 1, 1),
            weights={"team_duty_rate": 100},
        ),
        "finding": _finding(records["household"]),
        "period": period_open(actor=SYSTEM, period=Month(2025, 1), township=township),
        "report pack": _written_pack(
            report_pack_request(actor=staff, scope=Scope("township", township), year_from=YEAR, year_to=YEAR)
        ),
        "survey result": survey_result_create(
            actor=SYSTEM,
            city=county.city,
            county=county,
            year=2019,
            reason="帮扶措施不精准",
            share=Decimal("40"),
        ),
    }


def _written_pack(pack):
    """A pack with its workbook stored, as the job leaves it (the job computes fourteen figures and a PDF,
    seconds per pack: tests/dashboard/test_report_pack.py runs it)."""
    pack.workbook.save(f"report-{pack.pk}.xlsx", ContentFile(b"PK"))
    return pack


def _finding(household):
    return Finding.objects.get(subject_type="household", subject_id=household.pk)


def build(world, user, run_import) -> dict:
    """kind → (inside URL arguments, outside URL arguments or None); ``user`` is the role under test,
    whose own notification is the one inside."""
    # Redemptions any day, without the public-notice wait (their defaults are the morality bank's tests).
    for key, value in ((morality_config.REDEMPTION_WINDOW, "always"), (morality_config.NOTICE_DAYS, 0)):
        setting_set(actor=SYSTEM, key=key, value=value, valid_from=datetime.date(2000, 1, 1))
    inside = _village_records(world.village)
    outside = _village_records(world.far_village)
    inside |= _county_records(world.county, world.township, inside, world.township_staff)
    outside |= _county_records(world.other_county, world.far_township, outside, world.other_county_admin)
    settlements = morality.settlement_run(actor=SYSTEM, quarter="2025Q4")  # a finished quarter
    inside["settlement"] = settlements.get(village=world.village)
    outside["settlement"] = settlements.get(village=world.far_village)
    # Imports run in-process (run_import); a township's upload is followed by its township and county.
    for records, uploader in ((inside, world.township_staff), (outside, world.other_county_admin)):
        records["import"] = run_import(uploader, "villages", import_workbook("villages", []), mode="validate")
        records["job"] = records["import"].job
    inside["notification"] = notify(users=[user], kind="matrix", title="内")[0]
    outside["notification"] = notify(users=[world.other_township_staff], kind="matrix", title="外")[0]
    inside["city"] = world.city
    outside["city"] = villages.city_create(actor=SYSTEM, code="511300000000", name="南充市")
    inside["user"], outside["user"] = world.village_clerk, world.other_county_admin

    objects = {kind: ({"pk": inside[kind].pk}, {"pk": outside[kind].pk}) for kind in inside}
    objects["village"] = tuple({"pk": v.pk, "village": v.pk} for v in (world.village, world.far_village))
    objects["township"] = tuple(
        {"pk": t.pk, "township_id": t.pk} for t in (world.township, world.far_township)
    )
    objects["county"] = tuple({"pk": c.pk, "county_id": c.pk} for c in (world.county, world.other_county))
    objects["ranking"] = tuple(
        {"pk": records["ranking"].pk, "subject_id": records["team"].pk} for records in (inside, outside)
    )
    objects["report pack"] = tuple(
        {"pk": records["report pack"].pk, "kind": "xlsx"} for records in (inside, outside)
    )
    objects["job"] = tuple({"task_id": records["job"].task_id} for records in (inside, outside))
    # Global kinds: nothing of theirs lies outside a region.
    objects["figure"] = ({"number": 1}, None)
    objects["import kind"] = ({"kind": "villages"}, None)
    objects["record kind"] = ({"kind": "commendation"}, None)
    objects["ranking kind"] = ({"kind": "work_team"}, None)
    objects["setting"] = ({"key": morality_config.NOTICE_DAYS}, None)
    objects["development mode"] = ({"pk": DevelopmentMode.objects.order_by("pk").first().pk}, None)
    return objects
