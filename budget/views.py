"""Public pages: the development programmes with their priorities, and the
citizen's budget of each published year. Every figure is summed in the
database; the pages cost the same number of queries with 20 budget lines or
400, with no proposals or many."""

import unicodedata
from html import escape

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from hearings.models import Hearing, Proposal
from hearings.templatetags.proposal_cards import url_of
from portal.choices import Topic
from portal.middleware import municipality_or_404
from portal.pagination import paginate
from portal.templatetags.amounts import amount

from . import charts
from .models import (
    BudgetDocument,
    BudgetLine,
    DevelopmentProgramme,
    LocalBudget,
    Priority,
    ProgrammeStatus,
)

PAGE_SIZE = 20
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
FALLBACK = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
# Revenue chart: the largest lines, the rest together in one bar.
CHART_ROWS = 8
# The documents the law asks to publish each year, in the order they appear.
OPENNESS = [
    BudgetDocument.Kind.DRAFT,
    "hearing",
    BudgetDocument.Kind.APPROVED,
    BudgetDocument.Kind.EXECUTION,
    BudgetDocument.Kind.CITIZENS,
]


def _programmes(municipality, pk=None):
    """The published programmes (or the one `pk`), each with its priorities'
    and hearings' markup: three queries, and no model for a priority or a
    hearing (a programme has a dozen priorities and a hearing a year)."""
    programmes = (
        DevelopmentProgramme.objects.filter(municipality=municipality)
        .published()
        .with_summary()
        .select_related("resolution")
    )
    if pk is not None:
        programmes = programmes.filter(pk=pk)
    programmes = list(programmes)
    if not programmes:
        return programmes
    ids = [programme.pk for programme in programmes]
    priorities, hearings = {}, {}
    for row in (
        Priority.objects.filter(programme__in=ids)
        .with_proposal_counts()
        .order_by("number", "pk")
        .values(
            "pk",
            "programme_id",
            "number",
            "topic",
            "planned_cost",
            "first_year",
            "last_year",
            "proposals_taken",
            *_localized("title"),
            *(_localized("expected_result") if pk is not None else ()),
        )
    ):
        priorities.setdefault(row["programme_id"], []).append(row)
    for row in (
        Hearing.objects.filter(programme__in=ids)
        .order_by("starts_at", "pk")
        .values("pk", "programme_id", "starts_at", *_localized("title"))
    ):
        hearings.setdefault(row["programme_id"], []).append(row)
    for programme in programmes:
        programme.priority_items = _priority_items(
            programme, priorities.get(programme.pk, ()), detailed=pk is not None
        )
        programme.hearing_links = _hearing_links(hearings.get(programme.pk, ()))
    return programmes


def _localized(field):
    return [f"{field}_{code}" for code in LANGUAGE_CODES]


def _languages():
    """The current language, then those modeltranslation falls back to."""
    current = get_language()
    return current, [current, *FALLBACK.get(current, FALLBACK["default"])]


def _translated(row, field, languages):
    """What `obj.field` gives (modeltranslation's fallback), from a row of
    values: the text and the language it is in."""
    for code in languages:
        value = row.get(f"{field}_{code}")
        if value:
            return value, code
    return "", ""


def _hearing_links(hearings):
    """The hearings a programme was discussed at, as _programme_facts.html
    wrote them in a loop (escaped here: html.escape, as the templates do)."""
    _current, languages = _languages()
    links = []
    for hearing in hearings:
        starts_at = template_localtime(hearing["starts_at"])
        # The filters date:'Y-m-d' and date:"DATE_FORMAT".
        day, date = starts_at.date().isoformat(), date_format(starts_at, "DATE_FORMAT")
        links.append(
            f'<a href="{url_of("hearings:hearing_detail", hearing["pk"])}">'
            f"{escape(_translated(hearing, 'title', languages)[0])}</a>, "
            f'<time datetime="{day}">{escape(date)}</time>'
        )
    return mark_safe("<br>".join(links))


