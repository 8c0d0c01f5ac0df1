"""Excel imports of the villages app: the village register, and Party organisations with their ratings.

Villages are found by their 12-digit code. Party organisations have no code: one is found by its
name among the organisations of one of its villages, and the ratings sheet names its organisation
the same way, so one file can add an organisation and rate it. Ratings go through the rating
services like the form's: only the roles that confirm ratings (``DECISION_ROLES``) can import them,
a weak-and-lax rating opens its rectification case, and an approved year is locked.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.cadres.selectors import cadre_list
from apps.core.imports.cells import clean_text
from apps.core.imports.spec import Column, ColumnType, ImportKind, Outcome, SheetSpec, register, upsert

from .models import (
    OrganisationKind,
    PartyOrganisation,
    PovertyStatus,
    Rating,
    RatingLevel,
    Village,
)
from .selectors import organisation_list, rating_list, village_list
from .services import (
    organisation_create,
    organisation_update,
    rating_create,
    rating_update,
    village_create,
    village_update,
)

# Villages

VILLAGE_FIELDS = (
    "name",
    "population_registered",
    "population_resident",
    "households",
    "poverty_status",
    "exit_year",
    "is_minority",
    "is_remote",
    "notes",
)


def _villages_by_code(ctx) -> dict[str, Village]:
    """The region's villages (retired ones too) by code, read once per import."""
    if "villages_by_code" not in ctx.cache:
        ctx.cache["villages_by_code"] = {village.code: village for village in village_list(user=ctx.actor)}
    return ctx.cache["villages_by_code"]


def save_village(ctx, row) -> Outcome:
    villages = _villages_by_code(ctx)
    code = row.values["code"]
    township = ctx.township(row)
    existing = villages.get(code)
    if existing is not None and existing.township_id != township.pk:
        # The code's first nine digits are its township's: moving a village means a new code.
        raise ValidationError(
            {
                "township": _("Village %(code)s is in %(township)s; move a village on its own page.")
                % {"code": code, "township": existing.township.name}
            }
        )
    fields = row.present(*VILLAGE_FIELDS)

    def create():
        villages[code] = village_create(actor=ctx.actor, township=township, code=code, **fields)

    return upsert(
        existing,
        fields,
        create=create,
        update=lambda: village_update(actor=ctx.actor, village=existing, **fields),
    )


register(
    ImportKind(
        name="villages",
        label=gettext_lazy("administrative villages"),
        models=(Village,),
        notes=(
            gettext_lazy(
                "The import adds and corrects villages; it never retires or deletes one. A village "
                "that merges or splits is retired on its own page."
            ),
        ),
        sheets=(
            SheetSpec(
                title=gettext_lazy("administrative villages"),
                key=("code",),
                upsert_rule=gettext_lazy(
                    "One row per village, found by its 12-digit code: a village of your region with that "
                    "code is updated (blank cells keep their value), otherwise the village is added to its "
                    "township. The township of an existing village must be the one it is in."
                ),
                save=save_village,
                columns=(
                    Column(
                        "code",
                        gettext_lazy("village code"),
                        ColumnType.CODE,
                        required=True,
                        help=gettext_lazy("12 digits, starting with the township's 9"),
                        example="511903001003",
                        width=16,
                    ),
                    Column("name", gettext_lazy("village name"), required=True, example="五星村", width=12),
                    Column(
                        "township",
                        gettext_lazy("township"),
                        ColumnType.TOWNSHIP,
                        required=True,
                        example="登科街道",
                        width=14,
                    ),
                    Column(
                        "population_registered",
                        gettext_lazy("registered population"),
                        ColumnType.INTEGER,
                        example=1260,
                        width=10,
                    ),
                    Column(
                        "population_resident",
                        gettext_lazy("resident population"),
                        ColumnType.INTEGER,
                        example=870,
                        width=10,
                    ),
                    Column(
                        "households", gettext_lazy("households"), ColumnType.INTEGER, example=352, width=8
                    ),
                    Column(
                        "poverty_status",
                        gettext_lazy("poverty status"),
                        ColumnType.CHOICE,
                        choices=PovertyStatus.choices,
                        example="贫困村",
                        width=12,
                    ),
                    Column(
                        "exit_year",
                        gettext_lazy("year it exited poverty"),
                        ColumnType.INTEGER,
                        example=2018,
                        width=8,
                    ),
                    Column(
                        "is_minority",
                        gettext_lazy("minority village"),
                        ColumnType.BOOLEAN,
                        example="否",
                        width=8,
                    ),
                    Column(
                        "is_remote", gettext_lazy("remote village"), ColumnType.BOOLEAN, example="是", width=8
                    ),
                    Column("notes", gettext_lazy("notes"), example="2019 年由两村合并", width=30),
                ),
            ),
        ),
    )
)


