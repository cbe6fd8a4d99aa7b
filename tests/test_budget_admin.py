"""The budget app's admin, as the ayil okmotu's staff use it: resolutions,
programmes with their priorities, budgets with their lines and documents,
and the import of budget lines from the finance office's XLSX and CSV files."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from budget.models import BudgetLine, CouncilResolution, DevelopmentProgramme, LocalBudget
from tests.factories import (
    BudgetLineFactory,
    CouncilResolutionFactory,
    DevelopmentProgrammeFactory,
    LocalBudgetFactory,
    MunicipalityFactory,
    PriorityFactory,
)

HEADER = "kind;code;name_ky;name_ru;topic;planned;revised;executed"
GOOD_ROWS = [
    "кирешелер;1.1.1;Жер салыгы;Земельный налог;;1 250 000,50;;",
    "расходы;2.1.3;Китепканалар;Библиотеки;culture;350 000;360 000;120000",
    "expenditure;2.1.4;Мектеп автобусу;Школьный автобус;transport;250000;;",
]


@pytest.fixture
def staff_client(client, clerk, municipality):
    client.force_login(clerk)
    return client


@pytest.fixture
def budget(municipality):
    return LocalBudgetFactory(municipality=municipality, year=2025)


def import_url(budget):
    return reverse("admin:budget_localbudget_import", args=[budget.pk])


def csv_file(*rows, header=HEADER, name="lines.csv"):
    return SimpleUploadedFile(name, "\n".join([header, *rows]).encode())


def xlsx_file(*rows, name="lines.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    content = io.BytesIO()
    book.save(content)
    return SimpleUploadedFile(name, content.getvalue())


def upload(client, budget, file, **extra):
    return client.post(import_url(budget), {"file": file, **extra})


def confirm(client, budget, preview):
    return client.post(import_url(budget), {"payload": preview.context["payload"]})


def form_data(response):
    """What the change form would send as drawn: the main form's and every
    inline formset's initial values with their management forms."""
    data = {}
    admin_form = response.context["adminform"].form
    for name, field in admin_form.fields.items():
        value = admin_form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
    return data


# --- Budgets with their lines, as staff type them -------------------------


def test_staff_add_a_budget_with_its_lines_typed_in(staff_client, municipality):
    add = reverse("admin:budget_localbudget_add")
    page = staff_client.get(add)
    assert page.status_code == 200
    data = form_data(page)
    assert data["municipality"] == municipality.pk  # preselected
    data.update(
        {
            "year": "2026",
            "status": "draft",
            "population": "12000",
            "lines-0-kind": "revenue",
            "lines-0-code": "1.1.1",
            "lines-0-name_ky": "Жер салыгы",
            "lines-0-name_ru": "Земельный налог",
            "lines-0-planned": "1250000.50",
            "lines-1-kind": "expenditure",
            "lines-1-code": "2.1.3",
            "lines-1-name_ky": "Китепканалар",
            "lines-1-name_ru": "Библиотеки",
            "lines-1-topic": "culture",
            "lines-1-planned": "350000",
        }
    )
    response = staff_client.post(add, data)
    assert response.status_code == 302, response.context["errors"]
    budget = LocalBudget.objects.with_totals().get(municipality=municipality, year=2026)
    assert budget.revenue_planned == Decimal("1250000.50")
    assert budget.expenditure_planned == Decimal("350000")
    assert set(budget.lines.values_list("code", "name_ru")) == {
        ("1.1.1", "Земельный налог"),
        ("2.1.3", "Библиотеки"),
    }


def test_a_budget_document_needs_a_file_or_a_link(staff_client, budget):
    change = reverse("admin:budget_localbudget_change", args=[budget.pk])
    data = form_data(staff_client.get(change))
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-kind": "approved",
            "documents-0-published_on": "2024-12-20",
        }
    )
    response = staff_client.post(change, data)
    assert response.status_code == 200
    assert not budget.documents.exists()
    data["documents-0-link"] = "https://example.kg/budget-2025.pdf"
    assert staff_client.post(change, data).status_code == 302
    assert budget.documents.get().link.endswith("budget-2025.pdf")


