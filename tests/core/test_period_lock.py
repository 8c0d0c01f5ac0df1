"""The lock: every dated model is either locked or exempt with a reason, and every locked model's
services refuse create, update and delete in an approved period (nothing saved)."""

import datetime
from decimal import Decimal

import pghistory.models
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.core.actors import SYSTEM
from apps.core.models import PeriodStatus, ReportingPeriod
from apps.core.periods import Month, Quarter, Year
from apps.core.reporting import registry
from apps.core.reporting.services import period_row
from tests.conftest import id_number

D = datetime.date(2025, 3, 10)


def lock(world, period, township=None):
    row = period_row(township=township or world.township, period=period)
    ReportingPeriod.objects.filter(pk=row.pk).update(
        status=PeriodStatus.APPROVED, approved_by=world.county_admin, approved_at=timezone.now()
    )
    return row


def _history_model(model) -> bool:
    return issubclass(model, pghistory.models.Event) or model._meta.app_label in ("pghistory", "pgtrigger")


def test_every_dated_model_is_locked_or_exempt_with_a_reason():
    dated = {m._meta.label for m in apps.get_models() if not _history_model(m) and registry.is_dated(m)}
    unclassified = dated - set(registry.LOCKED) - set(registry.EXEMPT)
    assert not unclassified, f"declare these in apps/core/reporting/registry.py: {sorted(unclassified)}"
    assert not set(registry.LOCKED) & set(registry.EXEMPT)
    assert all(reason.strip() for reason in registry.EXEMPT.values())
    for label, spec in registry.LOCKED.items():
        model = apps.get_model(label)
        for name in spec.fields:
            model._meta.get_field(name)  # the declared field exists
        assert spec.fields


def test_the_enumeration_sees_every_dated_model():
    # The registry covers the models this test knows to be dated (guards is_dated against regressions).
    for label in (
        "assistance.DutyLog",
        "collective_economy.Income",
        "villages.Rating",
        "morality_bank.Award",
    ):
        assert registry.is_dated(apps.get_model(label))
    assert not registry.is_dated(apps.get_model("morality_bank.Goods"))


# One case per locked model: create(i) makes the i-th record (i = 0 before the lock, 1 after),
# update(obj) and delete(obj) are its services' other write paths.


class Case:
    day = D
    delete = None
    lock_year = True

    def __init__(self, world):
        self.world = world
        self.villages = [world.village, world.village2]
        self.setup()

    def setup(self):
        pass


def _cadre(village):
    from apps.cadres import services

    return services.cadre_create(
        actor=SYSTEM,
        village=village,
        name="张三",
        gender="male",
        id_number=id_number("511903", "19750615"),
        education="high_school",
    )


def _team(village, start=datetime.date(2025, 1, 1)):
    from apps.assistance import services

    return services.work_team_create(actor=SYSTEM, village=village, start_date=start)


def _member(team, start=None):
    from apps.assistance import services

    return services.team_member_create(
        actor=SYSTEM,
        team=team,
        name="王队员",
        role="member",
        start_date=start or team.start_date,
        id_number=id_number(),
        unit_name="恩阳区财政局",
        unit_type="party_gov",
        unit_level="county_plus",
    )


def _household(village):
    from apps.assistance import services

    return services.household_create(
        actor=SYSTEM,
        village=village,
        head_name="张大山",
        head_id_number=id_number(),
        size=3,
        cause="illness",
        registered_on=datetime.date(2014, 5, 1),
    )


class RatingCase(Case):
    label = "villages.Rating"

    def setup(self):
        from apps.villages import services

        self.organisations = [
            services.organisation_create(actor=SYSTEM, name=f"支部{i}", kind="branch", villages=[v])
            for i, v in enumerate(self.villages)
        ]

    def create(self, i):
        from apps.villages import services

        return services.rating_create(
            actor=SYSTEM, organisation=self.organisations[i], year=2025, level="ordinary"
        )

    def update(self, obj):
        from apps.villages import services

        services.rating_update(actor=SYSTEM, rating=obj, level="advanced", change_reason="复核")


