"""A project's card and its small parts, rendered in Python.

The list shows twenty cards; through the template engine (four includes a
card, a dozen blocktranslates) they cost about 1 ms each, most of the
page. The markup is that of the former includes `projects/_status.html`,
`_years.html`, `_funding_total.html`, `_beneficiaries.html` and
`_kind_known.html`; the sentences keep their msgids.
"""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from portal.choices import display
from portal.markup import url_of
from portal.templatetags.amounts import amount

register = template.Library()

BADGES = {
    "completed": "text-bg-success",
    "in_progress": "text-bg-primary",
    "suspended": "text-bg-warning",
}


@register.simple_tag
def project_status(project):
    """A project's status as a badge."""
    return format_html(
        '<span class="badge {}">{}</span>',
        BADGES.get(project.status, "text-bg-secondary"),
        display(project, "status"),
    )


@register.simple_tag
def project_years(project):
    """The years a project ran: "2022–2023", or its one year ("2024–…" while
    it runs without a known end)."""
    if not project.started_on:
        return ""
    first = project.started_on.year
    last = project.ended_on.year if project.ended_on else None
    if last and last != first:
        return f"{first}–{last}"
    if not last and project.status == "in_progress":
        return f"{first}–…"
    return str(first)


@register.simple_tag
def funding_total(project):
    """Known funding of a project with the count of sources whose amount is
    not in it: never a bare 0."""
    undisclosed = project.funding_undisclosed
    if project.funding_known:
        known = format_html(
            '<span class="funding-known">{} {}</span>',
            amount(project.funding_known),
            gettext("som"),
        )
        if not undisclosed:
            return known
        note = ngettext(
            "+ %(counter)s source, amount not disclosed",
            "+ %(counter)s sources, amounts not disclosed",
            undisclosed,
        ) % {"counter": undisclosed}
        return format_html('{} <span class="undisclosed-note">{}</span>', known, note)
    if undisclosed:
        note = ngettext(
            "Amount not disclosed (%(counter)s source)",
            "Amounts not disclosed (%(counter)s sources)",
            undisclosed,
        ) % {"counter": undisclosed}
        return format_html('<span class="undisclosed-note">{}</span>', note)
    return format_html(
        '<span class="text-body-secondary">{}</span>', gettext("No funding is recorded.")
    )


def _beneficiary_labels():
    # Called per use: the labels depend on the language.
    return (
        ("households", "%(number)s household", "%(number)s households"),
        ("families", "%(number)s family", "%(number)s families"),
        ("women", "%(number)s woman", "%(number)s women"),
        ("men", "%(number)s man", "%(number)s men"),
        ("children", "%(number)s child", "%(number)s children"),
        ("pupils", "%(number)s pupil", "%(number)s pupils"),
    )


BENEFICIARIES = [field for field, _singular, _plural in _beneficiary_labels()]


def beneficiaries_known(b):
    """Whether any of the six counts of `b` (a project, or a dict of sums) is known."""
    get = b.get if isinstance(b, dict) else lambda field: getattr(b, field)
    return any(get(field) is not None for field in BENEFICIARIES)


@register.simple_tag
def beneficiaries(b):
    """Who a project (or all of them) served, each figure only when known."""
    get = b.get if isinstance(b, dict) else lambda field: getattr(b, field)
    items = []
    for field, singular, plural in _beneficiary_labels():
        value = get(field)
        if value is not None:
            text = ngettext(singular, plural, value) % {"number": amount(value)}
            items.append(f'<li class="list-inline-item">{escape(text)}</li>')
    return mark_safe(f'<ul class="list-inline mb-0 beneficiaries">{"".join(items)}</ul>')


@register.simple_tag
def kind_known(row):
    """A source kind's known sum, and how many of its amounts are not in it."""
    if row["known"] is None:
        return gettext("not disclosed")
    known = format_html('<span class="text-nowrap">{}</span>', amount(row["known"]))
    if not row["unknown"]:
        return known
    note = ngettext(
        "+ %(counter)s not disclosed", "+ %(counter)s not disclosed", row["unknown"]
    ) % {"counter": row["unknown"]}
    return format_html('{} <span class="d-block small">{}</span>', known, note)


@register.simple_tag
def project_facts(project):
    """Status · years · villages, the line under a project's title.
    `project.village_names` comes from projects.models.village_names()."""
    parts = [project_status(project)]
    if project.started_on:
        parts.append(project_years(project))
    if project.village_names:
        parts.append(escape(", ".join(project.village_names)))
    return mark_safe(" · ".join(parts))


@register.simple_tag
def project_card(project):
    """A project in the list: title, facts, funding, beneficiaries."""
    who = ""
    if beneficiaries_known(project):
        who = format_html(
            '<dt class="col-sm-4 fw-normal text-body-secondary">{}</dt>'
            '<dd class="col-sm-8 mb-0">{}</dd>',
            gettext("For whom"),
            beneficiaries(project),
        )
    return format_html(
        '<article class="card mb-3 project-card" aria-labelledby="project-{}">'
        '<div class="card-body"><h3 class="h5 card-title" id="project-{}">'
        '<a href="{}">{}</a></h3>'
        '<p class="small text-body-secondary mb-2">{}</p>'
        '<dl class="row small mb-0">'
        '<dt class="col-sm-4 fw-normal text-body-secondary">{}</dt>'
        '<dd class="col-sm-8 mb-1 project-funding">{}</dd>{}</dl></div></article>',
        project.pk,
        project.pk,
        url_of("projects:project_detail", project.slug),
        project.title,
        project_facts(project),
        gettext("Known funding"),
        funding_total(project),
        who,
    )
