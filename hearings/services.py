"""Every write to a proposal goes through here, each in one transaction,
and every change of state is recorded in its history.

Transactions are `with transaction.atomic():` blocks, not the decorator:
mutation testing (`make mutate`) skips decorated functions."""

import hashlib
import hmac
import ipaddress
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import codes
from .models import Hearing, HearingEvent, Proposal, ProposalEvent

Status = Proposal.Status
HearingStatus = Hearing.Status


class RateLimited(Exception):
    """Too many online submissions from one address in a short time."""


class QueueFull(Exception):
    """Too many online submissions await moderation: a safety valve for all."""


def moderation_backlog():
    """Online proposals that arrived within the last hour and still await moderation."""
    since = timezone.now() - timedelta(hours=1)
    return Proposal.objects.filter(
        status=Status.AWAITING_MODERATION, submitted_at__gte=since
    ).count()


def check_transition(proposal, to, *, decision_ky="", decision_ru=""):
    """Raise ValidationError with a clear message if proposal may not move to `to`."""
    if to not in proposal.allowed_next():
        raise ValidationError(
            _("A proposal that is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": Status(proposal.status).label,
                "new": Status(to).label,
            },
            code="illegal_transition",
        )
    if to in Proposal.TEXT_REQUIRED and not (decision_ky.strip() or decision_ru.strip()):
        message = (
            _("Give the reason for the rejection.")
            if to == Status.REJECTED
            else _("Write the answer to the question.")
        )
        raise ValidationError({"decision": message}, code="text_required")


def _day(date):
    """When a change dated only by its day took effect: now if today, else that morning."""
    if date == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(date, time.min))


def _transition(proposal, to, *, by=None, at=None):
    event = ProposalEvent.objects.create(
        proposal=proposal,
        from_status=proposal.status,
        to_status=to,
        by=by,
        at=at or timezone.now(),
    )
    proposal.status = to
    return event


def _save_with_new_code(proposal):
    """Save a new proposal under a fresh tracking code (retry on the rare clash)."""
    for _attempt in range(5):
        proposal.tracking_code = codes.new_code()
        try:
            with transaction.atomic():
                proposal.save()
            return proposal
        except IntegrityError as error:
            if "proposal_unique_tracking_code" not in str(error):
                raise
    raise IntegrityError("Could not find a free tracking code.")


def submitter_hash(address):
    """A keyed hash of the sender's address; IPv6 counts by its /64 network,
    which one household or phone can hop around in."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        key_source = address or ""
    else:
        key_source = (
            str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
        )
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, key_source.encode(), hashlib.sha256).hexdigest()


def submit_online(proposal, *, address):
    """A resident's proposal from the website: it waits for a moderator."""
    with transaction.atomic():
        fingerprint = submitter_hash(address)
        # Serialise submissions from one address so parallel requests cannot slip past the limit.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(fingerprint[:15], 16)])
        since = timezone.now() - timedelta(seconds=settings.PROPOSAL_RATE_WINDOW)
        recent = Proposal.objects.filter(submitter_hash=fingerprint, submitted_at__gte=since)
        if recent.count() >= settings.PROPOSAL_RATE_LIMIT:
            raise RateLimited
        if moderation_backlog() >= settings.PROPOSAL_QUEUE_LIMIT:
            raise QueueFull
        proposal.origin = Proposal.Origin.ONLINE
        proposal.status = Status.AWAITING_MODERATION
        proposal.submitter_hash = fingerprint
        proposal.submitted_at = timezone.now()
        _save_with_new_code(proposal)
        ProposalEvent.objects.create(proposal=proposal, to_status=proposal.status)
        return proposal


def next_protocol_number(hearing):
    last = hearing.proposals.aggregate(last=models.Max("protocol_number"))["last"]
    return (last or 0) + 1