# Party organisations and ratings

ORGANISATION_FIELDS = ("kind", "members_count", "founded_on", "dissolved_on")
VILLAGE_SEPARATORS = re.compile(r"[、,;\s]+")  # full-width ，and ； are half-width once the cell is read
EXAMPLE_ORGANISATION = "中共五星村支部委员会"


def _key(village_id: int, name: str) -> tuple[int, str]:
    return village_id, clean_text(name).lower()


class OrganisationIndex:
    """The region's organisations by (village, name), read once per import and kept current as the
    rows of the file add organisations or change their villages."""

    def __init__(self, organisations):
        self.organisations: dict[int, PartyOrganisation] = {}
        self.village_ids: dict[int, set[int]] = {}
        self._by_key: dict[tuple[int, str], set[int]] = {}
        for organisation in organisations:
            self.add(organisation, {village.pk for village in organisation.villages.all()})

    def add(self, organisation: PartyOrganisation, village_ids: set[int]) -> None:
        for village_id in self.village_ids.get(organisation.pk, ()):
            self._by_key[_key(village_id, organisation.name)].discard(organisation.pk)
        self.organisations[organisation.pk] = organisation
        self.village_ids[organisation.pk] = set(village_ids)
        for village_id in village_ids:
            self._by_key.setdefault(_key(village_id, organisation.name), set()).add(organisation.pk)

    def find(self, village: Village, name: str, *, field_name: str) -> PartyOrganisation | None:
        pks = self._by_key.get(_key(village.pk, name), set())
        if len(pks) > 1:
            raise ValidationError(
                {
                    field_name: _("Several organisations of %(village)s are named %(name)s.")
                    % {"village": village.name, "name": name}
                }
            )
        return self.organisations[next(iter(pks))] if pks else None


def _organisations(ctx) -> OrganisationIndex:
    if "organisations" not in ctx.cache:
        ctx.cache["organisations"] = OrganisationIndex(organisation_list(user=ctx.actor))
    return ctx.cache["organisations"]


def _other_villages(ctx, row) -> list[Village] | None:
    """The further villages of a joint organisation, or ``None`` when the cell is blank."""
    text = row.get("villages")
    if text is None:
        return None
    names = [name for name in VILLAGE_SEPARATORS.split(text) if name]
    return [ctx.region(Village, name, field_name="villages") for name in names]


def _secretary(ctx, row):
    number = row.values["secretary"]
    cadre = cadre_list(user=ctx.actor).filter(id_number=number).first()
    if cadre is None:
        raise ValidationError({"secretary": _("No cadre of your region has this ID number.")})
    return cadre


def save_organisation(ctx, row) -> Outcome:
    index = _organisations(ctx)
    village, name = ctx.village(row), row.values["name"]
    existing = index.find(village, name, field_name="name")
    fields = row.present(*ORGANISATION_FIELDS)
    if row.get("secretary"):
        fields["secretary"] = _secretary(ctx, row)
    others = _other_villages(ctx, row)
    villages = None if others is None else [village, *others]
    if existing is None:
        villages = villages or [village]
        organisation = organisation_create(actor=ctx.actor, name=name, villages=villages, **fields)
        index.add(organisation, {v.pk for v in villages})
        return Outcome.CREATED
    same_villages = villages is None or {v.pk for v in villages} == index.village_ids[existing.pk]
    if same_villages and all(getattr(existing, field) == value for field, value in fields.items()):
        return Outcome.UNCHANGED
    if villages is not None:
        fields["villages"] = villages
    organisation = organisation_update(actor=ctx.actor, organisation=existing, **fields)
    index.add(organisation, {v.pk for v in villages} if villages else index.village_ids[existing.pk])
    return Outcome.UPDATED


