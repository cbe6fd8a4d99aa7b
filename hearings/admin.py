from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from . import exports, services
from .models import Hearing, ModerationQueue, Proposal, ProposalEvent

Status = Proposal.Status


class ProposalInline(TranslationTabularInline):
    """Fast entry of the proposals from a hearing's paper protocol."""

    model = Proposal
    fk_name = "hearing"
    extra = 3
    fields = ["kind", "topic", "village", "group", "text", "author_name", "status_link"]
    readonly_fields = ["status_link"]
    autocomplete_fields = ["group"]
    verbose_name = _("proposal or question from the protocol")
    verbose_name_plural = _("proposals and questions from the protocol")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("village", "group")

    @admin.display(description=_("status"))
    def status_link(self, proposal):
        if not proposal.pk:
            return "—"
        return format_html(
            '<a href="{}">{} · {}</a>',
            reverse("admin:hearings_proposal_change", args=[proposal.pk]),
            proposal.display_code,
            proposal.get_status_display(),
        )


@admin.register(Hearing)
class HearingAdmin(TranslationAdmin):
    list_display = ["title", "kind", "starts_at", "status", "attendance_total", "attendance_women"]
    list_filter = ["kind", "status", ("village", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title_ky", "title_ru"]
    date_hierarchy = "starts_at"
    inlines = [ProposalInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "municipality",
                    "kind",
                    "title",
                    "starts_at",
                    "village",
                    "place",
                    "status",
                    "announcement",
                ]
            },
        ),
        (
            _("Attendance, from the register of participants"),
            {
                "fields": [
                    "attendance_total",
                    "attendance_women",
                    "attendance_men",
                    "attendance_groups",
                    "attendance_youth",
                ]
            },
        ),
        (_("Protocol"), {"fields": ["protocol", "protocol_file"]}),
    ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Proposal:
            return super().save_formset(request, form, formset, change)
        proposals = formset.save(commit=False)
        for proposal in formset.deleted_objects:
            proposal.delete()
        for proposal in proposals:
            if proposal.pk:
                proposal.save()
            else:
                proposal.hearing = form.instance
                proposal.municipality = form.instance.municipality
                services.register(proposal, by=request.user)
        formset.save_m2m()


class ProposalEventInline(admin.TabularInline):
    """The full history, for staff: who changed what, and when."""

    model = ProposalEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ProposalAdminForm(forms.ModelForm):
    new_status = forms.ChoiceField(
        label=_("Change the status to"),
        required=False,
        help_text=_("Only the moves allowed from the current status are offered."),
    )

    class Meta:
        model = Proposal
        # The admin's fieldsets decide the fields; modeltranslation adds the languages.
        fields = ["kind", "topic", "village", "text", "decision", "decided_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self._current()
        choices = [(s, Status(s).label) for s in current.allowed_next() if s != Status.REFUSED]
        self.fields["new_status"].choices = [("", "—"), *choices]
        self.fields["decided_on"].help_text = _("Today, if left empty.")

    def _current(self):
        instance = self.instance
        if instance.pk:
            return instance
        kind = self.data.get("kind") or self.initial.get("kind") or Proposal.Kind.PROPOSAL
        return Proposal(kind=kind, status=Status.RECEIVED)

    def clean(self):
        cleaned = super().clean()
        new_status = cleaned.get("new_status")
        if new_status:
            probe = self._current()
            probe = Proposal(kind=cleaned.get("kind", probe.kind), status=probe.status)
            try:
                services.check_transition(
                    probe,
                    new_status,
                    decision_ky=cleaned.get("decision_ky") or "",
                    decision_ru=cleaned.get("decision_ru") or "",
                )
            except ValidationError as error:
                self.add_error(
                    "decision_ky" if hasattr(error, "error_dict") else None, error.messages
                )
        return cleaned


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
    ]
    date_hierarchy = "submitted_at"
    search_fields = ["tracking_code", "text_ky", "text_ru", "author_name"]
    list_select_related = ["village", "group"]
    autocomplete_fields = ["group", "hearing"]
    readonly_fields = ["display_code", "status", "refusal_reason", "submitted_at", "decided_by"]
    inlines = [ProposalEventInline]
    actions = ["start_review", "export_csv", "export_xlsx"]
    fieldsets = [
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
                    "text",
                ]
            },
        ),
        (_("Origin"), {"fields": ["origin", "hearing", "group", "submitted_at"]}),
        (
            _("Author (contacts are never published)"),
            {"fields": ["author_name", "show_author_name", "author_phone", "author_email"]},
        ),
        (
            _("Decision"),
            {"fields": ["new_status", "decision", "decided_on", "decided_by", "refusal_reason"]},
        ),
    ]

    @admin.display(description=_("tracking code"), ordering="tracking_code")
    def display_code(self, proposal):
        return proposal.display_code

    @admin.display(description=_("text"))
    def short_text(self, proposal):
        return proposal.text[:80]

    def save_model(self, request, obj, form, change):
        new_status = form.cleaned_data.get("new_status")
        if not change:
            services.register(obj, by=request.user)
        else:
            obj.save()
        if new_status:
            services.change_status(
                obj,
                new_status,
                by=request.user,
                decision_ky=form.cleaned_data.get("decision_ky") or "",
                decision_ru=form.cleaned_data.get("decision_ru") or "",
                decided_on=form.cleaned_data.get("decided_on"),
            )

    @admin.action(
        description=_("Start the review of the selected proposals"), permissions=["change"]
    )
    def start_review(self, request, queryset):
        moved = 0
        for proposal in queryset.filter(status=Status.RECEIVED):
            services.start_review(proposal, by=request.user)
            moved += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d proposal is now under review.",
                "%(count)d proposals are now under review.",
                moved,
            )
            % {"count": moved},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export the selected (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return exports.proposals_csv(queryset)

    @admin.action(description=_("Export the selected (Excel)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return exports.proposals_xlsx(queryset)


@admin.register(ModerationQueue)
class ModerationQueueAdmin(admin.ModelAdmin):
    """Online proposals waiting for a moderator: publish them or keep them out."""

    list_display = ["submitted_at", "text_preview", "kind", "topic", "village", "author_name"]
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

    @admin.display(description=_("text"))
    def text_preview(self, proposal):
        return proposal.text

    def _moderate(self, request, queryset, action, message):
        done = 0
        for proposal in queryset:
            action(proposal)
            done += 1
        self.message_user(request, message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            lambda p: services.approve(p, by=request.user),
            lambda n: ngettext(
                "%(count)d proposal published.", "%(count)d proposals published.", n
            ),
        )

    def _refuse(self, request, queryset, reason):
        self._moderate(
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