def register(proposal, *, received_on=None, by=None):
    """A proposal entered by staff (from a hearing's protocol or a letter).

    It was received on `received_on` (a letter's date) or, when that is not
    given, at its hearing; typing it in later does not change that.
    """
    with transaction.atomic():
        if not proposal.origin:
            proposal.origin = (
                Proposal.Origin.HEARING if proposal.hearing_id else Proposal.Origin.PAPER
            )
        proposal.status = Status.RECEIVED
        hearing = proposal.hearing
        if hearing is not None:
            proposal.municipality_id = proposal.municipality_id or hearing.municipality_id
            if proposal.protocol_number is None and proposal.origin == Proposal.Origin.HEARING:
                proposal.protocol_number = next_protocol_number(hearing)
        if received_on is not None:
            if hearing is not None and received_on == timezone.localdate(hearing.starts_at):
                proposal.submitted_at = hearing.starts_at
            else:
                proposal.submitted_at = _day(received_on)
        elif hearing is not None:
            proposal.submitted_at = hearing.starts_at
        proposal.full_clean(exclude=["tracking_code"])
        _save_with_new_code(proposal)
        ProposalEvent.objects.create(
            proposal=proposal, to_status=proposal.status, by=by, at=proposal.submitted_at
        )
        return proposal


def _locked(proposal):
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def approve(proposal, *, by):
    """Moderation: publish an online proposal."""
    with transaction.atomic():
        proposal = _locked(proposal)
        check_transition(proposal, Status.RECEIVED)
        _transition(proposal, Status.RECEIVED, by=by)
        proposal.save(update_fields=["status"])
        return proposal


def refuse(proposal, *, reason, by):
    """Moderation: keep an online proposal from the public, as spam or abusive."""
    with transaction.atomic():
        proposal = _locked(proposal)
        check_transition(proposal, Status.REFUSED)
        _transition(proposal, Status.REFUSED, by=by)
        proposal.refusal_reason = reason
        proposal.save(update_fields=["status", "refusal_reason"])
        return proposal


def start_review(proposal, *, by):
    """Review a received proposal, or again a deferred one (its old decision goes)."""
    with transaction.atomic():
        proposal = _locked(proposal)
        check_transition(proposal, Status.UNDER_REVIEW)
        _transition(proposal, Status.UNDER_REVIEW, by=by)
        proposal.decision_ky = proposal.decision_ru = ""
        proposal.decided_on = proposal.decided_by = None
        proposal.save(
            update_fields=["status", "decision_ky", "decision_ru", "decided_on", "decided_by"]
        )
        return proposal


def check_target(proposal, status, target):
    """Raise ValidationError (by field) unless `target` is where a proposal
    with decision `status` went: the priority for the programme, the budget
    line for the budget, the project for a project, any one (or none) when
    partly accepted, else none."""
    from budget.models import BudgetLine, Priority
    from projects.models import Project

    if target is None:
        if status == Status.ACCEPTED_PROGRAMME:
            raise ValidationError(
                {"priority": _("Choose the programme priority that took this proposal in.")},
                code="target_required",
            )
        if status == Status.ACCEPTED_BUDGET:
            raise ValidationError(
                {"budget_line": _("Choose the budget line that took this proposal in.")},
                code="target_required",
            )
        if status == Status.ACCEPTED_PROJECT:
            raise ValidationError(
                {"project": _("Choose the project that took this proposal in.")},
                code="target_required",
            )
        return
    if isinstance(target, Priority):
        field, owner, fits = (
            "priority",
            target.programme.municipality_id,
            status in Proposal.PRIORITY_STATUSES,
        )
        wrong = _("Only a proposal accepted into the programme names a priority.")
    elif isinstance(target, BudgetLine):
        field, owner, fits = (
            "budget_line",
            target.budget.municipality_id,
            status in Proposal.BUDGET_LINE_STATUSES,
        )
        wrong = _("Only a proposal accepted into the budget names a budget line.")
        # What a proposal asks for is spent, never earned.
        if fits and target.kind != BudgetLine.Kind.EXPENDITURE:
            raise ValidationError(
                {field: _("Choose an expenditure line: a proposal is paid for, not earned.")},
                code="revenue_line",
            )
    elif isinstance(target, Project):
        field, owner, fits = (
            "project",
            target.municipality_id,
            status in Proposal.PROJECT_STATUSES,
        )
        wrong = _("Only a proposal accepted into a project names a project.")
    else:
        raise TypeError(f"Not a priority, a budget line or a project: {target!r}")
    if not fits:
        raise ValidationError({field: wrong}, code="target_not_allowed")
    if owner != proposal.municipality_id:
        raise ValidationError(
            {field: _("This belongs to another municipality.")}, code="other_municipality"
        )


