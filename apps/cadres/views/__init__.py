"""Pages: lists with filters and Excel exports, record pages, forms that call the services, statistics."""

from .cadres import (
    cadre_create,
    cadre_delete,
    cadre_detail,
    cadre_export,
    cadre_list,
    cadre_resign,
    cadre_update,
)
from .positions import (
    position_create,
    position_delete,
    position_end,
    position_export,
    position_list,
    position_update,
)
from .reserves import (
    reserve_create,
    reserve_delete,
    reserve_export,
    reserve_list,
    reserve_update,
    reservecadre_detail,
    short_of_reserves,
    short_of_reserves_export,
)
from .stats import stats
from .training import (
    enrolment_complete,
    enrolment_create,
    enrolment_delete,
    training_create,
    training_delete,
    training_export,
    training_list,
    training_update,
)

__all__ = [
    "cadre_create",
    "cadre_delete",
    "cadre_detail",
    "cadre_export",
    "cadre_list",
    "cadre_resign",
    "cadre_update",
    "enrolment_complete",
    "enrolment_create",
    "enrolment_delete",
    "position_create",
    "position_delete",
    "position_end",
    "position_export",
    "position_list",
    "position_update",
    "reserve_create",
    "reserve_delete",
    "reserve_export",
    "reserve_list",
    "reserve_update",
    "reservecadre_detail",
    "short_of_reserves",
    "short_of_reserves_export",
    "stats",
    "training_create",
    "training_delete",
    "training_export",
    "training_list",
    "training_update",
]
