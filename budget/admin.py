from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from portal.admin_filters import MissingTranslationFilter
from portal.templatetags.amounts import amount

from . import imports, services
from .models import (
    BudgetDocument,
    BudgetLine,
    CouncilResolution,
    DevelopmentProgramme,
    LocalBudget,
    Priority,
)


class ResolutionOfItsMunicipality:
    """A programme or budget offers its own municipality's resolutions."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        resolution = form.base_fields.get("resolution")
        if obj is not None and resolution is not None:
            # The superuser sees every municipality's: offer this one's only.
            resolution.queryset = resolution.queryset.filter(municipality=obj.municipality_id)
        return form


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .annotate(year=ExtractYear("adopted_on"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(adopted_on__year=int(self.value()))
            except ValueError:
                return queryset.none()
        return queryset


@admin.register(CouncilResolution)
class CouncilResolutionAdmin(ResolutionOfItsMunicipality, TranslationAdmin):
    list_display = ["number", "adopted_on", "title", "convocation", "session", "has_document"]
    list_display_links = ["number", "title"]
    list_filter = [YearFilter, MissingTranslationFilter]
    search_fields = ["number", "title_ky", "title_ru"]
    sortable_by = ["number", "adopted_on", "convocation", "session"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "municipality",
                    ("number", "adopted_on"),
                    ("title_ky", "title_ru"),
                    ("convocation", "session"),
                    "document",
                ]
            },
        )
    ]

    @admin.display(description=_("signed document"), boolean=True)
    def has_document(self, resolution):
        return bool(resolution.document)


class PriorityInline(TranslationStackedInline):
    model = Priority
    extra = 1
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("number", "topic", "planned_cost", "first_year", "last_year"),
                    ("title_ky", "title_ru"),
                    ("expected_result_ky", "expected_result_ru"),
                ]
            },
        )
    ]


@admin.register(DevelopmentProgramme)
class DevelopmentProgrammeAdmin(ResolutionOfItsMunicipality, TranslationAdmin):
    list_display = ["title", "first_year", "last_year", "status", "resolution"]
    list_filter = ["status", MissingTranslationFilter]
    search_fields = ["title_ky", "title_ru"]
    list_select_related = ["resolution"]
    inlines = [PriorityInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "municipality",
                    ("title_ky", "title_ru"),
                    ("first_year", "last_year"),
                    ("status", "resolution"),
                    "document",
                ]
            },
        )
    ]


class BudgetLineInline(TranslationTabularInline):
    model = BudgetLine
    fields = ["kind", "code", "name_ky", "name_ru", "topic", "planned", "revised", "executed"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new budget is typed in line by line; a kept one is imported or edited.
        return 3 if obj is None else 1


class BudgetDocumentForm(forms.ModelForm):
    class Meta:
        model = BudgetDocument
        fields = ["kind", "published_on", "file", "link"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("link"):
            raise forms.ValidationError(_("Upload the document or give a link to it."))
        return cleaned


class BudgetDocumentInline(admin.TabularInline):
    model = BudgetDocument
    form = BudgetDocumentForm
    extra = 0


@admin.register(LocalBudget)
class LocalBudgetAdmin(ResolutionOfItsMunicipality, admin.ModelAdmin):
    list_display = [
        "year",
        "status",
        "resolution",
        "revenue_planned",
        "expenditure_planned",
        "revenue_executed",
        "expenditure_executed",
    ]
    list_display_links = ["year"]
    list_filter = ["status"]
    list_select_related = ["resolution"]
    search_fields = ["year"]
    inlines = [BudgetLineInline, BudgetDocumentInline]
    fields = ["municipality", ("year", "status"), "resolution", "population"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    def get_search_results(self, request, queryset, search_term):
        # Years only: "2024" finds the budget, words find nothing.
        term = search_term.strip()
        if not term:
            return queryset, False
        return (queryset.filter(year=int(term)) if term.isdigit() else queryset.none()), False

    @admin.display(description=_("revenue planned, som"), ordering="revenue_planned")
    def revenue_planned(self, budget):
        return amount(budget.revenue_planned)

    @admin.display(description=_("expenditure planned, som"), ordering="expenditure_planned")
    def expenditure_planned(self, budget):
        return amount(budget.expenditure_planned)

    @admin.display(description=_("revenue executed, som"), ordering="revenue_executed")
    def revenue_executed(self, budget):
        return amount(budget.revenue_executed)

    @admin.display(description=_("expenditure executed, som"), ordering="expenditure_executed")
    def expenditure_executed(self, budget):
        return amount(budget.expenditure_executed)

    # The import of lines from the finance office's spreadsheet.

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path(
                "<path:object_id>/import/",
                view(self.import_view),
                name="budget_localbudget_import",
            ),
            path(
                "import-template.xlsx",
                view(self.template_xlsx_view),
                name="budget_localbudget_import_template_xlsx",
            ),
            path(
                "import-template.csv",
                view(self.template_csv_view),
                name="budget_localbudget_import_template_csv",
            ),
            *super().get_urls(),
        ]

    def _template(self, request, content, content_type, extension):
        if not self.has_change_permission(request):
            raise PermissionDenied
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="budget-lines-template.{extension}"'
        )
        return response

    def template_xlsx_view(self, request):
        content = imports.template_dataset().export("xlsx")
        return self._template(
            request,
            content,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )

    def template_csv_view(self, request):
        # Semicolons and a byte-order mark: what Excel opens as Cyrillic columns.
        content = "\ufeff" + imports.template_dataset().export("csv", delimiter=";")
        return self._template(request, content, "text/csv; charset=utf-8", "csv")

    def import_view(self, request, object_id):
        """Upload a file, see what every row would do, then confirm: all or nothing."""
        budget = self.get_object(request, unquote(object_id))
        if budget is None:
            raise Http404
        if not self.has_change_permission(request, budget):
            raise PermissionDenied
        salt = f"budget.import.{budget.pk}"
        form, report, payload = ImportForm(), None, None
        if request.method == "POST" and "payload" in request.POST:
            confirm = ConfirmForm(request.POST, salt=salt)
            if not confirm.is_valid():
                self.message_user(
                    request, _("The preview has expired: upload the file again."), messages.ERROR
                )
                return HttpResponseRedirect(request.path)
            dataset, update = confirm.cleaned_data["payload"]
            report = services.import_budget_lines(budget, dataset, update=update)
            if report.ok:
                message = imported_message(report)
                self.log_change(request, budget, message)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:budget_localbudget_change", args=[budget.pk])
                )
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    dataset = imports.read_file(form.cleaned_data["file"])
                except imports.FileError as error:
                    form.add_error("file", str(error))
                else:
                    update = form.cleaned_data["update"]
                    report = services.import_budget_lines(
                        budget, dataset, update=update, dry_run=True
                    )
                    if report.ok:
                        payload = ConfirmForm.sign(dataset, update, salt=salt)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import budget lines"),
            "subtitle": str(budget),
            "opts": self.opts,
            "original": budget,
            "form": form,
            "report": report,
            "payload": payload,
            "columns": imports.COLUMNS,
            "required": imports.REQUIRED,
        }
        return TemplateResponse(request, "admin/budget/localbudget/import.html", context)


def imported_message(report):
    return ngettext(
        "%(created)d line added, %(updated)d updated.",
        "%(created)d lines added, %(updated)d updated.",
        report.created,
    ) % {"created": report.created, "updated": report.updated}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (XLSX) or CSV, up to 2 MB: one line of the budget a row."),
    )
    update = forms.BooleanField(
        label=_("Update the lines whose code the budget already has"),
        required=False,
        help_text=_("Otherwise such a row is an error and nothing is imported."),
    )


class ConfirmForm(forms.Form):
    """The previewed rows, signed, so that the confirmation imports exactly them."""

    payload = forms.CharField(widget=forms.HiddenInput)
    MAX_AGE = 24 * 60 * 60

    def __init__(self, *args, salt, **kwargs):
        super().__init__(*args, **kwargs)
        self.salt = salt

    @staticmethod
    def sign(dataset, update, *, salt):
        data = {
            "headers": dataset.headers[:-1],
            "rows": [list(row[:-1]) for row in dataset],
            "numbers": [row[-1] for row in dataset],
            "update": update,
        }
        return signing.dumps(data, salt=salt, compress=True)

    def clean_payload(self):
        try:
            data = signing.loads(self.cleaned_data["payload"], salt=self.salt, max_age=self.MAX_AGE)
        except signing.BadSignature as error:
            raise forms.ValidationError(_("The preview has expired.")) from error
        dataset = imports.from_rows(data["headers"], data["rows"], data["numbers"])
        return dataset, bool(data["update"])
