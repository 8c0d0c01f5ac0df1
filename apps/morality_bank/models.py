"""Rural morality bank (乡村道德银行): items, residents, awards, an append-only ledger, the points shop.

Points move only through ``LedgerEntry`` rows, which the database refuses to update or delete
(a pgtrigger ``Protect``); a mistake is fixed by a reversing entry. ``Resident.balance`` is the
sum of the resident's entries, kept by the services under a row lock and never below zero
(a check constraint), so two redemptions arriving at once cannot overdraw it.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.idnumbers import IdNumberField
from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths

# Counties own their added items; the default catalogue (no county) is visible to everyone.
COUNTY_SCOPE_PATHS = {
    "city": "county__city",
    "county": "county",
    "township": "county__townships",
    "village": "county__villages",
}


class Category(models.TextChoices):
    LAW = "law", _("self-discipline and law-abiding")
    CUSTOMS = "customs", _("changing old customs")
    HYGIENE = "hygiene", _("cleanliness and hygiene")
    INDUSTRIOUS = "industrious", _("hard work to get rich")
    FILIAL = "filial", _("respect for elders and love of family")


@pghistory.track()
class Item(TimeStampedModel):
    """A catalogue item with the points it may give (a deduction has negative bounds)."""

    scope_paths = COUNTY_SCOPE_PATHS

    county = models.ForeignKey(
        "villages.County",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="morality_items",
        verbose_name=_("county"),
        help_text=_("Empty for the default catalogue that every county starts with."),
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name = models.CharField(_("name"), max_length=100)
    min_points = models.IntegerField(_("minimum points"))
    max_points = models.IntegerField(_("maximum points"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("morality item")
        verbose_name_plural = _("morality items")
        ordering = ["category", "-max_points", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_points__lte=F("max_points")), name="item_bounds_ordered"),
            # An item either awards (both bounds positive) or deducts (both negative); zero is neither.
            models.CheckConstraint(
                condition=Q(min_points__gt=0) | Q(max_points__lt=0), name="item_bounds_one_sign"
            ),
            models.UniqueConstraint(
                fields=["county", "category", "name"], nulls_distinct=False, name="item_unique_name"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_deduction(self) -> bool:
        return self.max_points < 0


@pghistory.track()
class ItemOptOut(TimeStampedModel):
    """A county that does not use one item of the default catalogue."""

    scope_paths = COUNTY_SCOPE_PATHS

    item = models.ForeignKey(Item, models.PROTECT, related_name="opt_outs", verbose_name=_("item"))
    county = models.ForeignKey("villages.County", models.PROTECT, related_name="+", verbose_name=_("county"))

    class Meta:
        verbose_name = _("item disabled in a county")
        verbose_name_plural = _("items disabled in a county")
        constraints = [models.UniqueConstraint(fields=["item", "county"], name="item_opt_out_once")]


# The balance changes with every ledger entry; the ledger itself is the record of those changes.
@pghistory.track(exclude=["balance"])
class Resident(TimeStampedModel):
    """A villager who takes part in the village's morality bank."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="morality_residents", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = IdNumberField(unique=True)
    household = models.ForeignKey(
        "assistance.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="morality_residents",
        verbose_name=_("poor household"),
    )
    balance = models.IntegerField(_("balance"), default=0, editable=False)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["village_id", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="resident_balance_not_negative")
        ]
        indexes = [models.Index(fields=["village", "-balance"])]

    def __str__(self):
        return self.name


class AwardStatus(models.TextChoices):
    PENDING = "pending", _("pending approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


def photo_path(instance, filename: str) -> str:
    return f"morality/awards/{filename}"


@pghistory.track()
class Award(TimeStampedModel):
    """Points for one resident under one item: recorded by one user, approved or rejected by another."""

    scope_paths = village_scope_paths("village")

    # Denormalised from the resident (who never changes village) for scoping and statistics.
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="+", verbose_name=_("village"), editable=False
    )
    resident = models.ForeignKey(Resident, models.PROTECT, related_name="awards", verbose_name=_("resident"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="awards", verbose_name=_("item"))
    points = models.IntegerField(_("points"))
    date = models.DateField(_("date"))
    evidence = models.TextField(_("evidence"), blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True, max_length=200)
    photo_type = models.CharField(_("photo type"), max_length=20, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.PENDING, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
        editable=False,
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, editable=False)
    decision_note = models.CharField(_("reason"), max_length=200, blank=True, editable=False)
    notice_ends_on = models.DateField(
        _("public notice ends on"),
        null=True,
        editable=False,
        help_text=_("Approved points can be redeemed from this day on."),
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="award_points_not_zero"),
            models.CheckConstraint(
                condition=(
                    Q(status=AwardStatus.PENDING, decided_at__isnull=True, decided_by__isnull=True)
                    | (~Q(status=AwardStatus.PENDING) & Q(decided_at__isnull=False))
                ),
                name="award_decision_matches_status",
            ),
            # Four eyes: nobody approves or rejects what they recorded.
            models.CheckConstraint(
                condition=~Q(decided_by=F("recorded_by")), name="award_decided_by_another"
            ),
            models.CheckConstraint(
                condition=Q(notice_ends_on__isnull=True) | Q(status=AwardStatus.APPROVED),
                name="award_notice_only_when_approved",
            ),
        ]
        indexes = [models.Index(fields=["village", "status", "date"])]

    def __str__(self):
        return f"{self.resident} {self.item} {self.points:+d}"


