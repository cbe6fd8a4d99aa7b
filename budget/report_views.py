"""Public PDF reports of programmes and budgets (budget/reports.py)."""

from django.shortcuts import get_object_or_404

from portal.middleware import municipality_or_404

from . import reports
from .models import DevelopmentProgramme, LocalBudget


def citizens_budget_pdf(request, year):
    budget = get_object_or_404(
        LocalBudget.objects.published().select_related("resolution"),
        municipality=municipality_or_404(request),
        year=year,
    )
    return reports.citizens_budget(request, budget)


def programme_pdf(request, pk):
    programme = get_object_or_404(
        DevelopmentProgramme.objects.exclude(
            status=DevelopmentProgramme.Status.DRAFT
        ).select_related("resolution"),
        municipality=municipality_or_404(request),
        pk=pk,
    )
    return reports.programme_report(request, programme)
