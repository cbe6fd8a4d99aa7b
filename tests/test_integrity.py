"""Ways around the rules that must stay closed: each test fails without its fix."""

import datetime
import io
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from openpyxl import load_workbook

from groups.models import InitiativeGroup, Membership
from hearings import services
from hearings.models import Proposal
from hearings.views import client_address
from portal.models import Municipality
from tests.factories import (
    HearingFactory,
    InitiativeGroupFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ProposalFactory,
    VillageFactory,
)

S = Proposal.Status


# --- The moderation queue is a list with actions, nothing more ------------


def test_moderators_cannot_open_or_post_a_queued_proposal(client, municipality, moderator):
    proposal = ProposalFactory(municipality=municipality, status=S.AWAITING_MODERATION)
    client.force_login(moderator)
    url = f"/ky/admin/hearings/moderationqueue/{proposal.pk}/change/"
    assert client.get(url).status_code == 403
    client.post(url, {"status": S.ACCEPTED_BUDGET, "decided_on": "2026-01-01"})
    proposal.refresh_from_db()
    assert proposal.status == S.AWAITING_MODERATION
    assert not proposal.events.exists()


def test_moderators_see_neither_the_register_nor_contacts(client, municipality, moderator):
    ProposalFactory(municipality=municipality, author_phone="0555 111 222")
    client.force_login(moderator)
    assert client.get("/ky/admin/hearings/proposal/").status_code == 403
    assert not moderator.has_perm("hearings.view_proposal")


def test_a_batch_skips_what_another_moderator_handled(client, municipality, moderator, clerk):
    """Both rows are still in the queue when the batch starts; while it works on
    the first, another moderator publishes the second: it is skipped and said so."""
    waiting = ProposalFactory.create_batch(
        2, municipality=municipality, status=S.AWAITING_MODERATION, origin="online"
    )
    first, second = sorted(waiting, key=lambda p: p.submitted_at)
    refuse = services.refuse

    def refuse_while_another_publishes(proposal, **kwargs):
        if proposal.pk == first.pk:
            services.approve(second, by=clerk)  # someone else, meanwhile
        return refuse(proposal, **kwargs)

    client.force_login(moderator)
    with mock.patch.object(services, "refuse", side_effect=refuse_while_another_publishes) as spy:
        response = client.post(
            "/ky/admin/hearings/moderationqueue/",
            {"action": "refuse_spam", "index": "0", "_selected_action": [first.pk, second.pk]},
        )
    assert spy.call_count == 2  # the second row was tried, not filtered out before
    assert response.status_code == 302
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses == {first.pk: S.REFUSED, second.pk: S.RECEIVED}
    assert second.events.get(to_status=S.RECEIVED).by == clerk
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 сунуш жарыяланган жок.",
        "1 өткөрүлүп жиберилди: абалы буга чейин өзгөргөн.",
    ]


# --- Decisions change only with a recorded move --------------------------


def post_proposal(client, proposal, **extra):
    data = {
        "municipality": proposal.municipality_id,
        "kind": proposal.kind,
        "topic": proposal.topic,
        "text_ky": proposal.text_ky,
        "text_ru": proposal.text_ru,
        "origin": proposal.origin,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        **extra,
    }
    return client.post(f"/ky/admin/hearings/proposal/{proposal.pk}/change/", data)


def test_a_decision_text_without_a_decision_is_refused(client, municipality, clerk):
    proposal = ProposalFactory(municipality=municipality)
    client.force_login(clerk)
    response = post_proposal(client, proposal, decision_text_ky="Долбоор чечим")
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.decision_ky == ""
    assert "Долбоор чечим" not in client.get("/ky/proposals/").content.decode()