class RectificationNoteCase(Case):
    label = "villages.RectificationNote"
    day = timezone.localdate()

    def setup(self):
        from apps.villages import services

        self.cases = []
        for i, village in enumerate(self.villages):
            organisation = services.organisation_create(
                actor=SYSTEM, name=f"支部{i}", kind="branch", villages=[village]
            )
            rating = services.rating_create(actor=SYSTEM, organisation=organisation, year=2024, level="weak")
            self.cases.append(rating.rectification)

    def create(self, i):
        from apps.villages import services

        return services.rectification_note_add(
            actor=SYSTEM, rectification=self.cases[i], date=self.day, text="进展"
        )


class PositionCase(Case):
    label = "cadres.CadrePosition"

    def setup(self):
        self.cadres = [_cadre(v) for v in self.villages]

    def create(self, i):
        from apps.cadres import services

        return services.position_create(actor=SYSTEM, cadre=self.cadres[i], role="member", start_date=D)

    def update(self, obj):
        from apps.cadres import services

        services.position_update(actor=SYSTEM, position=obj, start_date=D + datetime.timedelta(days=1))

    def delete(self, obj):
        from apps.cadres import services

        services.position_delete(actor=SYSTEM, position=obj)


class ReserveCase(Case):
    label = "cadres.ReserveCadre"

    def create(self, i):
        from apps.cadres import services

        return services.reserve_create(
            actor=SYSTEM,
            village=self.villages[i],
            name="李四",
            gender="male",
            id_number=id_number("511903", "19920301"),
            education="college",
            since=D,
        )

    def update(self, obj):
        from apps.cadres import services

        services.reserve_update(actor=SYSTEM, reserve=obj, since=D + datetime.timedelta(days=1))

    def delete(self, obj):
        from apps.cadres import services

        services.reserve_delete(actor=SYSTEM, reserve=obj)


class TrainingCase(Case):
    label = "cadres.Training"

    def setup(self):
        self.cadres = [_cadre(v) for v in self.villages]

    def create(self, i):
        from apps.cadres import services

        return services.training_create(
            actor=SYSTEM, cadre=self.cadres[i], course="培训", start_date=D, days=3
        )

    def update(self, obj):
        from apps.cadres import services

        services.training_update(actor=SYSTEM, training=obj, days=4)

    def delete(self, obj):
        from apps.cadres import services

        services.training_delete(actor=SYSTEM, training=obj)


class EnrolmentCase(Case):
    label = "cadres.DegreeEnrolment"

    def setup(self):
        self.cadres = [_cadre(v) for v in self.villages]

    def create(self, i):
        from apps.cadres import services

        return services.enrolment_create(
            actor=SYSTEM,
            cadre=self.cadres[i],
            institution="国家开放大学",
            target_education="college",
            enrolled_on=D,
        )

    def update(self, obj):
        from apps.cadres import services

        services.enrolment_update(actor=SYSTEM, enrolment=obj, enrolled_on=D + datetime.timedelta(days=1))

    def delete(self, obj):
        from apps.cadres import services

        services.enrolment_delete(actor=SYSTEM, enrolment=obj)


class WorkTeamCase(Case):
    label = "assistance.WorkTeam"

    def create(self, i):
        return _team(self.villages[i], start=D)

    def update(self, obj):
        from apps.assistance import services

        services.work_team_update(actor=SYSTEM, team=obj, start_date=D + datetime.timedelta(days=1))


class MemberCase(Case):
    label = "assistance.WorkTeamMember"

    def setup(self):
        self.teams = [_team(v) for v in self.villages]

    def create(self, i):
        return _member(self.teams[i], start=D)

    def update(self, obj):
        from apps.assistance import services

        services.team_member_update(actor=SYSTEM, member=obj, start_date=D + datetime.timedelta(days=1))


class DutyLogCase(Case):
    label = "assistance.DutyLog"

    def setup(self):
        self.members = [_member(_team(v)) for v in self.villages]

    def create(self, i):
        from apps.assistance import services

        return services.duty_log_create(actor=SYSTEM, member=self.members[i], date=D)

    def update(self, obj):
        from apps.assistance import services

        services.duty_log_update(actor=SYSTEM, log=obj, on_duty=False)

    def delete(self, obj):
        from apps.assistance import services

        services.duty_log_delete(actor=SYSTEM, log=obj)


