from django import template

register = template.Library()


@register.filter
def elided_pages(page):
    """Page numbers around the current one, with the paginator's ellipsis where pages are left out."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