def test_a_recorded_decision_cannot_be_rewritten_in_the_form(client, municipality, clerk):
    proposal = ProposalFactory(
        municipality=municipality,
        submitted_at=datetime.datetime(2023, 2, 1, 10, tzinfo=datetime.UTC),
    )
    decided_on = datetime.date(2023, 3, 1)
    services.record_decision(
        proposal, S.REJECTED, decision_ky="Каражат жок", decided_on=decided_on, by=clerk
    )
    client.force_login(clerk)
    response = post_proposal(
        client,
        proposal,
        kind="question",
        decision_text_ky="Башка себеп",
        decision_date="2001-01-01",
    )
    assert response.status_code == 302  # the read-only fields are ignored
    proposal.refresh_from_db()
    assert (proposal.kind, proposal.decision_ky) == ("proposal", "Каражат жок")
    assert proposal.decided_on == decided_on


def test_editing_content_keeps_a_concurrent_status_change(client, municipality, clerk):
    proposal = ProposalFactory(municipality=municipality)
    client.force_login(clerk)
    page = client.get(f"/ky/admin/hearings/proposal/{proposal.pk}/change/")
    assert page.status_code == 200
    services.start_review(proposal, by=clerk)  # someone else, meanwhile
    post_proposal(client, proposal, topic="roads")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.topic) == (S.UNDER_REVIEW, "roads")


def test_review_again_clears_a_deferred_decision(municipality, clerk):
    proposal = ProposalFactory(municipality=municipality)
    services.record_decision(proposal, S.DEFERRED, decision_ky="Кийинки жылы", by=clerk)
    services.start_review(proposal, by=clerk)
    proposal.refresh_from_db()
    assert (proposal.decision_ky, proposal.decided_on) == ("", None)


# --- Exports hold text, never formulas -----------------------------------


def test_exports_neutralise_formulas_and_control_characters(client, municipality, clerk):
    proposal = ProposalFactory(
        municipality=municipality,
        text_ky='=HYPERLINK("http://evil.example","x")',
        author_name="\x1bАсан",
    )
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/proposal/",
        {"action": "export_xlsx", "_selected_action": [proposal.pk]},
    )
    assert response.status_code == 200
    row = list(load_workbook(io.BytesIO(response.content)).active[2])
    assert row[2].value.startswith("'=HYPERLINK")
    assert row[2].data_type == "s"
    assert row[12].value == "Асан"


def test_the_public_form_drops_control_characters(client, municipality):
    client.post(
        "/ky/proposals/new/",
        {
            "kind": "proposal",
            "topic": "roads",
            "text": "Көпүрөнү \x0bоңдоо керек, балдар мектепке өтө албайт.",
            "consent": "on",
        },
    )
    assert Proposal.objects.get().text_ky == "Көпүрөнү оңдоо керек, балдар мектепке өтө албайт."


# --- The rate limit sees real addresses ----------------------------------


@override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_only_the_proxys_own_forwarded_entry_is_trusted(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"


def test_ipv6_addresses_count_by_network():
    assert services.submitter_hash("2001:db8::1") == services.submitter_hash("2001:db8::ffff")
    assert services.submitter_hash("2001:db8::1") != services.submitter_hash("2001:db9::1")
    assert services.submitter_hash("10.0.0.1") != services.submitter_hash("10.0.0.2")


# --- Members and groups --------------------------------------------------


def members_post(group, rows):
    data = {
        "municipality": group.municipality_id,
        "name_ky": group.name_ky,
        "name_ru": group.name_ru,
        "slug": group.slug,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for r in rows if "id" in r)),
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{index}-{key}"] = value
    return data


def test_swapping_the_chair_in_one_save_works(client, municipality, clerk):
    group = InitiativeGroupFactory(municipality=municipality)
    old = MembershipFactory(group=group, role="chair")
    newcomer = PersonFactory(municipality=municipality)
    client.force_login(clerk)
    rows = [
        {"id": old.pk, "group": group.pk, "role": "member"},
        {"group": group.pk, "person": newcomer.pk, "role": "chair"},
    ]
    response = client.post(
        f"/ky/admin/groups/initiativegroup/{group.pk}/change/", members_post(group, rows)
    )
    assert response.status_code == 302
    chair = Membership.objects.get(group=group, role="chair", left_on__isnull=True)
    assert chair.person == newcomer