def _priority_items(programme, priorities, detailed=False):
    """The priorities of a programme, as _priority_item.html wrote each: a
    list of them cost an include, a reverse() and a translated choice each."""
    som = _("som")
    expected = _("Expected result")
    topics = _topic_labels()
    _current, languages = _languages()
    items = []
    for priority in priorities:
        facts = topics.get(priority["topic"], priority["topic"])
        if priority["planned_cost"] is not None:
            facts += f" · {amount(priority['planned_cost'])} {som}"
        if priority["first_year"]:
            last_year = priority["last_year"] or programme.last_year
            facts += f" · {priority['first_year']}–{last_year}"
        taken = priority["proposals_taken"]
        counted = ngettext(
            "%(counter)s proposal taken in", "%(counter)s proposals taken in", taken
        ) % {"counter": taken}
        result = ""
        if detailed:
            text = _translated(priority, "expected_result", languages)[0]
            if text:
                result = (
                    f'<p class="mb-0 mt-1"><span class="fw-semibold">{escape(expected)}:</span> '
                    f"{escape(text)}</p>"
                )
        title = escape(_translated(priority, "title", languages)[0])
        items.append(
            '\n<li class="priority py-2 border-bottom">\n'
            f'  <a class="fw-semibold" href="{url_of("budget:priority_detail", priority["pk"])}">'
            f"{priority['number']}. {title}</a>\n"
            f'  <p class="small text-body-secondary mb-0">{escape(facts)} ·\n'
            f"    {escape(counted)}</p>\n"
            f"  {result}\n</li>\n"
        )
    return mark_safe("".join(items))


_TOPICS = {}


def _topic_labels():
    """Topic labels of the current language, translated once."""
    language = get_language()
    if language not in _TOPICS:
        _TOPICS[language] = {value: str(label) for value, label in Topic.choices}
    return _TOPICS[language]


def programme_list(request):
    municipality = municipality_or_404(request)
    # A municipality adopts a programme every few years: the list stays short.
    return render(request, "budget/programme_list.html", {"programmes": _programmes(municipality)})


def programme_detail(request, pk):
    programmes = _programmes(municipality_or_404(request), pk=pk)
    if not programmes:
        raise Http404
    return render(request, "budget/programme_detail.html", {"programme": programmes[0]})


def priority_detail(request, pk):
    municipality = municipality_or_404(request)
    priority = get_object_or_404(
        Priority.objects.with_proposal_counts()
        .select_related("programme__resolution")
        .filter(programme__municipality=municipality)
        .exclude(programme__status=ProgrammeStatus.DRAFT),
        pk=pk,
    )
    proposals, query = paginate(
        request,
        Proposal.objects.public()
        .filter(priority=priority)
        .select_related("village", "hearing", "group")
        # What a card shows: not the hearing's announcement and protocol.
        .only(
            "kind",
            "topic",
            "status",
            "protocol_number",
            *_localized("text"),
            *_localized("decision"),
            "village",
            *_localized("village__name"),
            "group",
            "group__slug",
            *_localized("group__name"),
            "hearing",
            *_localized("hearing__title"),
        )
        .order_by("submitted_at", "protocol_number", "pk"),
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "budget/priority_detail.html",
        {"priority": priority, "programme": priority.programme, "page": proposals, "query": query},
    )


def _published_budgets(municipality):
    """Every published year of the municipality with its totals, latest
    first: the page's budget, the year before and the years' links in one
    query (a municipality has one budget a year)."""
    return list(
        LocalBudget.objects.filter(municipality=municipality)
        .published()
        .with_totals()
        .with_per_resident()
        .select_related("resolution")
        .order_by("-year")
    )


