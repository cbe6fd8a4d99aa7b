"""The admin's reports page: the council secretary picks a period and prints.

Every report here is also a template and a query (portal/reports.py); this
module only checks who asks and for which period.
"""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from groups.reports import groups_report
from hearings.reports import proposal_register

from . import reports


def _allowed(request):
    # Staff (and later the secretary) read proposals; moderators do not.
    if not request.user.has_perm("hearings.view_proposal"):
        raise PermissionDenied


def _budget_reports(request):
    """The programmes and published budgets whose PDFs can be printed."""
    from budget.models import DevelopmentProgramme, LocalBudget

    municipality = request.municipality
    return {
        "programmes": DevelopmentProgramme.objects.filter(municipality=municipality).exclude(
            status=DevelopmentProgramme.Status.DRAFT
        ),
        "budgets": LocalBudget.objects.filter(municipality=municipality).published(),
    }


def reports_page(request, admin_site, form=None):
    _allowed(request)
    if form is None:
        form = reports.period(request)[3]
    return TemplateResponse(
        request,
        "admin/reports.html",
        {
            **admin_site.each_context(request),
            "title": _("Reports for the council"),
            "form": form,
            **_budget_reports(request),
        },
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


def _report(request, admin_site, render):
    _allowed(request)
    start, end, label, form = reports.period(request)
    if start is None:
        return reports_page(request, admin_site, form)
    return render(start, end, label)


def groups_pdf(request, admin_site):
    return _report(
        request, admin_site, lambda start, end, label: groups_report(request, start, end, label)
    )


def session_pdf(request, admin_site):
    return _report(
        request,
        admin_site,
        lambda start, end, label: reports.session_pack(request, start, end, label),
    )


def register_pdf(request, admin_site):
    from hearings.views import filtered_proposals

    def render(start, end, label):
        proposals, _count, form = filtered_proposals(request, request.municipality)
        proposals = proposals.filter(submitted_at__date__range=(start, end))
        return proposal_register(request, proposals, form, period=label)

    return _report(request, admin_site, render)
