"""CSV and XLSX downloads for staff. Callers decide what rows go out."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from .text import strip_control

# A cell starting with one of these is a formula to Excel: text from residents
# must never run as one (e.g. =HYPERLINK(...)).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell value that spreadsheets show as typed: no formulas, no control characters."""
    if not isinstance(value, str):
        return value
    value = strip_control(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _safe_rows(rows):
    return [[safe_cell(value) for value in row] for row in rows]


def _filename(stem, extension):
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(stem, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    # The byte-order mark makes Excel read the Cyrillic text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(_safe_rows(rows))
    return response


def xlsx_response(stem, title, header, rows, widths=()):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _safe_rows(rows):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "xlsx")}"'
    return response
