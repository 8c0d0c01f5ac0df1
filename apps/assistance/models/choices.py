from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    PARTY_GOV = "party_gov", _("Party or government organ")
    INSTITUTION = "institution", _("public institution")
    SOE = "soe", _("state-owned enterprise")
    OTHER = "other", _("other")


class UnitLevel(models.TextChoices):
    COUNTY_PLUS = "county_plus", _("county level or higher")
    BELOW_COUNTY = "below_county", _("below county level")


class MemberRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("first secretary")
    MEMBER = "member", _("team member")


class AssignmentEndReason(models.TextChoices):
    TERM_END = "term_end", _("term ended")
    RECALLED = "recalled", _("recalled")
    TRANSFERRED = "transferred", _("transferred")
    OTHER = "other", _("other")


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("illness")
    DISABILITY = "disability", _("disability")
    DISASTER = "disaster", _("disaster")
    LACK_LABOUR = "lack_labour", _("lack of labour")
    LACK_SKILLS = "lack_skills", _("lack of skills")
    LACK_FUNDS = "lack_funds", _("lack of funds")
    EDUCATION = "education", _("education costs")
    OTHER = "other", _("other")


class HouseholdStatus(models.TextChoices):
    POOR = "poor", _("poor")
    EXITED = "exited", _("exited poverty")
    MONITORED = "monitored", _("monitored (at risk)")
    RELAPSED = "relapsed", _("relapsed")


# Where a household may go from each status (poor → exited → monitored → relapsed, and back out).
STATUS_TRANSITIONS = {
    HouseholdStatus.POOR: {HouseholdStatus.EXITED},
    HouseholdStatus.EXITED: {HouseholdStatus.MONITORED, HouseholdStatus.RELAPSED},
    HouseholdStatus.MONITORED: {HouseholdStatus.EXITED, HouseholdStatus.RELAPSED},
    HouseholdStatus.RELAPSED: {HouseholdStatus.EXITED, HouseholdStatus.MONITORED},
}
# Statuses in which the household's people count as poor (incidence).
POOR_STATUSES = (HouseholdStatus.POOR, HouseholdStatus.RELAPSED)


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    GRANDCHILD = "grandchild", _("grandchild")
    OTHER = "other", _("other relative")


class LabourCapacity(models.TextChoices):
    FULL = "full", _("full labour")
    PARTIAL = "partial", _("partial labour")
    NONE = "none", _("no labour capacity")
    STUDENT = "student", _("in school")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("healthy")
    CHRONIC = "chronic", _("chronic illness")
    SERIOUS = "serious", _("serious illness")
    DISABLED = "disabled", _("disabled")


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("industry support")
    EMPLOYMENT = "employment", _("employment support")
    EDUCATION = "education", _("education support")
    HEALTH = "health", _("health support")
    HOUSING = "housing", _("housing safety")
    SOCIAL_SECURITY = "social_security", _("social security")
    OTHER = "other", _("other")


class ListKind(models.TextChoices):
    """The five responsibility lists (五在村)."""

    HELP = "help", _("leadership team helps the village")
    LIAISE = "liaise", _("leader liaises with the village")
    STATION = "station", _("first secretary and team stationed in the village")
    ASSIST = "assist", _("Party and village cadres assist the village")
    LEAD = "lead", _("capable Party members lead the village")


class CheckResult(models.TextChoices):
    PENDING = "pending", _("pending")
    PASS = "pass", _("pass")
    FAIL = "fail", _("fail")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")


class AwardLevel(models.TextChoices):
    CITY = "city", _("city level")
    COUNTY = "county", _("county level")


class PromotionRank(models.TextChoices):
    COUNTY_DIVISION = "county_division", _("county or division level")
    TOWNSHIP_SECTION = "township_section", _("township or section level")
    OTHER = "other", _("other")


class DisciplineCategory(models.TextChoices):
    ABSENT = "absent", _("absent from the post")
    FORMALISM = "formalism", _("formalism and bureaucratism")
    FALSE_FIGURES = "false_figures", _("false figures or fake exits")
    FUNDS = "funds", _("misuse of assistance funds")
    FAVOURITISM = "favouritism", _("favouring relatives and friends")
    OTHER = "other", _("other")


class DisciplineOutcome(models.TextChoices):
    CRITICISM = "criticism", _("criticism and education")
    ADMONISHMENT = "admonishment", _("admonishment talk")
    ORGANISATIONAL = "organisational", _("organisational handling")
    PARTY_DISCIPLINE = "party_discipline", _("Party or government discipline")
    JUDICIAL = "judicial", _("transferred to the judiciary")
