from django.urls import path

from . import report_views

# The PDFs apart from the pages' URLs (budget/urls.py).
app_name = "budget_reports"
urlpatterns = [
    path(
        "budget/<int:year>/citizens-budget.pdf",
        report_views.citizens_budget_pdf,
        name="citizens_budget_pdf",
    ),
    path("programmes/<int:pk>/report.pdf", report_views.programme_pdf, name="programme_pdf"),
]