def _set_target(proposal, target):
    from budget.models import BudgetLine, Priority
    from projects.models import Project

    proposal.priority = target if isinstance(target, Priority) else None
    proposal.budget_line = target if isinstance(target, BudgetLine) else None
    proposal.project = target if isinstance(target, Project) else None


def _write_decision(proposal, target, decision_ky, decision_ru, decided_on, by, also=()):
    """Save a decision (its status already set) with its target and text."""
    _set_target(proposal, target)
    proposal.decision_ky = decision_ky.strip()
    proposal.decision_ru = decision_ru.strip()
    proposal.decided_on = decided_on
    proposal.decided_by = by
    proposal.save(
        update_fields=[
            *also,
            "status",
            "priority",
            "budget_line",
            "project",
            "decision_ky",
            "decision_ru",
            "decided_on",
            "decided_by",
        ]
    )
    return proposal


def record_decision(
    proposal, status, *, target=None, decision_ky="", decision_ru="", decided_on=None, by
):
    """Decide on a proposal: accepted (into the programme, naming the
    priority `target`; into the budget, naming the budget line), partly
    accepted (either, or none), rejected (reason required), answered
    (questions, answer required) or deferred to next year."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if status not in Proposal.DECIDED_STATUSES:
            raise ValidationError(_("Choose a decision."), code="not_a_decision")
        check_transition(proposal, status, decision_ky=decision_ky, decision_ru=decision_ru)
        check_target(proposal, status, target)
        decided_on = decided_on or timezone.localdate()
        _transition(proposal, status, by=by, at=_day(decided_on))
        return _write_decision(proposal, target, decision_ky, decision_ru, decided_on, by)


def change_status(
    proposal, status, *, by, target=None, decision_ky="", decision_ru="", decided_on=None
):
    """One entry point for forms that offer every allowed next state."""
    if status == Status.RECEIVED:
        return approve(proposal, by=by)
    if status == Status.UNDER_REVIEW:
        return start_review(proposal, by=by)
    return record_decision(
        proposal,
        status,
        target=target,
        decision_ky=decision_ky,
        decision_ru=decision_ru,
        decided_on=decided_on,
        by=by,
    )


def check_correction(proposal, *, kind, status, decision_ky="", decision_ru="", reason=""):
    """Raise ValidationError (by field) unless this correction of a decision may be made."""
    errors = {}
    if not proposal.is_decided:
        errors["status"] = _("Only a recorded decision is corrected; this item has none yet.")
    decisions = (
        Proposal.QUESTION_DECISIONS
        if kind == Proposal.Kind.QUESTION
        else Proposal.PROPOSAL_DECISIONS
    )
    if status not in decisions:
        errors["status"] = _(
            "A question is answered; a proposal is accepted, rejected or deferred."
        )
    elif status in Proposal.TEXT_REQUIRED and not (decision_ky.strip() or decision_ru.strip()):
        errors["decision_ky"] = (
            _("Give the reason for the rejection.")
            if status == Status.REJECTED
            else _("Write the answer to the question.")
        )
    if not reason.strip():
        errors["reason"] = _("Say why the decision is corrected: residents will see it.")
    if errors:
        raise ValidationError(errors)


def correct_decision(
    proposal,
    *,
    kind,
    status,
    target=None,
    decision_ky="",
    decision_ru="",
    decided_on=None,
    reason,
    by,
):
    """Correct a slip in a recorded decision or in the item's kind.

    A decision is otherwise final; a correction is kept in the history with
    its reason, and the public timeline shows it.
    """
    with transaction.atomic():
        proposal = _locked(proposal)
        check_correction(
            proposal,
            kind=kind,
            status=status,
            decision_ky=decision_ky,
            decision_ru=decision_ru,
            reason=reason,
        )
        check_target(proposal, status, target)
        decided_on = decided_on or proposal.decided_on
        kind_changed = kind != proposal.kind
        ProposalEvent.objects.create(
            proposal=proposal,
            from_status=proposal.status,
            to_status=status,
            from_kind=proposal.kind if kind_changed else "",
            to_kind=kind if kind_changed else "",
            correction_reason=reason.strip(),
            by=by,
        )
        proposal.kind = kind
        proposal.status = status
        return _write_decision(
            proposal, target, decision_ky, decision_ru, decided_on, by, also=["kind"]
        )


# --- Hearings --------------------------------------------------------------


def check_hearing_status(hearing, status, *, undecided=None):
    """Raise ValidationError (by field) unless the hearing may have this status.

    `undecided` counts the items still without a decision; the database's
    count when not given.
    """
    if status == HearingStatus.ANNOUNCED:
        return
    errors = {}
    if hearing.starts_at and hearing.starts_at > timezone.now():
        errors["status"] = _(
            "A hearing cannot be held before its date. Change the date if it was held earlier."
        )
    if status == HearingStatus.PUBLISHED:
        if hearing.attendance_total is None:
            errors["attendance_total"] = _(
                "Enter the number of participants before publishing the results."
            )
        if undecided is None:
            undecided = (
                hearing.proposals.filter(status__in=[Status.RECEIVED, Status.UNDER_REVIEW]).count()
                if hearing.pk
                else 0
            )
        if undecided:
            errors.setdefault(
                "status",
                ngettext(
                    "%(count)d item has no decision yet. Record a decision for every item "
                    "(or defer it) before publishing the results.",
                    "%(count)d items have no decision yet. Record a decision for every item "
                    "(or defer it) before publishing the results.",
                    undecided,
                )
                % {"count": undecided},
            )
    if errors:
        raise ValidationError(errors)


def _delete_file_after_commit(storage, name):
    """Remove a stored file once the change that dropped it is committed
    (a rolled-back save keeps its file)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def save_hearing(hearing, *, previous_protocol=""):
    """Save a hearing's own fields; a protocol file it no longer points to
    (replaced or cleared) is removed from storage."""
    with transaction.atomic():
        hearing.save()
        if previous_protocol and previous_protocol != hearing.protocol_file.name:
            _delete_file_after_commit(hearing.protocol_file.storage, previous_protocol)
        return hearing


def delete_hearing(hearing):
    """Delete a hearing and, once that is committed, its protocol file."""
    with transaction.atomic():
        name, storage = hearing.protocol_file.name, hearing.protocol_file.storage
        hearing.delete()
        _delete_file_after_commit(storage, name)


def create_hearing(hearing, *, by):
    """Record a new hearing as announced. Held or published comes after,
    through set_hearing_status, once its items are in."""
    with transaction.atomic():
        hearing.status = HearingStatus.ANNOUNCED
        hearing.full_clean()
        hearing.save()
        HearingEvent.objects.create(hearing=hearing, to_status=hearing.status, by=by)
        return hearing


def set_hearing_status(hearing, status, *, by):
    """Move a hearing to `status` (held, results published...), recorded in its history."""
    with transaction.atomic():
        locked = Hearing.objects.select_for_update().get(pk=hearing.pk)
        if locked.status == status:
            return hearing
        check_hearing_status(locked, status)
        HearingEvent.objects.create(
            hearing=hearing, from_status=locked.status, to_status=status, by=by
        )
        hearing.status = status
        Hearing.objects.filter(pk=hearing.pk).update(status=status)
        return hearing
