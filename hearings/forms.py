from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetLine, BudgetStatus
from portal.choices import Topic
from portal.facts import remembered
from portal.queries import in_every_language
from portal.text import strip_control
from portal.widgets import QuickSelect, checks_choice, offer_villages

from . import codes
from .models import Proposal, ProposalStatus

S = ProposalStatus
# What residents filter by: states grouped as they think of them.
STATUS_FILTERS = {
    "pending": ([S.RECEIVED, S.UNDER_REVIEW], _("Pending")),
    "accepted": (
        [S.ACCEPTED_PROGRAMME, S.ACCEPTED_BUDGET, S.ACCEPTED_PROJECT, S.PARTLY_ACCEPTED],
        _("Accepted"),
    ),
    "rejected": ([S.REJECTED], _("Rejected")),
    "answered": ([S.ANSWERED], _("Answered")),
    "deferred": ([S.DEFERRED], _("Deferred to next year")),
}


class ProposalForm(forms.ModelForm):
    """A resident's proposal or question, submitted online without an account."""

    text = forms.CharField(
        label=_("Your proposal or question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=settings.PROPOSAL_TEXT_MIN,
        max_length=settings.PROPOSAL_TEXT_MAX,
    )
    # A trap for robots: hidden from people by CSS, so a filled one means a robot.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    consent = forms.BooleanField(
        label=_(
            "I agree that the ayil okmotu processes the personal data I give here "
            "to handle my proposal. My phone and e-mail are never published."
        ),
        error_messages={
            "required": _("Tick this box: without your consent we cannot handle the proposal.")
        },
    )

    class Meta:
        model = Proposal
        fields = [
            "kind",
            "topic",
            "village",
            "author_name",
            "show_author_name",
            "author_phone",
            "author_email",
        ]
        labels = {
            "kind": _("This is a"),
            "author_name": _("Your name (optional)"),
            "show_author_name": _("Show my name with the proposal"),
            "author_phone": _("Phone (optional, not published)"),
            "author_email": _("E-mail (optional, not published)"),
        }
        widgets = {"kind": forms.RadioSelect, "topic": QuickSelect, "village": QuickSelect}

    field_order = [
        "kind",
        "topic",
        "village",
        "text",
        "author_name",
        "show_author_name",
        "author_phone",
        "author_email",
        "consent",
        "website",
    ]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].empty_label = _("Not about one village")
        offer_villages(self, "village", municipality)
        self.fields["author_name"].max_length = 200
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["text"].widget.attrs["maxlength"] = settings.PROPOSAL_TEXT_MAX
        self.fields["text"].help_text = gettext("From %(min)s to %(max)s characters.") % {
            "min": settings.PROPOSAL_TEXT_MIN,
            "max": settings.PROPOSAL_TEXT_MAX,
        }

    def clean_text(self):
        return strip_control(self.cleaned_data["text"]).strip()

    def clean_author_name(self):
        return strip_control(self.cleaned_data["author_name"]).strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            # Said to the page as a whole: the trap field itself is invisible.
            raise forms.ValidationError(
                _("Your submission could not be accepted."), code="honeypot"
            )
        if cleaned.get("show_author_name") and not cleaned.get("author_name", "").strip():
            self.add_error("author_name", _("Write the name you want shown."))
        return cleaned

    def save(self, commit=True):
        proposal = super().save(commit=False)
        # Stored in the language the resident wrote in; the other falls back to it.
        proposal.text = self.cleaned_data["text"].strip()
        return proposal


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        help_text=_("Eight letters and digits, as on your receipt, e.g. K7QM-4P9X."),
    )

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _("This is not a tracking code. It has eight letters and digits, e.g. K7QM-4P9X."),
                code="malformed",
            )
        return code


# How many hearings the proposals list's filter offers.
HEARING_CHOICES = 30


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + [(k, v[1]) for k, v in STATUS_FILTERS.items()],
    )
    topic = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Topic"),
        required=False,
        choices=[("", _("Any topic")), *Topic.choices],
    )
    kind = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Kind"),
        required=False,
        choices=[("", _("Proposals and questions")), *Proposal.Kind.choices],
    )
    village = forms.ModelChoiceField(
        widget=QuickSelect,
        label=_("Village"),
        required=False,
        queryset=None,
        empty_label=_("Any village"),
    )
    hearing = forms.ModelChoiceField(
        widget=QuickSelect,
        label=_("Hearing"),
        required=False,
        queryset=None,
        empty_label=_("Any hearing"),
    )
    year = forms.TypedChoiceField(
        widget=QuickSelect, label=_("Year"), required=False, coerce=int, choices=()
    )
    # From a budget line's "and N more" link: the proposals it took in.
    line = forms.ModelChoiceField(
        widget=forms.HiddenInput,
        label=_("Budget line"),
        required=False,
        queryset=None,
        error_messages={
            "invalid_choice": _("This line is in none of the municipality's published budgets.")
        },
    )

    def __init__(self, *args, municipality, years, **kwargs):
        super().__init__(*args, **kwargs)
        offer_villages(self, "village", municipality)
        checks_choice(
            self,
            "line",
            lambda: (
                BudgetLine.objects.filter(budget__municipality=municipality)
                .exclude(budget__status=BudgetStatus.DRAFT)
                .select_related("budget")
            ),
        )
        hearings = municipality.hearings.all
        checks_choice(self, "hearing", hearings)
        self.fields["year"].choices = [("", _("Any year"))] + [(y, y) for y in years]
        # The list offers the latest hearings only (a municipality holds
        # about twenty a year); any of them is still accepted, as the link
        # from a hearing's own page gives, and shown when chosen.
        latest = remembered(
            municipality.pk,
            "latest-hearings",
            lambda: [(hearing.pk, str(hearing)) for hearing in hearing_labels(hearings())],
        )
        chosen = self.data.get("hearing") if self.is_bound else None
        if str(chosen or "").isdigit() and int(chosen) not in {pk for pk, _label in latest}:
            # Older than all of them: it comes last.
            latest = latest + [
                (hearing.pk, str(hearing))
                for hearing in hearing_labels(hearings().filter(pk=chosen))
            ]
        self.fields["hearing"].widget.choices = [
            ("", self.fields["hearing"].empty_label),
            *latest,
        ]


def hearing_labels(hearings):
    """The latest hearings, with what a choice shows: not the announcement
    and protocol texts."""
    labels = hearings.only(*in_every_language("title"), "starts_at")
    return labels.order_by("-starts_at", "-pk")[:HEARING_CHOICES]
