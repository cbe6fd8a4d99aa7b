from django.urls import path

from . import report_views

# The PDF apart from the pages' URLs (projects/urls.py).
app_name = "projects_reports"
urlpatterns = [
    path("projects/report.pdf", report_views.projects_pdf, name="projects_pdf"),
]
