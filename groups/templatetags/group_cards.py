"""A group's card and composition figures, rendered in Python.

The groups list shows twenty cards, each with its figures; through the
template engine (an include a card, some forty lookups, two floatformat
filters) they cost about half of the page. The markup is that of the former
`groups/_figures.html` and the list's card; the labels are translated and
escaped once per language.
"""

from django import template
from django.conf import settings
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from portal.choices import Topic
from portal.markup import lang_attribute, url_of
from portal.templatetags.content_language import shown_in

register = template.Library()

# language -> the figures' labels, the women's flag, the topic badges
_WORDS = {}


def words():
    language = get_language()
    if language not in _WORDS:
        # As {% blocktranslate %}: the translation is trusted, the value escaped.
        flag = gettext("Women are under %(benchmark)s %% of the members.") % {
            "benchmark": escape(settings.WOMEN_SHARE_BENCHMARK)
        }
        _WORDS[language] = {
            "members": escape(gettext("Members")),
            "women": escape(gettext("Women")),
            "youth": escape(gettext("Youth")),
            "deputies": escape(gettext("Deputies")),
            "civil_society": escape(gettext("Civil society")),
            "flag": '\n<p class="women-flag text-warning-emphasis small mt-2 mb-0">'
            f'<span aria-hidden="true">⚠</span> {flag}</p>',
            "topics": {
                value: f'<span class="badge text-bg-light border me-1">{escape(label)}</span>'
                for value, label in Topic.choices
            },
            "decimal": get_format("DECIMAL_SEPARATOR"),
        }
    return _WORDS[language]


def percent(value, decimal):
    """{{ value|floatformat:"-1" }} of a share already rounded to one decimal."""
    if value == int(value):
        return str(int(value))
    return f"{value:.1f}".replace(".", decimal)


def figures_html(figures, compact=False):
    w = words()
    low = figures.women_below_benchmark
    women, youth = str(figures.women), str(figures.youth)
    if compact:
        # In a card a count with its share is bold alone, the others as a whole.
        women, youth = f"<b>{women}</b>", f"<b>{youth}</b>"
    shares = []
    for share in (figures.women_share, figures.youth_share):
        if share is None:
            shares.append("")
        elif compact:
            shares.append(f" ({percent(share, w['decimal'])} %)")
        else:
            shares.append(
                f' <span class="fs-6 fw-normal">({percent(share, w["decimal"])} %)</span>'
            )
    if compact:
        item = (
            '<div class="col d-flex justify-content-between border-bottom py-1{}">'
            '<dt class="fw-normal">{}</dt><dd class="mb-0{}">{}</dd></div>'
        )
        items = [
            item.format("", w["members"], " fw-bold", figures.members),
            item.format(" text-warning-emphasis" if low else "", w["women"], "", women + shares[0]),
            item.format("", w["youth"], "", youth + shares[1]),
            item.format("", w["deputies"], " fw-bold", figures.deputies),
            item.format("", w["civil_society"], " fw-bold", figures.civil_society),
        ]
        opening = '<dl class="row row-cols-2 gx-3 gy-0 figures figures-compact small mb-0">'
    else:
        item = (
            '<div class="figure-card border rounded p-2{}">'
            '<dt class="small text-body-secondary fw-normal">{}</dt>'
            '<dd class="figure-value mb-0">{}</dd></div>'
        )
        items = [
            item.format("", w["members"], figures.members),
            item.format(" border-warning" if low else "", w["women"], women + shares[0]),
            item.format("", w["youth"], youth + shares[1]),
            item.format("", w["deputies"], figures.deputies),
            item.format("", w["civil_society"], figures.civil_society),
        ]
        opening = '<dl class="figure-grid figure-grid-5 figures mb-0">'
    return opening + "\n".join(items) + "</dl>" + (w["flag"] if low else "")


@register.simple_tag
def group_figures(figures, compact=False):
    """The composition figures of a group or of the whole municipality
    (groups.composition.Composition: numbers only); compact in cards."""
    return mark_safe(figures_html(figures, compact))


@register.simple_tag
def group_url(group):
    """group.get_absolute_url(), without a reverse() a group."""
    return url_of("groups:detail", group.slug)


@register.simple_tag
def group_card(group):
    """An active group's card in the list (InitiativeGroup.with_figures())."""
    w = words()
    facts = []
    if group.founded_on:
        facts.append(gettext("Since %(year)s") % {"year": group.founded_on.year})
    if group.village_names:
        facts.append(escape(", ".join(group.village_names)))
    topics = ""
    if group.focus_topics:
        badges = "".join(w["topics"].get(topic) or escape(topic) for topic in group.focus_topics)
        topics = f'<p class="mb-2">{badges}</p>'
    return mark_safe(
        '<article class="card h-100 group-card"><div class="card-body">'
        f'<h3 class="h5 card-title"{lang_attribute(shown_in(group, "name"))}>'
        f'<a href="{escape(group_url(group))}">{escape(group.name)}</a></h3>'
        f'<p class="small text-body-secondary mb-2">{" · ".join(facts)}</p>'
        f"{topics}{figures_html(group.composition, compact=True)}</div></article>"
    )
