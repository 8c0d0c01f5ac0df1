from django import template

from ..models import Education, Role

register = template.Library()
ROLE_LABELS = dict(Role.choices)
EDUCATION_LABELS = dict(Education.choices)


@register.filter
def role_label(code: str) -> str:
    """``{{ "secretary"|role_label }}``: the role's label in the current language."""
    return ROLE_LABELS.get(code, code)


@register.filter
def education_label(code: str) -> str:
    return EDUCATION_LABELS.get(code, code)


@register.filter
def get_item(mapping, key):
    """``{{ figures.education_shares|get_item:level }}``."""
    return mapping.get(key) if mapping else None
