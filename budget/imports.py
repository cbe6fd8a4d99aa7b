"""Budget lines from the finance office's spreadsheets (XLSX or CSV).

django-import-export does the row work: tablib reads the file, a Resource
cleans each cell with the widgets below, finds the line a row updates,
validates the model and runs it all in one transaction. The two admin pages
(upload and preview, then confirm) are budget/admin.py's own: the library's
admin mixin imports into a whole model, while here a file goes into one
chosen budget, with row numbers as the spreadsheet shows them.
"""

import csv
import datetime
import functools
import re
from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from portal.choices import Topic

from .models import BudgetLine

COLUMNS = ("kind", "code", "name_ky", "name_ru", "topic", "planned", "revised", "executed")
REQUIRED = ("kind", "code", "name_ky", "name_ru", "planned")
# The spreadsheet's own number of each row (the header is row 1), carried
# beside the data so that blank rows left out do not shift the numbers.
ROW = "_row"
MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 3000

# The template's two example rows.
EXAMPLES = [
    ("кирешелер", "1.1.1", "Жер салыгы", "Земельный налог", "", "1 250 000,50", "", ""),
    ("чыгашалар", "2.1.3", "Китепканалар", "Библиотеки", "culture", "350 000", "360 000", ""),
]

# What the finance office writes in the "kind" column, in any of the three
# languages (the choices' own labels in each language are added).
KIND_WORDS = {
    BudgetLine.Kind.REVENUE: {
        "revenue",
        "revenues",
        "income",
        "кирешелер",
        "киреше",
        "доходы",
        "доход",
    },
    BudgetLine.Kind.EXPENDITURE: {
        "expenditure",
        "expenditures",
        "expenses",
        "чыгашалар",
        "чыгаша",
        "чыгымдар",
        "чыгым",
        "расходы",
        "расход",
    },
}


class FileError(Exception):
    """A file that cannot be read at all."""


def _key(value):
    return " ".join(str(value or "").split()).lower()


@functools.cache
def _labels(name):
    """{written form: value}: the values of a column's choices and their labels
    in every language (once: the catalogues do not change while running)."""
    choices = {"kind": BudgetLine.Kind.choices, "topic": Topic.choices}[name]
    words = {}
    for value, label in choices:
        words[_key(value)] = value
        for language in ("en", *dict(_languages())):
            with translation.override(language):
                words[_key(label)] = value
    return words


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


