"""A proposal's card, rendered in Python.

Lists show twenty to fifty cards a page; the same markup through the
template engine (an include, a nested include, some forty lookups) cost
about 0.4 ms a card, the largest part of a list page. The markup is that
of the former `hearings/_proposal_card.html`; every value is escaped.
"""

from html import escape

from django import template
from django.conf import settings
from django.db import connection
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from modeltranslation.utils import resolution_order

from groups.models import InitiativeGroup
from hearings.models import Hearing
from portal.choices import display
from portal.facts import remembered
from portal.markup import lang_attribute, truncate_chars, url_of
from portal.models import Village
from portal.queries import in_every_language
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


def card_names(municipality_id):
    """The names a municipality's cards show, in the current language: its
    villages', its groups' (with their slugs) and its hearings' titles, by
    id, read in one query. Kept with the municipality's facts
    (portal/facts.py); a name missing from them (a row of another
    municipality) is read on its own."""
    return remembered(municipality_id, "card-names", lambda: _read_names(municipality_id))


def _read_names(municipality_id):
    def rows(kind, model, field, slug="''"):
        columns = ", ".join(in_every_language(field))
        return (
            f"SELECT '{kind}', id, {columns}, {slug} FROM {model._meta.db_table} "
            "WHERE municipality_id = %(municipality)s"
        )

    sql = " UNION ALL ".join(
        [
            rows("village", Village, "name"),
            rows("group", InitiativeGroup, "name", slug="slug"),
            rows("hearing", Hearing, "title"),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"municipality": municipality_id})
        everything = cursor.fetchall()
    # As modeltranslation shows a field: the first language, in its order
    # of fallbacks, that has a text.
    order = resolution_order(get_language())
    codes = [code for code, _name in settings.LANGUAGES]
    names = {"village": {}, "group": {}, "hearing": {}}
    for kind, pk, *texts, slug in everything:
        by_code = dict(zip(codes, texts, strict=True))
        text = next((by_code[code] for code in order if by_code.get(code)), "")
        names[kind][pk] = (slug, text) if kind == "group" else text
    return names


def _name(names, kind, pk):
    if pk not in names[kind]:
        if kind == "village":
            names[kind][pk] = str(Village.objects.get(pk=pk))
        elif kind == "group":
            group = InitiativeGroup.objects.get(pk=pk)
            names[kind][pk] = (group.slug, str(group))
        else:
            names[kind][pk] = Hearing.objects.get(pk=pk).title
    return names[kind][pk]


@register.simple_tag(takes_context=True)
def proposal_card(context, proposal, hide_hearing=False, hide_group=False):
    # The names are read once a page (render_context lasts one rendering).
    key = ("card-names", proposal.municipality_id)
    names = context.render_context.get(key)
    if names is None:
        names = context.render_context[key] = card_names(proposal.municipality_id)
    return render_card(proposal, names, hide_hearing=hide_hearing, hide_group=hide_group)


def render_card(proposal, names, *, hide_hearing=False, hide_group=False):
    facts = []
    if hide_hearing and proposal.protocol_number:
        facts.append(gettext("No. %(number)s") % {"number": proposal.protocol_number})
    facts += [display(proposal, "kind"), display(proposal, "topic")]
    if proposal.village_id:
        facts.append(_name(names, "village", proposal.village_id))
    about = " · ".join(escape(fact) for fact in facts)
    if proposal.group_id and not hide_group:
        slug, name = _name(names, "group", proposal.group_id)
        about += f' · <a href="{url_of("groups:detail", slug)}">{escape(name)}</a>'
    if proposal.hearing_id and not hide_hearing:
        url = url_of("hearings:hearing_detail", proposal.hearing_id)
        about += f' · <a href="{url}">{escape(_name(names, "hearing", proposal.hearing_id))}</a>'
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
