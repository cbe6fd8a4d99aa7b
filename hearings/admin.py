from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from portal.admin_filters import MissingTranslationFilter

from . import codes, exports, reports, services
from .admin_forms import (
    ITEM_CONTENT_FIELDS,
    CorrectionForm,
    HearingAdminForm,
    HearingItemForm,
    HearingItemFormSet,
    ProposalAdminForm,
    add_errors,
)
from .models import Hearing, HearingEvent, ModerationQueue, Proposal, ProposalEvent

Status = Proposal.Status

# What staff may edit on a proposal by hand; its state and decision move
# only through the services, so that every change lands in the history.
CONTENT_FIELDS = {
    "municipality",
    "kind",
    "topic",
    "village",
    "text_ky",
    "text_ru",
    "origin",
    "hearing",
    "protocol_number",
    "group",
    "author_name",
    "show_author_name",
    "author_phone",
    "author_email",
}


def status_and_links(proposal):
    """An item's code and status, with its page and, once decided, its correction."""
    if proposal is None or not proposal.pk:
        return "—"
    change = reverse("admin:hearings_proposal_change", args=[proposal.pk])
    html = format_html(
        '<a href="{}">{}</a> · <strong>{}</strong>',
        change,
        proposal.display_code,
        proposal.get_status_display(),
    )
    if proposal.is_decided:
        html += format_html(
            ' · <a href="{}">{}</a>',
            reverse("admin:hearings_proposal_correct", args=[proposal.pk]),
            _("Correct the decision"),
        )
    return html


class HearingItemInline(admin.StackedInline):
    """The hearing's proposals and questions in protocol order: typed in from
    the paper protocol, then decided, all on the hearing's page."""

    model = Proposal
    fk_name = "hearing"
    form = HearingItemForm
    formset = HearingItemFormSet
    can_delete = False
    classes = ["hearing-items"]
    verbose_name = _("proposal or question from the protocol")
    verbose_name_plural = _("proposals and questions from the protocol")
    readonly_fields = ["code_and_status"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("protocol_number", "kind", "topic", "village", "group", "received_on"),
                    ("text_ky", "text_ru"),
                    ("author_name", "show_author_name"),
                    ("code_and_status", "new_status", "decision_date"),
                    ("decision_priority", "decision_budget_line", "decision_project"),
                    ("decision_text_ky", "decision_text_ru"),
                ]
            },
        )
    ]

    def get_queryset(self, request):
        # Online items still awaiting moderation stay in the moderation queue.
        # A decided item's target is shown on its row: fetched with it.
        return (
            super()
            .get_queryset(request)
            .public()
            .select_related("priority", "budget_line", "project")
            .order_by("protocol_number", "submitted_at", "pk")
        )

    def get_extra(self, request, obj=None, **kwargs):
        # A new hearing is typed from its protocol: room for its first items.
        return 5 if obj is None else 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.municipality = obj.municipality if obj else request.municipality
        return formset

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("hearings.change_proposal")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("hearings.add_proposal")

    @admin.display(description=_("Code and status"))
    def code_and_status(self, proposal):
        return status_and_links(proposal)


class HearingEventInline(admin.TabularInline):
    """Who changed the hearing's status, and when."""

    model = HearingEvent
    extra = 0
    can_delete = False
    classes = ["collapse"]
    fields = ["at", "from_status", "to_status", "by"]
    readonly_fields = fields
    verbose_name_plural = _("history of the status")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Hearing)
