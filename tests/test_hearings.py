import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from hearings import codes, services, views
from hearings.models import Hearing, Proposal
from hearings.validators import validate_protocol_file
from tests.factories import (
    BudgetLineFactory,
    HearingFactory,
    InitiativeGroupFactory,
    ProposalFactory,
    UserFactory,
    VillageFactory,
    target_for,
)

S = Proposal.Status


@pytest.fixture
def hearing(municipality):
    return HearingFactory(municipality=municipality)


def proposal_in(status, kind="proposal", **kwargs):
    return ProposalFactory(status=status, kind=kind, **kwargs)


# --- The state machine ---------------------------------------------------


def move(proposal, target, by):
    """Ask for a move through the service that makes it: each has its own guard."""
    if target == S.RECEIVED:
        return services.approve(proposal, by=by)
    if target == S.REFUSED:
        return services.refuse(proposal, reason="spam", by=by)
    if target == S.UNDER_REVIEW:
        return services.start_review(proposal, by=by)
    return services.record_decision(
        proposal,
        target,
        target=target_for(proposal.municipality, target),
        decision_ky="Себеби / жообу",
        by=by,
    )


def error_codes(error):
    return [e.code for e in error.error_list] if hasattr(error, "error_list") else []


@pytest.mark.parametrize(
    ("start", "kind", "target"),
    [
        (S.AWAITING_MODERATION, "proposal", S.RECEIVED),
        (S.AWAITING_MODERATION, "proposal", S.REFUSED),
        (S.RECEIVED, "proposal", S.UNDER_REVIEW),
        (S.RECEIVED, "proposal", S.ACCEPTED_BUDGET),
        (S.UNDER_REVIEW, "proposal", S.ACCEPTED_PROGRAMME),
        (S.UNDER_REVIEW, "proposal", S.PARTLY_ACCEPTED),
        (S.UNDER_REVIEW, "proposal", S.REJECTED),
        (S.UNDER_REVIEW, "question", S.ANSWERED),
        (S.UNDER_REVIEW, "proposal", S.DEFERRED),
        (S.DEFERRED, "proposal", S.UNDER_REVIEW),
    ],
)
def test_allowed_transitions_move_the_proposal_and_are_recorded(db, clerk, start, kind, target):
    proposal = proposal_in(start, kind)
    move(proposal, target, clerk)
    proposal.refresh_from_db()
    assert proposal.status == target
    event = proposal.events.get()
    assert (event.from_status, event.to_status, event.by) == (start, target, clerk)


@pytest.mark.parametrize(
    ("start", "kind", "target"),
    [
        (S.AWAITING_MODERATION, "proposal", S.ACCEPTED_BUDGET),  # not before moderation
        (S.AWAITING_MODERATION, "proposal", S.UNDER_REVIEW),
        (S.REFUSED, "proposal", S.RECEIVED),
        (S.RECEIVED, "proposal", S.REFUSED),  # refusal is for moderation only
        (S.RECEIVED, "proposal", S.RECEIVED),
        # Decisions are final: none goes back to review or to another decision.
        *(
            (decided, "proposal", S.UNDER_REVIEW)
            for decided in (
                S.ACCEPTED_PROGRAMME,
                S.ACCEPTED_BUDGET,
                S.ACCEPTED_PROJECT,
                S.PARTLY_ACCEPTED,
                S.REJECTED,
            )
        ),
        (S.ACCEPTED_BUDGET, "proposal", S.REJECTED),
        (S.PARTLY_ACCEPTED, "proposal", S.ACCEPTED_BUDGET),
        (S.REJECTED, "proposal", S.DEFERRED),
        (S.ANSWERED, "question", S.UNDER_REVIEW),
        (S.UNDER_REVIEW, "question", S.ACCEPTED_BUDGET),  # questions are answered
        (S.UNDER_REVIEW, "question", S.REJECTED),
        (S.UNDER_REVIEW, "proposal", S.ANSWERED),  # proposals are not
        (S.UNDER_REVIEW, "proposal", S.UNDER_REVIEW),
    ],
)
def test_refused_transitions_are_stopped_by_the_transition_rule(db, clerk, start, kind, target):
    proposal = proposal_in(start, kind)
    with pytest.raises(ValidationError) as error:
        move(proposal, target, clerk)
    assert error_codes(error.value) == ["illegal_transition"]
    proposal.refresh_from_db()
    assert proposal.status == start
    assert not proposal.events.exists()


@pytest.mark.parametrize("target", [S.RECEIVED, S.UNDER_REVIEW, S.REFUSED, "nonsense"])
def test_record_decision_takes_decisions_only(db, clerk, target):
    proposal = proposal_in(S.RECEIVED)
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, target, decision_ky="Себеби", by=clerk)
    assert error_codes(error.value) == ["not_a_decision"]
    proposal.refresh_from_db()
    assert proposal.status == S.RECEIVED
    assert not proposal.events.exists()


def test_a_rejection_needs_its_reason(db, clerk):
    proposal = proposal_in(S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, S.REJECTED, decision_ky="  ", by=clerk)
    assert "Четке кагуунун себебин жазыңыз" in str(error.value)
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(
            status=S.REJECTED, decided_on=timezone.localdate()
        )


def test_every_change_is_recorded_with_time_and_user(db, clerk):
    proposal = ProposalFactory(status=S.AWAITING_MODERATION, origin="online")
    services.approve(proposal, by=clerk)
    services.start_review(proposal, by=clerk)
    line = target_for(proposal.municipality, S.ACCEPTED_BUDGET)
    services.record_decision(
        proposal, S.ACCEPTED_BUDGET, target=line, decision_ru="Учтено", by=clerk
    )
    events = list(proposal.events.values_list("from_status", "to_status", "by"))
    assert events == [
        (S.AWAITING_MODERATION, S.RECEIVED, clerk.pk),
        (S.RECEIVED, S.UNDER_REVIEW, clerk.pk),
        (S.UNDER_REVIEW, S.ACCEPTED_BUDGET, clerk.pk),
    ]
    proposal.refresh_from_db()
    assert proposal.decided_by == clerk
    assert proposal.decided_on == timezone.localdate()


# --- Tracking codes ------------------------------------------------------


