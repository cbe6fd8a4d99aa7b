"""Writes to the budget app that are more than one row.

Transactions are `with transaction.atomic():` blocks, not the decorator:
mutation testing (`make mutate`) skips decorated functions."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult

from . import imports
from .models import LocalBudget


@dataclass
class ImportRow:
    number: int  # as the spreadsheet numbers it
    is_new: bool
    line: object  # the BudgetLine as it would be (or was) saved
    original: object = None  # the line before, for an update


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    # (row number, [messages]); row 1 is the header.
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def created(self):
        return sum(row.is_new for row in self.rows)

    @property
    def updated(self):
        return sum(not row.is_new for row in self.rows)


def import_budget_lines(budget, dataset, *, update=False, dry_run=False):
    """Import the rows of `dataset` (imports.read_file) into `budget`, all or
    nothing: with any bad row nothing is saved, and the report names each one.
    A dry run checks every row the same way and saves nothing."""
    report = ImportReport()
    missing = imports.column_errors(dataset)
    if missing:
        report.errors.append((1, missing))
        return report
    if not len(dataset):
        report.errors.append((1, [_("The file has no rows under its header.")]))
        return report
    with transaction.atomic():
        # One import into a budget at a time: the duplicate checks hold.
        LocalBudget.objects.select_for_update().filter(pk=budget.pk).first()
        resource = imports.BudgetLineResource(budget, update=update)
        result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True)
        for row, row_result in zip(dataset.dict, result.rows, strict=True):
            number = row[imports.ROW]
            if row_result.validation_error is not None:
                report.errors.append((number, imports.error_messages(row_result.validation_error)))
            elif row_result.errors:
                report.errors.append(
                    (
                        number,
                        [
                            _("The row could not be saved: %(error)s")
                            % {"error": row_result.errors[0].error}
                        ],
                    )
                )
            else:
                report.rows.append(
                    ImportRow(
                        number=number,
                        is_new=row_result.import_type == RowResult.IMPORT_TYPE_NEW,
                        line=row_result.instance,
                        original=row_result.original,
                    )
                )
        for error in result.base_errors:
            report.errors.append((1, [str(error.error)]))
        if not report.ok or dry_run:
            transaction.set_rollback(True)
    return report
