"""budget/services.py and the file names of budget documents, in the cases
the admin's journey does not reach: a file with a header only, a row the
library could not save, an error of the whole file."""

import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils.translation import gettext

from budget import imports, services
from budget.models import BudgetLine, document_file_name
from tests.factories import LocalBudgetFactory

HEADER = ["kind", "code", "name_ky", "name_ru", "planned"]


@pytest.fixture
def budget(municipality):
    return LocalBudgetFactory(municipality=municipality, year=2025)


def test_a_file_with_its_header_only_imports_nothing_and_says_so(budget):
    report = services.import_budget_lines(budget, imports.from_rows(HEADER, []))
    assert not report.ok
    assert report.errors == [(1, [gettext("The file has no rows under its header.")])]
    assert not BudgetLine.objects.exists()


def test_a_row_the_library_could_not_save_is_reported_and_nothing_saved(budget):
    rows = [
        ["чыгашалар", "2311", "Китепканалар", "Библиотеки", "600 000"],
        ["чыгашалар", "2312", "Маданият үйү", "Дом культуры", "900 000"],
    ]
    real = imports.BudgetLineResource.import_data

    def failing(self, dataset, **kwargs):
        result = real(self, dataset, **kwargs)
        result.rows[1].errors = [SimpleNamespace(error="disk full")]
        result.base_errors.append(SimpleNamespace(error="the sheet is protected"))
        return result

    with mock.patch.object(imports.BudgetLineResource, "import_data", failing):
        report = services.import_budget_lines(budget, imports.from_rows(HEADER, rows))
    assert [number for number, _messages in report.errors] == [3, 1]
    assert "disk full" in report.errors[0][1][0]
    assert report.errors[1][1] == ["the sheet is protected"]
    assert not BudgetLine.objects.exists()


def test_a_documents_stored_name_cannot_be_guessed():
    first = document_file_name(None, "Токтом №23.PDF")
    second = document_file_name(None, "Токтом №23.PDF")
    assert re.fullmatch(r"documents/\d{4}/[\w-]{32}\.pdf", first)
    assert first != second
    assert "." not in document_file_name(None, "scan").rsplit("/", 1)[-1]
