"""Forms of the staff's admin pages for hearings and proposals.

State and decisions never reach the model through these forms: they are
checked here, next to the field that causes an error, and written by the
services, so every change lands in the history.
"""

import itertools

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from budget.models import BudgetLine, Priority
from groups.models import InitiativeGroup
from portal.models import Village
from projects.models import Project

from . import services
from .models import Hearing, Proposal

Status = Proposal.Status
UNDECIDED = [Status.RECEIVED, Status.UNDER_REVIEW]


def add_errors(form, error):
    """Put a service's ValidationError on the form's fields (or the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def check_dates(form, received_on, decided_on, decided_field="decision_date"):
    """Nothing received or decided in the future, nor decided before received."""
    today = timezone.localdate()
    if received_on and received_on > today and "received_on" in form.fields:
        form.add_error("received_on", _("This date is in the future."))
    if decided_on and decided_on > today:
        form.add_error(decided_field, _("A decision cannot be dated in the future."))
    if decided_on and received_on and decided_on < received_on:
        form.add_error(decided_field, _("A decision cannot come before the item was received."))


# check_target's fields, and the decision forms' fields that stand for them.
TARGET_FIELDS = {
    "priority": "decision_priority",
    "budget_line": "decision_budget_line",
    "project": "decision_project",
}


def priorities_for(municipality_id, programme_id=None):
    """The priorities a decision may name: the municipality's, or only the
    programme's when the hearing discussed one."""
    queryset = Priority.objects.filter(programme__municipality_id=municipality_id)
    if programme_id:
        queryset = queryset.filter(programme_id=programme_id)
    return queryset.select_related("programme").order_by(
        "-programme__first_year", "programme_id", "number", "pk"
    )


def budget_lines_for(municipality_id, budget_id=None):
    """The expenditure lines a decision may name: the municipality's, or only
    the budget's when the hearing discussed one."""
    queryset = BudgetLine.objects.filter(
        budget__municipality_id=municipality_id, kind=BudgetLine.Kind.EXPENDITURE
    )
    if budget_id:
        queryset = queryset.filter(budget_id=budget_id)
    return queryset.select_related("budget").order_by("-budget__year", "kind", "code", "pk")


def projects_for(municipality_id):
    """The projects a decision may name: the municipality's, newest first."""
    return Project.objects.filter(municipality_id=municipality_id).order_by(
        "-started_on", "title", "pk"
    )


def project_choices(projects):
    return [("", "---------"), *((p.pk, str(p)) for p in projects)]


def grouped_choices(objects, group):
    """Choices from one query, under a heading for each programme or budget."""
    return [
        ("", "---------"),
        *(
            (heading, [(o.pk, str(o)) for o in items])
            for heading, items in itertools.groupby(objects, key=group)
        ),
    ]


def priority_choices(priorities):
    return grouped_choices(priorities, lambda p: str(p.programme))


def budget_line_choices(lines):
    return grouped_choices(lines, lambda line: str(line.budget))


def add_target_errors(form, error, fields=TARGET_FIELDS):
    """check_target's errors, next to the form's fields for the target."""
    for field, messages in error.message_dict.items():
        form.add_error(fields.get(field, field), messages)


