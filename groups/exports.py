"""Members exports for staff (CSV and XLSX). They hold private data:
phones and birth years. Never link them from public pages."""

import csv
import io

from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Membership, role_rank


def member_rows(groups):
    """Header and rows of every membership of the given groups, in one query."""
    memberships = (
        Membership.objects.filter(group__in=groups)
        .select_related("group", "person", "person__village")
        .order_by(
            "group__name", F("left_on").asc(nulls_first=True), role_rank(), "person__full_name"
        )
    )
    header = [
        _("Initiative group"),
        _("Full name"),
        _("Sex"),
        _("Birth year"),
        _("Village"),
        _("Categories"),
        _("Role"),
        _("Joined on"),
        _("Left on"),
        _("Phone"),
        _("Notes"),
    ]
    rows = [
        [
            m.group.name,
            m.person.full_name,
            m.person.get_sex_display(),
            m.person.birth_year or "",
            m.person.village.name if m.person.village else "",
            ", ".join(str(c) for c in m.person.get_categories_display()),
            m.get_role_display(),
            m.joined_on or "",
            m.left_on or "",
            m.person.phone,
            m.person.notes,
        ]
        for m in memberships
    ]
    return header, rows


def _filename(extension):
    return f"members-{timezone.localdate():%Y-%m-%d}.{extension}"


def members_csv(groups):
    header, rows = member_rows(groups)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    # The byte-order mark makes Excel read the Cyrillic text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def members_xlsx(groups):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = member_rows(groups)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Members")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJK", (30, 30, 8, 8, 16, 30, 12, 12, 12, 16, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