def test_two_chairs_or_a_person_twice_give_a_message_not_a_crash(client, municipality, clerk):
    group = InitiativeGroupFactory(municipality=municipality)
    people = PersonFactory.create_batch(2, municipality=municipality)
    client.force_login(clerk)
    rows = [
        {"group": group.pk, "person": people[0].pk, "role": "chair"},
        {"group": group.pk, "person": people[1].pk, "role": "chair"},
    ]
    response = client.post(
        f"/ky/admin/groups/initiativegroup/{group.pk}/change/", members_post(group, rows)
    )
    assert response.status_code == 200
    assert "Топтун төрагасы бар." in response.content.decode()
    rows = [
        {"group": group.pk, "person": people[0].pk, "role": "member"},
        {"group": group.pk, "person": people[0].pk, "role": "member"},
    ]
    response = client.post(
        f"/ky/admin/groups/initiativegroup/{group.pk}/change/", members_post(group, rows)
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(group=group).exists()


def test_a_recorded_member_cannot_be_swapped_for_someone_else(client, municipality, clerk):
    group = InitiativeGroupFactory(municipality=municipality)
    membership = MembershipFactory(group=group)
    stranger = PersonFactory(municipality=municipality)
    client.force_login(clerk)
    rows = [{"id": membership.pk, "group": group.pk, "person": stranger.pk, "role": "member"}]
    client.post(f"/ky/admin/groups/initiativegroup/{group.pk}/change/", members_post(group, rows))
    membership.refresh_from_db()
    assert membership.person != stranger


def test_the_admin_form_cannot_dissolve_a_group_around_its_members(client, municipality, clerk):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory(group=group)
    client.force_login(clerk)
    data = members_post(group, [])
    data.update({"status": "dissolved", "dissolved_on": "2026-01-01"})
    client.post(f"/ky/admin/groups/initiativegroup/{group.pk}/change/", data)
    group.refresh_from_db()
    assert group.status == InitiativeGroup.Status.ACTIVE
    client.post(
        "/ky/admin/groups/initiativegroup/",
        {"action": "dissolve", "_selected_action": [group.pk]},
    )
    group.refresh_from_db()
    assert group.status == InitiativeGroup.Status.DISSOLVED
    assert not group.memberships.filter(left_on__isnull=True).exists()
    client.post(
        "/ky/admin/groups/initiativegroup/",
        {"action": "reactivate", "_selected_action": [group.pk]},
    )
    group.refresh_from_db()
    assert (group.status, group.dissolved_on) == (InitiativeGroup.Status.ACTIVE, None)


def test_long_names_still_get_unique_slugs(municipality):
    name = "Айыл " + "өнүктүрүү " * 12
    first = InitiativeGroupFactory(municipality=municipality, name_ky=name)
    second = InitiativeGroupFactory(municipality=municipality, name_ky=name)
    assert first.slug != second.slug
    assert len(second.slug) <= 80


# --- Municipality --------------------------------------------------------


def test_domains_match_whatever_their_case(db):
    MunicipalityFactory(domain="ala-buka.kg")
    wanted = MunicipalityFactory(domain="Birinchi-May.kg")
    assert Municipality.objects.for_host("birinchi-may.kg") == wanted


def test_one_administrative_centre_per_municipality(municipality):
    from django.db import IntegrityError, transaction

    VillageFactory(municipality=municipality, is_centre=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageFactory(municipality=municipality, is_centre=True)


@pytest.mark.parametrize("field", ["village", "hearing", "group"])
def test_a_proposal_cannot_point_to_another_municipalitys_rows(municipality, field):
    from django.core.exceptions import ValidationError

    other = MunicipalityFactory()
    related = {
        "village": lambda: VillageFactory(municipality=other),
        "hearing": lambda: HearingFactory(municipality=other),
        "group": lambda: InitiativeGroupFactory(municipality=other),
    }[field]()
    proposal = ProposalFactory.build(municipality=municipality, **{field: related})
    with pytest.raises(ValidationError) as error:
        proposal.full_clean(exclude=["tracking_code"])
    assert field in error.value.error_dict
    # The same row of its own municipality is fine.
    setattr(proposal, field, None)
    proposal.full_clean(exclude=["tracking_code"])
