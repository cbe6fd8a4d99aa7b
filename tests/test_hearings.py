import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearings import codes, services
from hearings.models import Hearing, Proposal
from hearings.validators import validate_protocol_file
from portal.roles import MODERATORS, STAFF, sync_roles
from tests.factories import (
    HearingFactory,
    InitiativeGroupFactory,
    ProposalFactory,
    UserFactory,
)

S = Proposal.Status


@pytest.fixture
def hearing(municipality):
    return HearingFactory(municipality=municipality)


def proposal_in(status, kind="proposal", **kwargs):
    return ProposalFactory(status=status, kind=kind, **kwargs)


# --- The state machine ---------------------------------------------------


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
def test_allowed_transitions(db, staff, start, kind, target):
    proposal = proposal_in(start, kind)
    services.check_transition(proposal, target, decision_ky="Себеби / жообу")


@pytest.mark.parametrize(
    ("start", "kind", "target"),
    [
        (S.AWAITING_MODERATION, "proposal", S.ACCEPTED_BUDGET),  # not before moderation
        (S.REFUSED, "proposal", S.RECEIVED),
        (S.RECEIVED, "proposal", S.REFUSED),  # refusal is for moderation only
        (S.ACCEPTED_BUDGET, "proposal", S.REJECTED),  # decisions are final
        (S.REJECTED, "proposal", S.UNDER_REVIEW),
        (S.ANSWERED, "question", S.UNDER_REVIEW),
        (S.UNDER_REVIEW, "question", S.ACCEPTED_BUDGET),  # questions are answered
        (S.UNDER_REVIEW, "proposal", S.ANSWERED),  # proposals are not
        (S.UNDER_REVIEW, "proposal", S.UNDER_REVIEW),
    ],
)
def test_refused_transitions_change_nothing(db, staff, start, kind, target):
    proposal = proposal_in(start, kind)
    with pytest.raises(ValidationError):
        services.change_status(proposal, target, by=staff, decision_ky="Себеби")
    proposal.refresh_from_db()
    assert proposal.status == start
    assert not proposal.events.exists()


def test_a_rejection_needs_its_reason(db, staff):
    proposal = proposal_in(S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, S.REJECTED, decision_ky="  ", by=staff)
    assert "Четке кагуунун себебин жазыңыз" in str(error.value)
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(
            status=S.REJECTED, decided_on=timezone.localdate()
        )


def test_every_change_is_recorded_with_time_and_user(db, staff):
    proposal = ProposalFactory(status=S.AWAITING_MODERATION, origin="online")
    services.approve(proposal, by=staff)
    services.start_review(proposal, by=staff)
    services.record_decision(proposal, S.ACCEPTED_BUDGET, decision_ru="Учтено", by=staff)
    events = list(proposal.events.values_list("from_status", "to_status", "by"))
    assert events == [
        (S.AWAITING_MODERATION, S.RECEIVED, staff.pk),
        (S.RECEIVED, S.UNDER_REVIEW, staff.pk),
        (S.UNDER_REVIEW, S.ACCEPTED_BUDGET, staff.pk),
    ]
    proposal.refresh_from_db()
    assert proposal.decided_by == staff
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


def test_hearing_summary_counts_match_the_rows(municipality, staff):
    hearing = HearingFactory(municipality=municipality)
    group = InitiativeGroupFactory(municipality=municipality)
    common = {"municipality": municipality, "hearing": hearing, "origin": "hearing"}
    accepted = ProposalFactory.create_batch(3, **common, group=group)
    partly = ProposalFactory(**common)
    rejected = ProposalFactory(**common)
    question = ProposalFactory(**common, kind="question", group=group)
    ProposalFactory.create_batch(2, **common)  # still pending
    ProposalFactory(**common, status=S.AWAITING_MODERATION)  # not public, not counted
    for proposal in accepted:
        services.record_decision(proposal, S.ACCEPTED_BUDGET, by=staff)
    services.record_decision(partly, S.PARTLY_ACCEPTED, by=staff)
    services.record_decision(rejected, S.REJECTED, decision_ky="Каражат жок", by=staff)
    services.record_decision(question, S.ANSWERED, decision_ky="Жооп", by=staff)
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
    }
    assert summary["received"] == sum(
        summary[k] for k in ("accepted", "partly", "rejected", "answered", "deferred", "pending")
    )


