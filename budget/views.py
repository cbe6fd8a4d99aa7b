"""Public pages: the development programmes with their priorities, and the
citizen's budget of each published year. Every figure is summed in the
database; the pages cost the same number of queries with 20 budget lines or
400, with no proposals or many."""

from html import escape

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from modeltranslation.utils import resolution_order

from hearings import cards
from hearings.models import Hearing, Proposal
from portal import charts
from portal.choices import Topic
from portal.facts import remembered
from portal.markup import truncate_chars, url_of
from portal.middleware import municipality_or_404
from portal.queries import Composed, built_once, in_every_language, precompiled
from portal.templatetags.amounts import amount

from .models import (
    BudgetDocument,
    BudgetLine,
    CouncilResolution,
    DevelopmentProgramme,
    LocalBudget,
    Priority,
    ProgrammeStatus,
    priority_proposal_count,
    programme_summary,
)

PAGE_SIZE = 20
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
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
    programmes = published_programmes().filter(municipality=municipality)
    if pk is not None:
        programmes = programmes.filter(pk=pk)
    programmes = list(programmes)
    if not programmes:
        return programmes
    ids = [programme.pk for programme in programmes]
    priorities, hearings = {}, {}
    for row in (
        priority_rows()
        .filter(programme__in=ids)
        .values(
            "pk",
            "programme_id",
            "number",
            "topic",
            "planned_cost",
            "first_year",
            "last_year",
            "proposals_taken",
            *in_every_language("title"),
            *(in_every_language("expected_result") if pk is not None else ()),
        )
    ):
        priorities.setdefault(row["programme_id"], []).append(row)
    for row in (
        Hearing.objects.filter(programme__in=ids)
        .order_by("starts_at", "pk")
        .values("pk", "programme_id", "starts_at", *in_every_language("title"))
    ):
        hearings.setdefault(row["programme_id"], []).append(row)
    for programme in programmes:
        programme.priority_items = _priority_items(
            programme, priorities.get(programme.pk, ()), detailed=pk is not None
        )
        programme.hearing_links = _hearing_links(hearings.get(programme.pk, ()))
    return programmes


@built_once
def published_programmes():
    """Published programmes with their summary, its subqueries compiled once."""
    return (
        DevelopmentProgramme.objects.published()
        .select_related("resolution")
        .annotate(**precompiled(DevelopmentProgramme, **programme_summary()))
    )


@built_once
def priority_rows():
    """Priorities with their proposals' count, its subquery compiled once."""
    return Priority.objects.annotate(**precompiled(Priority, **priority_proposal_count())).order_by(
        "number", "pk"
    )


def _languages():
    """The current language, then those modeltranslation falls back to."""
    current = get_language()
    return current, resolution_order(current)


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
    # A municipality adopts a programme every few years: the list stays
    # short, and is a fact kept until a write to its programmes, priorities,
    # resolutions, hearings or proposals.
    programmes = remembered(municipality.pk, "programmes", lambda: _programmes(municipality))
    return render(request, "budget/programme_list.html", {"programmes": programmes})


def programme_detail(request, pk):
    municipality = municipality_or_404(request)
    # A fact too; an id of no published programme is not kept.
    programme = remembered(
        municipality.pk,
        f"programme:{pk}",
        lambda: next(iter(_programmes(municipality, pk=pk)), None),
    )
    if programme is None:
        raise Http404
    return render(request, "budget/programme_detail.html", {"programme": programme})


# A page of a priority's public proposals, the oldest first.
PRIORITY_PROPOSALS_SQL = (
    f"SELECT {cards.columns()} FROM hearings_proposal WHERE priority_id = %(priority)s "
    f"AND {cards.PUBLIC} ORDER BY submitted_at, protocol_number, id "
    "LIMIT %(limit)s OFFSET %(offset)s"
)