def decision_text(label):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionFields(forms.Form):
    """The decision part of a proposal's forms: status, reason or answer, date.

    Form fields named apart from the model's: the admin would otherwise copy
    them onto the proposal, and the decision is written by the services only.
    """

    new_status = forms.ChoiceField(label=_("Decision"), required=False)
    decision_text_ky = decision_text(_("Reason or answer, in Kyrgyz"))
    decision_text_ru = decision_text(_("Reason or answer, in Russian"))
    decision_date = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("Today, if left empty."),
    )
    # Where an accepted proposal went. The choices are set for the page
    # (setup_targets): this municipality's, and the hearing's programme or budget.
    decision_priority = forms.ModelChoiceField(
        label=_("Programme priority"), queryset=Priority.objects.none(), required=False
    )
    decision_budget_line = forms.ModelChoiceField(
        label=_("Budget line"), queryset=BudgetLine.objects.none(), required=False
    )
    decision_project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )

    def setup_targets(
        self,
        proposal,
        priorities,
        priority_choices,
        lines,
        line_choices,
        projects,
        projects_choices,
    ):
        """Offer the targets that fit; a recorded decision's target is shown, not edited."""
        targets = [
            ("decision_priority", priorities, priority_choices, "priority"),
            ("decision_budget_line", lines, line_choices, "budget_line"),
            ("decision_project", projects, projects_choices, "project"),
        ]
        for name, queryset, choices, attribute in targets:
            field = self.fields[name]
            if proposal.pk and proposal.is_decided:
                # The proposal's target comes with the row (select_related): no query.
                target = getattr(proposal, attribute)
                field.queryset = queryset.model.objects.filter(pk=getattr(target, "pk", None))
                field.choices = [("", "---------"), *([(target.pk, str(target))] if target else [])]
                field.disabled = True
                self.initial[name] = getattr(target, "pk", None)
            else:
                field.queryset = queryset
                field.choices = choices

    def setup_decision(self, proposal):
        """Offer the moves allowed from the proposal's status; a recorded
        decision is shown, not edited (a correction changes it)."""
        current = proposal.status if proposal.pk else Status.RECEIVED
        # Every decision, whatever the kind: the kind may change in the same
        # save, and a wrong pair gets a message rather than a missing option.
        moves = [(s, Status(s).label) for s in Proposal.TRANSITIONS[current] if s != Status.REFUSED]
        self.fields["new_status"].choices = [("", "—"), *moves]
        if proposal.pk and proposal.is_decided:
            for name in ("decision_text_ky", "decision_text_ru", "decision_date"):
                self.fields[name].disabled = True
                self.fields[name].help_text = ""
            self.initial.update(
                decision_text_ky=proposal.decision_ky,
                decision_text_ru=proposal.decision_ru,
                decision_date=proposal.decided_on,
            )
            if not moves:
                self.fields["new_status"].choices = [(current, Status(current).label)]
                self.fields["new_status"].disabled = True
                self.initial["new_status"] = current

    def clean_decision(self, proposal, kind, municipality_id=None):
        """Check the chosen move; errors go next to the decision's fields."""
        cleaned = self.cleaned_data
        new_status = cleaned.get("new_status")
        decided = proposal.pk and proposal.is_decided
        if decided and new_status == proposal.status:
            return
        texts = {
            "decision_ky": (cleaned.get("decision_text_ky") or "").strip(),
            "decision_ru": (cleaned.get("decision_text_ru") or "").strip(),
        }
        if new_status:
            current = proposal.status if proposal.pk else Status.RECEIVED
            probe = Proposal(kind=kind or proposal.kind, status=current)
            try:
                services.check_transition(probe, new_status, **texts)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    self.add_error("decision_text_ky", error.message_dict["decision"])
                else:
                    self.add_error("new_status", error.messages)
        priority = cleaned.get("decision_priority")
        line = cleaned.get("decision_budget_line")
        project = cleaned.get("decision_project")
        if priority and line:
            self.add_error("decision_budget_line", _("Name a priority or a budget line, not both."))
        elif project and (priority or line):
            self.add_error(
                "decision_project",
                _("Name one place the proposal went: a priority, a budget line or a project."),
            )
        elif new_status in Proposal.DECIDED_STATUSES and not any(
            # A wrong decision, or a target not offered, says so already.
            self.has_error(name)
            for name in ("new_status", *TARGET_FIELDS.values())
        ):
            probe = Proposal(kind=kind or proposal.kind, municipality_id=municipality_id)
            try:
                services.check_target(probe, new_status, priority or line or project)
            except ValidationError as error:
                add_target_errors(self, error)
        if (
            not decided
            and (any(texts.values()) or cleaned.get("decision_date") or priority or line or project)
            and new_status not in Proposal.DECIDED_STATUSES
        ):
            self.add_error(
                "new_status",
                _(
                    "Choose the decision that this text, date, priority, budget line "
                    "or project belongs to."
                ),
            )

    def decision_changed(self, proposal):
        new_status = self.cleaned_data.get("new_status")
        return bool(new_status) and new_status != proposal.status

    def apply_decision(self, proposal, *, by):
        if not self.decision_changed(proposal):
            return proposal
        data = self.cleaned_data
        return services.change_status(
            proposal,
            data["new_status"],
            by=by,
            target=(
                data.get("decision_priority")
                or data.get("decision_budget_line")
                or data.get("decision_project")
            ),
            decision_ky=data.get("decision_text_ky") or "",
            decision_ru=data.get("decision_text_ru") or "",
            decided_on=data.get("decision_date"),
        )