@pghistory.track()
class Goods(TimeStampedModel):
    """Goods of a village's points shop (积分超市)."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="morality_goods", verbose_name=_("village")
    )
    name = models.CharField(_("name"), max_length=100)
    price_points = models.PositiveIntegerField(_("price in points"))
    stock = models.IntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("goods")
        verbose_name_plural = _("goods")
        ordering = ["village_id", "price_points", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="goods_stock_not_negative"),
            models.CheckConstraint(condition=Q(price_points__gt=0), name="goods_price_positive"),
            models.UniqueConstraint(fields=["village", "name"], name="goods_unique_name_per_village"),
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class Redemption(models.Model):
    """Goods given for points at the rate in force on the day (kept here, so later rates never change it)."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="+", verbose_name=_("village"), editable=False
    )
    resident = models.ForeignKey(
        Resident, models.PROTECT, related_name="redemptions", verbose_name=_("resident")
    )
    goods = models.ForeignKey(Goods, models.PROTECT, related_name="redemptions", verbose_name=_("goods"))
    quantity = models.PositiveIntegerField(_("quantity"))
    points = models.PositiveIntegerField(_("points"))
    date = models.DateField(_("date"))
    points_per_yuan = models.DecimalField(_("points per yuan"), max_digits=8, decimal_places=2)
    value_yuan = models.DecimalField(_("value in yuan"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="redemption_quantity_positive"),
            models.CheckConstraint(condition=Q(points__gt=0), name="redemption_points_positive"),
        ]

    def __str__(self):
        return f"{self.resident} {self.goods} × {self.quantity}"


class EntryKind(models.TextChoices):
    AWARD = "award", _("award")
    DEDUCTION = "deduction", _("deduction")
    REDEMPTION = "redemption", _("redemption")
    REVERSAL = "reversal", _("reversal")


REVERSAL_RULES_SQL = """
DECLARE
    original RECORD;
BEGIN
    SELECT kind, points, resident_id INTO original
        FROM morality_bank_ledgerentry WHERE id = NEW.reverses_id;
    IF original.kind = 'reversal' THEN
        RAISE EXCEPTION 'a reversal cannot itself be reversed' USING ERRCODE = 'check_violation';
    END IF;
    IF original.resident_id <> NEW.resident_id OR original.points <> -NEW.points THEN
        RAISE EXCEPTION 'a reversal must negate its entry for the same resident'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
"""


@pghistory.track()
class LedgerEntry(models.Model):
    """One movement of a resident's points. Rows are never updated or deleted (see the triggers)."""

    scope_paths = village_scope_paths("village")

    resident = models.ForeignKey(Resident, models.PROTECT, related_name="ledger", verbose_name=_("resident"))
    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="+", verbose_name=_("village"), editable=False
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    points = models.IntegerField(_("points"))
    date = models.DateField(_("date"))
    available_from = models.DateField(
        _("redeemable from"), help_text=_("Awarded points are under public notice until this day.")
    )
    # Awards, deductions and their reversals carry the item's category for the statistics.
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    award = models.OneToOneField(
        Award, models.PROTECT, null=True, blank=True, related_name="ledger_entry", verbose_name=_("award")
    )
    redemption = models.OneToOneField(
        Redemption,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
        verbose_name=_("redemption"),
    )
    # One-to-one: an entry can be reversed once.
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["resident_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="ledger_points_not_zero"),
            models.CheckConstraint(
                condition=(
                    Q(kind=EntryKind.AWARD, points__gt=0, award__isnull=False)
                    | Q(kind=EntryKind.DEDUCTION, points__lt=0, award__isnull=False)
                    | Q(kind=EntryKind.REDEMPTION, points__lt=0, redemption__isnull=False)
                    | Q(kind=EntryKind.REVERSAL, reverses__isnull=False)
                ),
                name="ledger_kind_matches_source",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind=EntryKind.REVERSAL),
                name="ledger_only_reversals_reverse",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "date"]),
            models.Index(fields=["resident", "created_at"]),
            # The list's order (newest first, read backwards): a city's page stops after 100 rows
            # instead of joining and sorting all of its entries (benchmarks/README.md).
            models.Index(fields=["created_at", "id"]),
        ]
        triggers = [
            pgtrigger.Protect(name="ledger_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="ledger_reversal_rules",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                condition=pgtrigger.Q(new__reverses__isnull=False),
                func=REVERSAL_RULES_SQL,
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.points:+d}"


@pghistory.track()
class Settlement(models.Model):
    """A village's quarterly statement (季度结算), kept as it was computed: never updated or deleted."""

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="morality_settlements", verbose_name=_("village")
    )
    quarter = models.CharField(_("quarter"), max_length=6)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    awarded = models.IntegerField(_("points awarded"))
    deducted = models.IntegerField(_("points deducted"))
    reversed = models.IntegerField(_("points reversed"))
    redeemed = models.IntegerField(_("points redeemed"))
    outstanding = models.IntegerField(_("points outstanding at the end of the quarter"))
    residents = models.PositiveIntegerField(_("residents"))
    # {category: {"awarded", "deducted", "reversed", "net"}} and [{"goods", "name", "quantity", "points"}]
    by_category = models.JSONField(_("points by category"))
    goods = models.JSONField(_("goods issued"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quarterly settlement")
        verbose_name_plural = _("quarterly settlements")
        ordering = ["-quarter", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "quarter"], name="settlement_one_per_village_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__regex=r"^\d{4}Q[1-4]$"), name="settlement_quarter_format"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="settlement_immutable", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.village} {self.quarter}"
