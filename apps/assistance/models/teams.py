from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.idnumbers import IdNumberField
from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths

from ._history import tracked
from ._ranges import assignment_range
from .choices import AssignmentEndReason, MemberRole, UnitLevel, UnitType


@tracked()
class WorkTeam(TimeStampedModel):
    """A resident work team (驻村工作队) stationed in one village for a period."""

    scope_paths = village_scope_paths("village")

    # Indexed by (village, id) in Meta, which serves every look-up by village too.
    village = models.ForeignKey(
        "villages.Village",
        models.PROTECT,
        related_name="work_teams",
        verbose_name=_("village"),
        db_index=False,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lead_unit = models.CharField(_("leading dispatching unit"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("work team")
        verbose_name_plural = _("work teams")
        ordering = ["village_id", "-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="work_team_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["start_date", "end_date"]),
            # Covers the scope join (region → villages → their teams' ids) with an index-only scan:
            # a city's duty-log count no longer reads the whole team table (benchmarks/explain.py).
            models.Index(fields=["village", "id"], name="work_team_village_id_idx"),
        ]

    def __str__(self):
        return f"{self.village} {self.start_date:%Y-%m}"


@tracked()
class WorkTeamMember(TimeStampedModel):
    """One person's assignment to a work team (驻村帮扶干部), from a dispatching unit (派出单位)."""

    scope_paths = village_scope_paths("team__village")

    team = models.ForeignKey(WorkTeam, models.PROTECT, related_name="members", verbose_name=_("work team"))
    name = models.CharField(_("name"), max_length=50)
    id_number = IdNumberField()
    unit_name = models.CharField(_("dispatching unit"), max_length=100)
    unit_type = models.CharField(_("unit type"), max_length=16, choices=UnitType.choices)
    unit_level = models.CharField(_("unit level"), max_length=16, choices=UnitLevel.choices)
    role = models.CharField(
        _("role in the team"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason the assignment ended"), max_length=16, choices=AssignmentEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("work team member")
        verbose_name_plural = _("work team members")
        ordering = ["team_id", "role", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="work_team_member_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(end_date__isnull=False),
                name="work_team_member_reason_needs_end",
            ),
            # At most one first secretary per team on any day (the services explain; this enforces).
            ExclusionConstraint(
                name="work_team_one_first_secretary",
                expressions=[("team", RangeOperators.EQUAL), (assignment_range(), RangeOperators.OVERLAPS)],
                condition=Q(role=MemberRole.FIRST_SECRETARY),
                violation_error_message=_("The team already has a first secretary in this period."),
            ),
            # A person is stationed in one team at a time.
            ExclusionConstraint(
                name="work_team_member_one_team_at_a_time",
                expressions=[
                    ("id_number", RangeOperators.EQUAL),
                    (assignment_range(), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This person is already assigned to a team in this period."),
            ),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return self.name

    @property
    def is_first_secretary(self) -> bool:
        return self.role == MemberRole.FIRST_SECRETARY


@tracked()
class DutyLog(TimeStampedModel):
    """Whether a member was on duty in the village on one day of the assignment."""

    scope_paths = village_scope_paths("member__team__village")

    # The unique (member, date) index serves lookups by member.
    member = models.ForeignKey(
        WorkTeamMember,
        models.PROTECT,
        related_name="duty_logs",
        verbose_name=_("work team member"),
        db_index=False,
    )
    date = models.DateField(_("date"))
    on_duty = models.BooleanField(_("on duty"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty log")
        verbose_name_plural = _("duty logs")
        ordering = ["member_id", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "date"],
                name="duty_log_one_per_member_and_day",
                violation_error_message=_("This member already has a duty log for this day."),
            )
        ]
        indexes = [models.Index(fields=["date", "member"])]

    def __str__(self):
        return f"{self.member} {self.date}"
