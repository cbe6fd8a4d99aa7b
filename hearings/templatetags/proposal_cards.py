"""A proposal's card, rendered in Python.

Lists show twenty to fifty cards a page; the same markup through the
template engine (an include, a nested include, some forty lookups) cost
about 0.4 ms a card, the largest part of a list page. The markup is that
of the former `hearings/_proposal_card.html`; every value is escaped.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.choices import display
from portal.markup import lang_attribute, truncate_chars, url_of
from portal.templatetags.content_language import shown_in

register = template.Library()

BADGES = {"rejected": "text-bg-danger", "answered": "text-bg-info", "deferred": "text-bg-secondary"}


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
            f"{escape(truncate_chars(proposal.decision, 200))}</span>"
        )
    return mark_safe(
        '<div class="proposal card mb-3"><div class="card-body">'
        f'<p class="small text-body-secondary mb-1">{about}</p>'
        f'<p class="mb-2"{lang_attribute(shown_in(proposal, "text"))}>'
        '<a class="link-body-emphasis text-decoration-none" '
        f'href="{url_of("hearings:proposal_detail", proposal.pk)}">'
        f"{escape(truncate_chars(proposal.text, 300))}</a></p>"
        f'<p class="mb-0">{status_badge(proposal)} {decision}</p>'
        "</div></div>"
    )