def priority_detail(request, pk):
    municipality = municipality_or_404(request)
    # The priority and its count are a fact; an id of none shown is not kept.
    priority = remembered(
        municipality.pk,
        f"priority:{pk}",
        lambda: (
            priority_rows()
            .select_related("programme__resolution")
            .filter(programme__municipality=municipality, pk=pk)
            .exclude(programme__status=ProgrammeStatus.DRAFT)
            .first()
        ),
    )
    if priority is None:
        raise Http404
    proposals, query = cards.page(
        request,
        PRIORITY_PROPOSALS_SQL,
        {"priority": priority.pk},
        count=priority.proposals_taken,
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "budget/priority_detail.html",
        {"priority": priority, "programme": priority.programme, "page": proposals, "query": query},
    )


# Every published year of a municipality with its totals, latest first: the
# page's budget, the year before and the years' links in one query (a
# municipality has one budget a year).
# A budget's totals, as the page reads them.
TOTALS = (
    "revenue_planned",
    "revenue_executed",
    "expenditure_planned",
    "expenditure_executed",
    "planned_per_resident",
    "executed_per_resident",
)
_BUDGETS = Composed(
    lambda municipality: (
        LocalBudget.objects.filter(municipality=municipality)
        .published()
        .with_totals()
        .with_per_resident()
        .order_by("-year")
        .values(
            "pk",
            "year",
            "status",
            "population",
            "resolution",
            "resolution__number",
            "resolution__adopted_on",
            "resolution__document",
            *TOTALS,
        )
    )
)


def _published_budgets(municipality):
    return remembered(
        municipality.pk, "budgets", lambda: _BUDGETS.rows(municipality.pk), translated=False
    )


def _budget_of(row):
    """The page's budget as a model (its status badge and resolution are
    written from one), with its totals."""
    budget = LocalBudget(
        id=row["pk"],
        year=row["year"],
        status=row["status"],
        population=row["population"],
        resolution_id=row["resolution"],
    )
    if row["resolution"] is not None:
        # What the page writes of it: its number, date and document.
        budget.resolution = CouncilResolution(
            id=row["resolution"],
            number=row["resolution__number"],
            adopted_on=row["resolution__adopted_on"],
            document=row["resolution__document"],
        )
    for name in TOTALS:
        setattr(budget, name, row[name])
    return budget


def budget_current(request):
    """The citizen's budget of the latest year the council approved."""
    municipality = municipality_or_404(request)
    budgets = _published_budgets(municipality)
    approved = (LocalBudget.Status.APPROVED, LocalBudget.Status.EXECUTED)
    latest = next((budget for budget in budgets if budget["status"] in approved), None)
    if latest is None:
        return render(request, "budget/budget_none.html", {"years": _years(budgets)})
    return _budget_page(request, municipality, budgets, latest)


def budget_year(request, year):
    municipality = municipality_or_404(request)
    budgets = _published_budgets(municipality)
    budget = next((budget for budget in budgets if budget["year"] == year), None)
    if budget is None:
        raise Http404
    return _budget_page(request, municipality, budgets, budget)


def _years(budgets):
    return [(budget["year"], url_of("budget:budget_year", budget["year"])) for budget in budgets]


def _topic_label(topic):
    return Topic(topic).label if topic in Topic.values else _("Not classified")


def _percent(part, whole):
    return part * 100 / whole if whole else None


def _proposal_links(line, proposals, taken):
    """The links to the public proposals a line took in, as _lines.html wrote
    them, from the two languages' texts, without a model or a reverse()
    each; past LINE_LINKS, a link to all of them in the proposals list."""
    current, languages = _languages()
    items = []
    for pk, texts in proposals:
        text, lang = "", ""
        for code in languages:
            if texts.get(code):
                text = texts[code]
                lang = f' lang="{code}"' if code != current else ""
                break
        url = url_of("hearings:proposal_detail", pk)
        items.append(f'<li><a href="{url}"{lang}>{escape(truncate_chars(text, 90))}</a></li>')
    rest = taken - len(proposals)
    if rest > 0:
        more = ngettext("and %(counter)s more proposal", "and %(counter)s more proposals", rest) % {
            "counter": rest
        }
        url = f"{reverse('hearings:proposal_list')}?line={line}"
        items.append(f'<li><a href="{url}">{escape(more)}</a></li>')
    return mark_safe("".join(items))


