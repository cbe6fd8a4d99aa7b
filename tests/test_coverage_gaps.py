"""Rules of the services and models that no other test reached (found by
`make coverage-check`), each tested for what it is for."""

import datetime
import io
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.test import RequestFactory
from django.utils import timezone

from groups import services as group_services
from groups.models import InitiativeGroup, Membership
from hearings import codes, services
from hearings.models import Hearing, Proposal
from portal import views
from portal.models import Village
from portal.roles import MODERATORS, STAFF
from portal.templatetags.amounts import amount
from tests.factories import (
    HearingFactory,
    InitiativeGroupFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ProposalFactory,
)

S = Proposal.Status
# A moment of no importance, frozen: the rules below compare with "today".
NOON = datetime.datetime(2026, 3, 18, 12, tzinfo=datetime.UTC)


def drawn(monkeypatch, *values):
    """new_code() answers `values` in turn, then fresh codes; returns what it gave."""
    real, queue, given = codes.new_code, list(values), []

    def new_code():
        given.append(queue.pop(0) if queue else real())
        return given[-1]

    monkeypatch.setattr(codes, "new_code", new_code)
    return given


def item(municipality, **fields):
    return Proposal(
        municipality=municipality, kind="proposal", topic="water", text_ky="Сунуш", **fields
    )


# --- Tracking codes: a clash draws again, anything else does not ------------


def test_a_tracking_code_already_taken_is_drawn_again(municipality, monkeypatch):
    ProposalFactory(municipality=municipality, tracking_code="AAAAAAAA")
    given = drawn(monkeypatch, "AAAAAAAA", "BBBBBBBB")
    proposal = services.register(item(municipality))
    assert given == ["AAAAAAAA", "BBBBBBBB"]
    proposal.refresh_from_db()
    assert proposal.tracking_code == "BBBBBBBB"


def test_five_clashes_in_a_row_give_up_and_save_nothing(municipality, monkeypatch):
    ProposalFactory(municipality=municipality, tracking_code="AAAAAAAA")
    given = drawn(monkeypatch, *["AAAAAAAA"] * 6)
    with pytest.raises(IntegrityError, match="free tracking code"):
        services.register(item(municipality))
    assert len(given) == 5
    assert Proposal.objects.count() == 1


def test_another_database_refusal_is_not_mistaken_for_a_clash(municipality, monkeypatch):
    # submit_online leaves the text to the form and the database: without
    # one, the database refuses at once, and no second code is drawn.
    given = drawn(monkeypatch)
    with pytest.raises(IntegrityError, match="proposal_has_text"):
        services.submit_online(
            Proposal(municipality=municipality, kind="proposal", topic="water"), address="10.0.0.1"
        )
    assert len(given) == 1


# --- When a proposal was received -------------------------------------------


def test_an_item_dated_on_its_hearings_day_keeps_the_hearings_time(municipality):
    hearing = HearingFactory(municipality=municipality)  # 2022-11-25 14:00 UTC
    day = timezone.localdate(hearing.starts_at)
    proposal = services.register(item(municipality, hearing=hearing), received_on=day)
    assert proposal.submitted_at == hearing.starts_at


def test_a_letter_without_a_date_is_received_now(municipality):
    with time_machine.travel(NOON, tick=False):
        proposal = services.register(item(municipality, origin="paper"))
    proposal.refresh_from_db()
    assert proposal.submitted_at == NOON
    assert proposal.events.get().at == NOON


# --- One entry point for every next state -----------------------------------


def test_change_status_publishes_and_starts_reviews_too(municipality, clerk):
    online = ProposalFactory(
        municipality=municipality, origin="online", status=S.AWAITING_MODERATION
    )
    assert services.change_status(online, S.RECEIVED, by=clerk).status == S.RECEIVED
    assert services.change_status(online, S.UNDER_REVIEW, by=clerk).status == S.UNDER_REVIEW
    online.refresh_from_db()
    assert online.status == S.UNDER_REVIEW
    assert list(online.events.order_by("pk").values_list("to_status", flat=True)) == [
        S.RECEIVED,
        S.UNDER_REVIEW,
    ]


# --- Corrections --------------------------------------------------------------


def test_only_a_recorded_decision_is_corrected(municipality):
    proposal = ProposalFactory(municipality=municipality)  # received, undecided
    with pytest.raises(ValidationError) as refused:
        services.check_correction(
            proposal, kind="proposal", status=S.ACCEPTED_BUDGET, reason="Протоколдо башкача."
        )
    assert set(refused.value.message_dict) == {"status"}


@pytest.mark.parametrize(
    ("kind", "status"), [("question", S.ACCEPTED_BUDGET), ("proposal", S.ANSWERED)]
)
def test_a_correction_keeps_the_decision_fit_for_the_kind(municipality, clerk, kind, status):
    proposal = ProposalFactory(municipality=municipality)
    proposal = services.record_decision(proposal, S.DEFERRED, by=clerk)
    assert proposal.is_decided  # the kind alone is at fault
    with pytest.raises(ValidationError) as refused:
        services.check_correction(
            proposal, kind=kind, status=status, decision_ky="Жооп", reason="Ката кетиптир."
        )
    assert set(refused.value.message_dict) == {"status"}