class HouseholdIncomeCase(Case):
    label = "assistance.HouseholdIncome"

    def setup(self):
        self.households = [_household(v) for v in self.villages]

    def create(self, i):
        from apps.assistance import services

        return services.household_income_create(
            actor=SYSTEM, household=self.households[i], year=2025, per_capita_net_income=Decimal("5000")
        )

    def update(self, obj):
        from apps.assistance import services

        services.household_income_update(actor=SYSTEM, income=obj, per_capita_net_income=Decimal("6000"))

    def delete(self, obj):
        from apps.assistance import services

        services.household_income_delete(actor=SYSTEM, income=obj)


class StatusChangeCase(Case):
    label = "assistance.HouseholdStatusChange"

    def setup(self):
        self.households = [_household(v) for v in self.villages]

    def create(self, i):
        from apps.assistance import services

        return services.household_status_change(
            actor=SYSTEM, household=self.households[i], status="exited", date=D
        )


class MeasureCase(Case):
    label = "assistance.AssistanceMeasure"

    def setup(self):
        self.households = [_household(v) for v in self.villages]

    def create(self, i):
        from apps.assistance import services

        return services.assistance_measure_create(
            actor=SYSTEM, household=self.households[i], kind="industry", date=D, amount=Decimal("100")
        )

    def update(self, obj):
        from apps.assistance import services

        services.assistance_measure_update(actor=SYSTEM, measure=obj, amount=Decimal("200"))

    def delete(self, obj):
        from apps.assistance import services

        services.assistance_measure_delete(actor=SYSTEM, measure=obj)


def _item(village):
    from apps.assistance import services

    return services.responsibility_item_create(
        actor=SYSTEM, village=village, year=2025, kind="help", holder="区委办公室", task="修路"
    )


class ItemCase(Case):
    label = "assistance.ResponsibilityItem"

    def create(self, i):
        return _item(self.villages[i])

    def update(self, obj):
        from apps.assistance import services

        services.responsibility_item_update(actor=SYSTEM, item=obj, task="修桥")


class ReconciliationCase(Case):
    label = "assistance.ResponsibilityReconciliation"

    def setup(self):
        self.items = [_item(v) for v in self.villages]

    def create(self, i):
        from apps.assistance import services

        return services.responsibility_item_reconcile(
            actor=SYSTEM, item=self.items[i], quarter=1, done=True, evidence="完成", reconciled_on=D
        )

    def update(self, obj):
        from apps.assistance import services

        services.responsibility_item_reconcile(
            actor=SYSTEM, item=obj.item, quarter=1, done=True, evidence="已完成", reconciled_on=D
        )


class SpotCheckCase(Case):
    label = "assistance.SpotCheck"

    def setup(self):
        for village in self.villages:
            _team(village)

    def create(self, i):
        from apps.assistance import services
        from apps.assistance.models import SpotCheck

        if i == 0:
            services.spot_check_sample(
                actor=SYSTEM, county=self.world.county, quarter=Quarter(2025, 1), seed=1
            )
        check = SpotCheck.objects.order_by("pk").first()
        return services.spot_check_update(actor=SYSTEM, spot_check=check, result="pass", checked_on=D)

    def update(self, obj):
        from apps.assistance import services

        services.spot_check_update(actor=SYSTEM, spot_check=obj, result="fail", finding="不在岗")


class EvaluationCase(Case):
    label = "assistance.Evaluation"

    def setup(self):
        self.members = [_member(_team(v)) for v in self.villages]

    def create(self, i):
        from apps.assistance import services

        return services.evaluation_create(actor=SYSTEM, member=self.members[i], year=2025, grade="good")

    def update(self, obj):
        from apps.assistance import services

        services.evaluation_update(actor=SYSTEM, evaluation=obj, grade="excellent")


class CommendationCase(Case):
    label = "assistance.Commendation"

    def create(self, i):
        from apps.assistance import services

        return services.commendation_create(
            actor=SYSTEM, village=self.villages[i], person_name="李书记", date=D, level="county", title="优秀"
        )

    def update(self, obj):
        from apps.assistance import services

        services.commendation_update(actor=SYSTEM, record=obj, title="先进")


class PromotionCase(Case):
    label = "assistance.Promotion"

    def create(self, i):
        from apps.assistance import services

        return services.promotion_create(
            actor=SYSTEM, village=self.villages[i], person_name="李书记", date=D, level="county", rank="other"
        )

    def update(self, obj):
        from apps.assistance import services

        services.promotion_update(actor=SYSTEM, record=obj, position="副镇长")