def save_rating(ctx, row) -> Outcome:
    village, name = ctx.village(row), row.values["organisation"]
    organisation = _organisations(ctx).find(village, name, field_name="organisation")
    if organisation is None:
        raise ValidationError(
            {
                "organisation": _(
                    "%(village)s has no Party organisation named %(name)s: add it on the first sheet."
                )
                % {"village": village.name, "name": name}
            }
        )
    year = row.values["year"]
    fields = row.present("level", "reason")
    existing = rating_list(user=ctx.actor).filter(organisation=organisation, year=year).first()
    return upsert(
        existing,
        fields,
        create=lambda: rating_create(actor=ctx.actor, organisation=organisation, year=year, **fields),
        update=lambda: rating_update(
            actor=ctx.actor, rating=existing, change_reason=row.get("change_reason", ""), **fields
        ),
    )


register(
    ImportKind(
        name="party_organisations",
        label=gettext_lazy("Party organisations and ratings"),
        models=(PartyOrganisation, Rating),
        notes=(
            gettext_lazy(
                "An organisation has no code: it is found by its name in one of its villages. The ratings "
                "sheet names its organisation the same way, so an organisation added on the first sheet "
                "can be rated on the second."
            ),
            gettext_lazy(
                "Ratings are the county's decision: only county and city administrators (and API clients "
                "acting for them) can import them. Other users leave the ratings sheet empty."
            ),
            gettext_lazy(
                "A weak-and-lax rating opens the organisation's rectification case for that year, as in "
                "the form; a year whose reporting period is approved takes no new or changed ratings."
            ),
        ),
        sheets=(
            SheetSpec(
                title=gettext_lazy("Party organisations"),
                key=("village", "name"),
                upsert_rule=gettext_lazy(
                    "One row per organisation, found by its village and name: an organisation of that "
                    "village with that name is updated (blank cells keep their value), otherwise one is "
                    "created. For a joint organisation give any one of its villages and list the others."
                ),
                save=save_organisation,
                columns=(
                    Column("village", gettext_lazy("village"), ColumnType.VILLAGE, required=True, width=18),
                    Column(
                        "name",
                        gettext_lazy("organisation name"),
                        required=True,
                        example=EXAMPLE_ORGANISATION,
                        width=26,
                    ),
                    Column(
                        "kind",
                        gettext_lazy("kind"),
                        ColumnType.CHOICE,
                        required=True,
                        choices=OrganisationKind.choices,
                        width=12,
                    ),
                    # Named like the service's field so that its errors about the villages land here.
                    Column(
                        "villages",
                        gettext_lazy("other villages of a joint organisation"),
                        help=gettext_lazy(
                            "codes or names separated by 、 or commas; blank keeps the organisation's villages"
                        ),
                        width=24,
                    ),
                    Column("members_count", gettext_lazy("members"), ColumnType.INTEGER, example=36, width=8),
                    Column(
                        "founded_on",
                        gettext_lazy("founded on"),
                        ColumnType.DATE,
                        example=datetime.date(1956, 7, 1),
                        width=12,
                    ),
                    Column("dissolved_on", gettext_lazy("dissolved on"), ColumnType.DATE, width=12),
                    Column(
                        "secretary",
                        gettext_lazy("secretary's ID number"),
                        ColumnType.ID_NUMBER,
                        help=gettext_lazy("a cadre of one of the organisation's villages"),
                        width=22,
                    ),
                ),
            ),
            SheetSpec(
                title=gettext_lazy("ratings"),
                key=("village", "organisation", "year"),
                upsert_rule=gettext_lazy(
                    "One row per organisation and year: a rating of that organisation and year is changed "
                    "(give the reason for the change), otherwise the rating is recorded as confirmed by you."
                ),
                save=save_rating,
                columns=(
                    Column("village", gettext_lazy("village"), ColumnType.VILLAGE, required=True, width=18),
                    Column(
                        "organisation",
                        gettext_lazy("Party organisation"),
                        required=True,
                        help=gettext_lazy("its name, as on the first sheet or already recorded"),
                        example=EXAMPLE_ORGANISATION,
                        width=26,
                    ),
                    Column(
                        "year", gettext_lazy("year"), ColumnType.INTEGER, required=True, example=2024, width=8
                    ),
                    Column(
                        "level",
                        gettext_lazy("level"),
                        ColumnType.CHOICE,
                        required=True,
                        choices=RatingLevel.choices,
                        width=12,
                    ),
                    Column(
                        "reason",
                        gettext_lazy("reason"),
                        example="组织生活规范，村集体经济收入连续三年增长",
                        width=30,
                    ),
                    Column(
                        "change_reason",
                        gettext_lazy("reason for changing the rating"),
                        help=gettext_lazy("required when the year's rating is already recorded and changes"),
                        width=30,
                    ),
                ),
            ),
        ),
    )
)