def test_demo_hearings_hold_the_seed_figures(db):
    from django.core.management import call_command

    call_command("load_demo")
    call_command("load_demo")
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


def test_a_constraint_violation_gives_a_clear_admin_error(client, municipality, staff):
    client.force_login(staff)
    data = {
        "municipality": municipality.pk,
        "kind": "budget",
        "title_ky": "Угуу",
        "title_ru": "Слушания",
        "starts_at_0": "2026-12-11",
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


def test_tracking_shows_status_timeline_and_answer(client, municipality, staff):
    proposal = ProposalFactory(municipality=municipality, kind="question")
    services.start_review(proposal, by=staff)
    services.record_decision(
        proposal, S.ANSWERED, decision_ky="Каттоо 1-мартта башталат.", by=staff
    )
    response = client.get("/ky/proposals/track/", {"code": proposal.display_code.lower()})
    assert response.status_code == 302
    content = client.get(response["Location"]).content.decode()
    assert "Каттоо 1-мартта башталат." in content
    assert "Каралууда" in content  # under review, in the timeline
    assert proposal.display_code in content


# --- Public pages --------------------------------------------------------


@pytest.fixture
def private_proposal(municipality, hearing, staff):
    proposal = ProposalFactory(
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        author_name="Жашыруун Ысым",
        show_author_name=False,
        author_phone="0555 987 654",
        author_email="secret@example.kg",
    )
    services.record_decision(proposal, S.ACCEPTED_BUDGET, decision_ky="Бюджетте", by=staff)
    staff.username = "kyzmatker-zhashyruun"
    staff.save()
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


def test_hearing_page_shows_attendance_and_summary(client, municipality, staff):
    hearing = HearingFactory(
        municipality=municipality,
        attendance_total=135,
        attendance_women=57,
        attendance_men=78,
        attendance_groups=25,
    )
    proposal = ProposalFactory(municipality=municipality, hearing=hearing, origin="hearing")
    services.record_decision(proposal, S.ACCEPTED_BUDGET, by=staff)
    content = client.get(hearing.get_absolute_url()).content.decode()
    assert "135" in content and "57" in content and "78" in content and "25" in content
    assert "42,2 %" in content  # 57 of 135, with a decimal comma
    assert proposal.text_ky in content


def test_hearings_are_split_into_upcoming_and_past(client, municipality):
    HearingFactory(
        municipality=municipality,
        title_ky="Келе жаткан угуу",
        status="announced",
        starts_at=timezone.now() + timezone.timedelta(days=10),
    )
    HearingFactory(municipality=municipality, title_ky="Өткөн угуу")
    content = client.get("/ky/hearings/").content.decode()
    upcoming, past = content.split('id="past-title"')
    assert "Келе жаткан угуу" in upcoming and "Өткөн угуу" in past


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


def test_filters_narrow_the_list(client, municipality, hearing, staff):
    village = municipality.villages.first()
    match = ProposalFactory(
        municipality=municipality, topic="roads", village=village, hearing=hearing, origin="hearing"
    )
    services.record_decision(match, S.REJECTED, decision_ky="Себеп", by=staff)
    ProposalFactory(municipality=municipality, topic="roads", text_ky="Башка сунуш")
    response = client.get(
        "/ky/proposals/",
        {
            "status": "rejected",
            "topic": "roads",
            "village": village.pk,
            "hearing": hearing.pk,
            "year": 2026,
        },
    )
    content = response.content.decode()
    assert match.text_ky in content
    assert "Башка сунуш" not in content


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


@pytest.mark.parametrize("url", ["/ky/hearings/", "/ky/proposals/", "/ky/proposals/?q=суу"])
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
    with django_assert_max_num_queries(6):
        client.get(hearing.get_absolute_url())
    make_proposals(municipality, hearing, 290)
    with django_assert_max_num_queries(6):
        response = client.get(hearing.get_absolute_url())
    assert response.content.decode().count('class="proposal card') == 300


def test_proposal_pages_query_count_does_not_grow(
    client, municipality, staff, django_assert_max_num_queries
):
    proposal = ProposalFactory(municipality=municipality)
    for url in (proposal.get_absolute_url(), f"/ky/proposals/track/{proposal.tracking_code}/"):
        with django_assert_max_num_queries(4):
            client.get(url)
    services.start_review(proposal, by=staff)
    services.record_decision(proposal, S.DEFERRED, by=staff)
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


def test_admin_refuses_a_rejection_without_reason(client, municipality, staff):
    client.force_login(staff)
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
    assert proposal.decided_by == staff


def test_admin_offers_only_allowed_moves(client, municipality, staff):
    client.force_login(staff)
    proposal = ProposalFactory(municipality=municipality, kind="question")
    response = decide(client, proposal, S.ACCEPTED_BUDGET)
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == S.RECEIVED


def test_moderation_queue_publishes_and_refuses_in_bulk(client, municipality, staff):
    client.force_login(staff)
    waiting = ProposalFactory.create_batch(
        3, municipality=municipality, status=S.AWAITING_MODERATION, origin="online"
    )
    response = client.get("/ky/admin/hearings/moderationqueue/")
    assert response.content.decode().count('name="_selected_action"') == 3
    client.post(
        "/ky/admin/hearings/moderationqueue/",
        {"action": "approve", "_selected_action": [waiting[0].pk, waiting[1].pk]},
    )
    client.post(
        "/ky/admin/hearings/moderationqueue/",
        {"action": "refuse_spam", "_selected_action": [waiting[2].pk]},
    )
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {
        waiting[0].pk: S.RECEIVED,
        waiting[1].pk: S.RECEIVED,
        waiting[2].pk: S.REFUSED,
    }
    assert Proposal.objects.get(pk=waiting[2].pk).refusal_reason == "spam"


def test_staff_export_the_register_with_contacts(client, private_proposal, staff):
    client.force_login(staff)
    response = client.post(
        "/ky/admin/hearings/proposal/",
        {"action": "export_csv", "_selected_action": [private_proposal.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == private_proposal.display_code
    assert "0555 987 654" in rows[1]
    response = client.post(
        "/ky/admin/hearings/proposal/",
        {"action": "export_xlsx", "_selected_action": [private_proposal.pk]},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_roles_give_moderators_the_queue_and_staff_no_deletion(client, municipality):
    sync_roles()
    from django.contrib.auth.models import Group

    moderator = UserFactory(username="moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name=STAFF))
    client.force_login(moderator)
    assert client.get("/ky/admin/hearings/moderationqueue/").status_code == 200
    assert client.get("/ky/admin/hearings/hearing/add/").status_code == 403
    client.force_login(clerk)
    assert client.get("/ky/admin/hearings/hearing/add/").status_code == 200
    assert not clerk.has_perm("hearings.delete_proposal")
    assert clerk.has_perm("groups.change_initiativegroup")


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


def test_hearing_admin_links_each_proposal_to_its_page(client, hearing, staff):
    client.force_login(staff)
    proposal = ProposalFactory(municipality=hearing.municipality, hearing=hearing, origin="hearing")
    content = client.get(f"/ky/admin/hearings/hearing/{hearing.pk}/change/").content.decode()
    assert f'href="/ky/admin/hearings/proposal/{proposal.pk}/change/"' in content