class DisciplineCase(Case):
    label = "assistance.DisciplineCase"

    def create(self, i):
        from apps.assistance import services

        return services.discipline_case_create(
            actor=SYSTEM,
            village=self.villages[i],
            person_name="李书记",
            date=D,
            category="absent",
            outcome="criticism",
        )

    def update(self, obj):
        from apps.assistance import services

        services.discipline_case_update(actor=SYSTEM, record=obj, note="复查")


class IncomeCase(Case):
    label = "collective_economy.Income"

    def create(self, i):
        from apps.collective_economy import services

        return services.income_create(
            actor=SYSTEM, village=self.villages[i], year=2025, operating=Decimal("1000")
        )

    def update(self, obj):
        from apps.collective_economy import services

        services.income_update(actor=SYSTEM, income=obj, operating=Decimal("2000"))

    def delete(self, obj):
        from apps.collective_economy import services

        services.income_delete(actor=SYSTEM, income=obj)


class SupportFundCase(Case):
    label = "collective_economy.SupportFund"

    def create(self, i):
        from apps.collective_economy import services

        return services.support_fund_create(
            actor=SYSTEM,
            village=self.villages[i],
            year=2025,
            amount=Decimal("20000"),
            source="county",
            use="x",
        )

    def update(self, obj):
        from apps.collective_economy import services

        services.support_fund_update(actor=SYSTEM, supportfund=obj, amount=Decimal("30000"))

    def delete(self, obj):
        from apps.collective_economy import services

        services.support_fund_delete(actor=SYSTEM, supportfund=obj)


class ProjectCase(Case):
    label = "collective_economy.Project"

    def create(self, i):
        from apps.collective_economy import services

        return services.project_create(
            actor=SYSTEM, village=self.villages[i], name=f"茶园{i}", start_year=2025, funds_total=Decimal("5")
        )

    def update(self, obj):
        from apps.collective_economy import services

        services.project_update(actor=SYSTEM, project=obj, start_year=2024)

    def delete(self, obj):
        from apps.collective_economy import services

        services.project_delete(actor=SYSTEM, project=obj)


class PairingCase(Case):
    label = "collective_economy.Pairing"

    def create(self, i):
        from apps.collective_economy import services

        return services.pairing_create(
            actor=SYSTEM, village=self.villages[i], unit_name="恩阳区财政局", start_year=2025
        )

    def update(self, obj):
        from apps.collective_economy import services

        services.pairing_update(actor=SYSTEM, pairing=obj, start_year=2024)

    def delete(self, obj):
        from apps.collective_economy import services

        services.pairing_delete(actor=SYSTEM, pairing=obj)


class MoralityCase(Case):
    def setup(self):
        from apps.core.services import setting_set
        from apps.morality_bank import config, services

        long_ago = datetime.date(2000, 1, 1)
        setting_set(actor=SYSTEM, key=config.REDEMPTION_WINDOW, value="always", valid_from=long_ago)
        setting_set(actor=SYSTEM, key=config.NOTICE_DAYS, value=0, valid_from=long_ago)
        self.item = services.item_create(
            actor=SYSTEM,
            county=self.world.county,
            category="filial",
            name="测试",
            min_points=1,
            max_points=1000,
        )
        self.residents = [
            services.resident_create(actor=SYSTEM, village=v, name="张德明", id_number=id_number())
            for v in self.villages
        ]
        self.goods = [
            services.goods_create(actor=SYSTEM, village=v, name="大米", price_points=1, stock=9)
            for v in self.villages
        ]
        for resident in self.residents:
            award = services.award_create(
                actor=SYSTEM, resident=resident, item=self.item, points=50, date=timezone.localdate()
            )
            services.award_approve(actor=SYSTEM, award=award)


class AwardCase(MoralityCase):
    label = "morality_bank.Award"

    def create(self, i):
        from apps.morality_bank import services

        return services.award_create(
            actor=SYSTEM, resident=self.residents[i], item=self.item, points=5, date=D
        )

    def update(self, obj):
        from apps.morality_bank import services

        services.award_approve(actor=SYSTEM, award=obj)


class RedemptionCase(MoralityCase):
    label = "morality_bank.Redemption"
    day = timezone.localdate()

    def create(self, i):
        from apps.morality_bank import services

        return services.redemption_create(
            actor=SYSTEM, resident=self.residents[i], goods=self.goods[i], quantity=1, date=self.day
        )