def test_the_budget_list_shows_totals_summed_by_the_database(staff_client, budget):
    BudgetLineFactory(budget=budget, kind="revenue", planned=1_000_000, executed=900_000)
    BudgetLineFactory(budget=budget, kind="expenditure", planned=250_000)
    BudgetLineFactory(budget=budget, kind="expenditure", planned=50_000)
    response = staff_client.get(reverse("admin:budget_localbudget_changelist"))
    row = next(r for r in response.context["cl"].result_list if r.pk == budget.pk)
    assert (row.revenue_planned, row.expenditure_planned) == (1_000_000, 300_000)
    assert "1\xa0000\xa0000" in response.text
    assert "300\xa0000" in response.text


def test_the_budget_page_offers_the_import(staff_client, budget):
    response = staff_client.get(reverse("admin:budget_localbudget_change", args=[budget.pk]))
    assert import_url(budget) in response.text


# --- Import: preview, then confirm ---------------------------------------


def test_a_csv_file_is_previewed_then_imported_on_confirmation(staff_client, budget):
    preview = upload(staff_client, budget, csv_file(*GOOD_ROWS))
    assert preview.status_code == 200
    report = preview.context["report"]
    assert report.ok
    assert [(row.number, row.is_new, row.line.code) for row in report.rows] == [
        (2, True, "1.1.1"),
        (3, True, "2.1.3"),
        (4, True, "2.1.4"),
    ]
    assert "Земельный налог" in preview.text
    assert not budget.lines.exists()  # nothing saved by the preview

    done = confirm(staff_client, budget, preview)
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:budget_localbudget_change", args=[budget.pk])
    lines = {line.code: line for line in budget.lines.all()}
    assert set(lines) == {"1.1.1", "2.1.3", "2.1.4"}
    assert lines["1.1.1"].kind == "revenue"
    assert lines["1.1.1"].planned == Decimal("1250000.50")
    assert lines["2.1.3"].kind == "expenditure"
    assert (lines["2.1.3"].revised, lines["2.1.3"].executed) == (360_000, 120_000)
    assert lines["2.1.3"].topic == "culture"
    assert lines["2.1.4"].name_ky == "Мектеп автобусу"
    assert lines["1.1.1"].revised is None


def test_an_xlsx_file_is_imported_with_excels_numbers(staff_client, budget):
    file = xlsx_file(
        HEADER.split(";"),
        ["доходы", "1.1.1", "Жер салыгы", "Земельный налог", None, 1250000.5, None, None],
        [
            "чыгашалар",
            2111,
            "Китепканалар",
            "Библиотеки",
            "Маданият жана китепканалар",
            350000,
            None,
            "120 000",
        ],
        [None] * 8,  # a blank row Excel leaves behind
        ["revenue", "1.1.2", "Мүлк салыгы", "Налог на имущество", "", "80 000,25", "", ""],
    )
    preview = upload(staff_client, budget, file)
    assert preview.context["report"].ok, preview.context["report"].errors
    assert [row.number for row in preview.context["report"].rows] == [2, 3, 5]
    assert confirm(staff_client, budget, preview).status_code == 302
    lines = {line.code: line for line in budget.lines.all()}
    assert lines["1.1.1"].planned == Decimal("1250000.50")
    assert lines["2111"].executed == 120_000
    assert lines["2111"].topic == "culture"
    assert lines["1.1.2"].planned == Decimal("80000.25")


