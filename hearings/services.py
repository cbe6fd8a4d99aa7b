"""Every write to a proposal goes through here, each in one transaction,
and every change of state is recorded in its history."""

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import codes
from .models import Proposal, ProposalEvent

Status = Proposal.Status


class RateLimited(Exception):
    """Too many online submissions from one address in a short time."""


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


def _transition(proposal, to, *, by=None):
    event = ProposalEvent.objects.create(
        proposal=proposal, from_status=proposal.status, to_status=to, by=by
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


@transaction.atomic
def submit_online(proposal, *, address):
    """A resident's proposal from the website: it waits for a moderator."""
    fingerprint = submitter_hash(address)
    # Serialise submissions from one address so parallel requests cannot slip past the limit.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(fingerprint[:15], 16)])
    since = timezone.now() - timedelta(seconds=settings.PROPOSAL_RATE_WINDOW)
    recent = Proposal.objects.filter(submitter_hash=fingerprint, submitted_at__gte=since)
    if recent.count() >= settings.PROPOSAL_RATE_LIMIT:
        raise RateLimited
    proposal.origin = Proposal.Origin.ONLINE
    proposal.status = Status.AWAITING_MODERATION
    proposal.submitter_hash = fingerprint
    proposal.submitted_at = timezone.now()
    _save_with_new_code(proposal)
    ProposalEvent.objects.create(proposal=proposal, to_status=proposal.status)
    return proposal


@transaction.atomic
def register(proposal, *, by=None):
    """A proposal entered by staff (from a hearing's protocol or a letter)."""
    if not proposal.origin:
        proposal.origin = Proposal.Origin.HEARING if proposal.hearing_id else Proposal.Origin.PAPER
    proposal.status = Status.RECEIVED
    if proposal.hearing_id and not proposal.municipality_id:
        proposal.municipality_id = proposal.hearing.municipality_id
    proposal.full_clean(exclude=["tracking_code"])
    _save_with_new_code(proposal)
    ProposalEvent.objects.create(proposal=proposal, to_status=proposal.status, by=by)
    return proposal


def _locked(proposal):
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def approve(proposal, *, by):
    """Moderation: publish an online proposal."""
    proposal = _locked(proposal)
    check_transition(proposal, Status.RECEIVED)
    _transition(proposal, Status.RECEIVED, by=by)
    proposal.save(update_fields=["status"])
    return proposal


@transaction.atomic
def refuse(proposal, *, reason, by):
    """Moderation: keep an online proposal from the public, as spam or abusive."""
    proposal = _locked(proposal)
    check_transition(proposal, Status.REFUSED)
    _transition(proposal, Status.REFUSED, by=by)
    proposal.refusal_reason = reason
    proposal.save(update_fields=["status", "refusal_reason"])
    return proposal


@transaction.atomic
def start_review(proposal, *, by):
    """Review a received proposal, or again a deferred one (its old decision goes)."""
    proposal = _locked(proposal)
    check_transition(proposal, Status.UNDER_REVIEW)
    _transition(proposal, Status.UNDER_REVIEW, by=by)
    proposal.decision_ky = proposal.decision_ru = ""
    proposal.decided_on = proposal.decided_by = None
    proposal.save(
        update_fields=["status", "decision_ky", "decision_ru", "decided_on", "decided_by"]
    )
    return proposal


@transaction.atomic
def record_decision(proposal, status, *, decision_ky="", decision_ru="", decided_on=None, by):
    """Decide on a proposal: accepted, partly, rejected (reason required),
    answered (questions, answer required) or deferred to next year."""
    proposal = _locked(proposal)
    if status not in Proposal.DECIDED_STATUSES:
        raise ValidationError(_("Choose a decision."), code="not_a_decision")
    check_transition(proposal, status, decision_ky=decision_ky, decision_ru=decision_ru)
    _transition(proposal, status, by=by)
    proposal.decision_ky = decision_ky.strip()
    proposal.decision_ru = decision_ru.strip()
    proposal.decided_on = decided_on or timezone.localdate()
    proposal.decided_by = by
    proposal.save(
        update_fields=["status", "decision_ky", "decision_ru", "decided_on", "decided_by"]
    )
    return proposal


def change_status(proposal, status, *, by, decision_ky="", decision_ru="", decided_on=None):
    """One entry point for forms that offer every allowed next state."""
    if status == Status.RECEIVED:
        return approve(proposal, by=by)
    if status == Status.UNDER_REVIEW:
        return start_review(proposal, by=by)
    return record_decision(
        proposal,
        status,
        decision_ky=decision_ky,
        decision_ru=decision_ru,
        decided_on=decided_on,
        by=by,
    )
