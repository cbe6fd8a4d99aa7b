"""Projects with their funding for staff (CSV and XLSX): one row a
contribution, so that a spreadsheet sums or filters them by source."""

from django.utils.translation import gettext as _

from portal.exports import csv_response, xlsx_response

from .models import IN_KIND

WIDTHS = (50, 14, 10, 10, 24, 40, 14, 14, 40, 14)


def funding_rows(projects):
    """Header and rows of the given projects' contributions, in two queries.
    An undisclosed amount is written as such, never as 0 nor left blank."""
    projects = projects.prefetch_related("contributions").order_by("-started_on", "title", "pk")
    header = [
        _("Project"),
        _("Status"),
        _("Start year"),
        _("End year"),
        _("Source"),
        _("Who gave it"),
        _("Planned, som"),
        _("Actual, som"),
        _("Given in kind"),
        _("Estimated value, som"),
    ]
    undisclosed = _("not disclosed")
    rows = []
    for project in projects:
        about = [
            project.title,
            project.get_status_display(),
            project.started_on.year if project.started_on else "",
            project.ended_on.year if project.ended_on else "",
        ]
        contributions = project.contributions.all()
        if not contributions:
            # A project not funded yet still shows in the list.
            rows.append([*about, "", "", "", "", "", ""])
        for c in contributions:
            if c.disclosed:
                planned, actual, estimated = (
                    "" if value is None else value
                    for value in (c.planned, c.actual, c.estimated_value)
                )
            else:
                planned = actual = undisclosed
                estimated = undisclosed if c.kind in IN_KIND else ""
            rows.append(
                [
                    *about,
                    c.get_kind_display(),
                    c.source_name,
                    planned,
                    actual,
                    c.description,
                    estimated,
                ]
            )
    return header, rows


def projects_csv(projects):
    return csv_response("projects-funding", *funding_rows(projects))


def projects_xlsx(projects):
    return xlsx_response("projects-funding", _("Funding"), *funding_rows(projects), widths=WIDTHS)