BAD_ROWS = [
    ("bad number", "кирешелер;1.1.2;Салык;Налог;;12,5x;;", "planned"),
    ("negative", "кирешелер;1.1.2;Салык;Налог;;-500;;", "planned"),
    ("negative executed", "кирешелер;1.1.2;Салык;Налог;;500;;-1", "executed"),
    ("unknown kind", "субсидия;1.1.2;Салык;Налог;;500;;", "kind"),
    ("duplicate in file", "доходы;1.1.1;Салык;Налог;;500;;", "code"),
    ("empty code", "доходы;;Салык;Налог;;500;;", "code"),
    ("unknown topic", "доходы;1.1.2;Салык;Налог;football;500;;", "topic"),
]


@pytest.mark.parametrize(("case", "bad_row", "column"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_each_bad_row_is_reported_by_number_and_nothing_is_saved(
    staff_client, budget, case, bad_row, column
):
    # The bad row is the sheet's row 4, between good ones.
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], bad_row, GOOD_ROWS[2]]
    response = upload(staff_client, budget, csv_file(*rows))
    report = response.context["report"]
    assert [number for number, _messages in report.errors] == [4]
    [messages] = [messages for _number, messages in report.errors]
    assert all(message.startswith(f"{column}: ") for message in messages), messages
    assert response.context["payload"] is None  # nothing to confirm
    assert 'name="payload"' not in response.text
    assert '<th scope="row">4</th>' in response.text
    assert not budget.lines.exists()


def test_the_reasons_say_what_is_wrong(staff_client, budget):
    rows = [
        "кирешелер;1.1.2;Салык;Налог;;-500;;",
        "кирешелер;1.1.3;Салык;Налог;;12,5x;;",
        "кирешелер;1.1.2;Салык;Налог;;5;;",
    ]
    report = upload(staff_client, budget, csv_file(*rows)).context["report"]
    errors = dict(report.errors)
    assert errors[2] == ["planned: " + gettext("An amount cannot be negative.")]
    assert errors[3] == [
        "planned: " + gettext("“%(value)s” is not an amount in som.") % {"value": "12,5x"}
    ]
    assert errors[4] == [
        "code: "
        + gettext("The code %(code)s is already in row %(row)s of this file.")
        % {"code": "1.1.2", "row": 2}
    ]


def test_a_code_the_budget_already_has_is_an_error_unless_updating(staff_client, budget):
    line = BudgetLineFactory(budget=budget, kind="revenue", code="1.1.1", planned=5)
    response = upload(staff_client, budget, csv_file(*GOOD_ROWS))
    assert [number for number, _m in response.context["report"].errors] == [2]
    assert budget.lines.count() == 1

    preview = upload(staff_client, budget, csv_file(*GOOD_ROWS), update="on")
    report = preview.context["report"]
    assert report.ok
    assert (report.created, report.updated) == (2, 1)
    assert confirm(staff_client, budget, preview).status_code == 302
    line.refresh_from_db()
    assert line.planned == Decimal("1250000.50")
    assert budget.lines.count() == 3


def test_a_missing_column_is_reported_on_the_header_row(staff_client, budget):
    header = "kind;code;name_ky;name_ru;topic"
    response = upload(staff_client, budget, csv_file("доходы;1.1.1;Салык;Налог;", header=header))
    assert response.context["report"].errors == [
        (1, [gettext("The column “%(column)s” is missing.") % {"column": "planned"}])
    ]
    assert not budget.lines.exists()


def test_a_file_of_another_kind_is_refused(staff_client, budget):
    response = upload(staff_client, budget, SimpleUploadedFile("lines.pdf", b"%PDF-1.4"))
    assert response.context["form"].errors["file"]
    broken = upload(staff_client, budget, SimpleUploadedFile("lines.xlsx", b"not a workbook"))
    assert broken.context["form"].errors["file"]
    assert not budget.lines.exists()


def test_a_line_added_meanwhile_makes_the_confirmation_fail_whole(staff_client, budget):
    preview = upload(staff_client, budget, csv_file(*GOOD_ROWS))
    BudgetLineFactory(budget=budget, kind="expenditure", code="2.1.4")
    response = confirm(staff_client, budget, preview)
    assert response.status_code == 200
    assert [number for number, _m in response.context["report"].errors] == [4]
    assert budget.lines.count() == 1


