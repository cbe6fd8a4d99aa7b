"""Proposal register for staff (CSV and XLSX), with the authors' contacts."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exports import csv_response, xlsx_response

WIDTHS = (11, 10, 60, 18, 14, 14, 30, 24, 20, 24, 50, 12, 20, 16, 24)


def proposal_rows(proposals):
    proposals = proposals.select_related("village", "hearing", "group").order_by("submitted_at")
    header = [
        _("Tracking code"),
        _("Kind"),
        _("Text"),
        _("Topic"),
        _("Village"),
        _("Origin"),
        _("Hearing"),
        _("Initiative group"),
        _("Status"),
        _("Submitted"),
        _("Decision"),
        _("Decided on"),
        _("Author"),
        _("Phone"),
        _("E-mail"),
    ]
    rows = [
        [
            p.display_code,
            p.get_kind_display(),
            p.text,
            p.get_topic_display(),
            p.village.name if p.village else "",
            p.get_origin_display(),
            p.hearing.title if p.hearing else "",
            p.group.name if p.group else "",
            p.get_status_display(),
            timezone.localtime(p.submitted_at).strftime("%Y-%m-%d %H:%M"),
            p.decision,
            p.decided_on or "",
            p.author_name,
            p.author_phone,
            p.author_email,
        ]
        for p in proposals
    ]
    return header, rows


def proposals_csv(proposals):
    return csv_response("proposals", *proposal_rows(proposals))


def proposals_xlsx(proposals):
    return xlsx_response("proposals", _("Proposals"), *proposal_rows(proposals), widths=WIDTHS)
