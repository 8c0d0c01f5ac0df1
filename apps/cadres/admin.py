from django.contrib import admin

from apps.core.admin import ServiceAdmin

from . import services
from .models import Cadre, CadrePosition, DegreeEnrolment, ReserveCadre, Training

# ServiceAdmin passes the record under the model's name; the services name it after the entity.


def _position_update(*, actor, cadreposition, **fields):
    return services.position_update(actor=actor, position=cadreposition, **fields)


def _position_delete(*, actor, cadreposition):
    return services.position_delete(actor=actor, position=cadreposition)


def _reserve_update(*, actor, reservecadre, **fields):
    return services.reserve_update(actor=actor, reserve=reservecadre, **fields)


def _reserve_delete(*, actor, reservecadre):
    return services.reserve_delete(actor=actor, reserve=reservecadre)


def _enrolment_update(*, actor, degreeenrolment, **fields):
    return services.enrolment_update(actor=actor, enrolment=degreeenrolment, **fields)


def _enrolment_delete(*, actor, degreeenrolment):
    return services.enrolment_delete(actor=actor, enrolment=degreeenrolment)


class PositionInline(admin.TabularInline):
    """Shown only: positions are added and ended through their own admin page or the cadre pages."""

    model = CadrePosition
    fields = ["role", "village", "start_date", "end_date", "end_reason", "monthly_pay"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cadre)
class CadreAdmin(ServiceAdmin):
    list_display = ["name", "village", "gender", "birth_date", "education", "source", "is_wealth_leader"]
    list_filter = ["education", "source", "gender", "is_party_member", "is_wealth_leader"]
    search_fields = ["name", "village__name", "village__code"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    fields = [*services.CADRE_FIELDS, "birth_date"]
    readonly_fields = ["birth_date"]
    inlines = [PositionInline]
    create_service = services.cadre_create
    update_service = services.cadre_update
    delete_service = services.cadre_delete


@admin.register(CadrePosition)
class CadrePositionAdmin(ServiceAdmin):
    list_display = ["cadre", "role", "village", "start_date", "end_date", "end_reason", "monthly_pay"]
    list_filter = ["role", "end_reason"]
    search_fields = ["cadre__name", "village__name", "village__code"]
    list_select_related = ["cadre", "village"]
    autocomplete_fields = ["cadre", "village"]
    fields = list(services.POSITION_FIELDS)
    create_service = services.position_create
    update_service = _position_update
    delete_service = _position_delete


@admin.register(ReserveCadre)
class ReserveCadreAdmin(ServiceAdmin):
    list_display = ["name", "village", "birth_date", "education", "is_returned_migrant", "since", "until"]
    list_filter = ["education", "is_returned_migrant", "is_party_member"]
    search_fields = ["name", "village__name", "village__code"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    fields = [*services.RESERVE_FIELDS, "birth_date"]
    readonly_fields = ["birth_date"]
    create_service = services.reserve_create
    update_service = _reserve_update
    delete_service = _reserve_delete


@admin.register(Training)
class TrainingAdmin(ServiceAdmin):
    list_display = ["course", "cadre", "start_date", "days"]
    search_fields = ["course", "cadre__name"]
    list_select_related = ["cadre"]
    autocomplete_fields = ["cadre"]
    date_hierarchy = "start_date"
    fields = list(services.TRAINING_FIELDS)
    create_service = services.training_create
    update_service = services.training_update
    delete_service = services.training_delete


@admin.register(DegreeEnrolment)
class DegreeEnrolmentAdmin(ServiceAdmin):
    """Completion raises the cadre's education: use the cadre page or ``POST degree-enrolments/{id}/complete/``."""

    list_display = ["cadre", "institution", "target_education", "enrolled_on", "completed_on"]
    list_filter = ["target_education"]
    search_fields = ["cadre__name", "institution"]
    list_select_related = ["cadre"]
    autocomplete_fields = ["cadre"]
    fields = [*services.ENROLMENT_FIELDS, "completed_on", "previous_education"]
    readonly_fields = ["completed_on", "previous_education"]
    create_service = services.enrolment_create
    update_service = _enrolment_update
    delete_service = _enrolment_delete