# --- A hearing with its items, in one pass --------------------------------

# What staff may change on an item already entered, from the hearing's page.
ITEM_CONTENT_FIELDS = [
    "protocol_number",
    "kind",
    "topic",
    "village",
    "group",
    "text_ky",
    "text_ru",
    "author_name",
    "show_author_name",
]


class HearingItemForm(DecisionFields, forms.ModelForm):
    """One proposal or question of a hearing's protocol, and its decision."""

    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("The hearing's date, if left empty."),
    )
    # Plain selects filled once per page (see HearingItemFormSet), with this
    # municipality's villages and groups only.
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Initiative group"), queryset=InitiativeGroup.objects.none(), required=False
    )

    class Meta:
        model = Proposal
        fields = ITEM_CONTENT_FIELDS
        labels = {"text_ky": _("Text in Kyrgyz"), "text_ru": _("Text in Russian")}
        widgets = {
            "text_ky": forms.Textarea(attrs={"rows": 3}),
            "text_ru": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        proposal = self.instance
        self.fields["protocol_number"].help_text = ""  # the label says it all, row after row
        self.setup_decision(proposal)
        if proposal.pk:
            self.fields["received_on"].disabled = True
            self.fields["received_on"].help_text = ""
            self.initial["received_on"] = timezone.localdate(proposal.submitted_at)
            if proposal.is_decided:
                # A slip in the kind of a decided item is fixed by a correction.
                self.fields["kind"].disabled = True

    def _get_validation_exclusions(self):
        # Numbers are checked across all rows by the formset, so that two
        # items can swap their numbers in one save.
        return super()._get_validation_exclusions() | {"protocol_number"}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text_ky", "").strip() or cleaned.get("text_ru", "").strip()):
            self.add_error(
                "text_ky", _("Write the proposal or question, in Kyrgyz, Russian or both.")
            )
        self.clean_decision(self.instance, cleaned.get("kind"), self.instance.municipality_id)
        if self.instance.pk:
            received_on = timezone.localdate(self.instance.submitted_at)
        else:
            received_on = cleaned.get("received_on") or self.hearing_day
        check_dates(self, received_on, cleaned.get("decision_date"))
        return cleaned

    hearing_day = None  # the day of the hearing, when known
    numbered = False  # whether the formset gave this item its number

    def resulting_status(self):
        new_status = self.cleaned_data.get("new_status")
        return new_status or (self.instance.status if self.instance.pk else Status.RECEIVED)


class HearingItemFormSet(BaseInlineFormSet):
    """The items of one hearing, in protocol order."""

    municipality = None  # set by the inline for the request

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # One query for each list per page, not one per row.
        form.fields["village"].queryset = self.villages
        form.fields["village"].choices = self.village_choices
        form.fields["group"].queryset = self.groups
        form.fields["group"].choices = self.group_choices
        form.setup_targets(
            form.instance,
            self.priorities,
            self.priority_choices,
            self.budget_lines,
            self.budget_line_choices,
            self.projects,
            self.project_choices,
        )

    @property
    def villages(self):
        return Village.objects.filter(municipality=self.municipality)

    @property
    def groups(self):
        return InitiativeGroup.objects.filter(municipality=self.municipality)

    @property
    def priorities(self):
        return priorities_for(getattr(self.municipality, "pk", None), self.instance.programme_id)

    @property
    def budget_lines(self):
        return budget_lines_for(getattr(self.municipality, "pk", None), self.instance.budget_id)

    @property
    def projects(self):
        return projects_for(getattr(self.municipality, "pk", None))

    @property
    def project_choices(self):
        if not hasattr(self, "_project_choices"):
            self._project_choices = project_choices(self.projects)
        return self._project_choices

    @property
    def priority_choices(self):
        if not hasattr(self, "_priority_choices"):
            self._priority_choices = priority_choices(self.priorities)
        return self._priority_choices

    @property
    def budget_line_choices(self):
        if not hasattr(self, "_budget_line_choices"):
            self._budget_line_choices = budget_line_choices(self.budget_lines)
        return self._budget_line_choices

    @property
    def village_choices(self):
        if not hasattr(self, "_village_choices"):
            self._village_choices = [("", "---------"), *((v.pk, str(v)) for v in self.villages)]
        return self._village_choices

    @property
    def group_choices(self):
        if not hasattr(self, "_group_choices"):
            self._group_choices = [("", "---------"), *((g.pk, str(g)) for g in self.groups)]
        return self._group_choices

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The hearing may not be saved yet: its items take its municipality
        # now, so that their own checks see it.
        if form.instance.municipality_id is None:
            form.instance.municipality_id = self.instance.municipality_id
        if self.instance.starts_at:
            form.hearing_day = timezone.localdate(self.instance.starts_at)
        return form

    def filled_forms(self):
        return [f for f in self.forms if f.instance.pk or f.has_changed()]

    def clean(self):
        super().clean()
        forms_ = [f for f in self.filled_forms() if f.is_valid()]
        self._number_items(forms_)
        if self.instance.status == Hearing.Status.PUBLISHED:
            undecided = [f for f in forms_ if f.resulting_status() in UNDECIDED]
            for form in undecided:
                form.add_error(
                    "new_status", _("Record a decision: the hearing's results are being published.")
                )
            if undecided:
                raise ValidationError(
                    ngettext(
                        "%(count)d item has no decision yet. Record a decision for every "
                        "item (or defer it) before publishing the results.",
                        "%(count)d items have no decision yet. Record a decision for every "
                        "item (or defer it) before publishing the results.",
                        len(undecided),
                    )
                    % {"count": len(undecided)}
                )

    def _number_items(self, forms_):
        """Each item keeps or gets its own number in the protocol."""
        in_forms = [f.instance.pk for f in forms_ if f.instance.pk]
        taken = set()
        if self.instance.pk:
            taken = set(
                self.instance.proposals.exclude(pk__in=in_forms)
                .exclude(protocol_number=None)
                .values_list("protocol_number", flat=True)
            )
        for form in forms_:
            number = form.cleaned_data.get("protocol_number")
            if number is None:
                continue
            if number in taken:
                form.add_error(
                    "protocol_number", _("Another item of this hearing has this number.")
                )
            taken.add(number)
        next_free = 1
        for form in forms_:
            if form.cleaned_data.get("protocol_number") is None and "protocol_number" in (
                form.cleaned_data
            ):
                while next_free in taken:
                    next_free += 1
                form.instance.protocol_number = next_free
                form.numbered = True
                taken.add(next_free)


class HearingAdminForm(forms.ModelForm):
    """The hearing itself; its status rules are checked here, next to the fields."""

    class Meta:
        model = Hearing
        # The admin's fieldsets decide the fields.
        fields = ["status"]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != Hearing.Status.ANNOUNCED:
            probe = Hearing(
                starts_at=cleaned.get("starts_at"),
                attendance_total=cleaned.get("attendance_total"),
            )
            try:
                # Undecided items are the item rows' business (the formset).
                services.check_hearing_status(probe, status, undecided=0)
            except ValidationError as error:
                add_errors(self, error)
        return cleaned


# --- One proposal ----------------------------------------------------------


class ProposalAdminForm(DecisionFields, forms.ModelForm):
    """A proposal's own page: content, and the next move of its status."""

    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("The date on the letter, or the hearing's date; today, if left empty."),
    )

    class Meta:
        model = Proposal
        # The admin's fieldsets decide the fields; modeltranslation adds the languages.
        fields = ["kind", "topic", "village", "text"]

    # The request's municipality, for a proposal not saved yet (set by the admin).
    default_municipality_id = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_status"].label = _("Change the status to")
        self.fields["new_status"].help_text = _(
            "Only the moves allowed from the current status are offered."
        )
        self.setup_decision(self.instance)
        proposal = self.instance
        hearing = proposal.hearing if proposal.hearing_id else None
        municipality_id = proposal.municipality_id or self.default_municipality_id
        priorities = priorities_for(municipality_id, hearing and hearing.programme_id)
        lines = budget_lines_for(municipality_id, hearing and hearing.budget_id)
        projects = projects_for(municipality_id)
        self.setup_targets(
            proposal,
            priorities,
            priority_choices(priorities),
            lines,
            budget_line_choices(lines),
            projects,
            project_choices(projects),
        )
        if not proposal.is_decided:
            self.fields["decision_priority"].help_text = _(
                "Required when accepted into the programme."
            )
            self.fields["decision_budget_line"].help_text = _(
                "Required when accepted into the budget."
            )
            self.fields["decision_project"].help_text = _("Required when accepted into a project.")

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        self.clean_decision(
            self.instance,
            cleaned.get("kind"),
            self.instance.municipality_id or getattr(municipality, "pk", None),
        )
        if self.instance.pk:
            received_on = timezone.localdate(self.instance.submitted_at)
        else:
            received_on = cleaned.get("received_on")
            hearing = cleaned.get("hearing")
            if received_on is None and hearing is not None:
                received_on = timezone.localdate(hearing.starts_at)
        check_dates(self, received_on, cleaned.get("decision_date"))
        return cleaned


