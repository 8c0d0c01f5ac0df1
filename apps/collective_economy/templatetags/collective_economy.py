from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def yuan(value):
    """A money amount as in Chinese financial tables, 1,234,567.80, whatever the language ("—" if none)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def percent(ratio, places: int = 1):
    """A ratio (0.2353) as a percentage ("23.5%")."""
    if ratio is None or ratio == "":
        return "—"
    return f"{floatformat(Decimal(ratio) * 100, places)}%"


@register.filter
def signed_percent(value, places: int = 1):
    """A percentage value (12.3) with its sign ("+12.3%")."""
    if value is None or value == "":
        return "—"
    sign = "+" if Decimal(value) > 0 else ""
    return f"{sign}{floatformat(value, places)}%"