def _cell(value):
    """A cell as text: Excel's numbers as a person would type them."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _decode(content):
    # Excel saves CSV as UTF-8 with a BOM, or in the Cyrillic Windows code page.
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("The CSV file is in an unknown encoding: save it as UTF-8."))


def _read_csv(content):
    text = _decode(content)
    first = text.splitlines()[0] if text.strip() else ""
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return tablib.Dataset().load(text, format="csv", delimiter=delimiter)


def read_file(upload):
    """The uploaded file as a tablib.Dataset of text cells, its headers in
    lower case, blank rows left out, each row with its sheet number (ROW)."""
    name = upload.name.lower()
    if upload.size > MAX_FILE_SIZE:
        raise FileError(_("The file is larger than 2 MB."))
    content = upload.read()
    if name.endswith(".xlsx"):
        try:
            sheet = base_formats.XLSX().create_dataset(content)
        except Exception as error:
            raise FileError(_("The file could not be read as an Excel (XLSX) workbook.")) from error
    elif name.endswith(".csv"):
        try:
            sheet = _read_csv(content)
        except FileError:
            raise
        except Exception as error:
            raise FileError(_("The file could not be read as a CSV table.")) from error
    else:
        raise FileError(_("Choose an Excel (XLSX) or CSV file."))
    return from_rows(sheet.headers or [], list(sheet))


def from_rows(headers, rows, numbers=None):
    """A Dataset of text cells from headers and rows (numbered from row 2)."""
    headers = [_key(header) for header in headers]
    dataset = tablib.Dataset(headers=[*headers, ROW])
    for index, row in enumerate(rows):
        cells = [_cell(value) for value in row][: len(headers)]
        cells += [""] * (len(headers) - len(cells))
        if not any(cells):
            continue
        dataset.append([*cells, numbers[index] if numbers else index + 2])
    if len(dataset) > MAX_ROWS:
        raise FileError(_("The file has more than %(count)d rows.") % {"count": MAX_ROWS})
    return dataset


def column_errors(dataset):
    """What is wrong with the header row (row 1)."""
    headers = dataset.headers[:-1]
    messages = [
        _("The column “%(column)s” is missing.") % {"column": column}
        for column in REQUIRED
        if column not in headers
    ]
    messages += [
        _("The column “%(column)s” appears twice.") % {"column": column}
        for column in dict.fromkeys(headers)
        if column and headers.count(column) > 1
    ]
    return messages


class TextWidget(widgets.Widget):
    def __init__(self, required=True):
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").split())
        if self.required and not text:
            raise ValueError(_("This cell is empty."))
        return text


class KindWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        words = dict(_labels("kind"))
        for kind, written in KIND_WORDS.items():
            words.update(dict.fromkeys(written, kind))
        kind = words.get(_key(value))
        if kind is None:
            raise ValueError(
                _("“%(value)s” is neither revenue nor expenditure.") % {"value": value or ""}
            )
        return kind


class TopicWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if not _key(value):
            return ""
        topic = _labels("topic").get(_key(value))
        if topic is None:
            raise ValueError(_("“%(value)s” is not a known topic.") % {"value": value})
        return topic


AMOUNT = re.compile(r"^\d+(\.\d+)?$")


class AmountWidget(widgets.Widget):
    """Som as people type them: "1 250 000,50", "350000", "12.5"."""

    def __init__(self, required=True):
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"[\s\u00a0\u202f']", "", str(value or "")).replace(",", ".")
        if not text:
            if self.required:
                raise ValueError(_("This cell is empty."))
            return None
        if text.startswith("-") and AMOUNT.match(text[1:]):
            raise ValueError(_("An amount cannot be negative."))
        if not AMOUNT.match(text):
            raise ValueError(_("“%(value)s” is not an amount in som.") % {"value": value})
        return Decimal(text)


def _field(name, widget):
    return fields.Field(attribute=name, column_name=name, widget=widget)


class BudgetLineResource(resources.ModelResource):
    """The lines of one budget. A row whose kind and code the budget already
    has is an error, unless `update` is asked for: then it updates that line."""

    kind = _field("kind", KindWidget())
    code = _field("code", TextWidget())
    name_ky = _field("name_ky", TextWidget())
    name_ru = _field("name_ru", TextWidget(required=False))
    topic = _field("topic", TopicWidget())
    planned = _field("planned", AmountWidget())
    revised = _field("revised", AmountWidget(required=False))
    executed = _field("executed", AmountWidget(required=False))

    class Meta:
        model = BudgetLine
        fields = COLUMNS
        import_id_fields = ("kind", "code")
        store_instance = True
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, budget, *, update=False):
        super().__init__()
        self.budget = budget
        self.update = update
        self.seen = {}
        self.existing = set()

    def get_queryset(self):
        return BudgetLine.objects.filter(budget=self.budget)

    def before_import(self, dataset, **kwargs):
        self.seen = {}
        self.existing = set(self.get_queryset().values_list("kind", "code"))

    def get_instance(self, instance_loader, row):
        if not self.update:
            return None
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # a bad kind: the row's own errors say so

    def init_instance(self, row=None):
        return BudgetLine(budget=self.budget)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "kind" not in errors and "code" not in errors:
            key = (instance.kind, instance.code)
            first = self.seen.setdefault(key, row[ROW])
            if first != row[ROW]:
                errors["code"] = [
                    _("The code %(code)s is already in row %(row)s of this file.")
                    % {"code": instance.code, "row": first}
                ]
            elif not self.update and key in self.existing:
                errors["code"] = [
                    _("The budget already has a line with the code %(code)s.")
                    % {"code": instance.code}
                ]
        if errors:
            raise ValidationError(errors)


def error_messages(validation_error):
    """A row's errors as "column: message" lines."""
    messages = []
    for field, errors in validation_error.message_dict.items():
        for message in errors:
            messages.append(message if field == NON_FIELD_ERRORS else f"{field}: {message}")
    return messages


def template_dataset():
    return tablib.Dataset(*EXAMPLES, headers=COLUMNS)
