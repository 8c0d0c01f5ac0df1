from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.scoping import village_scope_paths

from ._history import tracked
from .choices import ListKind


@tracked()
class ResponsibilityItem(TimeStampedModel):
    """One entry of a village's five responsibility lists (五在村) for a year.

    Set at the start of the year (年初定账), reconciled each quarter (季度对账), closed in the
    following year (次年销账); a closed item no longer changes.
    """

    scope_paths = village_scope_paths("village")

    village = models.ForeignKey(
        "villages.Village", models.PROTECT, related_name="responsibility_items", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("responsibility list"), max_length=8, choices=ListKind.choices)
    holder = models.CharField(_("responsible person or body"), max_length=100)
    holder_title = models.CharField(_("position or unit"), max_length=100, blank=True)
    member = models.ForeignKey(
        "assistance.WorkTeamMember",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibility_items",
        verbose_name=_("work team member"),
    )
    task = models.TextField(_("task"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    fulfilled = models.BooleanField(_("fulfilled"), null=True, blank=True)
    closing_note = models.CharField(_("closing note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("responsibility list item")
        verbose_name_plural = _("responsibility list items")
        ordering = ["village_id", "year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, fulfilled__isnull=True)
                | Q(closed_on__isnull=False, fulfilled__isnull=False),
                name="responsibility_item_closed_with_outcome",
            )
        ]
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}: {self.holder}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


@tracked()
class ResponsibilityReconciliation(TimeStampedModel):
    """The quarterly reconciliation (季度对账) of one list item: done or not, and the evidence."""

    scope_paths = village_scope_paths("item__village")

    item = models.ForeignKey(
        ResponsibilityItem,
        models.PROTECT,
        related_name="reconciliations",
        verbose_name=_("responsibility list item"),
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    done = models.BooleanField(_("done"))
    evidence = models.TextField(_("evidence"), blank=True)
    reconciled_on = models.DateField(_("reconciled on"))

    class Meta:
        verbose_name = _("quarterly reconciliation")
        verbose_name_plural = _("quarterly reconciliations")
        ordering = ["item_id", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "quarter"],
                name="responsibility_reconciliation_one_per_quarter",
                violation_error_message=_("This item is already reconciled for this quarter."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="responsibility_reconciliation_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.item} Q{self.quarter}"
