"""Staff write titles and texts in Kyrgyz and Russian; where they wrote only
one, the other language's page shows that one (modeltranslation's fallback).
These tags tell the page which language a text is really in, for its `lang`
attribute and a short note."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def shown_in(obj, field):
    """The language `obj.field` is shown in, when not the page's own; else ""."""
    current = get_language()
    if obj is None or getattr(obj, f"{field}_{current}", None):
        return ""
    for code, _name in settings.LANGUAGES:
        if code != current and getattr(obj, f"{field}_{code}", None):
            return code
    return ""