class CorrectionForm(forms.Form):
    """Correct a recorded decision or the item's kind; the reason is public."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices)
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s, Status(s).label) for s in Proposal.DECIDED_STATUSES],
    )
    decision_ky = decision_text(_("Reason or answer, in Kyrgyz"))
    decision_ru = decision_text(_("Reason or answer, in Russian"))
    decided_on = forms.DateField(label=_("Decided on"), widget=AdminDateWidget)
    # Named as check_target names them; the choices are set for the proposal.
    priority = forms.ModelChoiceField(
        label=_("Programme priority"),
        queryset=Priority.objects.none(),
        required=False,
        help_text=_("Required when accepted into the programme."),
    )
    budget_line = forms.ModelChoiceField(
        label=_("Budget line"),
        queryset=BudgetLine.objects.none(),
        required=False,
        help_text=_("Required when accepted into the budget."),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("Required when accepted into a project."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the item's history, without your name."),
    )

    def __init__(self, *args, proposal, **kwargs):
        self.proposal = proposal
        kwargs.setdefault(
            "initial",
            {
                "kind": proposal.kind,
                "status": proposal.status,
                "decision_ky": proposal.decision_ky,
                "decision_ru": proposal.decision_ru,
                "decided_on": proposal.decided_on,
                "priority": proposal.priority_id,
                "budget_line": proposal.budget_line_id,
                "project": proposal.project_id,
            },
        )
        super().__init__(*args, **kwargs)
        hearing = proposal.hearing if proposal.hearing_id else None
        priorities = priorities_for(proposal.municipality_id, hearing and hearing.programme_id)
        lines = budget_lines_for(proposal.municipality_id, hearing and hearing.budget_id)
        self.fields["priority"].queryset = priorities
        self.fields["priority"].choices = priority_choices(priorities)
        self.fields["budget_line"].queryset = lines
        self.fields["budget_line"].choices = budget_line_choices(lines)
        projects = projects_for(proposal.municipality_id)
        self.fields["project"].queryset = projects
        self.fields["project"].choices = project_choices(projects)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.check_correction(
                self.proposal,
                kind=cleaned["kind"],
                status=cleaned["status"],
                decision_ky=cleaned.get("decision_ky", ""),
                decision_ru=cleaned.get("decision_ru", ""),
                reason=cleaned.get("reason", ""),
            )
        except ValidationError as error:
            add_errors(self, error)
        priority, line = cleaned.get("priority"), cleaned.get("budget_line")
        project = cleaned.get("project")
        if priority and line:
            self.add_error("budget_line", _("Name a priority or a budget line, not both."))
        elif project and (priority or line):
            self.add_error(
                "project",
                _("Name one place the proposal went: a priority, a budget line or a project."),
            )
        elif not self.has_error("status"):
            try:
                services.check_target(self.proposal, cleaned["status"], priority or line or project)
            except ValidationError as error:
                add_target_errors(self, error, fields={})
        received_on = timezone.localdate(self.proposal.submitted_at)
        check_dates(self, received_on, cleaned.get("decided_on"), "decided_on")
        unchanged = all(
            str(cleaned.get(name) or "").strip() == str(self.initial.get(name) or "").strip()
            for name in ("kind", "status", "decision_ky", "decision_ru", "decided_on")
        ) and (
            getattr(priority, "pk", None),
            getattr(line, "pk", None),
            getattr(project, "pk", None),
        ) == (
            self.initial.get("priority"),
            self.initial.get("budget_line"),
            self.initial.get("project"),
        )
        if unchanged:
            self.add_error(
                None,
                _(
                    "Nothing is changed: correct the kind, decision, priority, budget "
                    "line, project or date."
                ),
            )
        return cleaned

    def target(self):
        data = self.cleaned_data
        return data.get("priority") or data.get("budget_line") or data.get("project")