@pytest.mark.parametrize(("kind", "status"), [("proposal", S.REJECTED), ("question", S.ANSWERED)])
def test_a_corrected_rejection_or_answer_needs_its_text(municipality, clerk, kind, status):
    proposal = ProposalFactory(municipality=municipality, kind=kind)
    proposal = services.record_decision(proposal, S.DEFERRED, by=clerk)
    with pytest.raises(ValidationError) as refused:
        services.check_correction(proposal, kind=kind, status=status, reason="Ката кетиптир.")
    assert set(refused.value.message_dict) == {"decision_ky"}
    services.check_correction(
        proposal, kind=kind, status=status, decision_ru="Текст", reason="Ката кетиптир."
    )


def test_a_correction_says_why(municipality, clerk):
    proposal = ProposalFactory(municipality=municipality)
    proposal = services.record_decision(proposal, S.DEFERRED, by=clerk)
    with pytest.raises(ValidationError) as refused:
        services.check_correction(proposal, kind="proposal", status=S.ACCEPTED_BUDGET, reason="  ")
    assert set(refused.value.message_dict) == {"reason"}


# --- Hearings -------------------------------------------------------------------


def test_a_hearing_is_announced_before_its_date_and_without_figures(municipality):
    hearing = HearingFactory.build(
        municipality=municipality,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        attendance_total=None,
    )
    services.check_hearing_status(hearing, Hearing.Status.ANNOUNCED, undecided=3)
    with pytest.raises(ValidationError):
        services.check_hearing_status(hearing, Hearing.Status.HELD)


def test_a_hearing_without_a_protocol_is_deleted_without_touching_storage(
    municipality, django_capture_on_commit_callbacks
):
    hearing = HearingFactory(municipality=municipality)
    assert not hearing.protocol_file
    storage = hearing.protocol_file.storage
    with (
        mock.patch.object(storage, "delete", side_effect=AssertionError("storage touched")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.delete_hearing(hearing)
    assert not Hearing.objects.exists()


def test_a_proposal_of_no_known_municipality_yet_is_left_to_its_form():
    # An item typed into a new hearing's page before the hearing has one.
    Proposal(village=Village(municipality_id=7, name_ky="Айыл"), text_ky="Сунуш").clean()


# --- Initiative groups ------------------------------------------------------------


def test_add_member_records_a_membership_and_checks_it(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    person = PersonFactory(municipality=municipality)
    membership = group_services.add_member(
        group, person, role="chair", joined_on=datetime.date(2024, 5, 1)
    )
    assert Membership.objects.get() == membership
    with pytest.raises(ValidationError, match="Топтун төрагасы бар"):
        group_services.add_member(
            group,
            PersonFactory(municipality=municipality),
            role="chair",
            joined_on=datetime.date(2024, 6, 1),
        )


def test_a_person_of_another_municipality_is_not_a_member(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    stranger = PersonFactory(municipality=MunicipalityFactory())
    with pytest.raises(ValidationError) as refused:
        group_services.add_member(group, stranger, joined_on=datetime.date(2024, 5, 1))
    assert set(refused.value.message_dict) == {"person"}
    assert not Membership.objects.exists()


def test_a_membership_ends_today_unless_told(municipality):
    membership = MembershipFactory(
        group__municipality=municipality, joined_on=datetime.date(2024, 5, 1)
    )
    with time_machine.travel(NOON, tick=False):
        group_services.end_membership(membership)
    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate(NOON)


def test_dissolving_or_reactivating_twice_changes_nothing(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    group_services.reactivate_group(group)  # already active
    group.refresh_from_db()
    assert (group.status, group.dissolved_on) == (InitiativeGroup.Status.ACTIVE, None)
    group_services.dissolve_group(group, on=datetime.date(2025, 1, 10))
    group_services.dissolve_group(group, on=datetime.date(2025, 6, 1))
    group.refresh_from_db()
    assert group.dissolved_on == datetime.date(2025, 1, 10)


# --- Commands, last-resort pages, filters ----------------------------------------


def test_sync_roles_sets_up_both_roles_and_says_so(db):
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    staff, moderators = (Group.objects.get(name=name) for name in (STAFF, MODERATORS))
    assert f"{staff.name} ({staff.permissions.count()} " in out.getvalue()
    assert moderators.permissions.count() == 2
    call_command("sync_roles", stdout=io.StringIO())  # again: nothing doubles
    assert Group.objects.count() == 2


def test_the_503_page_still_answers_when_it_cannot_be_drawn(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the template engine is down too")

    monkeypatch.setattr(views, "render", broken)
    response = views.service_unavailable(RequestFactory().post("/ky/proposals/new/"))
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Retry-After"] == str(views.RETRY_AFTER)
    text = response.content.decode()
    assert "Кызмат убактылуу иштебей турат" in text and "Сервис временно недоступен" in text
    assert "could not be rendered" in caplog.text


def test_the_400_page_still_answers_when_it_cannot_be_drawn(monkeypatch):
    def broken(request, exception):
        raise RuntimeError("no template")

    monkeypatch.setattr(views.defaults, "bad_request", broken)
    response = views.bad_request(RequestFactory().get("/ky/"), Exception("bad"))
    assert response.status_code == 400
    assert response.content.decode() == "Сурам туура эмес. · Неверный запрос.\n"


@pytest.mark.parametrize(("value", "shown"), [(None, ""), ("", ""), ("көп", "көп"), ([1], [1])])
def test_amount_leaves_what_is_not_a_number_as_it_is(value, shown):
    assert amount(value) == shown
