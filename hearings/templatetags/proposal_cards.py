"""A proposal's card, rendered in Python.

Lists show twenty to fifty cards a page; the same markup through the
template engine (an include, a nested include, some forty lookups) cost
about 0.4 ms a card, the largest part of a list page. The markup is that
of the former `hearings/_proposal_card.html`; every value is escaped.
"""

from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from portal.choices import display
from portal.templatetags.content_language import shown_in

register = template.Library()

BADGES = {"rejected": "text-bg-danger", "answered": "text-bg-info", "deferred": "text-bg-secondary"}

# reverse() takes about 40 µs, three times a card: the pattern of each link
# is reversed once per language (and script prefix), then filled in.
_PATTERNS = {}
_PLACEHOLDER = "0000000000"


def url_of(view_name, argument):
    key = (view_name, get_language(), get_script_prefix())
    if key not in _PATTERNS:
        _PATTERNS[key] = reverse(view_name, args=[_PLACEHOLDER])
    return _PATTERNS[key].replace(_PLACEHOLDER, str(argument), 1)


def truncated(text, length):
    return text if len(text) <= length else Truncator(text).chars(length)


def lang_attribute(code):
    return f' lang="{code}"' if code else ""


def status_badge(proposal):
    """A proposal's state as a coloured badge."""
    colour = (
        "text-bg-success"
        if proposal.is_accepted
        else BADGES.get(proposal.status, "text-bg-warning")
    )
    label = escape(display(proposal, "status"))
    return mark_safe(f'<span class="badge status status-{proposal.status} {colour}">{label}</span>')


@register.simple_tag
def proposal_card(proposal, hide_hearing=False, hide_group=False):
    facts = []
    if hide_hearing and proposal.protocol_number:
        facts.append(gettext("No. %(number)s") % {"number": proposal.protocol_number})
    facts += [display(proposal, "kind"), display(proposal, "topic")]
    if proposal.village_id:
        facts.append(str(proposal.village))
    about = " · ".join(escape(fact) for fact in facts)
    if proposal.group_id and not hide_group:
        url = url_of("groups:detail", proposal.group.slug)
        about += f' · <a href="{url}">{escape(str(proposal.group))}</a>'
    if proposal.hearing_id and not hide_hearing:
        url = url_of("hearings:hearing_detail", proposal.hearing_id)
        about += f' · <a href="{url}">{escape(proposal.hearing.title)}</a>'
    decision = ""
    if proposal.decision:
        decision = (
            f'<span class="small ms-1"{lang_attribute(shown_in(proposal, "decision"))}>'
            f"{escape(truncated(proposal.decision, 200))}</span>"
        )
    return mark_safe(
        '<div class="proposal card mb-3"><div class="card-body">'
        f'<p class="small text-body-secondary mb-1">{about}</p>'
        f'<p class="mb-2"{lang_attribute(shown_in(proposal, "text"))}>'
        '<a class="link-body-emphasis text-decoration-none" '
        f'href="{url_of("hearings:proposal_detail", proposal.pk)}">'
        f"{escape(truncated(proposal.text, 300))}</a></p>"
        f'<p class="mb-0">{status_badge(proposal)} {decision}</p>'
        "</div></div>"
    )
