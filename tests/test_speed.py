"""The faster ways of writing the same markup give the same markup."""

import re

import pytest
from django import forms
from django.utils import translation

from hearings.models import Hearing, Proposal, ProposalStatus
from hearings.templatetags.proposal_cards import card_names, render_card
from portal.choices import Topic, display
from portal.widgets import QuickSelect
from tests.factories import HearingFactory, InitiativeGroupFactory, ProposalFactory


def squeezed(html):
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", "roads", "water"])
def test_the_quick_select_writes_what_django_writes(value):
    choices = [("", "Any <topic>"), *Topic.choices, ("a&b", 'Say "so"')]
    attrs = {"class": "select form-select", "id": "id_topic", "aria-describedby": "x"}
    with translation.override("ky"):
        django = forms.Select(choices=choices).render("topic", value, attrs)
        quick = QuickSelect(choices=choices).render("topic", value, attrs)
    assert squeezed(quick) == squeezed(django)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_display_gives_what_get_display_gives(language):
    with translation.override(language):
        for status in ProposalStatus.values:
            proposal = Proposal(status=status, kind="question", topic="school")
            assert display(proposal, "status") == proposal.get_status_display()
            assert display(proposal, "kind") == proposal.get_kind_display()
            assert display(proposal, "topic") == proposal.get_topic_display()
        for kind in Hearing.Kind.values:
            hearing = Hearing(kind=kind, status="published")
            assert display(hearing, "kind") == hearing.get_kind_display()
        # A value that is not a choice is shown as it is, as Django does.
        assert display(Proposal(topic="gone"), "topic") == "gone"


def test_a_card_escapes_what_people_wrote_and_links_where_the_pages_are(municipality):
    hearing = HearingFactory(municipality=municipality, title_ky="Угуу <b>1</b>")
    group = InitiativeGroupFactory(municipality=municipality, name_ky="Топ & достор")
    proposal = ProposalFactory(
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        group=group,
        text_ky='<script>alert("x")</script> көпүрө',
    )

    def proposal_card(proposal):
        return render_card(proposal, card_names(proposal.municipality_id))

    with translation.override("ky"):
        card = proposal_card(proposal)
        assert "<script>" not in card and "&lt;script&gt;" in card
        assert "Угуу &lt;b&gt;1&lt;/b&gt;" in card and "Топ &amp; достор" in card
        for url in (
            proposal.get_absolute_url(),
            hearing.get_absolute_url(),
            group.get_absolute_url(),
        ):
            assert f'href="{url}"' in card
        assert proposal.get_status_display() in card
    with translation.override("ru"):
        assert f'href="{proposal.get_absolute_url()}"' in proposal_card(proposal)
        assert proposal.get_absolute_url().startswith("/ru/")


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/ky/", "Home"),
        ("/ky/hearings/", "Hearings"),
        ("/ky/proposals/", "Proposals"),
        ("/ky/groups/", "Initiative groups"),
        ("/ky/programmes/", "Programmes"),
        ("/ky/budget/", "Budget"),
        ("/ky/projects/", "Projects"),
        ("/ky/contacts/", "Contacts"),
    ],
)
def test_the_main_menu_rendered_once_marks_each_pages_own_item(client, municipality, path, current):
    """The menu is rendered once per kind of page and language
    ({% memo %}): each page still marks its own item, in its language."""
    from django.utils.translation import gettext

    for visited in ("/ky/", "/ky/hearings/", "/ky/proposals/", "/ru/", path, path):
        client.get(visited)
    for code in ("ky", "ru"):
        page = client.get(path.replace("/ky/", f"/{code}/")).content.decode()
        menu = page.split('class="main-nav')[1].split("</nav>")[0]
        with translation.override(code):
            active = re.findall(r'class="nav-link active"[^>]*>([^<]+)</a>', menu)
            assert active == [gettext(current)]
            assert f'href="/{code}/proposals/"' in menu