def test_tracking_codes_are_unambiguous_and_unique(db):
    generated = {codes.new_code() for _ in range(2000)}
    assert len(generated) == 2000
    assert not any(set(code) & set("01OI") for code in generated)
    first = ProposalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalFactory(tracking_code=first.tracking_code)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("k7qm-4p9x", "K7QM4P9X"),
        (" K7QM 4P9X ", "K7QM4P9X"),
        ("К7QМ-4Р9Х", "K7QM4P9X"),  # typed on a Cyrillic keyboard
        ("K7QM-4P9", ""),
        ("K7QM-4P90", ""),
    ],
)
def test_codes_are_normalised_as_residents_type_them(typed, expected):
    assert codes.normalise(typed) == expected


# --- Summary -------------------------------------------------------------


def test_hearing_summary_counts_match_the_rows(municipality, clerk):
    hearing = HearingFactory(municipality=municipality)
    group = InitiativeGroupFactory(municipality=municipality)
    common = {"municipality": municipality, "hearing": hearing, "origin": "hearing"}
    accepted = ProposalFactory.create_batch(3, **common, group=group)
    partly = ProposalFactory(**common)
    rejected = ProposalFactory(**common)
    question = ProposalFactory(**common, kind="question", group=group)
    ProposalFactory.create_batch(2, **common)  # still pending
    ProposalFactory(**common, status=S.AWAITING_MODERATION)  # not public, not counted
    line = BudgetLineFactory(budget__municipality=municipality)
    for proposal in accepted:
        services.record_decision(proposal, S.ACCEPTED_BUDGET, target=line, by=clerk)
    services.record_decision(partly, S.PARTLY_ACCEPTED, by=clerk)
    services.record_decision(rejected, S.REJECTED, decision_ky="Каражат жок", by=clerk)
    services.record_decision(question, S.ANSWERED, decision_ky="Жооп", by=clerk)
    summary = hearing.proposals.summary()
    assert summary == {
        "received": 8,
        "from_groups": 4,
        "accepted": 3,
        "partly": 1,
        "rejected": 1,
        "answered": 1,
        "deferred": 0,
        "pending": 2,
        "proposals": 7,
        "questions": 1,
    }
    assert summary["received"] == sum(
        summary[k] for k in ("accepted", "partly", "rejected", "answered", "deferred", "pending")
    )


def test_demo_hearings_hold_the_seed_figures(demo):  # load_demo, run twice: conftest.py
    programme = Hearing.objects.get(kind="programme")
    assert (programme.attendance_total, programme.attendance_women) == (83, 31)
    summary = programme.proposals.summary()
    assert summary["received"] == 23
    assert programme.proposals.filter(kind="question", group__isnull=False).count() == 11
    assert programme.proposals.filter(status=S.ACCEPTED_PROGRAMME).count() == 8
    budget = Hearing.objects.get(kind="budget", starts_at__year=2022)
    assert (
        budget.attendance_total,
        budget.attendance_women,
        budget.attendance_men,
        budget.attendance_groups,
    ) == (135, 57, 78, 25)
    assert budget.proposals.summary()["received"] == 11
    assert budget.proposals.filter(status=S.ACCEPTED_BUDGET).count() == 7
    assert Proposal.objects.filter(status=S.AWAITING_MODERATION).count() == 3
    assert not Proposal.objects.filter(text_ru="").exists()


# --- Attendance rules ----------------------------------------------------


@pytest.mark.parametrize(
    "counts",
    [
        {"attendance_total": 10, "attendance_women": 11},
        {"attendance_total": 10, "attendance_women": 6, "attendance_men": 5},
        {"attendance_total": 10, "attendance_groups": 12},
        {"attendance_total": None, "attendance_women": 3},
    ],
)
def test_attendance_parts_cannot_exceed_the_total(municipality, counts):
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingFactory(municipality=municipality, **counts)


def test_a_constraint_violation_gives_a_clear_admin_error(client, municipality, clerk):
    client.force_login(clerk)
    data = {
        "municipality": municipality.pk,
        "kind": "budget",
        "title_ky": "Угуу",
        "title_ru": "Слушания",
        "starts_at_0": "2022-11-25",
        "starts_at_1": "14:00",
        "status": "held",
        "attendance_total": "10",
        "attendance_women": "7",
        "attendance_men": "6",
        "proposals-TOTAL_FORMS": "0",
        "proposals-INITIAL_FORMS": "0",
        "proposals-2-TOTAL_FORMS": "0",
        "proposals-2-INITIAL_FORMS": "0",
    }
    response = client.post("/ky/admin/hearings/hearing/add/", data)
    assert response.status_code == 200
    assert (
        "Аялдар менен эркектердин саны бирге катышуучулардын жалпы санынан ашпашы керек."
        in response.content.decode()
    )
    assert not Hearing.objects.exists()


