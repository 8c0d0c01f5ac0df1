"""Every write to cadres, positions, reserves, trainings and degree enrolments.

Role checks use ``DATA_ENTRY_ROLES``; every record must sit in a village of the actor's region.
ID numbers are validated and normalised by ``apps.core.idnumbers``; no message repeats a number.
"""

from .cadres import CADRE_FIELDS, cadre_create, cadre_delete, cadre_resign, cadre_update
from .common import MIN_CADRE_AGE, id_number_warnings
from .positions import POSITION_FIELDS, position_create, position_delete, position_end, position_update
from .reserves import RESERVE_FIELDS, reserve_create, reserve_delete, reserve_update
from .training import (
    ENROLMENT_FIELDS,
    TRAINING_FIELDS,
    enrolment_complete,
    enrolment_create,
    enrolment_delete,
    enrolment_update,
    training_create,
    training_delete,
    training_update,
)

__all__ = [
    "CADRE_FIELDS",
    "ENROLMENT_FIELDS",
    "MIN_CADRE_AGE",
    "POSITION_FIELDS",
    "RESERVE_FIELDS",
    "TRAINING_FIELDS",
    "cadre_create",
    "cadre_delete",
    "cadre_resign",
    "cadre_update",
    "enrolment_complete",
    "enrolment_create",
    "enrolment_delete",
    "enrolment_update",
    "id_number_warnings",
    "position_create",
    "position_delete",
    "position_end",
    "position_update",
    "reserve_create",
    "reserve_delete",
    "reserve_update",
    "training_create",
    "training_delete",
    "training_update",
]