def test_a_tampered_preview_imports_nothing(staff_client, budget):
    preview = upload(staff_client, budget, csv_file(*GOOD_ROWS))
    response = staff_client.post(import_url(budget), {"payload": preview.context["payload"] + "x"})
    assert response.status_code == 302
    assert not budget.lines.exists()


def test_a_preview_signed_for_one_budget_does_not_import_into_another(
    staff_client, budget, municipality
):
    other = LocalBudgetFactory(municipality=municipality, year=2024)
    preview = upload(staff_client, budget, csv_file(*GOOD_ROWS))
    staff_client.post(import_url(other), {"payload": preview.context["payload"]})
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_template_downloads_and_imports_as_it_is(staff_client, budget, extension):
    page = staff_client.get(import_url(budget))
    url = reverse(f"admin:budget_localbudget_import_template_{extension}")
    assert url in page.text
    response = staff_client.get(url)
    assert response.status_code == 200
    content = response.content
    if extension == "xlsx":
        rows = list(load_workbook(io.BytesIO(content)).active.values)
        assert rows[0] == tuple(HEADER.split(";"))
        assert len(rows) == 3
    preview = upload(staff_client, budget, SimpleUploadedFile(f"template.{extension}", content))
    report = preview.context["report"]
    assert report.ok, report.errors
    assert [row.line.kind for row in report.rows] == ["revenue", "expenditure"]


# --- Who sees what ---------------------------------------------------------


@pytest.fixture
def theirs(municipality):
    other = MunicipalityFactory(domain="other.example.kg")
    return {
        "budget": LocalBudgetFactory(municipality=other, year=2025),
        "resolution": CouncilResolutionFactory(municipality=other, number="77"),
        "programme": DevelopmentProgrammeFactory(municipality=other),
    }


def test_another_municipalitys_budgets_are_invisible(staff_client, budget, theirs):
    listed = staff_client.get(reverse("admin:budget_localbudget_changelist"))
    assert [b.pk for b in listed.context["cl"].result_list] == [budget.pk]
    other = theirs["budget"]
    assert staff_client.get(import_url(other)).status_code == 404
    assert upload(staff_client, other, csv_file(*GOOD_ROWS)).status_code == 404
    change = staff_client.get(reverse("admin:budget_localbudget_change", args=[other.pk]))
    assert change.status_code in (302, 404)
    assert not other.lines.exists()


def test_forms_offer_only_this_municipalitys_resolutions(staff_client, municipality, theirs):
    ours = CouncilResolutionFactory(municipality=municipality, number="1/5")
    for name in ("localbudget", "developmentprogramme"):
        page = staff_client.get(reverse(f"admin:budget_{name}_add"))
        choices = page.context["adminform"].form.fields["resolution"].queryset
        assert list(choices) == [ours]


def test_moderators_are_refused(client, moderator, budget):
    client.force_login(moderator)
    for url in (
        reverse("admin:budget_localbudget_changelist"),
        reverse("admin:budget_councilresolution_changelist"),
        import_url(budget),
        reverse("admin:budget_localbudget_import_template_csv"),
    ):
        assert client.get(url).status_code == 403, url
    assert upload(client, budget, csv_file(*GOOD_ROWS)).status_code == 403
    assert not budget.lines.exists()


# --- Resolutions and programmes ------------------------------------------


def test_resolutions_are_found_by_number_or_title_and_filtered_by_year(staff_client, municipality):
    old = CouncilResolutionFactory(
        municipality=municipality, number="23", adopted_on="2017-11-22", title_ru="О программе"
    )
    new = CouncilResolutionFactory(
        municipality=municipality, number="1/5", adopted_on="2021-12-24", title_ky="Бюджет жөнүндө"
    )
    url = reverse("admin:budget_councilresolution_changelist")

    def found(**query):
        response = staff_client.get(url, query)
        assert response.status_code == 200
        return list(response.context["cl"].result_list)

    assert found() == [new, old]  # the latest first
    assert found(q="1/5") == [new]
    assert found(q="программе") == [old]
    assert found(q="Бюджет") == [new]
    assert found(year="2017") == [old]
    assert staff_client.get(url, {"adopted_on__year": "2017"}).status_code == 400