def test_protocol_file_must_really_be_a_pdf_or_image():
    from tests.factories import protocol_pdf

    validate_protocol_file(SimpleUploadedFile("protocol.pdf", protocol_pdf()))
    with pytest.raises(ValidationError):
        validate_protocol_file(SimpleUploadedFile("protocol.pdf", b"MZ not a pdf"))
    with pytest.raises(ValidationError):
        validate_protocol_file(SimpleUploadedFile("protocol.exe", b"%PDF-1.7"))
    big = SimpleUploadedFile("protocol.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError):
        validate_protocol_file(big)


# --- Residents online ----------------------------------------------------


def submission(municipality, **extra):
    return {
        "kind": "proposal",
        "topic": "roads",
        "village": municipality.villages.first().pk,
        "text": "Ажек айылындагы көпүрөнү оңдоо керек, балдар мектепке өтө албай жатат.",
        "author_name": "Асанова Гүлзат",
        "author_phone": "0777 45 67 89",
        "author_email": "gulzat@example.kg",
        "consent": "on",
        "website": "",
        **extra,
    }


def test_online_submission_gives_a_tracking_code_and_waits_for_moderation(client, municipality):
    response = client.post("/ky/proposals/new/", submission(municipality), follow=True)
    proposal = Proposal.objects.get()
    assert proposal.status == S.AWAITING_MODERATION
    assert proposal.origin == "online"
    assert proposal.text_ky.startswith("Ажек айылындагы көпүрөнү")
    content = response.content.decode()
    assert proposal.display_code in content
    assert response.redirect_chain[-1][0] == f"/ky/proposals/track/{proposal.tracking_code}/"
    # Not public until a moderator approves it.
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert "көпүрөнү" not in client.get("/ky/proposals/").content.decode()


def test_a_honeypot_hit_saves_nothing(client, municipality):
    response = client.post(
        "/ky/proposals/new/", submission(municipality, website="http://spam.example")
    )
    assert response.status_code == 400
    assert "Сиздин кайрылууңуз кабыл алынган жок." in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_rate_limit_stops_the_fourth_submission_in_an_hour(client, municipality, settings):
    settings.PROPOSAL_RATE_LIMIT = 3
    for n in range(3):
        response = client.post(
            "/ky/proposals/new/", submission(municipality, text=f"Сунуш номер {n}: көчөнү тазалоо")
        )
        assert response.status_code == 302
    response = client.post("/ky/proposals/new/", submission(municipality))
    assert response.status_code == 429
    assert "Акыркы убакта" in response.content.decode()
    assert Proposal.objects.count() == 3
    # Another address may still submit.
    response = client.post("/ky/proposals/new/", submission(municipality), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", "Кыска"), ("text", "ө" * 2001), ("consent", ""), ("author_email", "not-an-email")],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, municipality, field, value):
    response = client.post("/ky/proposals/new/", submission(municipality, **{field: value}))
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_code_that_does_not_exist_gets_a_friendly_page(client, municipality):
    response = client.get("/ky/proposals/track/", {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 200
    assert "Бул код менен сунуш табылган жок." in response.content.decode()
    response = client.get("/ky/proposals/track/ZZZZZZZZ/")
    assert response.status_code == 404
    assert "Бул код менен сунуш табылган жок." in response.content.decode()
    response = client.get("/ky/proposals/track/", {"code": "hello"})
    assert "Бул көзөмөл коду эмес" in response.content.decode()


def test_tracking_shows_status_timeline_and_answer(client, municipality, clerk):
    proposal = ProposalFactory(municipality=municipality, kind="question")
    services.start_review(proposal, by=clerk)
    services.record_decision(
        proposal, S.ANSWERED, decision_ky="Каттоо 1-мартта башталат.", by=clerk
    )
    response = client.get("/ky/proposals/track/", {"code": proposal.display_code.lower()})
    assert response.status_code == 302
    content = client.get(response["Location"]).content.decode()
    assert "Каттоо 1-мартта башталат." in content
    assert "Каралууда" in content  # under review, in the timeline
    assert proposal.display_code in content


# --- Public pages --------------------------------------------------------


@pytest.fixture
def private_proposal(municipality, hearing, clerk):
    proposal = ProposalFactory(
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        author_name="Жашыруун Ысым",
        show_author_name=False,
        author_phone="0555 987 654",
        author_email="secret@example.kg",
    )
    services.record_decision(
        proposal,
        S.ACCEPTED_BUDGET,
        target=BudgetLineFactory(budget__municipality=municipality),
        decision_ky="Бюджетте",
        by=clerk,
    )
    clerk.username = "kyzmatker-zhashyruun"
    clerk.save()
    return proposal


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_personal_data_is_never_on_public_pages(client, private_proposal, language):
    urls = [
        f"/{language}/hearings/",
        f"/{language}/hearings/{private_proposal.hearing.pk}/",
        f"/{language}/proposals/",
        f"/{language}/proposals/{private_proposal.pk}/",
        f"/{language}/proposals/track/{private_proposal.tracking_code}/",
    ]
    for url in urls:
        content = client.get(url).content.decode()
        for secret in ("0555 987 654", "secret@example.kg", "Жашыруун Ысым", "kyzmatker"):
            assert secret not in content, (url, secret)


def test_the_author_name_is_shown_only_with_consent(client, private_proposal):
    private_proposal.show_author_name = True
    private_proposal.save()
    assert "Жашыруун Ысым" in client.get(private_proposal.get_absolute_url()).content.decode()


def figures_on(content):
    """The attendance figures a page shows, by their label: {label: value}."""
    section = content.split('id="attendance-title"')[1].split("</section>")[0]
    return {
        label.strip(): value.strip()
        for label, value in re.findall(r"<dt[^>]*>([^<]+)</dt><dd[^>]*>([^<]+)", section)
    }


def summary_on(content):
    """The summary table's rows: {label: count}."""
    section = content.split('id="summary-title"')[1].split("</section>")[0]
    return dict(re.findall(r"<th[^>]*>([^<]+)</th><td[^>]*>(\d+)</td>", section))


def test_hearing_page_shows_attendance_and_summary(client, municipality, clerk):
    hearing = HearingFactory(
        municipality=municipality,
        attendance_total=135,
        attendance_women=57,
        attendance_men=78,
        attendance_groups=25,
        attendance_youth=19,
    )
    proposal = ProposalFactory(municipality=municipality, hearing=hearing, origin="hearing")
    line = BudgetLineFactory(budget__municipality=municipality)
    services.record_decision(proposal, S.ACCEPTED_BUDGET, target=line, by=clerk)
    common = {"municipality": municipality, "hearing": hearing, "origin": "hearing"}
    ProposalFactory(**common)
    ProposalFactory(**common, status=S.UNDER_REVIEW)
    ProposalFactory(**{**common, "origin": "online"}, status=S.AWAITING_MODERATION)
    content = client.get(hearing.get_absolute_url()).content.decode()
    assert figures_on(content) == {
        gettext("Participants"): "135",
        gettext("Women"): "57",  # then its share, with a decimal comma
        gettext("Men"): "78",
        gettext("From initiative groups"): "25",
        gettext("Youth"): "19",
    }
    assert "(42,2 %)" in content  # 57 of 135
    summary = summary_on(content)
    assert summary[gettext("Proposals and questions received")] == "3"
    assert summary[gettext("Accepted")] == "1"
    assert summary[gettext("Pending")] == "2"  # received and under review
    assert proposal.text_ky in content


def test_a_hearing_without_attendance_shows_no_figures(client, municipality):
    hearing = HearingFactory(municipality=municipality, status="held", attendance_total=None)
    content = client.get(hearing.get_absolute_url()).content.decode()
    assert 'id="attendance-title"' not in content
    assert 'id="summary-title"' not in content  # nothing received either


def test_only_the_recorded_parts_of_the_attendance_are_shown(client, municipality):
    hearing = HearingFactory(municipality=municipality, attendance_total=40, attendance_women=0)
    content = client.get(hearing.get_absolute_url()).content.decode()
    assert figures_on(content) == {gettext("Participants"): "40", gettext("Women"): "0"}


def test_hearings_are_split_into_upcoming_and_past(client, municipality):
    HearingFactory(
        municipality=municipality,
        title_ky="Келе жаткан угуу",
        status="announced",
        starts_at=timezone.now() + timezone.timedelta(days=10),
    )
    HearingFactory(municipality=municipality, title_ky="Өткөн угуу")
    # Announced, and its date has passed: past, whatever its status says.
    HearingFactory(municipality=municipality, title_ky="Эскирген жарыя", status="announced")
    content = client.get("/ky/hearings/").content.decode()
    upcoming, past = content.split('id="past-title"')
    assert "Келе жаткан угуу" in upcoming and "Келе жаткан угуу" not in past
    assert "Өткөн угуу" in past and "Өткөн угуу" not in upcoming
    assert "Эскирген жарыя" in past and "Эскирген жарыя" not in upcoming


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("көпүрө", True),  # a Kyrgyz stem finds the suffixed word
        ("КӨПҮРӨНҮ", True),  # case does not matter, ө and ү included
        ("жаңы", True),
        ("копуро", False),  # ө and ү are letters of their own
        ("мектеп", False),
    ],
)
def test_search_works_with_kyrgyz_letters(client, municipality, query, found):
    ProposalFactory(
        municipality=municipality,
        text_ky="Ажектеги эски көпүрөнү оңдоп, жаңы тосмо коюу керек.",
        text_ru="Отремонтировать старый мост в Ажеке.",
    )
    ProposalFactory(municipality=municipality, text_ky="Бала бакчага орун.", text_ru="Места.")
    content = client.get("/ky/proposals/", {"q": query}).content.decode()
    assert ("көпүрөнү оңдоп" in content) is found
    assert "Бала бакчага орун" not in content


def test_search_finds_russian_text_too(client, municipality):
    ProposalFactory(municipality=municipality, text_ky="Көпүрө.", text_ru="Отремонтировать мост.")
    content = client.get("/ru/proposals/", {"q": "мост"}).content.decode()
    assert "Отремонтировать мост." in content


# Rows of the proposals list that differ in one thing only; each filter must
# keep the first and drop the second. Every row is dated (no "today").
RECEIVED_AT = datetime.datetime(2023, 3, 1, 10, tzinfo=datetime.UTC)
DECIDED_ON = datetime.date(2023, 4, 3)


def rejected(proposal, by):
    services.record_decision(
        proposal, S.REJECTED, decision_ky="Каражат жок", decided_on=DECIDED_ON, by=by
    )


def public_filter_case(name, municipality, clerk):
    """(query, wanted, unwanted) for the public filter `name`."""
    first, second = municipality.villages.all()[:2]
    hearing_a, hearing_b = HearingFactory.create_batch(2, municipality=municipality)
    cases = {
        "status": ({"status": "rejected"}, {}, {}),
        "topic": ({"topic": "roads"}, {"topic": "roads"}, {"topic": "water"}),
        "kind": ({"kind": "question"}, {"kind": "question"}, {"kind": "proposal"}),
        "village": ({"village": first.pk}, {"village": first}, {"village": second}),
        "hearing": (
            {"hearing": hearing_a.pk},
            {"hearing": hearing_a, "origin": "hearing"},
            {"hearing": hearing_b, "origin": "hearing"},
        ),
        "year": (
            {"year": 2022},
            {"submitted_at": datetime.datetime(2022, 11, 25, 14, tzinfo=datetime.UTC)},
            {"submitted_at": datetime.datetime(2023, 1, 5, 9, tzinfo=datetime.UTC)},
        ),
        "q": ({"q": "көпүрө"}, {"text_ky": "Көпүрөнү оңдоо керек"}, {}),
    }
    query, wanted_fields, unwanted_fields = cases[name]
    common = {"municipality": municipality, "submitted_at": RECEIVED_AT}
    wanted = ProposalFactory(**{**common, "text_ky": "Керектүү сунуш", **wanted_fields})
    unwanted = ProposalFactory(**{**common, "text_ky": "Башка сунуш", **unwanted_fields})
    if name == "status":
        rejected(wanted, clerk)
    return query, wanted, unwanted


@pytest.mark.parametrize("name", ["status", "topic", "kind", "village", "hearing", "year", "q"])
def test_each_public_filter_keeps_its_rows_and_drops_the_others(client, municipality, clerk, name):
    query, wanted, unwanted = public_filter_case(name, municipality, clerk)
    everything = client.get("/ky/proposals/").content.decode()
    assert wanted.text_ky in everything and unwanted.text_ky in everything
    response = client.get("/ky/proposals/", query)
    assert response.context["form"].is_valid(), response.context["form"].errors
    content = response.content.decode()
    assert wanted.text_ky in content
    assert unwanted.text_ky not in content


@pytest.mark.parametrize(
    ("choice", "status"),
    [
        ("pending", S.RECEIVED),
        ("pending", S.UNDER_REVIEW),
        ("accepted", S.PARTLY_ACCEPTED),
        ("accepted", S.ACCEPTED_PROGRAMME),
        ("answered", S.ANSWERED),
        ("deferred", S.DEFERRED),
    ],
)
def test_status_filters_group_the_states_as_residents_think_of_them(
    client, municipality, clerk, choice, status
):
    kind = "question" if status == S.ANSWERED else "proposal"
    wanted = ProposalFactory(
        municipality=municipality, kind=kind, submitted_at=RECEIVED_AT, text_ky="Керектүү сунуш"
    )
    if status == S.UNDER_REVIEW:
        services.start_review(wanted, by=clerk)
    elif status != S.RECEIVED:
        services.record_decision(
            wanted,
            status,
            target=target_for(municipality, status),
            decision_ky="Жооп",
            decided_on=DECIDED_ON,
            by=clerk,
        )
    other = ProposalFactory(
        municipality=municipality, submitted_at=RECEIVED_AT, text_ky="Башка сунуш"
    )
    rejected(other, clerk)
    content = client.get("/ky/proposals/", {"status": choice}).content.decode()
    assert wanted.text_ky in content
    assert other.text_ky not in content


def test_the_years_offered_are_those_of_the_public_rows(client, municipality):
    for year in (2021, 2023):
        ProposalFactory(
            municipality=municipality,
            submitted_at=datetime.datetime(year, 6, 1, tzinfo=datetime.UTC),
        )
    ProposalFactory(
        municipality=municipality,
        status=S.AWAITING_MODERATION,
        submitted_at=datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC),
    )
    form = client.get("/ky/proposals/").context["form"]
    assert [value for value, _label in form.fields["year"].choices] == ["", 2023, 2021]


def test_list_is_paginated(client, municipality):
    ProposalFactory.create_batch(25, municipality=municipality)
    first = client.get("/ky/proposals/").content.decode()
    second = client.get("/ky/proposals/", {"page": 2}).content.decode()
    assert first.count('class="proposal card') == 20
    assert second.count('class="proposal card') == 5


def test_group_page_lists_what_the_group_proposed(client, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    ProposalFactory(municipality=municipality, group=group, text_ky="Топтун сунушу")
    ProposalFactory(
        municipality=municipality, group=group, text_ky="Модерацияда", status=S.AWAITING_MODERATION
    )
    content = client.get(group.get_absolute_url()).content.decode()
    assert "Топтун сунушу" in content
    assert "Модерацияда" not in content


# --- Query budgets -------------------------------------------------------


def make_proposals(municipality, hearing, n):
    group = InitiativeGroupFactory(municipality=municipality)
    village = municipality.villages.first()
    ProposalFactory.create_batch(
        n,
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        group=group,
        village=village,
    )


def make_hearings(municipality, n):
    """n past hearings and n announced ones, each in a village, with public and
    unpublished items: what the list shows per hearing."""
    village = municipality.villages.first()
    for days in range(n):
        for status, starts_at in (
            ("published", datetime.datetime(2022, 11, 25, 14, tzinfo=datetime.UTC)),
            ("announced", timezone.now() + datetime.timedelta(days=30 + days)),
        ):
            hearing = HearingFactory(
                municipality=municipality, village=village, status=status, starts_at=starts_at
            )
            ProposalFactory(municipality=municipality, hearing=hearing, origin="hearing")
            ProposalFactory(
                municipality=municipality,
                hearing=hearing,
                origin="hearing",
                status=S.PARTLY_ACCEPTED,
            )
            ProposalFactory(municipality=municipality, status=S.AWAITING_MODERATION)


def test_hearing_list_counts_public_items_only(client, municipality, clerk):
    hearing = HearingFactory(municipality=municipality)
    common = {"municipality": municipality, "hearing": hearing, "origin": "hearing"}
    ProposalFactory(**common, status=S.ACCEPTED_BUDGET)
    ProposalFactory(**common, status=S.PARTLY_ACCEPTED)
    ProposalFactory(**common)
    ProposalFactory(**{**common, "origin": "online"}, status=S.AWAITING_MODERATION)
    ProposalFactory(**{**common, "origin": "online"}, status=S.REFUSED)
    content = client.get("/ky/hearings/").content.decode()
    assert "Сунуштар жана суроолор: 3, кабыл алынды: 1, жарым-жартылай: 1" in content


def test_hearing_list_query_count_does_not_grow_with_hearings(client, municipality):
    make_hearings(municipality, 2)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/ky/hearings/")
    assert response.content.decode().count('class="hearing card') == 4
    make_hearings(municipality, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/ky/hearings/")
    content = response.content.decode()
    assert content.count('class="hearing card') == 24  # 12 upcoming, 12 past
    assert content.count(municipality.villages.first().name) >= 24
    # At most as many: the second request finds the municipality cached.
    assert len(many) <= len(few), [q["sql"] for q in many]


@pytest.mark.parametrize("url", ["/ky/proposals/", "/ky/proposals/?q=суу"])
def test_list_query_count_does_not_grow(
    client, municipality, hearing, url, django_assert_max_num_queries
):
    make_proposals(municipality, hearing, 10)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    make_proposals(municipality, hearing, 290)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_hearing_page_query_count_does_not_grow(
    client, municipality, hearing, django_assert_max_num_queries
):
    make_proposals(municipality, hearing, 10)
    with django_assert_max_num_queries(5):
        client.get(hearing.get_absolute_url())
    make_proposals(municipality, hearing, 290)
    with django_assert_max_num_queries(5):
        response = client.get(hearing.get_absolute_url())
    content = response.content.decode()
    # A page at a time: the first 25, and the way to the others.
    assert content.count('class="proposal card') == 25
    with translation.override("ky"):
        assert gettext("Page %(number)s of %(total)s") % {"number": 1, "total": 12} in content
    last = client.get(hearing.get_absolute_url(), {"page": 12}).content.decode()
    assert last.count('class="proposal card') == 25
    assert 'href="?page=11#proposals-title"' in last


def test_proposal_pages_query_count_does_not_grow(
    client, municipality, clerk, django_assert_max_num_queries
):
    proposal = ProposalFactory(municipality=municipality)
    for url in (proposal.get_absolute_url(), f"/ky/proposals/track/{proposal.tracking_code}/"):
        with django_assert_max_num_queries(4):
            client.get(url)
    services.start_review(proposal, by=clerk)
    services.record_decision(proposal, S.DEFERRED, by=clerk)
    for url in (proposal.get_absolute_url(), f"/ky/proposals/track/{proposal.tracking_code}/"):
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200


# --- Admin ---------------------------------------------------------------


def decide(client, proposal, status, **extra):
    data = {
        "municipality": proposal.municipality_id,
        "kind": proposal.kind,
        "topic": proposal.topic,
        "text_ky": proposal.text_ky,
        "text_ru": proposal.text_ru,
        "origin": proposal.origin,
        "new_status": status,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        **extra,
    }
    return client.post(f"/ky/admin/hearings/proposal/{proposal.pk}/change/", data)


def test_admin_refuses_a_rejection_without_reason(client, municipality, clerk):
    client.force_login(clerk)
    proposal = ProposalFactory(municipality=municipality)
    response = decide(client, proposal, S.REJECTED)
    assert response.status_code == 200
    assert "Четке кагуунун себебин жазыңыз." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == S.RECEIVED
    response = decide(client, proposal, S.REJECTED, decision_text_ky="Каражат жок")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED
    assert proposal.decided_by == clerk


def test_admin_offers_only_allowed_moves(client, municipality, clerk):
    client.force_login(clerk)
    proposal = ProposalFactory(municipality=municipality, kind="question")
    response = decide(client, proposal, S.ACCEPTED_BUDGET)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == S.RECEIVED


def test_moderation_queue_publishes_and_refuses_in_bulk(client, municipality, moderator):
    client.force_login(moderator)
    waiting = ProposalFactory.create_batch(
        3, municipality=municipality, status=S.AWAITING_MODERATION, origin="online"
    )
    response = client.get("/ky/admin/hearings/moderationqueue/")
    assert response.content.decode().count('name="_selected_action"') == 3
    client.post(
        "/ky/admin/hearings/moderationqueue/",
        {"action": "approve", "index": "0", "_selected_action": [waiting[0].pk, waiting[1].pk]},
    )
    client.post(
        "/ky/admin/hearings/moderationqueue/",
        {"action": "refuse_spam", "index": "0", "_selected_action": [waiting[2].pk]},
    )
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {
        waiting[0].pk: S.RECEIVED,
        waiting[1].pk: S.RECEIVED,
        waiting[2].pk: S.REFUSED,
    }
    assert Proposal.objects.get(pk=waiting[2].pk).refusal_reason == "spam"
    assert {e.by for p in waiting for e in p.events.exclude(from_status="")} == {moderator}


def test_the_queue_lists_only_what_awaits_moderation(client, municipality, moderator):
    waiting = ProposalFactory(municipality=municipality, status=S.AWAITING_MODERATION)
    for status in (S.RECEIVED, S.REFUSED, S.UNDER_REVIEW, S.ACCEPTED_BUDGET):
        ProposalFactory(municipality=municipality, status=status, origin="online")
    client.force_login(moderator)
    response = client.get("/ky/admin/hearings/moderationqueue/")
    assert [p.pk for p in response.context["cl"].result_list] == [waiting.pk]


def test_staff_export_the_register_with_contacts(client, private_proposal, clerk):
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/proposal/",
        {"action": "export_csv", "index": "0", "_selected_action": [private_proposal.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == private_proposal.display_code
    assert "0555 987 654" in rows[1]
    response = client.post(
        "/ky/admin/hearings/proposal/",
        {"action": "export_xlsx", "index": "0", "_selected_action": [private_proposal.pk]},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def user_with(*permissions):
    """A staff user holding exactly these permissions ("app.codename")."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_the_register_export_needs_the_right_to_change_proposals(client, private_proposal, action):
    post = {"action": action, "index": "0", "_selected_action": [private_proposal.pk]}
    client.force_login(user_with("hearings.view_proposal"))
    response = client.get("/ky/admin/hearings/proposal/")
    assert private_proposal.display_code in response.content.decode()
    assert action not in response.content.decode()
    response = client.post("/ky/admin/hearings/proposal/", post)
    assert response["Content-Type"].startswith("text/html")
    assert "0555 987 654" not in response.content.decode()
    client.force_login(user_with("hearings.view_proposal", "hearings.change_proposal"))
    response = client.post("/ky/admin/hearings/proposal/", post)
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/html")


# --- The admin's own proposal page -----------------------------------------


def new_proposal(municipality, **extra):
    return {
        "municipality": municipality.pk,
        "kind": "proposal",
        "topic": "water",
        "village": municipality.villages.first().pk,
        "text_ky": "Айры-Там айылына суу түтүгүн тартуу керек.",
        "text_ru": "",
        "origin": "paper",
        "received_on": "2023-02-14",
        "author_name": "Асанов Бакыт",
        "author_phone": "0777 11 22 33",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        **extra,
    }


def test_the_admin_add_proposal_page_offers_the_fields_staff_fill(client, municipality, clerk):
    client.force_login(clerk)
    response = client.get("/ky/admin/hearings/proposal/add/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    for name in ("municipality", "kind", "topic", "village", "text_ky", "text_ru", "origin"):
        assert name in form.fields, name
    assert {"hearing", "group", "received_on", "new_status", "author_phone"} <= set(form.fields)
    # Its state moves only through the services: never typed in.
    assert "status" not in form.fields and "tracking_code" not in form.fields


def test_staff_register_a_letter_on_the_admin_add_page(client, municipality, clerk):
    client.force_login(clerk)
    response = client.post("/ky/admin/hearings/proposal/add/", new_proposal(municipality))
    assert response.status_code == 302, response.context["adminform"].form.errors
    proposal = Proposal.objects.get()
    assert proposal.status == S.RECEIVED
    assert (proposal.origin, proposal.author_phone) == ("paper", "0777 11 22 33")
    assert timezone.localdate(proposal.submitted_at) == datetime.date(2023, 2, 14)
    assert codes.normalise(proposal.tracking_code) == proposal.tracking_code
    event = proposal.events.get()
    assert (event.from_status, event.to_status, event.by) == ("", S.RECEIVED, clerk)
    assert event.at == proposal.submitted_at


def test_the_add_page_records_a_decision_in_the_same_submission(client, municipality, clerk):
    client.force_login(clerk)
    data = new_proposal(
        municipality,
        new_status=S.REJECTED,
        decision_date="2023-03-01",
        decision_text_ky="Каражат жок",
    )
    response = client.post("/ky/admin/hearings/proposal/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.decision_ky) == (S.REJECTED, "Каражат жок")
    assert proposal.decided_on == datetime.date(2023, 3, 1)
    assert list(proposal.events.values_list("to_status", flat=True)) == [S.RECEIVED, S.REJECTED]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text_ky", ""),  # no text in either language
        ("kind", ""),  # the kind is chosen, never assumed
        ("origin", "hearing"),  # from a hearing, without its hearing
    ],
)
def test_the_add_page_refuses_an_incomplete_proposal(client, municipality, clerk, field, value):
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/proposal/add/", new_proposal(municipality, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Proposal.objects.exists()


def test_the_add_page_refuses_a_village_of_another_municipality(client, municipality, clerk):
    other_village = VillageFactory(name_ky="Башка айыл")
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/proposal/add/",
        new_proposal(municipality, village=other_village.pk),
    )
    assert response.status_code == 200
    assert not Proposal.objects.exists()


# --- Searching the register by code, as residents quote it -----------------


@pytest.mark.parametrize("typed", ["K7QM-4P9X", "k7qm4p9x", " к7qм-4р9х "])
def test_staff_find_a_proposal_by_its_code_however_it_is_typed(client, municipality, clerk, typed):
    wanted = ProposalFactory(municipality=municipality, tracking_code="K7QM4P9X")
    ProposalFactory(municipality=municipality, tracking_code="K7QM4P9Y")
    client.force_login(clerk)
    response = client.get("/ky/admin/hearings/proposal/", {"q": typed})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_admin_search_finds_text_and_authors_too(client, municipality, clerk):
    by_text = ProposalFactory(municipality=municipality, text_ru="Отремонтировать мост")
    by_author = ProposalFactory(municipality=municipality, author_name="Жунусова Айгүл")
    ProposalFactory(municipality=municipality)
    client.force_login(clerk)
    for term, wanted in (("мост", by_text), ("Жунусова", by_author)):
        response = client.get("/ky/admin/hearings/proposal/", {"q": term})
        assert list(response.context["cl"].result_list) == [wanted], term


def test_home_invites_to_take_part_and_shows_the_next_hearing(client, municipality):
    HearingFactory(
        municipality=municipality,
        title_ky="Келерки жылдын бюджети боюнча угуу",
        status="announced",
        starts_at=timezone.now() + timezone.timedelta(days=16),
    )
    content = client.get("/ky/").content.decode()
    assert 'href="/ky/proposals/new/"' in content
    assert "Келерки жылдын бюджети боюнча угуу" in content


def test_hearing_admin_links_each_proposal_to_its_page(client, hearing, clerk):
    client.force_login(clerk)
    proposal = ProposalFactory(municipality=hearing.municipality, hearing=hearing, origin="hearing")
    content = client.get(f"/ky/admin/hearings/hearing/{hearing.pk}/change/").content.decode()
    assert f'href="/ky/admin/hearings/proposal/{proposal.pk}/change/"' in content


def test_search_reads_the_indexes_not_every_row(municipality):
    """The stored search vector answers a search, reading this
    municipality's entries only; a typo is compared with the municipality's
    own words, through an index led by the municipality (planned with
    sequential scans off, as on a large table)."""
    from hearings import search

    ProposalFactory(municipality=municipality, text_ky="Көпүрөнү оңдоо керек.")
    other = ProposalFactory(text_ky="Көпүрөнү оңдоо керек.")
    mine = Proposal.objects.filter(municipality=municipality)
    for text in ("көпүрө", "көпүрнү"):  # a word's start, a typo
        found, count = search.search(Proposal.objects.all(), municipality, text)
        assert [p.municipality for p in found] == [municipality] and count == 1
    # Each word is kept after its municipality's id.
    vector = mine.values_list("search_vector", flat=True).get()
    assert f"'{municipality.pk}xкөпүрөнү'" in vector
    assert f"{other.municipality.pk}x" not in vector

    def plan(sql, params):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return " ".join(row[0] for row in cursor.fetchall())

    words = search.words_query(municipality, ["көпүрө"])
    assert "proposal_search_vector" in plan(
        *Proposal.objects.filter(search_vector=words).query.sql_with_params()
    )
    typo = plan(search.ALIKE_SQL, [["көпүрнү"], municipality.pk, 8])
    # An index of the words reads this municipality's alone: the trigram
    # index led by the municipality, or, for a few words, the unique one.
    assert "hearings_searchword" in typo and "Seq Scan" not in typo
    assert re.search(rf"Index Cond: \(\(?municipality_id = '{municipality.pk}'::bigint\)", typo)


# Misspelt, the rows are checked against the words it is taken for.
@pytest.mark.parametrize("word", ["суу", "сууу"], ids=["spelt right", "misspelt"])
def test_a_common_word_is_counted_up_to_a_cap_and_listed_newest_first(
    client, municipality, monkeypatch, word
):
    """Counting and ranking every match of a word in most rows would read
    them all: past the caps, "more than" and the list's own order."""
    from hearings import search as search_module

    monkeypatch.setattr(search_module, "COUNT_CAP", 5)
    monkeypatch.setattr(search_module, "RANK_AT_MOST", 3)
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    for day in range(1, 8):
        ProposalFactory(
            municipality=municipality,
            text_ky=f"Суу түтүгү {day}-күнү",
            submitted_at=datetime.datetime(2023, 3, day, tzinfo=datetime.UTC),
        )
    content = client.get("/ky/proposals/", {"q": word}).content.decode()
    with translation.override("ky"):
        more = gettext(
            "More than %(number)s found, the newest first. Add a word or a filter to narrow them."
        ) % {"number": 5}
        exact = ngettext("%(counter)s found", "%(counter)s found", 7) % {"counter": 7}
    assert more in content
    # The whole list is counted exactly, however long.
    for url in ("/ky/proposals/", "/ky/proposals/?page=1"):
        whole = client.get(url).content.decode()
        assert exact in whole and more not in whole
    assert content.index("Суу түтүгү 7-күнү") < content.index("Суу түтүгү 6-күнү")
    # Few matches: the exact number, the best match first.
    ProposalFactory(municipality=municipality, text_ky="Жаңы мектеп куруу")
    ProposalFactory(municipality=municipality, text_ky="Мектептин чатырын оңдоо")
    content = client.get("/ky/proposals/", {"q": "мектеп"}).content.decode()
    with translation.override("ky"):
        assert ngettext("%(counter)s found", "%(counter)s found", 2) % {"counter": 2} in content
    assert content.index("Жаңы мектеп") < content.index("Мектептин чатырын")


def test_a_register_too_long_to_print_asks_for_a_year_or_a_filter(
    client, municipality, monkeypatch
):
    """Laying out a ten-year municipality's 20 000 rows would take minutes:
    past the limit, the list says how to narrow it and the PDF is not made."""
    monkeypatch.setattr(views, "REGISTER_MAX_ROWS", 2)
    for year in (2021, 2022, 2022):
        ProposalFactory(
            municipality=municipality,
            submitted_at=datetime.datetime(year, 5, 1, tzinfo=datetime.UTC),
        )
    with translation.override("ky"):
        too_long = views.register_too_long()
    content = client.get("/ky/proposals/").content.decode()
    assert too_long in content and "register.pdf" not in content
    response = client.get("/ky/proposals/register.pdf", follow=True)
    assert response.redirect_chain[-1][0] == "/ky/proposals/"
    assert response["Content-Type"].startswith("text/html")
    assert too_long in response.content.decode()
    # One year is short enough.
    content = client.get("/ky/proposals/", {"year": 2022}).content.decode()
    assert "register.pdf?year=2022" in content and too_long not in content
    response = client.get("/ky/proposals/register.pdf", {"year": 2022})
    assert response["Content-Type"] == "application/pdf"


def test_the_hearing_filter_offers_the_latest_hearings_and_keeps_the_chosen_one(
    client, municipality
):
    from hearings.forms import HEARING_CHOICES

    hearings = [
        HearingFactory(
            municipality=municipality,
            title_ky=f"Угуу {day}",
            starts_at=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
            + datetime.timedelta(days=day),
        )
        for day in range(HEARING_CHOICES + 2)
    ]
    oldest = hearings[0]
    ProposalFactory(municipality=municipality, hearing=oldest, origin="hearing", text_ky="Эски")

    def options(**query):
        page = client.get("/ky/proposals/", query).content.decode()
        select = re.search(r'<select name="hearing"[^>]*>(.*?)</select>', page, re.S).group(1)
        return re.findall(r'<option value="(\d*)"( selected)?>', select), page

    offered, _page = options()
    assert len(offered) == HEARING_CHOICES + 1  # and "any hearing"
    assert str(oldest.pk) not in [value for value, _selected in offered]
    offered, page = options(hearing=oldest.pk)
    assert (str(oldest.pk), " selected") in offered
    assert len(offered) == HEARING_CHOICES + 2
    assert "Эски" in page


def test_the_years_and_the_list_read_the_public_index(municipality):
    """The filter's years jump through the list's index a year at a time,
    and a page of the list reads it in order (sequential scans off, as on
    a large table)."""
    ProposalFactory.create_batch(40, municipality=municipality)
    params = {
        "municipality": municipality.pk,
        "public": [str(status) for status in Proposal.PUBLIC_STATUSES],
        "zone": "Asia/Bishkek",
    }
    page = Proposal.objects.filter(municipality=municipality).public().for_cards()[:20]
    sql, page_params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # A table this small may be read through another index and sorted.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("ANALYZE hearings_proposal")
        cursor.execute("EXPLAIN " + views.YEARS_SQL, params)
        years = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql, page_params)
        listed = " ".join(row[0] for row in cursor.fetchall())
    assert "proposal_public_newest" in years
    assert "proposal_public_newest" in listed and "Sort" not in listed.split("Limit")[1][:40]


def test_a_page_of_the_list_reads_its_own_rows_only(client, municipality):
    """The page's rows are picked first (a subquery with the paging), then
    read alone: the names of their villages, hearings and groups come from
    the municipality's cached names. Joined, a page far down the list was
    planned as a hash join of every village, hearing and group of the
    country, and the joins cost more to plan than the rows to read."""
    village = VillageFactory(municipality=municipality, name_ky="Кара-Суу")
    ProposalFactory.create_batch(25, municipality=municipality, village=village)
    with CaptureQueriesContext(connection) as queries:
        content = client.get("/ky/proposals/", {"page": 2}).content.decode()
    assert content.count('class="proposal card') == 5 and content.count("Кара-Суу") >= 5
    rows = [q["sql"] for q in queries if "text_ky" in q["sql"] and "hearings_proposal" in q["sql"]]
    assert len(rows) == 1
    assert "JOIN" not in rows[0]
    assert "OFFSET 20)" in rows[0].split(" IN (SELECT ", 1)[1]


def plan_of(sql, *off):
    """EXPLAIN of a captured query with the named plan types off (as on a
    large table, where PostgreSQL would not choose them)."""
    with connection.cursor() as cursor, transaction.atomic():
        for plan_type in off:
            cursor.execute(f"SET LOCAL enable_{plan_type} = off")
        cursor.execute("ANALYZE hearings_proposal")
        cursor.execute("EXPLAIN " + sql)
        return " ".join(row[0] for row in cursor.fetchall())


def test_a_search_reads_its_words_without_a_bitmap_of_the_municipality(client, municipality):
    """A word's index entries name their municipality: a search reads them
    alone. Beside a plain condition on the municipality, PostgreSQL ANDed
    them with a bitmap of all its rows (20 000 in the ten-year bench)."""
    ProposalFactory.create_batch(60, municipality=municipality, text_ky="Жолду оңдоо керек.")
    ProposalFactory.create_batch(3, municipality=municipality, text_ky="Көпүрөнү оңдоо керек.")
    ProposalFactory(text_ky="Көпүрөнү оңдоо керек.")  # another municipality's
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ky/proposals/", {"q": "көпүрө"})
    assert response.content.decode().count('class="proposal card') == 3
    searched = [q["sql"] for q in queries if "@@" in q["sql"]]
    assert len(searched) == 2  # its count and its page
    for sql in searched:
        # The municipality's condition is one no index answers...
        assert f'("hearings_proposal"."municipality_id" + 0) = {municipality.pk}' in sql
        assert f'"municipality_id" = {municipality.pk}' not in sql
        # ...so the plan cannot AND it in (a table this small may be read
        # through another index: the ten-year bench reads the words' index).
        assert "BitmapAnd" not in plan_of(sql, "seqscan")


def test_a_hearings_figures_and_summary_read_only_what_its_index_holds(client, municipality):
    """The hearings list's figures and a hearing's summary count only the
    columns the index of a hearing's public items holds (hearing, status,
    kind, group): PostgreSQL answers them from the index, without reading
    the items (checked on the national bench; a test table is too small
    for the planner to prefer it every time)."""
    hearing = HearingFactory(municipality=municipality)
    ProposalFactory.create_batch(8, municipality=municipality, hearing=hearing, origin="hearing")
    ProposalFactory.create_batch(2, municipality=municipality, hearing=hearing, kind="question")
    with CaptureQueriesContext(connection) as queries:
        listed = client.get("/ky/hearings/").content.decode()
        page = client.get(f"/ky/hearings/{hearing.pk}/").content.decode()
    assert "10" in listed
    assert page.count('class="proposal card') == 10
    counting = [q["sql"] for q in queries if 'COUNT("hearings_proposal"."status")' in q["sql"]]
    counting += [q["sql"] for q in queries if 'SELECT COUNT(*) AS "n"' in q["sql"]]
    assert len(counting) == 2  # the list's figures (upcoming and past at once), the summary
    indexed = {"hearing_id", "status", "kind", "group_id"}
    for sql in counting:
        # The summary is a query of its own; the figures, subqueries.
        parts = re.findall(r'FROM "hearings_proposal" "(U\d+)"(.*?)GROUP BY', sql) or [
            ("hearings_proposal", sql)
        ]
        for alias, part in parts:
            read = set(
                re.findall(rf'"{alias}"\."(\w+)"', sql if alias == "hearings_proposal" else part)
            )
            assert read and read <= indexed, read
    index = next(i for i in Proposal._meta.indexes if i.name == "proposal_public_hearing")
    assert {*index.fields, *index.include} == {"hearing", "status", "kind", "group"}


def test_a_hearings_two_lists_are_read_in_one_query_of_their_own_rows(client, municipality):
    """Both lists' pages are picked first, then read in one query, without
    joins: joined with the paging, the plan hash-joined every village of
    the country."""
    hearing = HearingFactory(municipality=municipality)
    ProposalFactory.create_batch(30, municipality=municipality, hearing=hearing)
    ProposalFactory.create_batch(3, municipality=municipality, hearing=hearing, kind="question")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/ky/hearings/{hearing.pk}/", {"page": 2})
    assert len(response.context["proposals"]) == 5
    assert len(response.context["questions"]) == 3
    rows = [q["sql"] for q in queries if "text_ky" in q["sql"] and "hearings_proposal" in q["sql"]]
    assert len(rows) == 1
    assert "UNION ALL" in rows[0].split(" IN (", 1)[1] and "JOIN" not in rows[0]
