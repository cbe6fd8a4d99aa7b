"""Rules that mutation testing (`make mutate`) found no test checking.

mutmut plants one bug at a time in the services, the models' rules, the
composition figures, the middleware and the admin's permission code, and
runs the tests; each test here makes some of those bugs fail. A comment
above a test names the bugs it catches: an id of the test review of
November 2026 ("Surviving mutants": S1, M4...) or the function mutmut
mutated. Dates are fixed (time-machine), never today's.
"""

import datetime
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, OperationalError
from django.urls import reverse
from django.utils import timezone, translation

from groups import services as group_services
from groups.models import InitiativeGroup, Membership, Person
from hearings import codes, services
from hearings.models import Hearing, Proposal, protocol_file_name
from portal.admin_site import PortalAdminSite
from portal.models import Village
from portal.roles import MODERATOR_PERMISSIONS, sync_roles
from tests.factories import (
    BudgetLineFactory,
    HearingFactory,
    InitiativeGroupFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    PriorityFactory,
    ProjectFactory,
    ProposalFactory,
    VillageFactory,
    protocol_pdf,
)

S = Proposal.Status
BISHKEK = ZoneInfo("Asia/Bishkek")


def at(*args):
    """A moment in Bishkek."""
    return datetime.datetime(*args, tzinfo=BISHKEK)


def online(municipality, text="Көчөгө жарык орнотуу керек"):
    return Proposal(municipality=municipality, kind="proposal", topic="roads", text_ky=text)


def submit(municipality, address="10.0.0.1"):
    return services.submit_online(online(municipality), address=address)


# --- Online submissions ------------------------------------------------------


# S1: the window dropped from the rate limit, or its edge moved.
def test_the_rate_limit_counts_the_submissions_of_the_last_window_only(municipality, settings):
    settings.PROPOSAL_RATE_LIMIT = 2
    settings.PROPOSAL_RATE_WINDOW = 3600
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        submit(municipality)
        submit(municipality)
    # A window later to the second, both still count...
    with (
        time_machine.travel(at(2026, 11, 20, 10, 0), tick=False),
        pytest.raises(services.RateLimited),
    ):
        submit(municipality)
    # ...and a second after that, neither does.
    with time_machine.travel(at(2026, 11, 20, 10, 0, 1), tick=False):
        accepted = submit(municipality)
    assert accepted.status == S.AWAITING_MODERATION
    assert list(accepted.events.values_list("from_status", "to_status", "at")) == [
        ("", S.AWAITING_MODERATION, at(2026, 11, 20, 10, 0, 1))
    ]


# moderation_backlog: the hour widened, or the limit passed before it is refused.
def test_the_queue_valve_counts_what_arrived_in_the_last_hour(municipality, settings):
    settings.PROPOSAL_QUEUE_LIMIT = 1
    with time_machine.travel(at(2026, 11, 20, 8, 0), tick=False):
        submit(municipality, address="10.0.0.1")
    with (
        time_machine.travel(at(2026, 11, 20, 9, 0), tick=False),
        pytest.raises(services.QueueFull),
    ):
        submit(municipality, address="10.0.0.2")
    with time_machine.travel(at(2026, 11, 20, 9, 30), tick=False):
        assert submit(municipality, address="10.0.0.3").status == S.AWAITING_MODERATION


# submitter_hash: every address that is not an IP address counted as one.
def test_addresses_that_are_not_ip_addresses_count_apart(municipality, settings):
    settings.PROPOSAL_RATE_LIMIT = 1
    submit(municipality, address="proxy-a")
    submit(municipality, address="proxy-b")
    with pytest.raises(services.RateLimited):
        submit(municipality, address="proxy-a")


# _save_with_new_code: a clash of tracking codes raised instead of retried.
def test_a_tracking_code_already_taken_is_replaced_by_a_free_one(municipality, monkeypatch):
    taken = ProposalFactory(municipality=municipality).tracking_code
    offered = iter([taken, taken, "ABCDEFGH"])
    monkeypatch.setattr(codes, "new_code", lambda: next(offered))
    assert submit(municipality).tracking_code == "ABCDEFGH"


# _save_with_new_code: retried without end, or failing without saying why.
def test_when_no_free_code_is_found_the_submission_fails_and_says_why(municipality, monkeypatch):
    taken = ProposalFactory(municipality=municipality).tracking_code
    tried = []
    monkeypatch.setattr(codes, "new_code", lambda: tried.append(taken) or taken)
    with pytest.raises(IntegrityError, match=r"^Could not find a free tracking code\.$"):
        submit(municipality)
    assert len(tried) == 5
    assert not Proposal.objects.filter(origin="online").exists()


