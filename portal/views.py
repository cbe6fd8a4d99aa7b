from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from groups.models import InitiativeGroup, Person
from hearings.models import Hearing

from .middleware import municipality_or_404


def home(request):
    municipality = municipality_or_404(request)
    context = {
        "municipality": municipality,
        "next_hearing": Hearing.objects.filter(municipality=municipality)
        .upcoming()
        .select_related("village")
        .order_by("starts_at")
        .first(),
        "group_count": InitiativeGroup.objects.filter(municipality=municipality).active().count(),
        "group_figures": Person.objects.filter(municipality=municipality)
        .current_members()
        .composition(),
    }
    return render(request, "portal/home.html", context)


def contacts(request):
    municipality = municipality_or_404(request)
    villages = municipality.villages.all()
    return render(
        request, "portal/contacts.html", {"municipality": municipality, "villages": villages}
    )


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def favicon(request):
    # Browsers ask for /favicon.ico even on pages (the admin) that name no icon.
    return redirect(static("img/favicon.svg"), permanent=True)
