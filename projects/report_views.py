"""The public PDF of the community projects (projects/reports.py)."""

from portal.middleware import municipality_or_404

from . import reports


def projects_pdf(request):
    municipality_or_404(request)
    return reports.projects_report(request)