def timeline(response):
    """The entries of a proposal's public timeline, without their dates."""
    listed = response.content.decode().split('<ol class="timeline')[1].split("</ol>")[0]
    entries = re.findall(r"<li[^>]*>(.*?)</li>", listed, flags=re.S)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<time.*?</time>", "", e, flags=re.S)).split())
        for e in entries
    ]


# V6, public_events: the timeline shows the moderation's steps, or what was never public.
def test_the_public_timeline_shows_public_states_only(client, municipality, moderator):
    published = submit(municipality, address="10.0.0.1")
    services.approve(published, by=moderator)
    refused = submit(municipality, address="10.0.0.2")
    services.refuse(refused, reason="spam", by=moderator)
    received = str(S.RECEIVED.label)
    for url in (
        f"/ky/proposals/{published.pk}/",
        f"/ky/proposals/track/{published.tracking_code}/",
    ):
        assert timeline(client.get(url)) == [received], url
    response = client.get(f"/ky/proposals/track/{refused.tracking_code}/")
    assert timeline(response) == ["Азырынча жарыялана элек."]


# --- Decisions ---------------------------------------------------------------


# S3: only the Kyrgyz text taken as the reason or the answer.
@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize(("kind", "decision"), [("proposal", S.REJECTED), ("question", S.ANSWERED)])
def test_a_reason_or_an_answer_may_be_written_in_either_language(
    municipality, clerk, language, kind, decision
):
    item = ProposalFactory(municipality=municipality, kind=kind, status=S.UNDER_REVIEW)
    services.record_decision(item, decision, by=clerk, **{f"decision_{language}": "  Себеби  "})
    item.refresh_from_db()
    assert item.status == decision
    assert getattr(item, f"decision_{language}") == "Себеби"


# S4: the date staff enter replaced by today's.
def test_the_decision_date_staff_enter_is_kept(municipality, clerk):
    item = ProposalFactory(municipality=municipality, status=S.UNDER_REVIEW)
    services.record_decision(item, S.DEFERRED, decided_on=datetime.date(2026, 3, 2), by=clerk)
    item.refresh_from_db()
    assert (item.decided_on, item.decided_by) == (datetime.date(2026, 3, 2), clerk)
    # The public timeline dates the decision on that day.
    assert timezone.localtime(item.events.get().at) == at(2026, 3, 2, 0, 0)


# record_decision, _day: a decision without a date dated otherwise than now.
def test_a_decision_without_a_date_takes_effect_when_recorded(municipality, clerk):
    item = ProposalFactory(municipality=municipality, status=S.UNDER_REVIEW)
    line = BudgetLineFactory(budget__municipality=municipality)
    with time_machine.travel(at(2026, 11, 20, 15, 30), tick=False):
        services.record_decision(item, S.ACCEPTED_BUDGET, target=line, by=clerk)
    item.refresh_from_db()
    assert item.decided_on == datetime.date(2026, 11, 20)
    event = item.events.get()
    assert (event.from_status, event.to_status, event.by) == (
        S.UNDER_REVIEW,
        S.ACCEPTED_BUDGET,
        clerk,
    )
    assert event.at == at(2026, 11, 20, 15, 30)


# change_status: the move made by nobody, or not made, or given a text it was not.
def test_the_admins_one_status_field_moves_and_records_who(municipality, clerk, moderator):
    item = ProposalFactory(municipality=municipality, status=S.AWAITING_MODERATION, origin="online")
    services.change_status(item, S.RECEIVED, by=moderator)
    services.change_status(item, S.UNDER_REVIEW, by=clerk)
    project = ProjectFactory(municipality=municipality)
    services.change_status(item, S.ACCEPTED_PROJECT, target=project, by=clerk)
    item.refresh_from_db()
    assert (item.status, item.project, item.decision_ky, item.decision_ru) == (
        S.ACCEPTED_PROJECT,
        project,
        "",
        "",
    )
    assert list(item.events.values_list("from_status", "to_status", "by")) == [
        (S.AWAITING_MODERATION, S.RECEIVED, moderator.pk),
        (S.RECEIVED, S.UNDER_REVIEW, clerk.pk),
        (S.UNDER_REVIEW, S.ACCEPTED_PROJECT, clerk.pk),
    ]


# --- Corrections -------------------------------------------------------------