def budget_current(request):
    """The citizen's budget of the latest year the council approved."""
    municipality = municipality_or_404(request)
    budgets = _published_budgets(municipality)
    approved = (LocalBudget.Status.APPROVED, LocalBudget.Status.EXECUTED)
    latest = next((budget for budget in budgets if budget.status in approved), None)
    if latest is None:
        return render(request, "budget/budget_none.html", {"years": _years(budgets)})
    return _budget_page(request, budgets, latest)


def budget_year(request, year):
    budgets = _published_budgets(municipality_or_404(request))
    budget = next((budget for budget in budgets if budget.year == year), None)
    if budget is None:
        raise Http404
    return _budget_page(request, budgets, budget)


def _years(budgets):
    return [(budget.year, url_of("budget:budget_year", budget.year)) for budget in budgets]


def _topic_label(topic):
    return Topic(topic).label if topic in Topic.values else _("Not classified")


def _percent(part, whole):
    return part * 100 / whole if whole else None


def _proposal_links(proposals):
    """The links to the public proposals a line took in, as _lines.html wrote
    them: a page can list some three hundred, so they are written here, from
    the two languages' texts, without a model or a reverse() each."""
    current, languages = _languages()
    before, after = url_of("hearings:proposal_detail", "0").rsplit("0", 1)
    items = []
    for pk, texts in proposals:
        text, lang = "", ""
        for code in languages:
            if texts.get(code):
                text = texts[code]
                lang = f' lang="{code}"' if code != current else ""
                break
        items.append(f'<li><a href="{before}{pk}{after}"{lang}>{escape(_short(text))}</a></li>')
    return mark_safe("".join(items))


