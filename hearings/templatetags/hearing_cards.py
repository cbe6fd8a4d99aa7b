"""A hearing's card on the hearings list, rendered in Python: the markup of
the former `hearings/_hearing_item.html` (an include with two plural
sentences took about 0.2 ms a card). The sentences keep their msgids."""

from html import escape

from django import template
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from portal.choices import display
from portal.markup import lang_attribute, url_of
from portal.templatetags.content_language import shown_in

register = template.Library()


def proposal_figures(hearing):
    counter = hearing.proposals_received
    if hearing.proposals_partly:
        sentence = ngettext(
            "%(counter)s proposal or question, %(accepted)s accepted, %(partly)s partly accepted",
            "%(counter)s proposals and questions, %(accepted)s accepted, "
            "%(partly)s partly accepted",
            counter,
        )
    else:
        sentence = ngettext(
            "%(counter)s proposal or question, %(accepted)s accepted",
            "%(counter)s proposals and questions, %(accepted)s accepted",
            counter,
        )
    figures = {
        "counter": counter,
        "accepted": hearing.proposals_accepted,
        "partly": hearing.proposals_partly,
    }
    return f'<p class="small mb-0">{escape(sentence % figures)}</p>'


@register.simple_tag
def hearing_card(hearing):
    starts_at = timezone.localtime(hearing.starts_at)
    where = ""
    if hearing.village_id or hearing.place:
        parts = [hearing.place] if hearing.place else []
        if hearing.village_id:
            parts.append(str(hearing.village))
        where = " · " + escape(", ".join(parts))
    title = escape(hearing.title)
    return mark_safe(
        '<article class="hearing card mb-3"><div class="card-body">'
        '<p class="small text-body-secondary mb-1">'
        f"{escape(display(hearing, 'kind'))} · {escape(display(hearing, 'status'))}</p>"
        f'<h3 class="h5 card-title"{lang_attribute(shown_in(hearing, "title"))}>'
        f'<a href="{url_of("hearings:hearing_detail", hearing.pk)}">{title}</a></h3>'
        f'<p class="mb-1"><time datetime="{starts_at.isoformat()}">'
        f"{escape(formats.date_format(starts_at, 'DATETIME_FORMAT'))}</time>{where}</p>"
        f"{proposal_figures(hearing) if hearing.proposals_received else ''}"
        "</div></article>"
    )