def decided(municipality, status=S.ACCEPTED_BUDGET, kind="proposal"):
    """A decided item, dated 10 January 2023 (the factory's date)."""
    return ProposalFactory(municipality=municipality, kind=kind, status=status)


# check_correction: a proposal's decision checked as a question's; the text
# rule turned round; its message put under another field.
def test_a_correction_to_a_rejection_needs_its_reason_next_to_the_decision(municipality, clerk):
    item = decided(municipality)
    with pytest.raises(ValidationError) as error:
        services.correct_decision(
            item, kind="proposal", status=S.REJECTED, reason="Ката терилген", by=clerk
        )
    assert list(error.value.message_dict) == ["decision_ky"]
    services.correct_decision(
        item,
        kind="proposal",
        status=S.REJECTED,
        decision_ru="Нет средств",
        reason="Ката терилген",
        by=clerk,
    )
    item.refresh_from_db()
    assert (item.status, item.decision_ru) == (S.REJECTED, "Нет средств")


# check_correction: a correction without its reason let through.
def test_a_correction_says_why(municipality):
    with pytest.raises(ValidationError) as error:
        services.check_correction(decided(municipality), kind="proposal", status=S.DEFERRED)
    assert list(error.value.message_dict) == ["reason"]


def test_a_correction_to_an_acceptance_needs_no_text(municipality, clerk):
    item = decided(municipality, status=S.REJECTED)
    priority = PriorityFactory(programme__municipality=municipality)
    services.correct_decision(
        item,
        kind="proposal",
        status=S.ACCEPTED_PROGRAMME,
        target=priority,
        reason="Ката терилген",
        by=clerk,
    )
    item.refresh_from_db()
    assert (item.status, item.decision_ky, item.priority) == (S.ACCEPTED_PROGRAMME, "", priority)


# correct_decision: the date, the kind's change or the reason lost.
def test_a_correction_keeps_the_decisions_date_and_records_what_changed(municipality, clerk):
    item = decided(municipality)
    services.correct_decision(
        item,
        kind="question",
        status=S.ANSWERED,
        decision_ky=" Жооп берилди ",
        reason="  Бул суроо эле  ",
        by=clerk,
    )
    item.refresh_from_db()
    assert (item.kind, item.status, item.decision_ky) == ("question", S.ANSWERED, "Жооп берилди")
    assert (item.decided_on, item.decided_by) == (datetime.date(2023, 1, 10), clerk)
    event = item.events.get()
    assert (event.from_status, event.to_status, event.from_kind, event.to_kind) == (
        S.ACCEPTED_BUDGET,
        S.ANSWERED,
        "proposal",
        "question",
    )
    assert (event.correction_reason, event.by) == ("Бул суроо эле", clerk)


def test_a_correction_of_the_decision_only_says_nothing_of_the_kind(municipality, clerk):
    item = decided(municipality)
    services.correct_decision(
        item,
        kind="proposal",
        status=S.DEFERRED,
        decided_on=datetime.date(2023, 2, 1),
        reason="Кийинки жылга",
        by=clerk,
    )
    item.refresh_from_db()
    assert item.decided_on == datetime.date(2023, 2, 1)
    event = item.events.get()
    assert (event.from_kind, event.to_kind) == ("", "")


# --- Registration by staff ---------------------------------------------------


def item_of(hearing, **fields):
    return Proposal(hearing=hearing, kind="proposal", topic="water", text_ky="Сунуш", **fields)


# register, next_protocol_number: numbers from 1, one by one; the hearing's
# municipality, origin and time not taken.
def test_items_typed_from_a_protocol_are_numbered_from_one_and_dated_by_the_hearing(
    municipality, clerk
):
    hearing = HearingFactory(municipality=municipality, starts_at=at(2026, 3, 14, 10, 0))
    items = [services.register(item_of(hearing), by=clerk) for _ in range(3)]
    assert [item.protocol_number for item in items] == [1, 2, 3]
    first = Proposal.objects.get(pk=items[0].pk)
    assert (first.municipality, first.origin, first.status) == (municipality, "hearing", S.RECEIVED)
    assert first.submitted_at == at(2026, 3, 14, 10, 0)
    event = first.events.get()
    assert (event.from_status, event.to_status, event.by) == ("", S.RECEIVED, clerk)
    assert event.at == at(2026, 3, 14, 10, 0)


