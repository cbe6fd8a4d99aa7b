"""PDF reports for the council's sessions: one layer every report uses.

A report is a template extending reports/base.html and a context; this
module renders it with WeasyPrint on A4, with the council's letterhead, the
report's title and period and "page N of M" on every page, signature lines,
a QR code to the same data on the public site, embedded DejaVu fonts (which
carry ө ү ң) and PDF/UA tagging for screen readers.
"""

import datetime
import hashlib

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminDateWidget
from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Installed by the set-up (fonts-dejavu-core), never whatever the machine has.
FONTS = {
    "regular": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}


def qr_svg(url):
    """A QR code for phones at the session, as inline SVG."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=2, title=url)


def page_counter_css():
    """'page N of M' in the report's language, as CSS content for @page."""
    text = _("Page {page} of {pages}")
    parts = []
    for piece in text.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace('"', '\\"') + '"')
    return " ".join(parts)


def render(request, template, context, *, title, period="", public_url=None):
    """The PDF bytes of one report."""
    import weasyprint  # 0.7 s to import: only when a report is asked for

    municipality = request.municipality
    html = render_to_string(
        template,
        {
            **context,
            "title": title,
            "period": period,
            "municipality": municipality,
            "printed_on": timezone.localtime(),
            "page_counter": page_counter_css(),
            "fonts": FONTS,
            "qr": qr_svg(request.build_absolute_uri(public_url)) if public_url else "",
            "public_url": request.build_absolute_uri(public_url) if public_url else "",
        },
        request=request,
    )
    # The HTML holds every figure, name and date the PDF shows (the date
    # printed too), so its hash names the PDF: an unchanged report is served
    # again without laying out its pages anew (2.5 s for 300 items), and any
    # change of the data gives a new key.
    key = "report:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = caches["reports"].get(key)
    if pdf is None:
        document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
        caches["reports"].set(key, pdf)
    return pdf


def response(request, template, context, *, title, period="", public_url=None, name="report"):
    """An HTTP response with the PDF, named for the report, its language and date."""
    pdf = render(request, template, context, title=title, period=period, public_url=public_url)
    filename = f"{slugify(name)}-{get_language()}-{timezone.localdate():%Y-%m-%d}.pdf"
    result = HttpResponse(pdf, content_type="application/pdf")
    result["Content-Disposition"] = f'inline; filename="{filename}"'
    return result


# The council session pack's sections, in order: each a function of
# (municipality, start, end) returning a title, a template and its data.
# The budget and the projects add theirs here.
SESSION_SECTIONS = [
    "hearings.reports.session_hearings",
    "hearings.reports.session_decisions",
    "groups.reports.session_groups",
    "budget.reports.session_budget",
    "projects.reports.session_projects",
]


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=AdminDateWidget)
    date_to = forms.DateField(label=_("To"), widget=AdminDateWidget)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The period ends before it starts."))
        return cleaned


def period(request):
    """The period a report covers, from ?date_from=&date_to=; this year by default."""
    today = timezone.localdate()
    form = PeriodForm(
        request.GET
        or {
            "date_from": datetime.date(today.year, 1, 1),
            "date_to": datetime.date(today.year, 12, 31),
        }
    )
    if not form.is_valid():
        return None, None, None, form
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    label = _("%(start)s – %(end)s") % {
        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
    }
    return start, end, label, form


def session_pack(request, start, end, label):
    """One PDF for a council session, with a table of contents."""
    sections = []
    for number, path in enumerate(SESSION_SECTIONS, start=1):
        section = import_string(path)(request.municipality, start, end)
        section["anchor"] = f"section-{number}"
        sections.append(section)
    return response(
        request,
        "reports/session_pack.html",
        {"sections": sections},
        title=_("Council session pack"),
        period=label,
        name="session-pack",
    )
