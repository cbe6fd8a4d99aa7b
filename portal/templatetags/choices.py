from django import template

from portal import choices

register = template.Library()


@register.filter
def display(obj, field_name):
    """{{ project|display:"status" }}: obj.get_status_display(), without
    translating every choice of the field (portal.choices.display)."""
    return choices.display(obj, field_name)