def test_a_letter_is_received_on_the_day_on_the_letter(municipality, clerk):
    letter = services.register(
        Proposal(municipality=municipality, kind="proposal", topic="roads", text_ru="Письмо"),
        received_on=datetime.date(2026, 2, 3),
        by=clerk,
    )
    letter.refresh_from_db()
    assert (letter.origin, letter.protocol_number) == ("paper", None)
    assert letter.submitted_at == at(2026, 2, 3, 0, 0)
    assert letter.events.get().at == at(2026, 2, 3, 0, 0)


def test_a_paper_handed_in_at_a_hearing_takes_its_time_or_its_own_day(municipality, clerk):
    hearing = HearingFactory(municipality=municipality, starts_at=at(2026, 3, 14, 10, 0))
    same_day = services.register(
        item_of(hearing, origin="paper"), received_on=datetime.date(2026, 3, 14), by=clerk
    )
    later = services.register(
        item_of(hearing, origin="paper"), received_on=datetime.date(2026, 3, 16), by=clerk
    )
    assert same_day.submitted_at == at(2026, 3, 14, 10, 0)
    assert later.submitted_at == at(2026, 3, 16, 0, 0)
    # Not raised at the hearing: no number in its protocol.
    assert (same_day.protocol_number, later.protocol_number) == (None, None)


# --- Hearings ----------------------------------------------------------------


def summary_of(content):
    """The hearing page's summary table, label -> figure."""
    table = content.split('class="table table-sm mb-0 summary"')[1].split("</table>")[0]
    rows = re.findall(r"<th[^>]*>([^<]+)</th><td[^>]*>(\d+)</td>", table)
    return {label.strip(): int(figure) for label, figure in rows}


# create_hearing, set_hearing_status: the history entry without who made
# the change, or kept for a status that did not change.
def test_a_hearings_history_says_who_moved_it_and_when(municipality, clerk, staff):
    hearing = Hearing(
        municipality=municipality,
        kind="budget",
        title_ky="Бюджет",
        starts_at=at(2026, 3, 14, 10, 0),
    )
    with time_machine.travel(at(2026, 3, 1, 9, 0), tick=False):
        services.create_hearing(hearing, by=clerk)
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.ANNOUNCED
    with time_machine.travel(at(2026, 3, 14, 13, 0), tick=False):
        moved = services.set_hearing_status(hearing, Hearing.Status.HELD, by=staff)
        services.set_hearing_status(hearing, Hearing.Status.HELD, by=clerk)
    assert moved.status == Hearing.Status.HELD
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.HELD
    assert list(hearing.events.values_list("from_status", "to_status", "by", "at")) == [
        ("", "announced", clerk.pk, at(2026, 3, 1, 9, 0)),
        ("announced", "held", staff.pk, at(2026, 3, 14, 13, 0)),
    ]