class LedgerEntryCase(MoralityCase):
    """Approving an award writes a ledger entry dated today: refused once this month is approved."""

    label = "morality_bank.LedgerEntry"
    day = timezone.localdate()
    lock_year = False

    def setup(self):
        super().setup()
        from apps.morality_bank import services

        earlier = Month.of(self.day).previous().first
        self.pending = [
            services.award_create(actor=SYSTEM, resident=r, item=self.item, points=5, date=earlier)
            for r in self.residents
        ]

    def create(self, i):
        from apps.morality_bank import services
        from apps.morality_bank.models import LedgerEntry

        services.award_approve(actor=SYSTEM, award=self.pending[i])
        return LedgerEntry.objects.get(award=self.pending[i])


CASES = [cls for cls in Case.__subclasses__() + MoralityCase.__subclasses__() if hasattr(cls, "label")]


def test_every_locked_model_has_a_case():
    assert sorted(c.label for c in CASES) == sorted(registry.LOCKED)


def _assert_locked(call):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        call()
    text = " ".join(info.value.messages)
    assert "is closed" in text and "approved by county_admin" in text, text


@pytest.mark.parametrize("case_class", CASES, ids=lambda c: c.label)
def test_services_refuse_writes_in_an_approved_period(world, case_class):
    case = case_class(world)
    model = apps.get_model(case.label)
    obj = case.create(0)
    lock(world, Month.of(case.day))
    if case.lock_year:
        lock(world, Year(case.day.year))
    before = list(model.objects.order_by("pk").values())

    _assert_locked(lambda: case.create(1))
    if hasattr(case, "update"):
        _assert_locked(lambda: case.update(model.objects.get(pk=obj.pk)))
    if case.delete is not None:
        _assert_locked(lambda: case.delete(model.objects.get(pk=obj.pk)))
    assert list(model.objects.order_by("pk").values()) == before  # nothing saved


def test_the_lock_is_per_township_and_per_period(world):
    case = DutyLogCase(world)
    lock(world, Month(2025, 3), township=world.other_township)  # another township
    lock(world, Month(2025, 4))  # another month
    assert case.create(0).pk


def test_a_county_period_locks_its_townships(world):
    case = IncomeCase(world)
    row = period_row(county=world.county, period=Year(2025))
    ReportingPeriod.objects.filter(pk=row.pk).update(
        status=PeriodStatus.APPROVED, approved_by=world.city_admin, approved_at=timezone.now()
    )
    with translation.override("en"), pytest.raises(ValidationError, match="approved by city_admin"):
        case.create(0)


def test_a_month_lock_leaves_yearly_data_open_but_blocks_moving_a_record_into_it(world):
    from apps.assistance import services

    lock(world, Month(2025, 3))
    assert IncomeCase(world).create(0).pk  # a month does not lock the year's income
    member = DutyLogCase(world).members[0]
    log = services.duty_log_create(actor=SYSTEM, member=member, date=datetime.date(2025, 4, 2))
    services.duty_log_update(actor=SYSTEM, log=log, on_duty=False)  # April is open
    with translation.override("en"), pytest.raises(ValidationError, match="is closed"):
        services.duty_log_update(actor=SYSTEM, log=log, date=datetime.date(2025, 3, 12))
    log.refresh_from_db()
    assert log.date == datetime.date(2025, 4, 2)


def test_a_long_running_record_stays_editable_outside_its_dates(world):
    case = PositionCase(world)
    position = case.create(0)
    lock(world, Month.of(D))
    from apps.cadres import services

    services.position_update(actor=SYSTEM, position=position, monthly_pay=Decimal("2000"))
    position.refresh_from_db()
    assert position.monthly_pay == Decimal("2000")
    services.position_end(
        actor=SYSTEM, position=position, end_date=datetime.date(2025, 6, 30), end_reason="resigned"
    )


def test_the_duty_month_grid_is_refused_in_a_locked_month(world):
    from apps.assistance import services
    from apps.assistance.models import DutyLog

    case = DutyLogCase(world)
    member = case.members[0]
    lock(world, Month(2025, 3))
    with translation.override("en"), pytest.raises(ValidationError, match="is closed"):
        services.duty_month_save(
            actor=SYSTEM, team=member.team, month=Month(2025, 3), entries=[(member.pk, D, True)]
        )
    assert not DutyLog.objects.exists()