def _line_rows(lines, executed, change):
    """The rows of a table of lines, as _lines.html wrote them in a loop:
    some twenty rows of six amounts each cost the template 2-3 ms."""
    cell = '      <td class="text-end text-nowrap">'
    taken = escape(_("Proposals of residents taken in:"))
    new = f'<span class="text-body-secondary">{escape(_("new"))}</span>'
    rows = []
    for line in lines:
        links = line.get("proposal_links")
        if links:
            links = (
                f'\n          <span class="d-block small mt-1 fw-semibold">{taken}</span>\n'
                '          <ul class="small mb-0 ps-3 line-proposals">\n'
                f"            {links}\n"
                "          </ul>\n        "
            )
        row = (
            f'\n    <tr id="line-{line["pk"]}" class="budget-line">\n'
            f"      <td>{escape(line['code'])}</td>\n"
            f'      <th scope="row" class="fw-normal">{escape(line["name"])}\n'
            f"        {links or ''}\n"
            "      </th>\n"
            f"{cell}{amount(line['planned'])}</td>\n"
            f"{cell}{amount(line['percent'], 1)}</td>\n      "
        )
        if executed:
            spent, share = line["executed"], line["executed_percent"]
            row += (
                f"{cell[6:]}{'—' if spent is None else amount(spent)}</td>\n"
                f"{cell}{'—' if share is None else amount(share, 1)}</td>"
            )
        row += "\n      "
        if change:
            difference = line["change"]
            if difference is None:
                difference = new
            elif difference > 0:
                difference = f"+{amount(difference)}"
            elif difference < 0:
                # The filters cut:"-"|amount.
                difference = f"−{amount(str(difference).replace('-', ''))}"
            else:
                difference = "0"
            row += f"{cell[6:]}{difference}</td>"
        rows.append(row + "\n    </tr>\n  ")
    return mark_safe("".join(rows))


# A budget's lines with every figure the page shows (BudgetLine.for_budget_page),
# and the previous year's, for the change from it.
_LINES = Composed(
    lambda budget, previous: (
        BudgetLine.objects.filter(budget__in=[budget, previous])
        .for_budget_page()
        .order_by("kind", "code")
        .values(
            "pk",
            "budget",
            "kind",
            "code",
            *in_every_language("name"),
            "topic",
            "planned",
            "executed",
            "percent",
            "executed_percent",
            "rank",
            "tail_planned",
            "tail_count",
            "previous_planned",
            "change",
            "topic_first",
            "topic_planned",
            "topic_executed",
            "topic_share",
            "topic_execution",
        )
    ),
    ids=2,
)
# The public proposals the expenditure lines took in: only their texts, as a
# line may list hundreds.
# Under each expenditure line, the first LINE_LINKS proposals it took in,
# and how many there are: the rest are in the proposals list, filtered by
# the line (a line of the ten-year bench took in some forty).
LINE_LINKS = 5
_TAKEN_IN = Composed(
    lambda budget: (
        Proposal.objects.public()
        .filter(budget_line__budget=budget, budget_line__kind=BudgetLine.Kind.EXPENDITURE)
        .annotate(
            number=Window(
                RowNumber(), partition_by=F("budget_line"), order_by=("submitted_at", "pk")
            ),
            taken=Window(Count("*"), partition_by=F("budget_line")),
        )
        .filter(number__lte=LINE_LINKS)
        # Each line's own order: the rows are grouped by line after.
        .order_by("number")
        .values("pk", "budget_line", "taken", *in_every_language("text"))
    )
)
# The latest document of each kind.
_DOCUMENTS = Composed(
    lambda budget: (
        BudgetDocument.objects.filter(budget=budget)
        .order_by("kind", "-published_on")
        .distinct("kind")
        .values("kind", "published_on", "file", "link")
    )
)
_HEARINGS = Composed(
    lambda budget: (
        Hearing.objects.filter(budget=budget).order_by("starts_at", "pk").values("pk", "starts_at")
    )
)


def _document(row):
    """A document as the openness table links it: its file, or its link."""
    url = ""
    if row["file"]:
        url = BudgetDocument._meta.get_field("file").storage.url(row["file"])
    elif row["link"]:
        url = row["link"]
    return {"url": url, "published_on": row["published_on"]}


