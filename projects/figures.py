"""Funding and beneficiary figures summed in the database, for one project
or for the whole municipality. A contribution without an amount (undisclosed,
or not given) is never counted as zero: each row and total carries the count
of such contributions beside its sum, and the pages say so."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, NullIf, Round
from django.db.models.lookups import GreaterThan

from portal.facts import remembered
from portal.queries import built_once

from .models import AMOUNT, SOM, ZERO, FundingContribution, Project, SourceKind

# A contribution counts in a sum when its amount is disclosed and known.
KNOWN = Q(disclosed=True) & (
    Q(actual__isnull=False) | Q(planned__isnull=False) | Q(estimated_value__isnull=False)
)
BENEFICIARIES = ("households", "families", "women", "men", "children", "pupils")


def by_kind(contributions, total):
    """Per source kind: the known sum (`known`, None when no amount of that
    kind is known), how many contributions have no amount (`unknown`) and the
    kind's share (%) of `total`, the known funding. Largest first."""
    known = Sum(AMOUNT, filter=KNOWN)
    rows = (
        contributions.order_by()
        .values("kind")
        .annotate(
            known=known,
            unknown=Count("pk", filter=~KNOWN),
            share=Round(
                known * 100 / NullIf(Value(total or 0, output_field=DecimalField(**SOM)), ZERO),
                1,
            ),
        )
        .order_by(F("known").desc(nulls_last=True), "kind")
    )
    labels = dict(SourceKind.choices)
    return [{**row, "label": labels.get(row["kind"], row["kind"])} for row in rows]


def with_kind_figures(contributions):
    """`contributions` annotated with kind_figures()."""
    return contributions.annotate(**kind_figures())


def kind_figures():
    """Each contribution with its kind's figures and its project's beside
    it, summed by window functions over the project's contributions: the
    project page lists the contributions and sums them in one query.

    kind_known, kind_unknown, kind_share: as by_kind() gives them;
    project_known, project_local, project_unknown, project_cofinancing: as
    ProjectQuerySet.with_funding() gives funding_known, funding_local,
    funding_undisclosed and cofinancing (None instead of 0 when the project
    has no contribution at all: use project_funding())."""
    project = [F("project_id")]
    kind = [F("project_id"), F("kind")]
    known = Sum(AMOUNT, filter=KNOWN)
    total = Window(known, partition_by=project)
    local = Window(
        Sum(AMOUNT, filter=KNOWN & Q(kind=SourceKind.LOCAL_BUDGET)), partition_by=project
    )
    return {
        "kind_known": Window(known, partition_by=kind),
        "kind_unknown": Window(Count("pk", filter=~KNOWN), partition_by=kind),
        "kind_share": Round(Window(known, partition_by=kind) * 100 / NullIf(total, ZERO), 1),
        "project_known": Coalesce(total, ZERO),
        "project_local": Coalesce(local, ZERO),
        "project_unknown": Window(Count("pk", filter=~KNOWN), partition_by=project),
        # Som from other sources per som of the local budget.
        "project_cofinancing": Round((total - local) / NullIf(local, ZERO), 2),
    }


def project_funding(contributions):
    """A project's funding figures from its contributions read through
    with_kind_figures(): known, local, unknown, cofinancing."""
    if not contributions:
        return {"known": ZERO.value, "local": ZERO.value, "unknown": 0, "cofinancing": None}
    first = contributions[0]
    return {
        "known": first.project_known,
        "local": first.project_local,
        "unknown": first.project_unknown,
        "cofinancing": first.project_cofinancing,
    }


def kinds_of(contributions):
    """by_kind()'s rows from contributions read through with_kind_figures()
    in their order (by kind): each kind once, largest known sum first."""
    labels = dict(SourceKind.choices)
    rows = {}
    for contribution in contributions:
        if contribution.kind not in rows:
            rows[contribution.kind] = {
                "kind": contribution.kind,
                "known": contribution.kind_known,
                "unknown": contribution.kind_unknown,
                "share": contribution.kind_share,
                "label": labels.get(contribution.kind, contribution.kind),
            }
    # A stable sort: equal sums keep the database's order of the kinds.
    return sorted(rows.values(), key=lambda row: (row["known"] is None, -(row["known"] or 0)))


class OverAll(Func):
    """An aggregate's total over all the groups of a grouped query (a window
    over the whole result), so the grand total comes with the rows."""

    template = "SUM(%(expressions)s) OVER ()"
    window_compatible = False


@built_once
def _project_figures():
    """Per municipality: its projects, those with an amount not known, the
    years they ran, and their beneficiaries summed."""
    # Counted per project through the contributions' index: as an EXISTS,
    # PostgreSQL would hash every unknown contribution of the country.
    unknown = Subquery(
        FundingContribution.objects.filter(project=OuterRef("pk"))
        .filter(~KNOWN)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Project.objects.order_by()
        .values("municipality")
        .annotate(
            projects=Count("pk"),
            unknown_projects=Count("pk", filter=GreaterThan(unknown, 0)),
            # The years any project ran, for the list's filter: from the first
            # start to the last end (or start, while the end is unknown).
            first=Min(ExtractYear("started_on")),
            last=Max(Coalesce(ExtractYear("ended_on"), ExtractYear("started_on"))),
            **{field: Sum(field) for field in BENEFICIARIES},
        )
    )


@built_once
def _kind_figures():
    """Per source kind: known sum, count without an amount, share; and the
    grand totals beside each row."""
    known = Sum(AMOUNT, filter=KNOWN)
    missing = Count("pk", filter=~KNOWN)
    total = OverAll(known)
    return (
        FundingContribution.objects.order_by()
        .values("kind")
        .annotate(
            known=known,
            unknown=missing,
            share=Round(known * 100 / NullIf(total, ZERO), 1),
            total_known=Coalesce(total, ZERO),
            total_unknown=OverAll(missing),
        )
        .order_by(F("known").desc(nulls_last=True), "kind")
    )


def remembered_totals(municipality):
    """municipality_totals(), kept as a fact: any write to the
    municipality's projects or their funding drops it."""
    return remembered(municipality.pk, "projects", lambda: municipality_totals(municipality))


def municipality_totals(municipality):
    """Funds by source kind across the municipality's projects, their known
    total with the count of contributions (and projects) without an amount,
    and the beneficiaries summed over the projects. Two queries: the
    projects' figures, and the kinds with the grand totals beside them."""
    projects = next(
        iter(_project_figures().filter(municipality=municipality)),
        # No project: no group.
        {"projects": 0, "unknown_projects": 0, "first": None, "last": None}
        | dict.fromkeys(BENEFICIARIES),
    )
    rows = list(_kind_figures().filter(project__municipality=municipality))
    labels = dict(SourceKind.choices)
    return {
        # No contribution at all: no row to carry the totals.
        "known": rows[0]["total_known"] if rows else Decimal(0),
        "unknown": rows[0]["total_unknown"] if rows else 0,
        "unknown_projects": projects["unknown_projects"],
        "kinds": [
            {
                "kind": row["kind"],
                "known": row["known"],
                "unknown": row["unknown"],
                "share": row["share"],
                "label": labels.get(row["kind"], row["kind"]),
            }
            for row in rows
        ],
        "projects": projects["projects"],
        "years": list(range(projects["last"], projects["first"] - 1, -1))
        if projects["first"] is not None
        else [],
        "beneficiaries": {field: projects[field] for field in BENEFICIARIES},
    }
