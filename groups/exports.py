"""Members exports for staff (CSV and XLSX). They hold private data:
phones and birth years. Never link them from public pages."""

from django.db.models import F
from django.utils.translation import gettext as _

from portal.exports import csv_response, xlsx_response

from .models import Membership, role_rank

WIDTHS = (30, 30, 8, 8, 16, 30, 12, 12, 12, 16, 30)


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


def members_csv(groups):
    return csv_response("members", *member_rows(groups))


def members_xlsx(groups):
    return xlsx_response("members", _("Members"), *member_rows(groups), widths=WIDTHS)
