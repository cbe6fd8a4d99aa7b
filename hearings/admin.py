from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from . import codes, exports, services
from .models import Hearing, ModerationQueue, Proposal, ProposalEvent

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
    "group",
    "author_name",
    "show_author_name",
    "author_phone",
    "author_email",
}
DECISION_FIELDS = ["decision_ky", "decision_ru", "decided_on"]


class NewProposalInline(TranslationTabularInline):
    """Fast entry of new proposals from a hearing's paper protocol."""

    model = Proposal
    fk_name = "hearing"
    extra = 3
    fields = ["kind", "topic", "village", "group", "text", "author_name"]
    autocomplete_fields = ["group"]
    verbose_name = _("new proposal or question from the protocol")
    verbose_name_plural = _("new proposals and questions from the protocol")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False


class ProposalInline(admin.TabularInline):
    """The hearing's recorded proposals, read-only: each is changed on its own page."""

    model = Proposal
    fk_name = "hearing"
    extra = 0
    fields = ["status_link", "kind", "topic", "village", "group", "text"]
    readonly_fields = fields
    verbose_name = _("recorded proposal or question")
    verbose_name_plural = _("recorded proposals and questions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("village", "group")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status_link(self, proposal):
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
    inlines = [NewProposalInline, ProposalInline]
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
        # Only the new-entry inline saves anything; each proposal is registered.
        for proposal in formset.save(commit=False):
            proposal.hearing = form.instance
            proposal.municipality = form.instance.municipality
            services.register(proposal, by=request.user)


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
        if "decided_on" in self.fields:
            self.fields["decided_on"].help_text = _("Today, if left empty.")

    def _current(self):
        if self.instance.pk:
            return self.instance
        kind = self.data.get("kind") or self.initial.get("kind") or Proposal.Kind.PROPOSAL
        return Proposal(kind=kind, status=Status.RECEIVED)

    def clean(self):
        cleaned = super().clean()
        new_status = cleaned.get("new_status")
        texts = {f: (cleaned.get(f) or "").strip() for f in ("decision_ky", "decision_ru")}
        if new_status:
            current = self._current()
            probe = Proposal(kind=cleaned.get("kind", current.kind), status=current.status)
            try:
                services.check_transition(probe, new_status, **texts)
            except ValidationError as error:
                field = "decision_ky" if hasattr(error, "error_dict") else None
                self.add_error(field, error.messages)
        if any(texts.values()) and new_status not in Proposal.DECIDED_STATUSES:
            self.add_error(
                "decision_ky",
                _("A decision's text is recorded with the decision: choose it above."),
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_decided:
            # A decision stands as recorded; a deferred one goes back to review.
            fields += ["kind", *DECISION_FIELDS]
        return fields

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

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        new_status = data.get("new_status")
        if change:
            changed = [name for name in form.changed_data if name in CONTENT_FIELDS]
            if changed:
                obj.save(update_fields=changed)
        else:
            obj.decision_ky = obj.decision_ru = ""
            obj.decided_on = None
            services.register(obj, by=request.user)
        if new_status:
            services.change_status(
                obj,
                new_status,
                by=request.user,
                decision_ky=data.get("decision_ky") or "",
                decision_ru=data.get("decision_ru") or "",
                decided_on=data.get("decided_on"),
            )

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

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

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