# save_hearing: the protocol file removed although the hearing still points to it.
def test_saving_a_hearing_keeps_the_protocol_it_still_points_to(
    municipality, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    hearing = HearingFactory(municipality=municipality)
    hearing.protocol_file.save("p.pdf", ContentFile(protocol_pdf()), save=True)
    name = hearing.protocol_file.name
    hearing.place = "Айыл өкмөтүнүн чогулуш залы"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_hearing(hearing, previous_protocol=name)
    assert hearing.protocol_file.storage.exists(name)


# summary: items from groups counted the other way round; deferred ones not counted.
def test_the_hearing_summary_counts_groups_items_and_deferred_ones(client, municipality):
    hearing = HearingFactory(municipality=municipality)
    group = InitiativeGroupFactory(municipality=municipality)
    common = {"municipality": municipality, "hearing": hearing, "origin": "hearing"}
    ProposalFactory(**common, group=group, status=S.DEFERRED)
    ProposalFactory(**common, status=S.DEFERRED)
    ProposalFactory(**common, status=S.UNDER_REVIEW)
    with translation.override("ru"):
        figures = summary_of(client.get(f"/ru/hearings/{hearing.pk}/").content.decode())
    assert figures == {
        "Поступило предложений и вопросов": 3,
        "из них от инициативных групп": 1,
        "Принято": 0,
        "Отклонено": 0,
        "Дан ответ": 0,
        "Перенесено на следующий год": 2,
        "Ожидает решения": 1,
    }


# Hearing.__str__: hearings offered in the public filter without their date,
# or with another date or format.
def test_hearings_are_offered_by_title_and_local_date(client, municipality):
    HearingFactory(
        municipality=municipality,
        title_ky="Бюджет боюнча угуу",
        starts_at=datetime.datetime(2022, 11, 25, 20, tzinfo=datetime.UTC),
    )
    content = client.get("/ky/proposals/").content.decode()
    assert "Бюджет боюнча угуу (26.11.2022)" in content


# protocol_file_name: the uploaded file's name or a wrong extension in the stored name.
@pytest.mark.parametrize(
    ("uploaded", "suffix"),
    [("Protocol.PDF", ".pdf"), ("скан.2026.03.JPG", ".jpg"), ("протокол", "")],
)
def test_a_stored_protocol_keeps_only_its_extension(db, uploaded, suffix):
    with time_machine.travel(at(2026, 3, 14, 10, 0), tick=False):
        name = protocol_file_name(Hearing(), uploaded)
    assert re.fullmatch(r"protocols/2026/[A-Za-z0-9_-]{32}" + re.escape(suffix), name), name


# Proposal.__str__: the admin names a proposal by its code and the start of its text.
def test_a_proposal_is_named_by_its_code_and_the_start_of_its_text(municipality):
    text = "Суу " * 30
    item = ProposalFactory(municipality=municipality, text_ky=text)
    assert str(item) == f"{item.display_code}: {text[:60]}"


# M2, Proposal.clean: an item typed into a hearing's page, whose municipality
# comes from the hearing, not checked.
@pytest.mark.parametrize("field", ["village", "group"])
def test_an_item_of_a_hearing_cannot_name_another_municipalitys_rows(municipality, field):
    other = MunicipalityFactory()
    hearing = HearingFactory(municipality=municipality)
    related = (
        VillageFactory(municipality=other)
        if field == "village"
        else InitiativeGroupFactory(municipality=other)
    )
    item = item_of(hearing, origin="hearing", **{field: related})
    with pytest.raises(ValidationError) as error:
        item.clean()
    assert list(error.value.message_dict) == [field]


def test_an_item_whose_municipality_is_not_known_yet_is_left_to_its_form(municipality):
    Proposal(village=VillageFactory(municipality=MunicipalityFactory())).clean()


# --- Groups ------------------------------------------------------------------


def members_shown(content):
    table = content.split('class="table table-sm members"')[1].split("</table>")[0]
    return re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", table)


# role_rank: the chair or the secretary listed among the members.
def test_a_groups_page_lists_the_chair_then_the_secretary_then_the_members(client, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    for name, role in (
        ("Абдыкадырова Гүлмира", "member"),
        ("Бакиев Нурлан", "member"),
        ("Жунусов Азамат", "secretary"),
        ("Токтосунова Айгүл", "chair"),
    ):
        MembershipFactory(group=group, role=role, person__full_name=name)
    with translation.override("ru"):
        content = client.get(f"/ru/groups/{group.slug}/").content.decode()
    assert members_shown(content) == [
        ("Токтосунова Айгүл", "Председатель"),
        ("Жунусов Азамат", "Секретарь"),
        ("Абдыкадырова Гүлмира", "Член"),
        ("Бакиев Нурлан", "Член"),
    ]


# _unique_slug: the address taken from the language staff work in, or not
# from the Russian name when there is no Kyrgyz one.
def test_a_groups_address_comes_from_its_kyrgyz_name_else_its_russian_one(municipality):
    with translation.override("ru"):
        both = InitiativeGroupFactory(
            municipality=municipality, name_ky="Таза суу", name_ru="Чистая вода"
        )
    russian = InitiativeGroupFactory(municipality=municipality, name_ky="", name_ru="Чистая вода")
    assert (both.slug, russian.slug) == ("taza-suu", "chistaya-voda")


# _unique_slug: suffixes counted wrongly; groups of another municipality in the way.
def test_groups_of_one_name_get_numbered_addresses_within_their_municipality(municipality):
    slugs = [
        InitiativeGroupFactory(municipality=municipality, name_ky="Жашыл көчө").slug
        for _ in range(3)
    ]
    assert slugs == ["zhashyl-kocho", "zhashyl-kocho-2", "zhashyl-kocho-3"]
    elsewhere = InitiativeGroupFactory(municipality=MunicipalityFactory(), name_ky="Жашыл көчө")
    assert elsewhere.slug == "zhashyl-kocho"


# _unique_slug: a group whose address is cleared to be made again counts itself as taken.
def test_a_cleared_address_is_made_again_the_same(municipality):
    group = InitiativeGroupFactory(municipality=municipality, name_ky="Жашыл көчө")
    group.slug = ""
    group.save()
    assert group.slug == "zhashyl-kocho"


# _unique_slug: no room left for the suffix; no address for a name without letters.
def test_long_or_letterless_names_still_get_an_address(municipality):
    long = InitiativeGroupFactory(municipality=municipality, name_ky="Суу" * 40)
    again = InitiativeGroupFactory(municipality=municipality, name_ky="Суу" * 40)
    assert len(long.slug) == 76
    assert again.slug == f"{long.slug}-2"
    assert InitiativeGroupFactory(municipality=municipality, name_ky="«»").slug == "group"


# InitiativeGroup.save: save()'s options (update_fields) dropped.
def test_saving_some_fields_of_a_group_leaves_the_others_as_stored(municipality):
    group = InitiativeGroupFactory(municipality=municipality, description_ky="Мурунку")
    group.description_ky = "Жаңы"
    group.public_contact = "0555 000 111"
    group.save(update_fields=["public_contact"])
    group.refresh_from_db()
    assert (group.description_ky, group.public_contact) == ("Мурунку", "0555 000 111")


# get_focus_topics_display, get_categories_display: labels lost, or a
# value no longer offered dropped.
def test_topics_and_categories_are_shown_by_their_labels(client, municipality, clerk):
    group = InitiativeGroupFactory(municipality=municipality, focus_topics=["water", "retired"])
    MembershipFactory(group=group, person__categories=["deputy", "retired"])
    with translation.override("ru"):
        page = client.get(f"/ru/groups/{group.slug}/").content.decode()
        assert "Питьевая вода, retired" in page
        client.force_login(clerk)
        export = client.post(
            "/ru/admin/groups/initiativegroup/",
            {"action": "export_members_csv", "index": "0", "_selected_action": [group.pk]},
        )
    assert "Депутат айылного кенеша, retired" in export.content.decode("utf-8-sig")


# current_members: people of a dissolved group counted among the current members.
def test_a_member_left_in_a_dissolved_group_is_not_a_current_member(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    group_services.dissolve_group(group, on=datetime.date(2025, 5, 1))
    membership = MembershipFactory(group=group)  # added afterwards by hand
    assert membership.is_current
    assert not Person.objects.current_members().exists()


# Person.clean: a child born this year refused.
def test_a_birth_year_of_this_year_is_accepted(municipality):
    person = PersonFactory.build(municipality=municipality, birth_year=2026)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        person.full_clean()
        person.birth_year = 2027
        with pytest.raises(ValidationError):
            person.full_clean()


# dissolve_group, end_membership: memberships kept open, or closed on another day.
def test_dissolving_a_group_ends_its_memberships_that_day(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    current = MembershipFactory(group=group)
    former = MembershipFactory(group=group, left_on=datetime.date(2020, 1, 1))
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        group_services.dissolve_group(group)
    group.refresh_from_db()
    assert (group.status, group.dissolved_on) == ("dissolved", datetime.date(2026, 11, 20))
    left = dict(Membership.objects.values_list("pk", "left_on"))
    assert left == {current.pk: datetime.date(2026, 11, 20), former.pk: datetime.date(2020, 1, 1)}
    # Dissolving it again changes nothing.
    group_services.dissolve_group(group, on=datetime.date(2026, 12, 1))
    group.refresh_from_db()
    assert group.dissolved_on == datetime.date(2026, 11, 20)


def test_a_reactivated_group_is_active_without_a_dissolution_date(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    group_services.dissolve_group(group, on=datetime.date(2025, 5, 1))
    group_services.reactivate_group(group)
    group.refresh_from_db()
    assert (group.status, group.dissolved_on) == (InitiativeGroup.Status.ACTIVE, None)


def test_a_membership_ends_today_unless_told_otherwise(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    today, told = MembershipFactory(group=group), MembershipFactory(group=group)
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        group_services.end_membership(today)
        group_services.end_membership(told, left_on=datetime.date(2026, 10, 1))
    today.refresh_from_db()
    told.refresh_from_db()
    assert (today.left_on, told.left_on) == (
        datetime.date(2026, 11, 20),
        datetime.date(2026, 10, 1),
    )


# end_membership: every field saved, so a change made meanwhile (the role) undone.
def test_ending_a_membership_keeps_a_change_made_meanwhile(municipality):
    membership = MembershipFactory(group=InitiativeGroupFactory(municipality=municipality))
    Membership.objects.filter(pk=membership.pk).update(role="secretary")  # someone else
    group_services.end_membership(membership, left_on=datetime.date(2026, 10, 1))
    membership.refresh_from_db()
    assert (membership.role, membership.left_on) == ("secretary", datetime.date(2026, 10, 1))


# add_member: the role or the date of joining lost; a person of another
# municipality let in.
def test_a_member_is_added_with_role_and_date_from_the_same_municipality(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    person = PersonFactory(municipality=municipality)
    membership = group_services.add_member(
        group, person, role="secretary", joined_on=datetime.date(2024, 5, 1)
    )
    membership.refresh_from_db()
    assert (membership.role, membership.joined_on) == ("secretary", datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError):
        group_services.add_member(group, PersonFactory(municipality=MunicipalityFactory()))


# --- Middleware --------------------------------------------------------------


# DatabaseUnavailableMiddleware.process_exception: the log the admins get
# (ADMINS) without the database's error, or worded otherwise.
def test_a_database_outage_is_logged_with_the_databases_own_error(client, db, caplog):
    with mock.patch(
        "portal.models.Municipality.objects.for_host",
        side_effect=OperationalError("connection refused"),
    ):
        assert client.get("/ky/").status_code == 503
    logged = [r.getMessage() for r in caplog.records if r.name == "portal.middleware"]
    assert logged == ["The database did not answer: connection refused"]


# --- The admin site ----------------------------------------------------------
#
# Django builds the admin's registry and URLs once, at start-up; mutmut turns
# a bug on only afterwards. These tests build a site of their own, so that
# the bugs planted in its start-up code are caught too.


def admin_request(rf, user, municipality, path="/ky/admin/"):
    request = rf.get(path)
    request.user = user
    request.municipality = municipality
    return request


# PortalAdminSite.register: a ModelAdmin registered without the guards
# (declared lookups only, the request's municipality only), or without the
# options given to register().
def test_whatever_is_registered_on_the_portal_site_gets_its_guards(rf, clerk, municipality):
    VillageFactory(municipality=MunicipalityFactory(), name_ky="Башка айыл")
    site = PortalAdminSite(name="probe")
    site.register(Village)
    site.register([Person], list_filter=["sex", "village__name"])
    request = admin_request(rf, clerk, municipality)
    villages = site.get_model_admin(Village)
    assert set(villages.get_queryset(request)) == set(municipality.villages.all())
    assert not villages.lookup_allowed("name__startswith", "Б", request)
    people = site.get_model_admin(Person)
    assert people.lookup_allowed("sex", "f", request)
    assert people.lookup_allowed("village__name", "Ажек", request)
    assert not people.lookup_allowed("phone__startswith", "0", request)


REPORT_PAGES = {
    "reports": "reports/",
    "reports_session": "reports/session.pdf",
    "reports_register": "reports/register.pdf",
    "reports_groups": "reports/groups.pdf",
}


# PortalAdminSite.get_urls: the reports' addresses or names changed, their
# views unwired, or open without the admin's login.
def test_the_reports_are_admin_pages_behind_its_login(rf, clerk, municipality):
    patterns = {
        pattern.name: pattern
        for pattern in PortalAdminSite().get_urls()
        if getattr(pattern, "name", None) in REPORT_PAGES
    }
    assert {name: str(pattern.pattern) for name, pattern in patterns.items()} == REPORT_PAGES
    for name, pattern in patterns.items():
        path = f"/ky/admin/{REPORT_PAGES[name]}?date_from=never"
        response = pattern.callback(admin_request(rf, AnonymousUser(), municipality, path))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/ky/admin/login/"), name
        # Without a valid period, every report opens the page to choose one.
        response = pattern.callback(admin_request(rf, clerk, municipality, path))
        assert response.status_code == 400, name
        if hasattr(response, "render"):
            response.render()
        assert "Кеңеш үчүн отчеттор" in response.content.decode(), name


# MunicipalityScoped.formfield_for_foreignkey, formfield_for_manytomany: what
# the ModelForm says of a relation (its label) dropped while limiting its choices.
def test_an_admin_form_limits_a_relations_choices_and_keeps_its_label(rf, clerk, municipality):
    class GroupForm(forms.ModelForm):
        class Meta:
            model = InitiativeGroup
            fields = ["municipality", "name_ky", "villages"]
            labels = {"municipality": "Кайсы айыл аймагы", "villages": "Иштеген айылдары"}

    VillageFactory(municipality=MunicipalityFactory(), name_ky="Башка айыл")
    site = PortalAdminSite(name="probe")
    site.register(InitiativeGroup, form=GroupForm)
    form = site.get_model_admin(InitiativeGroup).get_form(admin_request(rf, clerk, municipality))()
    assert form.fields["municipality"].label == "Кайсы айыл аймагы"
    assert list(form.fields["municipality"].queryset) == [municipality]
    assert form.fields["villages"].label == "Иштеген айылдары"
    assert set(form.fields["villages"].queryset) == set(municipality.villages.all())


# _related_fkey_lookup, lookup_allowed: the filter a raw-id popup adds for a
# relation's limit_choices_to (as Django allows it; no relation of the portal
# has one yet) refused, or let through with any value.
@pytest.mark.parametrize("limit", [{"name": "Ажек"}, lambda: {"name": "Ажек"}])
def test_a_popup_limited_by_limit_choices_to_keeps_its_filter_only(
    rf, clerk, municipality, monkeypatch, limit
):
    monkeypatch.setattr(Village._meta, "related_fkey_lookups", [limit])
    villages = admin.site.get_model_admin(Village)
    request = admin_request(rf, clerk, municipality)
    assert villages.lookup_allowed("name", "Ажек", request)
    assert not villages.lookup_allowed("name", "Айры-Там", request)
    assert not villages.lookup_allowed("is_centre", "1", request)


# DeclaredLookupsOnly._declared_roots: a list filter without a parameter
# name breaks the list instead of declaring nothing.
def test_a_list_filter_without_a_parameter_name_declares_nothing(rf, clerk, municipality):
    class Unnamed(admin.ListFilter):
        title = "Аты жок"

    site = PortalAdminSite(name="probe")
    site.register(Village, list_filter=[Unnamed, "is_centre"])
    villages = site.get_model_admin(Village)
    request = admin_request(rf, clerk, municipality)
    assert villages.lookup_allowed("is_centre", "1", request)
    assert not villages.lookup_allowed("name", "Ажек", request)


# DeclaredOnlyChangeList.get_filters: a bound of the date hierarchy sent in
# the query string lets every parameter after it through unchecked.
def test_an_undeclared_filter_is_refused_next_to_the_date_hierarchys_bounds(
    client, clerk, municipality
):
    client.force_login(clerk)
    url = reverse("admin:groups_activity_changelist")
    assert client.get(url, {"date__year": "2026", "kind__exact": "meeting"}).status_code == 200
    query = "?date__gte=2026-01-01&kind__startswith=m&date__year=2026"
    assert client.get(url + query).status_code == 400


# sync_roles: the moderators' rights picked by their codename in any application.
def test_moderators_get_the_moderation_queues_rights_and_not_their_namesakes(db):
    Permission.objects.create(
        codename="view_moderationqueue",
        name="Can view moderation queue",
        content_type=ContentType.objects.get_for_model(InitiativeGroup),
    )
    _staff, moderators = sync_roles()
    granted = moderators.permissions.values_list("content_type__app_label", "codename")
    assert sorted(granted) == sorted(MODERATOR_PERMISSIONS)


# check_hearing_status: a hearing refused as held at the very minute it starts.
def test_a_hearing_may_be_marked_held_from_the_moment_it_starts(municipality, clerk):
    hearing = HearingFactory(
        municipality=municipality, status=Hearing.Status.ANNOUNCED, starts_at=at(2026, 3, 14, 10)
    )
    with time_machine.travel(at(2026, 3, 14, 9, 59), tick=False), pytest.raises(ValidationError):
        services.set_hearing_status(hearing, Hearing.Status.HELD, by=clerk)
    with time_machine.travel(at(2026, 3, 14, 10, 0), tick=False):
        services.set_hearing_status(hearing, Hearing.Status.HELD, by=clerk)
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.HELD


# HearingQuerySet.upcoming: a hearing held as it starts still announced as upcoming.
def test_a_hearing_held_as_it_starts_is_listed_among_the_past_ones(client, municipality, clerk):
    hearing = HearingFactory(
        municipality=municipality, status=Hearing.Status.ANNOUNCED, starts_at=at(2026, 3, 14, 10)
    )
    with time_machine.travel(at(2026, 3, 14, 10, 0), tick=False):
        assert client.get("/ky/hearings/").context["upcoming"] == [hearing]
        services.set_hearing_status(hearing, Hearing.Status.HELD, by=clerk)
        response = client.get("/ky/hearings/")
    assert response.context["upcoming"] == []
    assert list(response.context["past"]) == [hearing]