class HearingAdmin(TranslationAdmin):
    form = HearingAdminForm
    list_display = ["title", "kind", "starts_at", "status", "attendance_total", "attendance_women"]
    list_filter = [
        "kind",
        "status",
        ("village", admin.RelatedOnlyFieldListFilter),
        MissingTranslationFilter,
    ]
    search_fields = ["title_ky", "title_ru"]
    date_hierarchy = "starts_at"
    inlines = [HearingItemInline, HearingEventInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("municipality", "kind", "status"),
                    ("programme", "budget"),
                    ("title_ky", "title_ru"),
                    ("starts_at", "village"),
                    ("place_ky", "place_ru"),
                    ("announcement_ky", "announcement_ru"),
                ]
            },
        ),
        (
            _("Attendance, from the register of participants"),
            {
                "fields": [
                    (
                        "attendance_total",
                        "attendance_women",
                        "attendance_men",
                        "attendance_groups",
                        "attendance_youth",
                    )
                ]
            },
        ),
        (
            _("Protocol"),
            {"fields": [("protocol_ky", "protocol_ru"), "protocol_file"]},
        ),
    ]

    class Media:
        css = {"all": ["css/admin-hearing.css"]}

    def get_urls(self):
        return [
            path(
                "<path:object_id>/protocol/",
                self.admin_site.admin_view(self.protocol_view),
                name="hearings_hearing_protocol",
            ),
            *super().get_urls(),
        ]

    def protocol_view(self, request, object_id):
        """The printed protocol for staff, before the results are published too."""
        hearing = self.get_object(request, unquote(object_id))
        if hearing is None:
            raise Http404
        if not self.has_view_permission(request, hearing):
            raise PermissionDenied
        return reports.hearing_protocol(request, hearing)

    def get_inlines(self, request, obj):
        # A new hearing has no history yet.
        return self.inlines if obj else [HearingItemInline]

    def save_model(self, request, obj, form, change):
        if change:
            # The status moves last, through the service, once the items are saved.
            obj.status = form.initial["status"]
            previous = form.initial.get("protocol_file")
            services.save_hearing(obj, previous_protocol=previous.name if previous else "")
        else:
            services.create_hearing(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_hearing(obj)

    def delete_queryset(self, request, queryset):
        for hearing in queryset:
            services.delete_hearing(hearing)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Proposal:
            return super().save_formset(request, form, formset, change)
        hearing = form.instance
        # What formset.save() would note, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for item in formset.filled_forms():
            proposal = item.instance
            if proposal.pk is None:
                proposal.hearing = hearing
                proposal.municipality = hearing.municipality
                proposal.origin = Proposal.Origin.HEARING
                services.register(
                    proposal, received_on=item.cleaned_data.get("received_on"), by=request.user
                )
                formset.new_objects.append(proposal)
            else:
                changed = [name for name in item.changed_data if name in ITEM_CONTENT_FIELDS]
                if item.numbered and "protocol_number" not in changed:
                    changed.append("protocol_number")
                if changed:
                    proposal.save(update_fields=changed)
                if changed or item.decision_changed(proposal):
                    formset.changed_objects.append((proposal, item.changed_data))
            item.apply_decision(proposal, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.set_hearing_status(form.instance, form.cleaned_data["status"], by=request.user)


class ProposalEventInline(admin.TabularInline):
    """The full history, for staff: who changed what, and when."""

    model = ProposalEvent
    extra = 0
    can_delete = False
    fields = [
        "at",
        "recorded_at",
        "from_status",
        "to_status",
        "from_kind",
        "to_kind",
        "by",
        "correction_reason",
    ]
    readonly_fields = fields
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


def apply_to_each(modeladmin, request, queryset, action, message):
    """Apply action to each proposal; one handled meanwhile is skipped, not a crash."""
    done = skipped = 0
    for proposal in queryset:
        try:
            action(proposal)
        except ValidationError:
            skipped += 1
        else:
            done += 1
    modeladmin.message_user(request, message(done) % {"count": done}, messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d was skipped: its status had already changed.",
                "%(count)d were skipped: their status had already changed.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


@admin.register(Proposal)
class ProposalAdmin(TranslationAdmin):
    form = ProposalAdminForm
    list_display = [
        "display_code",
        "short_text",
        "kind",
        "topic",
        "village",
        "status",
        "origin",
        "group",
        "submitted_at",
    ]
    list_filter = [
        "status",
        "kind",
        "topic",
        "origin",
        ("village", admin.RelatedOnlyFieldListFilter),
        ("hearing", admin.RelatedOnlyFieldListFilter),
        ("group", admin.RelatedOnlyFieldListFilter),
        MissingTranslationFilter,
    ]
    date_hierarchy = "submitted_at"
    search_fields = ["tracking_code", "text_ky", "text_ru", "author_name"]
    list_select_related = ["village", "group"]
    autocomplete_fields = ["group", "hearing"]
    readonly_fields = [
        "display_code",
        "status",
        "refusal_reason",
        "submitted_at",
        "decided_by",
        "correction",
    ]
    inlines = [ProposalEventInline]
    actions = ["start_review", "export_csv", "export_xlsx"]

    def get_fieldsets(self, request, obj=None):
        received = "submitted_at" if obj else "received_on"
        decision = [
            ("new_status", "decision_date"),
            ("decision_priority", "decision_budget_line", "decision_project"),
            ("decision_text_ky", "decision_text_ru"),
        ]
        if obj is not None and obj.is_decided:
            decision += ["decided_by", "correction"]
        if obj is not None and obj.status == Status.REFUSED:
            decision.append("refusal_reason")
        return [
            (
                None,
                {
                    "fields": [
                        "display_code",
                        "status",
                        "municipality",
                        "kind",
                        "topic",
                        "village",
                        ("text_ky", "text_ru"),
                    ]
                },
            ),
            (
                _("Origin"),
                {"fields": ["origin", ("hearing", "protocol_number"), "group", received]},
            ),
            (
                _("Author (contacts are never published)"),
                {"fields": ["author_name", "show_author_name", "author_phone", "author_email"]},
            ),
            (_("Decision"), {"fields": decision}),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A class of this request's own (modelform_factory): safe to set.
        form.default_municipality_id = getattr(request.municipality, "pk", None)
        if obj is not None and obj.is_decided and "kind" in form.base_fields:
            # A slip in a decided item's kind is fixed by a correction.
            form.base_fields["kind"].disabled = True
        return form

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Codes as residents quote them: with a dash, in lower case, in Cyrillic.
        code = codes.normalise(search_term)
        if code:
            results |= queryset.filter(tracking_code=code)
        return results, may_have_duplicates

    @admin.display(description=_("tracking code"), ordering="tracking_code")
    def display_code(self, proposal):
        return proposal.display_code

    @admin.display(description=_("text"))
    def short_text(self, proposal):
        return proposal.text[:80]

    @admin.display(description=_("Correction"))
    def correction(self, proposal):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:hearings_proposal_correct", args=[proposal.pk]),
            _("Correct the decision or the kind"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            changed = [name for name in form.changed_data if name in CONTENT_FIELDS]
            if changed:
                obj.save(update_fields=changed)
        else:
            services.register(
                obj, received_on=form.cleaned_data.get("received_on"), by=request.user
            )
        form.apply_decision(obj, by=request.user)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="hearings_proposal_correct",
            ),
            *super().get_urls(),
        ]

    def correct_view(self, request, object_id):
        """Correct a decided item's kind or decision, with a public reason."""
        proposal = self.get_object(request, unquote(object_id))
        if proposal is None:
            raise Http404
        if not self.has_change_permission(request, proposal):
            raise PermissionDenied
        change_url = reverse("admin:hearings_proposal_change", args=[proposal.pk])
        if not proposal.is_decided:
            self.message_user(
                request, _("This item has no decision to correct yet."), messages.WARNING
            )
            return HttpResponseRedirect(change_url)
        form = CorrectionForm(request.POST or None, proposal=proposal)
        if request.method == "POST" and form.is_valid():
            data = {
                name: value
                for name, value in form.cleaned_data.items()
                if name not in ("priority", "budget_line", "project")
            }
            try:
                services.correct_decision(proposal, **data, target=form.target(), by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.log_change(request, proposal, [{"changed": {"fields": ["status"]}}])
                self.message_user(request, _("The correction is recorded."), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        ("kind", "status", "decided_on"),
                        ("priority", "budget_line", "project"),
                        ("decision_ky", "decision_ru"),
                    ]
                },
            ),
            (None, {"fields": ["reason"]}),
        ]
        admin_form = helpers.AdminForm(form, fieldsets, {}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Correct the decision"),
            "subtitle": str(proposal),
            "opts": self.opts,
            "original": proposal,
            "adminform": admin_form,
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + admin_form.media,
        }
        return TemplateResponse(request, "admin/hearings/proposal/correct.html", context)

    @admin.action(
        description=_("Start the review of the selected proposals"), permissions=["change"]
    )
    def start_review(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset.filter(status__in=[Status.RECEIVED, Status.DEFERRED]),
            lambda p: services.start_review(p, by=request.user),
            lambda n: ngettext(
                "%(count)d proposal is now under review.",
                "%(count)d proposals are now under review.",
                n,
            ),
        )

    def has_export_permission(self, request):
        # The register holds the authors' contacts: for staff who handle proposals.
        return request.user.has_perm("hearings.change_proposal")

    @admin.action(description=_("Export the selected (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        return exports.proposals_csv(queryset)

    @admin.action(description=_("Export the selected (Excel)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return exports.proposals_xlsx(queryset)


@admin.register(ModerationQueue)
class ModerationQueueAdmin(admin.ModelAdmin):
    """Online proposals waiting for a moderator: publish them or keep them out.

    Only the list and its actions: no page to edit a proposal (and so no way
    around the state machine), and no authors' contacts.
    """

    list_display = [
        "display_code",
        "submitted_at",
        "text_preview",
        "kind",
        "topic",
        "village",
        "author_name",
    ]
    list_display_links = None
    list_select_related = ["village"]
    actions = ["approve", "refuse_spam", "refuse_abusive"]
    ordering = ["submitted_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Status.AWAITING_MODERATION)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description=_("tracking code"))
    def display_code(self, proposal):
        return proposal.display_code

    @admin.display(description=_("text"))
    def text_preview(self, proposal):
        return proposal.text

    @admin.action(description=_("Publish the selected"), permissions=["change"])
    def approve(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda p: services.approve(p, by=request.user),
            lambda n: ngettext(
                "%(count)d proposal published.", "%(count)d proposals published.", n
            ),
        )

    def _refuse(self, request, queryset, reason):
        apply_to_each(
            self,
            request,
            queryset,
            lambda p: services.refuse(p, reason=reason, by=request.user),
            lambda n: ngettext("%(count)d proposal refused.", "%(count)d proposals refused.", n),
        )

    @admin.action(description=_("Refuse the selected as spam"), permissions=["change"])
    def refuse_spam(self, request, queryset):
        self._refuse(request, queryset, Proposal.RefusalReason.SPAM)

    @admin.action(description=_("Refuse the selected as abusive"), permissions=["change"])
    def refuse_abusive(self, request, queryset):
        self._refuse(request, queryset, Proposal.RefusalReason.ABUSIVE)