def _short(text, length=90):
    """Truncator(text).chars(length), as the truncatechars filter writes it,
    without its loop over every character when none of the first is a
    combining one (then each counts as one)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if len(text) <= length:
        return text
    if any(map(unicodedata.combining, text[: length + 1])):
        return Truncator(text).chars(length)
    key = (get_language(), length)
    if key not in _ELLIPSIS:
        # What Truncator adds and how much of the text it keeps, per language.
        _ELLIPSIS[key] = (
            add_truncation_text("\0"),
            calculate_truncate_chars_length(length, None),
        )
    ellipsis, keep = _ELLIPSIS[key]
    return ellipsis.replace("\0", text[:keep])


_ELLIPSIS = {}


def _budget_page(request, budgets, budget):
    year = budget.year
    index = budgets.index(budget)
    previous = budgets[index + 1] if index + 1 < len(budgets) else None
    totals = {
        BudgetLine.Kind.REVENUE: budget.revenue_planned,
        BudgetLine.Kind.EXPENDITURE: budget.expenditure_planned,
    }
    lines = BudgetLine.objects.filter(budget=budget).with_percents(totals).with_ranks()
    if previous:
        lines = lines.with_previous(previous)
    lines = list(lines.order_by("kind", "code"))
    revenue = [line for line in lines if line.kind == BudgetLine.Kind.REVENUE]
    expenditure = [line for line in lines if line.kind == BudgetLine.Kind.EXPENDITURE]
    # Only the public proposals, and only their texts: a line may list hundreds.
    taken_in = {}
    for pk, line_id, *texts in (
        Proposal.objects.public()
        .filter(budget_line__in=[line.pk for line in expenditure])
        .order_by("submitted_at", "pk")
        .values_list("pk", "budget_line_id", *(f"text_{code}" for code in LANGUAGE_CODES))
    ):
        taken_in.setdefault(line_id, []).append((pk, dict(zip(LANGUAGE_CODES, texts, strict=True))))
    for line in expenditure:
        line.proposal_links = _proposal_links(taken_in.get(line.pk, ()))
    documents = {
        document.kind: document
        for document in BudgetDocument.objects.filter(budget=budget)
        .order_by("kind", "-published_on")
        .distinct("kind")
    }
    hearings = list(budget.hearings.order_by("starts_at", "pk"))

    # Where the money comes from: the largest revenue lines, then the rest
    # (summed in the database: the first line after them carries the sum).
    by_rank = {line.rank: line for line in revenue}
    top = [by_rank[rank] for rank in range(1, min(CHART_ROWS, len(revenue)) + 1)]
    sources = [(line.name, line.planned, line.percent) for line in top]
    rest = by_rank.get(CHART_ROWS + 1)
    if rest is not None:
        sources.append(
            (
                _("Other revenue (%(count)s lines)") % {"count": rest.tail_count},
                rest.tail_planned,
                _percent(rest.tail_planned, budget.revenue_planned),
            )
        )
    topics = [
        {
            "label": _topic_label(row["topic"]),
            "planned": row["topic_planned"],
            "executed": row["topic_executed"],
            "share": row["share"],
            "execution": row["execution"],
        }
        for row in BudgetLine.objects.filter(
            budget=budget, kind=BudgetLine.Kind.EXPENDITURE
        ).by_topic(budget.expenditure_planned)
    ]

    # A chart's figure: som (its title says so) and the share, as in its table.
    def figure(value, share=None):
        return f"{amount(value)} · {amount(share, 1)} %" if share is not None else amount(value)

    sources_chart = charts.bar_chart(
        [
            charts.Row(label, [charts.Bar(value, figure(value, share))])
            for label, value, share in sources
        ],
        chart_id="chart-revenue",
        title=_("Where the money comes from in %(year)s") % {"year": year},
        description=_("Planned revenue by source, in som and as a share of all revenue."),
    )
    topics_chart = charts.bar_chart(
        [
            charts.Row(
                row["label"], [charts.Bar(row["planned"], figure(row["planned"], row["share"]))]
            )
            for row in topics
        ],
        chart_id="chart-expenditure",
        title=_("Where the money goes in %(year)s") % {"year": year},
        description=_("Planned expenditure by topic, in som and as a share of all expenditure."),
    )
    executed = budget.expenditure_executed > 0
    execution_chart = (
        charts.bar_chart(
            [
                charts.Row(
                    row["label"],
                    [
                        charts.Bar(row["planned"], figure(row["planned"])),
                        charts.Bar(row["executed"], figure(row["executed"], row["execution"])),
                    ],
                )
                for row in topics
            ],
            chart_id="chart-execution",
            title=_("Planned and spent in %(year)s") % {"year": year},
            description=_(
                "Planned and executed expenditure by topic, in som; "
                "the executed share of the plan in per cent."
            ),
            series=[_("Planned"), _("Executed")],
        )
        if executed
        else ""
    )

    change = None
    if previous:
        change = {
            "year": previous.year,
            "rows": [
                {
                    "label": label,
                    "before": before,
                    "now": now,
                    "difference": now - before,
                    "percent": _percent(now - before, before),
                }
                for label, before, now in [
                    (_("Revenue planned"), previous.revenue_planned, budget.revenue_planned),
                    (
                        _("Expenditure planned"),
                        previous.expenditure_planned,
                        budget.expenditure_planned,
                    ),
                ]
            ],
        }
    openness = []
    for kind in OPENNESS:
        if kind == "hearing":
            openness.append({"kind": kind, "name": _("Public hearing"), "hearings": hearings})
        else:
            openness.append(
                {
                    "kind": kind,
                    "name": BudgetDocument.Kind(kind).label,
                    "document": documents.get(kind),
                }
            )
    return render(
        request,
        "budget/budget.html",
        {
            "budget": budget,
            "previous": previous,
            "change": change,
            "years": _years(budgets),
            "revenue": revenue,
            "expenditure": expenditure,
            "sources": sources,
            "sources_chart": sources_chart,
            "topics": topics,
            "topics_chart": topics_chart,
            "execution_chart": execution_chart,
            "executed": executed,
            "execution_total": _percent(budget.expenditure_executed, budget.expenditure_planned),
            "revenue_execution_total": _percent(budget.revenue_executed, budget.revenue_planned),
            "openness": openness,
            "hearings": hearings,
        },
    )