def _hearing_dates(rows):
    """The budget's hearings as the openness table writes them: a link and
    a date (the filters date:'Y-m-d' and date:"DATE_FORMAT")."""
    hearings = []
    for row in rows:
        starts_at = template_localtime(row["starts_at"])
        hearings.append(
            {
                "url": url_of("hearings:hearing_detail", row["pk"]),
                "day": starts_at.date().isoformat(),
                "date": date_format(starts_at, "DATE_FORMAT"),
            }
        )
    return hearings


def _budget_page(request, municipality, budgets, row):
    """A published budget's page; what it shows is a fact of the
    municipality, kept until a write to its budgets, lines, documents,
    resolutions, hearings or proposals."""
    context = remembered(
        municipality.pk, f"budget:{row['year']}", lambda: _budget_context(budgets, row)
    )
    return render(request, "budget/budget.html", context)


def _budget_context(budgets, row):
    budget = _budget_of(row)
    year = budget.year
    index = budgets.index(row)
    previous = budgets[index + 1] if index + 1 < len(budgets) else None
    _current, languages = _languages()
    revenue, expenditure, topics = [], [], []
    for line in _LINES.rows(budget.pk, (previous or row)["pk"]):
        if line["budget"] != budget.pk:
            continue  # the previous year's: only its plans, read into this year's
        line["name"] = _translated(line, "name", languages)[0]
        if line["kind"] == BudgetLine.Kind.REVENUE:
            revenue.append(line)
        else:
            expenditure.append(line)
            if line["topic_first"] == 1:
                topics.append(
                    {
                        "label": _topic_label(line["topic"]),
                        "topic": line["topic"],
                        "planned": line["topic_planned"],
                        "executed": line["topic_executed"],
                        "share": line["topic_share"],
                        "execution": line["topic_execution"],
                    }
                )
    # Largest first, then by topic (the topics are ASCII: any collation agrees).
    topics.sort(key=lambda topic: (-topic["planned"], topic["topic"]))
    taken_in = {}
    taken = {}
    for proposal in _TAKEN_IN.rows(budget.pk):
        taken[proposal["budget_line"]] = proposal["taken"]
        taken_in.setdefault(proposal["budget_line"], []).append(
            (proposal["pk"], {code: proposal[f"text_{code}"] for code in LANGUAGE_CODES})
        )
    for line in expenditure:
        line["proposal_links"] = _proposal_links(
            line["pk"], taken_in.get(line["pk"], ()), taken.get(line["pk"], 0)
        )
    documents = {document["kind"]: _document(document) for document in _DOCUMENTS.rows(budget.pk)}
    hearings = _hearing_dates(_HEARINGS.rows(budget.pk))

    # Where the money comes from: the largest revenue lines, then the rest
    # (summed in the database: the first line after them carries the sum).
    by_rank = {line["rank"]: line for line in revenue}
    top = [by_rank[rank] for rank in range(1, min(CHART_ROWS, len(revenue)) + 1)]
    sources = [(line["name"], line["planned"], line["percent"]) for line in top]
    rest = by_rank.get(CHART_ROWS + 1)
    if rest is not None:
        sources.append(
            (
                _("Other revenue (%(count)s lines)") % {"count": rest["tail_count"]},
                rest["tail_planned"],
                _percent(rest["tail_planned"], budget.revenue_planned),
            )
        )

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
            "year": previous["year"],
            "rows": [
                {
                    "label": label,
                    "before": before,
                    "now": now,
                    "difference": now - before,
                    "percent": _percent(now - before, before),
                }
                for label, before, now in [
                    (_("Revenue planned"), previous["revenue_planned"], budget.revenue_planned),
                    (
                        _("Expenditure planned"),
                        previous["expenditure_planned"],
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
    return {
        "budget": budget,
        "previous": previous,
        "change": change,
        "years": _years(budgets),
        "revenue": revenue,
        "revenue_rows": _line_rows(revenue, executed, change),
        "expenditure": expenditure,
        "expenditure_rows": _line_rows(expenditure, executed, change),
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
    }
