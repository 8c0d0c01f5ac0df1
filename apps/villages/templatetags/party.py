from django import template

from ..models import RatingLevel, RectificationMeasure

register = template.Library()


@register.filter
def level_label(value):
    """``{{ code|level_label }}``: the label of a rating level code (empty for none)."""
    return RatingLevel(value).label if value in RatingLevel.values else ""


@register.filter
def measure_labels(values):
    """``{{ case.measures|measure_labels }}``: the labels of the standard measures chosen."""
    return [
        RectificationMeasure(value).label for value in values or () if value in RectificationMeasure.values
    ]


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
