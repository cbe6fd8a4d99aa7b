from django.urls import path

from . import views

app_name = "hearings"
urlpatterns = [
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing_detail"),
    path(
        "hearings/<int:pk>/protocol.pdf",
        views.hearing_protocol_pdf,
        name="hearing_protocol_pdf",
    ),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/register.pdf", views.proposal_register_pdf, name="proposal_register_pdf"),
    path("proposals/track/", views.track, name="track"),
    path("proposals/track/<str:code>/", views.track_code, name="track_code"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
]
