from django import template

from apps.core import idnumbers

register = template.Library()


@register.filter
def elided_pages(page):
    """Page numbers around the current one, with the paginator's ellipsis where pages are left out."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def id_number_for(number, user):
    """``{{ cadre.id_number|id_number_for:request.user }}``: masked unless the user may see it in full."""
    return idnumbers.shown_to(user, number)


@register.simple_tag(takes_context=True)
def id_number_of(context, record, field="id_number"):
    """``{% id_number_of cadre %}``: the record's number as the current user may see it (logged if in full)."""
    return idnumbers.shown_to(context["request"].user, getattr(record, field), record=record)
