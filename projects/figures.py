"""Funding and beneficiary figures summed in the database, for one project
or for the whole municipality. A contribution without an amount (undisclosed,
or not given) is never counted as zero: each row and total carries the count
of such contributions beside its sum, and the pages say so."""

from django.db.models import Count, DecimalField, F, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, NullIf, Round

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


def municipality_totals(municipality):
    """Funds by source kind across the municipality's projects, their known
    total with the count of contributions (and projects) without an amount,
    and the beneficiaries summed over the projects."""
    contributions = FundingContribution.objects.filter(project__municipality=municipality)
    summary = contributions.aggregate(
        known=Coalesce(Sum(AMOUNT, filter=KNOWN), ZERO),
        unknown=Count("pk", filter=~KNOWN),
        unknown_projects=Count("project", filter=~KNOWN, distinct=True),
    )
    projects = Project.objects.filter(municipality=municipality).aggregate(
        projects=Count("pk"),
        # The years any project ran, for the list's filter: from the first
        # start to the last end (or start, while the end is unknown).
        first=Min(ExtractYear("started_on")),
        last=Max(Coalesce(ExtractYear("ended_on"), ExtractYear("started_on"))),
        **{field: Sum(field) for field in BENEFICIARIES},
    )
    first, last = projects.pop("first"), projects.pop("last")
    return {
        **summary,
        "kinds": by_kind(contributions, summary["known"]),
        "projects": projects.pop("projects"),
        "years": list(range(last, first - 1, -1)) if first is not None else [],
        "beneficiaries": projects,
    }