def test_a_resolutions_signed_document_must_be_a_real_pdf(staff_client, municipality):
    add = reverse("admin:budget_councilresolution_add")
    data = {
        **form_data(staff_client.get(add)),
        "number": "5",
        "adopted_on": "2024-12-20",
        "title_ky": "Бюджетти бекитүү жөнүндө",
        "title_ru": "Об утверждении бюджета",
        "document": SimpleUploadedFile("resolution.pdf", b"this is no pdf"),
    }
    response = staff_client.post(add, data)
    assert response.status_code == 200
    assert "document" in response.context["adminform"].form.errors
    assert not CouncilResolution.objects.exists()


def test_staff_add_a_programme_with_its_priorities(staff_client, municipality):
    resolution = CouncilResolutionFactory(municipality=municipality)
    add = reverse("admin:budget_developmentprogramme_add")
    data = form_data(staff_client.get(add))
    data.update(
        {
            "title_ky": "СЭӨП 2022–2026",
            "title_ru": "ПСЭР 2022–2026",
            "first_year": "2022",
            "last_year": "2026",
            "status": "approved",
            "resolution": resolution.pk,
            "priorities-0-number": "1",
            "priorities-0-title_ky": "Таза суу",
            "priorities-0-title_ru": "Питьевая вода",
            "priorities-0-topic": "water",
            "priorities-0-expected_result_ky": "143 үй чарба",
            "priorities-0-expected_result_ru": "143 хозяйства",
            "priorities-0-planned_cost": "4500000",
            "priorities-0-first_year": "2023",
            "priorities-0-last_year": "2024",
        }
    )
    response = staff_client.post(add, data)
    assert response.status_code == 302, response.context["errors"]
    programme = DevelopmentProgramme.objects.get(municipality=municipality)
    priority = programme.priorities.get()
    assert (priority.title_ru, priority.planned_cost) == ("Питьевая вода", 4_500_000)


# --- Query counts ----------------------------------------------------------


def fill(municipality, n):
    for _ in range(n):
        budget = LocalBudgetFactory(
            municipality=municipality,
            resolution=CouncilResolutionFactory(municipality=municipality),
        )
        BudgetLineFactory.create_batch(2, budget=budget)
        PriorityFactory(
            programme__municipality=municipality,
            programme__resolution=budget.resolution,
        )


@pytest.mark.parametrize("name", ["localbudget", "councilresolution", "developmentprogramme"])
def test_the_lists_cost_the_same_with_few_rows_or_many(
    staff_client, municipality, name, django_assert_max_num_queries
):
    url = reverse(f"admin:budget_{name}_changelist")
    fill(municipality, 3)
    staff_client.get(url)  # the session's and permissions' first look-ups
    with django_assert_max_num_queries(20) as few:
        assert staff_client.get(url).status_code == 200
    fill(municipality, 27)
    with django_assert_max_num_queries(20) as many:
        response = staff_client.get(url)
    assert len(response.context["cl"].result_list) == 30
    assert len(many) == len(few)


def test_a_budgets_page_costs_the_same_with_few_lines_or_many(
    staff_client, budget, django_assert_max_num_queries
):
    url = reverse("admin:budget_localbudget_change", args=[budget.pk])
    BudgetLineFactory.create_batch(3, budget=budget)
    staff_client.get(url)  # the session's and permissions' first look-ups
    with django_assert_max_num_queries(25) as few:
        assert staff_client.get(url).status_code == 200
    BudgetLineFactory.create_batch(27, budget=budget)
    with django_assert_max_num_queries(25) as many:
        assert staff_client.get(url).status_code == 200
    assert len(many) == len(few)
